"""Fixing a card at its source in a real terminal: the browser opens the card's note in ``$EDITOR`` at
the definition's line, the terminal is handed over and back, and the card shows the note's new text
with its progress kept."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.support import (
    ATTENTION,
    DROPOUT,
    NOW_AT,
    REPO,
    answer,
    collection,
    note,
    showing,
    trainer_env,
    write,
)
from tests.terminal import Terminal
from trainer.notes_sync import add_notes, sync
from trainer.store.db import connect

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

EDITOR = REPO / "tests" / "data" / "editor" / "edit_line.py"
EDITED = ATTENTION.replace("加权", "加上权重")


def test_o_in_the_browser_edits_the_definition_and_keeps_the_progress(tmp_path: Path) -> None:
    path = write(tmp_path / "notes" / "ai.md", note(("dropout", DROPOUT), ("attention", ATTENTION)))
    conn = connect(tmp_path / "trainer.db")
    add_notes(conn, [path])
    sync(conn, NOW_AT)
    [attention] = collection(conn).curation.search("attention").rows
    answer(conn, attention.id, 5, "2026-11-21T10:00")
    before = collection(conn).curation.card(attention.id).schedule
    conn.close()

    env = trainer_env(tmp_path / "trainer.db", tmp_path)
    env |= {"EDITOR": f"{sys.executable} {EDITOR}", "EDIT_OLD": "加权", "EDIT_NEW": "加上权重"}
    command = ["sh", "-c", f"unset VISUAL; {sys.executable} -m trainer; echo EXITED $?; sleep 30"]
    terminal = Terminal(command, env, columns=120, rows=40)
    try:
        terminal.wait_for(showing("All decks", "AI 术语"))
        terminal.keys("b")
        terminal.wait_for(showing("trainer · cards", "2 cards"))
        terminal.keys("-l", "/attention")  # literally: tmux's own "/" is the keypad's
        terminal.wait_for(showing("1 card", ATTENTION))
        terminal.keys("Enter", "o")
        terminal.wait_for(showing(EDITED, "trainer · cards"))  # the app is back, the note re-read
        terminal.wait_for(showing("notes: 1 updated in"))  # its toast, a frame later
        terminal.keys("Escape")
        terminal.wait_for(showing("All decks"))
        terminal.keys("q")
        assert "EXITED 0" in terminal.wait_for(lambda s: "EXITED" in s)
    finally:
        terminal.close()

    assert Path(f"{path}.args").read_text(encoding="utf-8") == f"+4 {path}"
    assert path.read_text(encoding="utf-8").splitlines()[3] == f"- **attention**: {EDITED}"
    conn = connect(tmp_path / "trainer.db")
    after = collection(conn).curation.card(attention.id)
    assert after.back == EDITED
    assert after.schedule == before  # repetitions, interval, due: as they were
    assert collection(conn).check().disagreements == []
    conn.close()
