"""The card browser: find cards as you type, filter and sort them, see one in full, and fix it.

Every keystroke in the search box runs one paged query (``PAGE`` rows, never the whole collection); the
table reads the next page only when the cursor reaches the end of the rows it has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Select, Static

from trainer.collection import CardGone, Collection
from trainer.curation import SORTS, STATES
from trainer.errors import TrainerError
from trainer.tui.card_actions import edit_card, open_note
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.edit_card import CardDraft, EditCardScreen
from trainer.tui.screens.help import KeyHelp
from trainer.tui.screens.pick_deck import PickDeckScreen
from trainer.tui.widgets.card_panel import CardPanel
from trainer.tui.widgets.card_table import CardTable, Column, laid_out
from trainer.tui.widgets.card_text import first_line, literal
from trainer.tui.widgets.keys import KeyHints

if TYPE_CHECKING:
    from trainer.curation import Curation, TypingSearch

PAGE = 40
"""Rows read per query: a screen's worth (each row shown is measured and drawn), so a keystroke costs
the same in any collection; the next page is read when the cursor reaches the end."""
FRONT_CELLS = 60
DECK_CELLS = 12
COLUMNS: tuple[Column, ...] = (
    ("id", 6, "right"), ("deck", DECK_CELLS, "left"), ("state", 9, "left"), ("due", 10, "left"),
    ("front", FRONT_CELLS, "left"),
)  # fmt: skip
NARROW = 100
"""Below this many columns the card's panel goes under the table, which then has the whole width."""


class BrowseScreen(Screen[None]):
    """Every card, searchable; actions act on the highlighted card."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # In the key bar in this order: what a narrow terminal cuts off last is in the key list (?).
        # Priority bindings act before the next key is passed on, so the keys typed right after / go
        # to the search box, and those right after Enter (or ↓, Escape) there to the table.
        Binding("slash", "search", "Search", key_display="/", priority=True),
        Binding("enter,down,escape", "leave_search", show=False, priority=True),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
        Binding("e", "edit", "Edit"),
        Binding("o", "open_note", "Note"),
        Binding("a", "add", "Add"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("m", "move", "Move"),
        Binding("f", "forget", "Forget"),
        Binding("d,delete", "delete", "Delete", key_display="d"),
        Binding("escape,q", "close", "Back", key_display="esc"),
    ]
    key_help: KeyHelp = (
        ("/", "search front, back, tags and deck (Enter, ↓ or Escape: back to the table)"),
        ("Tab", "next filter: deck, state, sort"),
        ("↑ ↓ PgUp PgDn", "choose a card"),
        ("e", "edit the card's front, back and tags (its schedule stays)"),
        ("a", "add a card"),
        ("!", "suspend the card, or bring it back"),
        ("-", "bury the card until tomorrow, or unbury it"),
        ("m", "move the card to another deck"),
        ("f", "forget the card: reset it to new (asks first)"),
        ("d, Delete", "delete the card and its history (asks first)"),
        ("o", "open the card's note in $VISUAL / $EDITOR at its line; read it again after"),
        ("?", "this list of keys"),
        ("Escape, q", "back"),
    )

    def __init__(
        self, collection: Collection, text: str = "", deck: str | None = None, card_id: int | None = None
    ):
        """Open on every card, or on a search (``text``, ``deck``) with ``card_id`` highlighted."""
        super().__init__()
        self.collection = collection
        self.curation: Curation = collection.curation
        self.start = (text, deck, card_id)
        self.decks = [counts.name for counts in collection.decks_today()[1:]]
        self.loaded = 0
        """Rows read into the table so far (the first pages of the matches)."""
        self.total = 0
        """Cards matching the search in all."""
        self.panel_due = False
        """The panel is to show the highlighted card after the next frame."""
        self.typing: tuple[tuple[str | None, str | None, str], TypingSearch] | None = None
        """The search being typed, for the filters it was made for; a change to a card ends it."""

    def compose(self) -> ComposeResult:
        text, deck, _ = self.start
        yield Static("trainer · cards", id="browse-title", markup=False)
        with Horizontal(id="browse-filters"):
            yield Input(
                text, placeholder="/ search front, back, tags, deck", id="browse-search", compact=True
            )
            decks = [(literal(name), name) for name in self.decks]
            yield Select(decks, prompt="all decks", value=deck or Select.NULL, compact=True, id="browse-deck")
            yield Select(
                [(state, state) for state in STATES], prompt="any state", compact=True, id="browse-state"
            )
            sorts = [(f"by {sort}", sort) for sort in SORTS]
            yield Select(sorts, value=SORTS[0], allow_blank=False, compact=True, id="browse-sort")
        with Horizontal(id="browse-main"):
            with Vertical(id="browse-list"):
                heading = laid_out([Text(name) for name, _, _ in COLUMNS], COLUMNS)
                yield Static(heading, id="browse-heading", markup=False)
                yield CardTable(id="browse-table")
            yield CardPanel(id="browse-panel")
        yield Static(id="browse-count", markup=False)
        yield KeyHints(id="keys")

    def on_mount(self) -> None:
        self.query_one(KeyHints).show_keys(
            [
                (b.key_display or b.key, b.description)
                for b in self.BINDINGS
                if isinstance(b, Binding) and b.show
            ]
        )
        self.search(keep=self.start[2])
        self.query_one(CardTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "narrow")

    # Finding ----------------------------------------------------------------------------------------

    def filters(self) -> tuple[str | None, str | None, str | None, str]:
        """(text, deck, state, sort) as the filter row holds them now."""
        text = self.query_one("#browse-search", Input).value.strip() or None
        deck, state, sort = (
            self.query_one(f"#browse-{name}", Select).value for name in ("deck", "state", "sort")
        )
        return (
            text,
            None if deck is Select.NULL else str(deck),
            None if state is Select.NULL else str(state),
            str(sort),
        )

    def search(self, keep: int | None = None, typed: bool = False) -> None:
        """Read the first page of matches into the table; the cursor goes to card ``keep`` when it is on
        the page, else stays at its row. Only a keystroke in the search box (``typed``) goes on with the
        matches remembered so far: after any change to the cards they are read afresh."""
        if not typed:
            self.typing = None
        table = self.query_one(CardTable)
        row = table.cursor_row
        table.clear()
        self.loaded = self.total = 0
        self.read_page()
        if keep is not None and (kept := table.row_of(keep)) is not None:
            row = kept
        table.move_cursor(row)
        self.show_card()

    def read_page(self) -> None:
        """Add the next page of matches to the table."""
        text, deck, state, sort = self.filters()
        if self.typing is None or self.typing[0] != (deck, state, sort):
            self.typing = ((deck, state, sort), self.curation.typing_search(deck, state, sort))
        try:
            result = self.typing[1].search(text, limit=PAGE, offset=self.loaded)
        except TrainerError as error:  # a deck deleted meanwhile
            self.notify(str(error), severity="warning", markup=False)
            return
        today = self.collection.today()
        rows = []
        for card in result.rows:
            resting = card.suspended or card.buried
            shown = Text("buried" if card.buried else card.state, style="dim" if resting else "")
            due = "—" if card.due is None else ("today" if card.due == today else card.due.isoformat())
            cells = (
                Text(str(card.id)), literal(first_line(card.deck, DECK_CELLS)), shown, Text(due),
                literal(first_line(card.front, FRONT_CELLS)),
            )  # fmt: skip
            rows.append((card.id, laid_out(cells, COLUMNS)))
        self.query_one(CardTable).add_rows(rows)
        self.loaded += len(result.rows)
        self.total = result.total
        self.query_one("#browse-count", Static).update(self.count_line(text), layout=False)

    def count_line(self, text: str | None) -> Text:
        if self.total == 0:
            line = Text("No card matches")
            if text:
                line.append(" “").append_text(literal(text)).append("”")
            return line.append(" with these filters." if self.filters()[1:3] != (None, None) else ".")
        cards = "card" if self.total == 1 else "cards"
        shown = f" (first {self.loaded} shown)" if self.loaded < self.total else ""
        return Text(f"{self.total} {cards}{shown}")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(typed=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.is_mounted:
            self.search(keep=self.highlighted())

    def on_card_table_highlighted(self, event: CardTable.Highlighted) -> None:
        event.stop()
        if event.row >= self.loaded - 1 and self.loaded < self.total:
            self.read_page()
        self.show_card()

    def highlighted(self) -> int | None:
        """The id of the card under the cursor; None when the table is empty."""
        return self.query_one(CardTable).highlighted()

    def show_card(self) -> None:
        """Show the highlighted card in the panel once the table's frame is drawn: a keystroke's frame
        is the narrowed table, and several moves before a frame fill the panel once."""
        if not self.panel_due:
            self.panel_due = True
            self.call_after_refresh(self.fill_panel)

    def fill_panel(self) -> None:
        self.panel_due = False
        panel = self.query_one(CardPanel)
        card_id = self.highlighted()
        if card_id is None:
            panel.clear()
            return
        try:
            card, history = self.curation.card(card_id), self.curation.history(card_id)
        except CardGone:
            panel.clear()
            return
        panel.show(card, history, self.collection.today(), self.collection.zone)

    # Acting -----------------------------------------------------------------------------------------

    def acted(self, message: str, keep: int | None = None) -> None:
        """Say what was done and show the table and panel as they are now."""
        self.notify(message, timeout=3, markup=False)
        self.search(keep=keep if keep is not None else self.highlighted())

    def on_card(self, act: Callable[[int], None]) -> None:
        if (card_id := self.highlighted()) is None:
            self.notify("No card here: change the search or the filters.", severity="warning", timeout=2)
            return
        act(card_id)

    def guarded(self, step: Callable[[], str]) -> None:
        """Run a change; a refusal (a card deleted meanwhile) is a warning, not a crash."""
        try:
            message = step()
        except TrainerError as error:
            self.notify(str(error), severity="warning", markup=False)
            self.search()
            return
        self.acted(message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the search box, / is a character to search for; Enter, ↓ and Escape leave it."""
        searching = isinstance(self.focused, Input)
        if action == "search":
            return not searching
        if action == "leave_search":
            return searching
        return True

    def action_leave_search(self) -> None:
        self.set_focus(self.query_one(CardTable))

    def action_search(self) -> None:
        # At once, not after the queued keys (as ``focus()`` would): the keys typed next are the search.
        self.set_focus(self.query_one("#browse-search", Input))

    def action_edit(self) -> None:
        self.on_card(
            lambda card_id: edit_card(self, self.curation, card_id, lambda: self.search(keep=card_id))
        )

    def action_open_note(self) -> None:
        self.on_card(
            lambda card_id: open_note(self, self.curation, card_id, lambda: self.search(keep=card_id))
        )

    def action_suspend(self) -> None:
        def toggle(card_id: int) -> None:
            def step() -> str:
                if self.curation.card(card_id).suspended:
                    self.curation.unsuspend([card_id])
                    return f"Card {card_id} is back in reviews."
                self.curation.suspend([card_id])
                return f"Card {card_id} suspended: it leaves all reviews (! again brings it back)."

            self.guarded(step)

        self.on_card(toggle)

    def action_bury(self) -> None:
        def toggle(card_id: int) -> None:
            def step() -> str:
                if self.curation.card(card_id).buried_day == self.collection.today():
                    self.curation.unbury([card_id])
                    return f"Card {card_id} unburied: it is back in today's reviews."
                self.curation.bury([card_id])
                return f"Card {card_id} buried until tomorrow (- again unburies it)."

            self.guarded(step)

        self.on_card(toggle)

    def action_forget(self) -> None:
        def ask(card_id: int) -> None:
            front = first_line(self.curation.card(card_id).front)
            question = (
                f"Forget card {card_id} “{front}”? It starts again as a new card"
                " (its answers stay in its history)."
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self.guarded(lambda: self.forgotten(card_id))

            self.app.push_screen(ConfirmScreen(question), answered)

        self.on_card(ask)

    def forgotten(self, card_id: int) -> str:
        changed = self.curation.forget([card_id]).changed
        return f"Card {card_id} reset to new." if changed else f"Card {card_id} is new already."

    def action_delete(self) -> None:
        def ask(card_id: int) -> None:
            front = first_line(self.curation.card(card_id).front)
            question = f"Delete card {card_id} “{front}” and its whole history? This cannot be undone."

            def answered(yes: bool | None) -> None:
                if yes:
                    self.guarded(lambda: self.deleted(card_id))

            self.app.push_screen(ConfirmScreen(question), answered)

        self.on_card(ask)

    def deleted(self, card_id: int) -> str:
        self.curation.delete([card_id])
        return f"Card {card_id} deleted with its history."

    def action_move(self) -> None:
        def pick(card_id: int) -> None:
            current = self.curation.card(card_id).deck
            others = [name for name in self.decks if name != current]
            if not others:
                self.notify("There is no other deck to move it to.", severity="warning", timeout=2)
                return

            def picked(deck: str | None) -> None:
                if deck is not None:
                    self.guarded(lambda: self.moved(card_id, deck))

            title = f"Move card {card_id} from “{first_line(current)}” to"
            self.app.push_screen(PickDeckScreen(title, others), picked)

        self.on_card(pick)

    def moved(self, card_id: int, deck: str) -> str:
        self.curation.move([card_id], deck)
        return f"Card {card_id} moved to “{first_line(deck)}”, its progress kept."

    def action_add(self) -> None:
        add_card(self, self.collection, self.filters()[1], lambda card_id: self.search(keep=card_id))

    def action_close(self) -> None:
        self.dismiss()


def add_card(
    screen: Screen[Any], collection: Collection, deck: str | None, done: Callable[[int], None]
) -> None:
    """The add dialog (deck, front, back, tags), from the browser or the deck list; ``done`` gets the id."""
    decks = [counts.name for counts in collection.decks_today()[1:]]
    if not decks:
        screen.notify("There is no deck to add a card to: import one first.", severity="warning")
        return
    added: list[int] = []

    def save(draft: CardDraft) -> str | None:
        try:
            card = collection.curation.add(str(draft.deck), draft.front, draft.back, draft.tags)
        except TrainerError as error:
            return str(error)
        added.append(card.card_id)
        screen.notify(f"Card {card.card_id} added to “{first_line(card.deck)}” as a new card.", markup=False)
        return None

    def closed(saved: bool | None) -> None:
        if saved and added:
            done(added[0])

    draft = CardDraft("", "", (), deck)
    screen.app.push_screen(EditCardScreen("Add a card", save, draft, decks), closed)
