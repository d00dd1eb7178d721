"""Decks and files: building decks from notes, importing files, exporting a deck to edit and re-import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.cli.app import JSON_HELP, Context, cli, emit_json, export, pass_context, progress_bar
from trainer.textsafe import printable
from trainer.words import plural, with_history

if TYPE_CHECKING:
    from trainer.collection import Collection
    from trainer.decks.sync import Change
    from trainer.importing import DeckImport, ImportReport, PendingImport


@cli.command("build")
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("decks"),
    show_default=True, help="Folder for the YAML decks.",
)  # fmt: skip
@click.option("--report", is_flag=True, help="Skipped candidates and why, cards by form, shared terms.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def build_command(sources: tuple[Path, ...], out_dir: Path, report: bool, as_json: bool) -> None:
    """Build one YAML deck per note document (Markdown or text), one card per definition.

    \b
    Examples:
      trainer build notes/*.md --out decks/
      trainer build ../shared/seeds/*.txt --report
    """
    from trainer.decks.build import build, format_report, report_data

    built = build(list(sources), out_dir)
    if as_json:
        emit_json(report_data(built))
        return
    click.echo(printable(format_report(built, verbose=report)))


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--deck", "deck_name", help="Put every card in this deck (default: the name each file gives).")
@click.option("--dry-run", is_flag=True, help="Show what would be added, updated and removed; write nothing.")
@click.option("--encoding", help="Text encoding, e.g. gbk (default: UTF-8 with or without BOM, or GB18030).")
@click.option("--with-progress", is_flag=True, help="Carry Anki review history and schedules over (.apkg).")
@click.option(
    "--columns",
    metavar="ROLE=N,...",
    help="Which column (from 1) is the id, front, back, tags of a CSV/TSV/Anki text file; others are"
    " left out. E.g. front=2,back=4,tags=6 (default: a header row, else front then back).",
)
@click.option("--prune", is_flag=True, help="Delete cards the files no longer have, with their history.")
@click.option("--yes", "-y", is_flag=True, help="Prune without asking.")
@click.option("--overwrite", is_flag=True, help="Take the file's text over your edit where both changed.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_context
def import_command(
    context: Context,
    files: tuple[Path, ...],
    deck_name: str | None,
    dry_run: bool,
    encoding: str | None,
    with_progress: bool,
    columns: str | None,
    prune: bool,
    yes: bool,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Import decks: CSV, TSV, Anki text (.txt) or package (.apkg/.colpkg), Markdown notes, YAML.

    The format comes from the extension and content. Cards are matched by id: importing a file
    again changes nothing, and an edited file updates its changed cards and keeps their progress.
    Cards the files no longer have are reported and kept unless --prune. All files go in one
    transaction: one bad row and nothing is written. The database is backed up before any change.
    A card you edited in the trainer keeps your text; if the file changed it too, that is listed as
    a conflict and your text stays, unless --overwrite.

    \b
    Examples:
      trainer import vocab.csv --deck Vocab
      trainer import hsk1.txt --encoding gbk --dry-run
      trainer import collection.apkg --with-progress
      trainer import vocab.tsv --prune --yes --json
      trainer import anki-export.txt --columns front=2,back=4,tags=6
      trainer import ai.yaml --dry-run && trainer import ai.yaml --overwrite
    """
    from trainer.collection import read_imports
    from trainer.decks.importers.csv_tsv import parse_columns
    from trainer.importing import ImportRequest

    roles = parse_columns(columns) if columns is not None else None
    request = ImportRequest(
        files, deck_name, encoding, with_progress, columns=roles, prune=prune, overwrite=overwrite
    )
    pending = read_imports(context.db_path, request, context.calendar)  # before opening: see there
    collection = context.collection()
    if prune and not dry_run and not yes:
        _confirm_prune(collection, pending)
    with progress_bar(pending.cards, "importing") as bar:
        report = collection.import_pending(pending, dry_run=dry_run, advance=bar.update)
    if as_json:
        emit_json(report.as_json())
        return
    for path in pending.unchanged_files:
        click.echo(f"{printable(str(path))}: unchanged: skipped")
    _echo_import(report)
    _echo_conflicts(collection, report)


def _confirm_prune(collection: Collection, pending: PendingImport) -> None:
    """Show what the import would delete and ask first; a no (or no answer) aborts, writing nothing."""
    preview = collection.import_pending(pending, dry_run=True)
    if preview.missing:
        _echo_import(preview, err=True)
        question = f"Delete {with_history(preview.missing)}?"
        click.confirm(question, abort=True, err=True)


def _echo_import(report: ImportReport, err: bool = False) -> None:
    """The import's outcome for people: one line per deck, then what was skipped and backed up."""
    result, pending = report.result, report.pending
    for deck in result.decks:
        _echo_deck(deck, report.changed_cards.get(deck.changes.deck, []), result.dry_run, err)
    if pending.media_skipped:
        click.echo(f"skipped {plural(pending.media_skipped, 'media file')} (sounds, images)", err=err)
    if skipped := pending.skipped_lines:
        click.echo(f"skipped {plural(len(skipped), 'line')}, e.g. {printable(skipped[0])}", err=err)
    if result.backup:
        click.echo(f"backup of the database before the import: {result.backup}", err=err)
    if result.dry_run:
        click.echo("dry run: nothing was written", err=err)


def _echo_conflicts(collection: Collection, report: ImportReport) -> None:
    from trainer.cli.cards import echo_conflicts

    dry_run, overwrite = report.result.dry_run, report.pending.request.overwrite
    for deck in report.result.decks:
        name, keys = deck.changes.deck, deck.changes.conflicts
        echo_conflicts(collection.curation, name, name, keys, "file", dry_run=dry_run, overwrite=overwrite)


def _echo_deck(deck: DeckImport, changed: list[Change], dry_run: bool, err: bool) -> None:
    """One deck of an import: its counts, each card a dry run would update, the missing cards, progress."""
    changes, would = deck.changes, "would be " if dry_run else ""
    line = (
        f"{printable(changes.deck)}: {len(changes.added)} {would}added,"
        f" {len(changes.updated)} {would}updated, {changes.unchanged} unchanged"
    )
    if deck.removed:
        line += f", {deck.removed} {would}removed"
    elif changes.missing:
        line += f", {len(changes.missing)} no longer in the files (kept; --prune deletes them)"
    click.echo(line, err=err)
    for change in changed:
        click.echo(change_line("~", change), err=err)
    for front in deck.missing_fronts:
        click.echo(f"  missing: {printable(front).replace(chr(10), ' ')}", err=err)
    if deck.progress_carried or deck.progress_kept:
        click.echo(
            f"  progress {would}carried over for {plural(deck.progress_carried, 'card')}"
            f" ({plural(deck.reviews_carried, 'past answer')});"
            f" {plural(deck.progress_kept, 'card')} keep the progress they have here",
            err=err,
        )


def change_line(mark: str, change: Change) -> str:
    """One changed card for people: ``~ front: back`` with the changes marked."""
    return printable(f"  {mark} {change.diff()}")


@export.command("deck")
@click.argument("deck")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
    help="File to write: .yaml/.yml, .csv or .tsv.",
)  # fmt: skip
@pass_context
def export_deck(context: Context, deck: str, output: Path) -> None:
    """Write DECK as YAML or CSV/TSV (by extension), to edit and import again.

    The file keeps every card's id, so importing it again matches the cards and keeps their progress.

    \b
    Examples:
      trainer export deck AI -o ai.yaml
      trainer export deck Vocab -o vocab.csv && trainer import vocab.csv
    """
    written = context.collection().export_deck(deck, output)
    click.echo(f"wrote {plural(written, 'card')} of {printable(deck)} to {output}")
