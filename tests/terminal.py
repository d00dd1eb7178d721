"""A real terminal for tests: one detached tmux session, read with capture-pane, typed into with send-keys."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable


class Terminal:
    """One detached tmux session (100x30 unless told) running a command, on a tmux server of its own.

    A server per terminal: with one shared server, a session started while the last one's server is
    shutting down fails with "server exited unexpectedly".
    """

    def __init__(self, command: list[str], env: dict[str, str], columns: int = 100, rows: int = 30) -> None:
        self.name = f"trainer-test-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", self.name]
        settings = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        session = ["new-session", "-d", "-s", self.name, "-x", str(columns), "-y", str(rows)]
        subprocess.run([*self.tmux, *session, *settings, *command], check=True)
        pane = [*self.tmux, "display-message", "-p", "-t", self.name, "#{pane_pid}"]
        self.pid = int(subprocess.run(pane, capture_output=True, text=True, check=True).stdout)
        """The process the pane runs (the command itself, as tmux execs it)."""

    def screen(self) -> str:
        result = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, ready: Callable[[str], bool], timeout: float = 15.0) -> str:
        """Poll the screen until ``ready`` holds; fail with what was on screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if ready(text):
                return text
            time.sleep(0.02)
        raise AssertionError(f"timed out; the screen shows:\n{self.screen()}")

    def show(self, variables: str) -> str:
        """tmux's own view of the pane, e.g. ``#{alternate_on}``: what the program left switched on."""
        query = [*self.tmux, "display-message", "-p", "-t", self.name, variables]
        return subprocess.run(query, capture_output=True, text=True).stdout.strip()

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)

    def kill(self) -> None:
        """SIGKILL the command, as a crash or a power cut would end it, then close the session."""
        os.kill(self.pid, signal.SIGKILL)
        self.close()
