"""The current time and zone, taken from outside: ``--now``/``TRAINER_NOW`` pin it, else the system clock."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from dateutil import tz

from trainer.errors import TrainerError
from trainer.scheduler.days import review_day

Clock = Callable[[], datetime]
"""Returns the current aware instant; the domain never reads the clock itself."""

EARLIEST_YEAR, LATEST_YEAR = 1900, 9800
"""A pinned time must fall in these years: due days run up to 100 years ahead of it (and a day back),
so an instant near year 1 or 9999 would overflow the calendar."""

_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")
"""What IANA zone names look like (``Europe/Berlin``, ``Etc/GMT+2``): no paths, no POSIX TZ strings."""


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not an IANA zone we can load, or None if it is one.

    dateutil's ``gettz`` also reads a file path (``/etc/passwd``) as a zone file and anything that parses
    as a POSIX TZ string (``Europe/Berlin2`` is UTC-2) as a zone; only names in the zone database pass.
    """
    if name == "UTC":
        return None
    if not _ZONE_NAME.fullmatch(name):
        return f"{name!r} is not an IANA time zone name such as Europe/Berlin or UTC"
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except Exception:  # not found, a directory, not a zone file: all mean "no such zone" here
        return f"{name!r} is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)"
    return None


def resolve_zone(name: str) -> tzinfo:
    """The named IANA zone, or the system's local zone (honouring ``$TZ``) when ``name`` is empty."""
    if not name:
        return tz.tzlocal()
    problem = zone_problem(name)
    zone = None if problem else tz.gettz(name)
    if zone is None:
        raise TrainerError(f"time zone: {problem or repr(name) + ' cannot be loaded'}")
    return zone


def parse_now(text: str, zone: tzinfo) -> datetime:
    """An ISO 8601 instant; one without an offset is read as local time in ``zone``."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        # The stdlib reads the common forms; dateutil (slow to import) the rest, e.g. week dates.
        from dateutil import parser

        try:
            moment = parser.isoparse(text)
        except (ValueError, OverflowError) as error:
            raise TrainerError(f"--now/TRAINER_NOW: {text!r} is not an ISO 8601 time ({error})") from error
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise TrainerError(
            f"--now/TRAINER_NOW: {text!r} is outside the years {EARLIEST_YEAR}-{LATEST_YEAR}"
            " the trainer handles"
        )
    if moment.tzinfo is None:
        moment = tz.resolve_imaginary(moment.replace(tzinfo=zone))
    return moment


def make_clock(pinned: str | None, zone: tzinfo) -> Clock:
    """A clock fixed at ``pinned`` if given, else the system clock."""
    if pinned:
        moment = parse_now(pinned, zone)
        return lambda: moment
    return lambda: datetime.now(UTC)


@dataclass(frozen=True)
class Calendar:
    """The user's review days: local calendar days in ``zone`` that begin at ``day_start_hour``.

    The one place an instant becomes a review day, so every screen and command agrees on "today".
    """

    zone: tzinfo
    day_start_hour: int

    def day(self, at: datetime) -> date:
        return review_day(at, self.zone, self.day_start_hour)
