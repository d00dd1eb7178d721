"""The arrows point one way: the domain never imports the UI, the CLI or Textual."""

from __future__ import annotations

import subprocess
import sys

DOMAIN = [
    "trainer.scheduler.sm2",
    "trainer.scheduler.days",
    "trainer.scheduler.queue",
    "trainer.scheduler.schedule",
    "trainer.store.db",
    "trainer.store.cards",
    "trainer.store.decks",
    "trainer.store.reviews",
    "trainer.store.due",
    "trainer.session",
    "trainer.decks.model",
]


def test_domain_does_not_pull_in_the_ui() -> None:
    imports = "; ".join(f"import {name}" for name in DOMAIN)
    probe = (
        f"import sys; {imports}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'click'} "
        "or m in {'trainer.cli', 'trainer.tui'} or m.startswith('trainer.tui.')); print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_scheduler_is_pure() -> None:
    probe = (
        "import sys; import trainer.scheduler.sm2, trainer.scheduler.queue, trainer.scheduler.schedule; "
        "print(','.join(sorted(m for m in sys.modules if m in {'sqlite3', 'sqlite_utils', 'yaml'})))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
