"""Exporting the figures, the cards and the review log as CSV files or one JSON document.

Column names are stable (documented in the README and in `trainer export stats --help`); times are ISO
8601 in the user's zone with its offset, each beside the same instant in UTC (``…Z``), which is the
column a reader such as pandas can parse as datetimes whatever the zone's summer time did; text is
UTF-8. Records are built by SQLite and streamed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path
from typing import TextIO

from trainer.safe_files import atomic_files
from trainer.stats.figures import STATE_SQL, compute_stats
from trainer.stats.localtime import local_time, utc_time
from trainer.stats.rows import Advance, json_object_sql, no_progress, text_rows, write_csv
from trainer.textsafe import json_safe

LAST_REVIEW = (
    "LEFT JOIN reviews AS last ON last.id = (SELECT r.id FROM reviews AS r"
    " WHERE r.card_id = cards.id AND r.kind != 'import' ORDER BY r.id DESC LIMIT 1)"
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


Written = dict[str, int]
"""Records written per table ("cards", "reviews"), for the message that says what an export wrote."""


def write_csv_dir(
    conn: sqlite3.Connection, zone: tzinfo, folder: Path, progress: Advance = no_progress
) -> Written:
    """Write ``cards.csv`` and ``reviews.csv`` into ``folder`` (created), both or neither."""
    exported, params = tables(conn, zone)
    paths = [folder / f"{table.name}.csv" for table in exported]
    written: Written = {}
    with atomic_files(paths) as streams, _card_decks(conn):
        for stream, table in zip(streams, exported, strict=True):
            written[table.name] = write_csv(
                conn, stream, table.fields, table.tail, params, FREE_TEXT, progress
            )
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
    summary = json.dumps(compute_stats(conn, today, days).as_json(), ensure_ascii=False)
    stream.write(json_safe(f'{{"summary": {summary}'))
    written: Written = {}
    with _card_decks(conn):
        for table in exported:
            stream.write(f',\n"{table.name}": [')
            separator = "\n"
            written[table.name] = 0
            for chunk in text_rows(conn, f"SELECT {json_object_sql(table.fields)} {table.tail}", params):
                stream.write(separator + json_safe(",\n".join(chunk)))
                separator = ",\n"
                progress(len(chunk))
                written[table.name] += len(chunk)
            stream.write("\n]")
    stream.write("}\n")
    return written


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
