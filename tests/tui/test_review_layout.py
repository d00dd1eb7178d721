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
