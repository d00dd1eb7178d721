"""A block of card text, always shown literally: card text is data, never markup."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.strip import Strip

from trainer.textsafe import printable
from trainer.tui.widgets.conceal import Concealable
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


TAB_SIZE = 8
"""Columns between tab stops, as Rich draws tabs."""
QUICK_WRAP = 2_000
"""Characters a side may have for ``show`` to wrap it at once, to learn whether its height changed;
a longer one is wrapped once the screen is idle (``prepare``)."""


class CardText(Concealable):
    """A card's front or back: control characters made visible, markup left as typed, and lines
    broken between Chinese characters as well as at spaces (see ``wrap``).

    Drawn line by line (Textual's line API): a side may hold 65,536 characters, thousands of lines,
    and only the lines on screen are ever turned into segments, so revealing or scrolling a long
    back costs what a short one does. The lines are wrapped once per width.
    """

    DEFAULT_CSS = """
    CardText {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = ""
        self._wrapped: dict[int, list[str]] = {}
        """The text's lines at each width asked for since it was shown."""
        self._drawn_width = 0

    def show(self, text: str) -> None:
        """Show ``text``; the screen is laid out again only when it takes another number of lines (a
        text too long to wrap on a key is assumed to)."""
        width = self._drawn_width
        before = len(self._wrapped[width]) if width in self._wrapped else None
        self.text = printable(text).expandtabs(TAB_SIZE)  # a tab sent as is would move the cursor
        self._wrapped = {}
        same = before is not None and len(self.text) <= QUICK_WRAP and len(self.lines(width)) == before
        self.refresh(layout=not same)

    def prepare(self) -> None:
        """Wrap the text now at the width it was last drawn at (while hidden, the back keeps it), so
        that showing it later costs no wrapping: called once the screen is idle, not on a key."""
        if self._drawn_width > 0:
            self.lines(self._drawn_width)

    def lines(self, width: int) -> list[str]:
        """The text broken into lines of at most ``width`` cells, wrapped once per width."""
        if width not in self._wrapped:
            self._wrapped[width] = wrap(self.text, width) if width > 0 else self.text.split("\n")
        return self._wrapped[width]

    def render(self) -> RenderResult:
        """The whole text as it is shown, lines and all (the screen draws it with ``render_line``)."""
        return Text("\n".join(self.lines(self.content_size.width)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        width = self._drawn_width = self.content_size.width
        lines = self.lines(width)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        line = lines[y]
        room = max(0, width - cell_len(line))
        align = self.styles.text_align
        left = room // 2 if align == "center" else room if align in ("right", "end") else 0
        return Strip([Segment(" " * left + line + " " * (room - left), self.rich_style)])
