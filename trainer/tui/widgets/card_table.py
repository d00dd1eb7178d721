"""The browser's table of cards: one line per card, drawn with Textual's line API.

Textual's ``DataTable`` measures every cell it is given and renders each visible cell through Rich
with padding and per-cell styles: about 20 ms for a screenful of rows, on every search keystroke. Here a
row is one ``Text`` laid out once (its columns padded to fixed widths), turned into segments the first
time it is drawn, and only the rows on screen are ever drawn; moving the cursor redraws two lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Column = tuple[str, int, str]
"""(heading, width in cells, justification: "left" or "right")."""


def laid_out(cells: Sequence[Text], columns: Sequence[Column]) -> Text:
    """One row: each cell padded or cut to its column's width, one space between columns; the last
    column takes what it is given."""
    row = Text(no_wrap=True, end="")
    for n, (cell, (_, width, justify)) in enumerate(zip(cells, columns, strict=True)):
        if n == len(columns) - 1:
            row.append_text(cell)
            break
        cell = cell.copy()
        cell.align("right" if justify == "right" else "left", width)
        row.append_text(cell).append(" ")
    return row


class CardTable(ScrollView, can_focus=True):
    """Rows keyed by card id, a row cursor, and a message when the cursor moves to another row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home,ctrl+home", "move_to(0)", show=False),
        Binding("end,ctrl+end", "move_to(-1)", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"card-table--cursor"}
    DEFAULT_CSS = """
    CardTable > .card-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    CardTable:blur > .card-table--cursor {
        background: $block-cursor-blurred-background;
        text-style: none;
    }
    """

    class Highlighted(Message):
        """The cursor is on another row (or the rows changed under it)."""

        def __init__(self, table: CardTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ids: list[int] = []
        self.texts: list[Text] = []
        self._strips: dict[int, list[Segment]] = {}
        """Rows turned into segments, once each, when first drawn."""
        self._row_of: dict[int, int] = {}
        self.cursor_row = 0

    # Rows -------------------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.ids)

    def clear(self) -> None:
        self.ids, self.texts, self._strips, self._row_of = [], [], {}, {}
        self.cursor_row = 0
        self._resized()

    def add_rows(self, rows: Iterable[tuple[int, Text]]) -> None:
        for card_id, text in rows:
            self._row_of[card_id] = len(self.ids)
            self.ids.append(card_id)
            self.texts.append(text)
        self._resized()

    def row_of(self, card_id: int) -> int | None:
        """The row showing card ``card_id``; None when it is not among the rows."""
        return self._row_of.get(card_id)

    def highlighted(self) -> int | None:
        """The card id under the cursor; None when there are no rows."""
        return self.ids[self.cursor_row] if self.ids else None

    def _resized(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.ids))
        self.refresh()

    # The cursor -------------------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """Put the cursor on ``row`` (clamped to the rows), scrolled into view; says so when it moved."""
        if not self.ids:
            return
        row = max(0, min(row, len(self.ids) - 1))
        before, self.cursor_row = self.cursor_row, row
        top, height = int(self.scroll_y), max(1, self.scrollable_content_region.height)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)
        self.refresh()
        if row != before:
            self.post_message(self.Highlighted(self, row))

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * max(1, self.scrollable_content_region.height - 1))

    def action_move_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self.ids) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.move_cursor(int(self.scroll_y) + offset.y)

    # Drawing ----------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_y) + y
        base = self.rich_style
        if row >= len(self.ids):
            return Strip.blank(width, base)
        if row not in self._strips:
            self._strips[row] = list(self.texts[row].render(self.app.console))
        strip = Strip(self._strips[row]).crop_extend(int(self.scroll_x), int(self.scroll_x) + width, None)
        if row == self.cursor_row:
            cursor: Style = self.get_component_rich_style("card-table--cursor")
            strip = strip.apply_style(cursor)
        return strip.apply_style(base)
