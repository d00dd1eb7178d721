"""A card's front, back and tags in editable boxes: to edit a card, or to add one to a deck.

The dialog stays open until the save succeeds: a refused text (an empty front, a tag that is only
spaces) is said in the dialog, and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea

from trainer.tui.widgets.card_text import literal


@dataclass(frozen=True)
class CardDraft:
    """What the dialog holds when saved."""

    front: str
    back: str
    tags: tuple[str, ...]
    deck: str | None = None
    """The deck chosen (adding only)."""


def parse_tags(text: str) -> tuple[str, ...]:
    """'ml, 优化' -> ('ml', '优化'): comma-separated, spaces around each trimmed, empty ones left out."""
    return tuple(tag.strip() for tag in text.split(",") if tag.strip())


Save = Callable[[CardDraft], str | None]
"""Saves a draft; returns why it was refused, or None when saved."""


class EditCardScreen(ModalScreen[bool]):
    """Edit (or, given ``decks``, add) a card; dismissed with True once saved, False when cancelled.

    Ctrl+S saves, Escape cancels; Tab moves between the boxes (a tab cannot be typed into a card side).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        save: Save,
        draft: CardDraft = CardDraft("", "", ()),
        decks: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.save = save
        self.draft = draft
        self.decks = list(decks)

    def compose(self) -> ComposeResult:
        # Scrolls when a long card does not fit a small terminal; the keys stay on top, always in view.
        with VerticalScroll(id="edit-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static("Ctrl+S: save   Escape: cancel   Tab: next box", classes="dialog-keys", markup=False)
            if self.decks:
                yield Label("Deck")
                options = [(literal(name), name) for name in self.decks]
                initial = self.draft.deck if self.draft.deck in self.decks else self.decks[0]
                yield Select(options, value=initial, allow_blank=False, compact=True, id="edit-deck")
            yield Label("Front")
            yield TextArea(self.draft.front, id="edit-front", compact=True, show_cursor=True)
            yield Label("Back")
            yield TextArea(self.draft.back, id="edit-back", compact=True)
            yield Label("Tags (comma-separated)")
            yield Input(", ".join(self.draft.tags), placeholder="no tags", id="edit-tags", compact=True)
            yield Static(id="edit-error", markup=False)

    def on_mount(self) -> None:
        for side in self.query(TextArea):
            side.move_cursor(side.document.end)  # typing goes on from the end of the text
        self.query_one("#edit-front", TextArea).focus()

    def current(self) -> CardDraft:
        deck = str(self.query_one("#edit-deck", Select).value) if self.decks else None
        return CardDraft(
            self.query_one("#edit-front", TextArea).text,
            self.query_one("#edit-back", TextArea).text,
            parse_tags(self.query_one("#edit-tags", Input).value),
            deck,
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        refused = self.save(self.current())
        if refused is None:
            self.dismiss(True)
        else:
            self.query_one("#edit-error", Static).update(literal(refused))

    def action_cancel(self) -> None:
        self.dismiss(False)
