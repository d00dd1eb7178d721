"""Open a notes file in the user's editor at a line, handing the terminal over while it runs."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path

from textual.app import App, SuspendNotSupported

FALLBACK_EDITOR = "vi"
"""The editor when neither $VISUAL nor $EDITOR names one (POSIX systems have it)."""


def editor_command(path: Path, line: int, environ: Mapping[str, str] = os.environ) -> list[str]:
    """``$VISUAL`` (or ``$EDITOR``, or vi) with ``+LINE FILE``, which vi, vim, nano, emacs and micro
    all take; the variable may hold arguments (``emacs -nw``)."""
    editor = environ.get("VISUAL", "").strip() or environ.get("EDITOR", "").strip() or FALLBACK_EDITOR
    return [*shlex.split(editor), f"+{line}", str(path)]


def run_editor(app: App[object], command: list[str]) -> str | None:
    """Run the editor with the terminal handed over (``App.suspend``), then take it back; returns why
    it could not run, or None. Where the app has no terminal to hand over (headless, as in tests) the
    editor runs as it is."""

    def run() -> str | None:
        try:
            subprocess.run(command, check=False)
        except OSError as error:  # not found, not executable
            return f"cannot run the editor {command[0]!r}: {error.strerror or error}"
        return None

    try:
        with app.suspend():
            return run()  # inside the block nothing may raise: the app would stay suspended
    except SuspendNotSupported:
        return run()
