"""The reliability tests' workspace fixture, and the tally printed after the test summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.tally import TALLY, line
from tests.reliability.workspace import Workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A database holding the bundled decks, for real `python -m trainer` processes."""
    return Workspace(tmp_path)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if sum(TALLY.values()):
        terminalreporter.write_line(line())
