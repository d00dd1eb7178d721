"""How long `trainer stats` and the exports take on a heavy collection: 100,000 cards, 1,000,000 reviews.

Prints figures, asserts only that the commands succeed. The collection is 10% as big unless
TRAINER_BENCH_FULL is set.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.benchmarks import FULL
from tests.support import TODAY, invoke
from trainer.store.db import connect, transaction

SCALE = 1.0 if FULL else 0.1
CARDS = int(100_000 * SCALE)
REVIEWS = int(1_000_000 * SCALE)
DECKS = 10
HISTORY_DAYS = 3 * 365
INTERVALS = (0, 1, 6, 15, 38, 95, 240)


def build(path: Path) -> None:
    """A migrated database filled with stdlib executemany: plausible cards and a log over three years."""
    rng = random.Random(6)
    conn = connect(path)
    # Raw SQL on purpose, for bulk loading only (a million answers through the library take minutes):
    # every row is valid by construction, and a big cache keeps index inserts in memory.
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    with transaction(conn):
        conn.executemany(
            "INSERT INTO decks (id, name) VALUES (?, ?)", [(n, f"deck {n}") for n in range(DECKS)]
        )
        cards = []
        for card in range(1, CARDS + 1):
            seen = rng.random() < 0.7
            interval = rng.choice((1, 6, 15, 38, 95, 240)) if seen else 0
            due = (TODAY + timedelta(days=rng.randint(-20, interval))).isoformat() if seen else None
            front = "问题 " * 30 + str(card)
            cards.append(
                (
                    card,
                    card % DECKS,
                    f"k{card}",
                    card,
                    front,
                    "答案 " * 30,
                    rng.randint(0, 5) if seen else 0,
                    rng.randrange(130, 300, 2),
                    interval,
                    due,
                    rng.random() < 0.02,
                )
            )
        conn.executemany(
            "INSERT INTO cards (id, deck_id, key, position, front, back, repetitions, easiness_cents,"
            " interval, due_day, suspended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            cards,
        )
        conn.executemany(
            "INSERT INTO reviews (card_id, reviewed_at, day, quality, kind, repetitions_before,"
            " easiness_before, interval_before, repetitions_after, easiness_after, interval_after,"
            " due_after, lapses_after, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            review_rows(rng),
        )
    conn.close()


def review_rows(rng: random.Random) -> Iterator[tuple[object, ...]]:
    """The log, generated lazily: evenly spread in time, so rows are in time order as a real log is."""
    span = HISTORY_DAYS * 86_400
    first = TODAY - timedelta(days=HISTORY_DAYS)
    days = [(first + timedelta(days=n)).isoformat() for n in range(HISTORY_DAYS + 1)]
    for number in range(REVIEWS):
        day, second = divmod(number * span // REVIEWS, 86_400)
        at = f"{days[day]}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000+00:00"
        interval = INTERVALS[number % len(INTERVALS)]
        kind = "drill" if number % 10 == 0 else "review"
        yield (rng.randrange(1, CARDS + 1), at, days[day], number % 6, kind, number % 5, 250, interval,
               2, 250, interval * 2 + 1, days[day], 0, 1_000 + number % 20_000)  # fmt: skip


def timed(db: Path, *args: str) -> float:
    started = time.perf_counter()
    result = invoke(db, *args)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    return elapsed


@pytest.mark.benchmark
def test_stats_and_exports_on_a_heavy_collection(tmp_path: Path) -> None:
    db = tmp_path / "heavy.db"
    started = time.perf_counter()
    build(db)
    built = time.perf_counter() - started
    print(f"\nscale {SCALE:.0%}: {CARDS:,} cards, {REVIEWS:,} reviews, built in {built:.1f} s")
    figures = {
        "trainer stats (first open of the day)": timed(db, "stats"),
        "trainer stats": timed(db, "stats"),
        "trainer stats --deck 'deck 3'": timed(db, "stats", "--deck", "deck 3"),
        "trainer stats --json": timed(db, "stats", "--json"),
        "trainer export stats --format csv": timed(
            db, "export", "stats", "--format", "csv", "-o", str(tmp_path / "csv")
        ),
        "trainer export stats --format json": timed(
            db, "export", "stats", "--format", "json", "-o", str(tmp_path / "stats.json")
        ),
        "trainer export reviews --format fsrs": timed(
            db, "export", "reviews", "--format", "fsrs", "-o", str(tmp_path / "revlog.csv")
        ),
    }
    for name, seconds in figures.items():
        print(f"{name:<40} {seconds:6.2f} s")
