"""Copies of the database taken with SQLite's backup API, kept in ``backups/`` beside it, and restoring one.

The copy is made through its own connection, so it holds the last committed state even while the
caller's write transaction (which keeps other writers out) is still open: a backup taken just before
committing an import is exactly the database as it was before the import.

Every backup records inside itself (table ``trainer_backup``) which database it copies, its kind, the
time it was taken and its place in the order backups were made. Retention reads that record, never a
file name or a modification time: a file that merely looks like a backup, a backup of another
database in the same folder, or one cut short by a crash (it is written to a temporary file and
renamed only when whole) is never counted or deleted. Kinds:
``trainer-20261122T090000Z-001.db`` (before an import or restore, or asked for; the newest ``KEEP`` stay),
``trainer-daily-2026-11-22.db`` (the first open of a review day; ``DAILY_KEEP_DAYS`` days stay) and
``trainer-schema1-001.db`` (the database as it was before a migration to a newer schema; never dropped).
One process at a time changes a backups folder (an advisory lock on it); temporaries left by a killed
backup or restore are removed by the next one.
"""

from __future__ import annotations

import fcntl
import glob
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from trainer.errors import InputError, TrainerError
from trainer.safe_files import (
    BACKUPS_FOLDER,
    SQLITE_HEADER,
    check_target,
    is_temporary,
    plain_file_mode,
    staged_files,
    temporary_beside,
)
from trainer.store.db import BUSY_TIMEOUT_MS, MIGRATIONS, SCHEMA_VERSION, migrate, read_only_uri
from trainer.store.validate import TRAINER_TABLES, check_schema, check_values

KEEP = 5
"""How many backups are kept; the oldest are deleted after a new one is written."""
DAILY_KEEP_DAYS = 7
"""Daily backups from this many review days (today included) are kept."""
_RECORD_TABLE = "trainer_backup"
_RECORD_SQL = (
    f"CREATE TABLE {_RECORD_TABLE} (database TEXT NOT NULL, kind TEXT NOT NULL, taken TEXT NOT NULL,"
    " sequence INTEGER NOT NULL, day TEXT)"
)


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / BACKUPS_FOLDER


def database_path(conn: sqlite3.Connection) -> Path:
    """The file behind ``conn``'s main database."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    raise TrainerError("the database is in memory; there is nothing to back up")


@dataclass(frozen=True)
class Backup:
    """A backup file and what it records about itself."""

    path: Path
    database: str
    """The file name of the database it copies."""
    kind: str
    """``timed``, ``daily`` or ``schema``."""
    taken: str
    """The clock's time when it was taken (UTC ISO 8601; empty before a migration, which has no clock)."""
    sequence: int
    """Its place in the order this database's backups were made: retention goes by this."""
    day: str | None
    """The review day of a daily backup."""


def _read_record(path: Path) -> Backup | None:
    """What the backup at ``path`` records, or None when it is not a whole backup we made."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):  # never open a FIFO, never follow a link
            return None
        with path.open("rb") as stream:
            header = stream.read(20)
        # Ours are rollback-journal files (bytes 18-19 are 1): opening a WAL file could create others.
        if header[:16] != SQLITE_HEADER or header[18:20] != b"\1\1":
            return None
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute("PRAGMA trusted_schema = OFF")
            rows = conn.execute(f"SELECT * FROM {_RECORD_TABLE}").fetchall()
    except (OSError, sqlite3.Error):
        return None
    if len(rows) != 1 or len(rows[0]) != 5:
        return None
    database, kind, taken, sequence, day = rows[0]
    if not (isinstance(database, str) and isinstance(kind, str) and isinstance(sequence, int)):
        return None
    return Backup(path, database, kind, str(taken), sequence, day if isinstance(day, str) else None)


def _backups(db_path: Path, kind: str | None = None) -> list[Backup]:
    """The whole backups of ``db_path`` (of ``kind``), in the order they were made."""
    folder = backups_dir(db_path)
    try:
        candidates = [path for path in folder.iterdir() if path.suffix == ".db" and not is_temporary(path)]
    except OSError:
        return []
    found = [record for path in candidates if (record := _read_record(path)) is not None]
    return sorted(
        (b for b in found if b.database == db_path.name and kind in (None, b.kind)), key=lambda b: b.sequence
    )


def list_backups(db_path: Path) -> list[Path]:
    """The timed backups of ``db_path``, oldest first."""
    return [backup.path for backup in _backups(db_path, "timed")]


def list_daily_backups(db_path: Path) -> list[Path]:
    """The daily backups of ``db_path``, oldest first."""
    return [backup.path for backup in _backups(db_path, "daily")]


@contextmanager
def _locked(db_path: Path, wait: bool = True) -> Iterator[bool]:
    """Hold the backups folder of ``db_path`` (created if needed) for this process; yields whether it got
    it (without ``wait``, False when another process holds it)."""
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        _remove_temporaries(db_path)
        yield True
    finally:
        os.close(handle)  # releases the lock


def _remove_temporaries(db_path: Path) -> None:
    """Temporaries of a backup or restore that was killed: with the folder held, none is in use."""
    stale = [path for path in backups_dir(db_path).iterdir() if is_temporary(path)]
    beside = db_path.parent.glob(f".{glob.escape(db_path.name)}.*.tmp*")
    stale += [path for path in beside if is_temporary(path)]
    for path in stale:
        with suppress(OSError):
            path.unlink()


def _copy(source: Path, target: Path, record: Backup | None = None) -> None:
    """The committed state of ``source`` as one self-contained file at ``target``, via a temporary file;
    with ``record``, the copy records itself as that backup."""
    with staged_files([target]) as (staged,):
        reader = sqlite3.connect(read_only_uri(source), uri=True)
        with closing(reader), closing(sqlite3.connect(staged, isolation_level=None)) as copy:
            reader.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # no -wal beside it
            if record is not None:
                copy.execute(_RECORD_SQL)
                copy.execute(
                    f"INSERT INTO {_RECORD_TABLE} VALUES (?, ?, ?, ?, ?)",
                    (record.database, record.kind, record.taken, record.sequence, record.day),
                )


def _numbered(base: str) -> list[str]:
    """``base-001.db``, ``base-002.db``…: names for backups that may be taken twice in one second."""
    return [f"{base}-{number:03d}.db" for number in range(1, 1000)]


def _write_backup(
    db_path: Path, names: Iterable[str], kind: str, now: datetime | None, day: date | None
) -> Backup:
    """A new backup of ``db_path`` under the first free name; the caller holds the folder."""
    folder = backups_dir(db_path)
    name = next((name for name in names if not os.path.lexists(folder / name)), None)
    if name is None:
        raise TrainerError(f"{folder}: too many backups with the same name")
    made = _backups(db_path)
    record = Backup(
        folder / name,
        db_path.name,
        kind,
        now.astimezone(UTC).isoformat(timespec="seconds") if now else "",
        max((backup.sequence for backup in made), default=0) + 1,
        day.isoformat() if day else None,
    )
    try:
        _copy(db_path, record.path, record)
    except (OSError, sqlite3.Error) as error:
        raise TrainerError(f"cannot back up the database to {record.path}: {error}") from error
    return record


def _drop(backups: Iterable[Backup]) -> None:
    for backup in backups:
        backup.path.unlink(missing_ok=True)


@contextmanager
def _backing_up(db_path: Path) -> Iterator[None]:
    """The backups folder held, with a failure to reach it as one clear error."""
    try:
        with _locked(db_path):
            yield
    except OSError as error:
        raise TrainerError(f"cannot back up the database into {backups_dir(db_path)}: {error}") from error


def take_backup(db_path: Path, now: datetime, keep: int = KEEP) -> Path:
    """Copy the committed state of ``db_path`` into a new backup file and drop all but the newest ``keep``."""
    with _backing_up(db_path):
        return _take_backup(db_path, now, keep)


def _take_backup(db_path: Path, now: datetime, keep: int) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    new = _write_backup(db_path, _numbered(f"{db_path.stem}-{stamp}"), "timed", now, None)
    _drop([old for old in _backups(db_path, "timed") if old.path != new.path][: -(keep - 1) or None])
    return new.path


def backup_before_migration(db_path: Path, version: int) -> Path:
    """Keep the database as it is at schema ``version`` before it is migrated (never dropped)."""
    with _backing_up(db_path):
        names = _numbered(f"{db_path.stem}-schema{version}")
        return _write_backup(db_path, names, "schema", None, None).path  # opening has no clock


def daily_backup(db_path: Path, day: date, now: datetime, keep_days: int = DAILY_KEEP_DAYS) -> Path | None:
    """Back up ``db_path`` once per review ``day`` and drop daily backups older than ``keep_days``.

    Returns the new backup, or None when today's exists already: then this reads one small record.
    """
    base = f"{db_path.stem}-daily-{day.isoformat()}"
    if _is_daily(_read_record(backups_dir(db_path) / f"{base}.db"), db_path, day):
        with suppress(OSError), _locked(db_path, wait=False):
            pass  # a killed backup or restore leaves temporaries: gone unless another process is busy
        return None
    with _backing_up(db_path):
        if any(_is_daily(backup, db_path, day) for backup in _backups(db_path, "daily")):
            return None
        new = _write_backup(db_path, [f"{base}.db", *_numbered(base)], "daily", now, day)
        oldest = (day - timedelta(days=keep_days - 1)).isoformat()
        _drop(old for old in _backups(db_path, "daily") if old.path != new.path and (old.day or "") < oldest)
    return new.path


def _is_daily(backup: Backup | None, db_path: Path, day: date) -> bool:
    return backup is not None and (backup.database, backup.kind, backup.day) == (
        db_path.name,
        "daily",
        day.isoformat(),
    )


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

    def as_json(self, database: Path) -> dict[str, object]:
        """What restoring into ``database`` did."""
        return {
            "restored": str(self.source), "database": str(database), "schema_version": self.schema_version,
            "cards": self.cards, "reviews": self.reviews, "backup": str(self.backup) if self.backup else None,
        }  # fmt: skip


def _validate(staged: sqlite3.Connection, label: str) -> int:
    """The schema version of a copy that is exactly a sound trainer database, else InputError.

    The record a backup keeps of itself is ours, so it is dropped first; everything else must be
    what our migrations make, with values the trainer could have written.
    """
    version = staged.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in staged.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version < 1 or not tables >= set(TRAINER_TABLES):
        raise InputError(label, "not a trainer database (no trainer tables in it)")
    if version > SCHEMA_VERSION:
        raise InputError(
            label,
            f"database schema version {version} is newer than this trainer understands ({SCHEMA_VERSION})",
        )
    record = staged.execute("SELECT sql FROM sqlite_master WHERE name = ?", (_RECORD_TABLE,)).fetchone()
    if record is not None and record[0] == _RECORD_SQL:
        staged.execute(f"DROP TABLE {_RECORD_TABLE}")
    check_schema(staged, version, label)
    problems = [row[0] for row in staged.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise InputError(label, f"the database is damaged ({problems[0]})")
    check_values(staged, label)
    return int(version)


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


def _last_review_id(db_path: Path) -> int:
    """The highest review id the database at ``db_path`` has ever given (0 when it cannot be read)."""
    try:
        with closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            highest = conn.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0]
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
                sql = "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'reviews'"
                highest = max(highest, conn.execute(sql).fetchone()[0])
            return int(highest)
    except sqlite3.Error:
        return 0


def _stage(source: Path, staged: Path, db_path: Path, page_size: int | None) -> tuple[int, int, int]:
    """Copy ``source`` to ``staged``, check the copy (what is checked is what gets restored) and bring it
    to our schema; its review ids continue after the highest the current database ever gave.

    Returns (schema version of ``source``, cards, reviews).
    """
    label = str(source)
    try:
        _copy(source, staged)
        with closing(sqlite3.connect(staged, isolation_level=None)) as copy:
            copy.execute("PRAGMA trusted_schema = OFF")
            version = _validate(copy, label)
            migrate(copy, version, MIGRATIONS)
            last = _last_review_id(db_path)
            sql = "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'reviews'"
            if not copy.execute(sql, (last,)).rowcount:
                copy.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('reviews', ?)", (last,))
            if page_size and page_size != copy.execute("PRAGMA page_size").fetchone()[0]:
                copy.execute(f"PRAGMA page_size = {page_size}")
                copy.execute("VACUUM")  # the backup API needs equal page sizes to write into a WAL file
            cards = copy.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
            reviews = copy.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise InputError(label, f"not a sound trainer database: {error}") from error
    return version, cards, reviews


def _set_aside(db_path: Path, now: datetime) -> Path | None:
    """Move an unreadable database (and its -wal/-shm) out of the way, keeping it for the user."""
    if not db_path.exists():
        return None
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = backups_dir(db_path)
    names = _numbered(f"{db_path.stem}-damaged-{stamp}")
    kept = next(folder / name for name in names if not os.path.lexists(folder / name))
    os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.replace(f"{db_path}{suffix}", f"{kept}{suffix}")
    return kept


def restore(db_path: Path, source: Path, now: datetime) -> Restored:
    """Replace the database at ``db_path`` with the trainer database ``source``, backing it up first.

    ``source`` is copied and the copy checked (integrity, exactly our schema, values the trainer could
    have written, a schema version we know) before anything changes, then brought to our schema. A
    readable current database is overwritten through the backup API in one write transaction, so
    another trainer process sees the old or the new state, never a mix; an unreadable one is set aside
    and replaced by a rename.
    """
    if not source.is_file():
        raise InputError(str(source), "not a regular file" if source.exists() else "no such file")
    with _backing_up(db_path):
        page_size = _page_size(db_path)
        staged = temporary_beside(db_path)
        try:
            version, cards, reviews = _stage(source, staged, db_path, page_size)
            backup: Path | None
            if page_size is not None:
                backup = _take_backup(db_path, now, KEEP)
                with (
                    closing(sqlite3.connect(staged)) as copy,
                    closing(sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)) as live,
                ):
                    copy.backup(live)
            else:
                backup = _set_aside(db_path, now)
                staged.chmod(plain_file_mode(db_path))
                os.replace(staged, db_path)
        except (OSError, sqlite3.Error) as error:
            raise TrainerError(f"{db_path}: cannot restore: {error}") from error
        finally:
            staged.unlink(missing_ok=True)
    return Restored(source, version, cards, reviews, backup)
