"""The progress figures Anki users rely on, computed from the cards and the review log with SQL aggregates.

Everything is counted by review day (the log's ``day`` column, which already honours the zone and the
day-start hour), so no figure here ever converts a time. Each figure is one GROUP BY query, which keeps
a million-row log at well under a second.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from trainer.scheduler.sm2 import PASS_QUALITY
from trainer.stats.streaks import Streaks, streaks

MATURE_DAYS = 21
"""A card whose interval is at least this many days is mature (Anki's threshold)."""
FORECAST_DAYS = 30
STATES = ("new", "learning", "young", "mature", "suspended")
STATE_SQL = (
    "CASE WHEN cards.suspended THEN 'suspended' WHEN cards.due_day IS NULL THEN 'new'"
    f" WHEN cards.repetitions < 2 THEN 'learning' WHEN cards.interval < {MATURE_DAYS} THEN 'young'"
    " ELSE 'mature' END"
)
"""A card's state, one definition for the report and the exports: learning = reviewed, fewer than two
successful repetitions in a row (also after a lapse); young/mature split at MATURE_DAYS."""


@dataclass(frozen=True)
class DayCount:
    """Answers on one review day: the day's first grades (reviews) and the same-day repeats (drills)."""

    day: date
    reviews: int = 0
    drills: int = 0

    @property
    def answers(self) -> int:
        return self.reviews + self.drills


@dataclass(frozen=True)
class Retention:
    """Scheduled reviews (the day's first grade of a card seen before) and how many were passed (>= 3)."""

    reviews: int = 0
    passed: int = 0

    @property
    def share(self) -> float | None:
        """Passed / reviews; None when there was nothing to measure."""
        return self.passed / self.reviews if self.reviews else None

    def __add__(self, other: Retention) -> Retention:
        return Retention(self.reviews + other.reviews, self.passed + other.passed)


@dataclass(frozen=True)
class DeckProgress:
    """One deck's cards, how many were ever reviewed, and how many are mature."""

    name: str
    cards: int
    seen: int
    mature: int

    @property
    def mastered_share(self) -> float:
        """Mature cards as a share of all the deck's cards (0 for an empty deck)."""
        return self.mature / self.cards if self.cards else 0.0


@dataclass(frozen=True)
class Stats:
    """Every figure of the report, as of ``today`` over the ``days`` review days ending today."""

    today: date
    days: int
    states: dict[str, int]
    """Cards by state, keys as in STATES."""
    per_day: list[DayCount]
    """Every day of the period, oldest first, days without answers included."""
    streaks: Streaks
    young: Retention
    mature: Retention
    average_easiness: Decimal | None
    """Mean EF of the cards reviewed at least once, to the hundredth; None if there are none."""
    easiness: list[tuple[Decimal, int]]
    """(lowest EF of a 0.1-wide bucket, cards in it) for the non-empty buckets, lowest first."""
    forecast: list[tuple[date, int]]
    """Cards falling due on each of the next FORECAST_DAYS days, overdue ones counted on today."""
    decks: list[DeckProgress]

    @property
    def today_count(self) -> DayCount:
        return self.per_day[-1]

    @property
    def retention(self) -> Retention:
        return self.young + self.mature

    def as_json(self) -> dict[str, Any]:
        """The figures as plain JSON data (the `stats --json` and `export stats` summary)."""

        def retention(figure: Retention) -> dict[str, Any]:
            share = None if figure.share is None else round(figure.share, 4)
            return {"reviews": figure.reviews, "passed": figure.passed, "share": share}

        return {
            "today": self.today.isoformat(),
            "days": self.days,
            "cards": self.states | {"total": sum(self.states.values())},
            "reviews_today": self.today_count.answers,
            "per_day": [_day_json(day) for day in self.per_day],
            "streak": {"current": self.streaks.current, "longest": self.streaks.longest},
            "retention": {
                "young": retention(self.young),
                "mature": retention(self.mature),
                "all": retention(self.retention),
            },
            "easiness": {
                "average": None if self.average_easiness is None else float(self.average_easiness),
                "distribution": [{"from": float(low), "cards": cards} for low, cards in self.easiness],
            },
            "forecast": [{"day": day.isoformat(), "due": due} for day, due in self.forecast],
            "decks": [
                {
                    "deck": deck.name,
                    "cards": deck.cards,
                    "seen": deck.seen,
                    "mature": deck.mature,
                    "mastered_share": round(deck.mastered_share, 4),
                }
                for deck in self.decks
            ],
        }


def _day_json(day: DayCount) -> dict[str, Any]:
    return {"day": day.day.isoformat(), "answers": day.answers, "reviews": day.reviews, "drills": day.drills}


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
    if days < 1:
        raise ValueError("days must be at least 1")
    query = _Query(conn, deck_id)
    first = today - timedelta(days=days - 1)
    young, mature = _retention(query, first, today)
    average, buckets = _easiness(query)
    return Stats(
        today=today,
        days=days,
        states=_states(query),
        per_day=answers_per_day(conn, first, today, deck_id),
        streaks=streaks(_answer_days(query), today),
        young=young,
        mature=mature,
        average_easiness=average,
        easiness=buckets,
        forecast=_forecast(query, today),
        decks=_decks(query),
    )


def _states(query: _Query) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    sql = f"SELECT {STATE_SQL} AS state, COUNT(*) FROM cards {query.cards_where} GROUP BY state"
    counts.update({row[0]: row[1] for row in query.rows(sql)})
    return counts


def answers_per_day(
    conn: sqlite3.Connection, first: date, last: date, deck_id: int | None = None
) -> list[DayCount]:
    """Answers on every review day from ``first`` to ``last`` inclusive, zeros included."""
    query = _Query(conn, deck_id)
    sql = (
        "SELECT day, SUM(kind = 'review'), SUM(kind = 'drill') FROM reviews"
        f" WHERE day BETWEEN :first AND :last AND kind != 'import' {query.reviews_where} GROUP BY day"
    )
    found = {row[0]: row for row in query.rows(sql, first=first.isoformat(), last=last.isoformat())}
    result = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        row = found.get(day.isoformat())
        result.append(DayCount(day, row[1], row[2]) if row else DayCount(day))
    return result


def _answer_days(query: _Query) -> list[date]:
    sql = f"SELECT DISTINCT day FROM reviews WHERE kind != 'import' {query.reviews_where}"
    return [date.fromisoformat(row[0]) for row in query.rows(sql)]


def _retention(query: _Query, first: date, last: date) -> tuple[Retention, Retention]:
    """(young, mature) retention: first grades of the day on cards already scheduled (interval > 0)."""
    sql = (
        f"SELECT interval_before >= {MATURE_DAYS}, COUNT(*), SUM(quality >= {PASS_QUALITY}) FROM reviews"
        " WHERE day BETWEEN :first AND :last AND kind = 'review' AND interval_before > 0"
        f" {query.reviews_where} GROUP BY 1"
    )
    rows = query.rows(sql, first=first.isoformat(), last=last.isoformat())
    found = {bool(row[0]): Retention(row[1], row[2]) for row in rows}
    return found.get(False, Retention()), found.get(True, Retention())


def _easiness(query: _Query) -> tuple[Decimal | None, list[tuple[Decimal, int]]]:
    sql = (
        "SELECT easiness_cents / 10 AS bucket, COUNT(*), SUM(easiness_cents) FROM cards"
        f" {query.cards_where} AND due_day IS NOT NULL GROUP BY bucket ORDER BY bucket"
    )
    rows = query.rows(sql)
    cards = sum(row[1] for row in rows)
    if not cards:
        return None, []
    average = (Decimal(sum(row[2] for row in rows)) / cards / 100).quantize(Decimal("0.01"))
    return average, [(Decimal(row[0]) / 10, row[1]) for row in rows]


def _forecast(query: _Query, today: date) -> list[tuple[date, int]]:
    end = today + timedelta(days=FORECAST_DAYS)
    sql = (
        "SELECT MAX(due_day, :today) AS day, COUNT(*) FROM cards"
        f" {query.cards_where} AND NOT suspended AND due_day < :end GROUP BY day"
    )
    found = {row[0]: row[1] for row in query.rows(sql, today=today.isoformat(), end=end.isoformat())}
    days = (today + timedelta(days=offset) for offset in range(FORECAST_DAYS))
    return [(day, found.get(day.isoformat(), 0)) for day in days]


def _decks(query: _Query) -> list[DeckProgress]:
    where = "WHERE decks.id = :deck" if query.params["deck"] is not None else ""
    sql = (
        f"SELECT decks.name, COUNT(cards.id), COALESCE(SUM(cards.due_day IS NOT NULL), 0),"
        f" COALESCE(SUM({STATE_SQL} = 'mature'), 0)"
        f" FROM decks LEFT JOIN cards ON cards.deck_id = decks.id {where}"
        " GROUP BY decks.id ORDER BY decks.name"
    )
    return [DeckProgress(*row) for row in query.rows(sql)]
