"""How fast the card browser's search narrows the table: each keystroke of a search typed into it.

Every prefix of a card's mark (``Q0050000``: the first keystrokes match every card, the last one card)
and of a CJK phrase every card holds, then the state filters and sorts, each timed through
``store.browse.search_cards``; the median is set against the issue's 50 ms and against one plain stdlib
scan counting the same rows with LIKE (the floor for a substring search that says how many it found,
without an index). Asserts only what the searches find. 2,000 cards unless TRAINER_BENCH_FULL is set
(100k cards, 1M reviews).
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.benchmarks import FULL, versus
from tests.benchmarks.collections import collection, mark
from tests.support import TODAY
from trainer.store.browse import search_cards
from trainer.store.db import connect

CARDS = 100_000 if FULL else 2_000
REVIEWS = CARDS * 10
TARGET_S = 0.050
"""The issue's figure: a search keystroke narrows the table in at most 50 ms (median)."""


def timed(action: Callable[[], object], runs: int = 3) -> float:
    """The best of a few runs, in seconds: the figure of a keystroke, not of the machine's noise."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def _fetch(conn: sqlite3.Connection, sql: str, pattern: str) -> list[object]:
    return conn.execute(sql, {"p": pattern}).fetchall()


@pytest.mark.benchmark
def test_search_keystrokes(tmp_path: Path) -> None:
    db = collection(tmp_path, CARDS, REVIEWS)
    conn = connect(db)
    target = mark(CARDS // 2)
    typed = [target[:n] for n in range(1, len(target) + 1)] + ["收敛缓慢"[:n] for n in range(1, 5)]
    searches: list[Callable[[], object]] = [partial(search_cards, conn, today=TODAY, text=t) for t in typed]
    searches += [partial(search_cards, conn, today=TODAY, state=s) for s in ("new", "young", "leech")]
    searches += [partial(search_cards, conn, today=TODAY, sort=s) for s in ("due", "easiness", "added")]
    opened = timed(partial(search_cards, conn, today=TODAY))
    figures = [timed(search) for search in searches]
    assert [row.front.split()[0] for row in search_cards(conn, today=TODAY, text=target).rows] == [target]
    assert search_cards(conn, today=TODAY, text="收敛缓慢").total == CARDS
    conn.close()

    plain = sqlite3.connect(db)
    scan = "SELECT COUNT(*) FROM cards WHERE front LIKE :p OR back LIKE :p OR tags LIKE :p"
    reference = statistics.median(timed(partial(_fetch, plain, scan, f"%{text}%")) for text in typed)
    plain.close()
    median = statistics.median(figures)
    print(
        f"\nbrowse {CARDS:,} cards: opened in {opened * 1000:.1f} ms; {len(figures)} searches, median"
        f" {versus(median * 1000, TARGET_S * 1000, 'target', 'ms', 1)};"
        f" {versus(median * 1000, reference * 1000, 'one plain LIKE scan', 'ms', 1)};"
        f" slowest {max(figures) * 1000:.1f} ms"
    )
