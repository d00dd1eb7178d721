"""Small charts drawn with block characters: a column chart (due forecast) and share bars (decks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from trainer.textsafe import printable
from trainer.tui.widgets.card_text import clip

EIGHTHS = " ▁▂▃▄▅▆▇█"


class ColumnChart(Widget):
    """One column per value, ``rows`` rows high, with the largest value on the left and labels below.

    ``labels`` puts a short label under the column at each given index, from the left, leaving out any
    that would run into the one before it or past the right edge.
    """

    DEFAULT_CSS = """
    ColumnChart {
        height: 7;
        width: 1fr;
    }
    ColumnChart > .columnchart--bar { color: $primary; }
    ColumnChart > .columnchart--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"columnchart--bar", "columnchart--axis"}

    def __init__(
        self, values: Sequence[int], labels: dict[int, str], rows: int = 5, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.values = list(values)
        self.labels = labels
        self.rows = rows

    def render(self) -> Text:
        most = max(self.values, default=0)
        scale = len(str(most))
        room = max(1, self.size.width - scale - 1)
        cell = 2 if room >= 2 * len(self.values) else 1
        values = self.values[: room // cell]
        bar = self.get_component_rich_style("columnchart--bar")
        axis = self.get_component_rich_style("columnchart--axis")
        text = Text(no_wrap=True, end="")
        for row in range(self.rows, 0, -1):
            text.append((str(most) if row == self.rows else "").rjust(scale) + "│", axis)
            for value in values:
                eighths = round(8 * self.rows * value / most) if most else 0
                filled = min(8, max(0, eighths - 8 * (row - 1)))
                glyph = EIGHTHS[filled]
                if value and row == 1 and filled == 0:
                    glyph = EIGHTHS[1]  # a small value still shows
                text.append(glyph.ljust(cell), bar)
            text.append("\n")
        text.append("0".rjust(scale) + "└" + "─" * (len(values) * cell) + "\n", axis)
        label_line = [" "] * max(scale + 1 + len(values) * cell, self.size.width)
        free = 0
        for index, label in sorted(self.labels.items()):
            start = scale + 1 + index * cell
            if index < len(values) and start >= free and start + len(label) <= len(label_line):
                label_line[start : start + len(label)] = label
                free = start + len(label) + 1  # a label that would touch this one is left out
        text.append("".join(label_line).rstrip(), axis)
        return text


@dataclass(frozen=True)
class Share:
    """One bar: a label (shown literally), the filled share 0..1, and a note after the bar."""

    label: str
    share: float
    note: str


class ShareBars(Widget):
    """One line per item: label, a bar filled to its share, and a note."""

    DEFAULT_CSS = """
    ShareBars {
        height: auto;
        width: 1fr;
    }
    ShareBars > .sharebars--filled { color: $success; }
    ShareBars > .sharebars--empty { color: $foreground 25%; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"sharebars--filled", "sharebars--empty"}
    LABEL_MAX = 20

    def __init__(self, items: Sequence[Share], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items = list(items)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.items))

    def render(self) -> Text:
        labels = [clip(printable(item.label), self.LABEL_MAX) for item in self.items]
        label_width = max((Text(label).cell_len for label in labels), default=0)
        note_width = max((len(item.note) for item in self.items), default=0)
        bar_width = max(5, self.size.width - label_width - note_width - 4)
        filled_style = self.get_component_rich_style("sharebars--filled")
        empty_style = self.get_component_rich_style("sharebars--empty")
        text = Text(no_wrap=True, end="")
        for number, (item, label) in enumerate(zip(self.items, labels, strict=True)):
            filled = round(bar_width * min(1.0, max(0.0, item.share)))
            if number:
                text.append("\n")
            text.append(label + " " * (label_width - Text(label).cell_len) + "  ")
            text.append("█" * filled, filled_style)
            text.append("░" * (bar_width - filled), empty_style)
            text.append("  " + item.note)
        return text
