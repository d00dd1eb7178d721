"""What an importer hands the store: decks, plus the progress another program had recorded."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from trainer.decks.model import Deck
from trainer.errors import TrainerError
from trainer.scheduler.schedule import Schedule


@dataclass(frozen=True)
class ImportedReview:
    """One answer from another program's review log, already mapped to an SM-2 quality."""

    at: datetime
    """When it was answered (aware)."""
    day: date
    """The review day it belongs to, in the user's zone and day-start hour."""
    quality: int
    duration_ms: int | None = None


@dataclass(frozen=True)
class CarriedProgress:
    """A card's state in the program it comes from: replay starts from ``schedule``."""

    schedule: Schedule
    reviews: tuple[ImportedReview, ...] = ()
    """Its past answers, oldest first, kept for the record and for statistics."""


@dataclass(frozen=True)
class ImportedDeck:
    """A deck read from a file, with what was left out of it."""

    deck: Deck
    progress: Mapping[str, CarriedProgress] = field(default_factory=dict)
    """By card id; only filled when progress is carried over (``--with-progress``)."""
    media_skipped: int = 0
    """Sounds and images referenced by the cards that were not imported."""
    skipped: tuple[str, ...] = ()
    """Why some notes or rows did not become cards, one line each."""


@dataclass(frozen=True)
class ImportOptions:
    """How to read import files: what the user chose, and how instants become review days."""

    day_of: Callable[[datetime], date]
    """``review_day`` bound to the user's zone and day-start hour."""
    deck_name: str | None = None
    """Put every card in this deck instead of the name the file gives."""
    encoding: str | None = None
    """The text encoding; None detects UTF-8 (with or without BOM) or GB18030."""
    with_progress: bool = False
    columns: Mapping[int, str] | None = None
    """``--columns``: the role (id, front, back, tags) of each 0-based column of a table; the columns
    not named are left out. None: a header row or Anki's header lines say, else front then back."""


def merge_same_name(decks: Sequence[ImportedDeck]) -> list[ImportedDeck]:
    """One deck per name, so several files imported into one deck (``--deck``) make one deck.

    The same card id in two files is an error: one of them would silently replace the other.
    """
    merged: dict[str, ImportedDeck] = {}
    for item in decks:
        first = merged.get(item.deck.name)
        if first is None:
            merged[item.deck.name] = item
            continue
        known = {card.id: card for card in first.deck.cards}
        for card in item.deck.cards:
            if card.id in known:
                raise TrainerError(
                    f"{card.source}: the same card as {known[card.id].source} (id {card.id!r}) "
                    f"in deck {item.deck.name!r}; import the files into different decks"
                )
        merged[item.deck.name] = ImportedDeck(
            replace(first.deck, cards=first.deck.cards + item.deck.cards),
            progress={**first.progress, **item.progress},
            media_skipped=first.media_skipped + item.media_skipped,
            skipped=first.skipped + item.skipped,
        )
    return list(merged.values())
