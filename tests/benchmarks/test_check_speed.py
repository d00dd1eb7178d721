"""How long `trainer check` takes on a heavy collection, paired with a plain stdlib replay of the same log.

The reference reads the same rows with the same ordered query and applies SM-2 in plain integers and
ISO strings: the floor for replaying a log in Python. Prints both and their ratio; asserts only that
both find the same cards. 2,000 cards unless TRAINER_BENCH_FULL is set (100k cards; ``=huge``: 1M).
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest

from tests.benchmarks import FULL
from tests.benchmarks.collections import collection
from tests.support import invoke

HUGE = os.environ.get("TRAINER_BENCH_FULL") == "huge"
CARDS = 1_000_000 if HUGE else 100_000 if FULL else 2_000
REVIEWS = CARDS * 10
STRIDE = 997
"""Every so many cards, the stored interval is changed, so both replays have something to find."""

CARD_LOGS = (
    "SELECT c.id, c.repetitions, c.easiness_cents, c.interval, c.due_day, c.last_day, c.drill_day, c.lapses,"
    " r.kind, r.day, r.quality, r.repetitions_after, r.easiness_after, r.interval_after, r.due_after,"
    " r.lapses_after FROM cards AS c LEFT JOIN reviews AS r ON r.card_id = c.id ORDER BY c.id, r.id"
)


def plain_replay(path: Path) -> list[int]:
    """The ids of the cards whose stored schedule is not what their log gives, in plain Python."""
    conn = sqlite3.connect(path)
    found: list[int] = []
    days: dict[str, int] = {}
    stored: tuple[object, ...] = ()
    card = None
    state: tuple[object, ...] = ()
    for row in conn.execute(CARD_LOGS):
        if row[0] != card:
            if card is not None and state != stored:
                found.append(card)
            card, stored = row[0], row[1:8]
            reps, ease, interval, due, last, drill, lapses = 0, 250, 0, None, None, None, 0
        kind, day, quality = row[8], row[9], row[10]
        if kind == "import":
            reps, ease, interval, due, lapses = row[11], row[12], row[13], row[14], row[15]
            last = drill = None
        elif kind is not None:
            day = max(day, last) if last else day
            drill = day if quality < 4 else None
            if kind == "review":
                if quality >= 3:
                    interval = 1 if reps == 0 else 6 if reps == 1 else min(-(-interval * ease // 100), 36_500)
                    reps += 1
                else:
                    lapses += reps > 0 or lapses > 0
                    interval, reps = 1, 0
                miss = 5 - quality
                ease = max(130, ease + 10 - miss * (8 + miss * 2))
                ordinal = days.get(day) or days.setdefault(day, date.fromisoformat(day).toordinal())
                due = date.fromordinal(ordinal + interval).isoformat()
            last = day
        state = (reps, ease, interval, due, last, drill, lapses)
    if card is not None and state != stored:
        found.append(card)
    conn.close()
    return found


@pytest.mark.benchmark
def test_check_against_a_plain_replay(tmp_path: Path) -> None:
    db = collection(tmp_path, CARDS, REVIEWS)
    conn = sqlite3.connect(db)
    with conn:  # deliberate tampering behind the log, for check to find
        conn.execute(f"UPDATE cards SET interval = interval + 1 WHERE id % {STRIDE} = 1")
    (reviews,) = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()
    conn.close()
    plain_replay(db)  # warm the page cache for both
    started = time.perf_counter()
    expected = plain_replay(db)
    plain = time.perf_counter() - started
    started = time.perf_counter()
    result = invoke(db, "check")
    ours = time.perf_counter() - started
    assert result.exit_code == 1, result.output
    assert [int(line.split()[1].rstrip(":")) for line in result.output.splitlines()[:-1]] == expected
    assert len(expected) == (CARDS - 2) // STRIDE + 1
    print(
        f"\ncheck {CARDS:,} cards / {reviews:,} reviews: trainer check {ours:.2f} s,"
        f" plain replay {plain:.2f} s, ratio {ours / plain:.2f}"
    )
