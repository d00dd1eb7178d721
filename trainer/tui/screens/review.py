"""The review screen: a card's front, then its back with every grade's outcome; answer, undo, skip.

Every answer is committed (one transaction) before the next card shows, so quitting never loses one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen

from trainer.collection import LEECH_TAG, CardGone, CardResting, Collection
from trainer.errors import DatabaseBusy, TrainerError
from trainer.scheduler.grades import grade_keys
from trainer.scheduler.schedule import LEECH_LAPSES
from trainer.session import ReviewSession
from trainer.tui.screens.help import KeyHelp
from trainer.tui.widgets.card_text import CardText, first_line, literal
from trainer.tui.widgets.conceal import Concealable, ConcealableScroll
from trainer.tui.widgets.grades import GradeBar
from trainer.tui.widgets.keys import KeyHints
from trainer.tui.widgets.line import TextLine
from trainer.tui.widgets.status import SessionStatus

if TYPE_CHECKING:
    from trainer.collection import Answered
    from trainer.tui.widgets.card_panel import ShownCard

KIND_LABELS = {"new": "new card", "review": "review", "drill": "again today"}
QUESTION_HINT = "Space: show the answer"
RETRY_SECONDS = 0.5
LAST_TRY_MS = 5_000
"""How long the write still waiting when the app ends waits for the database, once (``save_pending``)."""
REST_DELAY = 0.005
"""Seconds between a key's own frame and drawing the rest of the screen. The rest's frame cannot come
sooner than 1/60 s after the key's (Textual's frame rate), so waiting costs nothing; and while the event
loop waits, Textual's writer thread gets the interpreter lock it needs to send the key's frame out
(drawn at once, the rest held that frame back by the time it took)."""
BUSY_NOTICE = "Another program is writing to the database. Your answer is kept and saved once it is done."
BUSY_STATUS = "waiting for the database (another program is writing)…"
WRITES = frozenset({"grade", "undo", "suspend", "bury", "reveal", "finish", "edit", "open_note", "browse"})
"""The actions that wait while a write is waiting (so a key never acts on the card behind it)."""
T = TypeVar("T")


def review_screen(app: App[None], collection: Collection, deck_id: int | None) -> ReviewScreen | None:
    """A session on today's cards of the deck (or all decks); None, with a notice, if none are due."""
    session = collection.session(deck_id)
    if session.card is None:
        name = "any deck" if deck_id is None else collection.deck_name(deck_id) or "this deck"
        app.notify(f"Nothing to review in {first_line(name)} today.", title="All done", markup=False)
        return None
    return ReviewScreen(collection, session)


def open_review(app: App[None], collection: Collection, deck_id: int | None) -> None:
    """Open a session on today's cards of the deck (or all decks), or say that none are due."""
    if (screen := review_screen(app, collection, deck_id)) is not None:
        app.push_screen(screen)


class ReviewScreen(Screen[None]):
    """One card at a time: question, then answer and grades."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the keys of every card act at once, not after a trip through the focused widget.
        Binding("space,enter", "reveal", "Show answer", key_display="space", priority=True),
        *(
            Binding(str(key), f"grade('{key}')", f"grade {key}", show=False, priority=True)
            for key in range(6)
        ),
        Binding("u", "undo", "Undo"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("e", "edit", "Edit"),
        Binding("o", "open_note", "Note", show=False),
        Binding("b", "browse", "Browse", show=False),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
        Binding("q", "finish", "End"),
        # While the answer is concealed its box passes these on (ConcealableScroll), to scroll the front.
        *(Binding(key, f"scroll_front('{key}')", show=False) for key in ("up", "down", "pageup", "pagedown")),
    ]

    def __init__(self, collection: Collection, session: ReviewSession) -> None:
        super().__init__()
        self.collection = collection
        self.session = session
        self.grades = {grade.key: grade for grade in grade_keys(collection.settings.grading)}
        self.revealed = False
        self.waiting = False
        """A write is waiting for another process to release the database."""
        self.pending: Callable[[], object] | None = None
        """That write's step, tried once more if the app ends first (``save_pending``)."""
        self.shown_at = time.monotonic()
        self.unshown: ShownCard | None = None
        """The card whose back, tags and source are still to be drawn (``draw_rest``)."""
        self.leech: int | None = None
        """The id of the card just answered that became a leech: it stays on screen, with the notice."""

    @property
    def key_help(self) -> KeyHelp:
        grades = tuple((grade.key, f"grade: {grade.meaning}") for grade in self.grades.values())
        return (
            ("Space, Enter", "show the answer"),
            *grades,
            ("↑ ↓ PgUp PgDn", "scroll a long question or answer"),
            ("u", "undo the last answer, suspension or burial (any number of steps)"),
            ("!", "suspend this card (it leaves all reviews)"),
            ("-", "bury this card until tomorrow"),
            ("e", "edit this card (its schedule stays)"),
            ("o", "open this card's note at its line ($EDITOR)"),
            ("b", "browse the cards, starting at this one"),
            ("?", "this list of keys"),
            ("Ctrl+P", "command palette (themes, keys, quit)"),
            ("q", "end the session and see its summary"),
            ("Ctrl+C", "quit at once (every answer is already saved)"),
        )

    def compose(self) -> ComposeResult:
        yield TextLine(id="card-info")
        with VerticalScroll(id="front-box", can_focus=False):
            yield CardText(id="front")
        with ConcealableScroll(id="back-box"):
            yield CardText(id="back")
            yield CardText(id="card-meta")
        yield TextLine(QUESTION_HINT, id="hint")
        yield GradeBar(tuple(self.grades.values()), id="grades")
        yield SessionStatus(id="status")
        yield KeyHints(id="keys")

    def on_mount(self) -> None:
        self.query_one("#back-box").focus()  # the arrows scroll a long answer; it keeps the focus
        self.show_card()

    # Showing ----------------------------------------------------------------------------------------

    def show_card(self) -> None:
        """Put the session's current card on screen, front only; the summary when none is left."""
        self.leech = None
        card = self.session.card
        if card is None:
            self.finish()
            return
        self.show_answer(False)
        self.draw(card)
        self.shown_at = time.monotonic()

    def draw(self, card: ShownCard) -> None:
        """The card's deck and front in the key's own frame; its back (concealed until revealed), tags
        and source, the status line and the key hints in the frame after (``draw_rest``), so the next
        card shows as soon as it can, and counting a large collection waits for the first card."""
        info = Text()
        info.append_text(literal(card.deck))
        kind = "just answered" if self.leech is not None else KIND_LABELS.get(str(self.session.kind), "")
        info.append(f"  ·  {kind}")
        if LEECH_TAG in card.tags:
            info.append("  ·  ")
            info.append(" LEECH ", style="bold reverse red")
        self.query_one("#card-info", TextLine).show(info)
        self.query_one("#front", CardText).show(card.front)
        self.unshown = card
        if self.revealed:  # an edit of the card on screen, answer shown
            self.draw_rest()
        else:
            self.set_timer(REST_DELAY, self.draw_rest)

    def draw_rest(self) -> None:
        """The back, tags and source of the card drawn last (when not drawn yet), the status line and
        the keys that act now."""
        self.refresh_keys()
        self.query_one(SessionStatus).show_counts(self.session.counts(), self.session.answered)
        if (card := self.unshown) is None:
            return
        self.unshown = None
        back = self.query_one("#back", CardText)
        back.show(card.back)
        self.call_after_refresh(back.prepare)  # wrap a long back while the question is being read
        tags = ", ".join(tag for tag in card.tags if tag != LEECH_TAG)
        meta = [f"tags: {tags}"] if tags else []
        if card.source:
            meta.append(f"source: {card.source}")
        self.query_one("#card-meta", CardText).show("   ".join(meta))

    def show_answer(self, revealed: bool) -> None:
        """Switch between question and answer: every region keeps its place and size (the answer and
        the grades are concealed in place, see ``Concealable``), so a key lays out nothing again."""
        self.revealed = revealed
        self.query_one("#back-box", Concealable).conceal(not revealed)
        self.query_one(GradeBar).conceal(not revealed)
        hint = self.query_one("#hint", TextLine)
        hint.show("" if revealed else QUESTION_HINT)
        hint.set_class(False, "leech-notice")

    def refresh_keys(self) -> None:
        """Name the keys that act now (those ``check_action`` allows), as a Footer would."""
        keys = []
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.show:
                action = binding.action.partition("(")[0]
                if self.check_action(action, ()) is not False:
                    label = binding.description
                    if action == "reveal" and self.leech is not None:
                        label = "Next card"
                    keys.append((binding.key_display or binding.key, label))
        self.query_one(KeyHints).show_keys(keys)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grade keys work only once the answer is shown, and only those of the current grading;
        while a write waits for the database, no other key acts (it would act on the wrong card)."""
        if self.waiting and action in WRITES:
            return False
        if self.leech is not None:  # the leech notice: go on, edit, open or suspend that card, undo
            return action not in ("grade", "bury")
        if action == "grade":
            return self.revealed and parameters[0] in self.grades
        if action == "reveal":
            return not self.revealed
        return True

    def action_reveal(self) -> None:
        if self.leech is not None:
            self.show_card()
            return
        if self.revealed or self.session.card is None:
            return
        if self.unshown is not None:  # a key faster than the frame after the card's
            self.draw_rest()
        self.query_one(GradeBar).show(self.session.outcomes(self.collection.now()))
        self.show_answer(True)
        self.set_timer(REST_DELAY, self.refresh_keys)
        if (answer := self.query_one("#back-box")).scroll_y:  # scrolled while concealed
            answer.scroll_home(animate=False)

    def action_scroll_front(self, key: str) -> None:
        front = self.query_one("#front-box", VerticalScroll)
        page = max(1, front.scrollable_content_region.height - 1)
        lines = {"up": -1, "down": 1, "pageup": -page, "pagedown": page}[key]
        front.scroll_relative(y=lines, animate=False)

    def on_click(self, event: object) -> None:
        """Clicking anywhere on the question shows the answer, as Space does."""
        if not self.revealed:
            self.action_reveal()

    # Acting -----------------------------------------------------------------------------------------
    # Every action that writes goes through ``write``: while another process holds the database's
    # write lock (a large import), the step waits with a notice and is tried again, never lost.

    def write(self, step: Callable[[], T], done: Callable[[T], None]) -> None:
        """Run the write ``step``, then ``done`` with its result. While the database is busy elsewhere,
        say so and try the same step again every RETRY_SECONDS (other keys wait meanwhile); when the
        card was deleted elsewhere, say so and go on with the next card."""
        card = self.session.card
        try:
            with self.collection.brief_lock_wait():
                result = step()
        except (CardGone, CardResting) as error:
            self.waiting, self.pending = False, None
            name = first_line(card.front) if card else "the card"
            how = "deleted" if isinstance(error, CardGone) else "suspended or buried"
            self.notify(f"“{name}” was {how} by another program: skipped.", severity="warning", markup=False)
            self.show_card()
            return
        except DatabaseBusy:
            self.pending = step
            if not self.waiting:
                self.waiting = True
                self.notify(BUSY_NOTICE, title="Waiting", severity="warning", timeout=4)
                self.query_one(SessionStatus).busy(BUSY_STATUS)
                self.refresh_keys()
            self.set_timer(RETRY_SECONDS, lambda: self.write(step, done))
            return
        self.pending = None
        if self.waiting:
            self.waiting = False
            self.refresh_keys()
        done(result)

    def save_pending(self) -> bool:
        """Try the write still waiting for the database once more, waiting seconds for it this time:
        the app is ending, and quitting loses no answer. False if it still could not be written."""
        if (step := self.pending) is None:
            return True
        self.pending = None
        try:
            with self.collection.brief_lock_wait(LAST_TRY_MS):
                step()
        except DatabaseBusy:
            return False
        except (CardGone, CardResting):
            pass  # the card is gone or resting: nothing of it to save
        return True

    def action_grade(self, key: str) -> None:
        grade, card = self.grades.get(key), self.session.card
        if grade is None or not self.revealed or card is None:
            return
        now, duration_ms = self.collection.now(), round((time.monotonic() - self.shown_at) * 1000)

        def answered(answer: Answered) -> None:
            if answer.after.is_leech and not answer.before.is_leech:
                self.show_leech(card.id)
            else:
                self.show_card()

        self.write(lambda: self.session.answer(grade.quality, now, duration_ms), answered)

    def show_leech(self, card_id: int) -> None:
        """Keep the card that just became a leech on screen, its grades replaced by the notice and
        what to do about it (the next card shows on Space, as the notice says)."""
        try:
            card = self.collection.curation.card(card_id)
        except CardGone:
            self.show_card()
            return
        self.leech = card_id
        self.draw(card)
        self.query_one(GradeBar).conceal(True)
        hint = self.query_one("#hint", TextLine)
        hint.show(f"New leech (failed {LEECH_LAPSES} times): e rewrite it · ! suspend it · Space next card")
        hint.set_class(True, "leech-notice")

    def on_grade_bar_chosen(self, event: GradeBar.Chosen) -> None:
        event.stop()
        if self.check_action("grade", (event.key,)):
            self.action_grade(event.key)

    def action_undo(self) -> None:
        def undone(done: bool) -> None:
            if not done:
                self.notify("Nothing to undo in this session.", severity="warning", timeout=2)
                return
            # The card the step was about is back in front, so the message names the card on screen.
            name = first_line(self.session.card.front) if self.session.card else "the last step"
            self.notify(f"Undone: “{name}” is back.", timeout=1.5, markup=False)
            self.show_card()

        self.write(self.session.undo, undone)

    def action_suspend(self) -> None:
        if self.leech is not None:
            try:
                leech = self.collection.curation.card(self.leech)
            except CardGone:
                self.show_card()
                return
            now = self.collection.now()
            message = f"Suspended the leech “{first_line(leech.front)}” (u to undo)."
            self.write(lambda: self.session.suspend(now, leech), lambda _: self.changed(message))
        elif (card := self.session.card) is not None:
            message = f"Suspended “{first_line(card.front)}” (u to undo)."
            self.write(self.session.suspend, lambda _: self.changed(message))

    def action_bury(self) -> None:
        if (card := self.session.card) is not None:
            now = self.collection.now()
            message = f"Buried “{first_line(card.front)}” until tomorrow (u to undo)."
            self.write(lambda: self.session.bury(now), lambda _: self.changed(message))

    def changed(self, message: str) -> None:
        self.notify(message, timeout=2, markup=False)
        self.show_card()

    # The card itself: edit it, open its note, browse from it -------------------------------------------

    def card_on_screen(self) -> int | None:
        """The card the keys act on: the leech just answered, else the session's card."""
        if self.leech is not None:
            return self.leech
        return self.session.card.id if self.session.card is not None else None

    def action_edit(self) -> None:
        from trainer.tui.card_actions import edit_card  # its dialog (a TextArea) stays off start-up

        if (card_id := self.card_on_screen()) is not None:
            edit_card(self, self.collection.curation, card_id, self.redraw)

    def action_open_note(self) -> None:
        from trainer.tui.card_actions import open_note

        if (card_id := self.card_on_screen()) is not None:
            open_note(self, self.collection.curation, card_id, self.redraw)

    def redraw(self) -> None:
        """Show the card on screen as it is now (edited), the answer still shown if it was."""
        if self.leech is not None:
            try:
                self.draw(self.collection.curation.card(self.leech))
            except CardGone:
                self.show_card()
            return
        self.session.reread(self.collection.now())
        if self.session.card is None:
            self.finish()
            return
        self.draw(self.session.card)

    def action_browse(self) -> None:
        from trainer.tui.screens.browse import BrowseScreen

        if (card_id := self.card_on_screen()) is None:
            return
        try:
            card = self.collection.curation.card(card_id)
        except TrainerError:
            return
        start = card.front.strip().partition("\n")[0][:40]
        browser = BrowseScreen(self.collection, start, card.deck, card.id)
        self.app.push_screen(browser, lambda _: self.back_from_browser())

    def back_from_browser(self) -> None:
        """The browser may have edited, suspended, buried or deleted the session's cards."""
        self.session.reread(self.collection.now())
        self.show_card()

    def action_finish(self) -> None:
        self.finish()

    def finish(self) -> None:
        """Replace this screen with the session's summary (the answers are saved already); the app's
        first screen (`trainer review DECK`) cannot be replaced, so the summary goes on top of it."""
        from trainer.tui.screens.summary import SummaryScreen

        summary = SummaryScreen(self.collection, self.session)
        if len(self.app.screen_stack) == 1:
            self.app.push_screen(summary)
        else:
            self.app.switch_screen(summary)
