"""Which cards a day's session shows, in which order, within the daily limits. Pure.

The daily limits are for the whole collection: a session on one deck, the deck list's row for it and
``trainer due --deck`` all offer what is left of the collection's limits after today's answers in
every deck, so studying one deck never unlocks another twenty new cards elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice


class QueueKind(StrEnum):
    """Why a card is in today's queue."""

    NEW = "new"
    REVIEW = "review"
    DRILL = "drill"


@dataclass(frozen=True)
class Limits:
    """Daily limits for the whole collection (Anki's deck options, set once for all decks)."""

    new_per_day: int = 20
    reviews_per_day: int = 200


@dataclass(frozen=True)
class Today:
    """What the whole collection has used of today's limits: new cards introduced, reviews answered
    (first grades of the day; same-day drills are never limited)."""

    new: int = 0
    reviews: int = 0


@dataclass(frozen=True)
class Room:
    """How many more new cards and reviews today's limits allow, in any deck."""

    new: int
    reviews: int


def room_left(limits: Limits, today: Today) -> Room:
    """What is left of the collection's limits after ``today``'s answers: the one daily-limit rule."""
    return Room(max(0, limits.new_per_day - today.new), max(0, limits.reviews_per_day - today.reviews))


@dataclass(frozen=True)
class QueueEntry:
    """One card in the queue."""

    card_id: int
    kind: QueueKind


def build_queue(
    due: Iterable[int], new: Iterable[int], drill: Sequence[int], room: Room
) -> Iterator[QueueEntry]:
    """Today's queue: due reviews (callers pass them most overdue first), new cards in deck order,
    then the same-day drill cards, the reviews and new cards cut to the ``room`` left today.

    Lazy: ``due`` and ``new`` are read only as far as the queue is, so they may be pages of a query.
    """
    drill_ids = set(drill)
    yield from islice(
        (QueueEntry(card, QueueKind.REVIEW) for card in due if card not in drill_ids), room.reviews
    )
    yield from islice((QueueEntry(card, QueueKind.NEW) for card in new if card not in drill_ids), room.new)
    yield from (QueueEntry(card, QueueKind.DRILL) for card in dict.fromkeys(drill))
