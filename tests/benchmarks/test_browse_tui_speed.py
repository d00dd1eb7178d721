"""The card browser in a real pseudo-terminal at 120x40: ``b`` to the first frame of the table, and each
search keystroke to the frame whose count line says how many cards match now.

The search types a card mark's digits one at a time (``Q00`` + ``1``, ``2``, …: 10,000, 1,000, … 1 cards
at 100k), then deletes them again, so every keystroke changes the count the frame shows. The figures
are set against the issue's targets (150 ms to open, 50 ms per keystroke, median); nothing asserts on
wall-clock time. 10,000 cards unless TRAINER_BENCH_FULL is set (100k cards, 1M reviews).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

from tests.benchmarks import FULL, versus
from tests.benchmarks.collections import collection
from tests.benchmarks.pty_driver import PtyProgram
from tests.support import NOW, ZONE_NAME
from trainer.tui.screens.browse import PAGE

pytestmark = pytest.mark.benchmark

CARDS = 100_000 if FULL else 10_000
REVIEWS = CARDS * 10
OPEN_TARGET_MS = 150.0
KEY_TARGET_MS = 50.0
READING = 0.1
"""A person's pause between seeing a frame and pressing the next key."""
BACKSPACE = "\x7f"


def count_line(cards: int) -> str:
    """The browser's count line for ``cards`` matches, as drawn."""
    if cards > PAGE:
        return f"{cards} cards (first {PAGE} shown)"
    return "1 card" if cards == 1 else f"{cards} cards"


def test_open_the_browser_and_search_as_you_type(tmp_path: Path) -> None:
    db = collection(tmp_path, CARDS, REVIEWS)
    digits = len(str(CARDS - 1))  # the marks' digits that vary: Q0000000 … Q0099999 at 100k
    prefix = "Q" + "0" * (7 - digits)
    env = {"TRAINER_CONFIG": str(tmp_path / "config.toml"), "TRAINER_NOW": NOW, "TRAINER_TZ": ZONE_NAME}
    program = PtyProgram([sys.executable, "-m", "trainer", "--db", str(db)], env)
    try:
        program.wait_for("All decks")
        program.drain(2.0)  # the day's backup and the notes sync run after the first frame
        opens = []
        for _ in range(3 if FULL else 2):
            sent = program.send("b")
            opens.append(program.wait_for(count_line(CARDS)) - sent)
            program.drain(READING)
            program.send("\x1b")  # Escape: back to the deck list
            program.wait_for("All decks")
            program.drain(0.5)  # Escape's own wait for a sequence, then a person's pause
        program.send("b")
        program.wait_for(count_line(CARDS))
        program.send("/" + prefix)
        program.wait_for(count_line(CARDS))
        program.drain(READING)
        keys = []
        for typed in ("12345", "98765"):
            typed = typed[:digits]
            counts = [CARDS // 10**n for n in range(1, digits + 1)]
            steps = list(zip(typed, counts, strict=True))
            steps += list(zip(BACKSPACE * digits, [*reversed(counts[:-1]), CARDS], strict=True))
            for pressed, expected in steps:
                sent = program.send(pressed)
                keys.append(program.wait_for(count_line(expected)) - sent)
                program.drain(READING)
    finally:
        program.close()
    opened, narrowed = statistics.median(opens) * 1000, statistics.median(keys) * 1000
    print(
        f"\nbrowser over {CARDS:,} cards in a pty at 120x40: b -> table median"
        f" {versus(opened, OPEN_TARGET_MS, 'target', 'ms', 1)}; {len(keys)} search keystrokes -> narrowed"
        f" table median {versus(narrowed, KEY_TARGET_MS, 'target', 'ms', 1)},"
        f" slowest {max(keys) * 1000:.1f} ms"
    )
