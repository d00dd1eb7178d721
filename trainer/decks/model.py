"""The deck model shared by the YAML format, the note extractor, the importers and the store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Card:
    """One flashcard as it stands in a deck file."""

    id: str
    """Stable within its deck: rebuilding or re-importing keeps it, so progress survives edits."""
    front: str
    back: str
    tags: tuple[str, ...] = ()
    source: str | None = None
    """Where the card came from, as ``file:line``."""


@dataclass(frozen=True)
class Deck:
    """A named, ordered collection of cards."""

    name: str
    cards: tuple[Card, ...] = field(default_factory=tuple)
    description: str = ""
    source: str | None = None
    """The document the deck was built or imported from."""
