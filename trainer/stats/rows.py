"""Records streamed out of SQLite ready to write: each row is one CSV line or one JSON object, built
by SQLite itself, so a million-row export does no Python work per field.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from typing import TextIO

CHUNK = 5_000
NEEDS_QUOTES = '*[",\r\n]*'
"""A GLOB matching text that RFC 4180 requires to be quoted."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell beginning with one of these is a formula to a spreadsheet (OWASP's CSV injection list)."""

Advance = Callable[[int], None]
"""Called with the number of records just written, to drive a progress bar."""


def no_progress(_: int) -> None:
    """The default when nobody watches."""


def _neutralised(sql: str) -> str:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'`` as OWASP recommends,
    so that it shows as the text it is."""
    starts = ", ".join(f"char({ord(start)})" for start in FORMULA_STARTS)
    return f"(CASE WHEN substr({sql}, 1, 1) IN ({starts}) THEN '''' || {sql} ELSE {sql} END)"


def csv_line_sql(fields: Mapping[str, str], free_text: frozenset[str] = frozenset()) -> str:
    """An SQL expression giving one CSV line (RFC 4180 quoting, NULL as empty) for ``fields``
    (column name -> SQL). Only the ``free_text`` columns can hold commas, quotes or line breaks, or
    begin like a formula; the others are numbers, dates and fixed words, written exactly as they are.
    """

    def cell(name: str, sql: str) -> str:
        if name in free_text:
            sql = _neutralised(sql)
            quoted = f"""'"' || replace({sql}, '"', '""') || '"'"""
            sql = f"CASE WHEN {sql} GLOB :needs_quotes THEN {quoted} ELSE {sql} END"
        return f"COALESCE({sql}, '')"

    return " || ',' || ".join(cell(name, sql) for name, sql in fields.items())


def json_object_sql(fields: Mapping[str, str]) -> str:
    """An SQL expression giving one JSON object for ``fields``."""
    return "json_object(" + ", ".join(f"'{name}', {sql}" for name, sql in fields.items()) + ")"


def text_rows(conn: sqlite3.Connection, sql: str, params: Mapping[str, object]) -> Iterator[list[str]]:
    """The rows of ``sql`` (one text column each), a chunk at a time so memory stays flat."""
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql, {"needs_quotes": NEEDS_QUOTES, **params})
    while chunk := cursor.fetchmany(CHUNK):
        yield [row[0] for row in chunk]


def write_csv(
    conn: sqlite3.Connection,
    stream: TextIO,
    fields: Mapping[str, str],
    tail: str,
    params: Mapping[str, object] | None = None,
    free_text: frozenset[str] = frozenset(),
    progress: Advance = no_progress,
) -> int:
    """A CSV file: the header line, then one line per row of ``SELECT fields tail``; returns the rows."""
    stream.write(",".join(fields) + "\n")
    rows = 0
    for chunk in text_rows(conn, f"SELECT {csv_line_sql(fields, free_text)} {tail}", params or {}):
        stream.write("\n".join(chunk) + "\n")
        progress(len(chunk))
        rows += len(chunk)
    return rows
