"""One way to build the app for Pilot and snapshot tests: a real database, a pinned clock."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from trainer.clock import parse_now, resolve_zone
from trainer.config import Settings
from trainer.decks.model import Card, Deck
from trainer.store.db import transaction
from trainer.store.decks import upsert_deck
from trainer.tui.app import TrainerApp

NOW = "2026-11-22T10:00:00+01:00"
ZONE = resolve_zone("Europe/Berlin")


class Clock:
    """A pinned clock that a test can move forward."""

    def __init__(self, now: str = NOW) -> None:
        self.now = parse_now(now, ZONE)

    def __call__(self) -> datetime:
        return self.now


def make_app(
    conn: sqlite3.Connection,
    clock: Clock | None = None,
    deck_id: int | None = None,
    settings_file: Path | None = None,
    **settings: Any,
) -> TrainerApp:
    return TrainerApp(conn, Settings(**settings), ZONE, clock or Clock(), deck_id, settings_file)


def add_deck(
    conn: sqlite3.Connection, name: str, cards: list[tuple[str, str]], tags: tuple[str, ...] = ()
) -> int:
    """Store a deck of (front, back) cards; returns its id."""
    deck = Deck(
        name=name,
        cards=tuple(
            Card(id=f"c{n}", front=front, back=back, tags=tags, source=f"{name}.md:{n + 1}")
            for n, (front, back) in enumerate(cards)
        ),
    )
    with transaction(conn):
        upsert_deck(conn, deck)
    return int(conn.execute("SELECT id FROM decks WHERE name = ?", (name,)).fetchone()[0])
