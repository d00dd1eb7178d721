"""`trainer review DECK` opens the session alone (no deck list made first, for the fastest first card);
the deck list appears when the session ends, and a deck with nothing due opens on the deck list."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable

from tests.support import collection
from tests.tui.factory import make_app
from trainer.tui.screens.decks import DecksScreen
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.screens.summary import SummaryScreen

SIZE = (100, 30)


async def test_a_session_opened_on_a_deck_ends_on_the_deck_list(conn: sqlite3.Connection) -> None:
    app = make_app(conn, deck_id=1)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ReviewScreen)
        assert not any(isinstance(screen, DecksScreen) for screen in app.screen_stack)
        await pilot.press("q")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, DecksScreen)
        assert app.screen.query_one(DataTable).row_count == 2  # all decks, then the sample deck
        await pilot.press("enter")  # and it starts sessions as ever
        assert isinstance(app.screen, ReviewScreen)


async def test_a_deck_with_nothing_due_opens_on_the_deck_list_with_a_notice(conn: sqlite3.Connection) -> None:
    collection(conn).curation.suspend([1, 2, 3, 4, 5])
    app = make_app(conn, deck_id=1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DecksScreen)
        assert [note.title for note in app._notifications] == ["All done"]
