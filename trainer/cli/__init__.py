"""The command line: click commands over ``trainer.collection``, one module per group of commands.

A bare ``trainer`` opens the review screen. ``app`` holds the group, its global options and the context
the commands share; a command module registers its commands on the group when one of them is first used.
"""

from trainer.cli.app import cli, main

__all__ = ["cli", "main"]
