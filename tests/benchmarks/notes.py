"""A large notes file for the build and sync benchmarks: one section of every form, repeated."""

from __future__ import annotations

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
"""One section of notes holding eight definitions in the forms the extractor reads, numbered ``{n}``."""


def big_notes(size: int) -> tuple[str, int]:
    """Notes of at least ``size`` bytes (UTF-8) and the number of sections in them."""
    text, n = "# Big notes\n\n", 0
    while len(text.encode()) < size:
        text += SECTION.format(n=n)
        n += 1
    return text, n
