"""`trainer due --json` and `trainer decks` read only what they show: their time does not grow with
the collection. Each command runs as a process at every size, interleaved with a minimal stdlib
program printing the same number of cards as JSON (the floor: Python, sqlite3, one query), so the
machine's noise hits all alike; prints the times, the growth from the smallest collection and the ratio
to the floor. Nothing here asserts on wall-clock time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.benchmarks import FULL
from tests.benchmarks.collections import collection
from tests.support import NOW, ZONE_NAME

pytestmark = pytest.mark.benchmark
HUGE = os.environ.get("TRAINER_BENCH_FULL") == "huge"
SIZES = [(10_000, 100_000), (100_000, 1_000_000)] if FULL else [(2_000, 10_000)]
if HUGE:
    SIZES.append((1_000_000, 10_000_000))

MINIMAL_DUE = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT id, front, back FROM cards WHERE due_day IS NULL ORDER BY due_day, deck_id, position LIMIT 220"
).fetchall()
print(json.dumps([{"id": i, "front": f, "back": b} for i, f, b in rows], ensure_ascii=False))
"""


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def test_due_and_decks_do_not_grow_with_the_collection(tmp_path: Path) -> None:
    env = os.environ | {"TRAINER_NOW": NOW, "TRAINER_TZ": ZONE_NAME}
    env["TRAINER_CONFIG"] = str(tmp_path / "config.toml")
    dbs = {cards: collection(tmp_path / str(cards), cards, reviews) for cards, reviews in SIZES}
    commands = {
        "due --json": ["due", "--json"],  # 20 new + 200 reviews: the default limits
        "decks": ["decks"],
    }
    for db in dbs.values():  # the day's first open (its backup) out of the way
        timed([sys.executable, "-m", "trainer", "--db", str(db), "decks"], env)
    times: dict[tuple[str, int], list[float]] = {}
    runs = 7 if FULL else 3
    for _ in range(runs):
        for cards, db in dbs.items():
            for name, args in commands.items():
                argv = [sys.executable, "-m", "trainer", "--db", str(db), *args]
                times.setdefault((name, cards), []).append(timed(argv, env))
            floor = [sys.executable, "-c", MINIMAL_DUE, str(db)]
            times.setdefault(("floor", cards), []).append(timed(floor, env))
    smallest = min(dbs)
    for name in (*commands, "floor"):
        base = statistics.median(times[(name, smallest)])
        for cards in dbs:
            ms = statistics.median(times[(name, cards)]) * 1000
            floor_ms = statistics.median(times[("floor", cards)]) * 1000
            print(
                f"\n{name}, {cards} cards (median of {runs}): {ms:.0f} ms, "
                f"{ms / (base * 1000):.2f}x its time at {smallest} cards (target <= 1.5x), "
                f"{ms / floor_ms:.2f}x a minimal stdlib program"
            )
