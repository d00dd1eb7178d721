"""Decks in the database: adding or updating them from deck files, listing them with today's counts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from trainer.errors import TrainerError
from trainer.store.cards import LEECH_TAG, SYSTEM_TAGS

if TYPE_CHECKING:
    from trainer.decks.model import Card, Deck


@dataclass
class DeckChanges:
    """What bringing a deck file into the database did (or, in a dry run, would do)."""

    deck: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    """Keys of cards in the database that the file no longer has; kept unless pruned."""
    renamed_from: str | None = None
    """The deck's name before this import, when the file renamed it (same source, same cards)."""
    conflicts: list[str] = field(default_factory=list)
    """Keys of cards edited in the trainer whose text the file changed too: the user's text is kept
    (and the file's becomes the one later imports compare with), or replaced when overwriting."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def find_deck_id(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT id FROM decks WHERE name = ?", (name,)).fetchone()
    if row is None:
        known = ", ".join(r[0] for r in conn.execute("SELECT name FROM decks ORDER BY name"))
        raise TrainerError(f"no deck named {name!r} (decks: {known or 'none'})")
    return int(row[0])


def upsert_deck(conn: sqlite3.Connection, deck: Deck, overwrite: bool = False) -> DeckChanges:
    """Add the deck's new cards and update changed ones, keeping every card's progress.

    A card edited in the trainer (``store.curation.edit_card``) keeps the user's text while the file
    still gives the text it gave at the edit; when the file's text changed too, that is a conflict:
    the user's text is kept unless ``overwrite``, and reported in ``conflicts`` either way. Runs inside
    the caller's transaction, so a whole import is all or nothing.
    """
    row = conn.execute("SELECT id FROM decks WHERE name = ?", (deck.name,)).fetchone()
    renamed = _renamed_deck(conn, deck) if row is None else None
    if renamed is not None:
        row = (renamed[0],)
        conn.execute("UPDATE decks SET name = ? WHERE id = ?", (deck.name, renamed[0]))
    if row is None:
        inserted = conn.execute(
            "INSERT INTO decks (name, description, source) VALUES (?, ?, ?)",
            (deck.name, deck.description, deck.source),
        ).lastrowid
        assert inserted is not None
        deck_id = inserted
    else:
        deck_id = row[0]
        conn.execute(
            "UPDATE decks SET description = ?, source = ? WHERE id = ?",
            (deck.description, deck.source, deck_id),
        )
    rows = conn.cursor()
    rows.row_factory = None  # plain tuples: a 100k-card deck is read and compared in a blink
    existing: dict[str, tuple[Any, ...]] = {
        row[0]: row
        for row in rows.execute(
            "SELECT key, position, front, back, tags, source, source_front, source_back, source_tags"
            " FROM cards WHERE deck_id = ?",
            (deck_id,),
        )
    }
    changes = DeckChanges(deck.name, renamed_from=renamed[1] if renamed else None)
    inserts = []
    updates = []
    for position, card in enumerate(deck.cards):
        old = existing.pop(card.id, None)
        if old is None:
            tags = json.dumps(card.tags, ensure_ascii=False)
            inserts.append((deck_id, card.id, position, card.front, card.back, tags, card.source))
            changes.added.append(card.id)
            continue
        leech = [t for t in json.loads(old[4]) if t == LEECH_TAG]
        values: tuple[object, ...]
        if old[6] is None:  # never edited here: the file's text
            tags = json.dumps([*card.tags, *leech], ensure_ascii=False)
            values = (position, card.front, card.back, tags, card.source, None, None, None)
        else:
            values = _edited(old, card, position, leech, overwrite, changes)
        if old[1:] != values:
            updates.append((*values, deck_id, card.id))
            if old[2:5] != values[1:4]:
                changes.updated.append(card.id)
            else:
                changes.unchanged += 1  # only its position, source or remembered source moved
        else:
            changes.unchanged += 1
    conn.executemany(
        "INSERT INTO cards (deck_id, key, position, front, back, tags, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )
    conn.executemany(
        "UPDATE cards SET position = ?, front = ?, back = ?, tags = ?, source = ?,"
        " source_front = ?, source_back = ?, source_tags = ? WHERE deck_id = ? AND key = ?",
        updates,
    )
    changes.missing.extend(existing)
    recount(conn, [deck_id])
    return changes


def recount(conn: sqlite3.Connection, deck_ids: Iterable[int]) -> None:
    """Store the number of cards each deck now holds; every writer that adds, removes or moves cards
    calls it in its transaction (one indexed count per deck changed)."""
    conn.executemany(
        "UPDATE decks SET card_count = (SELECT COUNT(*) FROM cards WHERE cards.deck_id = decks.id)"
        " WHERE id = ?",
        [(deck_id,) for deck_id in set(deck_ids)],
    )


def _edited(
    old: tuple[Any, ...], card: Card, position: int, leech: list[str], overwrite: bool, changes: DeckChanges
) -> tuple[object, ...]:
    """The new column values of a card edited in the trainer: the user's text while the file gives
    what it gave at the edit; on a conflict (the file changed too) the user's text still, with the
    file's new text remembered, or the file's text when overwriting."""
    given = (card.front, card.back, json.dumps(card.tags, ensure_ascii=False))
    remembered: tuple[str | None, ...] = old[6:9]
    if given != remembered:
        changes.conflicts.append(card.id)
        if overwrite:
            tags = json.dumps([*card.tags, *leech], ensure_ascii=False)
            return (position, card.front, card.back, tags, card.source, None, None, None)
        remembered = given
    user_tags = [t for t in json.loads(old[4]) if t not in SYSTEM_TAGS]
    tags = json.dumps([*user_tags, *leech], ensure_ascii=False)
    return (position, old[2], old[3], tags, card.source, *remembered)


def _renamed_deck(conn: sqlite3.Connection, deck: Deck) -> tuple[int, str] | None:
    """(id, old name) of the deck that ``deck`` is under a new name: one from the same source that
    already holds at least half of its cards, under a name nobody chose (its source's file stem when
    that is a hash, as the bundled ``001_9fda27f9badf5157`` was before it took its document's title).
    Its cards' progress stays with it. A readable old name may be the user's choice (``import --deck``
    makes a second deck from the same file on purpose), so it is kept."""
    from trainer.decks.build import readable_stem

    if deck.source is None or not deck.cards:
        return None
    stem = PurePath(deck.source).stem
    if readable_stem(stem) == stem:
        return None
    keys = json.dumps([card.id for card in deck.cards])
    row = conn.execute(
        "SELECT decks.id, decks.name, COUNT(cards.id) AS shared FROM decks"
        " JOIN cards ON cards.deck_id = decks.id AND cards.key IN (SELECT value FROM json_each(?))"
        " WHERE decks.source = ? AND decks.name = ? GROUP BY decks.id",
        (keys, deck.source, stem),
    ).fetchone()
    if row is None or 2 * row[2] < len({card.id for card in deck.cards}):
        return None
    return int(row[0]), str(row[1])


@dataclass(frozen=True)
class DeckSummary:
    """A deck's name and size; today's counts come from the queue rules (``session.queue_counts``)."""

    id: int
    name: str
    total: int


def list_decks(conn: sqlite3.Connection) -> list[DeckSummary]:
    """Every deck with its number of cards, by name."""
    rows = conn.execute("SELECT id, name, card_count FROM decks ORDER BY name")
    return [DeckSummary(*row) for row in rows]
