"""User settings from config.toml, with clear errors for bad values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError

GRADINGS = ("sm2", "simple")
THEMES = ("dark", "light")


@dataclass(frozen=True)
class Settings:
    """What a user can tune, in config.toml or with CLI flags."""

    new_per_day: int = 20
    """New cards introduced per day (Anki's default)."""
    reviews_per_day: int = 200
    """Review cards shown per day at most."""
    day_start_hour: int = 4
    """Local hour at which a new review day begins, so late-night sessions count as the day before."""
    timezone: str = ""
    """An IANA zone such as Europe/Berlin; empty means the system's local zone."""
    grading: str = "sm2"
    """'sm2' for the six grades 0-5, 'simple' for forgot / hard / good / easy."""
    theme: str = "dark"
    """'dark' or 'light'."""

    def validated(self, origin: str) -> Settings:
        """Self if every value is allowed; else a TrainerError naming ``origin`` and the setting."""
        problems = []
        for name in ("new_per_day", "reviews_per_day"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(f"{name} must be a whole number >= 0, got {value!r}")
        hour = self.day_start_hour
        if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
            problems.append(f"day_start_hour must be a whole number 0-23, got {hour!r}")
        if self.grading not in GRADINGS:
            problems.append(f"grading must be one of {', '.join(GRADINGS)}, got {self.grading!r}")
        if self.theme not in THEMES:
            problems.append(f"theme must be one of {', '.join(THEMES)}, got {self.theme!r}")
        if self.timezone:
            from dateutil import tz

            if tz.gettz(self.timezone) is None:
                problems.append(f"timezone {self.timezone!r} is not a known time zone")
        if problems:
            raise TrainerError(f"{origin}: {problems[0]}")
        return self

    def overridden(self, **values: Any) -> Settings:
        """A copy with the given values (None means 'not given'), validated."""
        given = {name: value for name, value in values.items() if value is not None}
        return replace(self, **given).validated("command line")


def load_settings(path: Path) -> Settings:
    """Settings from ``path``; defaults where the file or a key is absent."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TrainerError(f"{path}: cannot read settings: {error}") from error
    known = {field.name for field in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise TrainerError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    return Settings(**data).validated(str(path))
