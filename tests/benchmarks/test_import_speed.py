"""How long a big CSV import takes: parse, then one transaction of executemany inserts; and how long a
re-import of an unchanged file takes beside Anki's (1.84 s for 100k rows on this machine, issue #14)."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.benchmarks import FULL, versus
from trainer.cli import cli
from trainer.decks.importers.detect import load_file
from trainer.decks.importers.model import ImportOptions
from trainer.store.db import connect
from trainer.store.imports import import_decks

CARDS = 100_000 if FULL else 20_000
NOW = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
ANKI_REIMPORT_100K = 1.84
"""Anki's re-import of the unchanged 100k-note TSV, in seconds (issue #14's table)."""


@pytest.mark.benchmark
def test_import_csv_speed(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    side = "深度学习模型" * 8
    path.write_text(
        "".join(f'term {n} {side},"meaning {n}, {side}",tag{n % 7}\n' for n in range(CARDS)), encoding="utf-8"
    )
    conn = connect(tmp_path / "trainer.db")
    started = time.perf_counter()
    decks = load_file(path, ImportOptions(day_of=lambda _: date(2026, 11, 22)))
    parsed = time.perf_counter()
    result = import_decks(conn, decks, NOW, date(2026, 11, 22))
    written = time.perf_counter()
    again = import_decks(
        conn, load_file(path, ImportOptions(day_of=lambda _: date(2026, 11, 22))), NOW, date(2026, 11, 22)
    )
    repeated = time.perf_counter()
    assert len(result.decks[0].changes.added) == CARDS
    assert again.decks[0].changes.unchanged == CARDS and again.backup is None
    print(
        f"\nimport {CARDS:,} CSV cards: parse {parsed - started:.2f} s, write {written - parsed:.2f} s"
        f" (incl. backup), total {written - started:.2f} s; re-import (no change) {repeated - written:.2f} s"
    )
    conn.close()


@pytest.mark.benchmark
def test_reimport_of_an_unchanged_tsv(tmp_path: Path) -> None:
    """`trainer import` of a TSV imported before: unchanged (skipped by its hash), then one row edited."""
    path, db = tmp_path / "big.tsv", tmp_path / "trainer.db"
    side = "深度学习模型" * 8
    rows = [f"term {n} {side}\tmeaning {n}, {side}\ttag{n % 7}\n" for n in range(CARDS)]
    path.write_text("".join(rows), encoding="utf-8")

    def timed() -> tuple[float, str]:
        started = time.perf_counter()
        result = CliRunner().invoke(cli, ["--db", str(db), "--now", NOW.isoformat(), "import", str(path)])
        assert result.exit_code == 0, result.output
        return time.perf_counter() - started, result.output

    first, _ = timed()
    again, output = timed()
    assert output.startswith(f"{path}: unchanged: skipped\n")
    path.write_text("".join([rows[0].replace("meaning", "sense"), *rows[1:]]), encoding="utf-8")
    edited, output = timed()
    assert "1 updated" in output
    anki = ANKI_REIMPORT_100K * CARDS / 100_000
    scaled = "" if CARDS == 100_000 else f" scaled to {CARDS:,} rows"
    print(
        f"\nimport {CARDS:,}-row TSV: first {first:.2f} s, one row edited {edited:.2f} s;"
        f" unchanged again: {versus(again, anki, 'Anki, 1.84 s per 100k rows' + scaled, digits=3)}"
    )
