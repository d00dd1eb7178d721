"""Registered notes files and applying a sync plan to their decks: all the SQL the notes folder needs.

A retired card is suspended and tagged ``retired``; its row and its log stay, so it comes back with its
progress. A rename updates the card's key and text in place, so its id, schedule and log go with it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from trainer.store.cards import RETIRED_TAG
from trainer.store.decks import upsert_deck
from trainer.store.events import EventKind, change_flags

if TYPE_CHECKING:
    from trainer.decks.model import Deck
    from trainer.decks.sync import Change, OldCard, Plan
    from trainer.store.decks import DeckChanges


@dataclass(frozen=True)
class NoteRecord:
    """One registered notes file and what the last sync saw of it."""

    path: str
    root: str
    """The file or folder the user added, which this file was found under."""
    deck: str | None
    """The deck the file feeds; None until its first sync."""
    size: int | None
    mtime_ns: int | None
    sha256: str | None
    synced_at: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path, "root": self.root, "deck": self.deck, "size": self.size,
            "mtime_ns": self.mtime_ns, "sha256": self.sha256, "synced_at": self.synced_at,
        }  # fmt: skip


def registered_notes(conn: sqlite3.Connection) -> list[NoteRecord]:
    rows = conn.execute(
        "SELECT path, root, deck, size, mtime_ns, sha256, synced_at FROM note_files ORDER BY path"
    )
    return [NoteRecord(*row) for row in rows]


def has_notes(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM note_files LIMIT 1").fetchone() is not None


def register_note(conn: sqlite3.Connection, path: str, root: str) -> bool:
    """Register ``path`` (found under ``root``); False if it was registered already."""
    cursor = conn.execute("INSERT OR IGNORE INTO note_files (path, root) VALUES (?, ?)", (path, root))
    return cursor.rowcount == 1


def forget_notes(conn: sqlite3.Connection, path: str) -> list[str]:
    """Unregister the file ``path``, or every file registered under the folder ``path``; their decks stay."""
    gone = [
        row[0] for row in conn.execute("SELECT path FROM note_files WHERE path = ? OR root = ?", (path, path))
    ]
    conn.execute("DELETE FROM note_files WHERE path = ? OR root = ?", (path, path))
    return gone


def record_seen(
    conn: sqlite3.Connection, path: str, deck: str | None, size: int, mtime_ns: int, sha256: str, at: str
) -> None:
    conn.execute(
        "UPDATE note_files SET deck = ?, size = ?, mtime_ns = ?, sha256 = ?, synced_at = ? WHERE path = ?",
        (deck, size, mtime_ns, sha256, at, path),
    )


def deck_owner(conn: sqlite3.Connection, deck: str) -> str | None:
    """The registered file that feeds ``deck``, if any."""
    row = conn.execute("SELECT path FROM note_files WHERE deck = ? LIMIT 1", (deck,)).fetchone()
    return None if row is None else str(row[0])


def _deck_id(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM decks WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


def deck_cards(conn: sqlite3.Connection, deck: str) -> list[OldCard]:
    """The cards the deck named ``deck`` holds (none if there is no such deck yet), with the text their
    note gave: a card edited in the trainer is compared with its note by the note's text."""
    rows = conn.execute(
        "SELECT key, COALESCE(source_front, front), COALESCE(source_back, back),"
        " EXISTS (SELECT 1 FROM json_each(cards.tags) WHERE value = ?)"
        " FROM cards JOIN decks ON decks.id = cards.deck_id WHERE decks.name = ? ORDER BY position",
        (RETIRED_TAG, deck),
    )
    from trainer.decks.sync import OldCard  # off start-up: the review screen only asks has_notes

    return [OldCard(key, front, back, bool(retired)) for key, front, back, retired in rows]


def changed_cards(conn: sqlite3.Connection, deck: Deck, keys: list[str]) -> list[Change]:
    """The cards ``keys`` of ``deck`` as the database holds them and as ``deck`` has them (to show an
    import's edits before it is made)."""
    from trainer.decks.sync import Change

    new = {card.id: card for card in deck.cards}
    held = {old.key: old for old in deck_cards(conn, deck.name)}
    return [Change(held[key], new[key]) for key in keys if key in held and key in new]


def apply_plan(
    conn: sqlite3.Connection, deck: Deck, plan: Plan, now: datetime, overwrite: bool = False
) -> DeckChanges:
    """Make the database's deck what the note says, inside the caller's transaction.

    Renamed cards take their new key first, so the deck update then finds them under it and keeps
    their progress; it also drops the ``retired`` tag of every card the note has again, and those
    cards come back into reviews (an ``unsuspend`` event each, dated ``now``). Cards edited in the
    trainer keep the user's text as ``upsert_deck`` says (``overwrite`` replaces it on a conflict).
    """
    deck_id = _deck_id(conn, deck.name)
    if deck_id is not None:
        conn.executemany(
            "UPDATE cards SET key = ? WHERE deck_id = ? AND key = ?",
            [(change.new.id, deck_id, change.old.key) for change in plan.renamed],
        )
    changes = upsert_deck(conn, deck, overwrite)
    deck_id = _deck_id(conn, deck.name)
    back = [change.new.id for change in plan.restored]
    back += [change.new.id for change in plan.renamed if change.old.retired]
    change_flags(conn, _card_ids(conn, deck.name, back), EventKind.UNSUSPEND, now, None)
    retire(conn, deck.name, plan.retired, now)
    return changes


def card_ids(conn: sqlite3.Connection, deck: str, keys: list[str]) -> dict[str, int]:
    """The ids of the cards ``keys`` of the deck named ``deck`` (keys it lacks are left out)."""
    rows = conn.execute(
        "SELECT cards.key, cards.id FROM cards JOIN decks ON decks.id = cards.deck_id"
        " WHERE decks.name = ? AND cards.key IN (SELECT value FROM json_each(?))",
        (deck, json.dumps(keys)),
    )
    return {key: card_id for key, card_id in rows}


def _card_ids(conn: sqlite3.Connection, deck: str, keys: list[str]) -> list[int]:
    return list(card_ids(conn, deck, keys).values())


def retire(conn: sqlite3.Connection, deck: str, cards: list[OldCard], now: datetime) -> None:
    """Take ``cards`` out of reviews (a ``suspend`` event each, dated ``now``), tagged ``retired``;
    their rows and logs stay."""
    ids = _card_ids(conn, deck, [card.key for card in cards])
    conn.executemany(
        "UPDATE cards SET tags = json_insert(tags, '$[#]', ?) WHERE id = ?", [(RETIRED_TAG, i) for i in ids]
    )
    change_flags(conn, ids, EventKind.SUSPEND, now, None)
