"""A real pseudo-terminal for benchmarks: start a program at a size, type keys, time the frame that answers.

Headless Pilot timings leave out rendering, Textual's writer thread and the pty; this measures what a person
sees: the time from a key written to the terminal until the bytes that draw the expected text are read back.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path


class PtyProgram:
    """One program on its own pseudo-terminal, ``columns`` x ``rows``, its output drained as it comes."""

    def __init__(self, argv: list[str], env: dict[str, str], columns: int = 120, rows: int = 40) -> None:
        leader, follower = os.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows), **env},
            start_new_session=True,
            close_fds=True,
        )
        os.close(follower)
        self.fd = leader
        self.seen = b""
        """Output not yet matched: a frame may arrive in several reads, so text is looked for across them."""

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.fd, 1 << 16)
        except OSError:  # the program exited and the pty closed
            return b""

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        """Read until ``text`` is drawn; return the perf_counter time it arrived. Output before it goes."""
        needle = text.encode()
        deadline = time.perf_counter() + timeout
        while needle not in self.seen:
            if time.perf_counter() > deadline:
                tail = self.seen[-400:].decode(errors="replace")
                raise AssertionError(f"{text!r} never appeared; last output: {tail!r}")
            self.seen = self.seen[-len(needle) :] + self._read(0.05)
        arrived = time.perf_counter()
        self.seen = self.seen[self.seen.index(needle) + len(needle) :]
        return arrived

    def wait_for_other(
        self, pattern: re.Pattern[bytes], current: bytes | None, timeout: float = 30.0
    ) -> tuple[bytes, float]:
        """Read until text matching ``pattern`` other than ``current`` is drawn (the next card's mark);
        return it and the perf_counter time it arrived."""
        deadline = time.perf_counter() + timeout
        arrived = time.perf_counter()
        while True:
            for found in pattern.finditer(self.seen):
                if found.group() != current:
                    self.seen = self.seen[found.end() :]
                    return found.group(), arrived
            if time.perf_counter() > deadline:
                raise AssertionError(f"no new {pattern.pattern!r}; last output: {self.seen[-400:]!r}")
            self.seen = self.seen[-64:] + self._read(0.05)
            arrived = time.perf_counter()

    def drain(self, seconds: float) -> None:
        """Let the program draw for ``seconds`` (a person reading), keeping the pty from filling up."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self.seen = self._read(left)[-4096:]
        self.seen = b""

    def send(self, keys: str) -> float:
        """Write ``keys`` as typed; return the perf_counter time they were written."""
        os.write(self.fd, keys.encode())
        return time.perf_counter()

    def rss_mb(self) -> float:
        """The program's resident memory, from /proc."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS in /proc status")

    def hang_up(self) -> None:
        """Close the terminal's side, as a terminal window that goes away does, without a signal."""
        os.close(self.fd)
        self.fd = -1

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self.fd >= 0:
            os.close(self.fd)
