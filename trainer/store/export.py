"""A stored deck read back as a deck file would hold it, so it can be edited and imported again."""

from __future__ import annotations

import json
import sqlite3

from trainer.decks.model import Card, Deck
from trainer.store.cards import LEECH_TAG
from trainer.store.decks import find_deck_id


def stored_deck(conn: sqlite3.Connection, name: str) -> Deck:
    """The deck ``name`` with its cards in order; the ``leech`` tag is progress, not content, so dropped."""
    deck_id = find_deck_id(conn, name)
    description, source = conn.execute(
        "SELECT description, source FROM decks WHERE id = ?", (deck_id,)
    ).fetchone()
    cards = tuple(
        Card(
            id=row["key"],
            front=row["front"],
            back=row["back"],
            tags=tuple(tag for tag in json.loads(row["tags"]) if tag != LEECH_TAG),
            source=row["source"],
        )
        for row in conn.execute(
            "SELECT key, front, back, tags, source FROM cards WHERE deck_id = ? ORDER BY position", (deck_id,)
        )
    )
    return Deck(name=name, cards=cards, description=description or "", source=source)
