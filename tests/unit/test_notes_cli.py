"""``trainer notes …`` and ``trainer sync`` through click's runner, on real files and a pinned clock."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.support import DROPOUT, EMBEDDING, note, write
from trainer.cli import cli

NOW = "2026-12-01T10:00:00+01:00"
LEARNING_RATE = "The step size used when updating the weights along the gradient."


def run(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), "--now", NOW, *args])


def cards(db_path: Path, deck: str) -> dict[str, dict[str, object]]:
    result = run(db_path, "due", "--deck", deck, "--json")
    assert result.exit_code == 0, result.output
    return {item["front"]: item for item in json.loads(result.output)}


def test_add_registers_a_folder_and_syncs_it(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    write(tmp_path / "notes" / "ai.md", note(("dropout", DROPOUT), ("embedding", EMBEDDING)))
    write(tmp_path / "notes" / ".obsidian" / "hidden.md", note(("x", "a hidden definition.")))
    result = run(db_path, "notes", "add", str(tmp_path / "notes"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"registered 1 new notes file from {tmp_path / 'notes'}",
        "notes: 2 new in ai.md",
    ]
    listed = json.loads(run(db_path, "notes", "list", "--json").output)
    assert [(item["path"], item["deck"]) for item in listed] == [
        (str(tmp_path / "notes" / "ai.md"), "AI 术语")
    ]
    assert listed[0]["synced_at"] == "2026-12-01T09:00:00+00:00"
    assert set(cards(db_path, "AI 术语")) == {"dropout", "embedding"}


def test_sync_renames_an_english_term_and_keeps_its_progress(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "ml.md", note(("learning rate", LEARNING_RATE), title="ML"))
    run(db_path, "notes", "add", str(path))
    card_id = cards(db_path, "ML")["learning rate"]["id"]
    assert run(db_path, "grade", str(card_id), "5").exit_code == 0
    write(path, note(("step size", LEARNING_RATE.replace("the weights", "weights")), title="ML"))
    result = run(db_path, "sync")
    assert result.exit_code == 0, result.output
    assert result.output == "notes: 1 renamed learning rate → step size in ml.md\n"
    stats = json.loads(run(db_path, "export", "stats", "--format", "json").output)
    (card,) = [item for item in stats["cards"] if item["card_id"] == card_id]
    assert card["front"] == "step size" and card["repetitions"] == 1
    assert run(db_path, "check").exit_code == 0


def test_dry_run_prints_each_changed_card_and_writes_nothing(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT), ("embedding", EMBEDDING)))
    run(db_path, "notes", "add", str(path))
    write(
        path,
        note(
            ("随机失活", DROPOUT), ("embedding", EMBEDDING.replace("稠密", "低维")), ("softmax", "变成概率。")
        ),
    )
    result = run(db_path, "sync", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "notes: 1 new, 1 updated, 1 renamed dropout → 随机失活 in ai.md",
        f"{path} → deck AI 术语",
        "  + softmax: 变成概率。",
        "  ~ embedding: 把离散的词映射成[-稠密-]{+低维+}向量。",
        f"  → [-dropout-]{{+随机失活+}}: {DROPOUT}",
        "dry run: nothing was written",
    ]
    data = json.loads(run(db_path, "sync", "--dry-run", "--json").output)
    (entry,) = data["notes"]
    assert data["dry_run"] and [item["id"] for item in entry["added"]] == ["softmax"]
    assert entry["renamed"][0]["old"]["id"] == "dropout" and entry["renamed"][0]["id"] == "随机失活"
    assert entry["updated"][0]["new"]["back"] == "把离散的词映射成低维向量。"
    assert set(cards(db_path, "AI 术语")) == {"dropout", "embedding"}


def test_a_removed_definition_is_retired_and_comes_back(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT), ("embedding", EMBEDDING)))
    run(db_path, "notes", "add", str(path))
    write(path, note(("dropout", DROPOUT)))
    assert run(db_path, "sync").output == "notes: 1 retired in ai.md\n"
    assert set(cards(db_path, "AI 术语")) == {"dropout"}
    write(path, note(("dropout", DROPOUT), ("embedding", EMBEDDING)))
    assert run(db_path, "sync").output == "notes: 1 restored in ai.md\n"
    assert set(cards(db_path, "AI 术语")) == {"dropout", "embedding"}


def test_a_bad_note_is_an_error_and_the_others_still_sync(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    (tmp_path / "bad.md").write_bytes(b"# Bad\n\n\xff\xfe\x80 broken\n")
    assert run(db_path, "notes", "add", str(tmp_path)).exit_code == 0
    result = run(db_path, "sync")  # nothing new to sync, but the bad note is still reported
    assert result.exit_code == 1
    assert "skipped bad.md: " in result.stdout
    assert result.stderr.startswith(f"Error: {tmp_path / 'bad.md'}: ") and "UTF-8" in result.stderr
    assert set(cards(db_path, "AI 术语")) == {"dropout"}


def test_remove_stops_syncing_and_keeps_the_deck(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    run(db_path, "notes", "add", str(path))
    result = run(db_path, "notes", "remove", str(path))
    assert result.output == f"no longer syncing 1 notes file from {path}; their decks stay\n"
    assert json.loads(run(db_path, "notes", "list", "--json").output) == []
    assert set(cards(db_path, "AI 术语")) == {"dropout"}
    again = run(db_path, "notes", "remove", str(path))
    assert again.exit_code == 1 and "not a registered notes file" in again.output


def test_add_of_a_missing_path_is_a_one_line_error(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    result = run(db_path, "notes", "add", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope'}: no such file or folder\n"


def test_import_dry_run_prints_each_changed_card(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    deck = tmp_path / "vocab.csv"
    deck.write_text("id,front,back\na,cat,The cat sat on the mat.\nb,dog,A loyal animal.\n", encoding="utf-8")
    assert run(db_path, "import", str(deck), "--deck", "V").exit_code == 0
    deck.write_text("id,front,back\na,cat,The cat lay on the mat.\nb,dog,A loyal animal.\n", encoding="utf-8")
    result = run(db_path, "import", str(deck), "--deck", "V", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  ~ cat: The cat [-sat-]{+lay+} on the mat.\n" in result.output
    data = json.loads(run(db_path, "import", str(deck), "--deck", "V", "--dry-run", "--json").output)
    (changed,) = data["decks"][0]["changed_cards"]
    assert (changed["id"], changed["old"]["back"], changed["new"]["back"]) == (
        "a",
        "The cat sat on the mat.",
        "The cat lay on the mat.",
    )


def test_a_backup_with_notes_restores_and_a_forged_notes_row_is_refused(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    run(db_path, "notes", "add", str(path))
    saved, forged = tmp_path / "saved.db", tmp_path / "forged.db"
    assert run(db_path, "backup", "-o", str(saved)).exit_code == 0
    assert run(db_path, "backup", "-o", str(forged)).exit_code == 0
    with sqlite3.connect(forged) as hostile:  # what an attacker's file holds: raw SQL is the point
        hostile.execute("UPDATE note_files SET deck = 'AI\nfake row'")
    refused = run(db_path, "restore", str(forged))
    assert refused.exit_code == 1
    assert "refused: table note_files, row 1: deck name" in refused.stderr
    restored = run(db_path, "restore", str(saved))
    assert restored.exit_code == 0, restored.output
    assert json.loads(run(db_path, "notes", "list", "--json").output)[0]["deck"] == "AI 术语"


def test_watch_syncs_and_ctrl_c_ends_it(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    run(db_path, "notes", "add", str(path))
    write(path, note(("dropout", DROPOUT), ("embedding", EMBEDDING)))

    def interrupt(seconds: float) -> None:  # the person pressing Ctrl+C while it waits
        raise KeyboardInterrupt

    monkeypatch.setattr("trainer.cli.notes.time.sleep", interrupt)
    result = run(db_path, "notes", "watch", "--interval", "0.1")
    assert result.exit_code == 0, result.output
    assert result.output == "notes: 1 new in ai.md\nstopped watching\n"


def test_sync_json_is_the_report_key_for_key(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT), ("embedding", EMBEDDING)))
    added = json.loads(run(db_path, "notes", "add", str(path), "--json").output)
    assert added["added"] == [{"root": str(path), "new": 1, "known": 0}]
    write(path, note(("dropout", DROPOUT), ("attention", "让模型加权。"), ("embedding", "把词映射成向量。")))
    result = run(db_path, "sync", "--dry-run", "--json")
    old = {"id": "embedding", "front": "embedding", "back": EMBEDDING}
    new = {"front": "embedding", "back": "把词映射成向量。"}
    expected = {
        "dry_run": True,
        "checked": 1,
        "summary": "notes: 1 new, 1 updated in ai.md",
        "notes": [
            {
                "path": str(path), "deck": "AI 术语", "gone": False, "error": None,
                "added": [{"id": "attention", "front": "attention", "back": "让模型加权。"}],
                "updated": [
                    {
                        "id": "embedding", "old": old, "new": new,
                        "diff": "embedding: 把[-离散的-]词映射成[-稠密-]向量。",
                    }
                ],
                "renamed": [], "restored": [], "retired": [], "unchanged": 1, "conflicts": [],
            }
        ],
    }  # fmt: skip
    assert result.output == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"  # keys in this order
