"""Markdown or plain-text notes: the same extractor as ``trainer build`` turns definitions into cards."""

from __future__ import annotations

from pathlib import Path

from trainer.decks.extract import extract
from trainer.decks.importers.model import ImportedDeck, ImportOptions
from trainer.decks.model import Deck
from trainer.errors import InputError


def load_notes(path: Path, text: str, options: ImportOptions) -> ImportedDeck:
    """A deck named after ``--deck``, the notes' title, or the file; skipped lines are reported."""
    extraction = extract(text, path.name)
    if not extraction.cards:
        raise InputError(str(path), "no cards found: no line in the notes reads as a definition")
    name = options.deck_name or extraction.title or path.stem
    skipped = tuple(f"{path.name}:{item.line}: {item.reason}" for item in extraction.skipped)
    return ImportedDeck(Deck(name, extraction.cards, source=path.name), skipped=skipped)
