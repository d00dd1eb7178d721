"""Card text is data: markup, escape sequences, controls and bidi tricks reach the terminal as visible text.

Every command that prints card or deck text is run on a deck built to attack the terminal, as plain
output, as forced-colour output (Rich may add its own styles, nothing else) and as JSON.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import Result

from tests.support import invoke
from trainer.decks.model import Card, Deck
from trainer.store.db import transaction
from trainer.store.decks import upsert_deck

DECK = "[red]Deck[/red]\x1b]0;deck title\x07中文"
FRONTS = {
    "markup": "[red]x[/red] [bold link=https://evil.example]click[/]",
    "osc_title": "\x1b]0;pwned\x07",
    "csi_colour": "\x1b[31mred\x1b[0m \x9b2J",
    "hyperlink": "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "controls": "bell\x07 back\x08 cr\r nul\x00 del\x7f",
    "bidi": "\u202eevil\u202c \u2067isolate\u2069",
    "invisible": "zero\u200bwidth\u200djoiner\u200f",
    "wide": "学习中文 😀👍🏽",
}
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RICH_STYLE = re.compile(r"\x1b\[[0-9;]*m")
"""Select Graphic Rendition: the only sequence Rich itself may write, and only when forced to colour."""


@pytest.fixture
def hostile_db(db_path: Path, conn: sqlite3.Connection) -> Path:
    cards = tuple(Card(id=key, front=front, back=f"back of {key}\x1b[2J") for key, front in FRONTS.items())
    with transaction(conn):
        upsert_deck(conn, Deck(name=DECK, cards=cards))
    return db_path


def run(db_path: Path, *args: str, colour: bool = False) -> Result:
    wide = {"COLUMNS": "200"}  # so Rich does not wrap the long deck name in its table
    env = wide | ({"FORCE_COLOR": "1", "TERM": "xterm-256color"} if colour else {"NO_COLOR": "1"})
    return invoke(db_path, *args, env=env)


def assert_safe(text: str) -> None:
    """Nothing a terminal would act on, whatever wrote it."""
    leaked = UNSAFE.findall(RICH_STYLE.sub("", text))
    assert not leaked, f"raw control characters reached the terminal: {leaked!r}"


@pytest.mark.parametrize(
    "args",
    [("due",), ("due", "--deck", DECK), ("decks",), ("stats",), ("stats", "--deck", DECK)],
    ids=["due", "due-deck", "decks", "stats", "stats-deck"],
)
@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_text_is_shown_literally(hostile_db: Path, args: tuple[str, ...], colour: bool) -> None:
    result = run(hostile_db, *args, colour=colour)
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    shown = RICH_STYLE.sub("", result.output)
    assert r"[red]Deck[/red]\x1b]0;deck title\x07中文" in shown  # markup kept as text, escapes visible
    if args[0] == "due":
        assert "[red]x[/red] [bold link=https://evil.example]click[/]" in shown
        assert r"\x1b]0;pwned\x07" in shown
        assert r"\x1b[31mred\x1b[0m \x9b2J" in shown
        assert r"bell\x07 back\x08 cr\x0d nul\x00 del\x7f" in shown
        assert r"\u202eevil\u202c \u2067isolate\u2069" in shown
        assert "学习中文 😀👍🏽" in shown and "zero\u200bwidth" in shown


def test_columns_line_up_with_wide_characters(hostile_db: Path) -> None:
    from rich.cells import cell_len

    lines = run(hostile_db, "decks").output.splitlines()
    assert len({cell_len(line) for line in lines}) == 1


@pytest.mark.parametrize("command", ["due", "decks", "stats"])
def test_json_is_safe_and_exact(hostile_db: Path, command: str) -> None:
    result = run(hostile_db, command, "--json")
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    data = json.loads(result.output)
    if command == "due":
        assert {item["front"] for item in data if item["deck"] == DECK} == set(FRONTS.values())
    elif command == "decks":
        assert DECK in {item["name"] for item in data}


def test_error_lines_escape_what_they_quote(hostile_db: Path, tmp_path: Path) -> None:
    """An unknown deck lists the known ones; a bad file is named: both may carry escapes."""
    unknown = run(hostile_db, "due", "--deck", "\x1b]0;nope\x07")
    assert unknown.exit_code == 1
    assert_safe(unknown.stderr)
    assert r"\x1b]0;deck title\x07" in unknown.stderr and unknown.stderr.count("\n") == 1
    bad = tmp_path / "\x1b]0;pwned\x07.csv"
    bad.write_text("lonely\n", encoding="utf-8")
    refused = run(hostile_db, "import", str(bad))
    assert refused.exit_code == 1
    assert_safe(refused.stderr)
    assert r"\x1b]0;pwned\x07.csv:1: expected a front and a back" in refused.stderr
