"""The command line: click commands over ``trainer.collection``, one module per group of commands.

A bare ``trainer`` opens the review screen. ``app`` holds the group, its global options and the context
the commands share; importing a command module registers its commands on the group.
"""

from trainer.cli import backups, cards, deck_admin, deck_files, notes, review, stats  # noqa: F401  (they register commands)
from trainer.cli.app import cli, main

__all__ = ["cli", "main"]
