"""Bringing imported decks into the database: all files in one transaction, or (dry run) none.

Cards are matched by (deck, id), so importing the same file twice changes nothing and an edited file
updates its changed cards while keeping their progress. Cards the file no longer has are reported,
and deleted with their log only when pruning. Progress carried from another program enters a card's
log as its past answers followed by one ``import`` entry, so replaying the log still gives the stored
schedule; a card that already has a log here keeps it (a second import carries nothing again).
A backup is taken before committing any import that changes the database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from trainer.decks.importers.model import CarriedProgress, ImportedDeck
from trainer.scheduler.schedule import Schedule, answer, within_bounds
from trainer.store.backup import database_path, take_backup
from trainer.store.cards import get_card, write_schedule
from trainer.store.curation import remove_cards
from trainer.store.db import transaction
from trainer.store.decks import DeckChanges, find_deck_id, upsert_deck
from trainer.store.import_sources import forget_decks, remember
from trainer.store.reviews import append_entry, append_import

PREVIEW = 10
"""How many missing cards a report names."""


@dataclass
class DeckImport:
    """What importing one deck did (or, in a dry run, would do)."""

    changes: DeckChanges
    removed: int = 0
    """Missing cards deleted because the import prunes."""
    missing_fronts: list[str] = field(default_factory=list)
    """The fronts of the first few missing cards, to show the user."""
    progress_carried: int = 0
    reviews_carried: int = 0
    progress_kept: int = 0
    """Cards whose progress the file has but that already have a log here, which wins."""

    @property
    def changed(self) -> bool:
        return self.changes.changed or bool(self.removed or self.progress_carried)


@dataclass(frozen=True)
class Source:
    """A file being imported: its content hash (with the options that read it) and the decks it gave."""

    path: Path
    digest: str
    decks: tuple[tuple[str, int], ...]
    """(name, cards) of each deck the file gave."""


@dataclass
class ImportResult:
    decks: list[DeckImport]
    dry_run: bool
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return any(deck.changed for deck in self.decks)


def _carry_progress(
    conn: sqlite3.Connection, deck_id: int, progress: dict[str, CarriedProgress], now: datetime, day: date
) -> tuple[int, int, int]:
    """Write history and import entries for cards without a log: (carried, reviews, kept)."""
    rows = conn.execute(
        "SELECT id, key, EXISTS (SELECT 1 FROM reviews WHERE card_id = cards.id) AS logged"
        " FROM cards WHERE deck_id = ?",
        (deck_id,),
    )
    carried = reviews = kept = 0
    for row in rows.fetchall():
        found = progress.get(row["key"])
        if found is None:
            continue
        if row["logged"]:
            kept += 1
            continue
        history = Schedule()
        for review in found.reviews:
            entry, after = answer(history, review.quality, review.day)
            append_entry(conn, row["id"], entry, history, after, review.at, review.duration_ms)
            history = after
        if found.reviews:
            write_schedule(conn, get_card(conn, row["id"]), history)
        append_import(conn, row["id"], within_bounds(found.schedule, day), now, day)
        carried += 1
        reviews += len(found.reviews)
    return carried, reviews, kept


def _prune(conn: sqlite3.Connection, deck_id: int, keys: list[str], now: datetime) -> int:
    """Delete the cards ``keys`` as ``trainer delete`` does (log and events gone, a tombstone each)."""
    rows = conn.execute(
        "SELECT id FROM cards WHERE deck_id = ? AND key IN (SELECT value FROM json_each(?))",
        (deck_id, json.dumps(keys)),
    )
    return len(remove_cards(conn, [row[0] for row in rows], now))


def _missing_fronts(conn: sqlite3.Connection, deck_id: int, keys: list[str]) -> list[str]:
    return [
        conn.execute("SELECT front FROM cards WHERE deck_id = ? AND key = ?", (deck_id, key)).fetchone()[0]
        for key in keys[:PREVIEW]
    ]


def _apply(
    conn: sqlite3.Connection,
    item: ImportedDeck,
    now: datetime,
    day: date,
    prune: bool,
    overwrite: bool,
) -> DeckImport:
    changes = upsert_deck(conn, item.deck, overwrite)
    deck_id = find_deck_id(conn, item.deck.name)
    report = DeckImport(changes, missing_fronts=_missing_fronts(conn, deck_id, changes.missing))
    if prune and changes.missing:
        report.removed = _prune(conn, deck_id, changes.missing, now)
    if item.progress:
        carried = _carry_progress(conn, deck_id, dict(item.progress), now, day)
        report.progress_carried, report.reviews_carried, report.progress_kept = carried
    return report


def import_decks(
    conn: sqlite3.Connection,
    decks: Sequence[ImportedDeck],
    now: datetime,
    day: date,
    *,
    dry_run: bool = False,
    prune: bool = False,
    overwrite: bool = False,
    advance: Callable[[int], None] | None = None,
    sources: Sequence[Source] = (),
    unchanged: Sequence[DeckChanges] = (),
) -> ImportResult:
    """Apply every deck in one transaction; roll it back for a dry run; back up before a real change.

    ``advance`` is called with the number of cards of each deck once it is written (for a progress bar).
    The ``sources`` are remembered as what the decks now hold, so importing one unchanged skips it;
    ``unchanged`` are the decks of the files so skipped, reported as they would be. Cards edited in
    the trainer keep the user's text as ``upsert_deck`` says; ``overwrite`` replaces it on a conflict.
    """
    result = ImportResult([DeckImport(changes) for changes in unchanged], dry_run)
    with transaction(conn, commit=not dry_run):
        for item in decks:
            result.decks.append(_apply(conn, item, now, day, prune, overwrite))
            if advance is not None:
                advance(len(item.deck.cards))
        changed = [deck.changes.deck for deck in result.decks if deck.changed]
        forget_decks(conn, [find_deck_id(conn, name) for name in changed])
        for source in sources:
            held = [(find_deck_id(conn, name), cards) for name, cards in source.decks]
            remember(conn, source.path, source.digest, held)
        if result.changed and not dry_run:
            result.backup = take_backup(database_path(conn), now)
    return result
