"""The grade keys with their meaning and the interval each would give, shown once the back is revealed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widgets import Static

from trainer.session import GradeKey, Outcome


class GradeChoice(Static):
    """One grade: key, meaning and interval; clicking it grades like pressing the key."""

    class Chosen(Message):
        """The user clicked a grade."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, grade: GradeKey) -> None:
        super().__init__(id=f"grade-{grade.key}", markup=False)
        self.grade = grade

    def label(self, outcome: Outcome | None) -> None:
        text = Text()
        text.append(f" {self.grade.key} ", style="bold reverse")
        text.append(f" {self.grade.meaning}")
        if outcome is not None:
            text.append(f"  → {outcome.label}", style="bold")
        self.update(text)

    def on_click(self) -> None:
        self.post_message(self.Chosen(self.grade.key))


class GradeBar(Grid):
    """Every grade key of the current grading, labelled by the real scheduler's outcomes."""

    def __init__(self, grades: tuple[GradeKey, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grades = grades

    def compose(self) -> ComposeResult:
        for grade in self.grades:
            yield GradeChoice(grade)

    def show(self, outcomes: dict[int, Outcome]) -> None:
        for choice in self.query(GradeChoice):
            choice.label(outcomes.get(choice.grade.quality))
