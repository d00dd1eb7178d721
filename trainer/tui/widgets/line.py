"""One line of styled text, drawn with Textual's line API.

A ``Static`` turns its text into Textual content and strips on every update, and lays the screen out
again unless told not to; the review screen changes four one-line regions on every key. Here showing new
text repaints that line and nothing else, and the drawn line is kept until the text, width or style changes.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import RenderResult
from textual.strip import Strip
from textual.widget import Widget


class TextLine(Widget):
    """A line of Rich ``Text`` (never markup), cut with an ellipsis when it is wider than the widget
    and placed by the ``text-align`` style."""

    DEFAULT_CSS = """
    TextLine {
        height: 1;
    }
    """

    def __init__(self, text: Text | str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = Text(text) if isinstance(text, str) else text
        self._drawn: tuple[int, Strip] | None = None
        """(width, the line drawn at that width), until something it shows changes."""

    def show(self, text: Text | str) -> None:
        """Show ``text``; nothing is redrawn when it is the text shown already."""
        text = Text(text) if isinstance(text, str) else text
        if text != self.text:
            self.text = text
            self.redraw()

    def redraw(self) -> None:
        """Draw the line again (what ``line`` gives has changed)."""
        self._drawn = None
        self.refresh()

    def line(self, width: int) -> Text:
        """What the line shows at ``width`` cells: its text (a subclass may fit its content to the width)."""
        return self.text

    def render(self) -> RenderResult:
        """The line as it is shown (the screen draws it with ``render_line``)."""
        return self.line(self.content_size.width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None  # a class or theme change recolours the line

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y > 0:
            return Strip.blank(width, self.rich_style)
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, self._draw(width))
        return self._drawn[1]

    def _draw(self, width: int) -> Strip:
        text = self.line(width).copy()
        text.rstrip_end(width)  # spaces past the edge are not cut with an ellipsis
        text.truncate(width, overflow="ellipsis")
        room = width - text.cell_len
        align = self.styles.text_align
        left = room // 2 if align == "center" else room if align in ("right", "end") else 0
        segments = [Segment(" " * left), *text.render(self.app.console), Segment(" " * (room - left))]
        return Strip(segments, width).apply_style(self.rich_style)
