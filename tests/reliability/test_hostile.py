"""Bad and hostile import files through the real CLI: one clear line, exit 1, nothing changed or left behind.

Small cases are files in ``corpus/``; big, binary and fiddly ones are built at test time by
``corpus/generate.py``. Every run is a separate `python -m trainer` process (a crash in C, as deep YAML
once caused, must fail the test, not the test run) with its own working and temporary directories.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from functools import partial
from pathlib import Path

import pytest

from tests.reliability.corpus import generate
from tests.reliability.tally import TALLY
from tests.reliability.workspace import Workspace
from trainer.store.db import SCHEMA_VERSION

CORPUS = Path(__file__).parent / "corpus"

# (file in corpus/, what the one error line says after "Error: <path>"). Only our own words are asserted:
# where a message goes on with a library's (the YAML scanner's, zipfile's, SQLite's), that part may change.
STATIC = [
    ("yaml_tabs.yaml", ":3:1: invalid YAML"),
    ("yaml_duplicate_keys.yaml", ":5:5: duplicate key 'front' in card"),
    ("yaml_wrong_types.yaml", ":4:12: front must be text"),
    ("yaml_python_tag.yaml", ":4:12: front must be text"),
    ("yaml_billion_laughs.yaml", ":1:4: YAML anchors and aliases are not allowed in deck files"),
    ("csv_ragged.csv", ":3: expected a front and a back separated by comma; found one column"),
    ("csv_unclosed_quote.csv", ":2: cannot read row: unexpected end of data"),
    ("csv_nul.csv", ":2:9: NUL character: a binary file, or UTF-16"),
    ("mixed_encoding.csv", ":3:3: not UTF-8 text (byte 0xef)"),
    ("anki_bad_separator.txt", ":1: unknown separator 'Semicolons please'"),
    ("not_a_zip.apkg", ": not an Anki package (not a zip file)"),
    ("garbage.bin", ": cannot tell the file's format"),
]

ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)"
"""A query that never ends, for views posing as tables."""
HOSTILE_SCHEMAS = {
    "notes_is_a_view": (
        f"DROP TABLE notes; CREATE VIEW notes AS {ENDLESS} SELECT n AS id, '' AS guid, 0 AS mid, '' AS flds,"
        " '' AS tags FROM r;",
        ": the collection has a view ('notes'), which Anki never makes; refused",
    ),
    "missing_column": (
        "ALTER TABLE notes DROP COLUMN flds;",
        ": not an Anki collection: its notes table has no flds column",
    ),
    "generated_field": (  # 4 KiB once took 270 MB of memory; 94 KB ended in a MemoryError
        "CREATE TABLE fat (id INTEGER PRIMARY KEY, guid, mid, mod, usn, tags, sfld, csum, flags, data,"
        " flds TEXT GENERATED ALWAYS AS (printf('%.*c', 300000000, 'x')) VIRTUAL);"
        "INSERT INTO fat (id, guid, mid, mod, usn, tags, sfld, csum, flags, data)"
        " SELECT id, guid, mid, mod, usn, tags, sfld, csum, flags, data FROM notes;"
        "DROP TABLE notes; ALTER TABLE fat RENAME TO notes;",
        ": the collection's notes table has a generated column ('flds'); refused",
    ),
    "stored_generated_column": (
        "CREATE TABLE extra (a, b GENERATED ALWAYS AS (a || a) STORED);",
        ": the collection's extra table has a generated column ('b'); refused",
    ),
    "endless_revlog_view": (
        f"DROP TABLE revlog; CREATE VIEW revlog AS {ENDLESS}"
        " SELECT n AS id, 1 AS cid, 3 AS ease, 0 AS time FROM r;",
        ": the collection has a view ('revlog'), which Anki never makes; refused",
    ),
    "virtual_table": (
        "DROP TABLE revlog; CREATE VIRTUAL TABLE revlog USING fts5(id, cid, ease, time);",
        ": the collection has a virtual table ('revlog'), which Anki never makes; refused",
    ),
    "trigger": (
        "CREATE TRIGGER wipe AFTER INSERT ON notes BEGIN DELETE FROM cards; END;",
        ": the collection has a trigger ('wipe'), which Anki never makes; refused",
    ),
    "value_over_the_length_cap": (  # 20 MB of zeros compresses to little; SQLite refuses to load it
        "UPDATE col SET models = zeroblob(20000000);",
        ": not a readable Anki collection (",
    ),
    "huge_field": (
        "UPDATE notes SET flds = printf('%.*c', 2000000, 'x') || char(31) || 'back';",
        ": a note is longer than 1,048,576 characters (card ",
    ),
    "deep_json": (
        "UPDATE col SET models = printf('%.*c', 100000, '[');",
        ": not a readable Anki collection (",
    ),
    "time_out_of_range": ("UPDATE col SET crt = 99999999999999999;", ": not a readable Anki collection ("),
    "broken_schema": (
        "PRAGMA writable_schema = ON;"
        " UPDATE sqlite_master SET sql = 'CREATE TABLE notes (' WHERE name = 'notes';",
        ": not a readable Anki collection (",
    ),
}


def _package(name: str, entries: dict[str, bytes]) -> Callable[[Path], Path]:
    return lambda folder: generate.zipped(folder / name, entries)


GENERATED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "long_line_csv": (partial(generate.long_line, suffix=".csv"), ":1: line is longer than 1,048,576"),
    "long_line_md": (partial(generate.long_line, suffix=".md"), ":3: line is longer than 1,048,576"),
    "long_line_yaml": (partial(generate.long_line, suffix=".yaml"), ":3: line is longer than 1,048,576"),
    "deep_yaml": (generate.deep_yaml, ":2:23: YAML nested deeper than 16 levels; not a deck"),
    "utf16": (generate.utf16, ":1:2: NUL character: a binary file, or UTF-16"),
    "zip_bomb": (generate.zip_bomb, ": collection is larger than 1024 MiB uncompressed; refused"),
    "lying_zip": (generate.lying_bomb, ": damaged package ("),
    "path_traversal": (
        _package("traversal.apkg", {"../../evil.txt": b"pwned", "collection.anki2": b""}),
        ": refusing unsafe path in package: '../../evil.txt'",
    ),
    "absolute_path": (
        _package("absolute.apkg", {"/tmp/evil.txt": b"pwned"}),
        ": refusing unsafe path in package: '/tmp/evil.txt'",
    ),
    "windows_path": (
        _package("windows.apkg", {"..\\evil.txt": b"pwned"}),
        ": refusing unsafe path in package: '..\\\\evil.txt'",
    ),
    "encrypted_entry": (
        partial(generate.flagged, name="encrypted.apkg", flag=1),
        ": the package entry 'collection.anki2' is encrypted; Anki never encrypts",
    ),
    "unknown_compression": (
        partial(generate.flagged, name="aes.apkg", method=99),
        ": the package entry 'collection.anki2' uses compression method 99, which Anki does not write",
    ),
    **{
        f"long_card_side_{suffix[1:]}": (
            partial(generate.long_card_side, suffix=suffix),
            message,
        )
        for suffix, message in [
            (".csv", ":3: the card's back is 70,000 characters long; at most 65,536 are allowed"),
            (".txt", ":3: the card's back is 70,000 characters long; at most 65,536 are allowed"),
            (".yaml", ":5:9: the card's back is 70,000 characters long; at most 65,536 are allowed"),
            (".md", ":3: the card's back is 70,000 characters long; at most 65,536 are allowed"),
            (
                ".apkg",
                ": the card's back is 70,000 characters long; at most 65,536 are allowed"
                " (long_side.apkg:card ",
            ),
        ]
    },
    "not_sqlite_collection": (
        _package("not_sqlite.apkg", {"collection.anki2": b"<html>hi</html>"}),
        ": the collection inside the package is not an SQLite database",
    ),
    **{
        name: (partial(generate.rewritten, name=name, sql=sql), message)
        for name, (sql, message) in HOSTILE_SCHEMAS.items()
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Builds a generated case once per module (the bomb and the long lines take a few seconds)."""
    root = tmp_path_factory.mktemp("corpus")
    made: dict[str, Path] = {}

    def build(case: str) -> Path:
        if case not in made:
            (root / case).mkdir()
            made[case] = GENERATED[case][0](root / case)
        return made[case]

    return build


@pytest.mark.parametrize(("name", "message"), STATIC, ids=[name for name, _ in STATIC])
def test_corpus_files_are_refused(workspace: Workspace, name: str, message: str) -> None:
    workspace.refuses(CORPUS / name, message)


@pytest.mark.parametrize("case", GENERATED)
def test_generated_files_are_refused(workspace: Workspace, built: Callable[[str], Path], case: str) -> None:
    workspace.refuses(built(case), GENERATED[case][1], "--with-progress")
    assert not list(workspace.root.parent.rglob("evil.txt"))
    TALLY["attacks"] += case in ATTACKS


ATTACKS = {
    "generated_field",
    "stored_generated_column",
    "endless_revlog_view",
    "virtual_table",
    "trigger",
    "encrypted_entry",
    "unknown_compression",
    *(case for case in GENERATED if case.startswith("long_card_side_")),
}
"""The cases from the attack list (issue #11 and its siblings); the rest were refused before it."""


def test_absurd_anki_schedules_import_and_grade(workspace: Workspace, tmp_path: Path) -> None:
    """An Anki ease of 10**18 or lapses of 2**63-1 crashed the first grade; a due day passed the cap."""
    package = generate.rewritten(
        tmp_path,
        "absurd",
        "UPDATE cards SET type = 2, queue = 2, due = 9223372036854775807, ivl = 9223372036854775807,"
        " factor = 1000000000000000000, reps = 9223372036854775807, lapses = 9223372036854775807;",
    )
    assert workspace.trainer("import", str(package), "--with-progress").returncode == 0
    with closing(sqlite3.connect(workspace.db)) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM cards WHERE key LIKE 'g%'")]
    for card in ids:
        for quality in ("5", "0"):
            result = workspace.trainer("grade", str(card), quality)
            assert result.returncode == 0, result.stderr
    assert workspace.trainer("check").returncode == 0
    TALLY["attacks"] += 1


def test_corpus_files_stay_small() -> None:
    """Big hostile files are generated, never committed."""
    assert all(path.stat().st_size < 100_000 for path in CORPUS.iterdir())


def test_a_bad_file_after_good_ones_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("hola,hello\n", encoding="utf-8")
    workspace.refuses(CORPUS / "csv_ragged.csv", ":3: expected a front and a back", str(good))


@pytest.mark.parametrize(
    ("case", "sql"),
    [
        (
            "template_of_5000_open_sections",
            "UPDATE col SET models = replace(models, '{{Front}}',"
            " replace(printf('%.*c', 5000, '!'), '!', '{{#Front}}') || '{{Front}}');",
        ),
    ],
)
def test_harmless_tricks_import_quickly_and_do_nothing(
    workspace: Workspace, tmp_path: Path, case: str, sql: str
) -> None:
    """Templates are rendered in linear time, and a deep nesting of sections stays text."""
    package = generate.rewritten(tmp_path, case, sql)
    result = workspace.trainer("import", str(package), "--with-progress", "--json")
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(workspace.db)) as conn:
        query = "SELECT front FROM cards JOIN decks ON decks.id = deck_id WHERE decks.name = 'Hostile'"
        names = [row[0] for row in conn.execute(f"{query} ORDER BY position")]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert names[1:] == ["[...] is in Spain", "Madrid is in [...]"]
    assert names[0].endswith("hola")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "nl.yaml",
            'name: "AI\\n     3  0  0  3"\ncards:\n- {id: a, front: b, back: c}\n',
            ":1:7: deck name",
        ),
        ("esc.yaml", 'name: "\\e[2J"\ncards:\n- {id: a, front: b, back: c}\n', ":1:7: deck name"),
        ("bidi.yaml", "name: \u202eAI\ncards:\n- {id: a, front: b, back: c}\n", ":1:7: deck name"),
        (
            "esc.csv",
            "#deck:AI\x1b[2J\nhola,hello\n",
            ": deck name 'AI\\x1b[2J' contains the control character U+001B",
        ),
        ("sep.txt", "#separator:tab\n#deck:a\u2028b\nhola\thello\n", ": deck name"),
    ],
)
def test_deck_names_with_control_characters_are_refused(
    workspace: Workspace, tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    workspace.refuses(path, message)
    TALLY["attacks"] += 1


def test_package_deck_names_are_cleaned(workspace: Workspace, tmp_path: Path) -> None:
    """An Anki deck name with a newline (Anki itself refuses none) is imported with a space instead."""
    package = generate.rewritten(
        tmp_path,
        "names",
        "UPDATE col SET decks = replace(decks, 'Hostile', 'Hos' || '\\n' || 'tile' || '\\u001b');",
    )
    result = workspace.trainer("import", str(package))
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(workspace.db)) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM decks")}
    assert "Hos tile" in names and not any(char in "".join(names) for char in "\n\x1b")
    TALLY["attacks"] += 1


def test_duplicate_cards_of_one_note_are_skipped(workspace: Workspace, tmp_path: Path) -> None:
    """Two card rows for one note and template once ended in 'UNIQUE constraint failed'."""
    package = generate.rewritten(
        tmp_path,
        "duplicates",
        "INSERT INTO cards SELECT id + 1000, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,"
        " lapses, left, odue, odid, flags, data FROM cards;",
    )
    result = workspace.trainer("import", str(package), "--with-progress", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["decks"][0]["added"] == 3
    assert len(data["skipped"]) == 3 and "the same note and template as card" in data["skipped"][0]
    TALLY["attacks"] += 1


def test_a_csv_id_that_equals_a_renamed_duplicate(workspace: Workspace, tmp_path: Path) -> None:
    """Ids x, x, x-2: the second x became x-2 too and the import ended in 'UNIQUE constraint failed'."""
    path = tmp_path / "ids.csv"
    path.write_text("id,front,back\nx,a,b\nx,c,d\nx-2,e,f\n", encoding="utf-8")
    result = workspace.trainer("import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(workspace.db)) as conn:
        keys = [
            row[0]
            for row in conn.execute("SELECT key FROM cards WHERE front IN ('a', 'c', 'e') ORDER BY front")
        ]
    assert keys == ["x", "x-2", "x-2-2"]
    TALLY["attacks"] += 1
