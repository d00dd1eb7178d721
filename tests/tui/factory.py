"""One way to build the app for Pilot and snapshot tests: a collection on a real database, a pinned clock."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.support import Clock, collection
from trainer.tui.app import TrainerApp


def make_app(
    conn: sqlite3.Connection,
    clock: Clock | None = None,
    deck_id: int | None = None,
    settings_file: Path | None = None,
    **settings: Any,
) -> TrainerApp:
    return TrainerApp(collection(conn, clock, **settings), deck_id, settings_file)
