"""User settings from config.toml, with clear errors for bad values."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import tzinfo
from pathlib import Path
from typing import Any

from trainer.clock import Calendar, zone_problem
from trainer.errors import TrainerError
from trainer.scheduler.queue import Limits

GRADINGS = ("sm2", "simple")
THEME_ALIASES = {"dark": "textual-dark", "light": "textual-light"}
"""The names the settings file has always taken, for Textual's own two themes."""
TEXTUAL_THEMES = (
    "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe", "catppuccin-latte",
    "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki", "gruvbox", "monokai", "nord",
    "rose-pine", "rose-pine-dawn", "rose-pine-moon", "solarized-dark", "solarized-light", "textual-dark",
    "textual-light", "tokyo-night",
)  # fmt: skip
"""Textual's built-in themes, named here so that reading the settings never imports Textual (~130 ms);
Textual is pinned, and a test keeps this list equal to its own."""
THEMES = (*THEME_ALIASES, *TEXTUAL_THEMES)


def textual_theme(theme: str) -> str:
    """The Textual theme a ``theme`` setting names."""
    return THEME_ALIASES.get(theme, theme)


MAX_PER_DAY = 1_000_000
"""A daily limit above this is no limit at all; the bound keeps every count inside SQLite's 64 bits."""


def _shown(value: object) -> str:
    """A bad value as the error quotes it: short, even for a number with thousands of digits."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "a number beyond 64 bits"
    return text if len(text) <= 60 else text[:57] + "..."


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
    """'dark', 'light' or any Textual theme ('nord', 'gruvbox', ...); the palette's choice is saved here."""

    def calendar(self, zone: tzinfo) -> Calendar:
        """The review days these settings give in ``zone`` (they begin at the day-start hour)."""
        return Calendar(zone, self.day_start_hour)

    @property
    def limits(self) -> Limits:
        """The collection's daily limits."""
        return Limits(self.new_per_day, self.reviews_per_day)

    def validated(self, origin: str) -> Settings:
        """Self if every value is allowed; else a TrainerError naming ``origin`` and the setting."""
        problems = []
        for name in ("new_per_day", "reviews_per_day"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PER_DAY:
                problems.append(
                    f"{name} must be a whole number >= 0 and <= {MAX_PER_DAY:,}, got {_shown(value)}"
                )
        hour = self.day_start_hour
        if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
            problems.append(f"day_start_hour must be a whole number 0-23, got {_shown(hour)}")
        if self.grading not in GRADINGS:
            problems.append(f"grading must be one of {', '.join(GRADINGS)}, got {self.grading!r}")
        if self.theme not in THEMES:
            problems.append(f"theme must be one of {', '.join(THEMES)}, got {self.theme!r}")
        zone: object = self.timezone  # from TOML, it may be any type
        if not isinstance(zone, str):
            problems.append(f"timezone must be text such as 'Europe/Berlin', got {_shown(zone)}")
        elif zone and (problem := zone_problem(zone)):
            problems.append(f"timezone {problem}")
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
        text = path.read_text(encoding="utf-8")
        import tomllib  # off start-up when there is no settings file

        data = tomllib.loads(text)
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:  # TOMLDecodeError, bad UTF-8, ints of >4300 digits
        raise TrainerError(f"{path}: cannot read settings: {error}") from error
    known = {field.name for field in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise TrainerError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    return Settings(**data).validated(str(path))


def save_theme(path: Path, theme: str) -> None:
    """Set ``theme`` in the settings file at ``path`` (created if absent), keeping every other line as
    the user wrote it; the file is replaced atomically, and only if the result still reads back."""
    import re
    import tomllib

    if theme not in THEMES:
        raise TrainerError(f"{path}: theme must be one of {', '.join(THEMES)}, got {theme!r}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, ValueError) as error:
        raise TrainerError(f"{path}: cannot read settings: {error}") from error
    line = f'theme = "{theme}"'
    text, found = re.subn(r"(?m)^[ \t]*theme[ \t]*=.*$", line, text, count=1)
    if not found:
        text += ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    try:
        if tomllib.loads(text).get("theme") != theme:
            raise ValueError("the theme line is not where it can be replaced")
    except ValueError as error:
        raise TrainerError(f"{path}: cannot save the theme: {error}") from error
    from trainer.safe_files import atomic_files

    # A settings file linked from a dotfiles folder stays linked: the file it names is replaced.
    with atomic_files([path.resolve()]) as (stream,):
        stream.write(text)
