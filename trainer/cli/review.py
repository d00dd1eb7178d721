"""Reviewing from the command line: the review screen, the deck list, today's queue, answering a card,
suspending cards and checking the log."""

from __future__ import annotations

import sys

import click

from trainer.cli.app import CARD_ID, JSON_HELP, Context, cli, emit_json, pass_context
from trainer.paths import config_path
from trainer.textsafe import printable
from trainer.words import plural


@cli.command()
@click.argument("deck", required=False)
@pass_context
def review(context: Context, deck: str | None) -> None:
    """Open the review screen, on DECK or on the deck list.

    \b
    Examples:
      trainer review
      trainer review "AI"
    """
    from trainer.tui.app import TrainerApp

    collection = context.collection(back_up=False)  # the screen backs up after its first frame
    app = TrainerApp(collection, collection.deck_id(deck), settings_file=config_path())
    app.run()
    if app.return_code:  # Textual has shown the error; a crash must not look like success
        sys.exit(app.return_code)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_context
def decks(context: Context, as_json: bool) -> None:
    """List decks with what a session today would show (new, drill, due, within the daily limits).

    \b
    Example:
      trainer decks --json
    """
    from trainer.results import deck_counts_json

    rows = context.collection().decks_today()[1:]  # the decks, without 'all decks'
    if as_json:
        emit_json([deck_counts_json(row) for row in rows])
        return
    from rich.cells import cell_len

    names = [printable(row.name) for row in rows]
    width = max([len("deck"), *(cell_len(name) for name in names)])
    click.echo(f"{'deck':<{width}}  {'new':>5}  {'drill':>5}  {'due':>5}  {'total':>6}")
    for name, row in zip(names, rows, strict=True):
        padding = " " * (width - cell_len(name))  # CJK characters take two columns
        click.echo(f"{name}{padding}  {row.new:>5}  {row.drill:>5}  {row.due:>5}  {row.total:>6}")


@cli.command()
@click.option("--deck", help="Only this deck.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list for scripts.")
@pass_context
def due(context: Context, deck: str | None, as_json: bool) -> None:
    """Show today's queue: due reviews, then new cards, then cards to drill.

    \b
    Examples:
      trainer due --deck AI
      trainer due --json | jq '.[0].front'
    """
    cards = context.collection().due(deck)
    if as_json:
        emit_json([card.as_json() for card in cards])
        return
    if not cards:
        click.echo("Nothing due today.")
    for card in cards:
        front = printable(card.front).replace("\n", " ")
        click.echo(f"{card.id:>6}  {card.kind:<6}  {printable(card.deck)}  {front}")


@cli.command()
@click.argument("card_id", type=CARD_ID)
@click.argument("quality", type=click.IntRange(0, 5))
@click.option("--json", "as_json", is_flag=True, help="Print the new state as JSON.")
@pass_context
def grade(context: Context, card_id: int, quality: int, as_json: bool) -> None:
    """Answer card CARD_ID with QUALITY 0-5 at the current (or --now) time.

    0 blackout, 1 wrong but remembered, 2 wrong but easy to recall, 3 right with effort,
    4 right after hesitation, 5 perfect. A suspended or buried card is refused; a card answered
    before its due day counts, with a note on stderr saying how early.

    \b
    Examples:
      trainer grade 42 5
      trainer --now 2026-12-01T09:00 grade 42 3 --json
    """
    collection = context.collection()
    early = collection.curation.early(card_id)
    graded = collection.grade(card_id, quality)
    if early is not None:
        days = plural(early.days, "day")
        click.echo(f"note: card {card_id} was due on {early.due}; graded {days} early", err=True)
    if as_json:
        emit_json(graded.as_json())
        return
    state, again = graded.schedule.state, " (again today)" if graded.again_today else ""
    click.echo(
        f"card {card_id}: {graded.kind}, repetitions {state.repetitions}, easiness {state.easiness}, "
        f"interval {state.interval}d, next due {graded.schedule.due}{again}"
    )


@cli.command()
@click.argument("card_ids", nargs=-1, required=True, type=CARD_ID)
@click.option("--undo", "bring_back", is_flag=True, help="Bring the cards back into reviews.")
@pass_context
def suspend(context: Context, card_ids: tuple[int, ...], bring_back: bool) -> None:
    """Take cards out of all reviews (the review screen's `!`), or bring them back with --undo.

    \b
    Examples:
      trainer suspend 42 43
      trainer suspend --undo 42
    """
    curation = context.collection().curation
    (curation.unsuspend if bring_back else curation.suspend)(list(card_ids))
    state = "back in reviews" if bring_back else "suspended"
    click.echo(f"{plural(len(card_ids), 'card')} {state}")


@cli.command()
@click.option("--repair", is_flag=True, help="Rewrite disagreeing cards from their log.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def check(context: Context, repair: bool, as_json: bool) -> None:
    """Replay every card's review log and report cards whose stored schedule disagrees.

    Exits 1 when a disagreement is found and not repaired.

    \b
    Examples:
      trainer check
      trainer check --repair
      trainer check --json | jq '.disagreements | length'
    """
    report = context.collection().check(repair)
    if as_json:
        emit_json(report.as_json())
        if report.disagreements and not repair:
            sys.exit(1)
        return
    for item in report.disagreements:
        diffs = (f"{name} {stored} (log gives {replayed})" for name, stored, replayed in item.differences())
        click.echo(f"card {item.card_id}: {', '.join(diffs)}")
    found, cards = len(report.disagreements), plural(report.cards, "card")
    if not found:
        click.echo(f"ok: {cards} agree with their review log")
    elif repair:
        click.echo(f"repaired {found} of {cards} from their review log")
    else:
        click.echo(f"{found} of {cards} disagree with their review log; run `trainer check --repair`")
        sys.exit(1)
