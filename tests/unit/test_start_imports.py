"""What ``trainer review DECK`` imports before its first card: only what it needs (issue #14, start-up).

Each module kept off start-up costs milliseconds before the first frame; this keeps a later import at the
top of a module from silently putting one back.
"""

from __future__ import annotations

import subprocess
import sys

from trainer.cli.app import COMMAND_MODULES, EXPORT_MODULES, LazyGroup, cli

START_PATH = """
import sys
from trainer.cli.app import cli
context = cli.make_context("trainer", ["review", "DECK"])
review = cli.get_command(context, "review")
review.make_context("review", ["DECK"], parent=context)
import trainer.collection, trainer.tui.app  # what the review command imports to show the first card
import trainer.store.decks, trainer.store.notes  # for Collection.deck_id, and has_notes after the frame
print(" ".join(sorted(sys.modules)))
"""

OFF_START = {
    # the other commands
    "trainer.cli.backups", "trainer.cli.cards", "trainer.cli.deck_admin", "trainer.cli.deck_files",
    "trainer.cli.notes", "trainer.cli.stats",
    # what they, the other screens and the work after the first frame use
    "trainer.curation", "trainer.importing", "trainer.notes_sync", "trainer.results", "trainer.stats",
    "trainer.decks.model", "trainer.decks.sync", "trainer.decks.extract", "trainer.decks.importers",
    "trainer.decks.yaml_io", "trainer.store.backup", "trainer.store.export",
    # libraries the first card does not need
    "yaml", "sqlite_utils", "markdown_it", "mdit_py_plugins", "csv", "zipfile", "dateutil.parser",
}  # fmt: skip


def test_review_deck_imports_nothing_the_first_card_does_not_need() -> None:
    result = subprocess.run(
        [sys.executable, "-c", START_PATH], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(result.stdout.split())
    assert "trainer.cli.review" in loaded and "trainer.tui.app" in loaded
    assert sorted(OFF_START & loaded) == []


def test_each_command_is_found_in_the_module_its_group_names() -> None:
    export = cli.commands["export"]
    assert isinstance(export, LazyGroup)
    for group, modules, own in ((cli, COMMAND_MODULES, {"export"}), (export, EXPORT_MODULES, set())):
        named = {name: module for module, names in modules.items() for name in names}
        named |= dict.fromkeys(own, "trainer.cli.app")
        found = {name: getattr(cmd.callback, "__module__", None) for name, cmd in group.commands.items()}
        assert found == named
