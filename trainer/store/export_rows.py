"""The cards and the review log streamed out as export records, each row built by SQLite itself (one
CSV line or one JSON object), so a million-row export does no Python work per field.

Column names are stable (documented in the README and in `trainer export stats --help`); times are ISO
8601 in the user's zone with its offset, each beside the same instant in UTC (``…Z``), which is the
column a reader such as pandas can parse as datetimes whatever the zone's summer time did; text is
UTF-8. The files' shape (header, JSON document) is ``trainer.stats.export``'s.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import TextIO

from trainer.safe_files import atomic_files
from trainer.scheduler.sm2 import PASS_QUALITY
from trainer.stats.export import Written, write_document
from trainer.stats.localtime import SLACK, Stretch, offset_text, stretches
from trainer.stats.rows import Advance, no_progress, write_csv
from trainer.store.stats_queries import STATE_SQL, compute_stats

CHUNK = 5_000
NEEDS_QUOTES = '*[",\r\n]*'
"""A GLOB matching text that RFC 4180 requires to be quoted."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell beginning with one of these is a formula to a spreadsheet (OWASP's CSV injection list)."""


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


# Times in the user's zone -------------------------------------------------------------------------


def _utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class LocalTime:
    """Turns UTC ISO columns into local ISO times with offset inside SQLite: a zone's offset is
    constant between its transitions, so each stretch of the log's span gets one ``CASE`` branch, in
    which ``strftime`` shifts the time and the offset is appended as text."""

    stretches: list[Stretch]

    @property
    def params(self) -> dict[str, object]:
        """The query parameters that the expressions from ``of`` refer to."""
        params: dict[str, object] = {}
        for number, stretch in enumerate(self.stretches):
            params |= {
                f"lt_start{number}": _utc_text(stretch.start),
                f"lt_shift{number}": f"{int(stretch.offset.total_seconds()):+d} seconds",
                f"lt_suffix{number}": offset_text(stretch.offset),
            }
        return params

    def of(self, column: str) -> str:
        """The SQL expression for ``column``; NULL stays NULL."""

        def shifted(number: int) -> str:
            return f"strftime('%Y-%m-%dT%H:%M:%f', {column}, :lt_shift{number}) || :lt_suffix{number}"

        # Newest stretch first; a time before the scanned span gets the oldest stretch's offset.
        branches = " ".join(
            f"WHEN {column} >= :lt_start{number} THEN {shifted(number)}"
            for number in reversed(range(1, len(self.stretches)))
        )
        return f"(CASE {branches} ELSE {shifted(0)} END)" if branches else f"({shifted(0)})"


def utc_time(column: str) -> str:
    """The SQL expression for a UTC ISO ``column`` as ``2026-11-22T09:00:00.000Z``: one offset form for
    every row, so a CSV reader parses the whole column as datetimes. NULL stays NULL."""
    return f"strftime('%Y-%m-%dT%H:%M:%fZ', {column})"


def local_time(conn: sqlite3.Connection, zone: tzinfo) -> LocalTime:
    """The conversion for every time the review log holds."""
    span = conn.execute("SELECT MIN(day), MAX(day) FROM reviews").fetchone()
    first_day = date.fromisoformat(span[0]) if span[0] else date(2000, 1, 1)
    last_day = date.fromisoformat(span[1]) if span[1] else first_day
    first = datetime.combine(first_day, time(), UTC) - SLACK
    last = datetime.combine(last_day, time(), UTC) + SLACK
    return LocalTime(stretches(zone, first, last))


# The exported tables ------------------------------------------------------------------------------

LAST_REVIEW = (
    "LEFT JOIN reviews AS last ON last.id = (SELECT r.id FROM reviews AS r"
    " WHERE r.card_id = cards.id AND r.quality IS NOT NULL ORDER BY r.id DESC LIMIT 1)"
)
FREE_TEXT = frozenset({"deck", "front"})
"""The only columns whose text can need CSV quoting."""


def card_fields(local: Callable[[str], str]) -> dict[str, str]:
    """cards.csv / "cards" columns and the SQL for each; ``local`` turns a UTC column into local time."""
    return {
        "deck": "decks.name",
        "card_id": "cards.id",
        "front": "cards.front",
        "state": STATE_SQL,
        "easiness": "cards.easiness_cents / 100.0",
        "interval": "cards.interval",
        "due_day": "cards.due_day",
        "repetitions": "cards.repetitions",
        "lapses": "cards.lapses",
        "last_review": local("last.reviewed_at"),
        "last_review_utc": utc_time("last.reviewed_at"),
    }


def review_fields(local: Callable[[str], str]) -> dict[str, str]:
    """reviews.csv / "reviews" columns and the SQL for each."""
    return {
        "time": local("reviews.reviewed_at"),
        "time_utc": utc_time("reviews.reviewed_at"),
        "day": "reviews.day",
        "card_id": "reviews.card_id",
        "deck": "card_deck.deck",
        "quality": "reviews.quality",
        "kind": "reviews.kind",
        "interval_after": "reviews.interval_after",
        "easiness_after": "reviews.easiness_after / 100.0",
        "duration_ms": "reviews.duration_ms",
    }


CARDS_FROM = (
    f"FROM cards JOIN decks ON decks.id = cards.deck_id {LAST_REVIEW} ORDER BY decks.name, cards.position"
)
# Deck names come from a small temporary table: a million lookups into the wide cards table cost seconds.
REVIEWS_FROM = "FROM reviews JOIN temp.card_deck ON card_deck.card_id = reviews.card_id ORDER BY reviews.id"


@contextmanager
def _card_decks(conn: sqlite3.Connection) -> Iterator[None]:
    """``temp.card_deck(card_id, deck)`` for the duration of an export."""
    conn.execute("DROP TABLE IF EXISTS temp.card_deck")
    conn.execute("CREATE TEMP TABLE card_deck (card_id INTEGER PRIMARY KEY, deck TEXT)")
    try:
        conn.execute(
            "INSERT INTO temp.card_deck"
            " SELECT cards.id, decks.name FROM cards JOIN decks ON decks.id = cards.deck_id"
        )
        yield
    finally:
        conn.execute("DROP TABLE temp.card_deck")


@dataclass(frozen=True)
class Table:
    """One exported table: its name, its columns with their SQL, and the rest of its query."""

    name: str
    fields: dict[str, str]
    tail: str


def tables(conn: sqlite3.Connection, zone: tzinfo) -> tuple[list[Table], dict[str, object]]:
    """The exported tables, and the query parameters their local-time columns need."""
    local = local_time(conn, zone)
    return [
        Table("cards", card_fields(local.of), CARDS_FROM),
        Table("reviews", review_fields(local.of), REVIEWS_FROM),
    ], local.params


def record_count(conn: sqlite3.Connection) -> int:
    """How many records an export writes (cards plus reviews), for the progress bar's length."""
    row = conn.execute("SELECT (SELECT COUNT(*) FROM cards) + (SELECT COUNT(*) FROM reviews)").fetchone()
    return int(row[0])


def write_csv_dir(
    conn: sqlite3.Connection, zone: tzinfo, folder: Path, progress: Advance = no_progress
) -> Written:
    """Write ``cards.csv`` and ``reviews.csv`` into ``folder`` (created), both or neither."""
    exported, params = tables(conn, zone)
    paths = [folder / f"{table.name}.csv" for table in exported]
    written: Written = {}
    with atomic_files(paths) as streams, _card_decks(conn):
        for stream, table in zip(streams, exported, strict=True):
            lines = text_rows(conn, f"SELECT {csv_line_sql(table.fields, FREE_TEXT)} {table.tail}", params)
            written[table.name] = write_csv(stream, table.fields, lines, progress)
    return written


def write_json(
    conn: sqlite3.Connection,
    zone: tzinfo,
    today: date,
    stream: TextIO,
    days: int = 30,
    progress: Advance = no_progress,
) -> Written:
    """One JSON document: {"summary": the report's figures, "cards": [...], "reviews": [...]}."""
    exported, params = tables(conn, zone)
    summary = compute_stats(conn, today, days).as_json()
    with _card_decks(conn):
        records = (
            (table.name, text_rows(conn, f"SELECT {json_object_sql(table.fields)} {table.tail}", params))
            for table in exported
        )
        return write_document(stream, summary, records, progress)


def write_json_file(
    conn: sqlite3.Connection,
    zone: tzinfo,
    today: date,
    path: Path,
    days: int = 30,
    progress: Advance = no_progress,
) -> Written:
    """The JSON document into ``path``, atomically."""
    with atomic_files([path]) as (stream,):
        return write_json(conn, zone, today, stream, days, progress)


# The FSRS optimizer's review log ------------------------------------------------------------------

FSRS_FIELDS = {
    "card_id": "card_id",
    # Seconds from strftime, milliseconds from the text (YYYY-MM-DDTHH:MM:SS.mmm+00:00).
    "review_time": (
        "CAST(strftime('%s', reviewed_at) AS INTEGER) * 1000 + CAST(substr(reviewed_at, 21, 3) AS INTEGER)"
    ),
    "review_rating": f"CASE WHEN quality < {PASS_QUALITY} THEN 1 ELSE quality - 1 END",
    "review_state": (
        "CASE WHEN kind = 'review' AND interval_before = 0 THEN 0"
        " WHEN repetitions_before >= 2 THEN 2"
        # The lapses before this answer: a failed review of a learned card added one.
        f" WHEN lapses_after - (kind = 'review' AND quality < {PASS_QUALITY} AND repetitions_before > 0) > 0"
        " THEN 3 ELSE 1 END"
    ),
    "review_duration": "COALESCE(duration_ms, 0)",
}
"""The review log as the CSV the open FSRS optimizer reads (its "review logs" schema): column name ->
SQL over the reviews table, whose reviewed_at is UTC ISO text with milliseconds.

Columns: card_id, review_time (UTC, milliseconds since the epoch), review_rating (1 Again, 2 Hard,
3 Good, 4 Easy), review_state (0 New, 1 Learning, 2 Review, 3 Relearning), review_duration (ms).

Our grades map 0, 1, 2 -> 1 Again; 3 -> 2 Hard; 4 -> 3 Good; 5 -> 4 Easy. A row's state is the card's
state when it was answered: 0 New for its first answer; 2 Review once it had two successful
repetitions in a row; 3 Relearning while it is below that after a lapse; 1 Learning otherwise.
Same-day drills are included as the short-term reviews they are (FSRS models them); imported
schedules are left out, having no grade.
"""
FSRS_FROM = "FROM reviews WHERE quality IS NOT NULL ORDER BY id"


def write_fsrs(conn: sqlite3.Connection, stream: TextIO, progress: Advance = no_progress) -> int:
    """Write the FSRS review log CSV to ``stream``, rows in the order they were logged; returns the rows."""
    lines = text_rows(conn, f"SELECT {csv_line_sql(FSRS_FIELDS)} {FSRS_FROM}", {})
    return write_csv(stream, FSRS_FIELDS, lines, progress)


def write_fsrs_file(conn: sqlite3.Connection, path: Path, progress: Advance = no_progress) -> int:
    """The FSRS review log CSV into ``path``, atomically; returns the rows written."""
    with atomic_files([path]) as (stream,):
        return write_fsrs(conn, stream, progress)
