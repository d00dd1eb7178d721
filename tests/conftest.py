"""Shared fixtures: every test runs with its own config and data paths, a pinned zone and no pinned clock.

Plain helpers (``NOW``, ``ZONE``, ``Clock``, deck and history builders) are in ``tests/support.py``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.support import ZONE_NAME, Runner, sample_deck, store_deck
from trainer.store.db import connect

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
    monkeypatch.setenv("TRAINER_TZ", ZONE_NAME)
    monkeypatch.delenv("TRAINER_NOW", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "trainer.db"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A migrated database holding the sample deck."""
    connection = connect(db_path)
    store_deck(connection, sample_deck())
    yield connection
    connection.close()


@pytest.fixture
def run(db_path: Path) -> Runner:
    """The CLI on ``db_path`` at ``NOW``: ``run("due", "--json")`` gives click's ``Result``."""
    return Runner(db_path)
