"""Writing streamed records: each record arrives as one finished CSV line (built by SQLite, see
``trainer.store.export_rows``), a chunk at a time, so a million-row export does no Python work per field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

Advance = Callable[[int], None]
"""Called with the number of records just written, to drive a progress bar."""


def no_progress(_: int) -> None:
    """The default when nobody watches."""


def write_csv(stream: TextIO, columns: Iterable[str], lines: Iterable[list[str]], progress: Advance) -> int:
    """A CSV file: the header line, then the chunks of ``lines``; returns the rows written."""
    stream.write(",".join(columns) + "\n")
    rows = 0
    for chunk in lines:
        stream.write("\n".join(chunk) + "\n")
        progress(len(chunk))
        rows += len(chunk)
    return rows
