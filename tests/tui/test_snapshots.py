"""Snapshots of every visual state: deck list, question, answer, summary, help. Pinned clock, 100x30."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tests.support import add_deck
from tests.tui.factory import make_app

SIZE = (100, 30)
CARDS = [
    (
        "什么是梯度下降（gradient descent）？",
        "一种一阶迭代优化算法：沿着损失函数梯度的反方向更新参数，步长由学习率（learning rate）决定。"
        "学习率太大会发散，太小则收敛很慢。",
    ),
    (
        "What does the softmax function compute?",
        "A probability distribution over classes: exp(z_i) / Σ exp(z_j).",
    ),
    ("过拟合 (overfitting)", "模型在训练集上表现很好，但在新数据上表现差。"),
]


@pytest.fixture
def snap_conn(conn: sqlite3.Connection) -> sqlite3.Connection:
    add_deck(conn, "AI 基础", CARDS, tags=("ml", "优化"))
    return conn


def test_deck_list(snap_compare: Any, snap_conn: sqlite3.Connection) -> None:
    assert snap_compare(make_app(snap_conn), terminal_size=SIZE)


def test_question(snap_compare: Any, snap_conn: sqlite3.Connection) -> None:
    assert snap_compare(make_app(snap_conn), press=["down", "enter"], terminal_size=SIZE)


def test_answer(snap_compare: Any, snap_conn: sqlite3.Connection) -> None:
    assert snap_compare(make_app(snap_conn), press=["down", "enter", "space"], terminal_size=SIZE)


def test_answer_simple_grading_light(snap_compare: Any, snap_conn: sqlite3.Connection) -> None:
    app = make_app(snap_conn, grading="simple", theme="light")
    assert snap_compare(app, press=["down", "enter", "space"], terminal_size=SIZE)


def test_summary(snap_compare: Any, snap_conn: sqlite3.Connection) -> None:
    press = ["down", "enter", "space", "5", "space", "2", "space", "4", "q"]
    assert snap_compare(make_app(snap_conn), press=press, terminal_size=SIZE)


def test_help(snap_compare: Any, snap_conn: sqlite3.Connection) -> None:
    assert snap_compare(make_app(snap_conn), press=["down", "enter", "question_mark"], terminal_size=SIZE)


def test_nothing_due(snap_compare: Any, snap_conn: sqlite3.Connection) -> None:
    snap_conn.execute(
        "UPDATE cards SET repetitions = 1, interval = 6, due_day = '2026-11-25', last_day = '2026-11-19'"
    )
    assert snap_compare(make_app(snap_conn), terminal_size=SIZE)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_answer_small_terminal(
    snap_compare: Any, snap_conn: sqlite3.Connection, size: tuple[int, int]
) -> None:
    """Every grade with its whole interval: two columns at 80x24, one at 60x20."""
    assert snap_compare(make_app(snap_conn), press=["down", "enter", "space"], terminal_size=size)
