"""Killing a process between (or during) answers loses nothing it had acknowledged."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from trainer.store.reviews import check

GRADER = textwrap.dedent(
    """
    import sys
    from datetime import date, datetime, timedelta, timezone
    from pathlib import Path
    from trainer.store.db import connect
    from trainer.store.reviews import answer_card

    conn = connect(Path(sys.argv[1]))
    start = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
    for n in range(100_000):
        answer_card(conn, 1 + n % 5, 4, start + timedelta(days=n), date(2026, 11, 22) + timedelta(days=n))
        print(n + 1, flush=True)
    """
)


def test_sigkill_mid_stream_keeps_every_acknowledged_answer(db_path: Path, conn: sqlite3.Connection) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", GRADER, str(db_path)], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    assert process.stdout is not None
    acknowledged = 0
    for line in process.stdout:
        acknowledged = int(line)
        if acknowledged >= 300:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    logged = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    assert logged >= acknowledged
    assert check(conn) == []
