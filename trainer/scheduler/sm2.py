"""SM-2 exactly as Wozniak described it for SuperMemo 2 (1987-1990).

Pure: no I/O and no clock. The easiness factor is held in integer hundredths because every change the
formula makes is a multiple of 0.02; floats would let 2.6 * 161 land just above 420 and round up to 421.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

QUALITIES = (0, 1, 2, 3, 4, 5)
MIN_EASINESS_CENTS = 130
START_EASINESS_CENTS = 250
PASS_QUALITY = 3
"""Grades at or above this are recalled: the interval grows."""
DRILL_DONE_QUALITY = 4
"""Same-day drilling ends once a card is graded at or above this."""
MAX_INTERVAL_DAYS = 36_500
"""The longest interval and the furthest due day (Anki's maximum). SM-2 sets no ceiling on EF, so
grading 5 every day grows the interval past any integer store within weeks; EF itself stays exact."""


@dataclass(frozen=True)
class Sm2State:
    """A card's SM-2 schedule: successful repetitions in a row, easiness factor, interval in days."""

    repetitions: int = 0
    easiness_cents: int = START_EASINESS_CENTS
    """The easiness factor (EF) times 100, kept whole so arithmetic is exact."""
    interval: int = 0

    @property
    def easiness(self) -> Decimal:
        """The EF as an exact decimal, e.g. Decimal('2.36')."""
        return Decimal(self.easiness_cents) / 100


def check_quality(quality: object) -> int:
    """Return ``quality`` if it is an int grade 0..5, else raise ValueError saying what is allowed."""
    if isinstance(quality, bool) or not isinstance(quality, int) or quality not in QUALITIES:
        raise ValueError(f"quality must be an integer from 0 to 5, got {quality!r}")
    return quality


def easiness_change_cents(quality: int) -> int:
    """EF' - EF in hundredths: 100 * (0.1 - (5-q) * (0.08 + (5-q) * 0.02))."""
    miss = 5 - quality
    return 10 - miss * (8 + miss * 2)


def review(state: Sm2State, quality: int) -> Sm2State:
    """Apply one graded review to ``state`` and return the new state."""
    check_quality(quality)
    if quality >= PASS_QUALITY:
        if state.repetitions == 0:
            interval = 1
        elif state.repetitions == 1:
            interval = 6
        else:
            # ceil(interval * EF) with EF in hundredths, in integers, then capped.
            interval = min(-(-state.interval * state.easiness_cents // 100), MAX_INTERVAL_DAYS)
        repetitions = state.repetitions + 1
    else:
        interval = 1
        repetitions = 0
    easiness = max(MIN_EASINESS_CENTS, state.easiness_cents + easiness_change_cents(quality))
    return Sm2State(repetitions=repetitions, easiness_cents=easiness, interval=interval)
