"""`pip install .` ships the whole program: every package under trainer/, the stylesheet, the bundled decks.

The wheel is built as pip builds it for an install (isolated, with the build backend pyproject.toml
names), from a copy of the source tree so no build/ or egg-info lands in the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _wheel_names(tmp_path: Path) -> set[str]:
    source = tmp_path / "source"
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for folder in ("trainer", "decks"):
        shutil.copytree(REPO / folder, source / folder, symlinks=True, ignore=junk)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "out").glob("trainer-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_every_package_the_stylesheet_and_the_bundled_decks(tmp_path: Path) -> None:
    names = _wheel_names(tmp_path)
    packages = {path.relative_to(REPO).as_posix() for path in (REPO / "trainer").rglob("__init__.py")}
    assert {"trainer/__init__.py", "trainer/tui/screens/__init__.py"} <= packages  # the walk found them
    assert packages <= names, sorted(packages - names)
    stylesheets = {path.relative_to(REPO).as_posix() for path in (REPO / "trainer").rglob("*.tcss")}
    assert stylesheets and stylesheets <= names
    decks = {f"trainer/bundled_decks/{path.name}" for path in (REPO / "decks").glob("*.yaml")}
    assert len(decks) == 5 and decks | {"trainer/bundled_decks/__init__.py", "trainer/py.typed"} <= names
    assert not any(name.startswith(("decks/", "tests/")) for name in names)
