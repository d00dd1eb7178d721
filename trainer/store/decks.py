"""Decks in the database: adding or updating them from deck files, listing them with today's counts."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from trainer.decks.model import Deck
from trainer.errors import TrainerError


@dataclass
class DeckChanges:
    """What bringing a deck file into the database did (or, in a dry run, would do)."""

    deck: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    """Keys of cards in the database that the file no longer has; kept unless pruned."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def find_deck_id(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT id FROM decks WHERE name = ?", (name,)).fetchone()
    if row is None:
        known = ", ".join(r[0] for r in conn.execute("SELECT name FROM decks ORDER BY name"))
        raise TrainerError(f"no deck named {name!r} (decks: {known or 'none'})")
    return int(row[0])


def upsert_deck(conn: sqlite3.Connection, deck: Deck) -> DeckChanges:
    """Add the deck's new cards and update changed ones, keeping every card's progress.

    Runs inside the caller's transaction, so a whole import is all or nothing.
    """
    row = conn.execute("SELECT id FROM decks WHERE name = ?", (deck.name,)).fetchone()
    if row is None:
        deck_id = conn.execute(
            "INSERT INTO decks (name, description, source) VALUES (?, ?, ?)",
            (deck.name, deck.description, deck.source),
        ).lastrowid
    else:
        deck_id = row[0]
        conn.execute(
            "UPDATE decks SET description = ?, source = ? WHERE id = ?",
            (deck.description, deck.source, deck_id),
        )
    existing = {
        r["key"]: r
        for r in conn.execute(
            "SELECT key, position, front, back, tags, source FROM cards WHERE deck_id = ?", (deck_id,)
        )
    }
    changes = DeckChanges(deck.name)
    inserts = []
    updates = []
    for position, card in enumerate(deck.cards):
        old = existing.pop(card.id, None)
        old_tags = [t for t in json.loads(old["tags"]) if t == "leech"] if old is not None else []
        values = (
            position,
            card.front,
            card.back,
            json.dumps([*card.tags, *old_tags], ensure_ascii=False),
            card.source,
        )
        if old is None:
            inserts.append((deck_id, card.id, *values))
            changes.added.append(card.id)
        elif tuple(old)[1:] != values:
            updates.append((*values, deck_id, card.id))
            if tuple(old)[2:5] != values[1:4]:
                changes.updated.append(card.id)
            else:
                changes.unchanged += 1  # only its position or source moved
        else:
            changes.unchanged += 1
    conn.executemany(
        "INSERT INTO cards (deck_id, key, position, front, back, tags, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )
    conn.executemany(
        "UPDATE cards SET position = ?, front = ?, back = ?, tags = ?, source = ?"
        " WHERE deck_id = ? AND key = ?",
        updates,
    )
    changes.missing.extend(existing)
    return changes


@dataclass(frozen=True)
class DeckSummary:
    """A deck's name and size; today's counts come from the queue rules (``session.queue_counts``)."""

    id: int
    name: str
    total: int


def list_decks(conn: sqlite3.Connection) -> list[DeckSummary]:
    """Every deck with its number of cards, by name."""
    rows = conn.execute(
        "SELECT decks.id, decks.name, COUNT(cards.id) FROM decks"
        " LEFT JOIN cards ON cards.deck_id = decks.id GROUP BY decks.id ORDER BY decks.name"
    )
    return [DeckSummary(*row) for row in rows]
