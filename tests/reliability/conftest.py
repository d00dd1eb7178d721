"""Prints the reliability tally after the test summary."""

from __future__ import annotations

import pytest

from tests.reliability.tally import TALLY, line


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if sum(TALLY.values()):
        terminalreporter.write_line(line())
