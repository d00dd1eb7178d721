"""Review days: the day-start hour, DST changes and a session crossing midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo

import pytest

from trainer.clock import resolve_zone
from trainer.scheduler.days import MAX_INTERVAL_DAYS, due_day, review_day, shifted

BERLIN = resolve_zone("Europe/Berlin")
NEW_YORK = resolve_zone("America/New_York")
UTC = timezone.utc


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        # 02:30 local is before the 04:00 day start: still the previous day.
        (datetime(2026, 11, 22, 1, 30, tzinfo=UTC), BERLIN, date(2026, 11, 21)),
        (datetime(2026, 11, 22, 3, 0, tzinfo=UTC), BERLIN, date(2026, 11, 22)),  # 04:00 local
        (datetime(2026, 11, 22, 2, 59, tzinfo=UTC), BERLIN, date(2026, 11, 21)),  # 03:59 local
        # Spring forward in Berlin (2026-03-29, 02:00 -> 03:00): 04:00 local is 02:00 UTC.
        (datetime(2026, 3, 29, 1, 59, tzinfo=UTC), BERLIN, date(2026, 3, 28)),
        (datetime(2026, 3, 29, 2, 0, tzinfo=UTC), BERLIN, date(2026, 3, 29)),
        # Fall back in New York (2026-11-01, 02:00 -> 01:00): 04:00 EST is 09:00 UTC.
        (datetime(2026, 11, 1, 8, 59, tzinfo=UTC), NEW_YORK, date(2026, 10, 31)),
        (datetime(2026, 11, 1, 9, 0, tzinfo=UTC), NEW_YORK, date(2026, 11, 1)),
    ],
)
def test_review_day(instant: datetime, zone: tzinfo, expected: date) -> None:
    assert review_day(instant, zone, 4) == expected


def test_crossing_midnight_keeps_the_day_until_the_day_start_hour() -> None:
    start = datetime(2026, 11, 22, 23, 40, tzinfo=BERLIN)
    days = {review_day(start + timedelta(minutes=10 * n), BERLIN, 4) for n in range(20)}
    assert days == {date(2026, 11, 22)}  # 23:40 .. 02:50 is one review day
    assert review_day(datetime(2026, 11, 23, 4, 0, tzinfo=BERLIN), BERLIN, 4) == date(2026, 11, 23)


def test_day_start_hour_zero_is_midnight() -> None:
    assert review_day(datetime(2026, 11, 23, 0, 0, tzinfo=BERLIN), BERLIN, 0) == date(2026, 11, 23)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        review_day(datetime(2026, 11, 22, 10), BERLIN, 4)


def test_due_day_is_capped() -> None:
    assert due_day(date(2026, 1, 1), 10**9) == date(2026, 1, 1) + timedelta(days=MAX_INTERVAL_DAYS)
    assert due_day(date(2026, 1, 1), 6) == date(2026, 1, 7)


def test_days_near_the_calendar_ends_never_overflow() -> None:
    assert due_day(date(9990, 1, 1), MAX_INTERVAL_DAYS) == date.max
    assert shifted(date(5, 1, 1), -10_000) == date.min
    assert shifted(date(2026, 1, 1), -1) == date(2025, 12, 31)
