"""The collection: the one library both front ends call, as Anki's front ends call its ``Collection``.

Opening it runs the open-time policy (migrations, the bundled decks on an empty database, the day's
backup); every operation a command or a screen offers is a method here, returning typed results. No
click and no Textual: the CLI parses and prints, the TUI draws, and both ask the collection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trainer.clock import Calendar, Clock
from trainer.config import Settings
from trainer.errors import DatabaseBusy, TrainerError
from trainer.store.cards import LEECH_TAG as LEECH_TAG  # re-exported: front ends import no store module
from trainer.store.cards import CardGone as CardGone
from trainer.store.reviews import CardResting as CardResting
from trainer.textsafe import printable

if TYPE_CHECKING:
    from trainer.curation import Curation
    from trainer.importing import ImportReport, ImportRequest, PendingImport
    from trainer.notes_sync import Added, SyncReport
    from trainer.results import BackupFile, CheckReport, DueCard, Graded, NextDue
    from trainer.session import ReviewSession
    from trainer.stats.figures import DayCount, Stats
    from trainer.stats.rows import Advance
    from trainer.store.backup import Restored
    from trainer.store.due import QueueCounts
    from trainer.store.notes import NoteRecord
    from trainer.store.reviews import Answered as Answered

BackupStep = Callable[[], str | None]
"""The day's backup as a step any thread can run; returns a warning when it failed."""


def database_error(error: BaseException) -> str | None:
    """One line saying what went wrong for a database error (busy, damaged, read-only, a full disk);
    None for any other error. Front ends show it without knowing the database's own exceptions."""
    if not isinstance(error, sqlite3.Error):
        return None
    from trainer.store.db import describe

    return describe(error)


class Collection:
    """One open trainer database with the user's settings, zone and clock."""

    def __init__(self, conn: sqlite3.Connection, path: Path, settings: Settings, zone: tzinfo, clock: Clock):
        self.conn = conn
        self.path = path
        self.settings = settings
        self.calendar = settings.calendar(zone)
        self.clock = clock
        self.notices: list[str] = []
        """Warnings from opening (a backup that failed), for the front end to show."""

    @classmethod
    def open(
        cls, path: Path, settings: Settings, zone: tzinfo, clock: Clock, *, back_up: bool = True
    ) -> Collection:
        """Open (creating and migrating) the database; a new one gets the bundled decks (one whose
        decks were all deleted stays empty).

        The day's first open backs the database up, unless ``back_up`` is False: the TUI runs
        ``daily_backup_step()`` in a thread after its first frame instead.
        """
        from trainer.store.db import connect

        new = not path.exists() or path.stat().st_size == 0
        collection = cls(connect(path), path, settings, zone, clock)
        if new and collection.conn.execute("SELECT 1 FROM decks LIMIT 1").fetchone() is None:
            collection._import_bundled_decks()
        if back_up and (step := collection.daily_backup_step()) is not None and (warning := step()):
            collection.notices.append(warning)
        return collection

    def close(self) -> None:
        self.conn.close()

    def _import_bundled_decks(self) -> None:
        from trainer.decks.bundled import load_bundled_decks
        from trainer.store.db import transaction
        from trainer.store.decks import upsert_deck

        decks = load_bundled_decks()
        with transaction(self.conn):
            for deck in decks:
                upsert_deck(self.conn, deck)

    # Time ----------------------------------------------------------------------------------------------

    @property
    def zone(self) -> tzinfo:
        return self.calendar.zone

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.calendar.day(self.clock())

    # Decks and today's queue --------------------------------------------------------------------------

    def deck_id(self, name: str | None) -> int | None:
        """The id of the deck called ``name`` (None for all decks); TrainerError if there is none."""
        from trainer.store.decks import find_deck_id

        return None if name is None else find_deck_id(self.conn, name)

    def deck_name(self, deck_id: int) -> str | None:
        from trainer.store.decks import list_decks

        return next((deck.name for deck in list_decks(self.conn) if deck.id == deck_id), None)

    def decks_today(self) -> list[QueueCounts]:
        """The deck list: 'all decks' first (``deck_id`` None), then every deck by name, with what a
        session started now would show."""
        from trainer.store.due import deck_counts

        return deck_counts(self.conn, self.today(), self.settings.limits)

    def next_due(self) -> NextDue | None:
        """The first day after today with reviews due or new cards to learn, and how many; None if never."""
        from trainer.results import NextDue  # off start-up, as are the results below
        from trainer.store.due import first_due_after, new_for_a_fresh_day

        today = self.today()
        tomorrow = today + timedelta(days=1)
        found = first_due_after(self.conn, today)
        due = NextDue(*found) if found else None
        new = new_for_a_fresh_day(self.conn, self.settings.limits)
        if not new:
            return due
        if due is None or due.day > tomorrow:
            return NextDue(tomorrow, new)
        return NextDue(tomorrow, due.cards + new)

    def due(self, deck: str | None = None) -> list[DueCard]:
        """Today's queue: due reviews, then new cards, then cards to drill."""
        from trainer.results import DueCard
        from trainer.store.cards import get_cards
        from trainer.store.due import day_queue

        queue = list(day_queue(self.conn, self.today(), self.settings.limits, self.deck_id(deck)))
        cards = get_cards(self.conn, [entry.card_id for entry in queue])
        return [
            DueCard(
                entry.card_id,
                card.deck,
                card.front,
                card.back,
                str(entry.kind),
                card.tags,
                card.source,
                card.schedule.due,
            )
            for entry in queue
            if (card := cards.get(entry.card_id)) is not None
        ]

    def session(self, deck_id: int | None = None) -> ReviewSession:
        """A review session on today's cards of the deck (or all decks)."""
        from trainer.session import ReviewSession

        return ReviewSession(self.conn, self.settings, self.zone, self.now(), deck_id)

    @property
    def curation(self) -> Curation:
        """Browsing and curating cards and decks by hand: search, edit, add, forget, delete, move, flag."""
        from trainer.curation import Curation

        return Curation(self)

    # Answering and flags ------------------------------------------------------------------------------

    def grade(self, card_id: int, quality: int) -> Graded:
        """Answer a card with an SM-2 quality now; saved before this returns."""
        from trainer.results import Graded
        from trainer.store.reviews import answer_card

        now = self.now()
        answered = answer_card(self.conn, card_id, quality, now, self.calendar.day(now))
        return Graded(card_id, quality, answered.kind, answered.after)

    @contextmanager
    def brief_lock_wait(self, milliseconds: int = 100) -> Iterator[None]:
        """Writes inside give up after a moment (not the usual seconds) when another process holds the
        write lock, raising DatabaseBusy, so an interactive front end can say so and retry later."""
        from trainer.store.cards import brief_lock_wait, is_busy

        try:
            with brief_lock_wait(self.conn, milliseconds):
                yield
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise DatabaseBusy(str(error)) from error
            raise

    # The log ------------------------------------------------------------------------------------------

    def check(self, repair: bool = False) -> CheckReport:
        """Replay every card's log; the cards whose stored schedule disagrees (rewritten if ``repair``)."""
        from trainer.results import CheckReport
        from trainer.store.reviews import check

        found = check(self.conn, repair=repair)
        return CheckReport(found, self.card_count(), repair)

    def card_count(self) -> int:
        from trainer.store.counts import card_count

        return card_count(self.conn)

    # Stats and exports --------------------------------------------------------------------------------

    def stats(self, deck: str | None = None, days: int = 30) -> Stats:
        from trainer.store.stats_queries import compute_stats

        return compute_stats(self.conn, self.today(), days, self.deck_id(deck))

    def answers_per_day(self, first: date, last: date) -> list[DayCount]:
        from trainer.store.stats_queries import answers_per_day

        return answers_per_day(self.conn, first, last)

    def export_size(self) -> int:
        """Records a stats export writes (cards plus reviews), for a progress bar's length."""
        from trainer.store.export_rows import record_count

        return record_count(self.conn)

    def export_stats_csv(self, folder: Path, advance: Advance) -> dict[str, int]:
        """``cards.csv`` and ``reviews.csv`` into ``folder``; records written per table."""
        from trainer.store.export_rows import write_csv_dir

        return write_csv_dir(self.conn, self.zone, folder, advance)

    def export_stats_json(self, target: Path | TextIO, days: int, advance: Advance) -> dict[str, int]:
        """The figures, every card and the whole log as one JSON document, into a file or a stream."""
        from trainer.store.export_rows import write_json, write_json_file

        if isinstance(target, Path):
            return write_json_file(self.conn, self.zone, self.today(), target, days, advance)
        return write_json(self.conn, self.zone, self.today(), target, days, advance)

    def review_count(self) -> int:
        from trainer.store.counts import review_count

        return review_count(self.conn)

    def export_reviews(self, target: Path | TextIO, advance: Advance) -> int:
        """The review log as the CSV the FSRS optimizer reads; answers written."""
        from trainer.store.export_rows import write_fsrs, write_fsrs_file

        if isinstance(target, Path):
            return write_fsrs_file(self.conn, target, advance)
        return write_fsrs(self.conn, target, advance)

    def export_deck(self, name: str, output: Path) -> int:
        """Write a deck as YAML or CSV/TSV (by extension), ids kept so it imports back; cards written."""
        from trainer.store.export import stored_deck

        suffix = output.suffix.lower()
        if suffix not in (".yaml", ".yml", ".csv", ".tsv"):
            raise TrainerError(f"{output}: write .yaml, .yml, .csv or .tsv")
        found = stored_deck(self.conn, name)
        if suffix in (".yaml", ".yml"):
            from trainer.decks.yaml_io import write_deck

            write_deck(found, output)
        else:
            from trainer.decks.importers.csv_tsv import dump_table
            from trainer.safe_files import atomic_files

            with atomic_files([output]) as (stream,):
                stream.write(dump_table(found, "\t" if suffix == ".tsv" else ","))
        return len(found.cards)

    # Importing ----------------------------------------------------------------------------------------

    def import_pending(
        self, pending: PendingImport, *, dry_run: bool = False, advance: Advance | None = None
    ) -> ImportReport:
        """Import what ``read_imports`` read, all or nothing, after a backup (nothing when ``dry_run``)."""
        from trainer.importing import run_import

        return run_import(self.conn, pending, self.calendar, self.now(), dry_run=dry_run, advance=advance)

    # Notes --------------------------------------------------------------------------------------------

    def add_notes(self, paths: list[Path]) -> list[Added]:
        from trainer.notes_sync import add_notes

        return add_notes(self.conn, paths)

    def remove_notes(self, path: Path) -> list[str]:
        from trainer.notes_sync import remove_notes

        return remove_notes(self.conn, path)

    def registered_notes(self) -> list[NoteRecord]:
        from trainer.store.notes import registered_notes

        return registered_notes(self.conn)

    def has_notes(self) -> bool:
        from trainer.store.notes import has_notes

        return has_notes(self.conn)

    def sync_notes(self, dry_run: bool = False, overwrite: bool = False) -> SyncReport:
        """Bring the registered notes' decks in step with their files (``overwrite``: see ``sync``)."""
        from trainer.notes_sync import sync

        return sync(self.conn, self.now(), dry_run=dry_run, overwrite=overwrite)

    def sync_notes_step(self) -> Callable[[], SyncReport]:
        """The sync as a step a thread can run: it opens its own connection, so may run beside a session.
        A database that is busy or read-only raises TrainerError (the next start tries again)."""
        path, now = self.path, self.now()

        def step() -> SyncReport:
            from trainer.notes_sync import sync_database  # the extractor loads in the thread too

            try:
                return sync_database(path, now)
            except sqlite3.Error as error:
                raise TrainerError(str(error)) from error

        return step

    # Backups ------------------------------------------------------------------------------------------

    def daily_backup_step(self) -> BackupStep | None:
        """The day's backup as a step any thread can run (it opens its own connections); None when the
        database cannot be written, so cannot change."""
        from trainer.store.db import is_read_only

        if is_read_only(self.conn):
            return None
        path, day, now = self.path, self.today(), self.now()

        def step() -> str | None:
            from trainer.store.backup import daily_backup

            try:
                daily_backup(path, day, now)
            except TrainerError as error:
                return f"automatic backup skipped: {printable(str(error))}"
            return None

        return step


def read_imports(db_path: Path, request: ImportRequest, calendar: Calendar) -> PendingImport:
    """Read the files to import (files unchanged since their last import are skipped).

    A module function, not a method: read before the collection opens, a file that fails to parse
    leaves no trace, not even the day's first backup.
    """
    from trainer.importing import read_files

    return read_files(db_path, request, calendar)


def back_up(db_path: Path, now: datetime, output: Path | None = None) -> BackupFile:
    """Back up now with SQLite's backup API: into ``output``, or a new file in backups/.

    A module function, not a method: the file is copied as it is, not opened as a collection (no
    migration, no bundled decks, no daily backup).
    """
    from trainer.results import BackupFile
    from trainer.store.backup import export_backup, take_backup

    if not db_path.is_file():
        raise TrainerError(f"{db_path}: no database here; nothing to back up")
    path = take_backup(db_path, now) if output is None else export_backup(db_path, output)
    return BackupFile(path, path.stat().st_size)


def restore(db_path: Path, source: Path, now: datetime) -> Restored:
    """Replace the database at ``db_path`` with ``source`` after backing it up (see ``store.backup``).

    A module function, not a method: a restore must not hold the database open while replacing it.
    """
    from trainer.store.backup import restore as restore_database

    return restore_database(db_path, source, now)
