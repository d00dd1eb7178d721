"""The command line: a thin click layer over the domain. A bare ``trainer`` opens the review TUI."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, TypeVar

import click

from trainer.clock import Clock, make_clock, resolve_zone
from trainer.config import Settings, load_settings
from trainer.errors import TrainerError
from trainer.paths import config_path, default_db_path
from trainer.scheduler.days import review_day
from trainer.textsafe import json_safe, printable

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Context:
    """What every command shares: where the database is, the settings, the zone and the clock."""

    db_path: Path
    settings: Settings
    zone: tzinfo
    clock: Clock
    _conn: sqlite3.Connection | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return review_day(self.clock(), self.zone, self.settings.day_start_hour)

    def conn(self) -> sqlite3.Connection:
        """The open database; on first use of an empty one, the bundled decks are imported."""
        if self._conn is None:
            from trainer.store.db import connect

            self._conn = connect(self.db_path)
            if self._conn.execute("SELECT 1 FROM decks LIMIT 1").fetchone() is None:
                import_bundled_decks(self._conn)
        return self._conn

    def deck_id(self, name: str | None) -> int | None:
        from trainer.store.decks import find_deck_id

        return None if name is None else find_deck_id(self.conn(), name)


def import_bundled_decks(conn: sqlite3.Connection) -> None:
    """Load the decks that ship with the trainer into an empty database, all in one transaction."""
    from trainer.decks.bundled import load_bundled_decks
    from trainer.store.db import transaction
    from trainer.store.decks import upsert_deck

    decks = load_bundled_decks()
    with transaction(conn):
        for deck in decks:
            upsert_deck(conn, deck)


class TrainerGroup(click.Group):
    """Turns every expected failure into one line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrainerError as error:
            raise click.ClickException(str(error)) from error
        except sqlite3.Error as error:
            from trainer.store.db import describe

            obj = ctx.find_object(Context)
            where = f"{obj.db_path}: " if obj else ""
            raise click.ClickException(f"{where}{describe(error)}") from error


def emit_json(data: object) -> None:
    """Print ``data`` as JSON, with C1 control characters escaped so a terminal never acts on them."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    click.echo(json_safe(text))


pass_context = click.make_pass_decorator(Context)


@click.group(
    cls=TrainerGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Database file [env TRAINER_DB]."
)
@click.option("--now", envvar="TRAINER_NOW", help="Pin the current time, ISO 8601 [env TRAINER_NOW].")
@click.option(
    "--tz", "zone_name", envvar="TRAINER_TZ", help="Time zone, e.g. Europe/Berlin [env TRAINER_TZ]."
)
@click.option("--day-start-hour", type=int, help="Local hour a new review day starts (default 4).")
@click.option("--new-per-day", type=int, help="New cards per day (default 20).")
@click.option("--reviews-per-day", type=int, help="Reviews per day (default 200).")
@click.option("--simple-grading/--six-grades", default=None, help="Grade with forgot/hard/good/easy.")
@click.version_option(package_name="trainer")
@click.pass_context
def cli(
    ctx: click.Context,
    db_path: Path | None,
    now: str | None,
    zone_name: str | None,
    day_start_hour: int | None,
    new_per_day: int | None,
    reviews_per_day: int | None,
    simple_grading: bool | None,
) -> None:
    """A spaced-repetition flashcard trainer for the terminal.

    Run with no command to open the review screen.

    \b
    Examples:
      trainer                          # review today's cards
      trainer decks                    # decks with new / due counts
      trainer due --json | jq length   # today's queue for scripts
      trainer grade 42 4               # answer card 42 with quality 4
      trainer --now 2026-12-01T09:00 due
    """
    settings = load_settings(config_path()).overridden(
        day_start_hour=day_start_hour,
        new_per_day=new_per_day,
        reviews_per_day=reviews_per_day,
        timezone=zone_name,
        grading=None if simple_grading is None else ("simple" if simple_grading else "sm2"),
    )
    zone = resolve_zone(settings.timezone)
    ctx.obj = Context(db_path or default_db_path(), settings, zone, make_clock(now, zone))
    ctx.call_on_close(lambda: ctx.obj._conn and ctx.obj._conn.close())
    if ctx.invoked_subcommand is None:
        ctx.invoke(review)


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

    conn = context.conn()
    deck_id = context.deck_id(deck)
    TrainerApp(conn, context.settings, context.zone, context.clock, deck_id=deck_id).run()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_context
def decks(context: Context, as_json: bool) -> None:
    """List decks with today's new, drill and due counts.

    \b
    Example:
      trainer decks --json
    """
    from trainer.store.decks import deck_counts

    rows = deck_counts(context.conn(), context.today())
    if as_json:
        emit_json([row.__dict__ for row in rows])
        return
    width = max([len("deck"), *(len(row.name) for row in rows)])
    click.echo(f"{'deck':<{width}}  {'new':>5}  {'drill':>5}  {'due':>5}  {'total':>6}")
    for row in rows:
        name = printable(row.name)
        click.echo(f"{name:<{width}}  {row.new:>5}  {row.drill:>5}  {row.due:>5}  {row.total:>6}")


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
    from trainer.scheduler.queue import Limits
    from trainer.store.cards import get_cards
    from trainer.store.due import day_queue

    conn = context.conn()
    settings = context.settings
    queue = day_queue(
        conn, context.today(), Limits(settings.new_per_day, settings.reviews_per_day), context.deck_id(deck)
    )
    cards = get_cards(conn, [entry.card_id for entry in queue])
    items = [
        {
            "id": entry.card_id,
            "deck": cards[entry.card_id].deck,
            "front": cards[entry.card_id].front,
            "back": cards[entry.card_id].back,
            "kind": str(entry.kind),
            "tags": list(cards[entry.card_id].tags),
            "source": cards[entry.card_id].source,
            "due": cards[entry.card_id].schedule.due,
        }
        for entry in queue
    ]
    if as_json:
        emit_json(items)
        return
    if not items:
        click.echo("Nothing due today.")
    for item in items:
        front = printable(str(item["front"])).replace("\n", " ")
        click.echo(f"{item['id']:>6}  {item['kind']:<6}  {printable(str(item['deck']))}  {front}")


@cli.command()
@click.argument("card_id", type=int)
@click.argument("quality", type=click.IntRange(0, 5))
@click.option("--json", "as_json", is_flag=True, help="Print the new state as JSON.")
@pass_context
def grade(context: Context, card_id: int, quality: int, as_json: bool) -> None:
    """Answer card CARD_ID with QUALITY 0-5 at the current (or --now) time.

    0 blackout, 1 wrong but remembered, 2 wrong but easy to recall, 3 right with effort,
    4 right after hesitation, 5 perfect.

    \b
    Examples:
      trainer grade 42 5
      trainer --now 2026-12-01T09:00 grade 42 3 --json
    """
    from trainer.store.reviews import answer_card

    now = context.now()
    answered = answer_card(context.conn(), card_id, quality, now, context.today())
    state = answered.after.state
    result = {
        "id": card_id,
        "quality": quality,
        "kind": str(answered.kind),
        "repetitions": state.repetitions,
        "easiness": str(state.easiness),
        "interval": state.interval,
        "due": answered.after.due,
        "again_today": answered.after.drill_day is not None,
    }
    if as_json:
        emit_json(result)
        return
    again = " (again today)" if result["again_today"] else ""
    click.echo(
        f"card {card_id}: {answered.kind}, repetitions {state.repetitions}, easiness {state.easiness}, "
        f"interval {state.interval}d, next due {answered.after.due}{again}"
    )


@cli.command()
@click.option("--repair", is_flag=True, help="Rewrite disagreeing cards from their log.")
@pass_context
def check(context: Context, repair: bool) -> None:
    """Replay every card's review log and report cards whose stored schedule disagrees.

    Exits 1 when a disagreement is found and not repaired.

    \b
    Examples:
      trainer check
      trainer check --repair
    """
    from trainer.store.cards import schedule_columns
    from trainer.store.reviews import check as check_log

    found = check_log(context.conn(), repair=repair)
    for item in found:
        stored, replayed = schedule_columns(item.stored), schedule_columns(item.replayed)
        diffs = ", ".join(
            f"{k} {stored[k]} (log gives {replayed[k]})" for k in stored if stored[k] != replayed[k]
        )
        click.echo(f"card {item.card_id}: {diffs}")
    total = context.conn().execute("SELECT COUNT(*) FROM cards").fetchone()[0]
    if not found:
        click.echo(f"ok: {total} cards agree with their review log")
    elif repair:
        click.echo(f"repaired {len(found)} of {total} cards from their review log")
    else:
        click.echo(
            f"{len(found)} of {total} cards disagree with their review log; run `trainer check --repair`"
        )
        sys.exit(1)


@cli.group()
def export() -> None:
    """Write decks, stats or the review log to files.

    \b
    Examples:
      trainer export deck AI -o ai.yaml
      trainer export stats --format json -o stats.json
    """


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("decks"),
    show_default=True, help="Folder for the YAML decks.",
)  # fmt: skip
@click.option("--report", is_flag=True, help="List every skipped line with its reason, and shared terms.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def build(sources: tuple[Path, ...], out_dir: Path, report: bool, as_json: bool) -> None:
    """Build one YAML deck per note document (Markdown or text), one card per definition.

    \b
    Examples:
      trainer build notes/*.md --out decks/
      trainer build ../shared/seeds/*.txt --report
    """
    from trainer.decks.build import build as build_decks
    from trainer.decks.build import format_report, report_data

    result = build_decks(list(sources), out_dir)
    if as_json:
        emit_json(report_data(result))
        return
    click.echo(printable(format_report(result, verbose=report)))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="trainer")
