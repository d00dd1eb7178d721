"""The decks that ship with the trainer, built from the user's notes, so a new user can start at once."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from trainer.decks.model import Deck


def bundled_deck_paths() -> list[Path]:
    """The bundled YAML deck files, in name order."""
    folder = resources.files("trainer.bundled_decks")
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".yaml"))


def load_bundled_decks() -> list[Deck]:
    from trainer.decks.yaml_io import load_deck

    return [load_deck(path) for path in bundled_deck_paths()]
