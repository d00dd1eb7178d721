"""Curating cards from the command line: list and search them, edit, add, forget and delete them.

Each command parses, calls ``collection.curation`` and says what it changed; an unknown card id or
deck is one line and exit status 1, with nothing changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from trainer.cli.app import CARD_ID, JSON_HELP, Context, cli, emit_json, pass_context
from trainer.curation import PAGE, SORTS, STATES
from trainer.textsafe import printable
from trainer.words import plural, with_history

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trainer.curation import CardEdited, CardRow, Curation


def one_line(text: str) -> str:
    """Card text for a one-line listing: printable, line breaks shown as spaces."""
    return printable(text).replace("\n", " ")


def parse_tags(text: str) -> list[str]:
    """``a, b`` as tags; an empty string is no tags."""
    return [tag.strip() for tag in text.split(",")] if text.strip() else []


def echo_conflicts(
    curation: Curation,
    where: str,
    deck: str,
    keys: Sequence[str],
    source: str,
    *,
    dry_run: bool,
    overwrite: bool,
) -> None:
    """Each card edited here whose ``source`` (file, note) changed too, and whose text it keeps: an
    import or a sync takes the source's new text over an edit only with --overwrite."""
    if not keys:
        return
    ids = curation.card_ids(deck, keys)
    if overwrite:
        what = f"{'would take' if dry_run else 'took'} the {source}'s text over your edit"
    elif dry_run:
        what = f"would keep your edit; the {source} changed too (add --overwrite to take the {source}'s text)"
    else:
        what = f"kept your edit; the {source} changed too (--overwrite would have taken the {source}'s text)"
    click.echo(printable(f"{where}: {plural(len(keys), 'conflict')}"))
    for key in keys:
        click.echo(printable(f"  card {ids.get(key, key)}: {what}"))


@cli.command("cards")
@click.option("--deck", help="Only this deck.")
@click.option("--search", "text", metavar="TEXT", help="Front, back, tags or deck holding TEXT (any case).")
@click.option("--state", type=click.Choice(STATES), help="Only cards in this state.")
@click.option("--sort", type=click.Choice(SORTS), default="due", show_default=True, help="Order of the list.")
@click.option("--limit", type=click.IntRange(0), default=PAGE, show_default=True, help="List at most this.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def cards(
    context: Context,
    deck: str | None,
    text: str | None,
    state: str | None,
    sort: str,
    limit: int,
    as_json: bool,
) -> None:
    """List and search cards: id, deck, state, due day and front.

    \b
    Examples:
      trainer cards --search 注意力
      trainer cards --deck AI --state suspended
      trainer cards --state leech --sort lapses --json
    """
    from trainer.curation import search_json

    found = context.collection().curation.search(text, deck, state, sort, limit)
    if as_json:
        emit_json(search_json(found))
        return
    for row in found.rows:
        click.echo(_row_line(row))
    if not found.total:
        click.echo("no cards match")
    elif len(found.rows) < found.total:
        click.echo(f"{len(found.rows)} of {found.total} cards (--limit shows more)")


def _row_line(row: CardRow) -> str:
    due = row.due.isoformat() if row.due else "-"
    state = "buried" if row.buried and row.state != "suspended" else row.state
    return f"{row.id:>6}  {state:<9}  {due:<10}  {printable(row.deck)}  {one_line(row.front)}"


@cli.command()
@click.argument("card_id", type=CARD_ID)
@click.option("--front", help="The new front.")
@click.option("--back", help="The new back.")
@click.option("--tags", metavar="A,B", help="The new tags, comma-separated ('' for none).")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def edit(
    context: Context, card_id: int, front: str | None, back: str | None, tags: str | None, as_json: bool
) -> None:
    """Change a card's front, back or tags; its schedule and history stay.

    An edited card keeps your text when its file or note is imported again; see the README.

    \b
    Examples:
      trainer edit 42 --back "Llama, Meta's open model"
      trainer edit 42 --tags nlp,llm --json
    """
    if front is None and back is None and tags is None:
        raise click.UsageError("give --front, --back or --tags")
    given = None if tags is None else parse_tags(tags)
    edited = context.collection().curation.edit(card_id, front, back, given)
    if as_json:
        emit_json(edited.as_json())
        return
    click.echo(edit_line(edited))


def edit_line(edited: CardEdited) -> str:
    if not edited.changed:
        return f"card {edited.card_id}: nothing changed"
    return f"card {edited.card_id}: {' and '.join(edited.changed)} changed; its schedule is as it was"


@cli.command()
@click.argument("deck")
@click.argument("front")
@click.argument("back")
@click.option("--tags", metavar="A,B", default="", help="Tags, comma-separated.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def add(context: Context, deck: str, front: str, back: str, tags: str, as_json: bool) -> None:
    """Add a card by hand to DECK; it starts as a new card.

    \b
    Examples:
      trainer add AI "RAG" "检索增强生成：先检索相关文档，再生成回答。"
      trainer add Vocab "la casa" "the house" --tags spanish,a1 --json
    """
    added = context.collection().curation.add(deck, front, back, parse_tags(tags))
    if as_json:
        emit_json(added.as_json())
        return
    click.echo(f"added card {added.card_id} to {printable(added.deck)}")


@cli.command()
@click.argument("card_ids", nargs=-1, required=True, type=CARD_ID)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def forget(context: Context, card_ids: tuple[int, ...], as_json: bool) -> None:
    """Reset cards to new; their past answers stay in the review log.

    \b
    Examples:
      trainer forget 42
      trainer forget 42 43 --json
    """
    forgotten = context.collection().curation.forget(card_ids)
    if as_json:
        emit_json(forgotten.as_json())
        return
    line = f"reset {plural(len(forgotten.changed), 'card')} to new"
    if already := len(forgotten.asked) - len(forgotten.changed):
        line += f"; {plural(already, 'card')} {'was' if already == 1 else 'were'} new already"
    click.echo(line)


@cli.command()
@click.argument("card_ids", nargs=-1, required=True, type=CARD_ID)
@click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def delete(context: Context, card_ids: tuple[int, ...], yes: bool, as_json: bool) -> None:
    """Delete cards with their review history (asks first unless --yes).

    A card from a deck file comes back if that file changes and is imported again: suspend it instead
    to keep it out of reviews for good.

    \b
    Examples:
      trainer delete 42
      trainer delete 42 43 --yes --json
    """
    curation = context.collection().curation
    fronts = [one_line(curation.card(card_id).front) for card_id in dict.fromkeys(card_ids)]  # ids checked
    if not yes:
        for card_id, front in zip(dict.fromkeys(card_ids), fronts, strict=True):
            click.echo(f"{card_id:>6}  {front}", err=True)
        click.confirm(f"Delete {with_history(len(fronts))}?", abort=True, err=True)
    deleted = curation.delete(card_ids)
    if as_json:
        emit_json(deleted.as_json())
        return
    click.echo(f"deleted {with_history(len(deleted.changed))}")
