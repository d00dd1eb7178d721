"""Showing the next card lays the screen out again only when a region's size changes: a front of more
lines gets its room at once, a back of the same lines does not move anything."""

from __future__ import annotations

import sqlite3

from tests.support import add_deck
from tests.tui.factory import make_app
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.widgets.card_text import CardText


async def test_a_taller_or_shorter_front_gets_its_lines_at_once(conn: sqlite3.Connection) -> None:
    deck = add_deck(conn, "Shapes", [("one line", "a"), ("line 1\nline 2\nline 3", "b"), ("short", "c")])
    app = make_app(conn, deck_id=deck)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        front = screen.query_one("#front", CardText)
        assert front.size.height == 1
        await pilot.press("space", "5")
        await pilot.pause()
        assert front.text.startswith("line 1") and front.size.height == 3
        await pilot.press("space", "5")
        await pilot.pause()
        assert front.text == "short" and front.size.height == 1


async def test_showing_and_answering_cards_of_one_shape_lays_nothing_out(conn: sqlite3.Connection) -> None:
    """The answer and the grades are concealed in place and every line keeps its size: once the first
    reveal has sized the grades, a key repaints and never lays the screen out again."""
    deck = add_deck(conn, "Shapes", [(f"front {n}", f"back {n}") for n in range(6)])
    app = make_app(conn, deck_id=deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app.screen, layouts.append, immediate=True)
        for _ in range(4):
            await pilot.press("space")
            await pilot.pause()
            await pilot.press("4")
            await pilot.pause()
        front = app.screen.query_one("#front", CardText)
        assert front.text == "front 5" and layouts == []
