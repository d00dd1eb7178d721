"""Card rows: reading them, and mapping the schedule to and from columns."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from trainer.errors import TrainerError
from trainer.scheduler.schedule import Schedule
from trainer.scheduler.sm2 import Sm2State

LEECH_TAG = "leech"
RETIRED_TAG = "retired"
"""The tag of a card whose note no longer defines it (``store.notes.retire``)."""
SYSTEM_TAGS = (LEECH_TAG, RETIRED_TAG)
"""Tags the trainer sets itself; the user's own tags are the others."""


@dataclass(frozen=True)
class StoredCard:
    """A card as the database holds it."""

    id: int
    deck_id: int
    deck: str
    key: str
    front: str
    back: str
    tags: tuple[str, ...]
    source: str | None
    schedule: Schedule
    suspended: bool
    buried_day: date | None


CARD_COLUMNS = (
    "cards.id, cards.deck_id, decks.name AS deck, cards.key, cards.front, cards.back, cards.tags, "
    "cards.source, cards.repetitions, cards.easiness_cents, cards.interval, cards.due_day, cards.last_day, "
    "cards.drill_day, cards.lapses, cards.suspended, cards.buried_day"
)
CARD_FROM = "cards JOIN decks ON decks.id = cards.deck_id"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def schedule_from_row(row: sqlite3.Row) -> Schedule:
    return Schedule(
        state=Sm2State(row["repetitions"], row["easiness_cents"], row["interval"]),
        due=_day(row["due_day"]),
        last_day=_day(row["last_day"]),
        drill_day=_day(row["drill_day"]),
        lapses=row["lapses"],
    )


def schedule_columns(schedule: Schedule) -> dict[str, Any]:
    return {
        "repetitions": schedule.state.repetitions,
        "easiness_cents": schedule.state.easiness_cents,
        "interval": schedule.state.interval,
        "due_day": _iso(schedule.due),
        "last_day": _iso(schedule.last_day),
        "drill_day": _iso(schedule.drill_day),
        "lapses": schedule.lapses,
    }


def card_from_row(row: sqlite3.Row) -> StoredCard:
    return StoredCard(
        id=row["id"],
        deck_id=row["deck_id"],
        deck=row["deck"],
        key=row["key"],
        front=row["front"],
        back=row["back"],
        tags=tuple(json.loads(row["tags"])),
        source=row["source"],
        schedule=schedule_from_row(row),
        suspended=bool(row["suspended"]),
        buried_day=_day(row["buried_day"]),
    )


class CardGone(TrainerError):
    """The card is not in the database (never was, or another process deleted it, as
    ``import --prune`` does)."""

    def __init__(self, card_id: int, consequence: str = "") -> None:
        super().__init__(f"no card with id {card_id}{consequence}")
        self.card_id = card_id


def find_card(conn: sqlite3.Connection, card_id: int) -> StoredCard | None:
    """The card with ``card_id``, or None if there is none (any more)."""
    row = conn.execute(f"SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE cards.id = ?", (card_id,)).fetchone()
    return None if row is None else card_from_row(row)


def get_card(conn: sqlite3.Connection, card_id: int) -> StoredCard:
    """The card with ``card_id``; CardGone, a clear error, if there is none."""
    card = find_card(conn, card_id)
    if card is None:
        raise CardGone(card_id)
    return card


def get_cards(conn: sqlite3.Connection, card_ids: list[int]) -> dict[int, StoredCard]:
    """Several cards by id, in one query."""
    if not card_ids:
        return {}
    marks = ",".join("?" * len(card_ids))
    rows = conn.execute(f"SELECT {CARD_COLUMNS} FROM {CARD_FROM} WHERE cards.id IN ({marks})", card_ids)
    return {row["id"]: card_from_row(row) for row in rows}


def write_schedule(conn: sqlite3.Connection, card: StoredCard, schedule: Schedule) -> None:
    """Store ``schedule`` on the card, tagging it a leech exactly while it is one."""
    tags = [tag for tag in card.tags if tag != LEECH_TAG]
    if schedule.is_leech:
        tags.append(LEECH_TAG)
    columns = schedule_columns(schedule) | {"tags": json.dumps(tags, ensure_ascii=False)}
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    conn.execute(f"UPDATE cards SET {assignments} WHERE id = :id", columns | {"id": card.id})


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite giving up on a lock another connection holds (SQLITE_BUSY/LOCKED)."""
    code = getattr(error, "sqlite_errorcode", None)
    busy = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return isinstance(error, sqlite3.OperationalError) and code is not None and code & 0xFF in busy


@contextmanager
def brief_lock_wait(conn: sqlite3.Connection, milliseconds: int = 100) -> Iterator[None]:
    """Inside this block a write gives up after ``milliseconds`` (not the usual busy timeout) when
    another process holds the write lock, so an interactive caller can say so and try again later
    instead of freezing the screen for seconds."""
    (previous,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(previous)}")
