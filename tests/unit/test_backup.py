"""Backups through SQLite's backup API: the committed state, in backups/ beside the database."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from tests.support import NOW_AT
from trainer.store.backup import list_backups, take_backup
from trainer.store.db import transaction


def test_backup_holds_the_committed_state_during_a_write(db_path: Path, conn: sqlite3.Connection) -> None:
    with transaction(conn):  # raw deletes on purpose: a write in progress the backup must not see
        conn.execute("DELETE FROM reviews")
        conn.execute("DELETE FROM cards")
        path = take_backup(db_path, NOW_AT)
    assert path == db_path.parent / "backups" / "trainer-20261122T090000Z-001.db"
    with sqlite3.connect(path) as copy:
        assert copy.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 5
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_few_are_kept_and_the_oldest_dropped(db_path: Path, conn: sqlite3.Connection) -> None:
    made = [take_backup(db_path, NOW_AT + timedelta(minutes=n), keep=3) for n in range(5)]
    assert list_backups(db_path) == made[2:]


def test_same_second_gets_a_new_name(db_path: Path, conn: sqlite3.Connection) -> None:
    first, second = take_backup(db_path, NOW_AT), take_backup(db_path, NOW_AT)
    assert (first.name, second.name) == ("trainer-20261122T090000Z-001.db", "trainer-20261122T090000Z-002.db")
