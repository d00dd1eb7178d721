"""A zone's stretches of constant UTC offset over a span of time. Pure.

The log stores UTC (``2026-11-22T09:00:00.000+00:00``); an export shows local times. A zone's offset
is constant between its transitions, so the transitions in the span the log covers are all that is
needed to convert every row inside SQLite (``trainer.store.export_rows.LocalTime``), with no Python
per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

STEP = timedelta(hours=6)
"""How finely the span is scanned for offset changes; zones never change offset twice this quickly."""
SLACK = timedelta(days=2)
"""A review day and its UTC instant are less than this apart, whatever the zone and day-start hour."""


@dataclass(frozen=True)
class Stretch:
    """From ``start`` (UTC) until the next stretch, local time is UTC plus ``offset``."""

    start: datetime
    offset: timedelta


def _offset(zone: tzinfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def stretches(zone: tzinfo, first: datetime, last: datetime) -> list[Stretch]:
    """The stretches of constant offset covering ``first``..``last`` (aware instants)."""
    result = [Stretch(first, _offset(zone, first))]
    moment = first
    while moment < last:
        step_end = min(moment + STEP, last)
        if _offset(zone, step_end) != result[-1].offset:
            low, high = moment, step_end  # the change happens in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == result[-1].offset:
                    low = middle
                else:
                    high = middle
            result.append(Stretch(high.replace(microsecond=0), _offset(zone, high)))
        moment = step_end
    return result


def offset_text(offset: timedelta) -> str:
    """An ISO 8601 offset: '+01:00', '-05:00', '+05:30', with seconds only when there are any."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")

