"""Importing CSV, TSV and Anki plain-text files through the CLI, into a real database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support import Runner, deck_cards, invoke
from trainer.store.reviews import check

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
REAL = Path(__file__).resolve().parents[3] / "shared" / "real-decks"


def imported(db_path: Path, *args: str) -> dict[str, Any]:
    result = invoke(db_path, "import", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def cards(conn: sqlite3.Connection, deck: str) -> list[tuple[str, str, list[str]]]:
    """(front, back, tags) of the deck's cards: the keys an import makes are its own business."""
    return [(front, back, tags) for _, front, back, tags in deck_cards(conn, deck)]


def counts(data: dict[str, Any]) -> list[tuple[object, ...]]:
    return [(d["deck"], d["added"], d["updated"], d["unchanged"], d["missing"]) for d in data["decks"]]


def test_csv_with_header_quotes_newlines_and_tags(db_path: Path, conn: sqlite3.Connection) -> None:
    assert counts(imported(db_path, str(DATA / "vocab.csv"))) == [("vocab", 3, 0, 0, 0)]
    assert cards(conn, "vocab") == [
        ("hello", "a greeting, said on meeting", ["english", "basics"]),
        ("multi\nline front", 'back with "quotes"', ["english"]),
        ("你好", "nǐ hǎo\nhello", ["chinese"]),
    ]
    assert counts(imported(db_path, str(DATA / "vocab.csv"))) == [("vocab", 0, 0, 3, 0)]


def test_tsv_keeps_a_leading_quoted_word(db_path: Path, conn: sqlite3.Connection) -> None:
    imported(db_path, str(DATA / "vocab.tsv"), "--deck", "Words")
    assert [front for front, _, _ in cards(conn, "Words")] == ["hello", '"quoted" word', "你好"]
    assert counts(imported(db_path, str(DATA / "vocab.tsv"), "--deck", "Words")) == [("Words", 0, 0, 3, 0)]


def test_gbk_is_detected_and_can_be_named(db_path: Path, conn: sqlite3.Connection) -> None:
    imported(db_path, str(DATA / "vocab_gbk.csv"))
    assert cards(conn, "vocab_gbk")[0] == ("你好", "用于打招呼", [])
    again = imported(db_path, str(DATA / "vocab_gbk.csv"), "--encoding", "gbk")
    assert counts(again) == [("vocab_gbk", 0, 0, 3, 0)]


def test_gbk_named_as_utf8_is_an_error_with_its_line(run: Runner, conn: sqlite3.Connection) -> None:
    result = run("import", str(DATA / "vocab_gbk.csv"), "--encoding", "utf-8")
    assert result.exit_code == 1
    assert "vocab_gbk.csv:1:1: not utf-8 text (byte 0xc4)" in result.output


def test_latin1_is_not_mistaken_for_chinese(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "french.csv"
    path.write_bytes("chat,cat\ncafé,coffee\n".encode("latin-1"))
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "french.csv:2:4: not UTF-8 or GB18030 text (byte 0xe9); name the file's encoding" in result.output
    assert run("import", str(path), "--encoding", "latin-1").exit_code == 0
    assert cards(conn, "french")[1] == ("café", "coffee", [])


def test_anki_plain_text_export(db_path: Path, conn: sqlite3.Connection) -> None:
    imported(db_path, str(DATA / "anki_notes.txt"), "--deck", "Deutsch")
    assert cards(conn, "Deutsch") == [
        ("Apfel", "apple\nder Apfel & die Äpfel", ["german", "food"]),
        ("Haus", "house\ndas Haus", ["german"]),
    ]
    assert counts(imported(db_path, str(DATA / "anki_notes.txt"), "--deck", "Deutsch"))[0][1:3] == (0, 0)


def test_edit_updates_keeps_progress_and_reports_missing(
    db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "deck.csv"
    path.write_text("one,1\ntwo,2\nthree,3\n", encoding="utf-8")
    imported(db_path, str(path))
    card_id = conn.execute("SELECT id FROM cards WHERE front = 'two'").fetchone()[0]
    assert run("grade", str(card_id), "5").exit_code == 0
    path.write_text("one,1\ntwo,zwei\n", encoding="utf-8")
    data = imported(db_path, str(path))
    assert counts(data) == [("deck", 0, 1, 1, 1)]
    row = conn.execute("SELECT back, repetitions, due_day FROM cards WHERE id = ?", (card_id,)).fetchone()
    assert tuple(row) == ("zwei", 1, "2026-11-23")
    text = run("import", str(path)).output
    assert "1 no longer in the files (kept; --prune deletes them)\n  missing: three" in text


def test_prune_asks_then_deletes(
    db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "deck.csv"
    path.write_text("one,1\ntwo,2\n", encoding="utf-8")
    imported(db_path, str(path))
    path.write_text("one,1\n", encoding="utf-8")
    declined = run("import", str(path), "--prune", input="n\n")
    assert declined.exit_code == 1
    assert "Delete 1 card and its review history?" in declined.output
    assert len(cards(conn, "deck")) == 2
    dry = imported(db_path, str(path), "--prune", "--dry-run")
    assert (dry["decks"][0]["missing"], dry["decks"][0]["removed"]) == (1, 1)
    assert len(cards(conn, "deck")) == 2
    assert imported(db_path, str(path), "--prune", "--yes")["decks"][0]["removed"] == 1
    assert cards(conn, "deck") == [("one", "1", [])]


def test_dry_run_writes_nothing(db_path: Path, run: Runner, conn: sqlite3.Connection) -> None:
    data = imported(db_path, str(DATA / "vocab.csv"), "--dry-run")
    assert (data["dry_run"], data["backup"], counts(data)) == (True, None, [("vocab", 3, 0, 0, 0)])
    assert conn.execute("SELECT COUNT(*) FROM decks WHERE name = 'vocab'").fetchone()[0] == 0
    assert "3 would be added" in run("import", str(DATA / "vocab.csv"), "--dry-run").output


def test_a_bad_row_in_any_file_writes_nothing(
    db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,1\nb,2\nlonely\n", encoding="utf-8")
    result = run("import", str(DATA / "vocab.csv"), str(bad))
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        "bad.csv:3: expected a front and a back separated by comma; found one column"
    )
    assert conn.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 5  # the sample deck only
    assert not (db_path.parent / "backups").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('a,"unclosed\n', "bad.csv:1: cannot read row"),
        ("a," + "x" * 200_000 + "\n", "bad.csv:1: cannot read row: field larger than field limit"),
        ("a,\n", "bad.csv:1: the card's back is empty"),
        ("", "bad.csv: no cards found"),
    ],
)
def test_malformed_files_are_one_line_errors(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_same_front_twice_gets_distinct_ids(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("bank,river side\nbank,money house\n", encoding="utf-8")
    imported(db_path, str(path))
    assert counts(imported(db_path, str(path))) == [("dup", 0, 0, 2, 0)]
    assert [back for _, back, _ in cards(conn, "dup")] == ["river side", "money house"]


def test_import_takes_a_backup_of_the_previous_state(db_path: Path, conn: sqlite3.Connection) -> None:
    data = imported(db_path, str(DATA / "vocab.csv"))
    backup = Path(str(data["backup"]))
    assert backup.parent == db_path.parent / "backups"
    with sqlite3.connect(backup) as copy:
        assert [r[0] for r in copy.execute("SELECT name FROM decks")] == ["Sample"]
    assert imported(db_path, str(DATA / "vocab.csv"))["backup"] is None  # nothing changed
    assert check(conn) == []


needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="shared/real-decks is absent")


@needs_real
def test_real_startup_vocab_csv_and_tsv_parse_to_the_same_cards(
    db_path: Path, conn: sqlite3.Connection
) -> None:
    tsv = imported(db_path, str(REAL / "startup_vocab_joshdavham.tsv"), "--deck", "Startup")
    assert counts(tsv) == [("Startup", 132, 0, 0, 0)]
    csv = imported(db_path, str(REAL / "startup_vocab_joshdavham.csv"), "--deck", "Startup")
    assert counts(csv) == [("Startup", 0, 0, 132, 0)]
    assert (
        '"Cracked" Engineer',
        "A highly talented engineer who can solve tough problems quickly and cleanly.",
    ) in [(front, back) for front, back, _ in cards(conn, "Startup")]


@needs_real
def test_real_hsk1_plain_tsv(db_path: Path, conn: sqlite3.Connection) -> None:
    imported(db_path, str(REAL / "hsk1_krmanik_plain.tsv"), "--deck", "HSK1")
    found = cards(conn, "HSK1")
    assert len(found) == 497
    assert found[0][:2] == ("愛", "爱\nài\nlove, like, be fond of, be keen on, cherish, be apt to")


@needs_real
def test_real_hsk1_anki_html_export_becomes_plain_text(db_path: Path, conn: sqlite3.Connection) -> None:
    data = imported(db_path, str(REAL / "hsk1_krmanik_anki_export_html.tsv"), "--deck", "HSK1")
    assert data["media_skipped"] == 497
    found = cards(conn, "HSK1")
    assert len(found) == 497
    assert found[0][:2] == ("爱", "愛\nài\nㄞˋ\n爱〔愛〕\nài\nㄞˋ\nlove")
    assert not any("<" in back or "&" in back or "[sound:" in back for _, back, _ in found)


def test_an_unchanged_file_is_skipped_by_its_hash_and_reported_alike(
    db_path: Path, run: Runner, tmp_path: Path
) -> None:
    deck = tmp_path / "vocab.tsv"
    deck.write_text("hola\thello\nperro\tdog\n", encoding="utf-8")
    first = imported(db_path, str(deck))
    again = imported(db_path, str(deck))
    assert again["unchanged_skipped"] == [str(deck)] and first["unchanged_skipped"] == []
    assert again["decks"] == [first["decks"][0] | {"added": 0, "unchanged": 2}] and again["backup"] is None
    text = run("import", str(deck)).output
    assert text.splitlines()[:2] == [f"{deck}: unchanged: skipped", "vocab: 0 added, 0 updated, 2 unchanged"]


def test_a_changed_file_or_other_options_are_read_again(db_path: Path, tmp_path: Path) -> None:
    deck = tmp_path / "vocab.tsv"
    deck.write_text("hola\thello\nperro\tdog\n", encoding="utf-8")
    imported(db_path, str(deck))
    deck.write_text("hola\thi\nperro\tdog\n", encoding="utf-8")
    changed = imported(db_path, str(deck))
    assert changed["unchanged_skipped"] == [] and changed["decks"][0]["updated"] == 1
    other = imported(db_path, str(deck), "--deck", "Spanish")
    assert other["unchanged_skipped"] == [] and other["decks"][0]["added"] == 2


def test_a_file_is_read_again_once_another_import_changed_its_deck(db_path: Path, tmp_path: Path) -> None:
    """The hash vouches for the deck only until anything else changes it."""
    ours, theirs = tmp_path / "ours.tsv", tmp_path / "theirs.tsv"
    ours.write_text("hola\thello\nperro\tdog\n", encoding="utf-8")
    theirs.write_text("hola\tgood day\n", encoding="utf-8")
    imported(db_path, str(ours), "--deck", "V")
    assert imported(db_path, str(theirs), "--deck", "V")["decks"][0]["updated"] == 1
    back = imported(db_path, str(ours), "--deck", "V")
    assert back["unchanged_skipped"] == [] and back["decks"][0]["updated"] == 1


def test_a_pruning_import_reads_every_file(db_path: Path, tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.tsv", tmp_path / "theirs.tsv"
    ours.write_text("hola\thello\n", encoding="utf-8")
    theirs.write_text("perro\tdog\n", encoding="utf-8")
    imported(db_path, str(ours), "--deck", "V")
    imported(db_path, str(theirs), "--deck", "V")
    pruned = imported(db_path, str(ours), "--deck", "V", "--prune", "--yes")
    assert pruned["unchanged_skipped"] == [] and pruned["decks"][0]["removed"] == 1
