"""The review log as the CSV the open FSRS optimizer reads (its "review logs" schema).

Columns: card_id, review_time (UTC, milliseconds since the epoch), review_rating (1 Again, 2 Hard,
3 Good, 4 Easy), review_state (0 New, 1 Learning, 2 Review, 3 Relearning), review_duration (ms).

Our grades map 0, 1, 2 -> 1 Again; 3 -> 2 Hard; 4 -> 3 Good; 5 -> 4 Easy. A row's state is the card's
state when it was answered: 0 New for its first answer; 2 Review once it had two successful
repetitions in a row; 3 Relearning while it is below that after a lapse; 1 Learning otherwise.
Same-day drills are included as the short-term reviews they are (FSRS models them); imported
schedules are left out, having no grade.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TextIO

from trainer.safe_files import atomic_files
from trainer.scheduler.sm2 import PASS_QUALITY
from trainer.stats.rows import Advance, no_progress, write_csv

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
"""Column name -> SQL over the reviews table. reviewed_at is UTC ISO text with milliseconds."""


def write_fsrs(conn: sqlite3.Connection, stream: TextIO, progress: Advance = no_progress) -> int:
    """Write the FSRS review log CSV to ``stream``, rows in the order they were logged; returns the rows."""
    return write_csv(
        conn, stream, FSRS_FIELDS, "FROM reviews WHERE kind != 'import' ORDER BY id", progress=progress
    )


def write_fsrs_file(conn: sqlite3.Connection, path: Path, progress: Advance = no_progress) -> int:
    """The FSRS review log CSV into ``path``, atomically; returns the rows written."""
    with atomic_files([path]) as (stream,):
        return write_fsrs(conn, stream, progress)
