"""The review screen's status line: cards left by kind, and a bar of how much of the session is done."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from trainer.session import Counts
from trainer.tui.widgets.line import TextLine

BAR_WIDTH = 32
"""Cells of the progress bar when the line has room (as wide as Textual's ``ProgressBar``)."""
BAR = "━"


class SessionStatus(TextLine):
    """'new 3   drill 1   due 12   ━━━━━━━━━━━━   40%': one line, redrawn in place after each answer."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"session-status--done", "session-status--left"}
    DEFAULT_CSS = """
    SessionStatus > .session-status--done {
        color: $primary;
    }
    SessionStatus > .session-status--left {
        color: $surface;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts = Text()
        self.done = 0.0
        """The share of the session answered, 0 to 1."""

    def show_counts(self, counts: Counts, answered: int) -> None:
        text = Text()
        for name, value, style in (
            ("new", counts.new, "bold blue"),
            ("drill", counts.drill, "bold red"),
            ("due", counts.due, "bold green"),
        ):
            text.append(f"{name} ")
            text.append(str(value), style=style)
            text.append("   ")
        self.text = self.counts = text
        self.done = answered / max(1, answered + counts.total)
        self.redraw()

    def busy(self, notice: str) -> None:
        """Say that a write is waiting for the database, until the next ``show_counts``."""
        self.show(Text(notice, style="bold yellow"))

    def line(self, width: int) -> Text:
        if self.text is not self.counts:  # the busy notice, or nothing before the first count
            return self.text
        percent = f"{int(self.done * 100)}%".rjust(5)
        bar = min(BAR_WIDTH, width - self.counts.cell_len - len(percent))
        if bar <= 0:
            return self.counts
        done = round(bar * self.done)
        line = self.counts.copy()
        for cells, part in ((done, "done"), (bar - done, "left")):
            style = self.get_component_rich_style(f"session-status--{part}", partial=True)
            line.append(BAR * cells, style=style)
        return line.append(percent)
