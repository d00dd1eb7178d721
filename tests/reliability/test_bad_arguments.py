"""Hostile arguments, settings and environments through the real `python -m trainer` process.

Each is one clear line on stderr and a non-zero exit (or, for output the terminal cannot encode, the
output as escapes), never a traceback, and the database is left as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.tally import TALLY
from tests.reliability.workspace import digest
from tests.support import NOW

HUGE = str(2**64)
"""Beyond SQLite's 64-bit integers."""


class Trainer:
    """A database with the bundled decks and one Chinese card, and a way to run the trainer on it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "trainer.db"
        self.config = root / "config.toml"
        (root / "zh.csv").write_text("中文,Chinese\n", encoding="utf-8")
        assert self.run("import", "zh.csv").returncode == 0

    def run(self, *args: str | bytes, **env: str | bytes) -> subprocess.CompletedProcess[bytes]:
        environment: dict[str, str | bytes] = {
            **os.environ,
            "TRAINER_DB": str(self.db),
            "TRAINER_CONFIG": str(self.config),
            "TRAINER_NOW": NOW,
            **env,
        }
        command: list[str | bytes] = [sys.executable, "-m", "trainer", *args]
        return subprocess.run(
            command,
            capture_output=True,
            timeout=120,
            cwd=self.root,
            env=environment,
        )

    def refuses(self, *args: str | bytes, says: str, **env: str | bytes) -> None:
        before = digest(self.db)
        result = self.run(*args, **env)
        errors = result.stderr.decode("utf-8", "backslashreplace")
        assert result.returncode != 0, errors
        assert "Traceback" not in errors, errors
        assert errors.count("\n") == 1 or errors.startswith("Usage:"), errors
        assert says in errors.splitlines()[-1], errors
        assert digest(self.db) == before
        TALLY["attacks"] += 1


@pytest.fixture(scope="module")
def trainer(tmp_path_factory: pytest.TempPathFactory) -> Trainer:
    return Trainer(tmp_path_factory.mktemp("arguments"))


@pytest.mark.parametrize(
    "now",
    [
        "0001-01-01T00:00",
        "0001-01-01T00:00+14:00",
        "9999-12-31T23:59",
        "9999-12-31T23:59-14:00",
        "1899-12-31",
    ],
)
def test_now_far_from_today(trainer: Trainer, now: str) -> None:
    trainer.refuses("due", says="is outside the years 1900-9800", TRAINER_NOW=now)
    trainer.refuses("--now", now, "grade", "1", "3", says="is outside the years 1900-9800")


@pytest.mark.parametrize(
    "zone",
    [
        "/etc/passwd",
        "Europe/Berlin2",
        "../../../../etc/passwd",
        "Europe",
        "zone.tab",
        "EST+5",
        "UTC-2",
        "utc",
    ],
)
def test_time_zones_that_are_not_iana_names(trainer: Trainer, zone: str) -> None:
    trainer.refuses("--tz", zone, "due", says="time zone")
    trainer.refuses("due", says="time zone", TRAINER_TZ=zone)


@pytest.mark.parametrize(
    "setting", ['timezone = "/etc/passwd"', 'timezone = "Europe/Berlin2"', "timezone = 5"]
)
def test_time_zones_in_the_settings_file(trainer: Trainer, tmp_path: Path, setting: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(setting + "\n", encoding="utf-8")
    trainer.refuses("due", says=f"{config}: timezone", TRAINER_CONFIG=str(config), TRAINER_TZ="")


def test_iana_names_and_utc_are_accepted(trainer: Trainer) -> None:
    for zone in ("UTC", "Asia/Shanghai", "America/Argentina/Buenos_Aires", "Etc/GMT+2"):
        result = trainer.run("--tz", zone, "due", "--json")
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["grade", HUGE, "5"], "is not in the range"),
        (["grade", "--", "-" + HUGE, "5"], "is not in the range"),
        (["suspend", "1", HUGE], "is not in the range"),
        (["suspend", "--undo", HUGE], "is not in the range"),
        (["--new-per-day", HUGE, "due"], "new_per_day must be a whole number"),
        (["--reviews-per-day", HUGE, "decks"], "reviews_per_day must be a whole number"),
        (["--day-start-hour", HUGE, "due"], "day_start_hour must be a whole number 0-23"),
        (["stats", "--days", HUGE], "is not in the range"),
        (["export", "stats", "--format", "json", "--days", HUGE], "is not in the range"),
        (["grade", "9" * 5000, "5"], "is not a valid integer"),
    ],
    ids=lambda value: " ".join(value)[:40] if isinstance(value, list) else None,
)
def test_integers_beyond_64_bits_in_arguments(trainer: Trainer, args: list[str], says: str) -> None:
    trainer.refuses(*args, says=says)


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        (f"new_per_day = {HUGE}", "new_per_day must be a whole number >= 0 and <= 1,000,000"),
        (f"reviews_per_day = {HUGE}", "reviews_per_day must be a whole number"),
        (f"day_start_hour = {HUGE}", "day_start_hour must be a whole number 0-23"),
        ("new_per_day = " + "9" * 5000, "cannot read settings"),
    ],
    ids=["new_per_day", "reviews_per_day", "day_start_hour", "5000 digits"],
)
def test_integers_beyond_64_bits_in_settings(
    trainer: Trainer, tmp_path: Path, setting: str, says: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(setting + "\n", encoding="utf-8")
    trainer.refuses("decks", says=says, TRAINER_CONFIG=str(config))


@pytest.mark.parametrize(
    "encoding", ["rot13", "base64", "punycode", "idna", "hex", "zlib", "uu", "undefined", "unicode_escape"]
)
def test_encodings_that_are_not_text_codecs(trainer: Trainer, encoding: str) -> None:
    trainer.refuses("import", "zh.csv", "--encoding", encoding, says="is not a character encoding for text")


@pytest.mark.parametrize(
    "args",
    [
        [b"import", b"\xff.csv"],
        [b"--db", b"\xff.db", b"decks"],
        [b"export", b"deck", b"zh", b"-o", b"\xff.yaml"],
        [b"build", b"\xfe.md"],
        [b"backup", b"-o", b"\xfe.db"],
        [b"restore", b"\xfe.db"],
    ],
    ids=["import", "db", "export", "build", "backup", "restore"],
)
def test_file_names_that_are_not_utf8(trainer: Trainer, args: list[bytes]) -> None:
    (trainer.root / os.fsdecode(b"\xff.csv")).write_bytes(b"hola,hello\n")
    (trainer.root / os.fsdecode(b"\xfe.md")).write_bytes(b"**Term**: text\n")
    trainer.refuses(*args, says="not valid UTF-8")


def test_a_database_path_that_is_not_utf8_in_the_environment(trainer: Trainer) -> None:
    trainer.refuses("decks", says="not valid UTF-8", TRAINER_DB=os.fsencode(trainer.root) + b"/\xff.db")


@pytest.mark.parametrize(
    "args",
    [["due"], ["due", "--json"], ["decks"], ["export", "deck", "zh", "-o", "zh.yaml"], ["stats"]],
    ids=" ".join,
)
def test_chinese_card_text_on_a_latin1_terminal(trainer: Trainer, args: list[str]) -> None:
    result = trainer.run(*args, PYTHONIOENCODING="latin-1")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    assert b"\\u" in result.stdout or "zh.yaml" in args  # the Chinese as escapes
    TALLY["attacks"] += 1


def test_an_error_quoting_chinese_on_a_latin1_terminal(trainer: Trainer) -> None:
    trainer.refuses(
        "due", "--deck", "无此", says="no deck named '\\u65e0\\u6b64'", PYTHONIOENCODING="latin-1"
    )


@pytest.mark.parametrize(
    "name",
    ["two\nlines", "bell\x07", "esc\x1b[31mred", "\u202eevil", "line\u2028separator", "   ", "tab\tname"],
)
def test_deck_names_with_control_characters(trainer: Trainer, name: str) -> None:
    """A newline in a deck name forged rows in `trainer decks`."""
    trainer.refuses("import", "zh.csv", "--deck", name, says="--deck: ")
