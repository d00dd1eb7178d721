"""Review times in the user's zone, converted inside SQLite so a million rows cost no Python per row.

The log stores UTC (``2026-11-22T09:00:00.000+00:00``). A zone's offset is constant between its
transitions, so we find the transitions in the span the log covers and hand SQLite one ``CASE`` branch
per stretch: ``strftime`` shifts the time, and the offset is appended as text.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

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


def _suffix(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def _utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class LocalTime:
    """Turns UTC ISO columns into local ISO times with offset, for the zone's stretches over the log."""

    stretches: list[Stretch]

    @property
    def params(self) -> dict[str, object]:
        """The query parameters that the expressions from ``of`` refer to."""
        params: dict[str, object] = {}
        for number, stretch in enumerate(self.stretches):
            params |= {
                f"lt_start{number}": _utc_text(stretch.start),
                f"lt_shift{number}": f"{int(stretch.offset.total_seconds()):+d} seconds",
                f"lt_suffix{number}": _suffix(stretch.offset),
            }
        return params

    def of(self, column: str) -> str:
        """The SQL expression for ``column``; NULL stays NULL."""

        def shifted(number: int) -> str:
            return f"strftime('%Y-%m-%dT%H:%M:%f', {column}, :lt_shift{number}) || :lt_suffix{number}"

        # Newest stretch first; a time before the scanned span gets the oldest stretch's offset.
        branches = " ".join(
            f"WHEN {column} >= :lt_start{number} THEN {shifted(number)}"
            for number in reversed(range(1, len(self.stretches)))
        )
        return f"(CASE {branches} ELSE {shifted(0)} END)" if branches else f"({shifted(0)})"


def utc_time(column: str) -> str:
    """The SQL expression for a UTC ISO ``column`` as ``2026-11-22T09:00:00.000Z``: one offset form for
    every row, so a CSV reader parses the whole column as datetimes. NULL stays NULL."""
    return f"strftime('%Y-%m-%dT%H:%M:%fZ', {column})"


def local_time(conn: sqlite3.Connection, zone: tzinfo) -> LocalTime:
    """The conversion for every time the review log holds."""
    span = conn.execute("SELECT MIN(day), MAX(day) FROM reviews").fetchone()
    first_day = date.fromisoformat(span[0]) if span[0] else date(2000, 1, 1)
    last_day = date.fromisoformat(span[1]) if span[1] else first_day
    first = datetime.combine(first_day, time(), UTC) - SLACK
    last = datetime.combine(last_day, time(), UTC) + SLACK
    return LocalTime(stretches(zone, first, last))
