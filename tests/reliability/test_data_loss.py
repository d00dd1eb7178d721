"""Attacks that used to lose data: each is now refused (one line, nothing changed) or survived."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from tests.conftest import sample_deck
from tests.reliability.tally import TALLY
from trainer.cli import cli
from trainer.config import Settings
from trainer.decks.yaml_io import write_deck
from trainer.session import ReviewSession
from trainer.store.backup import backups_dir
from trainer.store.db import MIGRATIONS, SCHEMA_VERSION, _connect, connect, transaction
from trainer.store.decks import upsert_deck
from trainer.store.reviews import answer_card, check, undo_review

NOW = "2026-11-22T10:00:00+01:00"
DAY = date(2026, 11, 22)


def run(db_path: Path, *args: str, now: str = NOW) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), "--now", now, *args])


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
        assert run(db_path, "grade", "1", "4").exit_code == 0  # also takes today's backup
        target, reason = _database_files(db_path, command)[victim]
        if command == "deck csv" and target.suffix != ".csv":
            reason = "write .yaml, .yml, .csv or .tsv"  # refused by its name already
        before = target.lstat().st_ino, fingerprint(target) if victim != "shm" else None  # SQLite writes -shm
        refused(run(db_path, *EXPORTS[command](target)), target, reason)
        assert (target.lstat().st_ino, fingerprint(target) if victim != "shm" else None) == before
        assert keep.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert keep.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 1


def test_a_hard_link_to_the_database_is_the_database(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    link = tmp_path / "innocent.db"
    os.link(db_path, link)
    refused(run(db_path, "backup", "-o", str(link)), link, "that is the database")
    refused(run(db_path, "export", "reviews", "-o", str(link)), link, "that is an SQLite database")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_another_database_in_use_is_not_a_backup_target(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    other_path = tmp_path / "other" / "trainer.db"
    other = connect(other_path)
    with closing(other):
        before = fingerprint(other_path)
        refused(run(db_path, "backup", "-o", str(other_path)), other_path, "that is a database in use")
        assert fingerprint(other_path) == before


def test_a_new_file_in_the_backups_folder_is_refused(db_path: Path, conn: sqlite3.Connection) -> None:
    target = backups_dir(db_path) / "trainer-20991231T000000Z-001.db"
    refused(run(db_path, "backup", "-o", str(target)), target, "that is inside the backups folder")
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
    db_path: Path,
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
    refused(run(db_path, *args), target, kind)
    assert {path: fingerprint(path) for path in target.parent.iterdir()} == around  # no temporary, no file


@pytest.mark.parametrize("command", EXPORTS)
def test_exports_never_write_to_a_device(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path, command: str
) -> None:
    target = Path("/dev/null")
    if command == "deck csv":  # a device node named like a deck file
        target = tmp_path / "null.csv"
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs privileges")
    refused(run(db_path, *EXPORTS[command](target)), target, "that is a character device, not a regular file")
    assert stat.S_ISCHR(target.stat().st_mode)


def test_a_folder_is_not_replaced(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "stats.json"
    _folder(target)
    result = run(db_path, "export", "stats", "--format", "json", "-o", str(target))
    refused(result, target, "that is a folder")
    assert (target / "inside.txt").read_text() == "precious\n"


def test_written_files_get_the_mode_a_plain_file_would(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path
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
            assert run(db_path, *EXPORTS[command](target)).exit_code == 0
            assert stat.S_IMODE(target.stat().st_mode) == 0o644, target
        fresh.chmod(0o640)
        assert run(db_path, *EXPORTS["deck csv"](fresh)).exit_code == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    TALLY["attacks"] += 1


def test_a_plain_file_is_still_replaced(db_path: Path, conn: sqlite3.Connection, tmp_path: Path) -> None:
    target = tmp_path / "stats.json"
    target.write_text("old export\n")
    assert run(db_path, "export", "stats", "--format", "json", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    copy = tmp_path / "safe.db"
    for _ in range(2):  # an older copy that is not in use may be refreshed
        assert run(db_path, "backup", "-o", str(copy)).exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []


# 3. Review ids are never reused, and an undo removes only the answer it made ------------------------------


def test_review_ids_are_never_reused(conn: sqlite3.Connection) -> None:
    now = datetime(2026, 11, 22, 9, tzinfo=UTC)
    first = answer_card(conn, 1, 5, now, DAY)
    second = answer_card(conn, 2, 5, now, DAY)
    assert undo_review(conn, second)
    third = answer_card(conn, 3, 5, now, DAY)
    assert third.review_id > second.review_id > first.review_id
    assert not undo_review(conn, second)  # its id is gone for good: nothing else is removed
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 2
    TALLY["attacks"] += 1


def test_an_older_database_is_migrated_to_ids_that_are_never_reused(db_path: Path) -> None:
    old = _connect(db_path, MIGRATIONS[:1])
    with closing(old):
        with transaction(old):
            upsert_deck(old, sample_deck())
        answered = [answer_card(old, card, 4, datetime(2026, 11, 22, 9, tzinfo=UTC), DAY) for card in (1, 2)]
    migrated = connect(db_path)
    with closing(migrated):
        assert migrated.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert undo_review(migrated, answered[-1])  # the answers and their ids came through
        again = answer_card(migrated, 3, 4, datetime(2026, 11, 22, 9, tzinfo=UTC), DAY)
        assert again.review_id > answered[-1].review_id
        assert check(migrated) == []
    TALLY["attacks"] += 1


@pytest.mark.parametrize("same_card", [False, True], ids=["another-card", "same-card-same-grade"])
def test_undo_after_a_restore_elsewhere_never_deletes_another_answer(
    db_path: Path, conn: sqlite3.Connection, tmp_path: Path, same_card: bool
) -> None:
    saved = tmp_path / "saved.db"
    assert run(db_path, "backup", "-o", str(saved)).exit_code == 0  # no answers yet
    now = datetime.fromisoformat(NOW)
    review = ReviewSession(conn, Settings(), ZoneInfo("Europe/Berlin"), now)
    mine = review.answer(5, now)  # the TUI answers its first card
    assert run(db_path, "restore", str(saved)).exit_code == 0  # another terminal puts the backup back
    other = str(mine.card_id) if same_card else "2"
    graded = run(db_path, "grade", other, "5", "--json")  # and answers there
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
        answer_card(conn, card, 5, now, DAY)
    conn.execute("UPDATE cards SET interval = 99 WHERE id = 1")
    repaired = check(conn, repair=True)
    assert [item.card_id for item in repaired] == [1]
    assert check(conn) == []
