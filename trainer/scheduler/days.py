"""Local calendar days with a day-start hour, the one place where instants become review days.

A late-night session before the day-start hour (04:00 by default, as in Anki) still counts as the
previous day. Wall-clock hours are compared in the user's zone, so DST changes move nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from trainer.scheduler.sm2 import MAX_INTERVAL_DAYS

__all__ = ["MAX_INTERVAL_DAYS", "due_day", "review_day", "shifted"]


def review_day(now: datetime, zone: tzinfo, day_start_hour: int) -> date:
    """The review day that the aware instant ``now`` belongs to."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(zone)
    day = local.date()
    return day - timedelta(days=1) if local.hour < day_start_hour else day


def due_day(day: date, interval: int) -> date:
    """The day a card reviewed on ``day`` falls due again, capped at MAX_INTERVAL_DAYS ahead."""
    return shifted(day, min(max(interval, 0), MAX_INTERVAL_DAYS))


def shifted(day: date, days: int) -> date:
    """``day`` moved by ``days``, stopping at the calendar's first or last day instead of overflowing."""
    ordinal = min(max(day.toordinal() + days, date.min.toordinal()), date.max.toordinal())
    return date.fromordinal(ordinal)
