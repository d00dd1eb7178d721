"""Importing Anki packages built by genanki (real Anki structure), with and without review history."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import genanki
import pytest

from tests.support import ZONE, Runner, deck_cards
from trainer.decks.importers import apkg

CREATED = int(datetime(2026, 11, 1, 4, tzinfo=ZONE).timestamp())
"""The collection's creation day start: Anki's review-card due days count from it."""


def build_package(folder: Path) -> Path:
    """Basic, basic-and-reversed and cloze notes in one deck, with one sound file."""
    deck = genanki.Deck(2059400110, "Español")
    deck.add_note(
        genanki.Note(genanki.BASIC_MODEL, ["hola", "hello<br>hi &amp; bye"], tags=["es"], guid="g1")
    )
    deck.add_note(genanki.Note(genanki.BASIC_AND_REVERSED_CARD_MODEL, ["perro", "<div>dog</div>"], guid="g2"))
    deck.add_note(
        genanki.Note(
            genanki.CLOZE_MODEL,
            ["{{c1::Madrid}} is the capital of {{c2::Spain::country}}", "in Europe"],
            guid="g3",
        )
    )
    sound = folder / "hola.mp3"
    sound.write_bytes(b"ID3")
    path = folder / "spanish.apkg"
    genanki.Package(deck, media_files=[str(sound)]).write_to_file(str(path))
    return path


def rewrite_collection(package: Path, change: str, params: Sequence[tuple[object, ...]] = ()) -> None:
    """Run SQL on the collection inside ``package`` (as if the user had studied it in Anki)."""
    with zipfile.ZipFile(package) as old:
        entries = {name: old.read(name) for name in old.namelist()}
    collection = package.with_suffix(".anki2")
    collection.write_bytes(entries["collection.anki2"])
    with sqlite3.connect(collection) as db:
        for statement in change.split(";"):
            if "?" in statement:
                db.executemany(statement, params)
            elif statement.strip():
                db.execute(statement)
    entries["collection.anki2"] = collection.read_bytes()
    with zipfile.ZipFile(package, "w") as new:
        for name, data in entries.items():
            new.writestr(name, data)


def test_basic_reversed_and_cloze_notes_become_cards(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    package = build_package(tmp_path)
    result = run("import", str(package), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["decks"][0]["added"], data["media_skipped"]) == (5, 1)
    assert deck_cards(conn, "Español") == [
        ("g1/0", "hola", "hello\nhi & bye", ["es"]),
        ("g2/0", "perro", "dog", []),
        ("g2/1", "dog", "perro", []),
        ("g3/0", "[...] is the capital of Spain", "Madrid\nin Europe", []),
        ("g3/1", "Madrid is the capital of [country]", "Spain\nin Europe", []),
    ]
    again = json.loads(run("import", str(package), "--json").output)
    assert (again["decks"][0]["added"], again["decks"][0]["unchanged"], again["backup"]) == (0, 5, None)


def test_deck_option_renames(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    assert run("import", str(build_package(tmp_path)), "--deck", "Spanish").exit_code == 0
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM cards JOIN decks ON decks.id = deck_id WHERE name = 'Spanish'"
        ).fetchone()[0]
        == 5
    )


def studied_package(tmp_path: Path) -> Path:
    """The package after some study in Anki: 'hola' is a review card with a lapse and four answers."""
    package = build_package(tmp_path)
    answers = [  # (revlog id = epoch ms, ease, ms taken): again, good on 11-02, good 11-03, good 11-09
        (int(datetime(2026, 11, day, hour, minute, tzinfo=ZONE).timestamp() * 1000), ease, 4000)
        for day, hour, minute, ease in [(2, 9, 0, 1), (2, 9, 5, 3), (3, 20, 0, 3), (9, 8, 0, 3)]
    ]
    rewrite_collection(
        package,
        f"UPDATE col SET crt = {CREATED};"
        "UPDATE cards SET type = 2, queue = 2, due = 30, ivl = 10, factor = 2300, reps = 4, lapses = 1"
        " WHERE nid = (SELECT id FROM notes WHERE guid = 'g1');"
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " SELECT ?, id, -1, ?, 1, 0, 2500, ?, 1 FROM cards"
        " WHERE nid = (SELECT id FROM notes WHERE guid = 'g1')",
        answers,
    )
    return package


def test_with_progress_carries_schedule_and_history(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    package = studied_package(tmp_path)
    result = run("import", str(package), "--with-progress", "--json")
    assert result.exit_code == 0, result.output
    deck = json.loads(result.output)["decks"][0]
    assert (deck["progress_carried"], deck["reviews_carried"]) == (1, 4)
    row = conn.execute(
        "SELECT id, repetitions, easiness_cents, interval, due_day, lapses, last_day"
        " FROM cards WHERE key = 'g1/0'"
    ).fetchone()
    assert tuple(row)[1:] == (2, 230, 10, "2026-12-01", 1, None)
    log = conn.execute("SELECT kind, day, quality FROM reviews WHERE card_id = ? ORDER BY id", (row[0],))
    assert [tuple(r) for r in log] == [
        ("review", "2026-11-02", 1),
        ("drill", "2026-11-02", 4),
        ("review", "2026-11-03", 4),
        ("review", "2026-11-09", 4),
        ("import", "2026-11-22", None),
    ]
    assert (
        conn.execute("SELECT COUNT(*) FROM cards WHERE key != 'g1/0' AND due_day IS NOT NULL").fetchone()[0]
        == 0
    )
    check = run("check")
    assert check.exit_code == 0 and "ok:" in check.output, check.output
    reimport = run("import", str(package), "--with-progress", "--json")
    again = json.loads(reimport.output)["decks"][0]
    assert (again["progress_carried"], again["progress_kept"], again["added"]) == (0, 1, 0)
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 5


def test_without_the_flag_progress_stays_behind(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    run("import", str(studied_package(tmp_path)))
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0


def zip_with(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return path


def schema_only(path: Path, sql: str) -> bytes:
    with sqlite3.connect(path) as db:
        db.executescript(sql)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"../evil.txt": b"x", "collection.anki2": b""}, "refusing unsafe path in package: '../evil.txt'"),
        ({"/etc/evil": b"x"}, "refusing unsafe path in package: '/etc/evil'"),
        ({"collection.anki2": b"not sqlite at all"}, "is not an SQLite database"),
        ({"collection.anki2": b"SQLite format 3\x00" + b"\x07" * 4000}, "not a readable Anki collection"),
        ({"media": b"{}"}, "no collection.anki2 or collection.anki21 inside"),
        ({"collection.anki21b": b"\x28\xb5\x2f\xfd"}, "legacy format"),
    ],
)
def test_hostile_packages_are_refused(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path, entries: dict[str, bytes], message: str
) -> None:
    package = zip_with(tmp_path / "bad.apkg", entries)
    result = run("import", str(package))
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path.parent / "evil.txt").exists()


def test_collection_without_anki_tables(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    collection = schema_only(tmp_path / "c.anki2", "CREATE TABLE col (crt INTEGER);")
    package = zip_with(tmp_path / "bad.apkg", {"collection.anki2": collection})
    result = run("import", str(package))
    assert "not an Anki collection: no cards, notes table" in result.output


def test_zip_bomb_is_capped_by_bytes_really_read(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apkg, "MAX_COLLECTION_BYTES", 1024 * 1024)
    package = zip_with(tmp_path / "bomb.apkg", {"collection.anki2": b"\x00" * (3 * 1024 * 1024)})
    assert package.stat().st_size < 20_000
    result = run("import", str(package))
    assert result.exit_code == 1
    assert "collection is larger than 1 MiB uncompressed; refused" in result.output


def test_a_file_named_apkg_that_is_not_a_zip(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "fake.apkg"
    path.write_text("front,back\n", encoding="utf-8")
    assert "not an Anki package (not a zip file)" in run("import", str(path)).output


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("factor = 1000000000000000000", (1, 10_000, 10, "2026-12-01", 0)),
        ("lapses = 9223372036854775807", (1, 230, 10, "2026-12-01", 1_000_000)),
        ("reps = 9223372036854775807, lapses = -9223372036854775807", (1_000_000, 230, 10, "2026-12-01", 0)),
        ("due = 9000000000", (1, 230, 10, "2126-10-29", 0)),
        ("due = 9223372036854775807", (1, 230, 10, "2126-10-29", 0)),
        ("ivl = 9223372036854775807", (1, 230, 36_500, "2026-12-01", 0)),
    ],
    ids=["ease 10^18", "lapses 2^63-1", "reps 2^63-1", "due beyond the cap", "due time 2^63-1", "ivl 2^63-1"],
)
def test_absurd_anki_schedules_are_bounded_and_the_first_grade_works(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path, values: str, expected: tuple[object, ...]
) -> None:
    """An ease of 10**18 or lapses of 2**63-1 once crashed the first grade; a due day passed the cap."""
    package = build_package(tmp_path)
    rewrite_collection(
        package,
        f"UPDATE col SET crt = {CREATED};"
        "UPDATE cards SET type = 2, queue = 2, due = 30, ivl = 10, factor = 2300, reps = 1, lapses = 0"
        " WHERE nid = (SELECT id FROM notes WHERE guid = 'g1');"
        f"UPDATE cards SET {values} WHERE nid = (SELECT id FROM notes WHERE guid = 'g1')",
    )
    result = run("import", str(package), "--with-progress")
    assert result.exit_code == 0, result.output
    row = conn.execute(
        "SELECT id, repetitions, easiness_cents, interval, due_day, lapses FROM cards WHERE key = 'g1/0'"
    ).fetchone()
    assert tuple(row)[1:] == expected
    for quality in (5, 1):
        graded = run("--now", "2026-12-02T10:00:00+01:00", "grade", str(row[0]), str(quality))
        assert graded.exit_code == 0, graded.output
    assert run("check").exit_code == 0


def test_images_are_counted_as_skipped_media(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    """An <img> was dropped silently: only the package's media files were counted."""
    package = build_package(tmp_path)
    rewrite_collection(
        package,
        "UPDATE notes SET flds = 'hola <img src=\"hola.jpg\">' || char(31) || 'hi [sound:hi.mp3]'"
        " WHERE guid = 'g1'",
    )
    result = run("import", str(package), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["media_skipped"] == 3  # hola.mp3 in the package, hola.jpg, hi.mp3
    text = run("import", str(package), "--dry-run")
    assert "skipped 3 media files (sounds, images)" in text.output
