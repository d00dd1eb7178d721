"""A notes folder the trainer keeps in step: register files or folders, then sync their decks.

The notes stay the source. A sync stats every registered file and reads only those whose size or
mtime changed (an unchanged folder costs one ``stat`` per file); a file whose hash changed is
extracted again and its deck brought in step in one transaction for the whole sync (see
``trainer.decks.sync`` for the plan). A note that cannot be read or parsed is reported and skipped.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from trainer.decks.build import build_decks
from trainer.decks.model import Deck, card_text_problem, deck_name_problem
from trainer.decks.sync import Plan, plan_sync
from trainer.errors import TrainerError
from trainer.store import notes as store
from trainer.store.db import transaction
from trainer.words import plural

NOTE_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
IGNORED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
"""Folders never searched for notes, besides hidden ones (``.git``, ``.obsidian``, ``.venv``, ``.trash``)."""


def note_files(folder: Path) -> list[tuple[str, os.stat_result]]:
    """Every notes file below ``folder`` with its stat, hidden and ignored folders left out, by path."""
    found: list[tuple[str, os.stat_result]] = []
    pending = [str(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue  # a folder we may not read holds no notes we can sync
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in IGNORED_FOLDERS:
                    pending.append(entry.path)
            elif os.path.splitext(entry.name)[1].lower() in NOTE_SUFFIXES:
                try:
                    found.append((entry.path, entry.stat()))
                except OSError:
                    continue  # a dangling link
    return sorted(found, key=lambda item: item[0])


@dataclass(frozen=True)
class Added:
    """What ``add_notes`` did with one path the user gave."""

    root: str
    new: int
    known: int

    def as_json(self) -> dict[str, object]:
        return {"root": self.root, "new": self.new, "known": self.known}


def add_notes(conn: sqlite3.Connection, paths: list[Path]) -> list[Added]:
    """Register files and folders (all or none); a missing path is an error naming it."""
    plans: list[tuple[str, list[str]]] = []
    for given in paths:
        path = given.expanduser().absolute()
        if path.is_dir():
            plans.append((str(path), [name for name, _ in note_files(path)]))
        elif path.is_file():
            plans.append((str(path), [str(path)]))
        else:
            raise TrainerError(f"{given}: no such file or folder")
    added = []
    with transaction(conn):
        for root, files in plans:
            new = sum(store.register_note(conn, name, root) for name in files)
            added.append(Added(root, new, len(files) - new))
    return added


def remove_notes(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Stop syncing a file or a folder; its decks and cards stay as they are."""
    with transaction(conn):
        gone = store.forget_notes(conn, str(path.expanduser().absolute()))
    if not gone:
        raise TrainerError(f"{path}: not a registered notes file or folder (see trainer notes list)")
    return gone


@dataclass
class NoteSync:
    """What syncing one file did (or, in a dry run, would do)."""

    path: str
    deck: str | None
    plan: Plan = field(default_factory=Plan)
    error: str | None = None
    gone: bool = False
    """The file was deleted: its cards are retired and it is no longer registered."""
    conflicts: list[str] = field(default_factory=list)
    """Keys of cards edited in the trainer whose definition the note changed too (the user's text is
    kept unless the sync overwrites)."""

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def as_json(self) -> dict[str, object]:
        about = {"path": self.path, "deck": self.deck, "gone": self.gone, "error": self.error}
        return about | self.plan.as_json() | {"conflicts": self.conflicts}


@dataclass
class SyncReport:
    notes: list[NoteSync]
    """The files that changed or failed (unchanged ones are only counted)."""
    checked: int
    dry_run: bool = False

    @property
    def changed(self) -> list[NoteSync]:
        return [note for note in self.notes if note.plan.changed]

    @property
    def failed(self) -> list[NoteSync]:
        return [note for note in self.notes if note.error]

    def summary(self) -> str:
        """One line: ``notes: 3 new, 1 updated, 1 renamed dropout → 随机失活, 1 retired in ai.md``."""
        parts = [f"{note.plan.summary()} in {note.name}" for note in self.changed]
        parts += [f"skipped {note.name}: {note.error}" for note in self.failed]
        if not parts:
            return f"notes: {plural(self.checked, 'file')} up to date"
        return "notes: " + "; ".join(parts)

    def as_json(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run, "checked": self.checked, "summary": self.summary(),
            "notes": [note.as_json() for note in self.notes],
        }  # fmt: skip


@dataclass
class _Work:
    """What a scan found to do: files to register, to re-extract, to re-stamp, and files gone."""

    register: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[store.NoteRecord, os.stat_result, str]] = field(default_factory=list)
    touched: list[tuple[store.NoteRecord, os.stat_result]] = field(default_factory=list)
    gone: list[store.NoteRecord] = field(default_factory=list)
    failed: list[NoteSync] = field(default_factory=list)
    checked: int = 0


def _digest(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _scan(records: list[store.NoteRecord]) -> _Work:
    """Stat every registered file (and find new ones in registered folders); hash only the ones
    whose size or mtime moved."""
    work = _Work()
    known = {record.path: record for record in records}
    seen: set[str] = set()
    for root in sorted({record.root for record in records}):
        if os.path.isdir(root):
            files = note_files(Path(root))
        else:
            try:
                files = [(root, os.stat(root))]
            except OSError as error:
                # The registered file or folder itself is gone (or unmounted): keep its cards as they are.
                missing = [record for record in records if record.root == root]
                seen.update(record.path for record in missing)
                reason = f"{error.strerror or error}; trainer notes remove {root} forgets it"
                work.failed += [NoteSync(record.path, record.deck, error=reason) for record in missing]
                continue
        for path, stat in files:
            seen.add(path)
            work.checked += 1
            record = known.get(path)
            if record is None:
                work.register.append((path, root))
                record = store.NoteRecord(path, root, None, None, None, None, None)
            elif (record.size, record.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                continue
            try:
                digest = _digest(path)
            except OSError as error:
                work.failed.append(NoteSync(path, record.deck, error=error.strerror or str(error)))
                continue
            if digest == record.sha256:
                work.touched.append((record, stat))
            else:
                work.changed.append((record, stat, digest))
    work.gone = [record for record in records if record.path not in seen]
    return work


def _extract(path: str) -> Deck:
    """The deck the extractor makes of one file; a file it cannot use is a TrainerError."""
    try:
        ((deck, _),) = build_decks([Path(path)])
    except OSError as error:
        raise TrainerError(error.strerror or str(error)) from error
    if problem := deck_name_problem(deck.name):
        raise TrainerError(problem)
    for card in deck.cards:
        if problem := card_text_problem(card):
            raise TrainerError(f"{problem} ({card.source})")
    return deck


def _deck_name(conn: sqlite3.Connection, record: store.NoteRecord, extracted: str) -> str:
    """The deck a file feeds: the one it fed before, else the extractor's name (made unique when
    another registered file feeds a deck of that name)."""
    if record.deck is not None:
        return record.deck
    owner = store.deck_owner(conn, extracted)
    return extracted if owner in (None, record.path) else f"{extracted} ({Path(record.path).stem})"


def _one_note(records: list[store.NoteRecord], path: Path) -> list[store.NoteRecord]:
    """The registered file ``path`` alone, as its own root, so a scan reads it and no other file."""
    wanted = str(path.expanduser().absolute())
    found = [replace(record, root=record.path) for record in records if record.path == wanted]
    if not found:
        raise TrainerError(f"{path}: not a registered notes file (see trainer notes list)")
    return found


def sync(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    dry_run: bool = False,
    overwrite: bool = False,
    only: Path | None = None,
) -> SyncReport:
    """Bring every registered file's deck (or only the file ``only``'s) in step with the file; with
    ``dry_run`` nothing is written.

    A card edited in the trainer keeps the user's text while its note's definition is unchanged; when
    the definition changed too, the card is listed in ``conflicts`` and keeps the user's text unless
    ``overwrite``."""
    records = store.registered_notes(conn)
    work = _scan(records if only is None else _one_note(records, only))
    report = SyncReport(list(work.failed), work.checked, dry_run)
    extracted: list[tuple[store.NoteRecord, os.stat_result, str, Deck]] = []
    for record, stat, digest in work.changed:
        try:
            extracted.append((record, stat, digest, _extract(record.path)))
        except TrainerError as error:
            report.notes.append(NoteSync(record.path, record.deck, error=str(error)))
    if not (work.register or extracted or work.touched or work.gone):
        return report
    at = now.astimezone(timezone.utc).isoformat()
    with transaction(conn, commit=not dry_run):
        for path, root in work.register:
            store.register_note(conn, path, root)
        for record, stat in work.touched:
            store.record_seen(
                conn, record.path, record.deck, stat.st_size, stat.st_mtime_ns, record.sha256 or "", at
            )
        for record, stat, digest, deck in extracted:
            name = _deck_name(conn, record, deck.name)
            deck = Deck(name, deck.cards, deck.description, deck.source)
            plan = plan_sync(store.deck_cards(conn, name), deck.cards)
            changes = store.apply_plan(conn, deck, plan, now, overwrite)
            store.record_seen(conn, record.path, name, stat.st_size, stat.st_mtime_ns, digest, at)
            report.notes.append(NoteSync(record.path, name, plan, conflicts=changes.conflicts))
        for record in work.gone:
            plan = plan_sync(store.deck_cards(conn, record.deck), []) if record.deck else Plan()
            if record.deck:
                store.retire(conn, record.deck, plan.retired, now)
            store.forget_notes(conn, record.path)
            report.notes.append(NoteSync(record.path, record.deck, plan, gone=True))
    report.notes.sort(key=lambda note: note.path)
    return report


def sync_database(db_path: Path, now: datetime) -> SyncReport:
    """``sync`` on a connection of its own, for a background thread (a connection stays in its thread)."""
    from trainer.store.db import connect

    conn = connect(db_path)
    try:
        return sync(conn, now)
    finally:
        conn.close()
