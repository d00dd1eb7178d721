"""The day's first open backs up after the first frame, in a thread, never before the first card."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from tests.support import ZONE, Clock, add_deck
from trainer.collection import Collection
from trainer.config import Settings
from trainer.store.backup import list_daily_backups
from trainer.tui.app import TrainerApp
from trainer.tui.screens.review import ReviewScreen


async def test_the_daily_backup_runs_after_the_first_card_is_shown(tmp_path: Path) -> None:
    db_path = tmp_path / "trainer.db"
    with closing(Collection.open(db_path, Settings(), ZONE, Clock(), back_up=False)) as collection:
        deck = add_deck(collection.conn, "Deck", [("q", "a")])
        app = TrainerApp(collection, deck)
        assert list_daily_backups(db_path) == []  # nothing copied on the way to the screen
        async with app.run_test() as pilot:
            assert isinstance(app.screen, ReviewScreen)
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert [path.name for path in list_daily_backups(db_path)] == ["trainer-daily-2026-11-22.db"]
            await pilot.press("space", "5")  # the review goes on as before
        assert collection.review_count() == 1


def test_opening_the_collection_backs_up_at_once_by_default(tmp_path: Path) -> None:
    with closing(Collection.open(tmp_path / "trainer.db", Settings(), ZONE, Clock())):
        assert len(list_daily_backups(tmp_path / "trainer.db")) == 1
