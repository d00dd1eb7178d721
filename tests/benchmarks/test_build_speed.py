"""How long `trainer build` takes: the five seed documents, and one 1 MB notes file in mixed forms.

Prints the figures beside their targets (seeds ≤ 0.5 s, 1 MB ≤ 2 s); asserts only what was built.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.benchmarks import FULL
from trainer.decks.build import build

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
SECTION = """## Section {n}

| Term | Definition |
|---|---|
| Latency {n} | The time a request waits before it is served, measured end to end. |
| Throughput {n} | 单位时间内完成的请求数，衡量系统的处理能力。 |

**Backpressure {n}**
A signal from a slow consumer telling producers to send less.

### Idempotence {n}

An operation is idempotent when repeating it changes nothing beyond the first time.

- **RPC {n}**: Remote Procedure Call
- 熔断 {n}：下游故障时暂时停止调用，防止雪崩。
- __Lease {n}__ ::@:: A lock that expires on its own after a set time.

Shard {n}
:   One horizontal slice of a database, held by one server.

什么是缓存 {n}？

缓存是把常用数据放在更快的存储里，减少读取的时间。

Some prose that is not a definition at all, written to fill the page the way notes do, with a
[link](https://example.org/{n}) and `code` in it, over a few wrapped lines of text.

```python
print({n})
```

"""
MEGABYTE = 1_000_000 if FULL else 250_000


@pytest.mark.benchmark
@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed notes not found at {SEEDS}")
def test_build_seeds_speed(tmp_path: Path) -> None:
    sources = sorted(SEEDS.glob("*.txt"))
    started = time.perf_counter()
    report = build(sources, tmp_path)
    elapsed = time.perf_counter() - started
    assert len(report.documents) == len(sources) and all(d.cards for d in report.documents)
    print(f"\nbuild the {len(sources)} seed documents: {elapsed:.2f} s (target ≤ 0.5 s)")


@pytest.mark.benchmark
def test_build_large_notes_speed(tmp_path: Path) -> None:
    notes = tmp_path / "big.md"
    text, n = "# Big notes\n\n", 0
    while len(text.encode()) < MEGABYTE:
        text += SECTION.format(n=n)
        n += 1
    notes.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    report = build([notes], tmp_path / "out")
    elapsed = time.perf_counter() - started
    assert report.documents[0].cards >= 8 * n
    size = len(text.encode()) / 1_000_000
    target = 2.0 * size  # 2 s per MB
    cards = report.documents[0].cards
    print(f"\nbuild one {size:.2f} MB note ({cards:,} cards): {elapsed:.2f} s (target ≤ {target:.1f} s)")
