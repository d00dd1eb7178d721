"""``trainer notes …`` and ``trainer sync``: the notes files and folders the trainer keeps in step."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.cli.app import JSON_HELP, Context, cli, emit_json, pass_context
from trainer.cli.deck_files import change_line
from trainer.textsafe import printable
from trainer.words import plural

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.notes_sync import NoteSync, SyncReport


@cli.group()
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
    collection = context.collection()
    added = collection.add_notes(list(paths))
    report = collection.sync_notes()
    if as_json:
        emit_json({"added": [item.as_json() for item in added], "sync": report.as_json()})
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
    records = context.collection().registered_notes()
    if as_json:
        emit_json([record.as_json() for record in records])
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
    gone = context.collection().remove_notes(path)
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
    collection = context.collection()
    try:
        while True:
            report = collection.sync_notes()
            if report.notes:
                click.echo(printable(report.summary()))
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("stopped watching")


@cli.command("sync")
@click.option("--dry-run", is_flag=True, help="Show each card that would change; write nothing.")
@click.option("--overwrite", is_flag=True, help="Take the note's text over your edit where both changed.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def sync_command(context: Context, dry_run: bool, overwrite: bool, as_json: bool) -> None:
    """Bring the decks of the registered notes in step with the files.

    Only files whose size or modification time changed are read again. A note that cannot be read
    or parsed is reported and skipped; the others still sync (exit status 1 if any failed). A card
    you edited in the trainer keeps your text; if its note's definition changed too, that is listed
    as a conflict and your text stays, unless --overwrite.

    \b
    Examples:
      trainer sync
      trainer sync --dry-run        # each changed card's old and new text
      trainer sync --json
      trainer sync --dry-run && trainer sync --overwrite
    """
    collection = context.collection()
    report = collection.sync_notes(dry_run=dry_run, overwrite=overwrite)
    if as_json:
        emit_json(report.as_json())
    else:
        click.echo(printable(report.summary()))
        if dry_run:
            for note in report.changed:
                _echo_note(note)
        _echo_conflicts(collection, report, overwrite)
        if dry_run:
            click.echo("dry run: nothing was written")
        for note in report.failed:
            click.echo(printable(f"Error: {note.path}: {note.error}"), err=True)
    if report.failed:
        raise SystemExit(1)


def _echo_conflicts(collection: Collection, report: SyncReport, overwrite: bool) -> None:
    from trainer.cli.cards import echo_conflicts

    for note in report.notes:
        if note.deck is not None:
            echo_conflicts(
                collection.curation, note.path, note.deck, note.conflicts, "note", dry_run=report.dry_run,
                overwrite=overwrite,
            )  # fmt: skip


def _echo_note(note: NoteSync) -> None:
    """What a dry run would do to one file's deck, card by card."""
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
