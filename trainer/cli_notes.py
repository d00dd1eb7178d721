"""``trainer notes …`` and ``trainer sync``: the notes folder's commands over ``trainer.notes_sync``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.cli import Context, emit_json
from trainer.textsafe import printable
from trainer.words import plural

if TYPE_CHECKING:
    from trainer.decks.importers.model import ImportedDeck
    from trainer.decks.sync import Change, Plan
    from trainer.notes_sync import NoteSync, SyncReport
    from trainer.store.decks import DeckChanges

JSON_HELP = "Print the result as JSON."
pass_context = click.make_pass_decorator(Context)
"""Made here, not imported: ``trainer.cli`` imports this module to register it, and mypy cannot type
a decorator taken from a module that is still being defined."""


@click.group()
def notes() -> None:
    """Notes files and folders the trainer keeps in step: each file is one deck.

    Every start of the review screen and `trainer sync` bring the decks in step with the files:
    new definitions are added, edited ones updated (progress kept), a definition under a new term
    is a rename (progress kept), and a definition that is gone is retired (suspended, tagged
    `retired`) until it comes back.

    \b
    Examples:
      trainer notes add ~/notes          # *.md, *.markdown, *.txt below it
      trainer notes list
      trainer notes remove ~/notes/old.md
    """


@notes.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def notes_add(context: Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Register notes files or folders, then sync them.

    A folder brings every *.md, *.markdown and *.txt file below it, also files added to it later;
    hidden folders (.git, .obsidian) and node_modules are left out.

    \b
    Examples:
      trainer notes add ~/notes
      trainer notes add ai.md ml.md --json
    """
    from trainer.notes_sync import add_notes, sync

    conn = context.conn()
    added = add_notes(conn, list(paths))
    report = sync(conn, context.now())
    if as_json:
        emit_json({"added": [vars(item) for item in added], "sync": _report_data(report)})
        return
    for item in added:
        known = f" ({item.known} already registered)" if item.known else ""
        click.echo(printable(f"registered {plural(item.new, 'new notes file')} from {item.root}{known}"))
    click.echo(printable(report.summary()))


@notes.command("list")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def notes_list(context: Context, as_json: bool) -> None:
    """List the registered notes files, the deck each feeds and when it was last synced.

    \b
    Examples:
      trainer notes list
      trainer notes list --json | jq '.[].deck'
    """
    from trainer.store.notes import registered_notes

    records = registered_notes(context.conn())
    if as_json:
        emit_json([vars(record) for record in records])
        return
    if not records:
        click.echo("no notes registered (trainer notes add PATH registers some)")
    for record in records:
        deck = record.deck or "(not synced yet)"
        click.echo(printable(f"{record.path}\t{deck}\t{record.synced_at or 'never'}"))


@notes.command("remove")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def notes_remove(context: Context, path: Path, as_json: bool) -> None:
    """Stop syncing a registered file, or every file of a registered folder.

    Their decks, cards and progress stay as they are.

    \b
    Examples:
      trainer notes remove ~/notes/old.md
      trainer notes remove ~/notes --json
    """
    from trainer.notes_sync import remove_notes

    gone = remove_notes(context.conn(), path)
    if as_json:
        emit_json({"removed": gone})
        return
    files = plural(len(gone), "notes file")
    click.echo(printable(f"no longer syncing {files} from {path}; their decks stay"))


@notes.command("watch")
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 3600),
    default=2.0,
    show_default=True,
    help="Seconds between checks.",
)
@pass_context
def notes_watch(context: Context, interval: float) -> None:
    """Sync whenever a registered file changes, until Ctrl+C.

    Each check only stats the files, so watching a large folder costs little.

    \b
    Examples:
      trainer notes watch
      trainer notes watch --interval 10
    """
    from trainer.notes_sync import sync

    conn = context.conn()
    try:
        while True:
            report = sync(conn, context.now())
            if report.notes:
                click.echo(printable(report.summary()))
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("stopped watching")


@click.command("sync")
@click.option("--dry-run", is_flag=True, help="Show each card that would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def sync_command(context: Context, dry_run: bool, as_json: bool) -> None:
    """Bring the decks of the registered notes in step with the files.

    Only files whose size or modification time changed are read again. A note that cannot be read
    or parsed is reported and skipped; the others still sync (exit status 1 if any failed).

    \b
    Examples:
      trainer sync
      trainer sync --dry-run        # each changed card's old and new text
      trainer sync --json
    """
    from trainer.notes_sync import sync

    report = sync(context.conn(), context.now(), dry_run=dry_run)
    if as_json:
        emit_json(_report_data(report))
    else:
        click.echo(printable(report.summary()))
        if dry_run:
            for note in report.changed:
                _echo_note(note)
            click.echo("dry run: nothing was written")
        for note in report.failed:
            click.echo(printable(f"Error: {note.path}: {note.error}"), err=True)
    if report.failed:
        raise SystemExit(1)


def change_line(mark: str, change: Change) -> str:
    """One changed card for people: ``~ front: back`` with the changes marked."""
    from trainer.decks.sync import card_diff

    return printable(f"  {mark} {card_diff(change.old.front, change.old.back, change.new)}")


def _import_changes(changes: DeckChanges, loaded: list[ImportedDeck]) -> list[Change]:
    """The updated cards of one deck of an import, old and new (run while the database holds the old)."""
    from trainer.store.notes import changed_cards

    context = click.get_current_context().find_object(Context)
    deck = next((item.deck for item in loaded if item.deck.name == changes.deck), None)
    if context is None or deck is None:
        return []
    return changed_cards(context.conn(), deck, changes.updated)


def echo_import_changes(changes: DeckChanges, loaded: list[ImportedDeck], err: bool = False) -> None:
    """``trainer import --dry-run``: each card the import would update, its changes marked."""
    for change in _import_changes(changes, loaded):
        click.echo(change_line("~", change), err=err)


def import_changes_data(changes: DeckChanges, loaded: list[ImportedDeck]) -> list[dict[str, object]]:
    """``trainer import --dry-run --json``: the same as data."""
    return [_change_data(change) for change in _import_changes(changes, loaded)]


def _echo_note(note: NoteSync) -> None:
    click.echo(printable(f"{note.path} → deck {note.deck}"))
    plan = note.plan
    for card in plan.added:
        click.echo(printable(f"  + {card.front}: {card.back}"))
    for change in plan.updated:
        click.echo(change_line("~", change))
    for change in plan.renamed:
        click.echo(change_line("→", change))
    for change in plan.restored:
        click.echo(change_line("↺", change))
    for old in plan.retired:
        click.echo(printable(f"  - {old.front} (retired)"))


def _change_data(change: Change) -> dict[str, object]:
    from trainer.decks.sync import card_diff

    return {
        "id": change.new.id,
        "old": {"id": change.old.key, "front": change.old.front, "back": change.old.back},
        "new": {"front": change.new.front, "back": change.new.back},
        "diff": card_diff(change.old.front, change.old.back, change.new),
    }


def _plan_data(plan: Plan) -> dict[str, object]:
    return {
        "added": [{"id": card.id, "front": card.front, "back": card.back} for card in plan.added],
        "updated": [_change_data(change) for change in plan.updated],
        "renamed": [_change_data(change) for change in plan.renamed],
        "restored": [_change_data(change) for change in plan.restored],
        "retired": [{"id": old.key, "front": old.front, "back": old.back} for old in plan.retired],
        "unchanged": plan.unchanged,
    }


def _report_data(report: SyncReport) -> dict[str, object]:
    return {
        "dry_run": report.dry_run,
        "checked": report.checked,
        "summary": report.summary(),
        "notes": [
            {
                "path": note.path,
                "deck": note.deck,
                "gone": note.gone,
                "error": note.error,
                **_plan_data(note.plan),
            }
            for note in report.notes
        ],
    }
