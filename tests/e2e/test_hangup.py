"""A trainer whose terminal goes away ends, even when no SIGHUP reaches it."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.benchmarks.pty_driver import PtyProgram
from tests.support import add_deck, trainer_env
from trainer.store.db import connect

HANGUP_STATUS = 128 + 1


def test_the_trainer_ends_when_its_terminal_goes_without_a_hangup_signal(tmp_path: Path) -> None:
    db = tmp_path / "trainer.db"
    conn = connect(db)
    add_deck(conn, "Deck", [("front 0", "back 0")])
    conn.close()
    # A session of its own, as under setsid: closing the terminal sends the trainer no SIGHUP.
    program = PtyProgram([sys.executable, "-m", "trainer", "review", "Deck"], trainer_env(db, tmp_path))
    try:
        program.wait_for("front 0")
        program.hang_up()
        assert program.process.wait(timeout=10) == HANGUP_STATUS
    finally:
        program.close()
