"""The review screen under faults from outside: another process holding the write lock past the busy
timeout (a large import), ``import --prune`` deleting cards under it, and signals that end it.

Each case is one attack from the list in issue #11; the screen must neither crash nor lose an answer.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot

from tests.reliability.tally import TALLY
from tests.support import NOW, collection, sample_deck, trainer_env
from tests.terminal import Terminal
from tests.tui.factory import make_app
from trainer.cli import cli
from trainer.decks.model import Deck
from trainer.decks.yaml_io import write_deck
from trainer.store.db import connect
from trainer.tui.app import TrainerApp
from trainer.tui.screens.review import ReviewScreen

SIZE = (80, 24)


def reviews(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    rows = conn.execute(
        "SELECT cards.front, quality FROM reviews JOIN cards ON cards.id = card_id ORDER BY reviews.id"
    )
    return [tuple(row) for row in rows]


def front(app: TrainerApp) -> str:
    return str(app.screen.query_one("#front").render())


def status(app: TrainerApp) -> str:
    return str(app.screen.query_one("#status").render())


def run_app(
    conn: sqlite3.Connection, scenario: Callable[[TrainerApp, Pilot[None]], Awaitable[None]]
) -> TrainerApp:
    """Run ``scenario`` on the review screen of the sample deck, notifications on."""

    async def main() -> TrainerApp:
        app = make_app(conn)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.press("down", "enter")
            assert isinstance(app.screen, ReviewScreen)
            await scenario(app, pilot)
        return app

    app = asyncio.run(main())
    assert app.return_code in (None, 0), "the app ended with an error"
    return app


class HeldLock:
    """Another connection holding the write lock, as a long import in another terminal does."""

    def __init__(self, db_path: Path) -> None:
        self.conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def test_an_answer_waits_for_a_held_write_lock_with_a_notice_and_is_saved_once(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    TALLY["attacks"] += 1

    async def scenario(app: TrainerApp, pilot: Pilot[None]) -> None:
        screen = app.screen
        await pilot.press("space")
        lock = HeldLock(db_path)
        await pilot.press("4")
        await asyncio.sleep(1.2)  # several tries, each giving up quickly
        assert app.is_running and app.screen is screen
        assert "waiting for the database" in status(app)
        assert any(note.title == "Waiting" for note in app._notifications)
        assert reviews(conn) == [] and front(app) == "front 0"
        await pilot.press("5", "u", "minus", "q")  # keys while it waits act on nothing
        lock.release()
        await asyncio.sleep(1.0)
        assert reviews(conn) == [("front 0", 4)]
        assert front(app) == "front 1" and "waiting" not in status(app)

    run_app(conn, scenario)


def test_quitting_while_an_answer_waits_for_the_lock_saves_it_first(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    TALLY["attacks"] += 1

    async def scenario(app: TrainerApp, pilot: Pilot[None]) -> None:
        await pilot.press("space")
        lock = HeldLock(db_path)
        await pilot.press("4")
        await asyncio.sleep(0.7)
        assert reviews(conn) == [] and "waiting for the database" in status(app)
        threading.Timer(0.5, lock.release).start()  # the import elsewhere ends while trainer quits
        await pilot.press("ctrl+c")
        assert not app.is_running

    app = run_app(conn, scenario)
    assert reviews(conn) == [("front 0", 4)] and app.return_code == 0


def test_quitting_says_so_when_the_lock_is_held_to_the_end(
    conn: sqlite3.Connection, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    TALLY["attacks"] += 1
    lock = HeldLock(db_path)

    async def scenario(app: TrainerApp, pilot: Pilot[None]) -> None:
        await pilot.press("space", "4")
        await asyncio.sleep(0.7)
        await pilot.press("ctrl+c")
        assert not app.is_running

    async def main() -> TrainerApp:
        app = make_app(conn)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.press("down", "enter")
            await scenario(app, pilot)
        return app

    try:
        app = asyncio.run(main())
    finally:
        lock.release()
    assert app.return_code == 1 and reviews(conn) == []
    said = " ".join(capsys.readouterr().err.split())  # as the terminal shows it, wrapped
    assert "answer (or undo, suspension, burial) was not saved: another program held the database" in said


def test_undo_and_suspend_wait_for_the_lock_too_and_keep_their_step(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    TALLY["attacks"] += 1

    async def scenario(app: TrainerApp, pilot: Pilot[None]) -> None:
        await pilot.press("space", "4")
        lock = HeldLock(db_path)
        await pilot.press("u")
        await asyncio.sleep(0.8)
        assert reviews(conn) == [("front 0", 4)] and "waiting" in status(app)
        lock.release()
        await asyncio.sleep(1.0)
        assert reviews(conn) == [] and front(app) == "front 0"  # undone once the lock was free
        lock = HeldLock(db_path)
        await pilot.press("exclamation_mark")
        await asyncio.sleep(0.8)
        lock.release()
        await asyncio.sleep(1.0)
        assert conn.execute("SELECT suspended FROM cards WHERE front = 'front 0'").fetchone()[0] == 1
        assert front(app) == "front 1"

    run_app(conn, scenario)


def prune_elsewhere(db_path: Path, tmp_path: Path, keep: list[int]) -> None:
    """``trainer import --prune`` in another connection, keeping only the sample cards ``keep``."""
    deck = sample_deck()
    path = tmp_path / "sample.yaml"
    write_deck(Deck(deck.name, tuple(deck.cards[n] for n in keep), deck.description, deck.source), path)
    args = ["--db", str(db_path), "--now", NOW, "import", str(path), "--prune", "--yes"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


def test_the_next_card_deleted_by_an_import_elsewhere_is_skipped(
    conn: sqlite3.Connection, db_path: Path, tmp_path: Path
) -> None:
    TALLY["attacks"] += 1

    async def scenario(app: TrainerApp, pilot: Pilot[None]) -> None:
        prune_elsewhere(db_path, tmp_path, keep=[0, 2, 3, 4])  # front 1, next in the queue, goes
        await pilot.press("space", "4")
        assert front(app) == "front 2"
        await pilot.press("space", "5")
        assert reviews(conn) == [("front 0", 4), ("front 2", 5)]

    run_app(conn, scenario)


def test_the_card_on_screen_deleted_elsewhere_is_skipped_with_a_notice(
    conn: sqlite3.Connection, db_path: Path, tmp_path: Path
) -> None:
    TALLY["attacks"] += 1

    async def scenario(app: TrainerApp, pilot: Pilot[None]) -> None:
        await pilot.press("space", "1")  # front 0 fails: it comes back as a drill later
        await pilot.press("space")
        prune_elsewhere(db_path, tmp_path, keep=[0, 2, 3, 4])  # front 1, on screen now, goes
        await pilot.press("4")
        assert front(app) == "front 2"
        assert any("“front 1” was deleted by another program" in note.message for note in app._notifications)
        prune_elsewhere(db_path, tmp_path, keep=[2, 3, 4])  # and the drill of front 0
        for _ in range(3):
            await pilot.press("space", "5")
        assert app.screen.__class__.__name__ == "SummaryScreen"  # no drill of a card that is gone
        assert reviews(conn) == [("front 2", 5), ("front 3", 5), ("front 4", 5)]

    run_app(conn, scenario)


@pytest.mark.parametrize("change", ["suspend", "bury"])
def test_the_card_on_screen_suspended_or_buried_elsewhere_is_skipped_with_a_notice(
    conn: sqlite3.Connection, db_path: Path, change: str
) -> None:
    """Another terminal takes the card on screen out of reviews: the answer is refused (a resting card
    gets no answer) and the session goes on with the next card."""
    TALLY["attacks"] += 1

    async def scenario(app: TrainerApp, pilot: Pilot[None]) -> None:
        await pilot.press("space", "4")  # front 0 answered; front 1 (card 2) on screen
        elsewhere = connect(db_path)
        getattr(collection(elsewhere).curation, change)([2])
        elsewhere.close()
        await pilot.press("space", "4")
        assert front(app) == "front 2"
        notices = [note.message for note in app._notifications]
        assert any("“front 1” was suspended or buried by another program" in notice for notice in notices)
        assert reviews(conn) == [("front 0", 4)]

    run_app(conn, scenario)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGQUIT", "SIGHUP", "SIGINT"])
def test_a_signal_ends_the_review_screen_with_the_terminal_restored(
    conn: sqlite3.Connection, db_path: Path, tmp_path: Path, name: str
) -> None:
    """In a real terminal: the answers are kept, the alternate screen is left, mouse reporting is off,
    and the exit status says which signal ended it (128 + its number)."""
    TALLY["attacks"] += 1
    env = trainer_env(db_path, tmp_path)
    status = tmp_path / "status"
    # The shell records the exit status itself: tmux can be slow to reap a pane's process.
    script = f'"$0" -m trainer; echo $? > {status}; sleep 60'
    terminal = Terminal(["sh", "-c", script, sys.executable], env, columns=80, rows=24)
    try:
        terminal.wait_for(lambda screen: "All decks" in screen)
        terminal.keys("Enter")
        terminal.wait_for(lambda screen: "front 0" in screen)
        terminal.keys("Space")
        terminal.wait_for(lambda screen: "back 0" in screen)
        terminal.keys("4")
        terminal.wait_for(lambda screen: "front 1" in screen)
        assert terminal.show("#{alternate_on} #{mouse_any_flag}") == "1 1"  # what the app turned on
        [trainer] = Path(f"/proc/{terminal.pid}/task/{terminal.pid}/children").read_text().split()
        number = getattr(signal, name)
        os.kill(int(trainer), number)
        deadline = time.monotonic() + 15
        while not status.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert status.read_text().strip() == str(128 + number)  # it exited, with the status shells use
        assert terminal.show("#{alternate_on} #{mouse_any_flag} #{mouse_sgr_flag}") == "0 0 0"
    finally:
        terminal.close()
    assert reviews(conn) == [("front 0", 4)]
