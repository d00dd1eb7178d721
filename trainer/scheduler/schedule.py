"""A card's whole schedule and how one log entry changes it.

The review log is the source of truth: folding ``apply`` over a card's log entries in order gives its
schedule, and answering a card is appending one entry and applying it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from trainer.scheduler.days import due_day, shifted
from trainer.scheduler.sm2 import (
    DRILL_DONE_QUALITY,
    MAX_INTERVAL_DAYS,
    MIN_EASINESS_CENTS,
    PASS_QUALITY,
    Sm2State,
    check_quality,
    review,
)

LEECH_LAPSES = 8
"""A card failed this many times after it had been learned is a leech (Anki's threshold)."""
MAX_COUNT = 1_000_000
"""The most repetitions or lapses a schedule holds: far beyond a lifetime of daily answers, and far
inside SQLite's 64-bit integers (an Anki package can claim 2**63 - 1 lapses)."""
MAX_CARRIED_EASINESS_CENTS = 10_000
"""The highest EF (100.00) a schedule from another program brings; SM-2's own reviews raise EF by at
most 0.10 a day, so only a foreign value (an Anki ease of 10**18) comes near it."""


class LogKind(StrEnum):
    """What a review-log row records."""

    REVIEW = "review"
    """The day's first grade: it moves the SM-2 state."""
    DRILL = "drill"
    """A later grade the same day: logged, but the schedule stays."""
    IMPORT = "import"
    """A schedule carried over from another program; replay starts from it."""
    FORGET = "forget"
    """The user reset the card to new (no quality): replay starts again from a new card."""


@dataclass(frozen=True)
class Schedule:
    """Everything the log determines about a card."""

    state: Sm2State = field(default_factory=Sm2State)
    due: date | None = None
    """None while the card is new (never reviewed)."""
    last_day: date | None = None
    """The review day of the latest answer."""
    drill_day: date | None = None
    """Set to the day a card was graded below 4; it keeps coming back that day until graded 4 or 5."""
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        return self.due is None

    @property
    def learned(self) -> bool:
        """Recalled at least once: a failure from here on is a lapse."""
        return self.state.repetitions > 0 or self.lapses > 0

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES


@dataclass(frozen=True)
class LogEntry:
    """One row of a card's log, as replay needs it."""

    kind: LogKind
    day: date
    quality: int | None = None
    imported: Schedule | None = None
    """For IMPORT entries: the schedule carried over."""


def kind_of_answer(schedule: Schedule, day: date) -> LogKind:
    """A card already answered on ``day`` (or, with a clock gone backwards, later) is being drilled."""
    if schedule.last_day is not None and schedule.last_day >= day:
        return LogKind.DRILL
    return LogKind.REVIEW


def answer(schedule: Schedule, quality: int, day: date) -> tuple[LogEntry, Schedule]:
    """Grade a card on ``day``: the log entry to append and the schedule it gives."""
    check_quality(quality)
    entry = LogEntry(kind_of_answer(schedule, day), day, quality)
    return entry, apply(schedule, entry)


def apply(schedule: Schedule, entry: LogEntry) -> Schedule:
    """The schedule after one log entry."""
    if entry.kind is LogKind.IMPORT:
        if entry.imported is None:
            raise ValueError("an import entry carries the imported schedule")
        return entry.imported
    if entry.kind is LogKind.FORGET:
        return Schedule()
    if entry.quality is None:
        raise ValueError(f"a {entry.kind} entry needs a quality")
    quality = entry.quality
    # A clock that went backwards never moves a card's days backwards.
    day = max(entry.day, schedule.last_day) if schedule.last_day else entry.day
    drill_day = day if quality < DRILL_DONE_QUALITY else None
    if entry.kind is LogKind.DRILL:
        return replace(schedule, last_day=day, drill_day=drill_day)
    state = review(schedule.state, quality)
    lapsed = quality < PASS_QUALITY and schedule.learned
    return Schedule(
        state=state,
        due=due_day(day, state.interval),
        last_day=day,
        drill_day=drill_day,
        lapses=min(schedule.lapses + lapsed, MAX_COUNT),
    )


def within_bounds(schedule: Schedule, today: date) -> Schedule:
    """A schedule from another program within our bounds, so answering it can never overflow.

    Counts, EF and interval are clamped; the due day lies within MAX_INTERVAL_DAYS of ``today``, as
    every due day we compute does.
    """
    state = schedule.state
    bounded = Sm2State(
        repetitions=min(max(state.repetitions, 0), MAX_COUNT),
        easiness_cents=min(max(state.easiness_cents, MIN_EASINESS_CENTS), MAX_CARRIED_EASINESS_CENTS),
        interval=min(max(state.interval, 0), MAX_INTERVAL_DAYS),
    )
    due = schedule.due
    if due is not None:
        due = min(max(due, shifted(today, -MAX_INTERVAL_DAYS)), shifted(today, MAX_INTERVAL_DAYS))
    return replace(schedule, state=bounded, due=due, lapses=min(max(schedule.lapses, 0), MAX_COUNT))


def replay(entries: Iterable[LogEntry]) -> Schedule:
    """The schedule a card's whole log gives, from a new card."""
    schedule = Schedule()
    for entry in entries:
        schedule = apply(schedule, entry)
    return schedule
