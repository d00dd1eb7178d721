"""The day's first open backs up after the first frame, in a thread, never before the first card."""

from __future__ import annotations

from pathlib import Path

from tests.tui.factory import ZONE, Clock, add_deck
from trainer.cli import Context, backup_today
from trainer.config import Settings
from trainer.store.backup import list_daily_backups
from trainer.tui.app import TrainerApp
from trainer.tui.screens.review import ReviewScreen


async def test_the_daily_backup_runs_after_the_first_card_is_shown(tmp_path: Path) -> None:
    db_path = tmp_path / "trainer.db"
    context = Context(db_path, Settings(), ZONE, Clock())
    conn = context.conn(backup=False)
    deck = add_deck(conn, "Deck", [("q", "a")])
    app = TrainerApp(conn, context.settings, ZONE, context.clock, deck, None, backup_today(context))
    assert list_daily_backups(db_path) == []  # nothing copied on the way to the screen
    async with app.run_test() as pilot:
        assert isinstance(app.screen, ReviewScreen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert [path.name for path in list_daily_backups(db_path)] == ["trainer-daily-2026-11-22.db"]
        await pilot.press("space", "5")  # the review goes on as before
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1


def test_cli_commands_still_back_up_on_opening(tmp_path: Path) -> None:
    context = Context(tmp_path / "trainer.db", Settings(), ZONE, Clock())
    context.conn()
    assert len(list_daily_backups(context.db_path)) == 1
