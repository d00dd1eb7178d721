"""Today's queue from the database: the candidate cards, ordered and limited by the pure queue rules.

Every query here reads only what it returns: each kind of card has an index that yields it in queue
order (``idx_cards_due_day_deck_id_position``, ``idx_cards_deck_id_due_day``, ``idx_cards_drill_day``),
and the counts stop at what the daily limits leave, so a million cards cost what a thousand do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from trainer.scheduler.queue import Limits, QueueEntry, Room, Today, build_queue, room_left
from trainer.store.reviews import reviews_today

LIVE = "cards.suspended = 0 AND COALESCE(cards.buried_day, '') != :today"
NOT_DRILL = "COALESCE(cards.drill_day, '') != :today"
"""A card drilled today is in the queue as a drill only (``build_queue``), never also as due or new."""
DUE = f"cards.due_day <= :today AND COALESCE(cards.last_day, '') < :today AND {NOT_DRILL}"
NEW = f"cards.due_day IS NULL AND {NOT_DRILL}"
DRILL = "cards.drill_day = :today"


PAGE = 64
"""Cards read per query while a session walks its queue: the first card costs one small query."""


def _pages(
    conn: sqlite3.Connection, where: str, order: tuple[str, ...], params: dict[str, object]
) -> Iterator[int]:
    """The ids of the live cards matching ``where`` in ``order``, a page at a time (keyset paging on
    the ``order`` columns: never NULL, the last one unique), so a reader stopping early reads no more."""
    deck = " AND cards.deck_id = :deck" if params.get("deck") is not None else ""
    columns = ", ".join(f"cards.{name}" for name in order)
    after = ""
    last: tuple[object, ...] = ()
    while True:
        sql = (
            f"SELECT cards.id, {columns} FROM cards WHERE {LIVE} AND {where}{deck}{after}"
            f" ORDER BY {columns} LIMIT {PAGE}"
        )
        rows = conn.execute(sql, params | {f"k{n}": value for n, value in enumerate(last)}).fetchall()
        yield from (row[0] for row in rows)
        if len(rows) < PAGE:
            return
        last = tuple(rows[-1])[1:]
        after = f" AND ({columns}) > ({', '.join(f':k{n}' for n in range(len(order)))})"


def used_today(conn: sqlite3.Connection, day: date) -> Today:
    """New cards introduced and reviews answered on ``day`` across the whole collection."""
    new, reviews = reviews_today(conn, day)
    return Today(new, reviews)


def day_queue(
    conn: sqlite3.Connection, day: date, limits: Limits, deck_id: int | None = None
) -> Iterator[QueueEntry]:
    """The cards to show on ``day``: due reviews most overdue first, new cards in deck order, drills;
    the deck (or all decks) gets what is left of the collection's limits. Read as far as it is walked."""
    room = room_left(limits, used_today(conn, day))
    params: dict[str, object] = {"today": day.isoformat(), "deck": deck_id}
    drill = [row[0] for row in conn.execute(_drill_sql(deck_id), params)]
    due = _pages(conn, DUE, ("due_day", "id"), params)
    new = _pages(conn, NEW, ("deck_id", "position", "id"), params)  # due_day is NULL: the index's first
    return build_queue(due, new, drill, room)


def _drill_sql(deck_id: int | None) -> str:
    deck = " AND cards.deck_id = :deck" if deck_id is not None else ""
    return f"SELECT cards.id FROM cards WHERE {LIVE} AND {DRILL}{deck} ORDER BY cards.last_day, cards.id"


@dataclass(frozen=True)
class QueueCounts:
    """What a session started now on one deck (``deck_id``) or all decks (None) would show."""

    deck_id: int | None
    name: str
    new: int
    drill: int
    due: int
    total: int
    """Cards in the deck (or collection), suspended ones included: the stored ``decks.card_count``."""


def _capped_count(where: str, cap: str, deck: str) -> str:
    """A count that stops at ``cap`` rows: it reads no more of the index than the limits let through."""
    return f"(SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE {LIVE} AND {where}{deck} LIMIT {cap}))"


def _counts_sql(deck: str) -> str:
    """The new / drill / due columns for the cards matching ``deck`` (a condition or '')."""
    drill = f"(SELECT COUNT(*) FROM cards WHERE {LIVE} AND {DRILL}{deck})"
    return f"{_capped_count(NEW, ':new', deck)}, {drill}, {_capped_count(DUE, ':reviews', deck)}"


def _params(day: date, room: Room) -> dict[str, object]:
    return {"today": day.isoformat(), "new": room.new, "reviews": room.reviews}


def queue_counts(
    conn: sqlite3.Connection, day: date, limits: Limits, deck_id: int | None = None
) -> tuple[int, int, int]:
    """The new, drill and due cards of ``day_queue(conn, day, limits, deck_id)``, without reading it."""
    params = _params(day, room_left(limits, used_today(conn, day))) | {"deck": deck_id}
    deck = " AND cards.deck_id = :deck" if deck_id is not None else ""
    new, drill, due = conn.execute(f"SELECT {_counts_sql(deck)}", params).fetchone()
    return new, drill, due


def deck_counts(conn: sqlite3.Connection, day: date, limits: Limits) -> list[QueueCounts]:
    """The deck list in one query: all decks first (``deck_id`` None), then every deck by name."""
    params = _params(day, room_left(limits, used_today(conn, day)))
    everything = conn.execute(
        f"SELECT {_counts_sql('')}, (SELECT COALESCE(SUM(card_count), 0) FROM decks)", params
    ).fetchone()
    rows = conn.execute(
        f"SELECT decks.id, decks.name, {_counts_sql(' AND cards.deck_id = decks.id')}, decks.card_count"
        " FROM decks ORDER BY decks.name",
        params,
    )
    return [QueueCounts(None, "", *everything), *(QueueCounts(*row) for row in rows)]


def new_waiting(conn: sqlite3.Connection, deck_id: int | None = None, cap: int = -1) -> int:
    """New cards not yet introduced (suspended ones left out), in the deck or the whole collection;
    counted up to ``cap`` (all when negative)."""
    deck = " AND deck_id = ?" if deck_id is not None else ""
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM cards WHERE suspended = 0 AND due_day IS NULL{deck} LIMIT ?)"
    params = (deck_id, cap) if deck_id is not None else (cap,)
    return int(conn.execute(sql, params).fetchone()[0])


def new_for_a_fresh_day(conn: sqlite3.Connection, limits: Limits, deck_id: int | None = None) -> int:
    """New cards a later day will introduce in the deck (or all decks): those waiting, up to the limit."""
    return new_waiting(conn, deck_id, cap=room_left(limits, Today()).new)


def due_by(conn: sqlite3.Connection, day: date, deck_id: int | None = None) -> int:
    """Scheduled cards (not suspended) due on or before ``day`` in the deck or the whole collection."""
    sql = "SELECT COUNT(*) FROM cards WHERE suspended = 0 AND due_day <= ?"
    params: list[object] = [day.isoformat()]
    if deck_id is not None:
        sql += " AND deck_id = ?"
        params.append(deck_id)
    return int(conn.execute(sql, params).fetchone()[0])


def first_due_after(conn: sqlite3.Connection, day: date) -> tuple[date, int] | None:
    """The first day after ``day`` with scheduled cards due, and how many; None if there is none."""
    row = conn.execute(
        "SELECT due_day, COUNT(*) FROM cards WHERE suspended = 0 AND due_day > ?"
        " GROUP BY due_day ORDER BY due_day LIMIT 1",
        (day.isoformat(),),
    ).fetchone()
    return (date.fromisoformat(row[0]), int(row[1])) if row else None
