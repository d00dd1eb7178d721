"""Curating the collection: the one place both front ends browse, edit, add, forget, delete, move and
flag cards, and rename or delete decks (``collection.curation``).

Each operation takes its time from the collection's clock and its review day from its calendar, and
calls one store operation (``store.curation``, ``store.browse``), which is one transaction: an unknown
card id or deck name is a TrainerError naming it, and nothing is changed. The results are typed, with
``as_json()`` giving the shapes ``--json`` prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.errors import TrainerError
from trainer.store.cards import SYSTEM_TAGS as SYSTEM_TAGS  # re-exported: front ends import no store module

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence

    from trainer.collection import Collection
    from trainer.notes_sync import SyncReport
    from trainer.store.browse import CardRow as CardRow  # for front ends' type hints
    from trainer.store.browse import HistoryItem as HistoryItem
    from trainer.store.browse import SearchResult as SearchResult
    from trainer.store.cards import StoredCard
    from trainer.store.curation import Edited, FlagsChanged

STATES = ("new", "learning", "young", "mature", "suspended", "buried", "leech")
"""The states a search filters by (``store.browse.STATES`` defines each; a test keeps the two equal)."""
SORTS = ("due", "easiness", "lapses", "added")
"""The orders a search sorts by (``store.browse.SORTS`` defines each; a test keeps the two equal)."""
PAGE = 200
"""Rows a search returns unless told otherwise (``store.browse.PAGE``)."""

Text = tuple[str, str, tuple[str, ...]]
"""A card's content: (front, back, the user's tags)."""


@dataclass(frozen=True)
class Early:
    """A card answered before its due day: the grade counts, and front ends say so."""

    due: date
    days: int
    """Days before ``due``."""


@dataclass(frozen=True)
class CardEdited:
    """A card's content before and after an edit."""

    card_id: int
    before: Text
    after: Text

    @property
    def changed(self) -> tuple[str, ...]:
        """The parts that changed (front, back, tags), in that order; empty when the edit changed nothing."""
        parts = zip(("front", "back", "tags"), self.before, self.after, strict=True)
        return tuple(name for name, old, new in parts if old != new)

    def as_json(self) -> dict[str, object]:
        from trainer.store.curation import content_json

        return {
            "id": self.card_id, "changed": list(self.changed),
            "before": content_json(self.before), "after": content_json(self.after),
        }  # fmt: skip


@dataclass(frozen=True)
class CardAdded:
    """A card added by hand: its id, deck and the ``manual-<n>`` key no import gives."""

    card_id: int
    deck: str
    key: str

    def as_json(self) -> dict[str, object]:
        return {"id": self.card_id, "deck": self.deck, "key": self.key}


@dataclass(frozen=True)
class CardsChanged:
    """What forgetting, deleting or moving cards did: the cards asked for and those it changed (a card
    already new is not forgotten again, a card already in the deck is not moved)."""

    action: str
    """forget, delete or move."""
    asked: tuple[int, ...]
    changed: tuple[int, ...]
    deck: str | None = None
    """The deck moved to."""

    def as_json(self) -> dict[str, object]:
        shown: dict[str, object] = {"action": self.action, "asked": list(self.asked)}
        shown["changed"] = list(self.changed)
        return shown | ({"deck": self.deck} if self.deck is not None else {})


@dataclass(frozen=True)
class DeckRenamed:
    old: str
    new: str

    def as_json(self) -> dict[str, object]:
        return {"old": self.old, "new": self.new}


@dataclass(frozen=True)
class DeckRemoved:
    """A deck deleted, after a backup of the whole database."""

    deck: str
    cards: int
    reviews: int
    """Review-log entries that went with the cards."""
    notes: tuple[str, ...]
    """Notes files that fed the deck, no longer registered (the files themselves stay)."""
    backup: Path

    def as_json(self) -> dict[str, object]:
        return {
            "deck": self.deck, "cards": self.cards, "reviews": self.reviews, "notes": list(self.notes),
            "backup": str(self.backup),
        }  # fmt: skip


def flags_json(changed: FlagsChanged) -> dict[str, object]:
    """A suspend, unsuspend, bury or unbury as ``--json`` prints it."""
    return {"action": str(changed.change), "asked": list(changed.card_ids), "changed": list(changed.changed)}


def search_json(result: SearchResult) -> dict[str, object]:
    """A page of a search as ``trainer cards --json`` prints it."""
    return {"total": result.total, "cards": [row.as_json() for row in result.rows]}


def _check_filters(state: str | None, sort: str) -> None:
    if state is not None and state not in STATES:
        raise TrainerError(f"no state {state!r} (states: {', '.join(STATES)})")
    if sort not in SORTS:
        raise TrainerError(f"no sort {sort!r} (sorts: {', '.join(SORTS)})")


class TypingSearch:
    """A search as the user types it, for one set of filters (deck, state, sort).

    Each text's matches are remembered, so a text that holds an earlier one (the user typed on) is
    searched only among that one's matches when they are few, and a text seen before (the user
    deleted back) costs nothing. Made for one stretch of typing: a change to the cards (an edit, a
    suspension) or to the filters wants a new one.
    """

    NARROW_WITHIN = 20_000
    """The most matches of an earlier text that a longer one is searched among (a scan beats more)."""
    REMEMBERED = 64
    """Texts remembered; the oldest is forgotten first."""

    def __init__(
        self, curation: Curation, collection: Collection, deck: str | None, state: str | None, sort: str
    ):
        self._curation, self._collection = curation, collection
        self._deck, self._state, self._sort = deck, state, sort
        self._matches: dict[str, list[int]] = {}

    def search(self, text: str | None, limit: int = PAGE, offset: int = 0) -> SearchResult:
        """A page of the cards matching ``text`` (and the filters), with the number of matches in all."""
        if not text:
            return self._curation.search(None, self._deck, self._state, self._sort, limit, offset)
        from trainer.store.browse import SearchResult, card_rows

        ids = self._ids(text)
        page = ids[offset : offset + limit]
        return SearchResult(card_rows(self._collection.conn, page, self._collection.today()), len(ids))

    def _ids(self, text: str) -> list[int]:
        if (known := self._matches.get(text)) is not None:
            return known
        from trainer.store.browse import matching_ids

        shorter = [
            seen for seen in self._matches if seen in text and len(self._matches[seen]) <= self.NARROW_WITHIN
        ]
        within = self._matches[max(shorter, key=len)] if shorter else None
        collection = self._collection
        ids = matching_ids(
            collection.conn, today=collection.today(), text=text, deck_id=collection.deck_id(self._deck),
            state=self._state, sort=self._sort, within=within,
        )  # fmt: skip
        if len(self._matches) >= self.REMEMBERED:
            del self._matches[next(iter(self._matches))]
        self._matches[text] = ids
        return ids


class Curation:
    """Curating one open collection; ``collection.curation`` gives it."""

    def __init__(self, collection: Collection) -> None:
        self._collection = collection

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._collection.conn

    def _moment(self) -> tuple[datetime, date]:
        now = self._collection.now()
        return now, self._collection.calendar.day(now)

    # Finding cards ------------------------------------------------------------------------------------

    def search(
        self,
        text: str | None = None,
        deck: str | None = None,
        state: str | None = None,
        sort: str = "due",
        limit: int = PAGE,
        offset: int = 0,
    ) -> SearchResult:
        """A page of the cards matching every filter given: ``text`` a case-insensitive substring of
        the front, back, tags or deck name; ``deck`` a deck's name; ``state`` one of STATES; ``sort``
        one of SORTS; with the number of matches in all."""
        from trainer.store.browse import search_cards

        _check_filters(state, sort)
        return search_cards(
            self._conn,
            today=self._collection.today(),
            text=text,
            deck_id=self._collection.deck_id(deck),
            state=state,
            sort=sort,
            limit=limit,
            offset=offset,
        )

    def typing_search(
        self, deck: str | None = None, state: str | None = None, sort: str = "due"
    ) -> TypingSearch:
        """A search that narrows as the user types (the card browser's), for these filters."""
        _check_filters(state, sort)
        return TypingSearch(self, self._collection, deck, state, sort)

    def card(self, card_id: int) -> StoredCard:
        """The card with its schedule and flags; CardGone (a TrainerError) when there is none."""
        from trainer.store.cards import get_card

        return get_card(self._conn, card_id)

    def card_ids(self, deck: str, keys: Sequence[str]) -> dict[str, int]:
        """The ids of the cards of ``deck`` with these keys (an import's or a sync's conflicts name keys)."""
        from trainer.store.notes import card_ids

        return card_ids(self._conn, deck, list(keys))

    def history(self, card_id: int) -> list[HistoryItem]:
        """The card's whole review log and its events (edits, flags, moves), oldest first."""
        from trainer.store.browse import card_history

        return card_history(self._conn, card_id)

    def early(self, card_id: int) -> Early | None:
        """Whether a grade now would review the card before its due day, and by how many days; None
        when it is due (or new), when a grade now is a drill (it was answered today), or there is no
        such card."""
        from trainer.scheduler.schedule import LogKind, kind_of_answer
        from trainer.store.cards import find_card

        found = find_card(self._conn, card_id)
        today = self._collection.today()
        if found is None or kind_of_answer(found.schedule, today) is LogKind.DRILL:
            return None
        due = found.schedule.due
        return Early(due, (due - today).days) if due is not None and due > today else None

    # Content ------------------------------------------------------------------------------------------

    def edit(
        self,
        card_id: int,
        front: str | None = None,
        back: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> CardEdited:
        """Change a card's front, back or tags (those given; tags replace the user's tags). Its schedule
        never changes; the edit is an event in its history, and the card keeps the user's text when its
        file or note comes in again (see ``store.curation``)."""
        from trainer.store.curation import edit_card

        now = self._collection.now()
        edited: Edited = edit_card(self._conn, card_id, front=front, back=back, tags=tags, now=now)
        return CardEdited(edited.card_id, edited.before, edited.after)

    def add(self, deck: str, front: str, back: str, tags: Sequence[str] = ()) -> CardAdded:
        """A new card at the end of ``deck`` (which must exist); it is new, with no history yet."""
        from trainer.store.curation import add_card

        added = add_card(self._conn, deck, front, back, tags)
        return CardAdded(added.card_id, added.deck, added.key)

    # Schedules, places and flags ----------------------------------------------------------------------

    def forget(self, card_ids: Sequence[int]) -> CardsChanged:
        """Reset cards to new (a ``forget`` entry in each log; earlier answers stay in it)."""
        from trainer.store.curation import forget_cards

        forgotten = forget_cards(self._conn, card_ids, *self._moment())
        return CardsChanged("forget", tuple(dict.fromkeys(card_ids)), tuple(forgotten))

    def delete(self, card_ids: Sequence[int]) -> CardsChanged:
        """Delete cards with their review logs and events (a tombstone event each stays)."""
        from trainer.store.curation import delete_cards

        deleted = delete_cards(self._conn, card_ids, self._collection.now())
        return CardsChanged("delete", tuple(dict.fromkeys(card_ids)), tuple(deleted))

    def move(self, card_ids: Sequence[int], deck: str) -> CardsChanged:
        """Move cards to the end of ``deck`` (which must exist), progress and history kept."""
        from trainer.store.curation import move_cards

        moved = move_cards(self._conn, card_ids, deck, self._collection.now())
        return CardsChanged("move", tuple(dict.fromkeys(card_ids)), tuple(moved), deck)

    def suspend(self, card_ids: Sequence[int]) -> FlagsChanged:
        """Take cards out of all reviews; ``undo_flags`` with the result takes it back."""
        return self._flags(card_ids, "suspend")

    def unsuspend(self, card_ids: Sequence[int]) -> FlagsChanged:
        return self._flags(card_ids, "unsuspend")

    def bury(self, card_ids: Sequence[int]) -> FlagsChanged:
        """Hide cards until the next review day."""
        return self._flags(card_ids, "bury")

    def unbury(self, card_ids: Sequence[int]) -> FlagsChanged:
        return self._flags(card_ids, "unbury")

    def _flags(self, card_ids: Sequence[int], change: str) -> FlagsChanged:
        from trainer.store.curation import set_flags
        from trainer.store.events import EventKind

        return set_flags(self._conn, card_ids, EventKind(change), *self._moment())

    def undo_flags(self, changed: FlagsChanged) -> int:
        """Take back a flag change as if it never happened (its events go); how many events went."""
        from trainer.store.curation import undo_flags

        return undo_flags(self._conn, changed)

    # Decks --------------------------------------------------------------------------------------------

    def rename_deck(self, old: str, new: str) -> DeckRenamed:
        """Give a deck a new name; a notes file feeding it goes on feeding it."""
        from trainer.store.curation import rename_deck

        rename_deck(self._conn, old, new)
        return DeckRenamed(old, new)

    def delete_deck(self, name: str) -> DeckRemoved:
        """Delete a deck with its cards and their history, after backing the whole database up."""
        from trainer.collection import back_up
        from trainer.store.curation import delete_deck

        self._collection.deck_id(name)  # an unknown deck is an error before any backup is written
        backup = back_up(self._collection.path, self._collection.now())
        removed = delete_deck(self._conn, name)
        return DeckRemoved(removed.deck, removed.cards, removed.reviews, removed.notes, backup.path)

    # Notes --------------------------------------------------------------------------------------------

    def source_location(self, card_id: int) -> tuple[Path, int] | None:
        """Where the card is defined: the registered notes file feeding its deck (an absolute path) and
        the line its ``source`` names; None for a card that comes from no registered note."""
        card = self.card(card_id)
        if card.source is None:
            return None
        name, _, line = card.source.rpartition(":")
        if not line.isdigit() or int(line) < 1:
            return None
        for note in self._collection.registered_notes():
            if note.deck == card.deck and os.path.basename(note.path) == name and os.path.isfile(note.path):
                return Path(note.path).absolute(), int(line)
        return None

    def reread_note(self, path: Path) -> SyncReport:
        """Sync one registered notes file now (after an editor returns): its deck's cards follow the
        file, each keeping its progress, and the user's edits stay as a sync keeps them."""
        from trainer.notes_sync import sync

        return sync(self._conn, self._collection.now(), only=path)
