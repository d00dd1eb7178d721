"""How long keeping a notes folder in step takes: the start-up scan of 1,000 unchanged files (target
≤ 50 ms: stat calls only), and a sync after one definition of a 1 MB note changed.

Prints each figure, and for the scan its reference (the target) and their ratio; asserts only what the
syncs did.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.benchmarks import versus
from tests.benchmarks.notes import big_notes
from trainer.notes_sync import add_notes, sync
from trainer.store.db import connect

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
FILES = 1_000


def _touch_later(path: Path) -> None:
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


@pytest.mark.benchmark
def test_no_change_scan_of_a_thousand_files(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    for n in range(FILES):
        sub = folder / f"topic{n % 20}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note{n}.md").write_text(
            f"# Note {n}\n\n- **term {n}**: the definition of term {n}.\n", "utf-8"
        )
    conn = connect(tmp_path / "trainer.db")
    add_notes(conn, [folder])
    started = time.perf_counter()
    first = sync(conn, NOW)
    first_sync = time.perf_counter() - started
    assert len(first.changed) == FILES
    times = []
    for _ in range(9):
        started = time.perf_counter()
        report = sync(conn, NOW)
        times.append(time.perf_counter() - started)
        assert report.notes == [] and report.checked == FILES
    conn.close()
    median = statistics.median(times) * 1000
    print(
        f"\nnotes sync, {FILES:,} unchanged files, median: {versus(median, 50, 'target', 'ms', 1)};"
        f" best {min(times) * 1000:.1f} ms; first sync of all of them: {first_sync:.2f} s"
    )


@pytest.mark.benchmark
def test_sync_of_one_changed_megabyte_note(tmp_path: Path) -> None:
    path = tmp_path / "notes" / "big.md"
    path.parent.mkdir()
    text, n = big_notes(1_000_000)
    path.write_text(text, encoding="utf-8")
    conn = connect(tmp_path / "trainer.db")
    add_notes(conn, [path.parent])
    started = time.perf_counter()
    sync(conn, NOW)
    first_sync = time.perf_counter() - started
    path.write_text(text.replace("before it is served", "before it is answered", 1), encoding="utf-8")
    _touch_later(path)
    started = time.perf_counter()
    report = sync(conn, NOW)
    elapsed = time.perf_counter() - started
    conn.close()
    (changed,) = report.changed
    assert len(changed.plan.updated) == 1 and changed.plan.unchanged > 8 * (n - 1)
    cards = changed.plan.unchanged + 1
    print(
        f"\nnotes sync, one changed 1 MB note ({cards:,} cards, one edited): {elapsed:.2f} s;"
        f" its first sync: {first_sync:.2f} s"
    )
