"""After the first frame the app brings registered notes in step, in a thread: one line says how, and
the deck list shows the notes' deck; a database the sync cannot use is only a warning."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import DataTable
from textual.widgets._toast import Toast

from tests.support import EMBEDDING, ZONE, Clock, collection, note, write
from tests.tui.factory import make_app
from trainer.collection import Collection
from trainer.config import Settings
from trainer.tui.app import TrainerApp
from trainer.tui.screens.decks import DecksScreen


def toasts(app: TrainerApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


def deck_names(app: TrainerApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_registered_notes_sync_after_the_first_frame(conn: sqlite3.Connection, tmp_path: Path) -> None:
    notes = write(tmp_path / "ai.md", note(("embedding", EMBEDDING)))
    collection(conn).add_notes([notes])
    app = make_app(conn)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        assert isinstance(app.screen, DecksScreen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(line.startswith("notes: 1 new in") for line in toasts(app)), toasts(app)
        assert len(deck_names(app)) == 3  # all decks, Sample, and the notes' deck
    assert conn.execute("SELECT COUNT(*) FROM cards WHERE front = 'embedding'").fetchone()[0] == 1


async def test_a_database_the_sync_cannot_open_is_a_warning(conn: sqlite3.Connection, tmp_path: Path) -> None:
    collection(conn).add_notes([write(tmp_path / "ai.md", note(("embedding", EMBEDDING)))])
    garbage = write(tmp_path / "garbage.db", "not a database " * 100)
    app = TrainerApp(Collection(conn, garbage, Settings(), ZONE, Clock()))  # its threads open garbage.db
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [line for line in toasts(app) if line.startswith("Notes not synced: ")], toasts(app)
        assert len(deck_names(app)) == 2  # the deck list is as it was
