"""Answering cards and the review log: each answer one transaction; replay checks the stored states."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from trainer.scheduler.schedule import Entry, EntryKind, Schedule, answer, replay
from trainer.scheduler.sm2 import Sm2State
from trainer.store.cards import get_card, schedule_columns, schedule_from_row, write_schedule
from trainer.store.db import transaction


@dataclass(frozen=True)
class Answered:
    """What one answer did: the log row written and the card's new schedule."""

    review_id: int
    card_id: int
    quality: int
    kind: EntryKind
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
    """
    with transaction(conn):
        card = get_card(conn, card_id)
        entry, after = answer(card.schedule, quality, day)
        row = _log_row(card_id, entry, card.schedule, after, now, duration_ms)
        review_id = _insert(conn, row)
        write_schedule(conn, card, after)
    return Answered(review_id, card_id, quality, entry.kind, card.schedule, after, row)


def append_entry(
    conn: sqlite3.Connection,
    card_id: int,
    entry: Entry,
    before: Schedule,
    after: Schedule,
    now: datetime,
    duration_ms: int | None,
) -> int:
    """Write one log row (before and after states included) and return its id; inside a transaction."""
    return _insert(conn, _log_row(card_id, entry, before, after, now, duration_ms))


def _log_row(
    card_id: int,
    entry: Entry,
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
    entry = Entry(EntryKind.IMPORT, day, imported=imported)
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


def _entry(row: sqlite3.Row) -> Entry:
    kind = EntryKind(row["kind"])
    imported = None
    if kind is EntryKind.IMPORT:
        imported = Schedule(
            state=Sm2State(row["repetitions_after"], row["easiness_after"], row["interval_after"]),
            due=date.fromisoformat(row["due_after"]) if row["due_after"] else None,
            lapses=row["lapses_after"],
        )
    return Entry(kind, date.fromisoformat(row["day"]), row["quality"], imported)


def log_entries(conn: sqlite3.Connection, card_id: int) -> list[Entry]:
    """A card's log in the order it was written (not by timestamp: clocks go backwards)."""
    rows = conn.execute("SELECT * FROM reviews WHERE card_id = ? ORDER BY id", (card_id,))
    return [_entry(row) for row in rows]


@dataclass(frozen=True)
class Disagreement:
    """A card whose stored schedule is not what its log gives."""

    card_id: int
    stored: Schedule
    replayed: Schedule


def check(conn: sqlite3.Connection, repair: bool = False) -> list[Disagreement]:
    """Replay every card's log and list the cards whose stored state differs; fix them if ``repair``.

    The log and the cards are read in one read transaction (one snapshot), so an answer another
    process commits meanwhile is never half seen as a disagreement. A repair then re-verifies each
    card in one write transaction and rewrites only those that still disagree, so it never reverts
    an answer given since the snapshot.
    """
    with _snapshot(conn):
        logs: dict[int, list[Entry]] = {}
        for row in conn.execute("SELECT * FROM reviews ORDER BY card_id, id"):
            logs.setdefault(row["card_id"], []).append(_entry(row))
        found = [
            disagreement
            for row in conn.execute(f"SELECT {_SCHEDULE} FROM cards")
            if (disagreement := _disagreement(row, logs.get(row["id"], ()))) is not None
        ]
    if not (repair and found):
        return found
    repaired = []
    with transaction(conn):
        for old in found:
            row = conn.execute(f"SELECT {_SCHEDULE} FROM cards WHERE id = ?", (old.card_id,)).fetchone()
            current = None if row is None else _disagreement(row, log_entries(conn, old.card_id))
            if current is not None:
                write_schedule(conn, get_card(conn, current.card_id), current.replayed)
                repaired.append(current)
    return repaired


_SCHEDULE = "id, repetitions, easiness_cents, interval, due_day, last_day, drill_day, lapses"


def _disagreement(row: sqlite3.Row, log: Sequence[Entry]) -> Disagreement | None:
    stored, replayed = schedule_from_row(row), replay(log)
    if schedule_columns(stored) == schedule_columns(replayed):
        return None
    return Disagreement(row["id"], stored, replayed)


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
