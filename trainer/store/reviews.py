"""Answering cards and the review log: each answer one transaction; replay checks the stored states."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import chain, groupby
from operator import itemgetter
from typing import Any

from trainer.errors import TrainerError
from trainer.scheduler.schedule import LogEntry, LogKind, Schedule, answer, apply, replay
from trainer.scheduler.sm2 import Sm2State
from trainer.store.cards import get_card, schedule_columns, schedule_from_row, write_schedule
from trainer.store.db import transaction
from trainer.store.events import FLAG_KINDS_SQL, Flags, flag_events, replay_flags, write_flags


@dataclass(frozen=True)
class Answered:
    """What one answer did: the log row written and the card's new schedule."""

    review_id: int
    card_id: int
    quality: int
    kind: LogKind
    before: Schedule
    after: Schedule
    row: dict[str, object]
    """The log row as written, so an undo removes this answer and never another one with its id."""


def answer_card(
    conn: sqlite3.Connection,
    card_id: int,
    quality: int,
    now: datetime,
    day: date,
    duration_ms: int | None = None,
) -> Answered:
    """Grade a card at ``now`` (review day ``day``): append the log row and update the card atomically.

    The card is re-read inside the write transaction, so two processes answering never lose an update.
    A suspended card, or one buried on ``day``, is refused (CardResting): it is out of reviews, and a
    session never offers it.
    """
    with transaction(conn):
        card = get_card(conn, card_id)
        if card.suspended or card.buried_day == day:
            raise CardResting(card_id, suspended=card.suspended)
        entry, after = answer(card.schedule, quality, day)
        row = _log_row(card_id, entry, card.schedule, after, now, duration_ms)
        review_id = _insert(conn, row)
        write_schedule(conn, card, after)
    return Answered(review_id, card_id, quality, entry.kind, card.schedule, after, row)


class CardResting(TrainerError):
    """The card is out of reviews (suspended, or buried today), so it cannot be graded."""

    def __init__(self, card_id: int, suspended: bool) -> None:
        if suspended:
            reason = f"card {card_id} is suspended; `trainer suspend --undo {card_id}` brings it back"
        else:
            reason = f"card {card_id} is buried until the next review day"
        super().__init__(reason)
        self.card_id = card_id


def append_entry(
    conn: sqlite3.Connection,
    card_id: int,
    entry: LogEntry,
    before: Schedule,
    after: Schedule,
    now: datetime,
    duration_ms: int | None,
) -> int:
    """Write one log row (before and after states included) and return its id; inside a transaction."""
    return _insert(conn, _log_row(card_id, entry, before, after, now, duration_ms))


def _log_row(
    card_id: int,
    entry: LogEntry,
    before: Schedule,
    after: Schedule,
    now: datetime,
    duration_ms: int | None,
) -> dict[str, object]:
    return {
        "card_id": card_id,
        "reviewed_at": now.astimezone(UTC).isoformat(timespec="milliseconds"),
        "day": entry.day.isoformat(),
        "quality": entry.quality,
        "kind": str(entry.kind),
        "repetitions_before": before.state.repetitions,
        "easiness_before": before.state.easiness_cents,
        "interval_before": before.state.interval,
        "repetitions_after": after.state.repetitions,
        "easiness_after": after.state.easiness_cents,
        "interval_after": after.state.interval,
        "due_after": after.due.isoformat() if after.due else None,
        "lapses_after": after.lapses,
        "duration_ms": duration_ms,
    }


def _insert(conn: sqlite3.Connection, row: dict[str, object]) -> int:
    names = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    cursor = conn.execute(f"INSERT INTO reviews ({names}) VALUES ({marks})", row)
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def append_import(
    conn: sqlite3.Connection, card_id: int, imported: Schedule, now: datetime, day: date
) -> None:
    """Record a schedule carried over from another program as the start of the card's log.

    Runs inside the caller's transaction.
    """
    card = get_card(conn, card_id)
    entry = LogEntry(LogKind.IMPORT, day, imported=imported)
    append_entry(conn, card_id, entry, card.schedule, imported, now, None)
    write_schedule(conn, card, imported)


def undo_review(conn: sqlite3.Connection, answered: Answered) -> bool:
    """Take back an answer: delete its log row and restore the card to what its remaining log gives.

    The row must still hold exactly what was written (id and content): after a restore in another
    terminal that id may belong to nobody or to someone else's answer, which is never touched.
    Returns whether the answer was found and taken back.
    """
    row = answered.row | {"id": answered.review_id}
    match = " AND ".join(f"{name} IS :{name}" for name in row)
    with transaction(conn):
        if conn.execute(f"DELETE FROM reviews WHERE {match}", row).rowcount != 1:
            return False
        card = get_card(conn, answered.card_id)
        write_schedule(conn, card, replay(log_entries(conn, card.id)))
    return True


_IMPORTED = ("repetitions_after", "easiness_after", "interval_after", "due_after", "lapses_after")


def _log_columns(table: str) -> str:
    """What replay reads of a log row: the carried schedule only on import rows, so the other rows of a
    day repeat exactly and one LogEntry serves them all."""
    carried = ", ".join(f"CASE {table}.kind WHEN 'import' THEN {table}.{name} END" for name in _IMPORTED)
    return f"{table}.kind, {table}.day, {table}.quality, {carried}"


LogRow = tuple[Any, ...]
"""kind, day, quality and, on import rows, the carried schedule: what ``_log_columns`` selects."""


def _entry(row: LogRow) -> LogEntry:
    kind_name, day, quality, repetitions, easiness, interval, due, lapses = row
    kind = LogKind(kind_name)
    imported = None
    if kind is LogKind.IMPORT:
        imported = Schedule(
            state=Sm2State(repetitions, easiness, interval),
            due=date.fromisoformat(due) if due else None,
            lapses=lapses,
        )
    return LogEntry(kind, date.fromisoformat(day), quality, imported)


class _Replay:
    """The scheduler's ``replay``, remembering the steps it has taken.

    A step is ``apply`` from one schedule by one log row. Cards introduced together and answered alike
    on the same days walk the same steps, so most steps of a long log are looked up, not recomputed,
    and no object is built and no date parsed per row. At most ``limit`` steps are kept, so memory
    stays bounded whatever the log holds.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self._limit = limit
        self._schedules: list[Schedule] = []
        self._numbers: dict[Schedule, int] = {}
        self._steps: dict[tuple[int, LogRow], int] = {}
        self._entries: dict[LogRow, LogEntry] = {}
        self._forget()

    def _forget(self) -> None:
        self._schedules[:] = [Schedule()]
        self._numbers.clear()
        self._numbers[Schedule()] = 0
        self._steps.clear()
        self._entries.clear()

    def __call__(self, rows: Iterable[LogRow]) -> Schedule:
        """The schedule a card's log rows give, from a new card, exactly as ``replay`` gives it."""
        steps, schedules = self._steps, self._schedules
        number = 0
        for row in rows:
            key = (number, row)
            after = steps.get(key)
            if after is None:
                after = steps[key] = self._step(schedules[number], row)
            number = after
        return schedules[number]

    def _step(self, schedule: Schedule, row: LogRow) -> int:
        if len(self._steps) >= self._limit:
            self._forget()
        entry = self._entries.get(row)
        if entry is None:
            entry = self._entries[row] = _entry(row)
        after = apply(schedule, entry)
        number = self._numbers.get(after)
        if number is None:
            number = self._numbers[after] = len(self._schedules)
            self._schedules.append(after)
        return number


def _tuples(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor yielding plain tuples, whatever the connection's row factory."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor


def log_entries(conn: sqlite3.Connection, card_id: int) -> list[LogEntry]:
    """A card's log in the order it was written (not by timestamp: clocks go backwards)."""
    rows = _tuples(conn).execute(
        f"SELECT {_log_columns('reviews')} FROM reviews WHERE card_id = ? ORDER BY id", (card_id,)
    )
    return [_entry(row) for row in rows]


@dataclass(frozen=True)
class Disagreement:
    """A card whose stored schedule or flags are not what its review log and its flag events give."""

    card_id: int
    stored: Schedule
    replayed: Schedule
    stored_flags: Flags = field(default_factory=Flags)
    replayed_flags: Flags = field(default_factory=Flags)

    def differences(self) -> list[tuple[str, Any, Any]]:
        """(column, stored value, value the logs give) of every column that differs."""
        stored = schedule_columns(self.stored) | self.stored_flags.columns()
        replayed = schedule_columns(self.replayed) | self.replayed_flags.columns()
        return [(name, value, replayed[name]) for name, value in stored.items() if value != replayed[name]]


def check(conn: sqlite3.Connection, repair: bool = False) -> list[Disagreement]:
    """Replay every card's log and flag events and list the cards whose stored state differs; fix them
    if ``repair``.

    The logs and the cards are read in one read transaction (one snapshot), so an answer another
    process commits meanwhile is never half seen as a disagreement. A repair then re-verifies each
    card in one write transaction and rewrites only those that still disagree, so it never reverts
    an answer given since the snapshot.
    """
    with _snapshot(conn):
        found = list(_disagreements(conn))
    if not (repair and found):
        return found
    repaired = []
    with transaction(conn):
        for old in found:
            row = conn.execute(f"SELECT {_STORED} FROM cards WHERE id = ?", (old.card_id,)).fetchone()
            current = None if row is None else _disagreement(conn, row)
            if current is not None:
                write_schedule(conn, get_card(conn, current.card_id), current.replayed)
                write_flags(conn, current.card_id, current.replayed_flags)
                repaired.append(current)
    return repaired


_SCHEDULE = "id, repetitions, easiness_cents, interval, due_day, last_day, drill_day, lapses"
_STORED = f"{_SCHEDULE}, suspended, buried_day"
_CARD_LOGS = (
    f"SELECT {', '.join(f'c.{name}' for name in _STORED.split(', '))}, {_log_columns('r')}"
    " FROM cards AS c LEFT JOIN reviews AS r ON r.card_id = c.id ORDER BY c.id, r.id"
)
"""Every card's stored schedule and flags followed by its log, card by card, in one ordered pass of the
(card_id, id) index: nothing but one card's rows is held at a time."""
_FLAG_EVENTS = (
    f"SELECT card_id, kind, day FROM card_events WHERE kind IN {FLAG_KINDS_SQL} ORDER BY card_id, id"
)
_NO_FLAGS = tuple(Flags().columns().values())


class _FlagReplay:
    """Each card's flags from its flag events, read alongside the cards in the same card order.

    Few cards have flag events, so for most cards this is one comparison of ids.
    """

    def __init__(self, rows: Iterator[tuple[int, str, str | None]]) -> None:
        self._rows = rows
        self._next = next(rows, None)

    def __call__(self, card_id: int) -> tuple[int, str | None]:
        pending = self._next
        while pending is not None and pending[0] < card_id:  # a deleted card's events
            pending = next(self._rows, None)
        events = []
        while pending is not None and pending[0] == card_id:
            events.append(pending[1:])
            pending = next(self._rows, None)
        self._next = pending
        if not events:
            return _NO_FLAGS
        flags = replay_flags(events).columns()
        return flags["suspended"], flags["buried_day"]


def _disagreements(conn: sqlite3.Connection) -> Iterator[Disagreement]:
    """Stream the cards and their logs as tuples and replay each card as its rows pass."""
    replayer = _Replay()
    flags = _FlagReplay(iter(_tuples(conn).execute(_FLAG_EVENTS)))
    log_row = itemgetter(slice(10, None))
    for card_id, rows in groupby(_tuples(conn).execute(_CARD_LOGS), itemgetter(0)):
        first = next(rows)
        replayed = replayer(() if first[10] is None else map(log_row, chain((first,), rows)))  # noqa: B031
        replayed_flags = flags(card_id)
        if tuple(schedule_columns(replayed).values()) != first[1:8] or replayed_flags != first[8:10]:
            stored = conn.execute(f"SELECT {_STORED} FROM cards WHERE id = ?", (card_id,)).fetchone()
            yield Disagreement(
                card_id,
                schedule_from_row(stored),
                replayed,
                Flags.of_columns(*first[8:10]),
                Flags.of_columns(*replayed_flags),
            )


def _disagreement(conn: sqlite3.Connection, row: sqlite3.Row) -> Disagreement | None:
    found = Disagreement(
        row["id"],
        schedule_from_row(row),
        replay(log_entries(conn, row["id"])),
        Flags.of_columns(row["suspended"], row["buried_day"]),
        flag_events(conn, row["id"]),
    )
    return found if found.differences() else None


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: every query inside it sees the database as of the first one."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def reviews_today(conn: sqlite3.Connection, day: date, deck_id: int | None = None) -> tuple[int, int]:
    """How many new cards were introduced and reviews answered on ``day`` (first grades only)."""
    sql = (
        "SELECT COALESCE(SUM(NOT EXISTS"
        " (SELECT 1 FROM reviews AS p WHERE p.card_id = r.card_id AND p.id < r.id)), 0),"
        " COUNT(*) FROM reviews AS r JOIN cards ON cards.id = r.card_id"
        " WHERE r.day = ? AND r.kind = 'review'"
    )
    params: list[object] = [day.isoformat()]
    if deck_id is not None:
        sql += " AND cards.deck_id = ?"
        params.append(deck_id)
    new, total = conn.execute(sql, params).fetchone()
    return int(new), int(total) - int(new)
