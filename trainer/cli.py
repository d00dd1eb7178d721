"""The command line: a thin click layer over the domain. A bare ``trainer`` opens the review TUI."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from trainer.clock import Clock, make_clock, resolve_zone
from trainer.config import Settings, load_settings
from trainer.errors import TrainerError
from trainer.paths import config_path, default_db_path
from trainer.scheduler.days import review_day
from trainer.textsafe import json_safe, printable
from trainer.words import plural

F = TypeVar("F", bound=Callable[..., Any])
CARD_ID = click.IntRange(1, 2**63 - 1)
"""Card ids are SQLite integers: a larger number is a usage error, not an overflow in the store."""


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

    def conn(self, backup: bool = True) -> sqlite3.Connection:
        """The open database; on first use of an empty one, the bundled decks are imported. The day's
        first open backs it up at once unless ``backup`` is False (the review screen does it later)."""
        if self._conn is None:
            from trainer.store.db import connect

            self._conn = connect(self.db_path)
            if self._conn.execute("SELECT 1 FROM decks LIMIT 1").fetchone() is None:
                import_bundled_decks(self._conn)
            if backup:
                daily_backup(self)
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
            raise click.ClickException(printable(str(error))) from error  # it may quote card text
        except sqlite3.Error as error:
            from trainer.store.db import describe

            obj = ctx.find_object(Context)
            where = f"{obj.db_path}: " if obj else ""
            raise click.ClickException(printable(f"{where}{describe(error)}")) from error


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
    from trainer.collection import Collection
    from trainer.tui.app import TrainerApp

    conn = context.conn(backup=False)  # the screen backs up after its first frame, in a thread
    collection = Collection(conn, context.db_path, context.settings, context.zone, context.clock)
    app = TrainerApp(collection, context.deck_id(deck), settings_file=config_path())
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
    from trainer.store.due import deck_counts

    conn, today = context.conn(), context.today()
    rows = deck_counts(conn, today, context.settings.limits)[1:]  # the decks, without 'all decks'
    if as_json:
        emit_json(
            [
                {"id": c.deck_id, "name": c.name, "new": c.new, "drill": c.drill, "due": c.due}
                | {"total": c.total}
                for c in rows
            ]
        )
        return
    from rich.cells import cell_len

    names = [printable(c.name) for c in rows]
    width = max([len("deck"), *(cell_len(name) for name in names)])
    click.echo(f"{'deck':<{width}}  {'new':>5}  {'drill':>5}  {'due':>5}  {'total':>6}")
    for name, c in zip(names, rows, strict=True):
        padding = " " * (width - cell_len(name))  # CJK characters take two columns
        click.echo(f"{name}{padding}  {c.new:>5}  {c.drill:>5}  {c.due:>5}  {c.total:>6}")


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
    from trainer.store.cards import get_cards
    from trainer.store.due import day_queue

    conn = context.conn()
    queue = list(day_queue(conn, context.today(), context.settings.limits, context.deck_id(deck)))
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
@click.argument("card_id", type=CARD_ID)
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
        "easiness": float(state.easiness),
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
    from trainer.store.curation import set_flags
    from trainer.store.events import EventKind

    change = EventKind.UNSUSPEND if bring_back else EventKind.SUSPEND
    set_flags(context.conn(), list(card_ids), change, context.now(), context.today())
    state = "back in reviews" if bring_back else "suspended"
    click.echo(f"{len(card_ids)} {'card' if len(card_ids) == 1 else 'cards'} {state}")


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
    from trainer.store.reviews import check as check_log

    found = check_log(context.conn(), repair=repair)
    for item in found:
        diffs = ", ".join(f"{name} {held} (log gives {given})" for name, held, given in item.differences())
        click.echo(f"card {item.card_id}: {diffs}")
    total = context.conn().execute("SELECT COUNT(*) FROM cards").fetchone()[0]
    if not found:
        click.echo(f"ok: {plural(total, 'card')} agree with their review log")
    elif repair:
        click.echo(f"repaired {len(found)} of {plural(total, 'card')} from their review log")
    else:
        click.echo(
            f"{len(found)} of {plural(total, 'card')} disagree with their review log; "
            "run `trainer check --repair`"
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
@click.option("--report", is_flag=True, help="Skipped candidates and why, cards by form, shared terms.")
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


# Stats and exports (trainer.stats) -----------------------------------------------------------------


def _progress_bar(length: int, label: str = "exporting") -> Any:
    """A progress bar on stderr while it is a terminal; hidden (not even a label) when piped."""
    return click.progressbar(length=length, label=label, file=sys.stderr, hidden=not sys.stderr.isatty())


@cli.command()
@click.option("--deck", help="Only this deck.")
@click.option(
    "--days",
    type=click.IntRange(1, 36_500),
    default=30,
    show_default=True,
    help="Review days the period covers.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_context
def stats(context: Context, deck: str | None, days: int, as_json: bool) -> None:
    """Show progress: cards by state, answers per day, streaks, retention, easiness, forecast, decks.

    Days are review days (they begin at the day-start hour). Retention is the share of the day's first
    grades of already scheduled cards that were 3 or better; young cards have an interval under 21
    days, mature ones 21 or more. A streak counts days with at least one answer.

    \b
    Examples:
      trainer stats
      trainer stats --deck AI --days 7
      trainer stats --json | jq .streak.current
    """
    from rich.console import Console

    from trainer.stats.report import report
    from trainer.store.stats_queries import compute_stats

    figures = compute_stats(context.conn(), context.today(), days, context.deck_id(deck))
    if as_json:
        emit_json({"deck": deck} | figures.as_json())
        return
    Console(highlight=False).print(report(figures, deck))


@export.command("stats")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), required=True, help="Output format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="csv: folder for cards.csv and reviews.csv (created). json: file; stdout without it.",
)
@click.option("--days", type=click.IntRange(1, 36_500), default=30, show_default=True, help="Summary period.")
@pass_context
def export_stats(context: Context, fmt: str, output: Path | None, days: int) -> None:
    """Export the figures, every card and the whole review log.

    \b
    csv: cards.csv   deck, card_id, front, state, easiness, interval, due_day,
                     repetitions, lapses, last_review, last_review_utc
         reviews.csv time, time_utc, day, card_id, deck, quality, kind,
                     interval_after, easiness_after, duration_ms
    json: {"summary": figures as in `stats --json`, "cards": [...], "reviews": [...]}
    Times are ISO 8601 in your zone with its offset; the *_utc columns hold the same
    instants in UTC (...Z), for pandas' parse_dates in a zone with summer time.
    Files are UTF-8 and replaced atomically.

    \b
    Examples:
      trainer export stats --format csv -o stats/
      trainer export stats --format json -o stats.json
      trainer export stats --format json | jq '.reviews | length'
    """
    from trainer.store.export_rows import record_count, write_csv_dir, write_json, write_json_file

    conn = context.conn()
    if fmt == "csv" and output is None:
        raise click.UsageError("--format csv writes two files: give a folder with -o DIR")
    with _progress_bar(record_count(conn)) as bar:
        if fmt == "csv" and output is not None:
            written = write_csv_dir(conn, context.zone, output, bar.update)
        elif output is not None:
            written = write_json_file(conn, context.zone, context.today(), output, days, bar.update)
        else:
            write_json(conn, context.zone, context.today(), sys.stdout, days, bar.update)
            return
    cards, answers = plural(written["cards"], "card"), plural(written["reviews"], "review")
    if fmt == "csv":
        where = f"{cards} to {output / 'cards.csv'} and {answers} to {output / 'reviews.csv'}"
    else:
        where = f"the figures, {cards} and {answers} to {output}"
    click.echo(printable(f"wrote {where}"))


@export.command("reviews")
@click.option("--format", "fmt", type=click.Choice(["fsrs"]), default="fsrs", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File; stdout without it."
)
@pass_context
def export_reviews(context: Context, fmt: str, output: Path | None) -> None:
    """Export the review log as the CSV the FSRS optimizer reads.

    \b
    Columns: card_id, review_time (UTC ms since 1970), review_rating,
             review_state, review_duration (ms; 0 when not recorded).
    Ratings: grades 0, 1, 2 -> 1 Again; 3 -> 2 Hard; 4 -> 3 Good; 5 -> 4 Easy.
    States:  0 New (a card's first answer), 2 Review (two or more successful
             repetitions in a row), 3 Relearning (fewer, after a lapse),
             1 Learning (fewer, never lapsed).
    Same-day drills are included as short-term reviews; imported schedules are
    not (they have no grade). Give the optimizer your zone and day-start hour.

    \b
    Examples:
      trainer export reviews --format fsrs -o revlog.csv
      python -m fsrs_optimizer revlog.csv
    """
    from trainer.store.export_rows import write_fsrs, write_fsrs_file

    conn = context.conn()
    total = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    with _progress_bar(total) as bar:
        if output is None:
            write_fsrs(conn, sys.stdout, bar.update)
            return
        written = write_fsrs_file(conn, output, bar.update)
    click.echo(printable(f"wrote {plural(written, 'answer')} to {output}"))


# Importing and exporting decks (trainer.decks.importers, trainer.store.imports) ---------------------


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--deck", "deck_name", help="Put every card in this deck (default: the name each file gives).")
@click.option("--dry-run", is_flag=True, help="Show what would be added, updated and removed; write nothing.")
@click.option("--encoding", help="Text encoding, e.g. gbk (default: UTF-8 with or without BOM, or GB18030).")
@click.option("--with-progress", is_flag=True, help="Carry Anki review history and schedules over (.apkg).")
@click.option(
    "--columns",
    metavar="ROLE=N,...",
    help="Which column (from 1) is the id, front, back, tags of a CSV/TSV/Anki text file; others are"
    " left out. E.g. front=2,back=4,tags=6 (default: a header row, else front then back).",
)
@click.option("--prune", is_flag=True, help="Delete cards the files no longer have, with their history.")
@click.option("--yes", "-y", is_flag=True, help="Prune without asking.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_context
def import_(
    context: Context,
    files: tuple[Path, ...],
    deck_name: str | None,
    dry_run: bool,
    encoding: str | None,
    with_progress: bool,
    columns: str | None,
    prune: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """Import decks: CSV, TSV, Anki text (.txt) or package (.apkg/.colpkg), Markdown notes, YAML.

    The format comes from the extension and content. Cards are matched by id: importing a file
    again changes nothing, and an edited file updates its changed cards and keeps their progress.
    Cards the files no longer have are reported and kept unless --prune. All files go in one
    transaction: one bad row and nothing is written. The database is backed up before any change.

    \b
    Examples:
      trainer import vocab.csv --deck Vocab
      trainer import hsk1.txt --encoding gbk --dry-run
      trainer import collection.apkg --with-progress
      trainer import vocab.tsv --prune --yes --json
      trainer import anki-export.txt --columns front=2,back=4,tags=6
    """
    from trainer.cli_notes import import_changes_data
    from trainer.decks.importers.csv_tsv import parse_columns
    from trainer.decks.importers.detect import load_file
    from trainer.decks.importers.model import ImportOptions, merge_same_name
    from trainer.store.import_sources import file_digest, unchanged_decks
    from trainer.store.imports import Source, import_decks

    zone, hour = context.zone, context.settings.day_start_hour
    roles = parse_columns(columns) if columns is not None else None
    options = ImportOptions(
        lambda at: review_day(at, zone, hour), deck_name, encoding, with_progress, columns=roles
    )
    read_with = repr((deck_name, encoding, with_progress, sorted((roles or {}).items()), str(zone), hour))
    # Progress and pruning depend on more than the file: those imports read it every time.
    digests = {} if with_progress or prune else {path: file_digest(path, read_with) for path in files}
    known = unchanged_decks(context.db_path, {path: digest for path, digest in digests.items() if digest})
    found: list[ImportedDeck] = []
    sources: list[Source] = []
    for path in files:
        if path in known:
            continue
        decks = load_file(path, options)
        digest = digests.get(path)
        found += decks
        if digest is not None and not any(item.media_skipped or item.skipped for item in decks):
            held = tuple((item.deck.name, len(item.deck.cards)) for item in decks)
            sources.append(Source(path, digest, held))
    loaded = merge_same_name(found)
    unchanged = [changes for path in files for changes in known.get(path, [])]
    skipped_files = [str(path) for path in files if path in known]
    conn, now, today = context.conn(), context.now(), context.today()
    if prune and not dry_run and not yes:
        preview = import_decks(conn, loaded, now, today, dry_run=True)
        doomed = sum(len(deck.changes.missing) for deck in preview.decks)
        if doomed:
            _echo_import(preview, loaded, err=True)
            click.confirm(f"Delete {plural(doomed, 'card')} and their review history?", abort=True, err=True)
    total = sum(len(item.deck.cards) for item in loaded)
    with _progress_bar(total, "importing") as bar:
        result = import_decks(
            conn, loaded, now, today, dry_run=dry_run, prune=prune, advance=bar.update,
            sources=sources, unchanged=unchanged,
        )  # fmt: skip
    if as_json:
        emit_json(
            {
                "dry_run": result.dry_run,
                "unchanged_skipped": skipped_files,
                "backup": str(result.backup) if result.backup else None,
                "decks": [
                    {
                        "deck": deck.changes.deck,
                        "added": len(deck.changes.added),
                        "updated": len(deck.changes.updated),
                        "unchanged": deck.changes.unchanged,
                        "missing": len(deck.changes.missing),
                        "removed": deck.removed,
                        "progress_carried": deck.progress_carried,
                        "reviews_carried": deck.reviews_carried,
                        "progress_kept": deck.progress_kept,
                        "changed_cards": import_changes_data(deck.changes, loaded) if result.dry_run else [],
                    }
                    for deck in result.decks
                ],
                "media_skipped": sum(item.media_skipped for item in loaded),
                "skipped": [line for item in loaded for line in item.skipped],
            }
        )
        return
    for name in skipped_files:
        click.echo(f"{printable(name)}: unchanged: skipped")
    _echo_import(result, loaded)


if TYPE_CHECKING:
    from trainer.decks.importers.model import ImportedDeck
    from trainer.store.imports import ImportResult


def _echo_import(result: ImportResult, loaded: list[ImportedDeck], err: bool = False) -> None:
    """The import's outcome for people: one line per deck, then what was carried, skipped, backed up."""
    from trainer.cli_notes import echo_import_changes

    would = "would be " if result.dry_run else ""
    for deck in result.decks:
        changes = deck.changes
        line = (
            f"{printable(changes.deck)}: {len(changes.added)} {would}added,"
            f" {len(changes.updated)} {would}updated, {changes.unchanged} unchanged"
        )
        if deck.removed:
            line += f", {deck.removed} {would}removed"
        elif changes.missing:
            line += f", {len(changes.missing)} no longer in the files (kept; --prune deletes them)"
        click.echo(line, err=err)
        if result.dry_run:
            echo_import_changes(changes, loaded, err=err)
        for front in deck.missing_fronts:
            click.echo(f"  missing: {printable(front).replace(chr(10), ' ')}", err=err)
        if deck.progress_carried or deck.progress_kept:
            click.echo(
                f"  progress {would}carried over for {plural(deck.progress_carried, 'card')}"
                f" ({plural(deck.reviews_carried, 'past answer')});"
                f" {plural(deck.progress_kept, 'card')} keep the progress they have here",
                err=err,
            )
    media = sum(item.media_skipped for item in loaded)
    skipped = [line for item in loaded for line in item.skipped]
    if media:
        click.echo(f"skipped {plural(media, 'media file')} (sounds, images)", err=err)
    if skipped:
        click.echo(f"skipped {plural(len(skipped), 'line')}, e.g. {printable(skipped[0])}", err=err)
    if result.backup:
        click.echo(f"backup of the database before the import: {result.backup}", err=err)
    if result.dry_run:
        click.echo("dry run: nothing was written", err=err)


@export.command("deck")
@click.argument("deck")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
    help="File to write: .yaml/.yml, .csv or .tsv.",
)  # fmt: skip
@pass_context
def export_deck(context: Context, deck: str, output: Path) -> None:
    """Write DECK as YAML or CSV/TSV (by extension), to edit and import again.

    The file keeps every card's id, so importing it again matches the cards and keeps their progress.

    \b
    Examples:
      trainer export deck AI -o ai.yaml
      trainer export deck Vocab -o vocab.csv && trainer import vocab.csv
    """
    from trainer.store.export import stored_deck

    found = stored_deck(context.conn(), deck)
    suffix = output.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from trainer.decks.yaml_io import write_deck

        write_deck(found, output)
    elif suffix in (".csv", ".tsv"):
        from trainer.decks.importers.csv_tsv import dump_table
        from trainer.safe_files import atomic_files

        with atomic_files([output]) as (stream,):
            stream.write(dump_table(found, "\t" if suffix == ".tsv" else ","))
    else:
        raise TrainerError(f"{output}: write .yaml, .yml, .csv or .tsv")
    click.echo(f"wrote {plural(len(found.cards), 'card')} of {printable(deck)} to {output}")


# Backups and restore (trainer.store.backup) ------------------------------------------------------------


def daily_backup(context: Context) -> None:
    """The first open of a review day backs the database up; a failure is a warning, never fatal."""
    step = backup_today(context)
    if step is not None and (warning := step()) is not None:
        click.echo(f"warning: {warning}", err=True)


def backup_today(context: Context) -> Callable[[], str | None] | None:
    """The day's backup as a step any thread can run (it opens its own connections), returning a
    warning when it failed; None when the database cannot be written, so cannot change."""
    from trainer.store.db import is_read_only

    if is_read_only(context.conn(backup=False)):
        return None
    db_path, day, now = context.db_path, context.today(), context.now()

    def step() -> str | None:
        from trainer.store.backup import daily_backup as take_daily

        try:
            take_daily(db_path, day, now)
        except TrainerError as error:
            return f"automatic backup skipped: {printable(str(error))}"
        return None

    return step


@cli.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the backup here (default: a new file in backups/ beside the database).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the backup's path as JSON.")
@pass_context
def backup(context: Context, output: Path | None, as_json: bool) -> None:
    """Back up the database now, with SQLite's backup API (safe while the trainer is in use).

    The trainer also keeps one backup per review day for 7 days, and one before every import,
    restore and schema upgrade, all in backups/ beside the database.

    \b
    Examples:
      trainer backup
      trainer backup -o ~/trainer-2026-11-22.db
      trainer backup --json | jq -r .backup
    """
    from trainer.store.backup import export_backup, take_backup

    if not context.db_path.is_file():
        raise TrainerError(f"{context.db_path}: no database here; nothing to back up")
    if output is None:
        path = take_backup(context.db_path, context.now())
    else:
        path = export_backup(context.db_path, output)
    if as_json:
        emit_json({"backup": str(path), "bytes": path.stat().st_size})
        return
    click.echo(printable(str(path)))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was restored as JSON.")
@pass_context
def restore(context: Context, file: Path, as_json: bool) -> None:
    """Replace the database with FILE, a trainer database or backup, after backing up the current one.

    FILE is checked first: an SQLite file that passes its integrity check, with exactly the trainer's
    schema at a version this trainer knows (no triggers, views or generated columns) and values the
    trainer could have written; if it is not, nothing changes. An older schema is upgraded. Other
    trainer processes see the old or the new database, never a mix.

    \b
    Examples:
      trainer restore ~/.local/share/trainer/backups/trainer-daily-2026-11-20.db
      trainer restore saved.db --json
    """
    from trainer.store.backup import restore as restore_database

    done = restore_database(context.db_path, file, context.now())
    if as_json:
        emit_json(
            {
                "restored": str(done.source),
                "database": str(context.db_path),
                "schema_version": done.schema_version,
                "cards": done.cards,
                "reviews": done.reviews,
                "backup": str(done.backup) if done.backup else None,
            }
        )
        return
    click.echo(
        printable(
            f"restored {plural(done.cards, 'card')} and {plural(done.reviews, 'answer')} from {done.source}"
        )
    )
    if done.backup:
        click.echo(printable(f"the database before the restore: {done.backup}"))


def main() -> None:
    """Console-script entry point.

    Output that the terminal's encoding cannot show (Chinese card text under ``PYTHONIOENCODING=latin-1``,
    a file name that is not UTF-8) is written as backslash escapes instead of ending in a traceback.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    given = [*sys.argv[1:], *(os.environ.get(name, "") for name in _ENVIRONMENT)]
    if (bad := next((value for value in given if not _is_utf8(value)), None)) is not None:
        shown = os.fsencode(bad).decode("utf-8", "backslashreplace")
        click.echo(f"Error: {printable(shown)}: not valid UTF-8; name files in UTF-8", err=True)
        sys.exit(2)
    cli(prog_name="trainer")


_ENVIRONMENT = ("TRAINER_DB", "TRAINER_CONFIG", "TRAINER_NOW", "TRAINER_TZ")
"""The environment variables the trainer reads."""


def _is_utf8(text: str) -> bool:
    """False for text holding bytes that were not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


from trainer.cli_notes import notes, sync_command  # noqa: E402  (it builds on this module's Context)

cli.add_command(notes)
cli.add_command(sync_command)
