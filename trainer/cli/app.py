"""The click group: global options, the context every command shares, errors as one line, JSON, progress.

Commands live in the modules beside this one and register on ``cli`` (or ``export``) when imported;
each parses its arguments, calls the collection and prints. A command's module is imported when the
command is asked for, so ``trainer review DECK`` loads one module, not all seven.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from trainer.clock import Calendar, Clock, make_clock, resolve_zone
from trainer.config import Settings, load_settings
from trainer.errors import TrainerError
from trainer.paths import config_path, default_db_path
from trainer.textsafe import json_safe, printable

if TYPE_CHECKING:
    from trainer.collection import Collection

CARD_ID = click.IntRange(1, 2**63 - 1)
"""Card ids are SQLite integers: a larger number is a usage error, not an overflow in the store."""
JSON_HELP = "Print the result as JSON."


@dataclass
class Context:
    """What every command shares: where the database is, the settings, the zone, the clock, and the
    collection, opened on first use (``backup`` and ``restore`` never open it)."""

    db_path: Path
    settings: Settings
    zone: tzinfo
    clock: Clock
    _collection: Collection | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.clock()

    @property
    def calendar(self) -> Calendar:
        return self.settings.calendar(self.zone)

    def collection(self, back_up: bool = True) -> Collection:
        """The open collection. The day's first open backs the database up at once unless ``back_up``
        is False (the review screen does it after its first frame); a failed backup is a warning."""
        if self._collection is None:
            from trainer.collection import Collection

            self._collection = Collection.open(
                self.db_path, self.settings, self.zone, self.clock, back_up=back_up
            )
            for notice in self._collection.notices:
                click.echo(f"warning: {notice}", err=True)
        return self._collection

    def close(self) -> None:
        if self._collection is not None:
            self._collection.close()


pass_context = click.make_pass_decorator(Context)


class LazyGroup(click.Group):
    """A group whose commands register when their module is imported, on first use of one of them.

    ``modules`` maps each module to the names of the commands it registers here. Reading ``commands``
    (help, completion, "did you mean") imports them all; running one command imports its module alone.
    """

    def __init__(self, *args: Any, modules: Mapping[str, tuple[str, ...]] | None = None, **kwargs: Any):
        self.modules = dict(modules or {})
        self._unloaded = set(self.modules)
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        self._load(*self._unloaded)
        return self._registered

    @commands.setter
    def commands(self, commands: MutableMapping[str, click.Command]) -> None:
        self._registered = commands

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        unloaded, self._unloaded = self._unloaded, set()  # registering one must not import the rest
        try:
            super().add_command(cmd, name)
        finally:
            self._unloaded = unloaded

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if (command := self._registered.get(cmd_name)) is not None:
            return command
        module = next((module for module, names in self.modules.items() if cmd_name in names), None)
        self._load(*([module] if module else self._unloaded))  # an unknown name: every command, for hints
        return self._registered.get(cmd_name)

    def _load(self, *modules: str) -> None:
        for module in modules:
            self._unloaded.discard(module)
            importlib.import_module(module)


COMMAND_MODULES = {
    "trainer.cli.backups": ("backup", "restore"),
    "trainer.cli.cards": ("add", "cards", "delete", "edit", "forget"),
    "trainer.cli.deck_admin": ("deck",),
    "trainer.cli.deck_files": ("build", "import"),
    "trainer.cli.notes": ("notes", "sync"),
    "trainer.cli.review": ("check", "decks", "due", "grade", "review", "suspend"),
    "trainer.cli.stats": ("stats",),
}
"""Where each of ``cli``'s commands lives (``export`` lives here); a test keeps it equal to the modules."""
EXPORT_MODULES = {"trainer.cli.deck_files": ("deck",), "trainer.cli.stats": ("reviews", "stats")}
"""Where each of ``export``'s commands lives."""


class TrainerGroup(LazyGroup):
    """Turns every expected failure into one line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from trainer.collection import database_error

        try:
            return super().invoke(ctx)
        except TrainerError as error:
            raise click.ClickException(printable(str(error))) from error  # it may quote card text
        except Exception as error:
            if (message := database_error(error)) is None:
                raise
            obj = ctx.find_object(Context)
            where = f"{obj.db_path}: " if obj else ""
            raise click.ClickException(printable(f"{where}{message}")) from error


def emit_json(data: object) -> None:
    """Print ``data`` as JSON, with C1 control characters escaped so a terminal never acts on them."""
    import json  # off start-up

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    click.echo(json_safe(text))


def progress_bar(length: int, label: str = "exporting") -> Any:
    """A progress bar on stderr while it is a terminal; hidden (not even a label) when piped."""
    return click.progressbar(length=length, label=label, file=sys.stderr, hidden=not sys.stderr.isatty())


@click.group(
    cls=TrainerGroup,
    modules=COMMAND_MODULES,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Database file [env TRAINER_DB]."
)
@click.option("--now", envvar="TRAINER_NOW", help="Pin the current time, ISO 8601 [env TRAINER_NOW].")
@click.option(
    "--tz", "zone_name", envvar="TRAINER_TZ", help="Time zone, e.g. Europe/Berlin [env TRAINER_TZ]."
)
@click.option("--day-start-hour", type=int, help="Local hour a new review day starts (default 4).")
@click.option("--new-per-day", type=int, help="New cards per day (default 20).")
@click.option("--reviews-per-day", type=int, help="Reviews per day (default 200).")
@click.option("--simple-grading/--six-grades", default=None, help="Grade with forgot/hard/good/easy.")
@click.version_option(package_name="trainer")
@click.pass_context
def cli(
    ctx: click.Context,
    db_path: Path | None,
    now: str | None,
    zone_name: str | None,
    day_start_hour: int | None,
    new_per_day: int | None,
    reviews_per_day: int | None,
    simple_grading: bool | None,
) -> None:
    """A spaced-repetition flashcard trainer for the terminal.

    Run with no command to open the review screen.

    \b
    Examples:
      trainer                          # review today's cards
      trainer decks                    # decks with new / due counts
      trainer due --json | jq length   # today's queue for scripts
      trainer grade 42 4               # answer card 42 with quality 4
      trainer --now 2026-12-01T09:00 due
    """
    settings = load_settings(config_path()).overridden(
        day_start_hour=day_start_hour,
        new_per_day=new_per_day,
        reviews_per_day=reviews_per_day,
        timezone=zone_name,
        grading=None if simple_grading is None else ("simple" if simple_grading else "sm2"),
    )
    zone = resolve_zone(settings.timezone)
    ctx.obj = Context(db_path or default_db_path(), settings, zone, make_clock(now, zone))
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        from trainer.cli.review import review

        ctx.invoke(review)


@cli.group(cls=LazyGroup, modules=EXPORT_MODULES)
def export() -> None:
    """Write decks, stats or the review log to files.

    \b
    Examples:
      trainer export deck AI -o ai.yaml
      trainer export stats --format json -o stats.json
    """


def main() -> None:
    """Console-script entry point.

    Output that the terminal's encoding cannot show (Chinese card text under ``PYTHONIOENCODING=latin-1``,
    a file name that is not UTF-8) is written as backslash escapes instead of ending in a traceback.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    given = [*sys.argv[1:], *(os.environ.get(name, "") for name in _ENVIRONMENT)]
    if (bad := next((value for value in given if not _is_utf8(value)), None)) is not None:
        shown = os.fsencode(bad).decode("utf-8", "backslashreplace")
        click.echo(f"Error: {printable(shown)}: not valid UTF-8; name files in UTF-8", err=True)
        sys.exit(2)
    cli(prog_name="trainer")


_ENVIRONMENT = ("TRAINER_DB", "TRAINER_CONFIG", "TRAINER_NOW", "TRAINER_TZ")
"""The environment variables the trainer reads."""


def _is_utf8(text: str) -> bool:
    """False for text holding bytes that were not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
