"""Backups before migrations, one per review day, on demand, and restoring one: nothing is ever lost."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from tests.reliability.workspace import digest
from tests.support import Runner, invoke
from trainer.errors import TrainerError
from trainer.store.backup import backups_dir
from trainer.store.db import MIGRATIONS, SCHEMA_VERSION, _connect, connect
from trainer.store.reviews import check


def count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as db:
        found: int = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return found


def names(db_path: Path) -> list[str]:
    folder = backups_dir(db_path)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def _add_notes(conn: sqlite3.Connection) -> None:
    """A harmless second schema step, only for these tests."""
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")


# Migrations --------------------------------------------------------------------------------------------


def test_an_older_schema_is_backed_up_before_it_is_migrated(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    assert run("grade", "1", "4").exit_code == 0
    conn.close()
    migrated = _connect(db_path, (*MIGRATIONS, _add_notes))
    with closing(migrated):
        assert migrated.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        migrated.execute("SELECT * FROM notes").fetchall()
    kept = backups_dir(db_path) / f"trainer-schema{SCHEMA_VERSION}-001.db"
    assert kept.name in names(db_path)
    with closing(sqlite3.connect(kept)) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert old.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
        assert old.execute("SELECT name FROM sqlite_master WHERE name = 'notes'").fetchone() is None
    before = names(db_path)
    _connect(db_path, (*MIGRATIONS, _add_notes)).close()  # already migrated: no second backup
    assert names(db_path) == before


def test_a_fresh_database_needs_no_backup(db_path: Path) -> None:
    connect(db_path).close()
    assert names(db_path) == []


def test_no_backup_no_migration(db_path: Path, conn: sqlite3.Connection) -> None:
    """When the backup cannot be written the old database is left exactly as it was."""
    conn.close()
    before = digest(db_path)
    backups_dir(db_path).write_text("a file where the backups folder should be")
    with pytest.raises(TrainerError, match="cannot back up"):
        _connect(db_path, (*MIGRATIONS, _add_notes))
    assert digest(db_path) == before


def test_a_newer_schema_is_refused_and_left_alone(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(db_path)
    result = run("decks")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {db_path}: database schema version {SCHEMA_VERSION + 1} is newer than this trainer "
        f"understands ({SCHEMA_VERSION}); upgrade trainer"
    )
    assert digest(db_path) == before
    assert names(db_path) == []


# The daily backup --------------------------------------------------------------------------------------


def test_one_backup_per_review_day(db_path: Path, run: Runner, conn: sqlite3.Connection) -> None:
    assert run("grade", "1", "5").exit_code == 0
    assert names(db_path) == ["trainer-daily-2026-11-22.db"]
    daily = backups_dir(db_path) / "trainer-daily-2026-11-22.db"
    assert count(daily, "reviews") == 0  # the day as it began, before the first answer
    stamp = daily.stat().st_mtime_ns
    assert run("grade", "2", "5").exit_code == 0
    # 03:00 on the 23rd is still the 22nd's review day (it starts at 04:00).
    assert run("decks", now="2026-11-23T03:00:00+01:00").exit_code == 0
    assert names(db_path) == ["trainer-daily-2026-11-22.db"]
    assert daily.stat().st_mtime_ns == stamp
    assert run("decks", now="2026-11-23T05:00:00+01:00").exit_code == 0
    assert names(db_path)[-1] == "trainer-daily-2026-11-23.db"
    assert count(backups_dir(db_path) / "trainer-daily-2026-11-23.db", "reviews") == 2


def test_daily_backups_are_kept_seven_days(db_path: Path, run: Runner, conn: sqlite3.Connection) -> None:
    for day in range(1, 11):
        assert run("due", now=f"2026-12-{day:02d}T10:00:00+01:00").exit_code == 0
    assert names(db_path) == [f"trainer-daily-2026-12-{day:02d}.db" for day in range(4, 11)]


def test_a_failed_daily_backup_is_a_warning_not_a_failure(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    backups_dir(db_path).write_text("a file where the backups folder should be")
    result = run("grade", "1", "4")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("warning: automatic backup skipped: cannot back up the database")
    assert count(db_path, "reviews") == 1


# trainer backup ----------------------------------------------------------------------------------------


def test_backup_now(db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    assert run("grade", "1", "4").exit_code == 0
    result = run("backup")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.parent == backups_dir(db_path) and path.name == "trainer-20261122T090000Z-001.db"
    assert count(path, "reviews") == 1
    data = json.loads(run("backup", "--json").stdout)
    assert data["backup"].endswith("trainer-20261122T090000Z-002.db") and data["bytes"] > 0
    target = tmp_path / "elsewhere" / "copy.db"
    target.parent.mkdir()
    assert run("backup", "-o", str(target)).stdout.strip() == str(target)
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(path.name for path in target.parent.iterdir()) == ["copy.db"]  # no temporary left


def test_backup_refuses_the_impossible(
    db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    itself = run("backup", "-o", str(db_path))
    assert itself.exit_code == 1 and "that is the database" in itself.stderr
    missing = invoke(tmp_path / "none.db", "backup")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Error: {tmp_path / 'none.db'}: no database here; nothing to back up"
    assert not (tmp_path / "none.db").exists()


# trainer restore ---------------------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_present(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    assert run("grade", "1", "4").exit_code == 0
    saved = tmp_path / "saved.db"
    assert run("backup", "-o", str(saved)).exit_code == 0
    for card in (2, 3):
        assert run("grade", str(card), "5").exit_code == 0
    result = run("restore", str(saved), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["cards"], data["reviews"], data["schema_version"]) == (5, 1, SCHEMA_VERSION)
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1  # an open connection sees it
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check(conn) == []
    assert count(Path(data["backup"]), "reviews") == 3  # the state just before the restore
    assert run("grade", "4", "3").exit_code == 0  # and the trainer carries on
    text = run("restore", str(saved)).stdout
    assert text.startswith(f"restored 5 cards and 1 answer from {saved}\nthe database before the restore: ")


def test_restore_matches_the_page_size(
    db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    other = tmp_path / "small_pages.db"
    with closing(sqlite3.connect(other)) as copy:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.execute("PRAGMA page_size = 1024")
        copy.execute("VACUUM")
        assert copy.execute("PRAGMA page_size").fetchone()[0] == 1024
    result = run("restore", str(other))
    assert result.exit_code == 0, result.output
    assert count(db_path, "cards") == 5


def test_restore_replaces_a_damaged_database(
    db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.db"
    assert run("backup", "-o", str(saved)).exit_code == 0
    conn.close()
    db_path.write_bytes(b"\x00garbage" * 1000)
    result = run("restore", str(saved), "--json")
    assert result.exit_code == 0, result.output
    kept = Path(json.loads(result.stdout)["backup"])
    assert kept.read_bytes() == b"\x00garbage" * 1000  # kept for the user, not deleted
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o666 & ~umask  # not a temporary file's 0o600
    assert run("decks").exit_code == 0
    assert count(db_path, "cards") == 5


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    data[2 * page + 8 : 3 * page] = b"\xff" * (page - 8)
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
        db.execute("PRAGMA user_version = 3")


def _newer(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda path: path.write_text("name: not a database\n"),
            "not a sound trainer database: file is not a database",
        ),
        (lambda path: path.write_bytes(b""), "not a trainer database (no trainer tables in it)"),
        (_foreign, "not a trainer database (no trainer tables in it)"),
        (_newer, f"database schema version {SCHEMA_VERSION + 1} is newer than this trainer understands"),
        (_corrupt, "not a sound trainer database: database disk image is malformed"),
    ],
    ids=["text", "empty", "foreign", "newer", "corrupt"],
)
def test_restore_refuses_what_is_not_a_sound_trainer_database(
    db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path, spoil: object, message: str
) -> None:
    bad = tmp_path / "bad.db"
    if spoil in (_corrupt, _newer):
        assert run("backup", "-o", str(bad)).exit_code == 0
    assert callable(spoil)
    spoil(bad)
    before = digest(db_path)
    result = run("restore", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: {message}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert digest(db_path) == before
    assert not any(name.endswith(".tmp") for name in names(db_path))
    assert sorted(path.name for path in db_path.parent.iterdir() if path.name.startswith(".")) == []
