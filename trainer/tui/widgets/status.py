"""The review screen's status line: cards left by kind, and a progress bar over the session."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from trainer.session import Counts


class SessionStatus(Horizontal):
    """'new 3 · drill 1 · due 12' and how much of the session is done."""

    def compose(self) -> ComposeResult:
        yield Static(id="counts", markup=False)
        yield ProgressBar(show_eta=False, id="progress")

    def show(self, counts: Counts, answered: int) -> None:
        text = Text()
        for name, value, style in (
            ("new", counts.new, "bold blue"),
            ("drill", counts.drill, "bold red"),
            ("due", counts.due, "bold green"),
        ):
            text.append(f"{name} ")
            text.append(str(value), style=style)
            text.append("   ")
        counts_line = self.query_one("#counts", Static)
        resized = counts_line.content_size.width != text.cell_len  # its width follows the figures
        counts_line.update(text, layout=resized)
        self.query_one(ProgressBar).update(total=max(1, answered + counts.total), progress=answered)

    def busy(self, notice: str) -> None:
        """Say that a write is waiting for the database, until the next ``show``."""
        self.query_one("#counts", Static).update(Text(notice, style="bold yellow"))
