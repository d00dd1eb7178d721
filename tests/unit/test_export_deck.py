"""`trainer export deck`: YAML or CSV/TSV that imports back onto the same cards, progress intact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from trainer.cli import cli


def run(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), "--now", "2026-11-22T10:00:00+01:00", *args])


@pytest.mark.parametrize("name", ["sample.yaml", "sample.csv", "sample.tsv"])
def test_round_trip_changes_nothing(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path, name: str
) -> None:
    conn.execute("UPDATE cards SET front = 'line one' || char(10) || 'line, \"two\"' WHERE key = 'k1'")
    assert run(db_path, "grade", "1", "5").exit_code == 0
    conn.execute("UPDATE cards SET tags = '[\"t\", \"leech\"]' WHERE key = 'k2'")  # state, not content
    path = tmp_path / name
    result = run(db_path, "export", "deck", "Sample", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "wrote 5 cards of Sample" in result.output
    assert "leech" not in path.read_text(encoding="utf-8")
    again = json.loads(run(db_path, "import", str(path), "--json").output)
    deck = again["decks"][0]
    assert (deck["added"], deck["updated"], deck["unchanged"], deck["missing"]) == (0, 0, 5, 0)
    assert conn.execute("SELECT repetitions FROM cards WHERE id = 1").fetchone()[0] == 1


def test_edited_export_updates_the_card(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    run(db_path, "export", "deck", "Sample", "-o", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace("back 3", "back three"), encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith(
        "#separator:Comma\n#deck:Sample\n#columns:id,front,back,tags\n"
    )
    deck = json.loads(run(db_path, "import", str(path), "--json").output)["decks"][0]
    assert (deck["updated"], deck["unchanged"]) == (1, 4)
    assert conn.execute("SELECT back FROM cards WHERE key = 'k3'").fetchone()[0] == "back three"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "deck", "Nope", "-o", "x.yaml"], "no deck named 'Nope'"),
        (["export", "deck", "Sample", "-o", "x.txt"], "write .yaml, .yml, .csv or .tsv"),
    ],
)
def test_export_errors(db_path: Path, conn: sqlite3.Connection, args: list[str], message: str) -> None:
    result = run(db_path, *args)
    assert result.exit_code == 1
    assert message in result.output
