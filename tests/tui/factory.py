"""One way to build the app for Pilot and snapshot tests: a collection on a real database, a pinned clock."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.support import ZONE, Clock
from trainer.collection import Collection
from trainer.config import Settings
from trainer.store.backup import database_path
from trainer.tui.app import TrainerApp


def make_collection(conn: sqlite3.Connection, clock: Clock | None = None, **settings: Any) -> Collection:
    """The collection on the test's own connection, so what the screens write is what the test reads."""
    return Collection(conn, database_path(conn), Settings(**settings), ZONE, clock or Clock())


def make_app(
    conn: sqlite3.Connection,
    clock: Clock | None = None,
    deck_id: int | None = None,
    settings_file: Path | None = None,
    **settings: Any,
) -> TrainerApp:
    return TrainerApp(make_collection(conn, clock, **settings), deck_id, settings_file)
