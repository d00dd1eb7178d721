"""`trainer build` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.support import NOW, invoke
from trainer.cli import cli


def test_build_writes_decks_and_prints_report(tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("- **Index**: speeds up lookups\n- Vercel:?\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(notes), "--out", str(out), "--report"])
    assert result.exit_code == 0, result.output
    assert "n.md: 1 cards" in result.output
    assert "definition is only a question mark" in result.output
    assert (out / "n.yaml").is_file()


def test_build_json_report(tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("- **Index**: speeds up lookups\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(notes), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["documents"][0]["cards"] == 1


def test_build_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_bytes(b"- **A**: caf\xe9\n")
    result = CliRunner().invoke(cli, ["build", str(notes), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{notes}:1:13: not UTF-8" in result.output


def test_build_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert "trainer build ../shared/seeds/*.txt --report" in result.output


def test_review_rebuild_reimport_keeps_progress(tmp_path: Path) -> None:
    """Card ids come from the term, so edited notes (even in another form) keep every card's progress."""
    db, notes, decks = tmp_path / "t.db", tmp_path / "notes.md", tmp_path / "decks"

    def trainer(now: str, *args: str) -> str:
        result = invoke(db, *args, now=now)
        assert result.exit_code == 0, result.output
        return result.output

    notes.write_text("# Caching\n\n- **Cache**: a fast store\n- **TTL**: how long an entry lives\n", "utf-8")
    trainer(NOW, "build", str(notes), "--out", str(decks))
    trainer(NOW, "import", str(decks / "notes.yaml"))
    due = json.loads(trainer(NOW, "due", "--deck", "Caching", "--json"))
    cache = next(card["id"] for card in due if card["front"] == "Cache")
    trainer(NOW, "grade", str(cache), "5")

    notes.write_text(
        "# Caching\n\n| Term | Definition |\n|---|---|\n| cache | a fast store in front of a slow one |\n"
        "| TTL | how long an entry lives |\n| Eviction | removing entries to make room |\n",
        "utf-8",
    )
    trainer("2026-11-23T10:00:00+01:00", "build", str(notes), "--out", str(decks))
    trainer("2026-11-23T10:00:00+01:00", "import", str(decks / "notes.yaml"))
    due = json.loads(trainer("2026-11-23T10:00:00+01:00", "due", "--deck", "Caching", "--json"))
    kinds = {card["front"]: (card["id"], card["kind"]) for card in due}
    assert kinds["cache"] == (cache, "review")
    assert kinds["TTL"][1] == kinds["Eviction"][1] == "new"
