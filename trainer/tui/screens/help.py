"""Every key of the screen the user came from, in a dismissable box."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KeyHelp = tuple[tuple[str, str], ...]
"""(keys as the user types them, what they do)."""


class HelpScreen(ModalScreen[None]):
    """The key list; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def __init__(self, title: str, keys: KeyHelp) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, meaning in self.keys:
            table.add_row(key, meaning)
        with Vertical(id="help-box"):
            yield Static(self.title_text, id="help-title", markup=False)
            yield Static(table, id="help-keys")
            yield Static("escape, q or ? closes this", id="help-hint", markup=False)
