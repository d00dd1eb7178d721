"""Where the trainer keeps its files. Nothing is created at import; callers create lazily."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "trainer"


def default_db_path() -> Path:
    """``$TRAINER_DB`` if set, else trainer.db in the platform's user data directory."""
    override = os.environ.get("TRAINER_DB")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP)) / "trainer.db"


def config_path() -> Path:
    """``$TRAINER_CONFIG`` if set, else config.toml in the platform's user config directory."""
    override = os.environ.get("TRAINER_CONFIG")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP)) / "config.toml"
