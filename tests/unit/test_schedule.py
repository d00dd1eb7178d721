"""A card's schedule from its log: first grade of the day schedules, later ones drill, replay agrees."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trainer.scheduler.schedule import (
    LEECH_LAPSES,
    MAX_CARRIED_EASINESS_CENTS,
    MAX_COUNT,
    LogKind,
    Schedule,
    answer,
    replay,
    within_bounds,
)
from trainer.scheduler.sm2 import MAX_INTERVAL_DAYS, Sm2State

DAY = date(2026, 11, 22)


def test_first_grade_schedules_and_drills_do_not() -> None:
    entry, first = answer(Schedule(), 2, DAY)
    assert entry.kind is LogKind.REVIEW
    assert (first.state, first.due, first.drill_day) == (Sm2State(0, 218, 1), DAY + timedelta(1), DAY)
    entry, drilled = answer(first, 3, DAY)
    assert entry.kind is LogKind.DRILL
    assert drilled.state == first.state and drilled.due == first.due and drilled.drill_day == DAY
    _, done = answer(drilled, 4, DAY)
    assert done.drill_day is None and done.state == first.state


def test_a_pass_below_four_still_needs_drilling() -> None:
    _, schedule = answer(Schedule(), 3, DAY)
    assert schedule.due == DAY + timedelta(1) and schedule.drill_day == DAY


def test_lapses_count_failures_after_learning_and_make_leeches() -> None:
    schedule = Schedule()
    _, schedule = answer(schedule, 1, DAY)  # never learned: not a lapse
    assert schedule.lapses == 0
    day = DAY
    for _ in range(LEECH_LAPSES):
        day += timedelta(1)
        _, schedule = answer(schedule, 4, day)
        day += timedelta(1)
        _, schedule = answer(schedule, 0, day)
    assert schedule.lapses == LEECH_LAPSES and schedule.is_leech


def test_clock_going_backwards_never_moves_days_back() -> None:
    _, schedule = answer(Schedule(), 5, DAY)
    entry, after = answer(schedule, 5, DAY - timedelta(days=3))
    assert entry.kind is LogKind.DRILL
    assert after.due == schedule.due and after.last_day == DAY


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-2, 40)), max_size=60))
def test_replaying_the_log_gives_the_live_schedule(steps: list[tuple[int, int]]) -> None:
    schedule, log, day = Schedule(), [], DAY
    for quality, gap in steps:
        day += timedelta(days=gap)
        entry, schedule = answer(schedule, quality, day)
        log.append(entry)
        assert schedule.state.interval >= 0
        assert schedule.state.easiness_cents >= 130
        assert schedule.last_day is not None and schedule.due is not None
        assert schedule.due > schedule.last_day  # an answered card is due again a day later at the soonest
    assert replay(log) == schedule


def test_a_carried_schedule_is_bounded() -> None:
    """What another program claims (an ease of 10**18, lapses of 2**63-1, a due day centuries away)."""
    wild = Schedule(Sm2State(2**63, 10**17, 2**63), due=date(9999, 1, 1), lapses=2**63 - 1)
    bounded = within_bounds(wild, DAY)
    assert bounded.state == Sm2State(MAX_COUNT, MAX_CARRIED_EASINESS_CENTS, MAX_INTERVAL_DAYS)
    assert bounded.lapses == MAX_COUNT and bounded.due == DAY + timedelta(days=MAX_INTERVAL_DAYS)
    low = within_bounds(Schedule(Sm2State(-5, 0, -1), due=date(1, 1, 1), lapses=-3), DAY)
    assert low.state == Sm2State(0, 130, 0) and low.lapses == 0
    assert low.due == DAY - timedelta(days=MAX_INTERVAL_DAYS)
    assert within_bounds(Schedule(), DAY) == Schedule()


def test_lapses_stop_at_the_cap() -> None:
    schedule = Schedule(Sm2State(3, 250, 10), due=DAY, last_day=DAY - timedelta(days=10), lapses=MAX_COUNT)
    assert answer(schedule, 0, DAY)[1].lapses == MAX_COUNT
