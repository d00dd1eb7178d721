"""Imports that lost data without a word: a pipe's first 8 KiB, a CSV export's markup and spacing."""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from tests.reliability.tally import TALLY
from tests.reliability.workspace import Workspace
from tests.support import ORDINARY, deck_cards
from trainer.decks.model import Deck
from trainer.decks.yaml_io import write_deck


def fronts(db: Path, deck: str) -> list[tuple[str, str, str, list[str]]]:
    with closing(sqlite3.connect(db)) as conn:
        return deck_cards(conn, deck)


def piped(workspace: Workspace, tmp_path: Path, data: str, how: str) -> None:
    """Import ``data`` into deck 'piped' from a FIFO (``trainer import <(…)``) or a pipe on stdin."""
    if how == "fifo":
        source = tmp_path / "cards"
        os.mkfifo(source)

        def feed() -> None:
            with source.open("w", encoding="utf-8") as writer:
                writer.write(data)

        feeder = threading.Thread(target=feed)
        feeder.start()
        result = workspace.trainer("import", str(source), "--deck", "piped")
        feeder.join()
    else:
        result = workspace.trainer("import", "/dev/stdin", "--deck", "piped", stdin=data)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("how", ["fifo", "stdin"])
def test_a_pipe_loses_nothing(workspace: Workspace, tmp_path: Path, how: str) -> None:
    """The first 8 KiB were lost: the file was opened once to sniff its format and again to read it."""
    rows = "".join(f'front {n:05},"back {n}\nsecond line"\n' for n in range(3000))  # 90 KB
    piped(workspace, tmp_path, "front,back\n" + rows, how)
    cards = fronts(workspace.db, "piped")
    assert len(cards) == 3000
    assert cards[0][1:3] == ("front 00000", "back 0\nsecond line") and cards[-1][1] == "front 02999"
    TALLY["attacks"] += 1


@pytest.mark.parametrize("how", ["fifo", "stdin"])
def test_a_yaml_deck_through_a_pipe(workspace: Workspace, tmp_path: Path, how: str) -> None:
    deck = "name: d\ncards:\n" + "".join(f"- {{id: c{n}, front: f{n}, back: b{n}}}\n" for n in range(800))
    piped(workspace, tmp_path, deck, how)
    cards = fronts(workspace.db, "piped")
    assert [card[0] for card in cards] == [f"c{n}" for n in range(800)]
    TALLY["attacks"] += 1


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".yaml"])
def test_an_exported_deck_imports_back_exactly(workspace: Workspace, tmp_path: Path, suffix: str) -> None:
    """CSV export then import changed 5 of 7 ordinary cards (entities, tags, sounds, breaks, padding)."""
    source = tmp_path / "ordinary.yaml"
    write_deck(Deck("Ordinary", tuple(ORDINARY)), source)
    assert workspace.trainer("import", str(source)).returncode == 0
    exported = tmp_path / f"exported{suffix}"
    assert workspace.trainer("export", "deck", "Ordinary", "-o", str(exported)).returncode == 0
    result = workspace.trainer("import", str(exported), "--deck", "Again", "--json")
    assert result.returncode == 0, result.stderr
    assert fronts(workspace.db, "Again") == fronts(workspace.db, "Ordinary")
    assert [card[1:3] for card in fronts(workspace.db, "Again")] == [(c.front, c.back) for c in ORDINARY]
    TALLY["attacks"] += 1
