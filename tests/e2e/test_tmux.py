"""The real `trainer` command in a real terminal (tmux): reveal and grade three cards, quit, check the db.

The screen read back is the terminal's own, so a region Textual failed to repaint shows there."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.support import sample_deck, showing, store_deck, trainer_env
from tests.terminal import Terminal
from trainer.store.db import connect

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    db = tmp_path / "trainer.db"
    with closing(connect(db)) as conn:
        store_deck(conn, sample_deck())
    # `; sleep` keeps the pane open after the program exits, so its last screen can be read.
    command = ["sh", "-c", f"{sys.executable} -m trainer; echo EXITED $?; sleep 30"]
    term = Terminal(command, trainer_env(db, tmp_path))
    yield term
    term.close()


def test_review_three_cards_and_quit(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for(lambda s: "All decks" in s)
    terminal.keys("Enter")
    for n, grade in enumerate(["5", "4", "3"]):
        question = terminal.wait_for(showing(f"front {n}", "show the answer"))
        # What the terminal shows, not what Textual would draw afresh: the last answer is painted over.
        assert f"back {n - 1}" not in question and "perfect" not in question
        terminal.keys("Space")
        terminal.wait_for(showing(f"back {n}", "perfect"))
        terminal.keys(grade)
    terminal.wait_for(lambda s: "front 3" in s)
    terminal.keys("q")
    terminal.wait_for(lambda s: "Session ended." in s and "3 answers" in s)
    terminal.keys("q")
    assert "EXITED 0" in terminal.wait_for(lambda s: "EXITED" in s)
    conn = connect(tmp_path / "trainer.db")
    rows = conn.execute(
        "SELECT cards.front, quality, kind, day, due_after FROM reviews JOIN cards ON cards.id = card_id"
        " ORDER BY reviews.id"
    ).fetchall()
    assert [tuple(row) for row in rows] == [
        ("front 0", 5, "review", "2026-11-22", "2026-11-23"),
        ("front 1", 4, "review", "2026-11-22", "2026-11-23"),
        ("front 2", 3, "review", "2026-11-22", "2026-11-23"),
    ]
    assert conn.execute("SELECT drill_day FROM cards WHERE front = 'front 2'").fetchone()[0] == "2026-11-22"
    conn.close()
