"""One line naming the keys that act now, redrawn only when they change.

Textual's ``Footer`` re-composes a ``FooterKey`` for every binding on each ``refresh_bindings()`` and
keeps every one it ever made: on a review screen that changes its keys twice per card, that is a
re-layout per key and a leak of about 0.6 MB per answer. This is one ``TextLine``, redrawn in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text

from trainer.tui.widgets.line import TextLine

KeyList = Sequence[tuple[str, str]]
"""(key as shown, what it does) in the order they are shown."""


class KeyHints(TextLine):
    """The keys of the screen's current state, with Ctrl+P (the command palette) at the end."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-hints--key"}
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        width: 1fr;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyHints > .key-hints--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """
    PALETTE = ("^p", "palette")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[tuple[str, str], ...] = ()

    def show_keys(self, keys: KeyList) -> None:
        """Name these keys; nothing is redrawn when they are the ones shown already."""
        keys = tuple(keys)
        if keys != self.keys:
            self.keys = keys
            self.redraw()

    def line(self, width: int) -> Text:
        style = self.get_component_rich_style("key-hints--key", partial=True)
        line = Text(no_wrap=True, end="")
        for key, description in (*self.keys, self.PALETTE):
            line.append(f" {key} ", style=style)
            line.append(f"{description} ")
        return line
