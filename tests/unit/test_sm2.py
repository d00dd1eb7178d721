"""SM-2 as Wozniak described it: table-driven cases, golden sequences and properties."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.scheduler.sm2 import MAX_INTERVAL_DAYS, Sm2State, review


def run(grades: list[int]) -> list[Sm2State]:
    state, history = Sm2State(), []
    for grade in grades:
        state = review(state, grade)
        history.append(state)
    return history


@pytest.mark.parametrize(
    ("before", "quality", "after"),
    [
        # First, second and later successful repetitions.
        (Sm2State(0, 250, 0), 5, Sm2State(1, 260, 1)),
        (Sm2State(0, 250, 0), 4, Sm2State(1, 250, 1)),
        (Sm2State(0, 250, 0), 3, Sm2State(1, 236, 1)),
        (Sm2State(1, 250, 1), 4, Sm2State(2, 250, 6)),
        (Sm2State(2, 250, 6), 4, Sm2State(3, 250, 15)),
        # The previous EF multiplies, then is updated; fractions round up.
        (Sm2State(2, 236, 6), 5, Sm2State(3, 246, 15)),  # 6 * 2.36 = 14.16 -> 15
        (Sm2State(3, 130, 10), 3, Sm2State(4, 130, 13)),  # EF floor holds
        # Failures restart the repetitions but still change EF, distinctly per grade.
        (Sm2State(4, 250, 38), 2, Sm2State(0, 218, 1)),
        (Sm2State(4, 250, 38), 1, Sm2State(0, 196, 1)),
        (Sm2State(4, 250, 38), 0, Sm2State(0, 170, 1)),
        (Sm2State(4, 140, 38), 0, Sm2State(0, 130, 1)),
    ],
)
def test_review_table(before: Sm2State, quality: int, after: Sm2State) -> None:
    assert review(before, quality) == after


def test_six_perfect_grades_are_exact() -> None:
    history = run([5] * 6)
    assert [s.interval for s in history] == [1, 6, 17, 48, 140, 420]


def test_mixed_sequence_intervals_and_easiness() -> None:
    history = run([4, 4, 4, 3, 5, 2, 4])
    assert [s.interval for s in history] == [1, 6, 15, 38, 90, 1, 1]
    assert [str(s.easiness) for s in history] == ["2.5", "2.5", "2.5", "2.36", "2.46", "2.14", "2.14"]
    assert [s.easiness for s in history] == [
        Decimal(x) for x in ("2.50", "2.50", "2.50", "2.36", "2.46", "2.14", "2.14")
    ]


def test_interval_is_capped_while_easiness_stays_exact() -> None:
    """Grading 5 every day once overflowed SQLite's integers on day 32; EF keeps growing exactly."""
    history = run([5] * 400)
    assert [s.interval for s in history[:9]] == [1, 6, 17, 48, 140, 420, 1302, 4167, 13752]
    assert {s.interval for s in history[9:]} == {MAX_INTERVAL_DAYS}
    assert history[-1].easiness == Decimal("2.5") + Decimal("0.1") * 400


@pytest.mark.parametrize("bad", [-1, 6, 3.0, "4", None, True])
def test_rejects_anything_but_an_int_grade(bad: object) -> None:
    with pytest.raises(ValueError, match="0 to 5"):
        review(Sm2State(), bad)  # type: ignore[arg-type]


def reference(grades: list[int]) -> list[tuple[int, Decimal, int]]:
    """An independent, Decimal-based transcription of the SuperMemo 2 description."""
    n, ef, interval, out = 0, Decimal("2.5"), 0, []
    for q in grades:
        if q >= 3:
            interval = 1 if n == 0 else 6 if n == 1 else math.ceil(interval * ef)
            n += 1
        else:
            n, interval = 0, 1
        ef = max(
            Decimal("1.3"), ef + (Decimal("0.1") - (5 - q) * (Decimal("0.08") + (5 - q) * Decimal("0.02")))
        )
        out.append((n, ef, interval))
    return out


grades = st.lists(st.integers(0, 5), max_size=40)


@given(grades)
def test_matches_decimal_reference(sequence: list[int]) -> None:
    assert [(s.repetitions, s.easiness, s.interval) for s in run(sequence)] == reference(sequence)


@given(grades)
def test_easiness_never_below_floor_and_intervals_positive(sequence: list[int]) -> None:
    for state in run(sequence):
        assert state.easiness >= Decimal("1.3")
        assert state.interval >= 1


@given(grades, st.integers(3, 5))
def test_a_pass_never_shrinks_the_interval(sequence: list[int], quality: int) -> None:
    state = run(sequence)[-1] if sequence else Sm2State()
    assert review(state, quality).interval >= state.interval or state.repetitions == 0


@given(grades, st.integers(0, 2))
def test_a_failure_restarts(sequence: list[int], quality: int) -> None:
    state = run(sequence)[-1] if sequence else Sm2State()
    after = review(state, quality)
    assert (after.repetitions, after.interval) == (0, 1)
