"""Today's queue from the database: the candidate cards, ordered and limited by the pure queue rules."""

from __future__ import annotations

import sqlite3
from datetime import date

from trainer.scheduler.queue import Entry, Limits, build_queue
from trainer.store.reviews import reviews_today

LIVE = "cards.suspended = 0 AND COALESCE(cards.buried_day, '') != :today"


def _ids(
    conn: sqlite3.Connection, where: str, order: str, params: dict[str, object], limit: int
) -> list[int]:
    deck = " AND cards.deck_id = :deck" if params.get("deck") is not None else ""
    sql = f"SELECT cards.id FROM cards WHERE {LIVE} AND {where}{deck} ORDER BY {order} LIMIT :limit"
    return [row[0] for row in conn.execute(sql, params | {"limit": limit})]


def day_queue(conn: sqlite3.Connection, day: date, limits: Limits, deck_id: int | None = None) -> list[Entry]:
    """The cards to show on ``day``: due reviews most overdue first, new cards in deck order, drills."""
    new_done, reviews_done = reviews_today(conn, day, deck_id)
    params: dict[str, object] = {"today": day.isoformat(), "deck": deck_id}
    due = _ids(
        conn,
        "cards.due_day <= :today AND COALESCE(cards.last_day, '') < :today",
        "cards.due_day, cards.id",
        params,
        max(0, limits.reviews_per_day - reviews_done),
    )
    new = _ids(
        conn,
        "cards.due_day IS NULL",
        "cards.deck_id, cards.position",
        params,
        max(0, limits.new_per_day - new_done),
    )
    drill = _ids(conn, "cards.drill_day = :today", "cards.last_day, cards.id", params, -1)
    return build_queue(due, new, drill, limits, new_done, reviews_done)
