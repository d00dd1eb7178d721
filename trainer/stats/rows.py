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

Progress = Callable[[int], None]
"""Called with the number of records just written, to drive a progress bar."""


def no_progress(_: int) -> None:
    """The default when nobody watches."""


def csv_line_sql(fields: Mapping[str, str], free_text: frozenset[str] = frozenset()) -> str:
    """An SQL expression giving one CSV line (RFC 4180 quoting, NULL as empty) for ``fields``
    (column name -> SQL); only the ``free_text`` columns can hold commas, quotes or line breaks.
    """

    def cell(name: str, sql: str) -> str:
        if name in free_text:
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
    progress: Progress = no_progress,
) -> None:
    """A CSV file: the header line, then one line per row of ``SELECT fields tail``."""
    stream.write(",".join(fields) + "\n")
    for chunk in text_rows(conn, f"SELECT {csv_line_sql(fields, free_text)} {tail}", params or {}):
        stream.write("\n".join(chunk) + "\n")
        progress(len(chunk))
