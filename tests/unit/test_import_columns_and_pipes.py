"""`trainer import --columns` for exports with many columns, and imports read once (pipes lose nothing)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.support import NOW, Runner, deck_cards

SIX_COLUMNS = (
    "#separator:tab\n#html:true\n"
    "nid1\thola\tnoun\thello<br>hi\tes-ES\tverb spanish\n"
    "nid2\tperro\tnoun\tdog\tes-ES\tanimal\n"
)
"""A 6-column Anki export: guid, front, part of speech, back, locale, tags."""


def test_without_columns_every_extra_column_goes_on_the_back(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "six.txt"
    path.write_text(SIX_COLUMNS, encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    assert deck_cards(conn, "six")[0][1:3] == ("nid1", "hola\nnoun\nhello\nhi\nes-ES\nverb spanish")


def test_columns_name_front_back_tags_and_id(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "six.txt"
    path.write_text(SIX_COLUMNS, encoding="utf-8")
    result = run("import", str(path), "--columns", "id=1,front=2,back=4,tags=6", "--json")
    assert result.exit_code == 0, result.output
    assert deck_cards(conn, "six") == [
        ("nid1", "hola", "hello\nhi", ["verb", "spanish"]),
        ("nid2", "perro", "dog", ["animal"]),
    ]


def test_columns_in_a_csv_with_a_header_row(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "vocab.csv"
    path.write_text("front,note,back\nhola,greeting,hello\n", encoding="utf-8")
    assert run("import", str(path), "--columns", "front=1,back=3").exit_code == 0
    assert [card[1:3] for card in deck_cards(conn, "vocab")] == [("hola", "hello")]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("front=2", "say which column is the back"),
        ("front=1,back=1", "column 1 is named twice"),
        ("front=0,back=1", "is not ROLE=COLUMN"),
        ("face=1,back=2", "is not ROLE=COLUMN"),
        ("front=x,back=2", "is not ROLE=COLUMN"),
        ("front=1,back=" + "9" * 30, "is not ROLE=COLUMN"),
    ],
)
def test_bad_columns_are_one_line_errors(run: Runner, tmp_path: Path, columns: str, message: str) -> None:
    path = tmp_path / "six.txt"
    path.write_text(SIX_COLUMNS, encoding="utf-8")
    result = run("import", str(path), "--columns", columns)
    assert result.exit_code == 1 and message in result.output and result.output.count("\n") == 1


def test_columns_are_for_tables_only(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text("name: d\ncards:\n- {id: a, front: b, back: c}\n", encoding="utf-8")
    result = run("import", str(path), "--columns", "front=1,back=2")
    assert result.exit_code == 1 and "--columns applies only to CSV, TSV and Anki text files" in result.output


def import_from_fifo(db_path: Path, tmp_path: Path, data: bytes, name: str) -> dict[str, Any]:
    """Run the real trainer on a FIFO that a thread feeds, as ``trainer import <(…)`` does."""
    fifo = tmp_path / name
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as writer:
            writer.write(data)

    feeder = threading.Thread(target=feed)
    feeder.start()
    env = {**os.environ, "TRAINER_DB": str(db_path), "TRAINER_NOW": NOW}
    command = [sys.executable, "-m", "trainer", "import", str(fifo), "--json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    feeder.join()
    assert result.returncode == 0, result.stderr
    decoded: dict[str, Any] = json.loads(result.stdout)
    return decoded


def test_a_pipe_loses_nothing(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    """The first 8 KiB were lost: the file was opened once to sniff its format and again to read it."""
    rows = [f"front {n:05},back {n}" for n in range(2000)]  # about 30 KB
    data = import_from_fifo(db_path, tmp_path, ("\n".join(rows) + "\n").encode(), "cards")
    assert data["decks"][0]["added"] == 2000
    fronts = [card[1] for card in deck_cards(conn, "cards")]
    assert fronts[0] == "front 00000" and fronts[-1] == "front 01999"


def test_a_package_from_a_pipe(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    from tests.reliability.corpus import generate

    package = generate.anki_package(tmp_path).read_bytes()
    data = import_from_fifo(db_path, tmp_path, package, "package")
    assert data["decks"][0]["added"] == 3
