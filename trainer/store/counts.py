"""How big the collection is: the figures commands report beside what they did."""

from __future__ import annotations

import sqlite3


def card_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM cards").fetchone()[0])


def review_count(conn: sqlite3.Connection) -> int:
    """Rows of the review log (answers, drills and carried schedules)."""
    return int(conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
