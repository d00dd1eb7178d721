"""SIGKILL the real `trainer` in a real terminal at random points: every acknowledged answer survives."""

from __future__ import annotations

import random
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.tally import TALLY
from tests.support import sample_deck, trainer_env
from tests.terminal import Terminal
from trainer.store.db import connect, transaction
from trainer.store.decks import upsert_deck
from trainer.store.reviews import check

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ROUNDS = 24
PROMPT = "show the answer"
GRADES = "blackout"


def test_sigkill_at_random_points_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    db_path = tmp_path / "trainer.db"
    conn = connect(db_path)
    with transaction(conn):
        upsert_deck(conn, sample_deck(size=400))
    rng = random.Random(7)
    acknowledged = 0
    for round_number in range(ROUNDS):
        day = f"2026-12-{1 + round_number:02d}"
        env = trainer_env(db_path, tmp_path) | {"TRAINER_NOW": f"{day}T10:00:00+01:00"}
        terminal = Terminal([sys.executable, "-m", "trainer", "review", "Sample"], env)
        try:
            terminal.wait_for(lambda s: PROMPT in s)
            answers = rng.randrange(0, 6)
            for _ in range(answers):
                terminal.keys("Space")
                terminal.wait_for(lambda s: GRADES in s)
                terminal.keys(str(rng.choice([1, 3, 4, 5, 5])))
                terminal.wait_for(lambda s: GRADES not in s)  # the next card (or the summary) is on screen
                acknowledged += 1
            if rng.random() < 0.5:  # kill during an answer: the grade key is in flight
                terminal.keys("Space")
                terminal.wait_for(lambda s: GRADES in s)
                terminal.keys("4")
                time.sleep(rng.random() * 0.05)
        finally:
            terminal.kill()
        TALLY["kills"] += 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        logged = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
        assert logged >= acknowledged
        assert check(conn) == []
    conn.close()
    assert acknowledged > ROUNDS  # the test really answered cards
