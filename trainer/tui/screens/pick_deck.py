"""Choose a deck from a list, to move a card to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trainer.tui.widgets.card_text import literal


class PickDeckScreen(ModalScreen[str | None]):
    """The deck names (shown literally); Enter picks the highlighted one, Escape picks none."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, decks: Sequence[str], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.decks = list(decks)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*(Option(literal(name), id=str(n)) for n, name in enumerate(self.decks)))
            yield Static("Enter: choose   Escape: cancel", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.decks:
            options.highlighted = self.decks.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.decks[event.option_index])
