"""The notes folder in a real terminal: review from a registered note, edit the note, start again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.support import ATTENTION, DROPOUT, EMBEDDING, note, showing, trainer_env, write
from tests.terminal import Terminal
from trainer.notes_sync import add_notes, sync
from trainer.store.db import connect
from trainer.store.reviews import check

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SOFTMAX = "把一组分数变成概率分布。"


def start(tmp_path: Path) -> Terminal:
    # `; sleep` keeps the pane open after the program exits, so its last screen can be read.
    command = ["sh", "-c", f"{sys.executable} -m trainer; echo EXITED $?; sleep 30"]
    return Terminal(command, trainer_env(tmp_path / "trainer.db", tmp_path))


def toast(screen: str) -> str:
    """The text of the notification (right of its ``▌`` edge), its wrapped rows joined in one line."""
    return " ".join(" ".join(line.split("▌", 1)[1].split()) for line in screen.splitlines() if "▌" in line)


def test_edit_a_registered_note_between_two_sessions(tmp_path: Path) -> None:
    path = write(
        tmp_path / "notes" / "ai.md",
        note(("dropout", DROPOUT), ("attention", ATTENTION), ("embedding", EMBEDDING), ("softmax", SOFTMAX)),
    )
    conn = connect(tmp_path / "trainer.db")
    add_notes(conn, [tmp_path / "notes"])
    sync(conn, datetime.fromisoformat(trainer_env(path, tmp_path)["TRAINER_NOW"]))
    conn.close()

    terminal = start(tmp_path)
    try:
        terminal.wait_for(lambda s: "All decks" in s and "AI 术语" in s)
        terminal.keys("Enter")
        for front, back in (("dropout", DROPOUT), ("attention", ATTENTION)):
            terminal.wait_for(showing(front, "show the answer"))
            terminal.keys("Space")
            terminal.wait_for(showing(back))
            terminal.keys("5")
        terminal.wait_for(lambda s: "embedding" in s)
        terminal.keys("q")
        terminal.wait_for(lambda s: "Session ended." in s)
        terminal.keys("q")
        assert "EXITED 0" in terminal.wait_for(lambda s: "EXITED" in s)
    finally:
        terminal.close()

    edited = ATTENTION.replace("加权", "加上权重")
    write(
        path,
        note(
            ("随机失活", DROPOUT),
            ("attention", edited),
            ("softmax", SOFTMAX),
            ("transformer", "靠注意力的模型。"),
        ),
    )

    terminal = start(tmp_path)
    try:
        screen = terminal.wait_for(lambda s: "renamed dropout → 随机失活" in toast(s))
        assert "notes: 1 new, 1 updated, 1 renamed dropout → 随机失活, 1 retired in ai.md" in toast(screen)
        terminal.wait_for(lambda s: "AI 术语" in s)
        terminal.keys("q")
        assert "EXITED 0" in terminal.wait_for(lambda s: "EXITED" in s)
    finally:
        terminal.close()

    conn = connect(tmp_path / "trainer.db")
    rows = conn.execute(
        "SELECT key, back, repetitions, suspended, tags FROM cards ORDER BY position"
    ).fetchall()
    by_key = {row[0]: tuple(row)[1:] for row in rows}
    assert by_key["随机失活"][1:3] == (1, 0)  # the renamed card kept its progress
    assert by_key["attention"][:3] == (edited, 1, 0)  # the edited one too
    assert by_key["embedding"][2:] == (1, '["retired"]')
    assert by_key["transformer"][1:3] == (0, 0)
    logged = conn.execute(
        "SELECT cards.key FROM reviews JOIN cards ON cards.id = card_id ORDER BY reviews.id"
    )
    assert [row[0] for row in logged] == ["随机失活", "attention"]
    assert check(conn) == []
    conn.close()
    env = {**trainer_env(tmp_path / "trainer.db", tmp_path), "PATH": "/usr/bin:/bin"}
    checked = subprocess.run(
        [sys.executable, "-m", "trainer", "check"], env=env, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    due = subprocess.run(
        [sys.executable, "-m", "trainer", "due", "--json"], env=env, capture_output=True, text=True
    )
    assert "embedding" not in {item["front"] for item in json.loads(due.stdout)}
    assert {"softmax", "transformer"} <= {item["front"] for item in json.loads(due.stdout)}
