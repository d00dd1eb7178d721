"""The JSON export's document: the report's figures, then every card and the whole review log.

The records arrive as finished JSON objects, a chunk at a time (``trainer.store.export_rows``), and
are written as they come, so memory stays flat however long the log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from trainer.stats.rows import Advance
from trainer.textsafe import json_safe

Written = dict[str, int]
"""Records written per table ("cards", "reviews"), for the message that says what an export wrote."""


def write_document(
    stream: TextIO,
    summary: dict[str, Any],
    tables: Iterable[tuple[str, Iterable[list[str]]]],
    progress: Advance,
) -> Written:
    """{"summary": ``summary``, "<table>": [its records...], ...} into ``stream``."""
    stream.write(json_safe(f'{{"summary": {json.dumps(summary, ensure_ascii=False)}'))
    written: Written = {}
    for name, records in tables:
        stream.write(f',\n"{name}": [')
        separator = "\n"
        written[name] = 0
        for chunk in records:
            stream.write(separator + json_safe(",\n".join(chunk)))
            separator = ",\n"
            progress(len(chunk))
            written[name] += len(chunk)
        stream.write("\n]")
    stream.write("}\n")
    return written
