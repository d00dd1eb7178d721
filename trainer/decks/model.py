"""The deck model shared by the YAML format, the note extractor, the importers and the store."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

MAX_CARD_TEXT = 65_536
"""The most characters a card's front or back may hold, in every format: a longer side is a mistake
or an attack (a 10 MB back froze the review screen), and is refused at import with its position."""

_CONTROL_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
"""Control characters, lone surrogates (bytes of a file name that is not UTF-8) and line separators."""
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


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


def oversized_side(card: Card) -> str | None:
    """``"front"`` or ``"back"`` if that side is longer than MAX_CARD_TEXT, else None."""
    return next((side for side in ("front", "back") if len(getattr(card, side)) > MAX_CARD_TEXT), None)


def card_text_problem(card: Card) -> str | None:
    """Why ``card`` cannot be imported (a side longer than MAX_CARD_TEXT), or None."""
    side = oversized_side(card)
    if side is None:
        return None
    length = len(getattr(card, side))
    return f"the card's {side} is {length:,} characters long; at most {MAX_CARD_TEXT:,} are allowed"


def deck_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a deck, or None: a control character (a newline or NUL forges rows in
    ``trainer decks``), a line separator or a bidi override, or nothing but spaces."""
    if not name.strip():
        return "a deck name must not be empty"
    for char in name:
        if unicodedata.category(char) in _CONTROL_CATEGORIES or char in _BIDI_CONTROLS:
            return f"deck name {name!r} contains the control character U+{ord(char):04X}; rename the deck"
    return None


def clean_deck_name(name: str) -> str:
    """``name`` with each control character made a space (for names from other programs' files)."""
    if deck_name_problem(name) is None:
        return name
    kept = (
        " " if unicodedata.category(char) in _CONTROL_CATEGORIES or char in _BIDI_CONTROLS else char
        for char in name
    )
    return " ".join("".join(kept).split())
