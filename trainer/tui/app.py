"""The Textual app: the deck list first, then review sessions, their summaries and the key help."""

from __future__ import annotations

import asyncio
import select
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from trainer.config import save_theme, textual_theme
from trainer.errors import TrainerError
from trainer.tui.screens.help import HelpScreen, KeyHelp
from trainer.tui.screens.review import ReviewScreen, review_screen

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.notes_sync import SyncReport

ENDING_SIGNALS = ("SIGTERM", "SIGQUIT", "SIGHUP", "SIGINT", "SIGUSR1", "SIGUSR2", "SIGALRM")
"""Signals whose default action ends the process on the spot, leaving the terminal in the alternate
screen with mouse reporting on. Textual handles none of them (only SIGTSTP, SIGCONT, SIGWINCH, SIGTTIN
and SIGTTOU), so the app does: it exits as ``q`` would, restoring the terminal."""
HANGUP_CHECK_SECONDS = 1.0
UNSAVED = (
    "The last answer (or undo, suspension, burial) was not saved: another program held the database"
    " until trainer ended."
)
"""How often the app looks whether its terminal has gone without a signal (``end_if_hung_up``)."""


class TrainerApp(App[None]):
    """Review flashcards; ``deck_id`` opens a session on that deck at once (the deck list comes after it).

    A theme chosen in the command palette is saved in ``settings_file`` (when given), so the next
    start uses it. The day's backup and the notes sync run in threads after the first frame, so a
    day's first open shows its first card as fast as any other: open the collection without backing up.
    """

    CSS_PATH = "trainer.tcss"
    TITLE = "trainer"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Ctrl+C quits at once, as in any terminal program: every answer is saved before the next card.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self, collection: Collection, deck_id: int | None = None, settings_file: Path | None = None
    ) -> None:
        super().__init__()
        self.collection = collection
        self.deck_id = deck_id
        self.settings_file = settings_file
        self.theme = self.saved_theme = textual_theme(collection.settings.theme)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self.save_theme)
        loop = asyncio.get_running_loop()
        for name in ENDING_SIGNALS:
            if (number := getattr(signal, name, None)) is not None:
                loop.add_signal_handler(number, self.end_by_signal, number)
        if sys.__stdin__ is not None and sys.__stdin__.isatty():
            self.set_interval(HANGUP_CHECK_SECONDS, self.end_if_hung_up)
        self.call_after_refresh(self.sync_notes)
        self.call_after_refresh(self.back_up)

    def get_default_screen(self) -> Screen[None]:
        """The first screen, composed with the app itself, as a minimal app's is (a screen pushed once
        the app is mounted takes several frames more to show): the session of `trainer review DECK`
        when the deck has cards today, else the deck list. The deck list is made when that session
        ends (SummaryScreen.action_decks)."""
        if self.deck_id is not None and (screen := review_screen(self, self.collection, self.deck_id)):
            return screen
        from trainer.tui.screens.decks import DecksScreen

        return DecksScreen(self.collection)

    def back_up(self) -> None:
        """The day's backup in a thread (it has its own connections); a failure is only a notice."""
        if (backup := self.collection.daily_backup_step()) is None:
            return

        def work() -> None:
            if (warning := backup()) is not None:
                self.call_from_thread(self.notify, warning, title="Backup", severity="warning", markup=False)

        self.run_worker(work, thread=True, exit_on_error=False)

    def sync_notes(self) -> None:
        """Bring the registered notes' decks in step in a thread, after the first frame; one line says how."""
        if not self.collection.has_notes():
            return
        sync = self.collection.sync_notes_step()

        def work() -> None:
            try:
                report = sync()
            except TrainerError as error:  # busy, read-only: the next start tries again
                message = f"Notes not synced: {error}"
                self.call_from_thread(self.notify, message, severity="warning", markup=False)
                return
            self.call_from_thread(self.notes_synced, report)

        self.run_worker(work, thread=True, exit_on_error=False)

    def notes_synced(self, report: SyncReport) -> None:
        if report.notes:
            warn = bool(report.failed)
            self.notify(report.summary(), severity="warning" if warn else "information", markup=False)
        from trainer.tui.screens.decks import DecksScreen

        if isinstance(self.screen, DecksScreen):
            self.screen.refresh_counts()

    def end_if_hung_up(self) -> None:
        """End as a hangup would once the terminal is gone. A terminal closed without a SIGHUP to us
        (its session led by another process, as under `setsid` or some container shells) leaves
        Textual's input thread reading end-of-file in a loop, a core at full load until killed."""
        assert sys.__stdin__ is not None
        terminal = select.poll()
        terminal.register(sys.__stdin__.fileno(), select.POLLHUP)
        if terminal.poll(0):
            self.end_by_signal(signal.SIGHUP)

    def end_by_signal(self, number: int) -> None:
        """Exit cleanly (every answer is saved already) with the status a shell expects: 128 + signal."""
        self.end(128 + number)

    async def action_quit(self) -> None:
        self.end()

    def end(self, return_code: int = 0) -> None:
        """Exit, once an answer still waiting for the database (another program writing) is saved; if
        that program holds it even then, say so when the screen is gone, and exit with status 1."""
        if all(screen.save_pending() for screen in self.screen_stack if isinstance(screen, ReviewScreen)):
            self.exit(return_code=return_code)
        else:
            self.exit(return_code=return_code or 1, message=UNSAVED)

    def action_help(self) -> None:
        """The keys of the screen on top (each screen lists its own)."""
        screen = self.screen
        keys: KeyHelp = getattr(screen, "key_help", ())
        self.push_screen(HelpScreen(f"Keys: {type(screen).__name__.removesuffix('Screen').lower()}", keys))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's palette commands, but "Keys" opens our key list (Esc, q or ? closes it), not
        Textual's side panel, which no key closes."""
        for command in super().get_system_commands(screen):
            if command.title == "Keys":
                yield SystemCommand("Keys", "List the keys of this screen", self.action_help)
            else:
                yield command

    def save_theme(self, theme: Theme) -> None:
        """Keep the theme just chosen for the next start; a file that cannot be written is only a notice."""
        if self.settings_file is None or theme.name == self.saved_theme:
            return
        try:
            save_theme(self.settings_file, theme.name)
            self.saved_theme = theme.name
        except TrainerError as error:
            self.notify(str(error), title="Theme not saved", severity="warning", markup=False)
