"""Finding cards for the card browser and ``trainer cards``, and a card's whole history.

A search reads one page of rows (what a table shows) and the number of matches in one query: the
filter and the sort run over narrow columns, and only the page's cards are read in full.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trainer.scheduler.schedule import LEECH_LAPSES
from trainer.store.cards import LEECH_TAG, CardGone
from trainer.store.events import EventKind, card_events
from trainer.store.stats_queries import STATE_SQL

STATES: dict[str, str] = {
    **{state: f"({STATE_SQL}) = '{state}'" for state in ("new", "learning", "young", "mature", "suspended")},
    "buried": "cards.buried_day = :today",
    "leech": f"(cards.lapses >= {LEECH_LAPSES} OR instr(cards.tags, '\"{LEECH_TAG}\"') > 0)",
}
"""The states a search filters by: the stats' states (new, learning, young, mature, suspended: one
definition, ``STATE_SQL``), plus cards buried today and leeches (lapsed LEECH_LAPSES times, or tagged)."""
SORTS: dict[str, str] = {
    "due": "cards.due_day, cards.deck_id, cards.position",
    "easiness": "cards.easiness_cents, cards.id",
    "lapses": "cards.lapses DESC, cards.id",
    "added": "cards.id",
}
"""The orders a search sorts by: due day (new cards first, in deck order, as Anki's browser sorts them;
the order of an index, so a page is read without sorting), easiness (hardest first), lapses (most
first), added (oldest first)."""
PAGE = 200
"""Rows a search returns unless told otherwise."""


@dataclass(frozen=True)
class CardRow:
    """One card as the browser's table shows it."""

    id: int
    deck: str
    front: str
    back: str
    tags: tuple[str, ...]
    state: str
    """new, learning, young, mature or suspended (as the stats count it)."""
    due: date | None
    easiness_cents: int
    interval: int
    lapses: int
    suspended: bool
    buried: bool
    """Buried for the day searched."""

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "deck": self.deck, "front": self.front, "back": self.back, "tags": list(self.tags),
            "state": self.state, "due": self.due.isoformat() if self.due else None,
            "easiness": self.easiness_cents / 100, "interval": self.interval, "lapses": self.lapses,
            "suspended": self.suspended, "buried": self.buried,
        }  # fmt: skip


@dataclass(frozen=True)
class SearchResult:
    """A page of matching cards and how many match in all."""

    rows: list[CardRow]
    total: int


def search_cards(
    conn: sqlite3.Connection,
    *,
    today: date,
    text: str | None = None,
    deck_id: int | None = None,
    state: str | None = None,
    sort: str = "due",
    limit: int = PAGE,
    offset: int = 0,
) -> SearchResult:
    """The cards matching every filter given, sorted, a page at a time.

    ``text`` is a case-insensitive substring of the front, back, tags or deck name (CJK text has no
    case and matches as it is); ``state`` is one of STATES, ``sort`` one of SORTS; ``today`` is the
    review day, for the cards buried today. The page is read in the sort's order and stops once full;
    the matches are counted only when the page does not already say how many there are.
    """
    if state is not None and state not in STATES:
        raise ValueError(f"unknown state {state!r} (states: {', '.join(STATES)})")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (sorts: {', '.join(SORTS)})")
    limit, offset = max(limit, 0), max(offset, 0)
    where, params = _filters(conn, today, text, deck_id, state)
    cursor = conn.cursor()
    cursor.row_factory = None
    page = [
        row[0]
        for row in cursor.execute(
            f"SELECT cards.id FROM cards {where} ORDER BY {SORTS[sort]} LIMIT :limit OFFSET :offset",
            params | {"limit": limit, "offset": offset},
        )
    ]
    if len(page) < limit and (page or offset == 0):  # the page holds the last match
        total = offset + len(page)
    else:
        total = int(cursor.execute(f"SELECT COUNT(*) FROM cards {where}", params).fetchone()[0])
    return SearchResult(_rows(conn, page, today), total)


def matching_ids(
    conn: sqlite3.Connection,
    *,
    today: date,
    text: str,
    deck_id: int | None = None,
    state: str | None = None,
    sort: str = "due",
    within: Sequence[int] | None = None,
) -> list[int]:
    """Every card matching the filters, in the sort's order: for a search that narrows as the user types.

    ``within``, the matches of a shorter text that ``text`` contains (so holds every match of ``text``),
    in the sort's order, is searched alone and keeps its order: a few thousand cards read by id instead
    of a scan of the collection.
    """
    where, params = _filters(conn, today, text, deck_id, state)
    cursor = conn.cursor()
    cursor.row_factory = None
    if within is None:
        rows = cursor.execute(f"SELECT cards.id FROM cards {where} ORDER BY {SORTS[sort]}", params)
        return [row[0] for row in rows]
    found = {
        row[0]
        for row in cursor.execute(
            f"SELECT cards.id FROM cards {where} AND cards.id IN (SELECT value FROM json_each(:within))",
            params | {"within": json.dumps(list(within))},
        )
    }
    return [card_id for card_id in within if card_id in found]


def card_rows(conn: sqlite3.Connection, ids: Sequence[int], today: date) -> list[CardRow]:
    """The cards ``ids`` as a search shows them, in that order (cards deleted meanwhile left out)."""
    return _rows(conn, list(ids), today)


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filters(
    conn: sqlite3.Connection, today: date, text: str | None, deck_id: int | None, state: str | None
) -> tuple[str, dict[str, Any]]:
    """The WHERE clause and its parameters.

    Text is matched with LIKE, SQLite's fastest substring scan, which folds ASCII case only; a
    non-ASCII letter with case (É) is a one-character wildcard there, and the rows it lets through
    are checked with Python's case folding. Deck names are few, so they are matched here.
    """
    conditions = []
    params: dict[str, Any] = {"today": today.isoformat()}
    if text:
        pattern = "".join(
            "_" if ord(char) > 127 and char.lower() != char.upper() else _like_escaped(char) for char in text
        )
        params["pattern"] = f"%{pattern}%"
        match = " OR ".join(f"cards.{side} LIKE :pattern ESCAPE '\\'" for side in ("front", "back", "tags"))
        if pattern != _like_escaped(text):
            conn.create_function("trainer_folded_in", 4, _folded_in, deterministic=True)
            params["folded"] = text.casefold()
            match = f"({match}) AND trainer_folded_in(:folded, cards.front, cards.back, cards.tags)"
        decks = _decks_named(conn, text)
        if decks:
            match = f"({match} OR cards.deck_id IN ({', '.join(map(str, decks))}))"
        conditions.append(f"({match})")
    if deck_id is not None:
        conditions.append("cards.deck_id = :deck_id")
        params["deck_id"] = deck_id
    if state is not None:
        conditions.append(STATES[state])
    return ("WHERE " + " AND ".join(conditions) if conditions else ""), params


def _folded_in(needle: str, *sides: str) -> bool:
    return any(needle in side.casefold() for side in sides)


def _decks_named(conn: sqlite3.Connection, text: str) -> list[int]:
    """The decks whose name holds ``text``, ignoring case."""
    folded = text.casefold()
    decks = conn.execute("SELECT id, name FROM decks")
    return [deck_id for deck_id, name in decks if folded in name.casefold()]


def _rows(conn: sqlite3.Connection, ids: list[int], today: date) -> list[CardRow]:
    """The cards ``ids`` in full, in that order."""
    if not ids:
        return []
    rows = conn.execute(
        f"SELECT cards.id, decks.name, cards.front, cards.back, cards.tags, {STATE_SQL}, cards.due_day,"
        " cards.easiness_cents, cards.interval, cards.lapses, cards.suspended, cards.buried_day"
        " FROM cards JOIN decks ON decks.id = cards.deck_id"
        " WHERE cards.id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    found = {}
    for row in rows:
        card_id, deck, front, back, tags, state, due, ease, interval, lapses, suspended, buried = row
        found[card_id] = CardRow(
            card_id, deck, front, back, tuple(json.loads(tags)), state,
            date.fromisoformat(due) if due else None, ease, interval, lapses,
            bool(suspended), buried == today.isoformat(),
        )  # fmt: skip
    return [found[card_id] for card_id in ids if card_id in found]


@dataclass(frozen=True)
class HistoryItem:
    """One line of a card's history: an answer (or import, or forget) from the review log, or an event."""

    at: str
    """UTC ISO 8601 with milliseconds."""
    day: date | None
    kind: str
    """The review log's kinds (review, drill, import, forget) or the events' (suspend, edit, ...)."""
    quality: int | None = None
    interval_after: int | None = None
    due_after: date | None = None
    duration_ms: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    """An event's detail (an edit's old and new text, a move's decks)."""

    def as_json(self) -> dict[str, object]:
        return {
            "at": self.at, "day": self.day.isoformat() if self.day else None, "kind": self.kind,
            "quality": self.quality, "interval_after": self.interval_after,
            "due_after": self.due_after.isoformat() if self.due_after else None,
            "duration_ms": self.duration_ms, "detail": self.detail,
        }  # fmt: skip


def card_history(conn: sqlite3.Connection, card_id: int) -> list[HistoryItem]:
    """The card's whole review log and its events, in time order (each in the order written, answers
    before events at equal times). A deleted card's history is its tombstone; an unknown id is CardGone.

    SQLite gives the id of the newest card again once that card is deleted; the tombstone before a
    card's own events is the earlier card's and is left out.
    """
    rows = conn.execute(
        "SELECT reviewed_at, day, kind, quality, interval_after, due_after, duration_ms FROM reviews"
        " WHERE card_id = ? ORDER BY id",
        (card_id,),
    )
    answers = [
        HistoryItem(
            at, date.fromisoformat(day), kind, quality, interval, date.fromisoformat(due) if due else None, ms
        )
        for at, day, kind, quality, interval, due, ms in rows
    ]
    events = card_events(conn, card_id)
    if conn.execute("SELECT 1 FROM cards WHERE id = ?", (card_id,)).fetchone() is not None:
        tombstones = [number for number, event in enumerate(events) if event.kind is EventKind.DELETE]
        events = events[tombstones[-1] + 1 :] if tombstones else events
    elif not events:
        raise CardGone(card_id)
    items = [HistoryItem(event.at, event.day, str(event.kind), detail=event.detail) for event in events]
    return sorted(answers + items, key=lambda item: item.at)
