"""How long `trainer build` takes: the five seed documents, and one 1 MB notes file in mixed forms.

Prints each figure, its reference (the target: seeds ≤ 0.5 s, 2 s per MB) and their ratio; asserts only
what was built.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.benchmarks import FULL, versus
from tests.benchmarks.notes import big_notes
from tests.support import SEEDS
from trainer.decks.build import build

MEGABYTE = 1_000_000 if FULL else 250_000


@pytest.mark.benchmark
@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed notes not found at {SEEDS}")
def test_build_seeds_speed(tmp_path: Path) -> None:
    sources = sorted(SEEDS.glob("*.txt"))
    started = time.perf_counter()
    report = build(sources, tmp_path)
    elapsed = time.perf_counter() - started
    assert len(report.documents) == len(sources) and all(d.cards for d in report.documents)
    print(f"\nbuild the {len(sources)} seed documents: {versus(elapsed, 0.5, 'target')}")


@pytest.mark.benchmark
def test_build_large_notes_speed(tmp_path: Path) -> None:
    notes = tmp_path / "big.md"
    text, n = big_notes(MEGABYTE)
    notes.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    report = build([notes], tmp_path / "out")
    elapsed = time.perf_counter() - started
    assert report.documents[0].cards >= 8 * n
    size = len(text.encode()) / 1_000_000
    target = 2.0 * size  # 2 s per MB
    cards = report.documents[0].cards
    figures = versus(elapsed, target, "target, 2 s per MB")
    print(f"\nbuild one {size:.2f} MB note ({cards:,} cards): {figures}")
