"""No test module imports another: what tests share lives in ``tests/support.py`` (or a support module
beside them, such as ``tests/reliability/workspace.py``), so running or deleting one file never changes
another's tests."""

from __future__ import annotations

import ast

from tests.support import REPO

TESTS = REPO / "tests"


def imported_test_modules(source: str, package: str) -> list[str]:
    """The ``test_*`` modules that ``source`` (a module of ``package``) imports, anywhere in it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            modules = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [name for name in modules if name.rsplit(".", 1)[-1].startswith("test_")]
    return found


def test_no_module_of_the_tests_imports_a_test_module() -> None:
    """Test files, support modules and conftest files alike."""
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        name = path.relative_to(REPO).as_posix()
        package = ".".join(path.relative_to(REPO).parent.parts)
        imported = imported_test_modules(path.read_text(encoding="utf-8"), package)
        if imported:
            offenders[name] = imported
    assert offenders == {}


def test_the_check_sees_every_way_of_importing_a_test_module() -> None:
    source = """
import tests.unit.test_stats
from tests.unit.test_notes_sync import note
from tests.unit import test_export_deck
from .test_hostile import Workspace
from . import test_tmux as tmux

def late():
    from tests.reliability.test_hostile import digest
"""
    assert imported_test_modules(source, "tests.e2e") == [
        "tests.unit.test_stats",
        "tests.unit.test_notes_sync",
        "tests.unit.test_export_deck",
        "tests.e2e.test_hostile",
        "tests.e2e.test_tmux",
        "tests.reliability.test_hostile",
    ]
    fine = "from tests.support import NOW\nfrom tests.reliability.tally import TALLY\nimport tests.terminal\n"
    assert imported_test_modules(fine, "tests.unit") == []
