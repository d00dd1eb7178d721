"""Today's queue from the database: the candidate cards, ordered and limited by the pure queue rules."""

from __future__ import annotations

import sqlite3
from datetime import date

from trainer.scheduler.queue import Entry, Limits, Today, build_queue, room_left
from trainer.store.reviews import reviews_today

LIVE = "cards.suspended = 0 AND COALESCE(cards.buried_day, '') != :today"


def _ids(
    conn: sqlite3.Connection, where: str, order: str, params: dict[str, object], limit: int
) -> list[int]:
    deck = " AND cards.deck_id = :deck" if params.get("deck") is not None else ""
    sql = f"SELECT cards.id FROM cards WHERE {LIVE} AND {where}{deck} ORDER BY {order} LIMIT :limit"
    return [row[0] for row in conn.execute(sql, params | {"limit": limit})]


def used_today(conn: sqlite3.Connection, day: date) -> Today:
    """New cards introduced and reviews answered on ``day`` across the whole collection."""
    new, reviews = reviews_today(conn, day)
    return Today(new, reviews)


def day_queue(conn: sqlite3.Connection, day: date, limits: Limits, deck_id: int | None = None) -> list[Entry]:
    """The cards to show on ``day``: due reviews most overdue first, new cards in deck order, drills;
    the deck (or all decks) gets what is left of the collection's limits."""
    room = room_left(limits, used_today(conn, day))
    params: dict[str, object] = {"today": day.isoformat(), "deck": deck_id}
    due = _ids(
        conn,
        "cards.due_day <= :today AND COALESCE(cards.last_day, '') < :today",
        "cards.due_day, cards.id",
        params,
        room.reviews,
    )
    new = _ids(conn, "cards.due_day IS NULL", "cards.deck_id, cards.position", params, room.new)
    drill = _ids(conn, "cards.drill_day = :today", "cards.last_day, cards.id", params, -1)
    return build_queue(due, new, drill, room)


def new_waiting(conn: sqlite3.Connection, deck_id: int | None = None) -> int:
    """New cards not yet introduced (suspended ones left out), in the deck or the whole collection."""
    deck = " AND deck_id = ?" if deck_id is not None else ""
    params = (deck_id,) if deck_id is not None else ()
    sql = f"SELECT COUNT(*) FROM cards WHERE suspended = 0 AND due_day IS NULL{deck}"
    return int(conn.execute(sql, params).fetchone()[0])
