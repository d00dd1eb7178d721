"""Card events: everything done to a card besides answering it, each one row of ``card_events``.

Flags (suspend, unsuspend, bury, unbury), content edits, moves and deletions are written in the same
transaction as the change they record. A card's flags are what replaying its flag events gives
(``replay_flags``), as its schedule is what replaying its review log gives, so ``check`` proves both.
``change_flags`` is the one writer of the ``suspended`` and ``buried_day`` columns. A deletion leaves a
tombstone: the table has no foreign key, so the row outlives the card.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from trainer.store.cards import CardGone


class EventKind(StrEnum):
    """What a card event records."""

    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    BURY = "bury"
    """Hidden for the event's day."""
    UNBURY = "unbury"
    EDIT = "edit"
    """Front, back or tags changed by hand: ``detail`` holds the old and the new values."""
    MOVE = "move"
    """Moved to another deck: ``detail`` holds both deck names."""
    DELETE = "delete"
    """The card and its review log were deleted: ``detail`` keeps its deck, key, front and back."""


FLAG_KINDS = (EventKind.SUSPEND, EventKind.UNSUSPEND, EventKind.BURY, EventKind.UNBURY)
FLAG_KINDS_SQL = "(" + ", ".join(f"'{kind}'" for kind in FLAG_KINDS) + ")"


@dataclass(frozen=True)
class Flags:
    """What a card's flag events determine: whether it is suspended, and the day it was last buried."""

    suspended: bool = False
    buried_day: date | None = None
    """The day the card is hidden (a past day hides nothing); None when never buried or unburied."""

    def after(self, kind: EventKind, day: date | None) -> Flags:
        """The flags after one event (events that are not flags change nothing)."""
        if kind is EventKind.SUSPEND or kind is EventKind.UNSUSPEND:
            return replace(self, suspended=kind is EventKind.SUSPEND)
        if kind is EventKind.BURY:
            return replace(self, buried_day=day)
        if kind is EventKind.UNBURY:
            return replace(self, buried_day=None)
        return self

    def columns(self) -> dict[str, Any]:
        """The flags as the cards table holds them."""
        return {
            "suspended": int(self.suspended),
            "buried_day": self.buried_day.isoformat() if self.buried_day else None,
        }

    @classmethod
    def of_columns(cls, suspended: int, buried_day: str | None) -> Flags:
        return cls(bool(suspended), date.fromisoformat(buried_day) if buried_day else None)


def replay_flags(events: Iterable[tuple[str, str | None]]) -> Flags:
    """The flags a card's (kind, day) events give, in the order they were written."""
    flags = Flags()
    for kind, day in events:
        flags = flags.after(EventKind(kind), date.fromisoformat(day) if day else None)
    return flags


@dataclass(frozen=True)
class CardEvent:
    """One row of ``card_events``."""

    id: int
    card_id: int
    at: str
    """When, in UTC ISO 8601 with milliseconds (as the review log's ``reviewed_at``)."""
    day: date | None
    """The review day, for the events that depend on it (a burial); None where none was given."""
    kind: EventKind
    detail: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, object]:
        """The row exactly as written, so taking the event back removes this row and never another."""
        return {
            "id": self.id,
            "card_id": self.card_id,
            "at": self.at,
            "day": self.day.isoformat() if self.day else None,
            "kind": str(self.kind),
            "detail": _json(self.detail),
        }


def _json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)


def moment(now: datetime) -> str:
    """``now`` as the logs store times: UTC, ISO 8601, milliseconds."""
    return now.astimezone(UTC).isoformat(timespec="milliseconds")


def record_event(
    conn: sqlite3.Connection,
    card_id: int,
    kind: EventKind,
    now: datetime,
    day: date | None = None,
    detail: dict[str, Any] | None = None,
) -> CardEvent:
    """Append one event; inside the caller's transaction (with the change it records)."""
    event = CardEvent(0, card_id, moment(now), day, kind, detail or {})
    row = event.row()
    del row["id"]
    cursor = conn.execute(
        "INSERT INTO card_events (card_id, at, day, kind, detail)"
        " VALUES (:card_id, :at, :day, :kind, :detail)",
        row,
    )
    assert cursor.lastrowid is not None
    return replace(event, id=cursor.lastrowid)


def _event(row: Sequence[Any]) -> CardEvent:
    event_id, card_id, at, day, kind, detail = row
    return CardEvent(
        event_id, card_id, at, date.fromisoformat(day) if day else None, EventKind(kind), json.loads(detail)
    )


def card_events(conn: sqlite3.Connection, card_id: int) -> list[CardEvent]:
    """A card's events in the order they were written (a deleted card's tombstone included)."""
    rows = conn.execute(
        "SELECT id, card_id, at, day, kind, detail FROM card_events WHERE card_id = ? ORDER BY id", (card_id,)
    )
    return [_event(row) for row in rows]


def _stored_flags(conn: sqlite3.Connection, card_id: int) -> Flags:
    row = conn.execute("SELECT suspended, buried_day FROM cards WHERE id = ?", (card_id,)).fetchone()
    if row is None:
        raise CardGone(card_id)
    return Flags.of_columns(row[0], row[1])


def write_flags(conn: sqlite3.Connection, card_id: int, flags: Flags) -> None:
    """Store ``flags`` on the card as they are: for a change already recorded, or a repair by replay."""
    conn.execute(
        "UPDATE cards SET suspended = :suspended, buried_day = :buried_day WHERE id = :id",
        flags.columns() | {"id": card_id},
    )


def change_flags(
    conn: sqlite3.Connection, card_ids: Iterable[int], kind: EventKind, now: datetime, day: date | None
) -> list[CardEvent]:
    """Suspend, unsuspend, bury (on ``day``) or unbury cards, recording one event per card changed.

    The one writer of the flag columns. A card whose flags the change leaves as they are gets no event;
    an unknown id raises CardGone (inside the caller's transaction, so nothing of it is kept).
    """
    if kind not in FLAG_KINDS:
        raise ValueError(f"{kind} is not a flag change")
    if kind is EventKind.BURY and day is None:
        raise ValueError("a burial needs its day")
    written = []
    for card_id in dict.fromkeys(card_ids):
        old = _stored_flags(conn, card_id)
        new = old.after(kind, day)
        if new == old:
            continue
        written.append(record_event(conn, card_id, kind, now, day))
        write_flags(conn, card_id, new)
    return written


def flag_events(conn: sqlite3.Connection, card_id: int) -> Flags:
    """The flags the card's events give."""
    rows = conn.execute(
        f"SELECT kind, day FROM card_events WHERE card_id = ? AND kind IN {FLAG_KINDS_SQL} ORDER BY id",
        (card_id,),
    )
    return replay_flags(rows)


def take_back(conn: sqlite3.Connection, events: Iterable[CardEvent]) -> int:
    """Undo flag changes by deleting the events they wrote, then giving each card the flags its
    remaining events give; inside the caller's transaction.

    An event is deleted only while its row holds exactly what was written (after a restore elsewhere
    the id may name another event, which is never touched). Returns how many events were taken back.
    """
    cards: dict[int, None] = {}
    taken = 0
    for event in events:
        row = event.row()
        match = " AND ".join(f"{name} IS :{name}" for name in row)
        if conn.execute(f"DELETE FROM card_events WHERE {match}", row).rowcount == 1:
            cards[event.card_id] = None
            taken += 1
    for card_id in cards:
        if conn.execute("SELECT 1 FROM cards WHERE id = ?", (card_id,)).fetchone() is not None:
            write_flags(conn, card_id, flag_events(conn, card_id))
    return taken
