"""How fast the review screen is: start-up to the first card, and answer to the next card.

Run with `pytest tests/benchmarks -s` to see the figures; nothing here asserts on wall-clock time.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.benchmarks import FULL
from tests.e2e.test_tmux import trainer_env
from tests.terminal import Terminal
from tests.tui.factory import make_app
from trainer.decks.model import Card, Deck
from trainer.store.db import connect, transaction
from trainer.store.decks import upsert_deck
from trainer.tui.screens.review import ReviewScreen

pytestmark = pytest.mark.benchmark
FRAME = 1 / 60
"""Textual redraws at most this often."""

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("minimal app ready")
Minimal().run()
"""


def big_db(path: Path, cards: int) -> None:
    deck = Deck(
        name="Big",
        cards=tuple(
            Card(
                id=f"k{n}",
                front=f"card {n} 问题：梯度下降的学习率是什么？",
                back=f"answer {n} 学习率决定步长。",
            )
            for n in range(cards)
        ),
    )
    conn = connect(path)
    with transaction(conn):
        upsert_deck(conn, deck)
    conn.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_to_screen(command: list[str], env: dict[str, str], ready: Callable[[str], bool]) -> float:
    """Seconds from starting ``command`` in tmux to ``ready`` holding for what the pane shows."""
    start = time.perf_counter()
    term = Terminal(command, env)
    try:
        term.wait_for(ready, timeout=20)
        return time.perf_counter() - start
    finally:
        term.close()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_start_to_first_card(tmp_path: Path) -> None:
    db = tmp_path / "trainer.db"
    big_db(db, 10_000 if FULL else 1_000)
    env = trainer_env(db, tmp_path)
    runs = 7 if FULL else 3
    trainer = [sys.executable, "-m", "trainer", "review", "Big"]
    minimal = [sys.executable, "-c", MINIMAL_APP]
    ours, bare = [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        ours.append(time_to_screen(trainer, env, lambda s: "card 0 问题" in s))
        bare.append(time_to_screen(minimal, env, lambda s: "minimal app ready" in s))
    ours_ms, bare_ms = statistics.median(ours) * 1000, statistics.median(bare) * 1000
    print(
        f"\nstart -> first card (tmux, median of {runs}): trainer {ours_ms:.0f} ms, "
        f"minimal Textual app {bare_ms:.0f} ms, ratio {ours_ms / bare_ms:.2f}x (target <= 2x)"
    )


def test_answer_to_next_card(tmp_path: Path) -> None:
    cards = 10_000
    presses = 1_000 if FULL else 20
    db = tmp_path / "trainer.db"
    big_db(db, cards)
    conn = connect(db)
    app = make_app(conn, new_per_day=cards)
    handler: list[float] = []
    frame: list[float] = []

    async def run() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("down", "enter")
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            started: list[float] = []
            grade, refresh = screen.action_grade, screen._compositor_refresh

            def timed_grade(key: str) -> None:
                started.append(time.perf_counter())
                grade(key)
                handler.append(time.perf_counter() - started[-1])

            def timed_refresh() -> Any:
                result = refresh()
                if started:  # the first frame after an answer: the next card is on screen
                    frame.append(time.perf_counter() - started.pop())
                return result

            screen.action_grade = timed_grade  # type: ignore[method-assign]
            screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
            for n in range(presses):
                await pilot.press("space")
                # A person reads the answer before grading: let the reveal's frame go out first, so
                # the grade's frame is not held back by Textual's 60 FPS cap on back-to-back redraws.
                await pilot.pause(FRAME)
                await pilot.press("5" if n % 10 else "4")
            await pilot.pause()
            assert screen.session.answered == presses

    asyncio.run(run())
    count = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    conn.close()
    assert count == presses
    for name, values in (("handler (save + next card + widgets)", handler), ("key -> next frame", frame)):
        ms = [v * 1000 for v in values]
        print(
            f"\n{name}, {len(ms)} answers, {cards} cards: "
            f"median {statistics.median(ms):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms "
            "(target < 10 ms median)"
        )
