"""The review screen: a card's front, then its back with every grade's outcome; answer, undo, skip.

Every answer is committed (one transaction) before the next card shows, so quitting never loses one.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.scheduler.schedule import LEECH_LAPSES
from trainer.session import ReviewSession, grade_keys
from trainer.store.cards import LEECH_TAG
from trainer.tui.context import TuiContext
from trainer.tui.screens.help import KeyHelp
from trainer.tui.widgets.card_text import CardText, first_line, literal
from trainer.tui.widgets.grades import GradeBar, GradeChoice
from trainer.tui.widgets.status import SessionStatus

KIND_LABELS = {"new": "new card", "review": "review", "drill": "again today"}


class ReviewScreen(Screen[None]):
    """One card at a time: question, then answer and grades."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show answer", key_display="space"),
        *(Binding(str(key), f"grade('{key}')", f"grade {key}", show=False) for key in range(6)),
        Binding("u", "undo", "Undo"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
        Binding("q", "finish", "End"),
    ]

    def __init__(self, context: TuiContext, session: ReviewSession) -> None:
        super().__init__()
        self.context = context
        self.session = session
        self.grades = {grade.key: grade for grade in grade_keys(context.settings.grading)}
        self.revealed = False
        self.shown_at = time.monotonic()

    @property
    def key_help(self) -> KeyHelp:
        grades = tuple((grade.key, f"grade: {grade.meaning}") for grade in self.grades.values())
        return (
            ("Space, Enter", "show the answer"),
            *grades,
            ("↑ ↓ PgUp PgDn", "scroll a long answer"),
            ("u", "undo the last answer, suspension or burial (any number of steps)"),
            ("!", "suspend this card (it leaves all reviews)"),
            ("-", "bury this card until tomorrow"),
            ("?", "this list of keys"),
            ("Ctrl+P", "command palette (themes, keys, quit)"),
            ("q", "end the session and see its summary"),
            ("Ctrl+C", "quit at once (every answer is already saved)"),
        )

    def compose(self) -> ComposeResult:
        yield Static(id="card-info", markup=False)
        with Vertical(id="front-box"):
            yield CardText(id="front")
        with VerticalScroll(id="back-box"):
            yield CardText(id="back")
            yield Static(id="card-meta", markup=False)
        yield Static("Space: show the answer", id="hint", markup=False)
        yield GradeBar(tuple(self.grades.values()), id="grades")
        yield SessionStatus(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.show_card()

    # Showing ----------------------------------------------------------------------------------------

    def show_card(self) -> None:
        """Put the session's current card on screen, front only; the summary when none is left."""
        card = self.session.card
        if card is None:
            self.finish()
            return
        self.show_answer(False)
        info = Text()
        info.append_text(literal(card.deck))
        info.append(f"  ·  {KIND_LABELS.get(str(self.session.kind), '')}")
        if LEECH_TAG in card.tags:
            info.append("  ·  ")
            info.append(" LEECH ", style="bold reverse red")
        self.query_one("#card-info", Static).update(info)
        self.query_one("#front", CardText).show(card.front)
        self.query_one("#back", CardText).show(card.back)
        meta = Text(style="dim")
        tags = [tag for tag in card.tags if tag != LEECH_TAG]
        if tags:
            meta.append("tags: ").append_text(literal(", ".join(tags)))
        if card.source:
            meta.append("   " if tags else "").append("source: ").append_text(literal(card.source))
        self.query_one("#card-meta", Static).update(meta)
        self.query_one(SessionStatus).show(self.session.counts(), self.session.answered)
        self.refresh_bindings()
        self.shown_at = time.monotonic()

    def show_answer(self, revealed: bool) -> None:
        """Switch between question and answer layout, touching only the widgets that change
        (a CSS class would restyle the subtree: ~40 ms per card on the screen, ~4 ms on the box)."""
        self.revealed = revealed
        front = self.query_one("#front-box")
        front.styles.height = "auto" if revealed else "1fr"
        front.styles.max_height = "40%" if revealed else None
        self.query_one("#hint").display = not revealed
        self.query_one("#back-box").display = revealed
        self.query_one(GradeBar).display = revealed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grade keys work only once the answer is shown, and only those of the current grading."""
        if action == "grade":
            return self.revealed and parameters[0] in self.grades
        if action == "reveal":
            return not self.revealed
        return True

    def action_reveal(self) -> None:
        if self.revealed or self.session.card is None:
            return
        self.query_one(GradeBar).show(self.session.outcomes(self.context.now()))
        self.show_answer(True)
        self.query_one("#back-box").scroll_home(animate=False)
        self.query_one("#back-box").focus()
        self.refresh_bindings()

    def on_click(self, event: object) -> None:
        """Clicking anywhere on the question shows the answer, as Space does."""
        if not self.revealed:
            self.action_reveal()

    # Acting -----------------------------------------------------------------------------------------

    def action_grade(self, key: str) -> None:
        grade, card = self.grades.get(key), self.session.card
        if grade is None or not self.revealed or card is None:
            return
        duration_ms = round((time.monotonic() - self.shown_at) * 1000)
        answered = self.session.answer(grade.quality, self.context.now(), duration_ms)
        if answered.after.is_leech and not answered.before.is_leech:
            self.notify(
                f"“{first_line(card.front)}” failed {LEECH_LAPSES} times: consider rewriting it.",
                title="New leech",
                markup=False,
            )
        self.show_card()

    def on_grade_choice_chosen(self, event: GradeChoice.Chosen) -> None:
        event.stop()
        self.action_grade(event.key)

    def action_undo(self) -> None:
        if self.session.undo():
            # The card the step was about is back in front, so the message names the card on screen.
            name = first_line(self.session.card.front) if self.session.card else "the last step"
            self.notify(f"Undone: “{name}” is back.", timeout=1.5, markup=False)
            self.show_card()
        else:
            self.notify("Nothing to undo in this session.", severity="warning", timeout=2)

    def action_suspend(self) -> None:
        if (card := self.session.card) is not None:
            self.session.suspend()
            self.notify(f"Suspended “{first_line(card.front)}” (u to undo).", timeout=2, markup=False)
            self.show_card()

    def action_bury(self) -> None:
        if (card := self.session.card) is not None:
            self.session.bury(self.context.now())
            self.notify(
                f"Buried “{first_line(card.front)}” until tomorrow (u to undo).", timeout=2, markup=False
            )
            self.show_card()

    def action_finish(self) -> None:
        self.finish()

    def finish(self) -> None:
        """Replace this screen with the session's summary (the answers are saved already)."""
        from trainer.tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.context, self.session))
