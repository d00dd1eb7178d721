"""The shared test builders make the state their docstrings promise, through the library."""

from __future__ import annotations

import json
import sqlite3

from tests.support import TODAY, Runner, build_log, lapsed_until_due
from trainer.store.cards import get_card
from trainer.store.reviews import check


def test_a_lapsed_card_is_due_with_the_lapses_asked_for(conn: sqlite3.Connection) -> None:
    lapsed_until_due(conn, 1, lapses=7, due=TODAY)
    schedule = get_card(conn, 1).schedule
    assert (schedule.state.repetitions, schedule.state.interval, schedule.due, schedule.lapses) == (
        2,
        6,
        TODAY,
        7,
    )
    assert check(conn) == []  # every change is in the log


def test_the_stats_log_leaves_card_4_suspended_and_the_log_consistent(conn: sqlite3.Connection) -> None:
    build_log(conn)
    assert get_card(conn, 4).suspended and not get_card(conn, 3).suspended
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 20
    assert check(conn) == []


def test_run_is_the_cli_on_the_test_database_at_now(run: Runner, conn: sqlite3.Connection) -> None:
    graded = json.loads(run("grade", "1", "5", "--json").output)
    assert graded["due"] == "2026-11-23"  # answered on NOW's review day
    assert get_card(conn, 1).schedule.state.repetitions == 1
