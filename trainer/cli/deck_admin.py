"""``trainer deck rename`` and ``trainer deck delete``: decks by hand, through ``collection.curation``."""

from __future__ import annotations

import click

from trainer.cli.app import JSON_HELP, Context, cli, emit_json, pass_context
from trainer.textsafe import printable
from trainer.words import plural


@cli.group()
def deck() -> None:
    """Rename or delete a deck.

    \b
    Examples:
      trainer deck rename 001 "AI 术语"
      trainer deck delete "AI 术语" --yes
    """


@deck.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def rename(context: Context, old: str, new: str, as_json: bool) -> None:
    """Give deck OLD the name NEW; its cards, their progress and its notes file stay with it.

    A deck file imported again brings its own name: rename the deck in the file too (or import it
    with --deck NEW).

    \b
    Examples:
      trainer deck rename 001 "AI 术语"
      trainer deck rename Vocab Spanish --json
    """
    renamed = context.collection().curation.rename_deck(old, new)
    if as_json:
        emit_json(renamed.as_json())
        return
    click.echo(f"renamed deck {printable(repr(old))} to {printable(repr(new))}")


@deck.command("delete")
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def delete_deck(context: Context, name: str, yes: bool, as_json: bool) -> None:
    """Delete deck NAME with its cards and their history, after a backup (asks first unless --yes).

    Notes files feeding the deck are no longer synced; the files themselves are never touched.

    \b
    Examples:
      trainer deck delete "AI 术语"
      trainer deck delete Vocab --yes --json
    """
    curation = context.collection().curation
    cards = curation.search(deck=name, limit=0).total  # an unknown deck stops here
    if not yes:
        question = f"Delete deck {printable(repr(name))} with its {plural(cards, 'card')} and their history?"
        click.confirm(question, abort=True, err=True)
    removed = curation.delete_deck(name)
    if as_json:
        emit_json(removed.as_json())
        return
    click.echo(f"backup of the database before the delete: {removed.backup}")
    click.echo(
        f"deleted deck {printable(repr(removed.deck))}: {plural(removed.cards, 'card')}"
        f" and {removed.reviews} review-log {'entry' if removed.reviews == 1 else 'entries'}"
    )
    for path in removed.notes:
        click.echo(printable(f"no longer syncing {path} (the file stays)"))
