"""Daily streaks from the days a user answered anything. Pure: days in, figures out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Streaks:
    """Runs of consecutive review days with at least one answer."""

    current: int
    """The run ending today, or yesterday while today has no answer yet (the day is not over)."""
    longest: int
    """The longest run ever, the current one included."""


def streaks(days: Iterable[date], today: date) -> Streaks:
    """The current and longest streak as of ``today`` over ``days`` (review days with answers, any order).

    Days after ``today`` are left out, so a report pinned to a past day shows that day's figures.
    """
    ordered = sorted({day for day in days if day <= today})
    longest = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        longest = max(longest, run)
        previous = day
    alive = previous is not None and previous >= today - ONE_DAY
    return Streaks(current=run if alive else 0, longest=longest)
