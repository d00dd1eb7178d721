"""Backups on demand and putting one back. Neither opens the collection: a backup copies the file as
it is, and a restore must not hold the database open while replacing it."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.cli.app import Context, cli, emit_json, pass_context
from trainer.textsafe import printable
from trainer.words import plural


@cli.command("backup")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the backup here (default: a new file in backups/ beside the database).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the backup's path as JSON.")
@pass_context
def backup_command(context: Context, output: Path | None, as_json: bool) -> None:
    """Back up the database now, with SQLite's backup API (safe while the trainer is in use).

    The trainer also keeps one backup per review day for 7 days, and one before every import,
    restore and schema upgrade, all in backups/ beside the database.

    \b
    Examples:
      trainer backup
      trainer backup -o ~/trainer-2026-11-22.db
      trainer backup --json | jq -r .backup
    """
    from trainer.collection import back_up

    made = back_up(context.db_path, context.now(), output)
    if as_json:
        emit_json(made.as_json())
        return
    click.echo(printable(str(made.path)))


@cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was restored as JSON.")
@pass_context
def restore_command(context: Context, file: Path, as_json: bool) -> None:
    """Replace the database with FILE, a trainer database or backup, after backing up the current one.

    FILE is checked first: an SQLite file that passes its integrity check, with exactly the trainer's
    schema at a version this trainer knows (no triggers, views or generated columns) and values the
    trainer could have written; if it is not, nothing changes. An older schema is upgraded. Other
    trainer processes see the old or the new database, never a mix.

    \b
    Examples:
      trainer restore ~/.local/share/trainer/backups/trainer-daily-2026-11-20.db
      trainer restore saved.db --json
    """
    from trainer.collection import restore

    done = restore(context.db_path, file, context.now())
    if as_json:
        emit_json(done.as_json(context.db_path))
        return
    answers = f"{plural(done.cards, 'card')} and {plural(done.reviews, 'answer')}"
    click.echo(printable(f"restored {answers} from {done.source}"))
    if done.backup:
        click.echo(printable(f"the database before the restore: {done.backup}"))
