"""The progress figures Anki users rely on, computed from the aggregates the store reads.

Everything is counted by review day (the log's ``day`` column, which already honours the zone and the
day-start hour), so no figure here ever converts a time. Pure: ``trainer.store.stats_queries`` reads
each aggregate in one query and hands the rows here (``StatsRows``), which keeps a million-row log at
well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from trainer.stats.streaks import Streaks, streaks

MATURE_DAYS = 21
"""A card whose interval is at least this many days is mature (Anki's threshold)."""
FORECAST_DAYS = 30
STATES = ("new", "learning", "young", "mature", "suspended")
"""A card's states: learning = reviewed, fewer than two successful repetitions in a row (also after a
lapse); young/mature split at MATURE_DAYS; suspended whatever its schedule."""


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


CardGroup = tuple[int, str, int | None, str | None]
"""Cards alike for the figures: (deck id, state, EF in hundredths if ever reviewed, forecast day as
ISO text if due within FORECAST_DAYS, overdue ones on today)."""


@dataclass(frozen=True)
class StatsRows:
    """What the store read for the figures of ``days`` review days ending ``today``, one query each."""

    today: date
    days: int
    card_groups: Mapping[CardGroup, int]
    """How many cards share each group."""
    day_counts: Mapping[str, tuple[int, int]]
    """(first grades, same-day drills) by ISO review day within the period; days without answers absent."""
    answer_days: Iterable[date]
    """Every review day with an answer (imports are no answers), ever."""
    retention: Mapping[bool, tuple[int, int]]
    """(scheduled reviews, passed) within the period, by whether the card was mature when answered."""
    decks: Sequence[tuple[int, str]]
    """(id, name) of the decks in the report, by name."""


def period_start(today: date, days: int) -> date:
    """The first review day of a report of ``days`` days ending ``today``."""
    if days < 1:
        raise ValueError("days must be at least 1")
    return today - timedelta(days=days - 1)


def forecast_end(today: date) -> date:
    """The first day after the forecast."""
    return today + timedelta(days=FORECAST_DAYS)


def figures(rows: StatsRows) -> Stats:
    """All figures for the report from the store's rows."""
    cards = _CardFigures()
    for (deck, state, cents, due), count in rows.card_groups.items():
        cards.add(deck, state, cents, due, count)
    young, mature = (Retention(*rows.retention.get(key, (0, 0))) for key in (False, True))
    return Stats(
        today=rows.today,
        days=rows.days,
        states=cards.states,
        per_day=days_counted(rows.day_counts, period_start(rows.today, rows.days), rows.today),
        streaks=streaks(rows.answer_days, rows.today),
        young=young,
        mature=mature,
        average_easiness=cards.average_easiness(),
        easiness=sorted(cards.buckets.items()),
        forecast=cards.forecast(rows.today),
        decks=[
            DeckProgress(name, cards.cards.get(deck, 0), cards.seen.get(deck, 0), cards.mature.get(deck, 0))
            for deck, name in rows.decks
        ],
    )


def days_counted(counts: Mapping[str, tuple[int, int]], first: date, last: date) -> list[DayCount]:
    """Answers on every review day from ``first`` to ``last`` inclusive, zeros included, from the
    (first grades, drills) of the days with answers."""
    result = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        found = counts.get(day.isoformat())
        result.append(DayCount(day, *found) if found else DayCount(day))
    return result


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
