"""The aggregates behind the progress figures: one query each over the cards and the review log.

The figures themselves are computed in ``trainer.stats.figures`` from these rows; a million-row log
costs no Python per review, and the cards are read in one pass.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

from trainer.scheduler.sm2 import PASS_QUALITY
from trainer.stats.figures import (
    MATURE_DAYS,
    CardGroup,
    DayCount,
    Stats,
    StatsRows,
    days_counted,
    figures,
    forecast_end,
    period_start,
)

STATE_SQL = (
    "CASE WHEN cards.suspended THEN 'suspended' WHEN cards.due_day IS NULL THEN 'new'"
    f" WHEN cards.repetitions < 2 THEN 'learning' WHEN cards.interval < {MATURE_DAYS} THEN 'young'"
    " ELSE 'mature' END"
)
"""A card's state (``trainer.stats.figures.STATES``), one definition for the report and the exports."""


class _Query:
    """The deck filter, applied the same way to every query."""

    def __init__(self, conn: sqlite3.Connection, deck_id: int | None) -> None:
        self.conn = conn
        self.params: dict[str, object] = {"deck": deck_id}
        self.cards_where = "WHERE cards.deck_id = :deck" if deck_id is not None else "WHERE 1"
        in_deck = "AND reviews.card_id IN (SELECT id FROM cards WHERE deck_id = :deck)"
        self.reviews_where = in_deck if deck_id is not None else ""

    def rows(self, sql: str, **params: object) -> list[sqlite3.Row]:
        return self.conn.execute(sql, self.params | params).fetchall()


def compute_stats(conn: sqlite3.Connection, today: date, days: int = 30, deck_id: int | None = None) -> Stats:
    """All figures for the report, for one deck or (``deck_id`` None) the whole collection."""
    first = period_start(today, days)
    query = _Query(conn, deck_id)
    return figures(
        StatsRows(
            today=today,
            days=days,
            card_groups=_card_groups(query, today),
            day_counts=_day_counts(query, first, today),
            answer_days=_answer_days(query),
            retention=_retention(query, first, today),
            decks=_decks(query),
        )
    )


def answers_per_day(
    conn: sqlite3.Connection, first: date, last: date, deck_id: int | None = None
) -> list[DayCount]:
    """Answers on every review day from ``first`` to ``last`` inclusive, zeros included."""
    return days_counted(_day_counts(_Query(conn, deck_id), first, last), first, last)


def _card_groups(query: _Query, today: date) -> Counter[CardGroup]:
    """States, easiness, the forecast and each deck's progress in one scan of the cards.

    SQL reduces each card to what the figures need (deck, state, EF if reviewed, forecast day) and a
    Counter groups the alike ones in a hash: far cheaper than a GROUP BY, which sorts every card.
    """
    sql = (
        f"SELECT deck_id, {STATE_SQL}, CASE WHEN due_day IS NOT NULL THEN easiness_cents END,"
        " CASE WHEN NOT suspended AND due_day < :end THEN MAX(due_day, :today) END"
        f" FROM cards {query.cards_where}"
    )
    rows = query.conn.cursor()
    rows.row_factory = None
    params = query.params | {"today": today.isoformat(), "end": forecast_end(today).isoformat()}
    return Counter(rows.execute(sql, params))


def _day_counts(query: _Query, first: date, last: date) -> dict[str, tuple[int, int]]:
    """(first grades, drills) by ISO review day from ``first`` to ``last``, for the days with answers."""
    sql = (
        "SELECT day, SUM(kind = 'review'), SUM(kind = 'drill') FROM reviews"
        f" WHERE day BETWEEN :first AND :last AND quality IS NOT NULL {query.reviews_where} GROUP BY day"
    )
    rows = query.rows(sql, first=first.isoformat(), last=last.isoformat())
    return {row[0]: (row[1], row[2]) for row in rows}


def _answer_days(query: _Query) -> list[date]:
    """The days with an answer, found by stepping from day to day along the day index (a few thousand
    seeks) instead of reading every log row; a day holding only imports is no answer day."""
    sql = (
        "WITH RECURSIVE days(day) AS (SELECT MIN(day) FROM reviews"
        " UNION ALL SELECT (SELECT MIN(day) FROM reviews WHERE day > days.day) FROM days"
        " WHERE days.day IS NOT NULL)"
        " SELECT day FROM days WHERE day IS NOT NULL AND EXISTS"
        f" (SELECT 1 FROM reviews WHERE reviews.day = days.day AND quality IS NOT NULL {query.reviews_where})"
    )
    return [date.fromisoformat(row[0]) for row in query.rows(sql)]


def _retention(query: _Query, first: date, last: date) -> dict[bool, tuple[int, int]]:
    """(reviews, passed) by maturity: first grades of the day on cards already scheduled (interval > 0)."""
    sql = (
        f"SELECT interval_before >= {MATURE_DAYS}, COUNT(*), SUM(quality >= {PASS_QUALITY}) FROM reviews"
        " WHERE day BETWEEN :first AND :last AND kind = 'review' AND interval_before > 0"
        f" {query.reviews_where} GROUP BY 1"
    )
    rows = query.rows(sql, first=first.isoformat(), last=last.isoformat())
    return {bool(row[0]): (row[1], row[2]) for row in rows}


def _decks(query: _Query) -> list[tuple[int, str]]:
    where = "WHERE id = :deck" if query.params["deck"] is not None else ""
    return [(row[0], row[1]) for row in query.rows(f"SELECT id, name FROM decks {where} ORDER BY name")]
