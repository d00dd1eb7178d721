"""The grade keys with their meaning and the interval each would give, shown once the back is revealed.

The grades stand in two columns, the lower half (the failing grades, for SM-2) on the left and the
upper half on the right, each column as wide as its longest label; when the two do not fit side by
side they stack into one column, which keeps the order 0 to 5.

One widget draws every grade with Textual's line API: the bar is repainted on every card and every
answer, and a widget per grade (with the columns around them) made each of those frames draw nine
widgets instead of one. Each grade's interval is padded to the widest that grade has shown, so a card
whose intervals are no wider than those before it redraws the labels without laying the screen out.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.geometry import Offset, Size
from textual.message import Message
from textual.strip import Strip

from trainer.scheduler.grades import GradeKey
from trainer.session import Outcome
from trainer.tui.widgets.conceal import Concealable

GAP = 2
"""Columns between the meaning and the interval, and between the two columns of grades."""


class Placed(NamedTuple):
    """A grade's label and where it goes in the bar's content."""

    grade: GradeKey
    x: int
    y: int
    label: Text


class GradeBar(Concealable):
    """Every grade key of the current grading, labelled by the real scheduler's outcomes; clicking a
    grade grades like pressing its key."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"grade-bar--hover"}
    DEFAULT_CSS = """
    GradeBar {
        height: auto;
    }
    """

    class Chosen(Message):
        """The user clicked a grade."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, grades: tuple[GradeKey, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grades = grades
        self.outcomes: dict[int, Outcome] = {}
        self.interval_widths = {grade.key: 0 for grade in grades}
        """The widest interval each grade has shown: a narrower one is padded to it."""
        self.hovered: str | None = None
        self._placed: tuple[int, list[Placed]] | None = None
        """(width, the labels placed at that width), until the outcomes change."""
        self._drawn: dict[tuple[int, int], Strip] = {}
        """The rows drawn, by (width, row), until anything they show changes."""

    def show(self, outcomes: dict[int, Outcome]) -> None:
        """Label the grades with these outcomes; the screen is laid out again only when the bar's
        height changes (its columns stack or unstack)."""
        width = self.content_size.width
        rows = self.rows(width)
        self.outcomes = outcomes
        for grade in self.grades:
            if (outcome := outcomes.get(grade.quality)) is not None:
                widest = max(self.interval_widths[grade.key], cell_len(outcome.label))
                self.interval_widths[grade.key] = widest
        self._placed = None
        self._drawn.clear()
        self.refresh(layout=not width or self.rows(width) != rows)

    def label(self, grade: GradeKey, meaning_width: int) -> Text:
        """The grade's key, its meaning padded to ``meaning_width`` cells, and the interval it gives
        padded to the widest it has shown."""
        text = Text(no_wrap=True, end="")
        text.append(f" {grade.key} ", style="bold reverse")
        text.append(" " + grade.short + " " * (meaning_width - cell_len(grade.short)))
        if (outcome := self.outcomes.get(grade.quality)) is not None:
            text.append(" " * GAP + outcome.label, style="bold")
            text.append(" " * (self.interval_widths[grade.key] - cell_len(outcome.label)))
        return text

    def placed(self, width: int) -> list[Placed]:
        """Every grade's label and its place at ``width`` cells: side by side when both columns fit,
        else stacked, with the meanings padded to one width so the intervals line up."""
        if self._placed is None or self._placed[0] != width:
            self._placed = (width, self._place(width))
        return self._placed[1]

    def _place(self, width: int) -> list[Placed]:
        half = (len(self.grades) + 1) // 2
        columns = [self.grades[:half], self.grades[half:]]
        labels = [[self.label(grade, _meaning_width(column)) for grade in column] for column in columns]
        widths = [max((label.cell_len for label in column), default=0) for column in labels]
        if sum(widths) + GAP <= width:
            lefts = (0, widths[0] + GAP)
            return [
                Placed(grade, left, y, label)
                for column, column_labels, left in zip(columns, labels, lefts, strict=True)
                for y, (grade, label) in enumerate(zip(column, column_labels, strict=True))
            ]
        everything = _meaning_width(self.grades)
        return [Placed(grade, 0, y, self.label(grade, everything)) for y, grade in enumerate(self.grades)]

    def rows(self, width: int) -> int:
        """How many rows the bar takes at ``width`` cells."""
        return max((place.y + 1 for place in self.placed(width)), default=0)

    def grade_at(self, offset: Offset) -> str | None:
        """The key of the grade drawn at ``offset`` in the bar's content, if any."""
        for place in self.placed(self.content_size.width):
            if place.y == offset.y and place.x <= offset.x < place.x + place.label.cell_len:
                return place.grade.key
        return None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.rows(width)

    def render(self) -> RenderResult:
        """The bar's rows as they are shown (the screen draws them with ``render_line``)."""
        width = self.content_size.width
        return Text("\n".join(self._row(width, y).text.rstrip() for y in range(self.rows(width))))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if (strip := self._drawn.get((width, y))) is None:
            strip = self._drawn[width, y] = self._row(width, y)
        return strip

    def _row(self, width: int, y: int) -> Strip:
        segments: list[Segment] = []
        x = 0
        hover = self.get_component_rich_style("grade-bar--hover", partial=True)
        for place in sorted((place for place in self.placed(width) if place.y == y), key=lambda p: p.x):
            drawn = list(place.label.render(self.app.console))
            if place.grade.key == self.hovered:
                drawn = list(Segment.apply_style(drawn, hover))
            segments += [Segment(" " * (place.x - x)), *drawn]
            x = place.x + place.label.cell_len
        return Strip(segments).crop_extend(0, width, None).apply_style(self.rich_style)

    def _redraw(self) -> None:
        self._drawn.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()  # a theme change recolours the rows

    def on_click(self, event: events.Click) -> None:
        if (offset := event.get_content_offset(self)) is not None and (key := self.grade_at(offset)):
            self.post_message(self.Chosen(key))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        self._hover(self.grade_at(offset) if offset is not None else None)

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, key: str | None) -> None:
        if key != self.hovered:
            self.hovered = key
            self._redraw()


def _meaning_width(grades: tuple[GradeKey, ...]) -> int:
    return max((cell_len(grade.short) for grade in grades), default=0)
