"""The grade keys with their meaning and the interval each would give, shown once the back is revealed.

The grades stand in two columns, the lower half (the failing grades, for SM-2) on the left and the
upper half on the right, each column as wide as its longest label; when the two do not fit side by
side they stack into one column, which keeps the order 0 to 5. Nothing is ever cut.

Each grade's interval is padded to the widest that grade has shown, so a card whose intervals are no
wider than those before it redraws the labels without laying the screen out again.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.message import Message
from textual.widgets import Static

from trainer.scheduler.grades import GradeKey
from trainer.session import Outcome
from trainer.tui.widgets.conceal import Concealable

GAP = 2
"""Columns between the meaning and the interval, and between the two columns of grades."""


class GradeChoice(Static, Concealable):
    """One grade: key, meaning and interval; clicking it grades like pressing the key."""

    class Chosen(Message):
        """The user clicked a grade."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, grade: GradeKey) -> None:
        super().__init__(id=f"grade-{grade.key}", markup=False)
        self.grade = grade
        self.interval_width = 0
        """The widest interval this grade has shown: a narrower one is padded to it."""

    def label(self, outcome: Outcome | None, meaning_width: int) -> Text:
        """The grade's key, its meaning padded to ``meaning_width`` cells, and the interval it gives
        padded to the widest it has shown."""
        text = Text(no_wrap=True, end="")
        text.append(f" {self.grade.key} ", style="bold reverse")
        text.append(" " + self.grade.short + " " * (meaning_width - cell_len(self.grade.short)))
        if outcome is not None:
            text.append(" " * GAP + outcome.label, style="bold")
            text.append(" " * (self.interval_width - cell_len(outcome.label)))
        return text

    def on_click(self) -> None:
        self.post_message(self.Chosen(self.grade.key))


class GradeBar(Container, Concealable):
    """Every grade key of the current grading, labelled by the real scheduler's outcomes."""

    DEFAULT_CSS = f"""
    GradeBar {{
        layout: horizontal;
        height: auto;
    }}
    GradeBar.stacked {{ layout: vertical; }}
    GradeBar > Vertical {{
        width: auto;
        height: auto;
    }}
    GradeBar > Vertical.right {{ margin-left: {GAP}; }}
    GradeBar.stacked > Vertical.right {{ margin-left: 0; }}
    GradeChoice {{
        width: auto;
        height: 1;
    }}
    """

    def __init__(self, grades: tuple[GradeKey, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grades = grades
        self.outcomes: dict[int, Outcome] = {}

    def compose(self) -> ComposeResult:
        half = (len(self.grades) + 1) // 2
        for side, column in (("left", self.grades[:half]), ("right", self.grades[half:])):
            with Vertical(classes=side):
                for grade in column:
                    yield GradeChoice(grade)

    def show(self, outcomes: dict[int, Outcome]) -> None:
        self.outcomes = outcomes
        for choice in self.query(GradeChoice):
            if (outcome := outcomes.get(choice.grade.quality)) is not None:
                choice.interval_width = max(choice.interval_width, cell_len(outcome.label))
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """Side by side when both columns fit the width the bar has (the screen's, before its layout),
        else stacked, with the meanings padded to one width so the intervals line up."""
        padding = self.styles.padding.left + self.styles.padding.right
        room = self.content_size.width if self.size.width else self.screen.size.width - padding
        columns = [list(column.query(GradeChoice)) for column in self.query(Vertical)]
        side_by_side = sum(self._width(column, self._meaning_width(column)) for column in columns) + GAP
        stacked = side_by_side > room
        everything = self._meaning_width([choice for column in columns for choice in column])
        for column in columns:
            width = everything if stacked else self._meaning_width(column)
            for choice in column:
                label = choice.label(self.outcomes.get(choice.grade.quality), width)
                choice.update(label, layout=label.cell_len != choice.content_size.width)  # one line
        self.set_class(stacked, "stacked")

    @staticmethod
    def _meaning_width(choices: list[GradeChoice]) -> int:
        return max((cell_len(choice.grade.short) for choice in choices), default=0)

    def _width(self, choices: list[GradeChoice], meaning_width: int) -> int:
        """The column's width: its widest label, laid out with ``meaning_width``."""
        return max(
            (
                choice.label(self.outcomes.get(choice.grade.quality), meaning_width).cell_len
                for choice in choices
            ),
            default=0,
        )
