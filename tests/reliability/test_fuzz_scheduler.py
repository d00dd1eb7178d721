"""Fuzzing the SM-2 core and the log replay with arbitrary grade sequences and clocks."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reliability.tally import TALLY
from trainer.scheduler.schedule import Schedule, answer, replay, within_bounds
from trainer.scheduler.sm2 import MAX_INTERVAL_DAYS, Sm2State

steps = st.lists(st.tuples(st.integers(0, 5), st.integers(-400, 400)), max_size=80)


@settings(max_examples=500)
@given(steps)
def test_any_grades_keep_invariants_and_replay(sequence: list[tuple[int, int]]) -> None:
    TALLY["fuzz"] += 1
    schedule, log, day = Schedule(), [], date(2026, 1, 1)
    for quality, gap in sequence:
        day = max(date(2000, 1, 1), day + timedelta(days=gap))
        entry, schedule = answer(schedule, quality, day)
        log.append(entry)
        assert schedule.state.easiness_cents >= 130
        assert schedule.state.interval >= 1
        assert schedule.due is not None and schedule.last_day is not None
        assert schedule.due > schedule.last_day
    assert replay(log) == schedule


INT64 = 2**63 - 1
huge = st.integers(-(2**70), 2**70)


@settings(max_examples=500)
@given(
    st.builds(Sm2State, repetitions=huge, easiness_cents=huge, interval=huge),
    st.one_of(st.none(), st.dates()),
    huge,
    st.lists(st.integers(0, 5), max_size=40),
    st.dates(date(1900, 1, 1), date(9800, 12, 31)),
)
def test_any_carried_schedule_stays_within_64_bits_however_it_is_graded(
    state: Sm2State, due: date | None, lapses: int, grades: list[int], today: date
) -> None:
    """An Anki ease of 10**18, lapses of 2**63-1 or a due day beyond the cap once overflowed the store."""
    TALLY["fuzz"] += 1
    schedule = within_bounds(Schedule(state, due=due, lapses=lapses), today)
    day = today
    for quality in [5, *grades]:
        _, schedule = answer(schedule, quality, day)
        values = (schedule.state.repetitions, schedule.state.easiness_cents, schedule.state.interval)
        assert all(0 <= value <= INT64 for value in (*values, schedule.lapses))
        assert schedule.state.interval <= MAX_INTERVAL_DAYS
        assert schedule.due is not None and (schedule.due - day).days <= MAX_INTERVAL_DAYS
        day += timedelta(days=1)


def test_grading_5_every_day_for_a_year_is_stored(conn: sqlite3.Connection) -> None:
    """Grading 5 every day once overflowed SQLite's integers on day 32."""
    from trainer.store.reviews import answer_card

    day = date(2026, 1, 1)
    for _ in range(365):
        moment = datetime.combine(day, time(12), tzinfo=UTC)
        answered = answer_card(conn, 1, 5, moment, day)
        day += timedelta(days=1)
    assert answered.after.state.interval == MAX_INTERVAL_DAYS
    assert answered.after.state.easiness_cents == 250 + 10 * 365
    TALLY["attacks"] += 1
