"""Shared fixtures: every test runs with its own config and data paths, a pinned zone and no pinned clock."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from trainer.decks.model import Card, Deck
from trainer.store.db import connect, transaction
from trainer.store.decks import upsert_deck

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

# A busy 2-core CI machine must not fail a property on timing, and a CI run must be reproducible:
# there the examples are derived from each test (run locally to explore new ones).
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's own config, database and clock out of the tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TRAINER_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("TRAINER_DB", str(home / "trainer.db"))
    monkeypatch.setenv("TRAINER_TZ", "Europe/Berlin")
    monkeypatch.delenv("TRAINER_NOW", raising=False)


def sample_deck(name: str = "Sample", size: int = 5) -> Deck:
    """A small deck with predictable ids k0..kN, fronts 'front N' and backs 'back N'."""
    cards = tuple(
        Card(id=f"k{n}", front=f"front {n}", back=f"back {n}", tags=("t",), source=f"notes.md:{n + 1}")
        for n in range(size)
    )
    return Deck(name=name, cards=cards, description="test deck", source="notes.md")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "trainer.db"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A migrated database holding the sample deck."""
    connection = connect(db_path)
    with transaction(connection):
        upsert_deck(connection, sample_deck())
    yield connection
    connection.close()
