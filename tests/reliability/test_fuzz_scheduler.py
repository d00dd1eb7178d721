"""Fuzzing the SM-2 core and the log replay with arbitrary grade sequences and clocks."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reliability.tally import TALLY
from trainer.scheduler.schedule import Schedule, answer, replay

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
