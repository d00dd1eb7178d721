"""The browser's side panel: the highlighted card's text, its schedule and its whole history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from trainer.collection import LEECH_TAG
from trainer.tui.widgets.card_text import literal

if TYPE_CHECKING:
    from trainer.scheduler.schedule import Schedule


class ShownCard(Protocol):
    """What the panel reads of a card (the library's stored card has all of it)."""

    @property
    def deck(self) -> str: ...

    @property
    def front(self) -> str: ...

    @property
    def back(self) -> str: ...

    @property
    def tags(self) -> tuple[str, ...]: ...

    @property
    def source(self) -> str | None: ...

    @property
    def schedule(self) -> Schedule: ...

    @property
    def suspended(self) -> bool: ...

    @property
    def buried_day(self) -> date | None: ...


class HistoryLine(Protocol):
    """What the panel reads of one history item (an answer or an event)."""

    @property
    def at(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def quality(self) -> int | None: ...

    @property
    def interval_after(self) -> int | None: ...


def schedule_line(card: ShownCard, today: date) -> Text:
    """'due 2026-11-28 · interval 6d · EF 2.50 · 2 reps · 0 lapses', with suspended/buried/leech marks."""
    schedule = card.schedule
    state = schedule.state
    parts = ["new" if schedule.is_new else f"due {schedule.due}"]
    if not schedule.is_new:
        parts += [f"interval {state.interval}d", f"EF {state.easiness:.2f}", f"{state.repetitions} reps"]
    parts.append(f"{schedule.lapses} lapses")
    line = Text(" · ".join(parts))
    marks = [
        name
        for name, shown in (
            ("suspended", card.suspended),
            ("buried today", card.buried_day == today),
            ("leech", schedule.is_leech or LEECH_TAG in card.tags),
        )
        if shown
    ]
    for mark in marks:
        line.append("  ")
        line.append(f" {mark} ", style="bold reverse")
    return line


def history_line(item: HistoryLine, zone: tzinfo) -> Text:
    """'2026-11-20 10:00  review  q5 → 6d' or '2026-11-21 09:12  suspend', in local time."""
    at = datetime.fromisoformat(item.at).astimezone(zone)
    line = Text(f"{at:%Y-%m-%d %H:%M}  ", style="dim")
    line.append(item.kind)
    if item.quality is not None:
        line.append(f"  q{item.quality}", style="bold")
    if item.interval_after is not None and item.kind in ("review", "import"):
        line.append(f" → {item.interval_after}d")
    return line


class CardPanel(VerticalScroll):
    """One card in full: front, back, tags and source, schedule, then its history, oldest first."""

    DEFAULT_CSS = """
    CardPanel {
        padding: 0 1;
    }
    CardPanel > .panel-front {
        text-style: bold;
    }
    CardPanel > .panel-back {
        margin-bottom: 1;
    }
    CardPanel > .panel-heading {
        margin-top: 1;
        color: $text-muted;
        text-style: bold;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="panel-front", classes="panel-front", markup=False)
        yield Static(id="panel-back", classes="panel-back", markup=False)
        yield Static(id="panel-meta", markup=False)
        yield Static(id="panel-schedule", markup=False)
        yield Static("History", classes="panel-heading", markup=False)
        yield Static(id="panel-history", markup=False)

    def show(self, card: ShownCard, history: Sequence[HistoryLine], today: date, zone: tzinfo) -> None:
        self.display = True
        self.query_one("#panel-front", Static).update(literal(card.front))
        self.query_one("#panel-back", Static).update(literal(card.back))
        meta = Text(style="dim")
        meta.append("deck ").append_text(literal(card.deck))
        tags = [tag for tag in card.tags if tag != LEECH_TAG]
        if tags:
            meta.append("\ntags ").append_text(literal(", ".join(tags)))
        if card.source:
            meta.append("\nsource ").append_text(literal(card.source))
        self.query_one("#panel-meta", Static).update(meta)
        self.query_one("#panel-schedule", Static).update(schedule_line(card, today))
        lines = (
            Text("\n").join(history_line(item, zone) for item in history)
            if history
            else Text("no answers yet")
        )
        self.query_one("#panel-history", Static).update(lines)
        self.scroll_home(animate=False)

    def clear(self) -> None:
        """No card highlighted (an empty search)."""
        self.display = False
