"""A block of card text, always shown literally: card text is data, never markup."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from trainer.textsafe import printable
from trainer.tui.widgets.wrap import wrap


def literal(text: str) -> Text:
    """``text`` as a renderable that no markup, escape or control character inside it can affect."""
    return Text(printable(text))


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, with an ellipsis when cut (wide characters count 2)."""
    rich_text = Text(text)
    if rich_text.cell_len <= width:
        return text
    rich_text.truncate(width - 1)
    return rich_text.plain + "…"


def first_line(text: str, width: int = 40) -> str:
    """A card side's first line, printable and clipped: how a message or a list names a card."""
    return clip(printable(text.strip().partition("\n")[0]), width)


class CardText(Static):
    """A card's front or back: control characters made visible, markup left as typed, and lines
    broken between Chinese characters as well as at spaces (see ``wrap``)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.text = ""

    def show(self, text: str) -> None:
        self.text = printable(text)
        self._rewrap()

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = self.content_size.width
        self.update(Text("\n".join(wrap(self.text, width)) if width else self.text))
