"""The Textual app: the deck list first, then review sessions, their summaries and the key help."""

from __future__ import annotations

import sqlite3
from datetime import tzinfo
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from trainer.clock import Clock
from trainer.config import Settings
from trainer.tui.context import TuiContext
from trainer.tui.screens.decks import DecksScreen
from trainer.tui.screens.help import HelpScreen, KeyHelp

THEMES = {"dark": "textual-dark", "light": "textual-light"}


class TrainerApp(App[None]):
    """Review flashcards; ``deck_id`` opens a session on that deck at once (the deck list stays below)."""

    CSS_PATH = "trainer.tcss"
    TITLE = "trainer"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Ctrl+C quits at once, as in any terminal program: every answer is saved before the next card.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: Settings,
        zone: tzinfo,
        clock: Clock,
        deck_id: int | None = None,
    ) -> None:
        super().__init__()
        self.context = TuiContext(conn, settings, zone, clock)
        self.deck_id = deck_id
        self.theme = THEMES[settings.theme]

    def on_mount(self) -> None:
        decks = DecksScreen(self.context)
        self.push_screen(decks)
        if self.deck_id is not None:
            decks.start(str(self.deck_id))

    def action_help(self) -> None:
        """The keys of the screen on top (each screen lists its own)."""
        screen = self.screen
        keys: KeyHelp = getattr(screen, "key_help", ())
        self.push_screen(HelpScreen(f"Keys: {type(screen).__name__.removesuffix('Screen').lower()}", keys))
