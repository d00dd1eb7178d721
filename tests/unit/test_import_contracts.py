"""The import-linter contracts in pyproject.toml catch what they promise to: run on a copy of the
package with one forbidden import added, `lint-imports` fails and names it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_copy_with(tmp_path: Path, module: str, source: str) -> subprocess.CompletedProcess[str]:
    """`lint-imports` over a copy of ``trainer`` that has ``module`` (a dotted name) holding ``source``."""
    shutil.copytree(REPO / "trainer", tmp_path / "trainer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / Path(*module.split("."))).with_suffix(".py").write_text(source, encoding="utf-8")
    environment = os.environ | {"PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", "pyproject.toml", "--no-cache"],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        ("trainer.tui.sneaky", "from trainer.store import db\n", "trainer.tui.sneaky -> trainer.store.db"),
        ("trainer.cli_sneaky", "import sqlite3\n", None),  # not a front end: allowed
        ("trainer.stats.sneaky", "import textual\n", "trainer.stats.sneaky -> textual"),
        (
            "trainer.scheduler.sneaky",
            "from trainer import words\n",
            "trainer.scheduler.sneaky -> trainer.words",
        ),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, source: str, broken: str | None
) -> None:
    result = lint_copy_with(tmp_path, module, source)
    output = result.stdout + result.stderr
    if broken is None:
        assert result.returncode == 0, output  # the copy is clean apart from what was added
    else:
        assert result.returncode != 0 and broken in output, output
