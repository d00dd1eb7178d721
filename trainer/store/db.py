"""Opening the database: location, pragmas, schema version and migrations.

The hot path (the review screen) uses the stdlib ``sqlite3`` connection directly; sqlite-utils, which
costs ~100 ms to import, is only loaded by the code that creates tables or bulk-inserts.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from trainer.errors import TrainerError

BUSY_TIMEOUT_MS = 5_000
"""How long a writer waits for another process's transaction before we give up with a clear message."""


class DatabaseError(TrainerError):
    """The database cannot be opened or used as it is."""


def _migration_1(conn: sqlite3.Connection) -> None:
    """Decks, cards with their SM-2 state, and the append-only review log."""
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    db.table("decks").create(
        {"id": int, "name": str, "description": str, "source": str},
        pk="id",
        not_null={"name"},
        defaults={"description": ""},
    )
    db.table("decks").create_index(["name"], unique=True)
    db.table("cards").create(
        {
            "id": int,
            "deck_id": int,
            "key": str,
            "position": int,
            "front": str,
            "back": str,
            "tags": str,
            "source": str,
            "repetitions": int,
            "easiness_cents": int,
            "interval": int,
            "due_day": str,
            "last_day": str,
            "drill_day": str,
            "lapses": int,
            "suspended": int,
            "buried_day": str,
        },
        pk="id",
        foreign_keys=[("deck_id", "decks", "id")],
        not_null={"deck_id", "key", "position", "front", "back"},
        defaults={
            "tags": "[]",
            "repetitions": 0,
            "easiness_cents": 250,
            "interval": 0,
            "lapses": 0,
            "suspended": 0,
        },
    )
    db.table("cards").create_index(["deck_id", "key"], unique=True)
    db.table("cards").create_index(["due_day"])
    db.table("cards").create_index(["deck_id", "position"])
    db.table("reviews").create(
        {
            "id": int,
            "card_id": int,
            "reviewed_at": str,
            "day": str,
            "quality": int,
            "kind": str,
            "repetitions_before": int,
            "easiness_before": int,
            "interval_before": int,
            "repetitions_after": int,
            "easiness_after": int,
            "interval_after": int,
            "due_after": str,
            "lapses_after": int,
            "duration_ms": int,
        },
        pk="id",
        foreign_keys=[("card_id", "cards", "id")],
        not_null={"card_id", "reviewed_at", "day", "kind"},
    )
    db.table("reviews").create_index(["card_id", "id"])
    db.table("reviews").create_index(["day"])


def _migration_2(conn: sqlite3.Connection) -> None:
    """Review ids are never reused (AUTOINCREMENT), so an id an undo holds can only name its own answer."""
    conn.execute(
        """CREATE TABLE "reviews_new" (
   "id" INTEGER PRIMARY KEY AUTOINCREMENT,
   "card_id" INTEGER NOT NULL REFERENCES "cards"("id"),
   "reviewed_at" TEXT NOT NULL,
   "day" TEXT NOT NULL,
   "quality" INTEGER,
   "kind" TEXT NOT NULL,
   "repetitions_before" INTEGER,
   "easiness_before" INTEGER,
   "interval_before" INTEGER,
   "repetitions_after" INTEGER,
   "easiness_after" INTEGER,
   "interval_after" INTEGER,
   "due_after" TEXT,
   "lapses_after" INTEGER,
   "duration_ms" INTEGER
)"""
    )
    conn.execute("INSERT INTO reviews_new SELECT * FROM reviews ORDER BY id")
    conn.execute("DROP TABLE reviews")
    conn.execute("ALTER TABLE reviews_new RENAME TO reviews")
    conn.execute('CREATE INDEX "idx_reviews_card_id_id" ON "reviews" ("card_id", "id")')
    conn.execute('CREATE INDEX "idx_reviews_day" ON "reviews" ("day")')


def _migration_notes(conn: sqlite3.Connection) -> None:
    """Registered notes files: the folder or file the user added (``root``), the deck each file feeds,
    and the size, mtime and hash seen at the last sync, so an unchanged file costs one stat call."""
    conn.execute(
        """CREATE TABLE "note_files" (
   "path" TEXT PRIMARY KEY,
   "root" TEXT NOT NULL,
   "deck" TEXT,
   "size" INTEGER,
   "mtime_ns" INTEGER,
   "sha256" TEXT,
   "synced_at" TEXT
)"""
    )
    conn.execute('CREATE INDEX "idx_note_files_root" ON "note_files" ("root")')


def _migration_import_sources(conn: sqlite3.Connection) -> None:
    """The content hash of each file imported into each deck, so an unchanged file is skipped."""
    conn.execute(
        """CREATE TABLE "import_sources" (
   "source" TEXT NOT NULL,
   "deck_id" INTEGER NOT NULL REFERENCES "decks"("id") ON DELETE CASCADE,
   "digest" TEXT NOT NULL,
   "cards" INTEGER NOT NULL,
   PRIMARY KEY ("source", "deck_id")
)"""
    )
    conn.execute('CREATE INDEX "idx_import_sources_deck_id" ON "import_sources" ("deck_id")')


def _migration_queue_indexes(conn: sqlite3.Connection) -> None:
    """Indexes for today's queue and the deck list's counts, so each reads only the cards it shows:
    new cards in deck order, a deck's due reviews most overdue first, and today's drills."""
    conn.execute(
        'CREATE INDEX "idx_cards_due_day_deck_id_position" ON "cards" ("due_day", "deck_id", "position")'
    )
    conn.execute('CREATE INDEX "idx_cards_deck_id_due_day" ON "cards" ("deck_id", "due_day")')
    conn.execute('CREATE INDEX "idx_cards_drill_day" ON "cards" ("drill_day")')


def _migration_card_events(conn: sqlite3.Connection) -> None:
    """The card events (flags, edits, moves and deletions) beside the review log, and the text a card's
    source gave when the user edited it (NULL for cards never edited), so a re-import can tell an
    unchanged source from a changed one. Every card suspended or buried today gets the event that
    explains its flag, so ``check`` on an upgraded database is clean; those events are dated by
    SQLite's clock at the upgrade (a migration is given no time), and a burial keeps its day."""
    conn.execute(
        """CREATE TABLE "card_events" (
   "id" INTEGER PRIMARY KEY AUTOINCREMENT,
   "card_id" INTEGER NOT NULL,
   "at" TEXT NOT NULL,
   "day" TEXT,
   "kind" TEXT NOT NULL,
   "detail" TEXT NOT NULL DEFAULT '{}'
)"""
    )
    conn.execute('CREATE INDEX "idx_card_events_card_id_id" ON "card_events" ("card_id", "id")')
    for column in ("source_front", "source_back", "source_tags"):
        conn.execute(f'ALTER TABLE "cards" ADD COLUMN "{column}" TEXT')
    at = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"
    detail = """'{"by": "upgrade"}'"""
    conn.execute(
        "INSERT INTO card_events (card_id, at, day, kind, detail)"
        f" SELECT id, {at}, NULL, 'suspend', {detail} FROM cards WHERE suspended ORDER BY id"
    )
    conn.execute(
        "INSERT INTO card_events (card_id, at, day, kind, detail)"
        f" SELECT id, {at}, buried_day, 'bury', {detail} FROM cards WHERE buried_day IS NOT NULL ORDER BY id"
    )


def _migration_deck_sizes(conn: sqlite3.Connection) -> None:
    """Each deck's number of cards, kept by every writer of cards (``decks.recount``), so the deck list
    shows a million-card deck's total without counting its cards on every start."""
    conn.execute('ALTER TABLE "decks" ADD COLUMN "card_count" INTEGER NOT NULL DEFAULT 0')
    conn.execute("UPDATE decks SET card_count = (SELECT COUNT(*) FROM cards WHERE cards.deck_id = decks.id)")


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: tuple[Migration, ...] = (
    _migration_1,
    _migration_2,
    _migration_notes,
    _migration_import_sources,
    _migration_queue_indexes,
    _migration_card_events,
    _migration_deck_sizes,
)
"""Schema steps in order; ``PRAGMA user_version`` records how many have been applied."""
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path``, migrated to the current schema."""
    return _connect(path, MIGRATIONS)


def _connect(path: Path, migrations: Sequence[Migration]) -> sqlite3.Connection:
    """``connect`` with the schema steps as a parameter, so a test can add a step.

    A database that cannot be written (the file or its folder is read-only) is opened read-only, so
    every command that only reads still works; a write then fails with a clear message.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        raise DatabaseError(f"{path}: cannot open database: {_unwritable(path) or error}") from error
    try:
        _prepare(conn, path, migrations)
    except sqlite3.OperationalError as error:
        conn.close()
        reason = _unwritable(path) or _disk_full(path) or _disk_failed(error)
        if reason is None or not path.is_file():
            raise DatabaseError(f"{path}: {reason or describe(error)}") from error
        return _connect_read_only(path, migrations, reason)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise DatabaseError(f"{path}: {describe(error)}") from error
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration]) -> None:
    """Pragmas, the schema version check and any migrations (with a backup before them)."""
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    version = _checked_version(conn, path, migrations)
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    if version < len(migrations):
        if version > 0:  # a fresh database has nothing to lose
            from trainer.store.backup import backup_before_migration

            backup_before_migration(path, version)
        migrate(conn, version, migrations)


def _checked_version(conn: sqlite3.Connection, path: Path, migrations: Sequence[Migration]) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(migrations):
        raise DatabaseError(
            f"{path}: database schema version {version} is newer than this trainer "
            f"understands ({len(migrations)}); upgrade trainer"
        )
    return version


def _unwritable(path: Path) -> str | None:
    """Why the database at ``path`` cannot be written, or None when nothing stops it."""
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is read-only"
    if not folder.exists():
        return f"its folder {folder} cannot be created"
    if path.exists() and not os.access(path, os.W_OK):
        return "the database file is read-only"
    return None


def _disk_full(path: Path) -> str | None:
    """What to say when the disk holding ``path`` has (almost) no room left, else None."""
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return None
    if free >= 1 << 20:
        return None
    return f"the disk holding {path.parent} is full ({free:,} bytes free); nothing was written"


def _disk_failed(error: sqlite3.Error) -> str | None:
    """The reason to give when SQLite could not write its files beside the database, else None."""
    if any(sign in str(error) for sign in ("disk I/O error", "unable to open database file", "full")):
        return describe(error)
    return None


def _connect_read_only(path: Path, migrations: Sequence[Migration], reason: str) -> sqlite3.Connection:
    """The database opened for reading only (temporary tables still work), for a file we may not write."""
    wal = Path(f"{path}-wal")
    try:
        uri = read_only_uri(path, cannot_write=True)
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, factory=ReadOnlyConnection)
        conn.row_factory = sqlite3.Row
        version = _checked_version(conn, path, migrations)
    except sqlite3.Error as error:
        if wal.exists():
            raise DatabaseError(f"{path}: cannot read it: {reason} and changes wait in {wal}") from error
        raise DatabaseError(f"{path}: cannot read it ({reason}): {describe(error)}") from error
    if version < len(migrations):
        conn.close()
        raise DatabaseError(f"{path}: the database needs an upgrade to schema {len(migrations)} but {reason}")
    return conn


def read_only_uri(path: Path, cannot_write: bool | None = None) -> str:
    """The URI that opens ``path`` for reading, also where nothing can be written beside it.

    SQLite cannot share a WAL read-only without a working -shm, unless told the file never changes:
    true when no -wal holds changes and nobody can write there (a read-only folder or a full disk).
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return uri
    if cannot_write is None:
        cannot_write = _unwritable(path) is not None
    return f"{uri}&immutable=1" if cannot_write else uri


class ReadOnlyConnection(sqlite3.Connection):
    """A connection opened read-only because its database cannot be written."""


def is_read_only(conn: sqlite3.Connection) -> bool:
    return isinstance(conn, ReadOnlyConnection)


def migrate(conn: sqlite3.Connection, version: int, migrations: Sequence[Migration]) -> None:
    """Apply the missing migrations, each in its own transaction with its version bump."""
    for number, step in enumerate(migrations[version:], start=version + 1):
        with transaction(conn):
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                continue
            step(conn)
            conn.execute(f"PRAGMA user_version = {number}")


@contextmanager
def transaction(conn: sqlite3.Connection, commit: bool = True) -> Iterator[sqlite3.Connection]:
    """One write transaction, taking the write lock up front so read-modify-write never races.

    With ``commit=False`` everything is rolled back at the end: a dry run sees its own writes, then
    leaves nothing behind.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after some errors, e.g. a full disk
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT" if commit else "ROLLBACK")


def describe(error: sqlite3.Error) -> str:
    """A user-facing sentence for an SQLite error."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"database is busy in another trainer process for over {BUSY_TIMEOUT_MS // 1000} s; try again"
    if "not a database" in text or "malformed" in text:
        return "file is not a trainer database or is damaged"
    if "readonly" in text:
        return (
            "database is read-only (its file or folder is not writable, or the disk is full); "
            "nothing was changed"
        )
    if "unable to open database file" in text:
        return "cannot open the database or make its -wal/-shm files beside it (is the disk full?)"
    if "disk I/O error" in text:
        return "reading or writing the database failed on the disk (it may be full or failing)"
    if "full" in text:
        return "disk is full; nothing was written"
    return text
