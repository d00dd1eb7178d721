"""Attacks that used to lose data: each is now refused (one line, nothing changed) or survived."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import Result

from tests.reliability.tally import TALLY
from tests.support import NOW, NOW_AT, TODAY, ZONE, Runner, invoke, sample_deck
from trainer.config import Settings
from trainer.decks.model import MAX_CARD_TEXT, Card, Deck
from trainer.decks.yaml_io import write_deck
from trainer.scheduler.schedule import MAX_COUNT
from trainer.session import ReviewSession
from trainer.store.backup import backups_dir, list_backups, list_daily_backups
from trainer.store.db import MIGRATIONS, SCHEMA_VERSION, _connect, connect, transaction
from trainer.store.decks import upsert_deck
from trainer.store.reviews import answer_card, check, undo_review


def fingerprint(path: Path) -> tuple[int, str]:
    """What a file is (its kind and, for a regular file, its bytes), without following a symlink."""
    mode = path.lstat().st_mode
    if stat.S_ISREG(mode):
        return mode, hashlib.sha256(path.read_bytes()).hexdigest()
    return mode, os.readlink(path) if stat.S_ISLNK(mode) else ""


def refused(result: Result, target: Path, reason: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"{target}: {reason}" in result.stderr, result.stderr
    assert reason.startswith("write") or "nothing was written" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    TALLY["attacks"] += 1


# 1. Exports and `backup -o` write only onto a new path or a plain file that is not a database ------------

EXPORTS: dict[str, Callable[[Path], list[str]]] = {
    "stats json": lambda target: ["export", "stats", "--format", "json", "-o", str(target)],
    "reviews": lambda target: ["export", "reviews", "-o", str(target)],
    "deck csv": lambda target: ["export", "deck", "Sample", "-o", str(target)],
    "backup": lambda target: ["backup", "-o", str(target)],
}


def _database_files(db_path: Path, command: str) -> dict[str, tuple[Path, str]]:
    """The files of a database in use (itself, its -wal and -shm, a backup of it) and why each is refused."""
    daily = backups_dir(db_path) / "trainer-daily-2026-11-22.db"
    if command == "backup":  # it knows which database it copies
        return {
            "database": (db_path, "that is the database"),
            "wal": (Path(f"{db_path}-wal"), "that is the database"),
            "shm": (Path(f"{db_path}-shm"), "that is the database"),
            "backup": (daily, "that is inside the backups folder"),
        }
    return {
        "database": (db_path, "that is a database in use"),
        "wal": (Path(f"{db_path}-wal"), "that is a file SQLite keeps beside"),
        "shm": (Path(f"{db_path}-shm"), "that is a file SQLite keeps beside"),
        "backup": (daily, "that is an SQLite database"),
    }


@pytest.mark.parametrize("command", EXPORTS)
@pytest.mark.parametrize("victim", ["database", "wal", "shm", "backup"])
def test_no_export_overwrites_the_database_or_its_files(tmp_path: Path, command: str, victim: str) -> None:
    db_path = tmp_path / "trainer.csv"  # a name `export deck` would write, so its extension is no defence
    keep = connect(db_path)  # an open connection keeps -wal and -shm in place
    with closing(keep):
        with transaction(keep):
            upsert_deck(keep, sample_deck())
        assert invoke(db_path, "grade", "1", "4").exit_code == 0  # also takes today's backup
        target, reason = _database_files(db_path, command)[victim]
        if command == "deck csv" and target.suffix != ".csv":
            reason = "write .yaml, .yml, .csv or .tsv"  # refused by its name already
        before = target.lstat().st_ino, fingerprint(target) if victim != "shm" else None  # SQLite writes -shm
        refused(invoke(db_path, *EXPORTS[command](target)), target, reason)
        assert (target.lstat().st_ino, fingerprint(target) if victim != "shm" else None) == before
        assert keep.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert keep.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1


def test_a_hard_link_to_the_database_is_the_database(
    db_path: Path, run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    link = tmp_path / "innocent.db"
    os.link(db_path, link)
    refused(run("backup", "-o", str(link)), link, "that is the database")
    refused(run("export", "reviews", "-o", str(link)), link, "that is an SQLite database")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_another_database_in_use_is_not_a_backup_target(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    other_path = tmp_path / "other" / "trainer.db"
    other = connect(other_path)
    with closing(other):
        before = fingerprint(other_path)
        refused(run("backup", "-o", str(other_path)), other_path, "that is a database in use")
        assert fingerprint(other_path) == before


def test_a_new_file_in_the_backups_folder_is_refused(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    target = backups_dir(db_path) / "trainer-20991231T000000Z-001.db"
    refused(run("backup", "-o", str(target)), target, "that is inside the backups folder")
    assert not target.exists()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _symlink(path: Path) -> None:
    victim = path.with_name("victim.txt")
    victim.write_text("precious\n")
    path.symlink_to(victim)


def _dangling(path: Path) -> None:
    path.symlink_to(path.with_name("nowhere.txt"))


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("precious\n")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (_fifo, "that is a FIFO (named pipe), not a regular file"),
        (_symlink, "that is a symbolic link, not a regular file"),
        (_dangling, "that is a symbolic link, not a regular file"),
    ],
    ids=["fifo", "symlink", "dangling-symlink"],
)
@pytest.mark.parametrize("command", [*EXPORTS, "stats csv"])
def test_exports_never_replace_what_is_not_a_regular_file(
    run: Runner,
    conn: sqlite3.Connection,
    tmp_path: Path,
    make: Callable[[Path], None],
    kind: str,
    command: str,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    if command == "stats csv":
        target = folder / "reviews.csv"
        args = ["export", "stats", "--format", "csv", "-o", str(folder)]
    else:
        target = folder / ("target.csv" if command == "deck csv" else "target.db")
        args = EXPORTS[command](target)
    make(target)
    around = {path: fingerprint(path) for path in target.parent.iterdir()}
    refused(run(*args), target, kind)
    assert {path: fingerprint(path) for path in target.parent.iterdir()} == around  # no temporary, no file


@pytest.mark.parametrize("command", EXPORTS)
def test_exports_never_write_to_a_device(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path, command: str
) -> None:
    target = Path("/dev/null")
    if command == "deck csv":  # a device node named like a deck file
        target = tmp_path / "null.csv"
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs privileges")
    result = run(*EXPORTS[command](target))
    refused(result, target, "that is a character device, not a regular file")
    assert stat.S_ISCHR(target.stat().st_mode)


def test_a_folder_is_not_replaced(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "stats.json"
    _folder(target)
    result = run("export", "stats", "--format", "json", "-o", str(target))
    refused(result, target, "that is a folder")
    assert (target / "inside.txt").read_text() == "precious\n"


def test_written_files_get_the_mode_a_plain_file_would(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """A new file gets 0o666 less the umask (built decks used to be 0o600); a replaced one keeps its mode."""
    old = os.umask(0o022)
    try:
        built = tmp_path / "decks" / "notes.yaml"
        write_deck(sample_deck(), built)  # as `trainer build` does
        assert stat.S_IMODE(built.stat().st_mode) == 0o644
        fresh = tmp_path / "fresh.yaml"
        for target in (fresh, tmp_path / "fresh.csv", tmp_path / "log.csv", tmp_path / "copy.db"):
            command = {"log.csv": "reviews", "copy.db": "backup"}.get(target.name, "deck csv")
            assert run(*EXPORTS[command](target)).exit_code == 0
            assert stat.S_IMODE(target.stat().st_mode) == 0o644, target
        fresh.chmod(0o640)
        assert run(*EXPORTS["deck csv"](fresh)).exit_code == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    TALLY["attacks"] += 1


def test_a_plain_file_is_still_replaced(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "stats.json"
    target.write_text("old export\n")
    assert run("export", "stats", "--format", "json", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    copy = tmp_path / "safe.db"
    for _ in range(2):  # an older copy that is not in use may be refreshed
        assert run("backup", "-o", str(copy)).exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []


# 3. Review ids are never reused, and an undo removes only the answer it made ------------------------------


def test_review_ids_are_never_reused(conn: sqlite3.Connection) -> None:
    now = datetime(2026, 11, 22, 9, tzinfo=UTC)
    first = answer_card(conn, 1, 5, now, TODAY)
    second = answer_card(conn, 2, 5, now, TODAY)
    assert undo_review(conn, second)
    third = answer_card(conn, 3, 5, now, TODAY)
    assert third.review_id > second.review_id > first.review_id
    assert not undo_review(conn, second)  # its id is gone for good: nothing else is removed
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 2
    TALLY["attacks"] += 1


def first_schema_sample_deck(conn: sqlite3.Connection) -> None:
    """The sample deck in a database of the first schema, which today's ``upsert_deck`` cannot write."""
    deck = sample_deck()
    with transaction(conn):
        conn.execute("INSERT INTO decks (name, source) VALUES (?, ?)", (deck.name, deck.source))
        conn.executemany(
            "INSERT INTO cards (deck_id, key, position, front, back, tags) VALUES (1, ?, ?, ?, ?, ?)",
            [(card.id, n, card.front, card.back, json.dumps(card.tags)) for n, card in enumerate(deck.cards)],
        )


def test_an_older_database_is_migrated_to_ids_that_are_never_reused(db_path: Path) -> None:
    old = _connect(db_path, MIGRATIONS[:1])
    with closing(old):
        first_schema_sample_deck(old)
        answered = [answer_card(old, card, 4, NOW_AT, TODAY) for card in (1, 2)]
    migrated = connect(db_path)
    with closing(migrated):
        assert migrated.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert undo_review(migrated, answered[-1])  # the answers and their ids came through
        again = answer_card(migrated, 3, 4, datetime(2026, 11, 22, 9, tzinfo=UTC), TODAY)
        assert again.review_id > answered[-1].review_id
        assert check(migrated) == []
    TALLY["attacks"] += 1


@pytest.mark.parametrize("same_card", [False, True], ids=["another-card", "same-card-same-grade"])
def test_undo_after_a_restore_elsewhere_never_deletes_another_answer(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path, same_card: bool
) -> None:
    saved = tmp_path / "saved.db"
    assert run("backup", "-o", str(saved)).exit_code == 0  # no answers yet
    now = datetime.fromisoformat(NOW)
    review = ReviewSession(conn, Settings(), ZONE, now)
    mine = review.answer(5, now)  # the TUI answers its first card
    assert run("restore", str(saved)).exit_code == 0  # another terminal puts the backup back
    other = str(mine.card_id) if same_card else "2"
    graded = run("grade", other, "5", "--json")  # and answers there
    assert graded.exit_code == 0, graded.output
    review.undo()
    assert [tuple(row) for row in conn.execute("SELECT card_id, quality FROM reviews")] == [(int(other), 5)]
    assert check(conn) == []
    TALLY["attacks"] += 1


# 4. `check` reads one snapshot, `check --repair` re-verifies in its write transaction ---------------------

GRADER = textwrap.dedent(
    """
    import sys
    from click.testing import CliRunner
    from trainer.cli import cli

    db, rounds = sys.argv[1], int(sys.argv[2])
    for n in range(rounds):
        now = f"2030-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T12:00:00+00:00"
        result = CliRunner().invoke(cli, ["--db", db, "--now", now, "grade", str(1 + n % 5), "4"])
        if result.exit_code != 0:
            sys.exit("grade failed: " + result.output)
    """
)
CHECKER = textwrap.dedent(
    """
    import sys
    from click.testing import CliRunner
    from trainer.cli import cli

    db, stop = sys.argv[1], sys.argv[2]
    alarms = runs = 0
    import os
    while not os.path.exists(stop) or runs < 20:
        args = ["check", "--repair"] if runs % 2 else ["check"]
        result = CliRunner().invoke(cli, ["--db", db, "--now", "2030-01-01T12:00:00+00:00", *args])
        runs += 1
        if result.exit_code != 0 or not result.output.startswith("ok:"):
            alarms += 1
            print(result.output, file=sys.stderr)
    print(runs, alarms)
    """
)


def test_check_while_another_process_answers(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    stop = tmp_path / "stop"
    checker = subprocess.Popen(
        [sys.executable, "-c", CHECKER, str(db_path), str(stop)], stdout=subprocess.PIPE, text=True
    )
    grader = subprocess.run(
        [sys.executable, "-c", GRADER, str(db_path), "150"], capture_output=True, text=True, timeout=300
    )
    stop.touch()
    out, _ = checker.communicate(timeout=300)
    assert grader.returncode == 0, grader.stderr
    runs, alarms = map(int, out.split())
    assert runs >= 20 and alarms == 0  # no false alarm, nothing to repair
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 150
    assert check(conn) == []  # no repair reverted an answer
    TALLY["answers"] += 150
    TALLY["attacks"] += 1


def test_repair_fixes_what_disagrees_and_nothing_else(conn: sqlite3.Connection) -> None:
    now = datetime(2026, 11, 22, 9, tzinfo=UTC)
    for card in (1, 2):
        answer_card(conn, card, 5, now, TODAY)
    conn.execute("UPDATE cards SET interval = 99 WHERE id = 1")  # deliberate tampering behind the log
    repaired = check(conn, repair=True)
    assert [item.card_id for item in repaired] == [1]
    assert check(conn) == []


# 2. `restore` takes only exactly a trainer database: its whole schema and its values ----------------------

SPOILS = {
    "trigger-deletes-answers": "CREATE TRIGGER t AFTER INSERT ON reviews BEGIN DELETE FROM reviews; END",
    "trigger-rewrites-text": (
        "CREATE TRIGGER t AFTER UPDATE ON cards BEGIN UPDATE cards SET front = 'owned' WHERE id = new.id; END"
    ),
    "trigger-before-delete": "CREATE TRIGGER keep BEFORE DELETE ON reviews BEGIN SELECT RAISE(IGNORE); END",
    "trigger-on-decks": "CREATE TRIGGER t AFTER INSERT ON decks BEGIN DELETE FROM cards; END",
    "view": "CREATE VIEW v AS SELECT * FROM cards",
    "view-shadowing": "CREATE VIEW cards_view AS SELECT front AS back FROM cards",
    "generated-virtual": "ALTER TABLE cards ADD COLUMN g TEXT GENERATED ALWAYS AS (front || back) VIRTUAL",
    "generated-huge": "ALTER TABLE reviews ADD COLUMN g GENERATED ALWAYS AS (zeroblob(100000000)) VIRTUAL",
    "extra-column": "ALTER TABLE cards ADD COLUMN extra TEXT",
    "missing-column": "ALTER TABLE reviews DROP COLUMN duration_ms",
    "renamed-column": "ALTER TABLE cards RENAME COLUMN back TO answer",
    "extra-table": "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
    "virtual-table": "CREATE VIRTUAL TABLE search USING fts5(text)",
    "extra-index": "CREATE INDEX evil ON cards (front, back)",
    "expression-index": "CREATE INDEX evil ON cards (length(front))",
    "missing-index": "DROP INDEX idx_cards_due_day",
    "unique-dropped": "DROP INDEX idx_decks_name; CREATE INDEX idx_decks_name ON decks (name)",
}
"""Schema attacks, one statement each, on a copy of a sound database."""

SCHEMA_EDITS = {
    "column-type": ("cards", '"front" TEXT NOT NULL', '"front" BLOB NOT NULL'),
    "check-constraint": ("cards", '"front" TEXT NOT NULL', '"front" TEXT NOT NULL CHECK (length(front) < 3)'),
    "collate-nocase": ("decks", '"name" TEXT NOT NULL', '"name" TEXT NOT NULL COLLATE NOCASE'),
    "default-changed": ("cards", "DEFAULT 250", "DEFAULT 999"),
    "not-null-dropped": ("cards", '"key" TEXT NOT NULL', '"key" TEXT'),
    "without-rowid": ("decks", "DEFAULT 0)", "DEFAULT 0) WITHOUT ROWID"),
}
"""Attacks that rewrite a CREATE statement in place (as a hand-made file can)."""

BAD_VALUES = {
    "due-not-a-date": "UPDATE cards SET due_day = 'tomorrow' WHERE id = 1",
    "due-impossible-date": "UPDATE cards SET due_day = '2026-02-30' WHERE id = 1",
    "due-compact-date": "UPDATE cards SET due_day = '20261122' WHERE id = 1",
    "day-year-zero": "UPDATE reviews SET day = '0000-01-01'",
    "tags-not-json": "UPDATE cards SET tags = 'not json' WHERE id = 1",
    "tags-not-a-list": "UPDATE cards SET tags = '{\"a\": 1}' WHERE id = 1",
    "tags-not-text": "UPDATE cards SET tags = '[1, 2]' WHERE id = 1",
    "tags-null": "UPDATE cards SET tags = NULL WHERE id = 1",
    "easiness-huge": "UPDATE cards SET easiness_cents = 1000000000000000000 WHERE id = 1",
    "easiness-below-floor": "UPDATE cards SET easiness_cents = 12 WHERE id = 1",
    "lapses-max": "UPDATE cards SET lapses = 9223372036854775807 WHERE id = 1",
    "interval-negative": "UPDATE cards SET interval = -5 WHERE id = 1",
    "interval-text": "UPDATE cards SET interval = 'six' WHERE id = 1",
    "interval-real": "UPDATE cards SET interval = 1.5 WHERE id = 1",
    "suspended-two": "UPDATE cards SET suspended = 2 WHERE id = 1",
    "front-blob": "UPDATE cards SET front = X'00ff' WHERE id = 1",
    "front-nul": "UPDATE cards SET front = 'a' || char(0) || 'b' WHERE id = 1",
    "deck-name-newline": "UPDATE decks SET name = 'Sample' || char(10) || 'forged  0  0  0  9'",
    "deck-name-empty": "UPDATE decks SET name = ''",
    "deck-name-spaces": "UPDATE decks SET name = '   '",
    "deck-name-nul": "UPDATE decks SET name = 'a' || char(0) || 'b'",
    "deck-name-escape": "UPDATE decks SET name = char(27) || '[2J'",
    "deck-name-bidi": "UPDATE decks SET name = 'abc' || char(8238) || 'txt.exe'",
    "deck-name-line-separator": "UPDATE decks SET name = 'a' || char(8232) || 'b'",
    "back-too-long": f"UPDATE cards SET back = printf('%.*c', {MAX_CARD_TEXT + 1}, 'x') WHERE id = 1",
    "repetitions-beyond-count": f"UPDATE cards SET repetitions = {MAX_COUNT + 1} WHERE id = 1",
    "logged-lapses-max": "UPDATE reviews SET lapses_after = 9223372036854775807",
    "logged-ease-huge": "UPDATE reviews SET easiness_after = 1000000000000000000",
    "duration-negative": "UPDATE reviews SET duration_ms = -1",
    "reviewed-at-not-a-time": "UPDATE reviews SET reviewed_at = 'yesterday'",
    "quality-nine": "UPDATE reviews SET quality = 9",
    "quality-missing": "UPDATE reviews SET quality = NULL",
    "kind-unknown": "UPDATE reviews SET kind = 'evil'",
    "state-null": "UPDATE reviews SET easiness_after = NULL",
    "review-of-no-card": "UPDATE reviews SET card_id = 999",
    "card-of-no-deck": "UPDATE cards SET deck_id = 999 WHERE id = 2",
    "sequence-at-limit": "UPDATE sqlite_sequence SET seq = 9223372036854775807",
    "sequence-other-table": "INSERT INTO sqlite_sequence (name, seq) VALUES ('cards', 1)",
}
"""Values the trainer never writes (each crashed or misled a later command)."""


@pytest.fixture
def saved(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> Path:
    """A sound backup holding one answer."""
    assert invoke(db_path, "grade", "1", "4").exit_code == 0
    path = tmp_path / "saved.db"
    assert invoke(db_path, "backup", "-o", str(path)).exit_code == 0
    return path


def _spoil(path: Path, script: str, edit: tuple[str, str, str] | None = None) -> None:
    """Tamper with a backup behind the library's back (raw SQL on purpose), as a hand edit would."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        if edit is None:
            db.execute("PRAGMA foreign_keys = OFF")
            db.executescript(script)
            return
        table, old, new = edit
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        assert old in sql
        version = db.execute("PRAGMA schema_version").fetchone()[0]
        db.execute("PRAGMA writable_schema = ON")
        db.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql.replace(old, new, 1), table))
        db.execute(f"PRAGMA schema_version = {version + 1}")


def _refused_restore(db_path: Path, conn: sqlite3.Connection, bad: Path) -> Result:
    before = fingerprint(db_path), conn.execute("SELECT * FROM reviews").fetchall()
    made = sorted(backups_dir(db_path).iterdir())
    result = invoke(db_path, "restore", str(bad))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {bad}: "), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert (fingerprint(db_path), conn.execute("SELECT * FROM reviews").fetchall()) == before
    assert sorted(backups_dir(db_path).iterdir()) == made  # nothing changed, not even a backup
    assert [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")] == []
    graded = invoke(db_path, "grade", "2", "5")  # and the trainer carries on, every answer kept
    assert graded.exit_code == 0, graded.output
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 2
    assert conn.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view')").fetchall() == []
    TALLY["attacks"] += 1
    return result


@pytest.mark.parametrize("name", SPOILS)
def test_restore_refuses_a_schema_we_did_not_make(
    db_path: Path, conn: sqlite3.Connection, saved: Path, name: str
) -> None:
    _spoil(saved, SPOILS[name])
    result = _refused_restore(db_path, conn, saved)
    assert "refused:" in result.stderr


@pytest.mark.parametrize("name", SCHEMA_EDITS)
def test_restore_refuses_a_rewritten_definition(
    db_path: Path, conn: sqlite3.Connection, saved: Path, name: str
) -> None:
    _spoil(saved, "", SCHEMA_EDITS[name])
    _refused_restore(db_path, conn, saved)


@pytest.mark.parametrize("name", BAD_VALUES)
def test_restore_refuses_values_the_trainer_never_writes(
    db_path: Path, conn: sqlite3.Connection, saved: Path, name: str
) -> None:
    _spoil(saved, BAD_VALUES[name])
    result = _refused_restore(db_path, conn, saved)
    assert "refused: table" in result.stderr, result.stderr


def test_restore_of_a_backup_from_the_backups_folder(run: Runner, conn: sqlite3.Connection) -> None:
    assert run("grade", "1", "4").exit_code == 0
    made = Path(run("backup").stdout.strip())
    assert run("grade", "2", "4").exit_code == 0
    result = run("restore", str(made))
    assert result.exit_code == 0, result.output
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "trainer_backup" not in names  # the backup's record of itself stays with the backup
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
    assert check(conn) == []


def test_restore_of_an_older_schema_is_migrated_and_continues_the_ids(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    old_path = tmp_path / "old.db"
    old = _connect(old_path, MIGRATIONS[:1])
    with closing(old):
        first_schema_sample_deck(old)
        answer_card(old, 1, 4, datetime(2026, 11, 20, 9, tzinfo=UTC), date(2026, 11, 20))
        old.execute("PRAGMA journal_mode = DELETE")
    for card in (1, 2, 3):
        answer_card(conn, card, 4, datetime(2026, 11, 21, 9, tzinfo=UTC), date(2026, 11, 21))
    result = run("restore", str(old_path), "--json")
    assert result.exit_code == 0, result.output
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    after = answer_card(conn, 2, 4, datetime(2026, 11, 22, 9, tzinfo=UTC), TODAY)
    assert after.review_id == 4  # after the 3 ids the database had given, not the backup's 1
    assert check(conn) == []


# 5. Backups: per database, in the order they were made, only whole ones we made, temporaries cleaned -----


def timed(db_path: Path) -> list[str]:
    return [path.name for path in list_backups(db_path)]


def test_retention_is_per_database(db_path: Path, run: Runner, conn: sqlite3.Connection) -> None:
    second = db_path.with_name("trainer-2.db")
    connect(second).close()
    theirs = [invoke(second, "backup", now=f"2026-11-22T10:0{n}:00+01:00").stdout.strip() for n in range(5)]
    for n in range(7):
        assert run("backup", now=f"2026-11-23T10:0{n}:00+01:00").exit_code == 0
    assert [str(path) for path in list_backups(second)] == theirs
    assert all(Path(path).exists() for path in theirs)
    assert len(timed(db_path)) == 5
    TALLY["attacks"] += 1


def _look_alikes(folder: Path, db_path: Path) -> dict[Path, bytes]:
    """Files named like backups that we did not make: text, an empty placeholder, a database copy."""
    folder.mkdir(exist_ok=True)
    copy = folder.parent / "copy.db"
    export = invoke(db_path, "backup", "-o", str(copy))  # a whole database, but no record of being a backup
    assert export.exit_code == 0, export.output
    copy.rename(folder / "trainer-20990101T000003Z-001.db")
    (folder / "trainer-20990101T000001Z-001.db").write_text("not a database")
    (folder / "trainer-20990101T000002Z-001.db").write_bytes(b"")
    (folder / "trainer-daily-2099-01-01.db").write_text("a daily look-alike")
    (folder / "trainer-daily-2000-01-01.db").write_bytes(b"")
    return {path: path.read_bytes() for path in folder.iterdir()}


def test_files_that_look_like_backups_are_never_counted_or_deleted(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    fakes = _look_alikes(backups_dir(db_path), db_path)
    made = [run("backup", now=f"2026-11-2{n}T10:00:00+01:00").stdout.strip() for n in range(7)]
    assert {path: path.read_bytes() for path in fakes} == fakes
    assert timed(db_path) == [Path(path).name for path in made[-5:]]
    TALLY["attacks"] += 1


def test_daily_look_alike_does_not_stand_for_todays_backup(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    folder = backups_dir(db_path)
    folder.mkdir()
    (folder / "trainer-daily-2026-11-22.db").write_text("not a backup")
    assert run("grade", "1", "4").exit_code == 0
    (daily,) = list_daily_backups(db_path)
    assert daily.name != "trainer-daily-2026-11-22.db"
    with closing(sqlite3.connect(daily)) as copy:
        assert copy.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 5
    assert (folder / "trainer-daily-2026-11-22.db").read_text() == "not a backup"
    TALLY["attacks"] += 1


def test_backups_are_ordered_as_they_were_made_not_by_name_or_mtime(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    """A clock going backwards makes names sort the wrong way, and mtimes can be anything."""
    times = [f"2026-11-2{9 - n}T10:00:00+01:00" for n in range(5)]
    made = [run("backup", now=now).stdout.strip() for now in times]
    for age, path in enumerate(made):
        os.utime(path, (1_000_000 + age, 1_000_000 - age))
    newest = run("backup", now="2026-11-01T10:00:00+01:00").stdout.strip()
    assert timed(db_path) == [Path(path).name for path in [*made[1:], newest]]
    TALLY["attacks"] += 1


def test_a_clock_in_the_future_never_deletes_the_new_backup(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    for n in range(5):
        assert run("backup", now=f"2099-01-0{n + 1}T10:00:00+01:00").exit_code == 0
    for n in range(6):
        printed = run("backup", now=f"2026-11-22T10:0{n}:00+01:00").stdout.strip()
        assert Path(printed).exists() and Path(printed).name in timed(db_path)
    assert len(timed(db_path)) == 5 and not any(name.startswith("trainer-2099") for name in timed(db_path))
    for n in range(3):  # the daily backup too
        assert run("decks", now=f"2099-01-0{n + 1}T10:00:00+01:00").exit_code == 0
    assert run("decks").exit_code == 0
    assert "trainer-daily-2026-11-22.db" in [path.name for path in list_daily_backups(db_path)]
    TALLY["attacks"] += 1


def _big_database(db_path: Path, megabytes: int) -> None:
    """A database large enough that copying it takes a while."""
    cards = tuple(
        Card(id=f"c{n}", front=f"front {n}", back=f"{n} " + "背面" * 5_000) for n in range(megabytes * 35)
    )
    big = connect(db_path)
    with closing(big), transaction(big):
        upsert_deck(big, Deck(name="Big", cards=cards))


def _kill_when(process: subprocess.Popen[bytes], folder: Path, pattern: str) -> None:
    """SIGKILL ``process`` as soon as a temporary matching ``pattern`` has data in ``folder``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if any(path.stat().st_size > 0 for path in folder.glob(pattern) if path.exists()):
            break
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert list(folder.glob(pattern)), "the process finished before it could be killed"


def _trainer(db_path: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "trainer", "--db", str(db_path), "--now", NOW, *args]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_killed_backup_is_never_counted_and_its_temporary_goes(tmp_path: Path) -> None:
    db_path = tmp_path / "trainer.db"
    _big_database(db_path, 40)
    kept = [invoke(db_path, "backup", now=f"2026-11-2{n}T10:00:00+01:00").stdout.strip() for n in range(5)]
    _kill_when(_trainer(db_path, "backup"), backups_dir(db_path), ".*.tmp")
    assert timed(db_path) == [Path(path).name for path in kept]  # the cut-off one is not counted
    assert invoke(db_path, "backup").exit_code == 0
    assert [path.name for path in backups_dir(db_path).iterdir() if path.name.startswith(".")] == []
    assert len(timed(db_path)) == 5 and Path(kept[0]).name not in timed(db_path)
    TALLY["kills"] += 1
    TALLY["attacks"] += 1


def test_a_killed_export_leaves_no_temporary_once_written_again(tmp_path: Path) -> None:
    db_path = tmp_path / "trainer.db"
    _big_database(db_path, 40)
    out = tmp_path / "out"
    out.mkdir()
    copy = out / "copy.db"
    _kill_when(_trainer(db_path, "backup", "-o", str(copy)), out, ".copy.db.*.tmp")
    assert not copy.exists()  # a cut-off copy never takes the name
    assert invoke(db_path, "backup", "-o", str(copy)).exit_code == 0
    assert [path.name for path in out.iterdir()] == ["copy.db"]
    TALLY["kills"] += 1
    TALLY["attacks"] += 1


def test_a_killed_restore_changes_nothing_and_its_temporary_goes(tmp_path: Path) -> None:
    db_path = tmp_path / "trainer.db"
    assert invoke(db_path, "grade", "1", "4").exit_code == 0  # a new database: the bundled decks
    before = invoke(db_path, "export", "reviews").stdout
    source = tmp_path / "big.db"
    _big_database(source, 40)
    _kill_when(_trainer(db_path, "restore", str(source)), tmp_path, ".trainer.db.*.tmp")
    assert invoke(db_path, "export", "reviews").stdout == before  # every answer is still there
    assert invoke(db_path, "decks").exit_code == 0  # the next start cleans up
    leftovers = [path.name for path in [*tmp_path.iterdir(), *backups_dir(db_path).iterdir()]]
    assert [name for name in leftovers if name.endswith(".tmp")] == []
    TALLY["kills"] += 1
    TALLY["attacks"] += 1


# 6. A read-only database or data folder: reading works, writing fails with what is wrong and where ------

SETPRIV = shutil.which("setpriv")


def unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """The trainer as a user for whom file modes hold (root without its override capabilities)."""
    command = [sys.executable, "-m", "trainer", *args]
    if os.geteuid() == 0:
        if SETPRIV is None:
            pytest.skip("root ignores file modes and setpriv is not here to drop that")
        command = [SETPRIV, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    env = {**os.environ, "TRAINER_NOW": NOW}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


READS = {
    "decks": ["decks"],
    "due": ["due", "--json"],
    "stats": ["stats", "--json"],
    "check": ["check"],
    "export stats": ["export", "stats", "--format", "json", "-o", "{out}/stats.json"],
    "export csv": ["export", "stats", "--format", "csv", "-o", "{out}/csv"],
    "export reviews": ["export", "reviews", "-o", "{out}/reviews.csv"],
    "export deck": ["export", "deck", "Sample", "-o", "{out}/deck.yaml"],
    "backup -o": ["backup", "-o", "{out}/copy.db"],
}


@pytest.mark.parametrize("locked", ["folder", "file", "both"])
def test_read_only_commands_work_on_a_read_only_database(tmp_path: Path, locked: str) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    out.mkdir()
    db_path = data / "trainer.db"
    made = connect(db_path)
    with closing(made):
        with transaction(made):
            upsert_deck(made, sample_deck())
        answer_card(made, 1, 4, datetime(2026, 11, 22, 9, tzinfo=UTC), TODAY)
    before = sorted(data.iterdir()), fingerprint(db_path)
    if locked in ("file", "both"):
        db_path.chmod(0o444)
    if locked in ("folder", "both"):
        data.chmod(0o555)
    try:
        for name, args in READS.items():
            result = unprivileged("--db", str(db_path), *(arg.format(out=out) for arg in args))
            assert result.returncode == 0, (name, result.stderr)
            assert result.stderr == "", (name, result.stderr)  # not even a warning about the daily backup
        assert len(json.loads((out / "stats.json").read_text(encoding="utf-8"))["reviews"]) == 1
        graded = unprivileged("--db", str(db_path), "grade", "2", "4")
        if locked != "file":  # a read-only file in a writable folder: SQLite itself says read-only
            assert sorted(data.iterdir()) == before[0]
    finally:
        data.chmod(0o755)
        db_path.chmod(0o644)
    assert graded.returncode == 1
    assert graded.stderr.count("\n") == 1 and "Traceback" not in graded.stderr
    assert graded.stderr.startswith(f"Error: {db_path}: database is read-only"), graded.stderr
    assert fingerprint(db_path) == before[1]
    with closing(sqlite3.connect(out / "copy.db")) as copy:
        assert copy.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1
    TALLY["attacks"] += 1


def test_a_read_only_folder_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o555)
    try:
        new = unprivileged("--db", str(data / "trainer.db"), "decks")
        nested = unprivileged("--db", str(data / "sub" / "trainer.db"), "decks")
    finally:
        data.chmod(0o755)
    for result, path in ((new, data / "trainer.db"), (nested, data / "sub" / "trainer.db")):
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"Error: {path}: cannot open database: its folder"), result.stderr
        assert "unable to open database file" not in result.stderr and "disk I/O error" not in result.stderr
    TALLY["attacks"] += 1


def test_a_read_only_database_that_needs_an_upgrade_says_so(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "trainer.db"
    _connect(db_path, MIGRATIONS[:1]).close()
    db_path.chmod(0o444)
    db_path.parent.chmod(0o555)
    try:
        result = unprivileged("--db", str(db_path), "decks")
    finally:
        db_path.parent.chmod(0o755)
        db_path.chmod(0o644)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: {db_path}: the database needs an upgrade to schema {SCHEMA_VERSION} but its folder "
        f"{db_path.parent} is read-only"
    )
    TALLY["attacks"] += 1


def _no_room() -> None:
    """In the child: files may not grow past 8 KiB, so SQLite cannot write its -shm (as on a full disk)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_read_only_commands_work_when_nothing_can_be_written(
    db_path: Path, run: Runner, conn: sqlite3.Connection
) -> None:
    answer_card(conn, 1, 4, datetime(2026, 11, 22, 9, tzinfo=UTC), TODAY)
    assert run("decks").exit_code == 0  # today's backup exists: nothing else needs writing
    conn.close()
    before = fingerprint(db_path)

    def trainer(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "trainer", "--db", str(db_path), "--now", NOW, *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, preexec_fn=_no_room)

    for args in (["decks"], ["due"], ["stats"], ["check"], ["export", "reviews"]):
        result = trainer(*args)
        assert result.returncode == 0 and result.stderr == "", (args, result.stderr)
    graded = trainer("grade", "2", "4")
    assert graded.returncode == 1 and graded.stderr.count("\n") == 1, graded.stderr
    assert graded.stderr.startswith(f"Error: {db_path}: database is read-only"), graded.stderr
    assert "the disk is full" in graded.stderr
    assert "disk I/O error" not in graded.stderr and "unable to open" not in graded.stderr
    assert fingerprint(db_path) == before
    TALLY["attacks"] += 1
