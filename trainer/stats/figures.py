"""The progress figures Anki users rely on, computed from the cards and the review log with SQL aggregates.

Everything is counted by review day (the log's ``day`` column, which already honours the zone and the
day-start hour), so no figure here ever converts a time. Each figure is one GROUP BY query, which keeps
a million-row log at well under a second.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
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
    cards = _cards(query, today)
    return Stats(
        today=today,
        days=days,
        states=cards.states,
        per_day=answers_per_day(conn, first, today, deck_id),
        streaks=streaks(_answer_days(query), today),
        young=young,
        mature=mature,
        average_easiness=cards.average_easiness(),
        easiness=sorted(cards.buckets.items()),
        forecast=cards.forecast(today),
        decks=_decks(query, cards),
    )


@dataclass
class _CardFigures:
    """What the report shows of the cards, added up from the groups of one pass over them."""

    states: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    buckets: dict[Decimal, int] = field(default_factory=dict)
    """Reviewed cards by the lowest EF of their 0.1-wide bucket."""
    easiness_cents: int = 0
    due: dict[str, int] = field(default_factory=dict)
    """Cards falling due by ISO day within the forecast, overdue ones on today."""
    seen: dict[int, int] = field(default_factory=dict)
    mature: dict[int, int] = field(default_factory=dict)
    cards: dict[int, int] = field(default_factory=dict)
    """By deck id: cards ever reviewed, mature cards, all cards."""

    def add(self, deck: int, state: str, cents: int | None, due: str | None, count: int) -> None:
        """Count ``count`` cards alike: deck, state, EF (None if never reviewed), forecast day (or None)."""
        self.states[state] += count
        self.cards[deck] = self.cards.get(deck, 0) + count
        self.mature[deck] = self.mature.get(deck, 0) + count * (state == "mature")
        if cents is not None:
            low = Decimal(cents // 10) / 10
            self.buckets[low] = self.buckets.get(low, 0) + count
            self.easiness_cents += cents * count
            self.seen[deck] = self.seen.get(deck, 0) + count
        if due is not None:
            self.due[due] = self.due.get(due, 0) + count

    def average_easiness(self) -> Decimal | None:
        reviewed = sum(self.buckets.values())
        if not reviewed:
            return None
        return (Decimal(self.easiness_cents) / reviewed / 100).quantize(Decimal("0.01"))

    def forecast(self, today: date) -> list[tuple[date, int]]:
        days = (today + timedelta(days=offset) for offset in range(FORECAST_DAYS))
        return [(day, self.due.get(day.isoformat(), 0)) for day in days]


def _cards(query: _Query, today: date) -> _CardFigures:
    """States, easiness, the forecast and each deck's progress in one scan of the cards.

    SQL reduces each card to what the figures need (deck, state, EF if reviewed, forecast day) and a
    Counter groups the alike ones in a hash: far cheaper than a GROUP BY, which sorts every card.
    """
    end = today + timedelta(days=FORECAST_DAYS)
    sql = (
        f"SELECT deck_id, {STATE_SQL}, CASE WHEN due_day IS NOT NULL THEN easiness_cents END,"
        " CASE WHEN NOT suspended AND due_day < :end THEN MAX(due_day, :today) END"
        f" FROM cards {query.cards_where}"
    )
    rows = query.conn.cursor()
    rows.row_factory = None
    alike = Counter(rows.execute(sql, query.params | {"today": today.isoformat(), "end": end.isoformat()}))
    figures = _CardFigures()
    for (deck, state, cents, due), count in alike.items():
        figures.add(deck, state, cents, due, count)
    return figures


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
    """The days with an answer, found by stepping from day to day along the day index (a few thousand
    seeks) instead of reading every log row; a day holding only imports is no answer day."""
    sql = (
        "WITH RECURSIVE days(day) AS (SELECT MIN(day) FROM reviews"
        " UNION ALL SELECT (SELECT MIN(day) FROM reviews WHERE day > days.day) FROM days"
        " WHERE days.day IS NOT NULL)"
        " SELECT day FROM days WHERE day IS NOT NULL AND EXISTS"
        f" (SELECT 1 FROM reviews WHERE reviews.day = days.day AND kind != 'import' {query.reviews_where})"
    )
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


def _decks(query: _Query, cards: _CardFigures) -> list[DeckProgress]:
    where = "WHERE id = :deck" if query.params["deck"] is not None else ""
    decks = query.rows(f"SELECT id, name FROM decks {where} ORDER BY name")
    return [
        DeckProgress(name, cards.cards.get(deck, 0), cards.seen.get(deck, 0), cards.mature.get(deck, 0))
        for deck, name in decks
    ]
