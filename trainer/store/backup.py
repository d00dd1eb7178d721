"""Copies of the database taken with SQLite's backup API, kept in ``backups/`` beside it, and restoring one.

The copy is made through its own connection, so it holds the last committed state even while the
caller's write transaction (which keeps other writers out) is still open: a backup taken just before
committing an import is exactly the database as it was before the import.

Three kinds live side by side, told apart by name so each keeps its own retention:
``trainer-20261122T090000Z-001.db`` (before an import or restore, or asked for; the newest ``KEEP`` stay),
``trainer-daily-2026-11-22.db`` (the first open of a review day; ``DAILY_KEEP_DAYS`` days stay) and
``trainer-schema1-001.db`` (the database as it was before a migration to a newer schema; never dropped).
Every copy is written to a temporary name first and renamed, so a crash never leaves half a backup.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from trainer.errors import InputError, TrainerError
from trainer.stats.files import check_target, staged_files, temporary_beside
from trainer.store.db import BUSY_TIMEOUT_MS, SCHEMA_VERSION

KEEP = 5
"""How many backups are kept; the oldest are deleted after a new one is written."""
DAILY_KEEP_DAYS = 7
"""Daily backups from this many review days (today included) are kept."""
_TRAINER_TABLES = {"decks", "cards", "reviews"}


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def database_path(conn: sqlite3.Connection) -> Path:
    """The file behind ``conn``'s main database."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    raise TrainerError("the database is in memory; there is nothing to back up")


def list_backups(db_path: Path) -> list[Path]:
    """The timed backups of ``db_path``, oldest first (names hold the time, so they sort)."""
    return sorted(backups_dir(db_path).glob(f"{db_path.stem}-[0-9]*T*Z-*.db"))


def _daily_name(db_path: Path, day: date) -> str:
    return f"{db_path.stem}-daily-{day.isoformat()}.db"


def list_daily_backups(db_path: Path) -> list[Path]:
    """The daily backups of ``db_path``, oldest first."""
    return sorted(backups_dir(db_path).glob(f"{db_path.stem}-daily-*.db"))


def _copy(source: Path, target: Path) -> None:
    """The committed state of ``source`` as one self-contained file at ``target``, via a temporary file."""
    with staged_files([target]) as (staged,):
        reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        with closing(reader), closing(sqlite3.connect(staged)) as copy:
            reader.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # no -wal beside it


def _claim(folder: Path, names: Collection[str]) -> Path:
    """The first of ``names`` that does not exist yet, created empty so no other process takes it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        try:
            (folder / name).open("xb").close()
        except FileExistsError:
            continue
        return folder / name
    raise TrainerError(f"{folder}: too many backups with the same name")


def _numbered(base: str) -> list[str]:
    """``base-001.db``, ``base-002.db``…: names for backups that may be taken twice in one second."""
    return [f"{base}-{number:03d}.db" for number in range(1, 1000)]


def _backup_to(db_path: Path, names: Collection[str]) -> Path:
    try:
        target = _claim(backups_dir(db_path), names)
    except OSError as error:
        raise TrainerError(f"cannot back up the database into {backups_dir(db_path)}: {error}") from error
    try:
        _copy(db_path, target)
    except (OSError, sqlite3.Error) as error:
        target.unlink(missing_ok=True)
        raise TrainerError(f"cannot back up the database to {target}: {error}") from error
    return target


def take_backup(db_path: Path, now: datetime, keep: int = KEEP) -> Path:
    """Copy the committed state of ``db_path`` into a new backup file and drop all but ``keep``."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = _backup_to(db_path, _numbered(f"{db_path.stem}-{stamp}"))
    for old in list_backups(db_path)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def backup_before_migration(db_path: Path, version: int) -> Path:
    """Keep the database as it is at schema ``version`` before it is migrated (never dropped)."""
    return _backup_to(db_path, _numbered(f"{db_path.stem}-schema{version}"))


def daily_backup(db_path: Path, day: date, keep_days: int = DAILY_KEEP_DAYS) -> Path | None:
    """Back up ``db_path`` once per review ``day`` and drop daily backups older than ``keep_days``.

    Returns the new backup, or None when today's exists already: then this is one ``stat`` call.
    """
    target = backups_dir(db_path) / _daily_name(db_path, day)
    if target.exists():
        return None
    try:
        _copy(db_path, target)  # two processes may both copy; the rename keeps one whole file
    except (OSError, sqlite3.Error) as error:
        raise TrainerError(f"cannot back up the database to {target}: {error}") from error
    oldest = _daily_name(db_path, day - timedelta(days=keep_days - 1))
    for old in list_daily_backups(db_path):
        if old.name < oldest:
            old.unlink(missing_ok=True)
    return target


def export_backup(db_path: Path, target: Path) -> Path:
    """A backup of ``db_path`` at a path the user chose, replacing it atomically."""
    check_target(target, [db_path], database_ok=True)
    try:
        _copy(db_path, target)
    except (OSError, sqlite3.Error) as error:
        raise TrainerError(f"cannot back up the database to {target}: {error}") from error
    return target


@dataclass(frozen=True)
class Restored:
    source: Path
    schema_version: int
    cards: int
    reviews: int
    backup: Path | None
    """The database as it was before the restore (None when there was none)."""


def _validate(staged: sqlite3.Connection, label: str) -> tuple[int, int, int]:
    """(schema version, cards, reviews) of a copy that is a sound trainer database, else InputError."""
    problems = [row[0] for row in staged.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise InputError(label, f"the database is damaged ({problems[0]})")
    version = staged.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in staged.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version < 1 or not tables >= _TRAINER_TABLES:
        raise InputError(label, "not a trainer database (no trainer tables in it)")
    if version > SCHEMA_VERSION:
        raise InputError(
            label,
            f"database schema version {version} is newer than this trainer understands ({SCHEMA_VERSION})",
        )
    cards = staged.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
    reviews = staged.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    return version, cards, reviews


def _page_size(path: Path) -> int | None:
    """The page size of the database at ``path``; None when it is missing or not a readable database."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            size: int = conn.execute("PRAGMA page_size").fetchone()[0]
            return size
    except sqlite3.DatabaseError:
        return None


def _stage(source: Path, staged: Path, page_size: int | None) -> tuple[int, int, int]:
    """Copy ``source`` to ``staged`` and check the copy (what is checked is what gets restored)."""
    label = str(source)
    try:
        _copy(source, staged)
        with closing(sqlite3.connect(staged, isolation_level=None)) as copy:
            counts = _validate(copy, label)
            if page_size and page_size != copy.execute("PRAGMA page_size").fetchone()[0]:
                copy.execute(f"PRAGMA page_size = {page_size}")
                copy.execute("VACUUM")  # the backup API needs equal page sizes to write into a WAL file
    except sqlite3.DatabaseError as error:
        raise InputError(label, f"not a sound trainer database: {error}") from error
    return counts


def _set_aside(db_path: Path, now: datetime) -> Path | None:
    """Move an unreadable database (and its -wal/-shm) out of the way, keeping it for the user."""
    if not db_path.exists():
        return None
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = _claim(backups_dir(db_path), _numbered(f"{db_path.stem}-damaged-{stamp}"))
    os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.replace(f"{db_path}{suffix}", f"{kept}{suffix}")
    return kept


def restore(db_path: Path, source: Path, now: datetime) -> Restored:
    """Replace the database at ``db_path`` with the trainer database ``source``, backing it up first.

    ``source`` is copied and the copy checked (integrity, trainer tables, a schema version we know)
    before anything changes; an older schema is migrated on the next open. A readable current database
    is overwritten through the backup API in one write transaction, so another trainer process sees the
    old or the new state, never a mix; an unreadable one is set aside and replaced by a rename.
    """
    if not source.is_file():
        raise InputError(str(source), "no such file")
    page_size = _page_size(db_path)
    staged = temporary_beside(db_path)
    try:
        version, cards, reviews = _stage(source, staged, page_size)
        backup: Path | None
        if page_size is not None:
            backup = take_backup(db_path, now)
            with (
                closing(sqlite3.connect(staged)) as copy,
                closing(sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)) as live,
            ):
                copy.backup(live)
        else:
            backup = _set_aside(db_path, now)
            os.replace(staged, db_path)
    except (OSError, sqlite3.Error) as error:
        raise TrainerError(f"{db_path}: cannot restore: {error}") from error
    finally:
        staged.unlink(missing_ok=True)
    return Restored(source, version, cards, reviews, backup)
