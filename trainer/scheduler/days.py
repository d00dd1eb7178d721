"""Local calendar days with a day-start hour, the one place where instants become review days.

A late-night session before the day-start hour (04:00 by default, as in Anki) still counts as the
previous day. Wall-clock hours are compared in the user's zone, so DST changes move nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from dateutil import tz

MAX_INTERVAL_DAYS = 36_500
"""The furthest a due day is placed (Anki's maximum), so no date ever overflows."""


def review_day(now: datetime, zone: tzinfo, day_start_hour: int) -> date:
    """The review day that the aware instant ``now`` belongs to."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(zone)
    day = local.date()
    return day - timedelta(days=1) if local.hour < day_start_hour else day


def due_day(day: date, interval: int) -> date:
    """The day a card reviewed on ``day`` falls due again, capped at MAX_INTERVAL_DAYS ahead."""
    return day + timedelta(days=min(max(interval, 0), MAX_INTERVAL_DAYS))


def day_start(day: date, zone: tzinfo, day_start_hour: int) -> datetime:
    """The aware instant at which ``day`` begins (shifted forward if the hour falls in a DST gap)."""
    start = datetime.combine(day, time(day_start_hour), tzinfo=zone)
    return tz.resolve_imaginary(start)
