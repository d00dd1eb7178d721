"""A database, a working directory and a temporary directory for real `python -m trainer` processes,
and what a test compares before and after one: the database's digest and every file's size and time."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from tests.reliability.tally import TALLY
from tests.support import NOW


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its size and modification time."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            stat = (Path(folder) / name).stat()
            found[str(Path(folder) / name)] = (stat.st_size, stat.st_mtime_ns)
    return found


def digest(db: Path) -> str:
    """The database's bytes once its log is folded in, so equal content gives an equal digest."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(db.read_bytes()).hexdigest()


class Workspace:
    """A database with a deck in it, an empty working directory and an empty temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "data" / "trainer.db"
        self.cwd = root / "cwd"
        self.tmp = root / "tmp"
        for folder in (self.cwd, self.tmp):
            folder.mkdir()
        assert self.trainer("decks").returncode == 0  # creates the database with the bundled decks

    def trainer(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run the trainer on the database; ``stdin`` is written to a pipe on its standard input."""
        env = {**os.environ, "TMPDIR": str(self.tmp), "TRAINER_NOW": NOW}
        command = [sys.executable, "-m", "trainer", "--db", str(self.db), *args]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=120, cwd=self.cwd, env=env, input=stdin
        )

    def refuses(self, path: Path, message: str, *options: str) -> None:
        """Importing ``path`` is one error line naming it, and changes nothing anywhere."""
        before, outside = digest(self.db), tree(self.root) | tree(path.parent)
        result = self.trainer("import", str(path), *options)
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr.startswith(f"Error: {path}{message}"), result.stderr
        assert result.stderr.count("\n") == 1 and result.stdout == "", result.stderr
        assert digest(self.db) == before
        after = tree(self.root) | tree(path.parent)
        new = {name for name in after if not name.startswith(str(self.db.parent))} - set(outside)
        assert new == set(), new
        assert {name: after[name] for name in outside if name in after} == outside  # nothing touched
        assert list(self.cwd.iterdir()) == [] and list(self.tmp.iterdir()) == []
        TALLY["hostile"] += 1
