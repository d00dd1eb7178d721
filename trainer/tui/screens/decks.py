"""The home screen: every deck with what a session on it would show today, and 'all decks'."""

from __future__ import annotations

import importlib
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from trainer.collection import Collection
from trainer.results import NextDue
from trainer.tui.screens.help import KeyHelp
from trainer.tui.widgets.card_text import literal

ALL_DECKS = "all"
"""Row key of the 'all decks' row; deck rows are keyed by their id."""


def when(day: date, today: date) -> str:
    """'tomorrow' or 'Tue 24 Nov (in 3 days)'."""
    days = (day - today).days
    if days == 1:
        return "tomorrow"
    return f"{day:%a %d %b %Y} (in {days} days)"


def nothing_due(upcoming: NextDue | None, today: date) -> str:
    if upcoming is None:
        return "Nothing to review today, and nothing scheduled. Add a deck to learn more."
    cards = "card" if upcoming.cards == 1 else "cards"
    return f"Nothing to review today. Next: {upcoming.cards} {cards} {when(upcoming.day, today)}."


class DecksScreen(Screen[None]):
    """Pick a deck (or all decks) and press Enter to review it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Review", show=True),
        Binding("s", "stats", "Stats"),
        Binding("b", "browse", "Browse"),
        Binding("a", "add", "Add card"),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]
    key_help: KeyHelp = (
        ("↑ ↓", "choose a deck"),
        ("Enter", "review the highlighted deck (or all decks)"),
        ("s", "statistics"),
        ("b", "browse, search and fix cards (the highlighted deck's)"),
        ("a", "add a card to the highlighted deck"),
        ("?", "this list of keys"),
        ("Ctrl+P", "command palette (themes, keys, quit)"),
        ("q, Ctrl+C", "quit"),
    )

    def __init__(self, collection: Collection) -> None:
        super().__init__()
        self.collection = collection

    def compose(self) -> ComposeResult:
        yield Static("trainer · today's decks", id="decks-title", markup=False)
        table: DataTable[object] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("deck", key="deck")
        for name in ("new", "drill", "due", "total"):
            table.add_column(Text(name, justify="right"), key=name)

    def on_screen_resume(self) -> None:
        # Only when actually shown, not when a screen went on top of it in the same moment.
        if self.is_current:
            self.refresh_counts()

    def refresh_counts(self) -> None:
        """Re-read today's figures: after a session, or when the day has changed."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        counts = self.collection.decks_today()
        for counted in counts:
            key, name = (ALL_DECKS, Text("All decks", style="bold")) if counted.deck_id is None else (
                str(counted.deck_id), literal(counted.name)
            )
            figures = (counted.new, counted.drill, counted.due, counted.total)
            table.add_row(name, *(Text(str(n), justify="right") for n in figures), key=key)
        table.move_cursor(row=min(row, table.row_count - 1))
        empty = self.query_one("#empty", Static)
        everything = counts[0]
        nothing = everything.new + everything.drill + everything.due == 0
        empty.display = nothing
        if nothing:
            empty.update(nothing_due(self.collection.next_due(), self.collection.today()))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.start(event.row_key.value)

    def action_start(self) -> None:
        table = self.query_one(DataTable)
        self.start(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def start(self, key: str | None) -> None:
        from trainer.tui.screens.review import open_review

        open_review(self.app, self.collection, None if key in (None, ALL_DECKS) else int(str(key)))

    def highlighted_deck(self) -> str | None:
        """The name of the highlighted deck; None on 'all decks'."""
        table = self.query_one(DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key in (None, ALL_DECKS) else self.collection.deck_name(int(str(key)))

    def action_browse(self) -> None:
        from trainer.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(self.collection, deck=self.highlighted_deck()))

    def action_add(self) -> None:
        from trainer.tui.screens.browse import add_card

        add_card(self, self.collection, self.highlighted_deck(), lambda _: self.refresh_counts())

    def action_stats(self) -> None:
        # Imported by name at the moment of use: the stats screen (and its plotting) stays off start-up.
        stats = importlib.import_module("trainer.tui.screens.stats")
        self.app.push_screen(stats.StatsScreen(self.collection))
