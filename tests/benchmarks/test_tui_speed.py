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
from tests.tui.factory import add_deck, make_app
from trainer.decks.model import MAX_CARD_TEXT, Card, Deck
from trainer.store.db import connect, transaction
from trainer.store.decks import upsert_deck
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.widgets.card_text import CardText

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


LONGEST_BACKS = {
    "Chinese": ("梯度下降沿着损失函数梯度的反方向更新参数，步长由学习率决定。" * 2_200)[:MAX_CARD_TEXT],
    "English": ("gradient descent updates the parameters against the gradient " * 1_100)[:MAX_CARD_TEXT],
    "short lines": ("学习率 learning rate\n" * 3_300)[:MAX_CARD_TEXT],
}


async def reveal_times(app: Any, reveals: int) -> list[float]:
    """Seconds from each reveal to its frame, checking that only the lines on screen are drawn."""
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        card = screen.query_one("#back", CardText)
        frames: list[float] = []
        drawn: list[int] = []
        refresh, render_line = screen._compositor_refresh, card.render_line

        def timed_refresh() -> Any:
            result = refresh()
            frames.append(time.perf_counter())
            return result

        def counted_line(y: int) -> Any:
            drawn.append(y)
            return render_line(y)

        screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
        card.render_line = counted_line  # type: ignore[method-assign]
        for _ in range(reveals):
            await pilot.pause(0.2)  # the question is read (and the back wrapped meanwhile)
            frames.clear()
            drawn.clear()
            started = time.perf_counter()
            screen.action_reveal()
            while not frames:
                await asyncio.sleep(0)
            times.append(frames[0] - started)
            await pilot.pause()
            assert len(set(drawn)) <= 24, "only the lines on screen are drawn"
            assert len(card._wrapped) == 1, "wrapped once, at one width"
            await pilot.press("4")
    return times


def test_reveal_the_longest_back_allowed(tmp_path: Path) -> None:
    """Revealing a back of MAX_CARD_TEXT characters: key -> frame, against a one-line back.

    What is asserted is the mechanism, not the clock: the back is wrapped once per width (while the
    question is read) and only the lines on screen are drawn, so the cost does not grow with the
    text out of sight. The first card's reveal wraps at once (no width known yet); the median shows
    the rest.
    """
    reveals = 7 if FULL else 3
    backs = {"one line": "学习率决定步长。", **LONGEST_BACKS}
    figures: dict[str, float] = {}
    for name, back in backs.items():
        conn = connect(tmp_path / f"{name}.db")
        add_deck(conn, "Long", [(f"question {n}", back) for n in range(reveals)])
        times = asyncio.run(reveal_times(make_app(conn), reveals))
        conn.close()
        figures[name] = statistics.median(times) * 1000
    base = figures["one line"]
    print(
        f"\nreveal -> frame at 80x24, median of {reveals}: one-line back {base:.1f} ms; "
        + "; ".join(
            f"{MAX_CARD_TEXT:,}-character {name} back {ms:.1f} ms ({ms / base:.1f}x)"
            for name, ms in figures.items()
            if name != "one line"
        )
    )
