"""The current time and zone, taken from outside: ``--now``/``TRAINER_NOW`` pin it, else the system clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

from dateutil import tz

from trainer.errors import TrainerError

Clock = Callable[[], datetime]
"""Returns the current aware instant; the domain never reads the clock itself."""


def resolve_zone(name: str) -> tzinfo:
    """The named IANA zone, or the system's local zone (honouring ``$TZ``) when ``name`` is empty."""
    if not name:
        return tz.tzlocal()
    zone = tz.gettz(name)
    if zone is None:
        raise TrainerError(f"unknown time zone {name!r}")
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
    if moment.tzinfo is None:
        moment = tz.resolve_imaginary(moment.replace(tzinfo=zone))
    return moment


def make_clock(pinned: str | None, zone: tzinfo) -> Clock:
    """A clock fixed at ``pinned`` if given, else the system clock."""
    if pinned:
        moment = parse_now(pinned, zone)
        return lambda: moment
    return lambda: datetime.now(UTC)
