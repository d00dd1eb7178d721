"""Progress at a glance: a year of answers as a calendar, the due forecast, retention, streaks, decks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.collection import Collection
from trainer.stats.figures import DeckProgress, Stats
from trainer.stats.report import percent
from trainer.tui.widgets.bars import ColumnChart, Share, ShareBars
from trainer.tui.widgets.heatmap import Heatmap
from trainer.words import plural

HEATMAP_WEEKS = 53
PERIOD_DAYS = 30


class StatsScreen(Screen[None]):
    """Pushed from the deck list with ``s``; escape or q goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", key_display="esc"),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
    ]
    key_help: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Escape, q", "back to the deck list"),
        ("Up, Down, PgUp, PgDn", "scroll"),
        ("?", "this list of keys"),
    )
    DEFAULT_CSS = """
    StatsScreen #stats-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    StatsScreen #stats-body { padding: 0 1; }
    StatsScreen .stats-heading {
        margin-top: 1;
        text-style: bold;
        color: $text-accent;
    }
    StatsScreen #stats-figures { height: auto; }
    """

    def __init__(self, collection: Collection) -> None:
        super().__init__()
        self.collection = collection
        self.today = collection.today()

    def compose(self) -> ComposeResult:
        stats = self.collection.stats(days=PERIOD_DAYS)
        first = self.today - timedelta(weeks=HEATMAP_WEEKS)
        counts = {day.day: day.answers for day in self.collection.answers_per_day(first, self.today)}
        zone_name = datetime.combine(self.today, time(12), self.collection.zone).tzname()
        day_start_hour = self.collection.calendar.day_start_hour
        yield Static(
            Text(f"Stats on {self.today.isoformat()} (days begin {day_start_hour:02d}:00 {zone_name})"),
            id="stats-title",
        )
        with VerticalScroll(id="stats-body"):
            yield Static(Text(f"Answers per day, last {HEATMAP_WEEKS} weeks"), classes="stats-heading")
            yield Heatmap(counts, self.today, HEATMAP_WEEKS, id="heatmap")
            yield Static(Text(figures_text(stats)), id="stats-figures")
            yield Static(Text("Due in the next 30 days (overdue counted today)"), classes="stats-heading")
            due = [count for _, count in stats.forecast]
            yield ColumnChart(due, forecast_labels([day for day, _ in stats.forecast]), id="forecast")
            yield Static(Text("Decks: mature share of all cards"), classes="stats-heading")
            yield ShareBars([deck_share(deck) for deck in stats.decks], id="decks")
        yield Footer()


def forecast_labels(days: list[date]) -> dict[int, str]:
    """The forecast's axis: '▲ today' under the first column, then a date with its month each week."""
    labels = {n: f"{day.day} {day:%b}" for n, day in enumerate(days) if n % 7 == 0}
    return labels | {0: "▲ today"} if days else {}


def figures_text(stats: Stats) -> str:
    """Today's answers, streaks and retention over the period, in three short lines."""
    return (
        f"\nToday {plural(stats.today_count.answers, 'answer')}"
        f" · streak {plural(stats.streaks.current, 'day')}"
        f" (longest {plural(stats.streaks.longest, 'day')})\n"
        f"Retention, last {plural(stats.days, 'day')}: young {percent(stats.young.share)}"
        f" ({stats.young.passed}/{stats.young.reviews}) · mature {percent(stats.mature.share)}"
        f" ({stats.mature.passed}/{stats.mature.reviews})\n"
        "Cards: " + " · ".join(f"{count} {state}" for state, count in stats.states.items())
    )


def deck_share(deck: DeckProgress) -> Share:
    return Share(deck.name, deck.mastered_share, f"{percent(deck.mastered_share)} of {deck.cards}")
