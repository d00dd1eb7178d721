"""Finding cards for the card browser and ``trainer cards``, and a card's whole history.

A search reads one page of rows (what a table shows) and the number of matches in one query: the
filter and the sort run over narrow columns, and only the page's cards are read in full.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trainer.scheduler.schedule import LEECH_LAPSES
from trainer.store.cards import LEECH_TAG, CardGone
from trainer.store.events import card_events
from trainer.store.stats_queries import STATE_SQL

STATES: dict[str, str] = {
    **{state: f"({STATE_SQL}) = '{state}'" for state in ("new", "learning", "young", "mature", "suspended")},
    "buried": "cards.buried_day = :today",
    "leech": (
        f"(cards.lapses >= {LEECH_LAPSES}"
        f" OR EXISTS (SELECT 1 FROM json_each(cards.tags) WHERE json_each.value = '{LEECH_TAG}'))"
    ),
}
"""The states a search filters by: the stats' states (new, learning, young, mature, suspended: one
definition, ``STATE_SQL``), plus cards buried today and leeches (lapsed LEECH_LAPSES times, or tagged)."""
SORTS: dict[str, str] = {
    "due": "cards.due_day IS NULL, cards.due_day, cards.deck_id, cards.position",
    "easiness": "cards.easiness_cents",
    "lapses": "cards.lapses DESC",
    "added": "cards.id",
}
"""The orders a search sorts by: due day (new cards last, in deck order), easiness (hardest first),
lapses (most first), added (oldest first); ties by card id."""
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


def _folds_in_python(text: str) -> bool:
    """Whether ``text`` has a non-ASCII letter with case (SQLite's ``lower`` folds only ASCII)."""
    return any(ord(char) > 127 and char.lower() != char.upper() for char in text)


def _casefold(text: str | None) -> str:
    return (text or "").casefold()


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
    review day, for the cards buried today.
    """
    if state is not None and state not in STATES:
        raise ValueError(f"unknown state {state!r} (states: {', '.join(STATES)})")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (sorts: {', '.join(SORTS)})")
    where, params = _filters(conn, today, text, deck_id, state)
    cursor = conn.cursor()
    cursor.row_factory = None
    page = cursor.execute(
        f"SELECT cards.id, COUNT(*) OVER () FROM cards JOIN decks ON decks.id = cards.deck_id {where}"
        f" ORDER BY {SORTS[sort]}, cards.id LIMIT :limit OFFSET :offset",
        params | {"limit": max(limit, 0), "offset": max(offset, 0)},
    ).fetchall()
    if page:
        total = int(page[0][1])
    else:
        count = f"SELECT COUNT(*) FROM cards JOIN decks ON decks.id = cards.deck_id {where}"
        total = int(cursor.execute(count, params).fetchone()[0])
    return SearchResult(_rows(conn, [row[0] for row in page], today), total)


def _filters(
    conn: sqlite3.Connection, today: date, text: str | None, deck_id: int | None, state: str | None
) -> tuple[str, dict[str, Any]]:
    conditions = []
    params: dict[str, Any] = {"today": today.isoformat()}
    if text:
        haystack = "cards.front || char(31) || cards.back || char(31) || cards.tags || char(31) || decks.name"
        if _folds_in_python(text):
            conn.create_function("trainer_casefold", 1, _casefold, deterministic=True)
            conditions.append(f"instr(trainer_casefold({haystack}), :text)")
            params["text"] = text.casefold()
        else:
            conditions.append(f"instr(lower({haystack}), :text)")
            params["text"] = text.lower()
    if deck_id is not None:
        conditions.append("cards.deck_id = :deck_id")
        params["deck_id"] = deck_id
    if state is not None:
        conditions.append(STATES[state])
    return ("WHERE " + " AND ".join(conditions) if conditions else ""), params


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
    before events at equal times). A deleted card's history is its tombstone; an unknown id is CardGone."""
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
    events = [
        HistoryItem(event.at, event.day, str(event.kind), detail=event.detail)
        for event in card_events(conn, card_id)
    ]
    known = answers or events or conn.execute("SELECT 1 FROM cards WHERE id = ?", (card_id,)).fetchone()
    if not known:
        raise CardGone(card_id)
    return sorted(answers + events, key=lambda item: item.at)
