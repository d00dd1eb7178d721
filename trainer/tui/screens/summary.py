"""The end of a session: how many cards, how many right, how long, and what tomorrow holds."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.collection import Collection
from trainer.session import ReviewSession, Summary
from trainer.tui.screens.help import KeyHelp
from trainer.tui.widgets.card_text import first_line
from trainer.words import plural


def duration(spent: timedelta) -> str:
    """'42s', '3m 05s' or '1h 02m'."""
    seconds = int(spent.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


def answered(summary: Summary) -> str:
    """'3 cards, 5 answers' (a card drilled again counts once as a card), or 'no cards'."""
    if not summary.reviewed:
        return "no cards"
    return f"{plural(summary.cards, 'card')}, {plural(summary.reviewed, 'answer')}"


class SummaryScreen(Screen[None]):
    """Shown when the queue is empty or the user ends the session."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "decks", "Deck list", key_display="enter"),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]
    key_help: KeyHelp = (
        ("Enter, Escape", "back to the deck list"),
        ("?", "this list of keys"),
        ("q, Ctrl+C", "quit"),
    )

    def __init__(self, collection: Collection, session: ReviewSession) -> None:
        super().__init__()
        self.collection = collection
        self.session = session

    def compose(self) -> ComposeResult:
        now = self.collection.now()
        summary = self.session.summary()
        tomorrow = self.session.tomorrow(now)
        done = self.session.card is None
        rows = [("reviewed", answered(summary))]
        if summary.correct_share is not None:
            rows.append(("correct", f"{summary.correct_share:.0%} of answers (3 or better)"))
        rows += [
            ("time spent", duration(summary.time_spent(now))),
            ("due tomorrow", f"{plural(self.session.due_on(tomorrow), 'card')} ({tomorrow:%a %d %b})"),
        ]
        left = self.session.counts().total
        if left:
            rows.append(("left today", plural(left, "card")))
        figures = Text()
        for label, value in rows:
            figures.append(f"{label:>12}  ", style="bold").append(f"{value}\n")
        figures.rstrip()
        title = "All done for today." if done else "Session ended."
        with Vertical(id="summary-box"):
            yield Static(Text(title, style="bold"), id="summary-title")
            yield Static(figures, id="summary-figures")
            if summary.leeches:
                leeches = Text("New leeches (failed 8 times; worth rewriting):\n", style="bold")
                for card in summary.leeches:
                    leeches.append(f"  • {first_line(card.front, 70)}\n")
                yield Static(leeches, id="summary-leeches")
        yield Footer()

    def action_decks(self) -> None:
        """Back to the deck list: the screen under this one, or a new one in this one's place when the
        session was opened alone (``trainer review DECK``)."""
        from trainer.tui.screens.decks import DecksScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], DecksScreen):
            self.app.pop_screen()
        else:
            self.app.switch_screen(DecksScreen(self.collection))
