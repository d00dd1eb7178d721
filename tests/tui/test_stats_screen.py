"""The stats screen: snapshots at 80x24 and 120x40 over a known review log, keys, literal deck names."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest
from textual.app import App

from tests.support import build_log, collection, sample_deck, store_deck
from tests.tui.factory import make_app
from trainer.tui.screens.stats import StatsScreen
from trainer.tui.widgets.bars import ColumnChart, ShareBars
from trainer.tui.widgets.heatmap import Heatmap, level, level_ranges

MARKUP_NAME = "[bold red]not bold[/] \x1b[2J"


class Host(App[None]):
    """The stats screen on its own, over a blank screen it goes back to."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self.conn = conn

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(collection(self.conn)))


@pytest.fixture
def log(conn: sqlite3.Connection) -> sqlite3.Connection:
    build_log(conn)
    store_deck(conn, sample_deck(MARKUP_NAME, 1))
    return conn


def test_snapshot_80x24(snap_compare: Any, log: sqlite3.Connection) -> None:
    assert snap_compare(Host(log), terminal_size=(80, 24))


def test_snapshot_120x40(snap_compare: Any, log: sqlite3.Connection) -> None:
    assert snap_compare(Host(log), terminal_size=(120, 40))


async def test_escape_and_q_go_back(log: sqlite3.Connection) -> None:
    for key in ("escape", "q"):
        app = Host(log)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, StatsScreen)
            await pilot.press(key)
            assert not isinstance(app.screen, StatsScreen)


async def test_s_on_the_deck_list_opens_it(log: sqlite3.Connection) -> None:
    app = make_app(log)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


async def test_deck_names_are_shown_literally(log: sqlite3.Connection) -> None:
    app = Host(log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = app.screen.query_one(ShareBars).render().plain.splitlines()
    assert lines[0].startswith("Other ")
    assert lines[2].startswith("[bold red]not bold[…  ")  # clipped to 20 cells, markup kept as typed
    assert "\x1b" not in "".join(lines)


async def test_heatmap_marks_each_day_with_answers(log: sqlite3.Connection) -> None:
    app = Host(log)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = app.screen.query_one(Heatmap).render().plain
    rows = text.splitlines()
    assert len(rows) == 9  # months, Monday .. Sunday, the legend
    assert sum(row.count("■") for row in rows[:8]) == 18  # the 18 review days of the log
    assert rows[7].rstrip().endswith("■")  # today, Sunday 2026-11-22, in the last column


async def test_heatmap_has_a_legend_of_what_each_shade_means(log: sqlite3.Connection) -> None:
    app = Host(log)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        legend = app.screen.query_one(Heatmap).render().plain.splitlines()[-1].split()
    assert legend == ["answers", "a", "day:", "·", "none", "■", "1", "■", "2"]  # the busiest day had 2


@pytest.mark.parametrize("most", [1, 2, 3, 4, 5, 7, 10, 99, 1000])
def test_legend_ranges_are_the_levels(most: int) -> None:
    ranges = level_ranges(most)
    for count in range(1, most + 1):
        [shade] = [shade for shade, fewest, highest in ranges if fewest <= count <= highest]
        assert shade == level(count, most)


async def test_forecast_axis_marks_today_and_dates_with_their_month(log: sqlite3.Connection) -> None:
    for size in ((80, 24), (120, 40)):
        app = Host(log)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            chart = app.screen.query_one("#forecast", ColumnChart)
            *_, line, axis = chart.render().plain.splitlines()
        labels = re.findall(r"▲ today|\d+ [A-Z][a-z]{2}", axis)
        assert labels[0] == "▲ today" and axis.index("▲") == line.index("└") + 1  # under today's column
        assert labels[1:] == ["29 Nov", "6 Dec", "13 Dec", "20 Dec"], axis


@pytest.mark.parametrize(("count", "most", "expected"), [(0, 9, 0), (1, 100, 1), (50, 100, 2), (100, 100, 4)])
def test_heatmap_levels(count: int, most: int, expected: int) -> None:
    assert level(count, most) == expected
