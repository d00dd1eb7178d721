"""Curating the collection by hand: edit, add, forget, delete, move, flag; rename and delete decks.

Each operation is one transaction (all or nothing: an unknown card id or deck name changes nothing)
and is recorded, so ``check`` can prove the result: flags, edits, moves and deletions are card events
(``store.events``), forgetting is a ``forget`` entry in the review log. A content edit never changes a
schedule.

Edits and notes together: the first edit of a card remembers the text its source gave
(``source_front``/``source_back``/``source_tags``). When the card's file or note is re-imported or
re-synced, the user's text is kept if the source still gives that remembered text; if the source
changed too, the re-import reports a conflict and still keeps the user's text, unless it is told to
overwrite (see ``store.decks.upsert_deck``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from trainer.decks.model import Card, card_text_problem, deck_name_problem
from trainer.errors import TrainerError
from trainer.scheduler.schedule import LogEntry, LogKind, Schedule
from trainer.store.cards import SYSTEM_TAGS, CardGone, StoredCard, get_card, get_cards, write_schedule
from trainer.store.db import transaction
from trainer.store.decks import find_deck_id, recount
from trainer.store.events import FLAG_KINDS, CardEvent, EventKind, change_flags, record_event, take_back
from trainer.store.reviews import append_entry

_CHUNK = 10_000
"""Cards read per query: well inside SQLite's limit on a statement's parameters."""
MANUAL_KEY = "manual-"
"""Keys of cards added by hand are ``manual-<n>``; the extractor and the importers never make one."""


def _cards(conn: sqlite3.Connection, card_ids: Sequence[int]) -> list[StoredCard]:
    """The cards, in the order given (each once); CardGone naming the first unknown id (so nothing of
    the operation is done)."""
    ids = list(dict.fromkeys(card_ids))
    if not ids:
        raise TrainerError("no card ids given")
    found: dict[int, StoredCard] = {}
    for start in range(0, len(ids), _CHUNK):
        found |= get_cards(conn, ids[start : start + _CHUNK])
    missing = [card_id for card_id in ids if card_id not in found]
    if missing:
        raise CardGone(missing[0], "; nothing was changed")
    return [found[card_id] for card_id in ids]


# Flags ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagsChanged:
    """What ``set_flags`` did: the change, and the events written (none for cards already so)."""

    change: EventKind
    card_ids: tuple[int, ...]
    events: tuple[CardEvent, ...]

    @property
    def changed(self) -> tuple[int, ...]:
        """The cards whose flags changed."""
        return tuple(event.card_id for event in self.events)


def set_flags(
    conn: sqlite3.Connection, card_ids: Sequence[int], change: EventKind, now: datetime, day: date
) -> FlagsChanged:
    """Suspend, unsuspend, bury (for ``day``) or unbury cards, each change recorded as an event.

    Undo (``undo_flags``) deletes the events this wrote, so the log reads as if the change never
    happened; the CLI's way back (``suspend --undo``) writes the opposite change instead.
    """
    if change not in FLAG_KINDS:
        raise ValueError(f"{change} is not a flag change")
    with transaction(conn):
        cards = _cards(conn, card_ids)
        events = change_flags(conn, [card.id for card in cards], change, now, day)
    return FlagsChanged(change, tuple(card.id for card in cards), tuple(events))


def undo_flags(conn: sqlite3.Connection, changed: FlagsChanged) -> int:
    """Take back a ``set_flags``: delete its events (only while each is still exactly as written) and
    give each card the flags its remaining events give. Returns how many events were taken back."""
    with transaction(conn):
        return take_back(conn, changed.events)


# Content --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edited:
    """A card's content before and after an edit (equal when the edit changed nothing)."""

    card_id: int
    before: tuple[str, str, tuple[str, ...]]
    """(front, back, tags)."""
    after: tuple[str, str, tuple[str, ...]]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _user_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(tag for tag in tags if tag not in SYSTEM_TAGS)


def _checked_tags(card_id: int | str, tags: Iterable[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(tag.strip() for tag in tags))
    if any(not tag for tag in cleaned):
        raise TrainerError(f"card {card_id}: a tag must not be empty")
    return cleaned


def _checked_text(what: str, front: str, back: str) -> None:
    for side, text in (("front", front), ("back", back)):
        if not text.strip():
            raise TrainerError(f"{what}: the {side} must not be empty")
    if problem := card_text_problem(Card(id="", front=front, back=back)):
        raise TrainerError(f"{what}: {problem}")


def edit_card(
    conn: sqlite3.Connection,
    card_id: int,
    *,
    front: str | None = None,
    back: str | None = None,
    tags: Sequence[str] | None = None,
    now: datetime,
) -> Edited:
    """Change a card's front, back or tags (those given); its schedule and log never change.

    The tags given replace the user's tags; the trainer's own (``leech``, ``retired``) stay. The first
    edit remembers what the card's source gave, so a re-import can tell whether the source changed
    since (see the module's docstring); an edit back to exactly that text forgets it again.
    """
    with transaction(conn):
        card = get_card(conn, card_id)
        new_front = card.front if front is None else front
        new_back = card.back if back is None else back
        new_tags = _user_tags(card.tags) if tags is None else _user_tags(_checked_tags(card_id, tags))
        _checked_text(f"card {card_id}", new_front, new_back)
        before = (card.front, card.back, _user_tags(card.tags))
        after = (new_front, new_back, new_tags)
        if after == before:
            return Edited(card_id, before, after)
        source = conn.execute(
            "SELECT source_front, source_back, source_tags FROM cards WHERE id = ?", (card_id,)
        ).fetchone()
        remembered = (
            (card.front, card.back, _tags_json(before[2]))
            if source[0] is None
            else (source[0], source[1], source[2])
        )
        if (new_front, new_back, _tags_json(new_tags)) == remembered:
            remembered = (None, None, None)  # the user's text is the source's again
        system = [tag for tag in card.tags if tag in SYSTEM_TAGS]
        conn.execute(
            "UPDATE cards SET front = ?, back = ?, tags = ?, source_front = ?, source_back = ?,"
            " source_tags = ? WHERE id = ?",
            (new_front, new_back, _tags_json((*new_tags, *system)), *remembered, card_id),
        )
        detail = {"before": content_json(before), "after": content_json(after)}
        record_event(conn, card_id, EventKind.EDIT, now, detail=detail)
    return Edited(card_id, before, after)


def _tags_json(tags: Iterable[str]) -> str:
    return json.dumps(list(tags), ensure_ascii=False)


def content_json(content: tuple[str, str, tuple[str, ...]]) -> dict[str, object]:
    """A card's (front, back, tags) as an edit event records it and ``trainer edit --json`` prints it."""
    front, back, tags = content
    return {"front": front, "back": back, "tags": list(tags)}


@dataclass(frozen=True)
class Added:
    """A card added by hand."""

    card_id: int
    deck: str
    key: str


def _free_key(conn: sqlite3.Connection, deck_id: int) -> str:
    """A ``manual-<n>`` key nobody in the deck has: one more than the highest taken."""
    (highest,) = conn.execute(
        "SELECT COALESCE(MAX(CAST(substr(key, ?) AS INTEGER)), 0) FROM cards"
        " WHERE deck_id = ? AND key GLOB ? || '[0-9]*'",
        (len(MANUAL_KEY) + 1, deck_id, MANUAL_KEY),
    ).fetchone()
    number = int(highest) + 1
    while conn.execute(
        "SELECT 1 FROM cards WHERE deck_id = ? AND key = ?", (deck_id, f"{MANUAL_KEY}{number}")
    ).fetchone():
        number += 1
    return f"{MANUAL_KEY}{number}"


def _end_of(conn: sqlite3.Connection, deck_id: int) -> int:
    (position,) = conn.execute(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM cards WHERE deck_id = ?", (deck_id,)
    ).fetchone()
    return int(position)


def add_card(conn: sqlite3.Connection, deck: str, front: str, back: str, tags: Sequence[str] = ()) -> Added:
    """A new card at the end of the deck ``deck`` (which must exist), under a ``manual-<n>`` key that
    no import of the deck's file will give, so a re-import neither matches nor removes it (only
    ``--prune`` removes cards the file lacks). A new card has no log or events yet.
    """
    _checked_text(f"deck {deck!r}", front, back)
    user_tags = _user_tags(_checked_tags(f"in deck {deck!r}", tags))
    with transaction(conn):
        deck_id = find_deck_id(conn, deck)
        key = _free_key(conn, deck_id)
        cursor = conn.execute(
            "INSERT INTO cards (deck_id, key, position, front, back, tags) VALUES (?, ?, ?, ?, ?, ?)",
            (deck_id, key, _end_of(conn, deck_id), front, back, _tags_json(user_tags)),
        )
        recount(conn, [deck_id])
        assert cursor.lastrowid is not None
    return Added(cursor.lastrowid, deck, key)


# Schedules and places -------------------------------------------------------------------------------


def forget_cards(conn: sqlite3.Connection, card_ids: Sequence[int], now: datetime, day: date) -> list[int]:
    """Reset cards to new: a ``forget`` entry in each card's log, so replay gives a new card from there
    (its earlier answers stay in the log). Cards already new are left alone; returns those reset."""
    forgotten = []
    with transaction(conn):
        for card in _cards(conn, card_ids):
            if card.schedule == Schedule():
                continue
            entry = LogEntry(LogKind.FORGET, day)
            append_entry(conn, card.id, entry, card.schedule, Schedule(), now, None)
            write_schedule(conn, card, Schedule())
            forgotten.append(card.id)
    return forgotten


def _delete_cards_rows(conn: sqlite3.Connection, card_ids: Sequence[int]) -> None:
    """Delete cards with their review logs and events (inside the caller's transaction)."""
    params = [(card_id,) for card_id in card_ids]
    conn.executemany("DELETE FROM reviews WHERE card_id = ?", params)
    conn.executemany("DELETE FROM card_events WHERE card_id = ?", params)
    conn.executemany("DELETE FROM cards WHERE id = ?", params)


def delete_cards(conn: sqlite3.Connection, card_ids: Sequence[int], now: datetime) -> list[int]:
    """Delete cards: their review logs and events go with them; one ``delete`` event per card stays as
    a tombstone (deck, key, front, back). A card whose deck comes from a file comes back when that
    file changes and is imported again (an import adds what the file has): suspend it to keep it out."""
    with transaction(conn):
        return remove_cards(conn, card_ids, now)


def remove_cards(conn: sqlite3.Connection, card_ids: Sequence[int], now: datetime) -> list[int]:
    """``delete_cards`` inside the caller's transaction (an import that prunes uses it too), so no
    event of a deleted card is left for a later card that SQLite gives the same id."""
    cards = _cards(conn, card_ids)
    _delete_cards_rows(conn, [card.id for card in cards])
    recount(conn, [card.deck_id for card in cards])
    for card in cards:
        detail = {"deck": card.deck, "key": card.key, "front": card.front, "back": card.back}
        record_event(conn, card.id, EventKind.DELETE, now, detail=detail)
    return [card.id for card in cards]


def move_cards(conn: sqlite3.Connection, card_ids: Sequence[int], deck: str, now: datetime) -> list[int]:
    """Move cards to the end of the deck ``deck`` (which must exist), progress and log kept.

    A card whose key the target deck already has gets a fresh ``manual-<n>`` key, so keys stay unique
    in every deck. Cards already in the deck stay where they are; returns those moved. A card moved out
    of a deck that a file or note feeds comes back there as a new card when that source is imported
    or synced again with the card still in it.
    """
    moved = []
    sources: set[int] = set()
    with transaction(conn):
        target = find_deck_id(conn, deck)
        for card in _cards(conn, card_ids):
            if card.deck_id == target:
                continue
            taken = conn.execute(
                "SELECT 1 FROM cards WHERE deck_id = ? AND key = ?", (target, card.key)
            ).fetchone()
            key = _free_key(conn, target) if taken else card.key
            conn.execute(
                "UPDATE cards SET deck_id = ?, key = ?, position = ? WHERE id = ?",
                (target, key, _end_of(conn, target), card.id),
            )
            detail = {"from": card.deck, "to": deck, "key_from": card.key, "key_to": key}
            record_event(conn, card.id, EventKind.MOVE, now, detail=detail)
            moved.append(card.id)
            sources.add(card.deck_id)
        recount(conn, [*sources, target])
    return moved


# Decks ----------------------------------------------------------------------------------------------


def rename_deck(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Give a deck a new name (a notes file feeding it keeps feeding it). A deck file imported again
    brings its own name, so rename the deck in the file too (or import it with ``--deck``)."""
    if problem := deck_name_problem(new):
        raise TrainerError(problem)
    with transaction(conn):
        deck_id = find_deck_id(conn, old)
        if old == new:
            return
        if conn.execute("SELECT 1 FROM decks WHERE name = ?", (new,)).fetchone():
            raise TrainerError(f"cannot rename deck {old!r}: a deck named {new!r} exists already")
        conn.execute("UPDATE decks SET name = ? WHERE id = ?", (new, deck_id))
        conn.execute("UPDATE note_files SET deck = ? WHERE deck = ?", (new, old))


@dataclass(frozen=True)
class DeckDeleted:
    """What deleting a deck removed."""

    deck: str
    cards: int
    reviews: int
    notes: tuple[str, ...]
    """The notes files that fed the deck, no longer registered."""


def delete_deck(conn: sqlite3.Connection, name: str) -> DeckDeleted:
    """Delete a deck with its cards, their logs and events, the record of the files imported into it
    and the registration of the notes files feeding it (the files themselves are never touched)."""
    with transaction(conn):
        deck_id = find_deck_id(conn, name)
        ids = [row[0] for row in conn.execute("SELECT id FROM cards WHERE deck_id = ?", (deck_id,))]
        (reviews,) = conn.execute(
            "SELECT COUNT(*) FROM reviews JOIN cards ON cards.id = reviews.card_id WHERE cards.deck_id = ?",
            (deck_id,),
        ).fetchone()
        notes = tuple(row[0] for row in conn.execute("SELECT path FROM note_files WHERE deck = ?", (name,)))
        _delete_cards_rows(conn, ids)
        conn.execute("DELETE FROM import_sources WHERE deck_id = ?", (deck_id,))
        conn.execute("DELETE FROM note_files WHERE deck = ?", (name,))
        conn.execute("DELETE FROM decks WHERE id = ?", (deck_id,))
    return DeckDeleted(name, len(ids), int(reviews), notes)
