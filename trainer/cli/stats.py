"""Progress from the review log: the report, and the figures, cards and log exported for other tools."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trainer.cli.app import Context, cli, emit_json, export, pass_context, progress_bar
from trainer.textsafe import printable
from trainer.words import plural


@cli.command()
@click.option("--deck", help="Only this deck.")
@click.option(
    "--days",
    type=click.IntRange(1, 36_500),
    default=30,
    show_default=True,
    help="Review days the period covers.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_context
def stats(context: Context, deck: str | None, days: int, as_json: bool) -> None:
    """Show progress: cards by state, answers per day, streaks, retention, easiness, forecast, decks.

    Days are review days (they begin at the day-start hour). Retention is the share of the day's first
    grades of already scheduled cards that were 3 or better; young cards have an interval under 21
    days, mature ones 21 or more. A streak counts days with at least one answer.

    \b
    Examples:
      trainer stats
      trainer stats --deck AI --days 7
      trainer stats --json | jq .streak.current
    """
    figures = context.collection().stats(deck, days)
    if as_json:
        emit_json({"deck": deck} | figures.as_json())
        return
    from rich.console import Console

    from trainer.stats.report import report

    Console(highlight=False).print(report(figures, deck))


@export.command("stats")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), required=True, help="Output format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="csv: folder for cards.csv and reviews.csv (created). json: file; stdout without it.",
)
@click.option("--days", type=click.IntRange(1, 36_500), default=30, show_default=True, help="Summary period.")
@pass_context
def export_stats(context: Context, fmt: str, output: Path | None, days: int) -> None:
    """Export the figures, every card and the whole review log.

    \b
    csv: cards.csv   deck, card_id, front, state, easiness, interval, due_day,
                     repetitions, lapses, last_review, last_review_utc
         reviews.csv time, time_utc, day, card_id, deck, quality, kind,
                     interval_after, easiness_after, duration_ms
    json: {"summary": figures as in `stats --json`, "cards": [...], "reviews": [...]}
    Times are ISO 8601 in your zone with its offset; the *_utc columns hold the same
    instants in UTC (...Z), for pandas' parse_dates in a zone with summer time.
    Files are UTF-8 and replaced atomically.

    \b
    Examples:
      trainer export stats --format csv -o stats/
      trainer export stats --format json -o stats.json
      trainer export stats --format json | jq '.reviews | length'
    """
    collection = context.collection()
    if fmt == "csv" and output is None:
        raise click.UsageError("--format csv writes two files: give a folder with -o DIR")
    with progress_bar(collection.export_size()) as bar:
        if fmt == "csv" and output is not None:
            written = collection.export_stats_csv(output, bar.update)
        else:
            written = collection.export_stats_json(output or sys.stdout, days, bar.update)
    if output is None:
        return
    cards, answers = plural(written["cards"], "card"), plural(written["reviews"], "review")
    if fmt == "csv":
        where = f"{cards} to {output / 'cards.csv'} and {answers} to {output / 'reviews.csv'}"
    else:
        where = f"the figures, {cards} and {answers} to {output}"
    click.echo(printable(f"wrote {where}"))


@export.command("reviews")
@click.option("--format", "fmt", type=click.Choice(["fsrs"]), default="fsrs", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File; stdout without it."
)
@pass_context
def export_reviews(context: Context, fmt: str, output: Path | None) -> None:
    """Export the review log as the CSV the FSRS optimizer reads.

    \b
    Columns: card_id, review_time (UTC ms since 1970), review_rating,
             review_state, review_duration (ms; 0 when not recorded).
    Ratings: grades 0, 1, 2 -> 1 Again; 3 -> 2 Hard; 4 -> 3 Good; 5 -> 4 Easy.
    States:  0 New (a card's first answer), 2 Review (two or more successful
             repetitions in a row), 3 Relearning (fewer, after a lapse),
             1 Learning (fewer, never lapsed).
    Same-day drills are included as short-term reviews; imported schedules are
    not (they have no grade). Give the optimizer your zone and day-start hour.

    \b
    Examples:
      trainer export reviews --format fsrs -o revlog.csv
      python -m fsrs_optimizer revlog.csv
    """
    collection = context.collection()
    with progress_bar(collection.review_count()) as bar:
        written = collection.export_reviews(output or sys.stdout, bar.update)
    if output is not None:
        click.echo(printable(f"wrote {plural(written, 'answer')} to {output}"))
