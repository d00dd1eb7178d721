"""Snapshots of the card browser at 80x24 (the panel under the table) and 120x40 (beside it): every
card, a search that matches nothing, a filtered table, and a card's panel with its history."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from tests.support import add_deck, answer, collection
from tests.tui.factory import make_app
from trainer.tui.widgets.card_table import CardTable

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
CARDS = [
    ("什么是梯度下降（gradient descent）？", "沿着损失函数梯度的反方向更新参数，步长由学习率决定。"),
    ("过拟合 (overfitting)", "模型在训练集上表现很好，但在新数据上表现差。"),
    ("What does softmax compute?", "A probability distribution over classes: exp(z_i) / Σ exp(z_j)."),
    ("[bold]markup[/bold] stays text", "so do \x1b[31m escapes"),
]


@pytest.fixture
def browsed(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Sample (cards 1-5) and AI 基础 (cards 6-9); card 6 answered over a week, card 7 suspended."""
    add_deck(conn, "AI 基础", CARDS, tags=("ml", "优化"))
    for day, quality in (("2026-11-14", 5), ("2026-11-15", 2), ("2026-11-15", 4), ("2026-11-16", 5)):
        answer(conn, 6, quality, f"{day}T10:00")
    collection(conn).curation.suspend([7])
    return conn


async def open_browser(pilot: Pilot[None]) -> None:
    await pilot.press("b")
    await pilot.pause()


@SIZES
def test_every_card(snap_compare: Any, browsed: sqlite3.Connection, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(browsed), run_before=open_browser, terminal_size=size)


@SIZES
def test_a_search_that_matches_nothing(
    snap_compare: Any, browsed: sqlite3.Connection, size: tuple[int, int]
) -> None:
    async def search(pilot: Pilot[None]) -> None:
        await open_browser(pilot)
        await pilot.press("slash", *"no such card", "enter")

    assert snap_compare(make_app(browsed), run_before=search, terminal_size=size)


@SIZES
def test_filtered_by_deck_and_state(
    snap_compare: Any, browsed: sqlite3.Connection, size: tuple[int, int]
) -> None:
    async def filtered(pilot: Pilot[None]) -> None:
        await open_browser(pilot)
        pilot.app.screen.query_one("#browse-deck", Select).value = "AI 基础"
        pilot.app.screen.query_one("#browse-state", Select).value = "new"
        await pilot.pause()

    assert snap_compare(make_app(browsed), run_before=filtered, terminal_size=size)


@SIZES
def test_a_card_with_its_history(
    snap_compare: Any, browsed: sqlite3.Connection, size: tuple[int, int]
) -> None:
    async def history(pilot: Pilot[None]) -> None:
        await open_browser(pilot)
        table = pilot.app.screen.query_one(CardTable)
        table.move_cursor(table.ids.index(6))
        await pilot.pause()

    assert snap_compare(make_app(browsed), run_before=history, terminal_size=size)


def test_the_edit_dialog_of_a_long_card_keeps_its_keys_in_view(
    snap_compare: Any, conn: sqlite3.Connection
) -> None:
    """At 80x24 a card whose back is longer than the dialog: the keys (Ctrl+S, Escape) stay on top, the
    fields scroll, and an empty tags field says so."""
    long_back = "\n".join(f"第{n}行：一段很长的解释，说明这个术语在不同场景下的用法。" for n in range(1, 15))
    add_deck(conn, "长卡片", [("一个很长的卡片", long_back)])

    async def edit(pilot: Pilot[None]) -> None:
        await open_browser(pilot)
        table = pilot.app.screen.query_one(CardTable)
        table.move_cursor(table.ids.index(6))
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(make_app(conn), run_before=edit, terminal_size=(80, 24))
