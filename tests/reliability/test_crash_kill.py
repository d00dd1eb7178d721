"""SIGKILL the real `trainer` in a real terminal at random points: every acknowledged answer survives."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import sample_deck
from tests.reliability.tally import TALLY
from trainer.store.db import connect, transaction
from trainer.store.decks import upsert_deck
from trainer.store.reviews import check

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ROUNDS = 24
PROMPT = "show the answer"
GRADES = "blackout"


class Terminal:
    """One tmux session running one command, read through capture-pane."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.name = f"trainer-kill-{uuid.uuid4().hex[:8]}"
        assignments = [f"{key}={value}" for key, value in env.items()]
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "100",
                "-y",
                "30",
                "env",
                *assignments,
                *command,
            ],
            check=True,
        )
        self.pid = int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def wait(self, predicate: Callable[[str], bool], timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.02)
        raise AssertionError(f"screen never matched; last screen:\n{self.screen()}")

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def test_sigkill_at_random_points_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    db_path = tmp_path / "trainer.db"
    conn = connect(db_path)
    with transaction(conn):
        upsert_deck(conn, sample_deck(size=400))
    rng = random.Random(7)
    acknowledged = 0
    for round_number in range(ROUNDS):
        env = {
            "TRAINER_DB": str(db_path),
            "TRAINER_CONFIG": str(tmp_path / "config.toml"),
            "TRAINER_TZ": "Europe/Berlin",
            "TRAINER_NOW": f"2026-12-{1 + round_number:02d}T10:00:00+01:00",
        }
        terminal = Terminal([sys.executable, "-m", "trainer", "review", "Sample"], env)
        try:
            terminal.wait(lambda s: PROMPT in s)
            answers = rng.randrange(0, 6)
            for _ in range(answers):
                terminal.keys("Space")
                terminal.wait(lambda s: GRADES in s)
                terminal.keys(str(rng.choice([1, 3, 4, 5, 5])))
                terminal.wait(lambda s: GRADES not in s)  # the next card (or the summary) is on screen
                acknowledged += 1
            if rng.random() < 0.5:  # kill during an answer: the grade key is in flight
                terminal.keys("Space")
                terminal.wait(lambda s: GRADES in s)
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
