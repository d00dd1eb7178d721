"""How fast the review screen reveals a long back (Pilot, headless: the mechanism, not the pty).

Start-up and key -> next-card frame are measured end to end in a real pty by ``test_review_speed``.
Run with `pytest tests/benchmarks -s` to see the figures; nothing here asserts on wall-clock time.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from tests.benchmarks import FULL
from tests.support import add_deck
from tests.tui.factory import make_app
from trainer.decks.model import MAX_CARD_TEXT
from trainer.store.db import connect
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.widgets.card_text import CardText

pytestmark = pytest.mark.benchmark

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
