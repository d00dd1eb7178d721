"""Two real `trainer grade` loops on one database: no 'database is locked' crash, no lost answer."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.reliability.tally import TALLY
from trainer.store.reviews import check

LOOP = textwrap.dedent(
    """
    import sys
    from click.testing import CliRunner
    from trainer.cli import cli

    db, offset, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ok = 0
    for n in range(rounds):
        day = 1 + (offset + n) % 28
        month = 1 + (offset + n) // 28 % 12
        now = f"{2030 + (offset + n) // 336}-{month:02d}-{day:02d}T12:00:00+00:00"
        result = CliRunner().invoke(cli, ["--db", db, "--now", now, "grade", str(1 + n % 5), "4", "--json"])
        if result.exit_code != 0:
            print("FAILED", result.output, file=sys.stderr)
            sys.exit(1)
        ok += 1
    print(ok)
    """
)


def test_two_grade_loops_add_up(db_path: Path, conn: sqlite3.Connection) -> None:
    rounds = 150
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", LOOP, str(db_path), str(offset), str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for offset in (0, 5000)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert int(out) == rounds
    logged = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    assert logged == 2 * rounds
    assert check(conn) == []
    TALLY["answers"] += logged


def test_a_held_write_lock_gives_a_clear_message(db_path: Path, conn: sqlite3.Connection) -> None:
    """Past the busy timeout the user gets one line, not a traceback, and nothing is written."""
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "trainer",
                "--db",
                str(db_path),
                "--now",
                "2026-11-22T12:00Z",
                "grade",
                "1",
                "4",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.returncode == 1
    assert "busy in another trainer process" in result.stderr
    assert "Traceback" not in result.stderr
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
