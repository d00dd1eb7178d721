"""The `trainer stats` report as Rich tables. Every cell is a Text object: nothing here is read as markup."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from trainer.stats.figures import STATES, Retention, Stats
from trainer.textsafe import printable
from trainer.words import plural

BUCKET_TOP = Decimal("0.09")
"""An easiness bucket from 2.5 holds 2.50 to 2.59."""


def easiness_bucket(low: Decimal) -> str:
    """'2.00–2.09', '2.50–2.59': both ends in hundredths, as EF is held, so every row reads alike."""
    return f"{low:.2f}–{low + BUCKET_TOP:.2f}"


def percent(share: float | None) -> str:
    """'87.5%', or '-' when there was nothing to measure."""
    return "-" if share is None else f"{share:.1%}"


def retention_text(figure: Retention) -> str:
    """'87.5% (7 of 8)'."""
    return f"{percent(figure.share)} ({figure.passed} of {figure.reviews})"


def _table(*columns: str) -> Table:
    table = Table(box=None, padding=(0, 2))
    for number, column in enumerate(columns):
        table.add_column(Text(column), justify="left" if number == 0 else "right")
    return table


def _cells(*values: object) -> list[Text]:
    return [Text(str(value)) for value in values]


def report(stats: Stats, deck: str | None = None) -> RenderableType:
    """The whole report for the terminal."""
    parts: list[RenderableType] = []
    for title, table in _sections(stats):
        parts += [Text(title, style="bold"), table, Text("")]
    scope = f"deck {printable(deck)}" if deck is not None else "all decks"
    heading = Text(
        f"Progress on {stats.today.isoformat()}, {scope}, last {plural(stats.days, 'day')}\n", style="bold"
    )
    return Group(heading, *parts)


def _sections(stats: Stats) -> Iterator[tuple[str, Table]]:
    """(title, table) for each part of the report."""
    cards = _table("state", "cards")
    for state in STATES:
        cards.add_row(*_cells(state, stats.states[state]))
    cards.add_row(*_cells("total", sum(stats.states.values())))
    yield "Cards", cards

    studied = [day for day in stats.per_day if day.answers]
    total = sum(day.answers for day in stats.per_day)
    habit = _table("figure", "value")
    habit.add_row(*_cells("answers today", stats.today_count.answers))
    habit.add_row(*_cells(f"answers, last {plural(stats.days, 'day')}", total))
    habit.add_row(*_cells("days studied", f"{len(studied)} of {stats.days}"))
    habit.add_row(*_cells("current streak", plural(stats.streaks.current, "day")))
    habit.add_row(*_cells("longest streak", plural(stats.streaks.longest, "day")))
    yield "Habit", habit

    per_day = _table("day", "answers", "reviews", "drills")
    for day in studied:
        per_day.add_row(*_cells(day.day.isoformat(), day.answers, day.reviews, day.drills))
    yield "Answers per day (days with answers)", per_day

    retention = _table("cards", "retention")
    retention.add_row(*_cells("young (interval < 21 d)", retention_text(stats.young)))
    retention.add_row(*_cells("mature (interval >= 21 d)", retention_text(stats.mature)))
    retention.add_row(*_cells("all", retention_text(stats.retention)))
    yield "True retention (first grade of the day, 3 or better)", retention

    average = "-" if stats.average_easiness is None else str(stats.average_easiness)
    easiness = _table("easiness", "cards")
    for low, count in stats.easiness:
        easiness.add_row(*_cells(easiness_bucket(low), count))
    yield f"Easiness of reviewed cards (average {average})", easiness

    forecast = _table("day", "due")
    for due_day, due in stats.forecast:
        if due:
            forecast.add_row(*_cells(due_day.isoformat(), due))
    yield "Due in the next 30 days (overdue counted today)", forecast

    decks = _table("deck", "cards", "seen", "mature", "mastered")
    for progress in stats.decks:
        decks.add_row(
            Text(printable(progress.name)),
            *_cells(progress.cards, progress.seen, progress.mature, percent(progress.mastered_share)),
        )
    yield "Decks", decks
