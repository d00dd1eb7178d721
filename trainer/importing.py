"""Importing files into a collection: read each file once, skip files unchanged since their last import,
and hand the store one all-or-nothing import.

The workflow both ``trainer import`` and any other front end run; the store does the writing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from trainer.clock import Calendar
from trainer.decks.importers.detect import load_file
from trainer.decks.importers.model import ImportedDeck, ImportOptions, merge_same_name
from trainer.decks.sync import Change
from trainer.store.decks import DeckChanges
from trainer.store.import_sources import file_digest, unchanged_decks
from trainer.store.imports import DeckImport as DeckImport  # re-exported: front ends import no store module
from trainer.store.imports import ImportResult, Source, import_decks
from trainer.store.notes import changed_cards


@dataclass(frozen=True)
class ImportRequest:
    """What the user asked to import, and how to read it."""

    files: tuple[Path, ...]
    deck_name: str | None = None
    """Put every card in this deck instead of the name each file gives."""
    encoding: str | None = None
    with_progress: bool = False
    """Carry another program's review history and schedules over (Anki packages)."""
    columns: dict[int, str] | None = None
    """Which 0-based column is the id, front, back or tags of a table file (``--columns``)."""
    prune: bool = False
    """Delete the cards the files no longer have, with their history."""
    overwrite: bool = False
    """Take the file's text for a card edited in the trainer whose text the file changed too (a
    conflict); without it the user's edit stays."""

    def options(self, calendar: Calendar) -> ImportOptions:
        return ImportOptions(calendar.day, self.deck_name, self.encoding, self.with_progress, self.columns)

    def read_with(self, calendar: Calendar) -> str:
        """Everything besides a file's bytes that decides what importing it gives, for its content hash."""
        roles = sorted((self.columns or {}).items())
        settings = (self.deck_name, self.encoding, self.with_progress, roles, str(calendar.zone))
        return repr((*settings, calendar.day_start_hour))


@dataclass
class PendingImport:
    """The files read and ready to import: what changed, and what was skipped as unchanged."""

    request: ImportRequest
    loaded: list[ImportedDeck]
    sources: list[Source]
    unchanged_files: list[Path]
    unchanged: list[DeckChanges]

    @property
    def cards(self) -> int:
        return sum(len(item.deck.cards) for item in self.loaded)

    @property
    def media_skipped(self) -> int:
        return sum(item.media_skipped for item in self.loaded)

    @property
    def skipped_lines(self) -> list[str]:
        return [line for item in self.loaded for line in item.skipped]


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    pending: PendingImport
    result: ImportResult
    changed_cards: dict[str, list[Change]] = field(default_factory=dict)
    """Dry runs only: per deck, each card the import would update, old and new."""

    @property
    def missing(self) -> int:
        """Cards the files no longer have (a prune would delete them)."""
        return sum(len(deck.changes.missing) for deck in self.result.decks)

    def as_json(self) -> dict[str, object]:
        result, pending = self.result, self.pending
        return {
            "dry_run": result.dry_run,
            "unchanged_skipped": [str(path) for path in pending.unchanged_files],
            "backup": str(result.backup) if result.backup else None,
            "decks": [self._deck_json(deck) for deck in result.decks],
            "media_skipped": pending.media_skipped,
            "skipped": pending.skipped_lines,
        }

    def _deck_json(self, deck: DeckImport) -> dict[str, object]:
        changes = deck.changes
        return {
            "deck": changes.deck, "added": len(changes.added), "updated": len(changes.updated),
            "unchanged": changes.unchanged, "missing": len(changes.missing), "removed": deck.removed,
            "progress_carried": deck.progress_carried, "reviews_carried": deck.reviews_carried,
            "progress_kept": deck.progress_kept, "conflicts": changes.conflicts,
            "changed_cards": [change.as_json() for change in self.changed_cards.get(changes.deck, [])],
        }  # fmt: skip


def read_files(db_path: Path, request: ImportRequest, calendar: Calendar) -> PendingImport:
    """Read every file of ``request``, except files whose content and options match their last import.

    Progress and pruning depend on more than the file, so those imports read it every time.
    """
    files = request.files
    read_with = request.read_with(calendar)
    digests = {} if request.with_progress or request.prune else {p: file_digest(p, read_with) for p in files}
    known = unchanged_decks(db_path, {path: digest for path, digest in digests.items() if digest})
    found: list[ImportedDeck] = []
    sources: list[Source] = []
    options = request.options(calendar)
    for path in files:
        if path in known:
            continue
        decks = load_file(path, options)
        found += decks
        digest = digests.get(path)
        if digest is not None and not any(item.media_skipped or item.skipped for item in decks):
            sources.append(
                Source(path, digest, tuple((item.deck.name, len(item.deck.cards)) for item in decks))
            )
    unchanged = [changes for path in files for changes in known.get(path, [])]
    return PendingImport(
        request, merge_same_name(found), sources, [p for p in files if p in known], unchanged
    )


def run_import(
    conn: sqlite3.Connection,
    pending: PendingImport,
    calendar: Calendar,
    now: datetime,
    *,
    dry_run: bool = False,
    advance: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import ``pending`` in one transaction (nothing when ``dry_run``)."""
    result = import_decks(
        conn, pending.loaded, now, calendar.day(now), dry_run=dry_run, prune=pending.request.prune,
        overwrite=pending.request.overwrite, advance=advance, sources=pending.sources,
        unchanged=pending.unchanged,
    )  # fmt: skip
    report = ImportReport(pending, result)
    if dry_run:
        decks = {item.deck.name: item.deck for item in pending.loaded}
        for deck in result.decks:
            if (source := decks.get(deck.changes.deck)) is not None:
                report.changed_cards[deck.changes.deck] = changed_cards(conn, source, deck.changes.updated)
    return report
