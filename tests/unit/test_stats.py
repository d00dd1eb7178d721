"""Every figure of `trainer stats`, on a review log written through answer_card with known answers.

The log (``build_log`` in ``tests/support.py``) covers two decks and seven cards; the expected numbers
below were worked out by hand from the SM-2 rules, so each assertion states what the user should see.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import NOW, TODAY, answer, build_log, sample_deck
from trainer.cli import cli
from trainer.scheduler.schedule import Schedule
from trainer.scheduler.sm2 import Sm2State
from trainer.stats.figures import DeckProgress, Retention
from trainer.stats.streaks import Streaks, streaks
from trainer.store.db import transaction
from trainer.store.decks import find_deck_id, upsert_deck
from trainer.store.reviews import append_import
from trainer.store.stats_queries import answers_per_day, compute_stats

NOW_UTC = datetime(2026, 11, 22, 9, tzinfo=UTC)


@pytest.fixture
def log(conn: sqlite3.Connection) -> sqlite3.Connection:
    build_log(conn)
    return conn


def test_cards_by_state(log: sqlite3.Connection) -> None:
    stats = compute_stats(log, TODAY)
    assert stats.states == {"new": 1, "learning": 3, "young": 1, "mature": 1, "suspended": 1}


def test_answers_per_day_split_first_grades_from_drills(log: sqlite3.Connection) -> None:
    stats = compute_stats(log, TODAY, days=30)
    assert len(stats.per_day) == 30
    assert stats.per_day[0].day == date(2026, 10, 24)
    by_day = {day.day: (day.reviews, day.drills) for day in stats.per_day if day.answers}
    assert by_day == {
        date(2026, 10, 30): (1, 0),
        date(2026, 11, 1): (1, 0),
        date(2026, 11, 2): (1, 0),
        date(2026, 11, 8): (1, 0),
        date(2026, 11, 12): (1, 1),
        date(2026, 11, 13): (1, 0),
        date(2026, 11, 19): (1, 0),
        date(2026, 11, 20): (2, 0),
        date(2026, 11, 21): (1, 0),
        date(2026, 11, 22): (1, 0),
    }
    assert stats.today_count.answers == 1


def test_true_retention_counts_first_grades_of_scheduled_cards(log: sqlite3.Connection) -> None:
    stats = compute_stats(log, TODAY, days=30)
    # young: card 1 on 11-02, 11-08 passed and 11-20 failed; card 2 on 11-13 and card 6 on 11-20 passed.
    assert stats.young == Retention(reviews=5, passed=4)
    # mature: card 2 failed on 11-12 (interval 48), card 3 passed on 10-30 (interval 48).
    assert stats.mature == Retention(reviews=2, passed=1)
    assert stats.retention.share == pytest.approx(5 / 7)


def test_retention_covers_only_the_period(log: sqlite3.Connection) -> None:
    stats = compute_stats(log, TODAY, days=7)  # 11-16 .. 11-22
    assert stats.young == Retention(reviews=2, passed=1)
    assert stats.mature == Retention()
    assert stats.mature.share is None


def test_easiness_average_and_distribution(log: sqlite3.Connection) -> None:
    stats = compute_stats(log, TODAY)
    # cards 1-4, 6, 7: EF 2.48, 2.44, 2.90, 2.50, 2.70, 2.60 -> mean 2.6033
    assert stats.average_easiness == Decimal("2.60")
    assert stats.easiness == [
        (Decimal("2.4"), 2),
        (Decimal("2.5"), 1),
        (Decimal("2.6"), 1),
        (Decimal("2.7"), 1),
        (Decimal("2.9"), 1),
    ]


def test_due_forecast_counts_overdue_cards_today_and_leaves_out_suspended(log: sqlite3.Connection) -> None:
    stats = compute_stats(log, TODAY)
    assert len(stats.forecast) == 30
    assert stats.forecast[0] == (TODAY, 2)  # card 1 (due 11-21) and card 2 (due 11-14)
    due = {day: count for day, count in stats.forecast if count}
    assert due == {TODAY: 2, date(2026, 11, 23): 1, date(2026, 11, 26): 1}  # cards 7 and 6


def test_per_deck_progress(log: sqlite3.Connection) -> None:
    stats = compute_stats(log, TODAY)
    assert stats.decks == [
        DeckProgress("Other", cards=2, seen=2, mature=0),
        DeckProgress("Sample", cards=5, seen=4, mature=1),
    ]
    assert stats.decks[1].mastered_share == pytest.approx(0.2)


def test_streaks_from_the_log(log: sqlite3.Connection) -> None:
    assert compute_stats(log, TODAY).streaks == Streaks(current=4, longest=4)  # 11-19 .. 11-22


def test_a_day_with_only_imports_is_no_answer_day(log: sqlite3.Connection) -> None:
    with transaction(log):
        append_import(log, 5, Schedule(Sm2State(2, 250, 6), date(2026, 11, 28)), NOW_UTC, date(2026, 11, 18))
    assert compute_stats(log, TODAY).streaks == Streaks(current=4, longest=4)  # 11-18 holds only the import


def test_one_deck_only(log: sqlite3.Connection) -> None:
    stats = compute_stats(log, TODAY, deck_id=find_deck_id(log, "Other"))
    assert stats.states == {"new": 0, "learning": 1, "young": 1, "mature": 0, "suspended": 0}
    assert stats.young == Retention(1, 1)
    assert stats.streaks == Streaks(current=1, longest=2)  # 11-19, 11-20, then 11-22
    assert [deck.name for deck in stats.decks] == ["Other"]
    assert stats.average_easiness == Decimal("2.65")


def test_empty_collection(conn: sqlite3.Connection) -> None:
    stats = compute_stats(conn, TODAY)
    assert stats.streaks == Streaks(0, 0)
    assert stats.average_easiness is None
    assert stats.easiness == []
    assert stats.retention.share is None
    assert stats.states["new"] == 5


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], Streaks(0, 0)),
        ([date(2026, 11, 22)], Streaks(1, 1)),
        ([date(2026, 11, 21)], Streaks(1, 1)),  # today is not over: yesterday's streak is alive
        ([date(2026, 11, 20)], Streaks(0, 1)),
        ([date(2026, 11, d) for d in (1, 2, 3, 5, 21, 22)], Streaks(2, 3)),
        ([date(2026, 11, 23), date(2026, 11, 22)], Streaks(1, 1)),  # days after today are left out
    ],
)
def test_streak_rules(days: list[date], expected: Streaks) -> None:
    assert streaks(days, TODAY) == expected


def test_streak_across_the_day_start_hour_and_both_dst_changes(conn: sqlite3.Connection) -> None:
    for local_time in (
        "2026-03-27T21:00+01:00",  # day 03-27
        "2026-03-29T01:30+01:00",  # before 04:00, the night DST starts: still 03-28
        "2026-03-29T03:30+02:00",  # after the jump, still before 04:00: 03-28 (a drill)
        "2026-03-29T04:30+02:00",  # day 03-29
        "2026-03-30T10:00+02:00",  # day 03-30
        "2026-10-24T10:00+02:00",  # day 10-24
        "2026-10-25T02:30+02:00",  # the night DST ends, first 02:30: still 10-24
        "2026-10-25T02:30+01:00",  # the second 02:30: still 10-24
        "2026-10-26T03:59+01:00",  # day 10-25
        "2026-10-26T04:00+01:00",  # day 10-26
    ):
        answer(conn, 1, 4, local_time)
    march = answers_per_day(conn, date(2026, 3, 27), date(2026, 3, 30))
    assert [(day.reviews, day.drills) for day in march] == [(1, 0), (1, 1), (1, 0), (1, 0)]
    october = answers_per_day(conn, date(2026, 10, 24), date(2026, 10, 26))
    assert [day.answers for day in october] == [3, 1, 1]
    assert compute_stats(conn, date(2026, 10, 27)).streaks == Streaks(current=3, longest=4)
    assert compute_stats(conn, date(2026, 10, 28)).streaks == Streaks(current=0, longest=4)


def invoke(db_path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--now", NOW, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_stats_json_is_the_figures(log: sqlite3.Connection, db_path: Path) -> None:
    data = json.loads(invoke(db_path, "stats", "--json"))
    assert data == {"deck": None} | compute_stats(log, TODAY).as_json()
    assert data["streak"] == {"current": 4, "longest": 4}
    assert data["retention"]["young"] == {"reviews": 5, "passed": 4, "share": 0.8}
    assert data["easiness"]["average"] == 2.6
    assert data["decks"][1] == {"deck": "Sample", "cards": 5, "seen": 4, "mature": 1, "mastered_share": 0.2}


def test_stats_report_in_the_terminal(log: sqlite3.Connection, db_path: Path) -> None:
    lines = [" ".join(line.split()) for line in invoke(db_path, "stats", "--days", "7").splitlines()]
    assert lines[0] == "Progress on 2026-11-22, all decks, last 7 days"
    for expected in (
        "learning 3",
        "current streak 4 days",
        "days studied 4 of 7",
        "2026-11-20 2 2 0",
        "young (interval < 21 d) 50.0% (1 of 2)",
        "mature (interval >= 21 d) - (0 of 0)",
        "2.40–2.49 2",
        "2026-11-26 1",
        "Sample 5 4 1 20.0%",
    ):
        assert expected in lines


def test_stats_report_shows_a_deck_name_literally(conn: sqlite3.Connection, db_path: Path) -> None:
    with transaction(conn):
        upsert_deck(conn, sample_deck("[bold]x\x1b[2J", 1))
    output = invoke(db_path, "stats", "--deck", "[bold]x\x1b[2J")
    assert "deck [bold]x\\x1b[2J" in output
    assert "\x1b" not in output


def test_stats_for_an_unknown_deck_is_one_line_error(conn: sqlite3.Connection, db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stats", "--deck", "Nope"])
    assert result.exit_code == 1
    assert "no deck named 'Nope'" in result.output


def test_stats_report_for_one_day_says_day(log: sqlite3.Connection, db_path: Path) -> None:
    lines = [" ".join(line.split()) for line in invoke(db_path, "stats", "--days", "1").splitlines()]
    assert lines[0] == "Progress on 2026-11-22, all decks, last 1 day"
    assert "answers, last 1 day 1" in lines and not any("1 days" in line for line in lines)


def test_easiness_buckets_read_alike_in_hundredths(conn: sqlite3.Connection, db_path: Path) -> None:
    for card_id, grades in ((1, [2, 4]), (2, [4, 4, 4]), (3, [3, 3])):
        for n, quality in enumerate(grades):
            answer(conn, card_id, quality, f"2026-11-{10 + n}T09:00")
    buckets = [
        line.split()[0]
        for line in invoke(db_path, "stats").splitlines()
        if line.strip()[:1].isdigit() and "–" in line
    ]
    assert buckets and all(re.fullmatch(r"\d\.\d\d–\d\.\d9", bucket) for bucket in buckets), buckets
    assert "2.00–2.09" in buckets or "2.20–2.29" in buckets
