"""A GitHub-style calendar of answers per day: seven weekday rows, one column per week, shaded cells."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

LABEL_WIDTH = 4
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "")
LEVELS = 4


def level(count: int, most: int) -> int:
    """0 for no answers, else 1..LEVELS by the share of the busiest day (so any activity shows)."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, math.ceil(LEVELS * count / most))


def level_ranges(most: int) -> list[tuple[int, int, int]]:
    """(shade, fewest, most answers) for each shade ``level`` gives when the busiest day had ``most``
    answers: the legend's figures. A shade no whole count falls in (``most`` under 4) is left out."""
    ranges = []
    for shade in range(1, LEVELS + 1):
        fewest, highest = (shade - 1) * most // LEVELS + 1, shade * most // LEVELS
        if fewest <= highest:
            ranges.append((shade, fewest, highest))
    return ranges


class Heatmap(Widget):
    """Answers per review day for the last ``weeks`` weeks up to ``today`` (fewer if the width is short).

    A week is a column from Monday to Sunday; cells take two columns when there is room for all weeks.
    A legend under the calendar gives the answers a day each shade stands for.
    """

    DEFAULT_CSS = """
    Heatmap {
        height: 9;
        width: 1fr;
    }
    Heatmap > .heatmap--label { color: $text-muted; }
    Heatmap > .heatmap--level-0 { color: $foreground 25%; }
    Heatmap > .heatmap--level-1 { color: $success 40%; }
    Heatmap > .heatmap--level-2 { color: $success 60%; }
    Heatmap > .heatmap--level-3 { color: $success 80%; }
    Heatmap > .heatmap--level-4 { color: $success; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--label",
        *(f"heatmap--level-{n}" for n in range(LEVELS + 1)),
    }

    def __init__(
        self, counts: Mapping[date, int], today: date, weeks: int = 53, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.counts = counts
        self.today = today
        self.weeks = weeks

    def render(self) -> Text:
        room = max(1, self.size.width - LABEL_WIDTH)
        cell = 2 if room >= 2 * self.weeks else 1
        weeks = min(self.weeks, room // cell)
        last_monday = self.today - timedelta(days=self.today.weekday())
        mondays = [last_monday - timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
        most = max((self.counts.get(day, 0) for day in self._days(mondays)), default=0)
        label = self.get_component_rich_style("heatmap--label")
        text = Text(" " * LABEL_WIDTH, no_wrap=True, end="")
        text.append(self._months(mondays, cell), label)
        for weekday, name in enumerate(WEEKDAY_LABELS):
            text.append(f"\n{name:<{LABEL_WIDTH}}", label)
            for monday in mondays:
                day = monday + timedelta(days=weekday)
                if day > self.today:
                    text.append(" " * cell)
                    continue
                shade = level(self.counts.get(day, 0), most)
                glyph = "■" if shade else "·"
                text.append(glyph.ljust(cell), self.get_component_rich_style(f"heatmap--level-{shade}"))
        text.append("\n" + " " * LABEL_WIDTH).append_text(self._legend(most))
        return text

    def _legend(self, most: int) -> Text:
        """What each shade stands for: 'answers a day: · none  ■ 1–2  ■ 3–5 …'."""
        shade_style = self.get_component_rich_style
        legend = Text("answers a day: ", shade_style("heatmap--label"))
        legend.append("·", shade_style("heatmap--level-0")).append(" none", shade_style("heatmap--label"))
        for shade, fewest, highest in level_ranges(most):
            figures = str(fewest) if fewest == highest else f"{fewest}–{highest}"
            legend.append("  ■", shade_style(f"heatmap--level-{shade}"))
            legend.append(f" {figures}", shade_style("heatmap--label"))
        return legend

    def _days(self, mondays: list[date]) -> list[date]:
        return [monday + timedelta(days=n) for monday in mondays for n in range(7)]

    @staticmethod
    def _months(mondays: list[date], cell: int) -> str:
        """Month names over the first week column of each month, where they fit."""
        line = ""
        for column, monday in enumerate(mondays):
            if monday.day <= 7 and len(line) <= column * cell:
                line = line.ljust(column * cell) + monday.strftime("%b")
        return line[: len(mondays) * cell]
