"""Importing Markdown notes (through the same extractor as `trainer build`) and YAML decks."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.support import Runner

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def test_markdown_notes_become_a_deck_named_by_their_title(run: Runner, conn: sqlite3.Connection) -> None:
    result = run("import", str(DATA / "notes.md"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["decks"][0]["deck"], data["decks"][0]["added"]) == ("机器学习", 2)
    assert data["skipped"] == ["notes.md:3: section heading (no defining paragraph under it)"]
    rows = conn.execute(
        "SELECT front, back FROM cards JOIN decks ON decks.id = deck_id"
        " WHERE name = '机器学习' ORDER BY position"
    )
    assert [tuple(r) for r in rows] == [
        ("过拟合", "模型在训练集上表现很好，在新数据上表现差"),
        ("欠拟合", "模型在训练集上也表现不好"),
    ]
    again = json.loads(run("import", str(DATA / "notes.md"), "--json").output)
    assert (again["decks"][0]["added"], again["decks"][0]["unchanged"]) == (0, 2)


def test_txt_notes_without_tabs_are_notes(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "ai.txt"
    path.write_text((DATA / "notes.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert run("import", str(path), "--deck", "AI").exit_code == 0
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM cards JOIN decks ON decks.id = deck_id WHERE name = 'AI'"
        ).fetchone()[0]
        == 2
    )


def test_yaml_deck_with_rename(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text(
        "name: Own\ncards:\n- id: a\n  front: question\n  back: answer\n  tags: [x]\n", encoding="utf-8"
    )
    assert run("import", str(path), "--deck", "Mine").exit_code == 0
    row = conn.execute(
        "SELECT key, front, back, tags FROM cards WHERE deck_id = (SELECT id FROM decks WHERE name = 'Mine')"
    )
    assert [tuple(r) for r in row] == [("a", "question", "answer", '["x"]')]


def test_yaml_alias_bomb_is_refused(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    lines = ["name: Bomb", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)}]" for n in range(9)
    ]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "bomb.yaml:2:" in result.output and "anchors and aliases are not allowed" in result.output
