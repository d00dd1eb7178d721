"""Disk, permission and clock faults: a clear message, nothing half-written, no negative interval."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support import NOW_AT, TODAY
from trainer.store.cards import get_card
from trainer.store.reviews import answer_card, check


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def trainer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_full_disk_writes_nothing(conn: sqlite3.Connection) -> None:
    answer_card(conn, 1, 5, NOW_AT, TODAY)
    before = get_card(conn, 2)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for n in range(10_000):  # fill the log until the page cap is hit
            answer_card(conn, 2, 4, NOW_AT + timedelta(days=n), TODAY + timedelta(days=n))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check(conn) == []
    logged = conn.execute("SELECT COUNT(*) FROM reviews WHERE card_id = 2").fetchone()[0]
    assert get_card(conn, 2).schedule.state.repetitions == logged
    assert before.schedule.is_new


def test_missing_directory_is_created(tmp_path: Path) -> None:
    db = tmp_path / "new" / "deeper" / "trainer.db"
    result = trainer("--db", str(db), "decks")
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_impossible_location_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = trainer("--db", str(blocker / "trainer.db"), "decks")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "cannot open database" in result.stderr


def test_read_only_database(db_path: Path, conn: sqlite3.Connection) -> None:
    """An immutable file (chattr +i) is read-only even for root, as a user's read-only file is."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if subprocess.run(["chattr", "+i", str(db_path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here to make a file read-only for root")
    try:
        before = digest(db_path)
        result = trainer("--db", str(db_path), "--now", "2026-11-22T12:00Z", "grade", "1", "4")
        assert digest(db_path) == before
    finally:
        subprocess.run(["chattr", "-i", str(db_path)], check=True)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "read-only" in result.stderr


def test_clock_going_backwards(conn: sqlite3.Connection) -> None:
    answer_card(conn, 1, 5, NOW_AT, TODAY)
    answer_card(conn, 1, 5, NOW_AT + timedelta(days=1), TODAY + timedelta(days=1))
    back = answer_card(conn, 1, 0, NOW_AT - timedelta(days=30), TODAY - timedelta(days=30))
    assert back.after.state.interval >= 1
    assert back.after.due is not None and back.after.due >= TODAY
    ids = [row[0] for row in conn.execute("SELECT id FROM reviews WHERE card_id = 1 ORDER BY id")]
    assert ids == sorted(ids) and len(ids) == 3
    assert check(conn) == []


def test_a_year_away_schedules_overdue_cards_sensibly(conn: sqlite3.Connection) -> None:
    for card in (1, 2, 3):
        answer_card(conn, card, 5, NOW_AT, TODAY - timedelta(days=card))
    later = TODAY + timedelta(days=365)
    answered = answer_card(conn, 2, 4, NOW_AT + timedelta(days=365), later)
    assert answered.after.due == later + timedelta(days=6)
    assert answered.after.state.repetitions == 2
