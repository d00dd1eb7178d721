"""Answering cards and the review log: each answer one transaction; replay checks the stored states."""

from __future__ import annotations

import sqlite3
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
        review_id = append_entry(conn, card_id, entry, card.schedule, after, now, duration_ms)
        write_schedule(conn, card, after)
    return Answered(review_id, card_id, quality, entry.kind, card.schedule, after)


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
    row = {
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


def undo_review(conn: sqlite3.Connection, review_id: int) -> None:
    """Take back an answer: delete its log row and restore the card to what its remaining log gives."""
    with transaction(conn):
        row = conn.execute("SELECT card_id FROM reviews WHERE id = ?", (review_id,)).fetchone()
        if row is None:
            return
        conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        card = get_card(conn, row["card_id"])
        write_schedule(conn, card, replay(log_entries(conn, card.id)))


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
    """Replay every card's log and list the cards whose stored state differs; fix them if ``repair``."""
    logs: dict[int, list[Entry]] = {}
    for row in conn.execute("SELECT * FROM reviews ORDER BY card_id, id"):
        logs.setdefault(row["card_id"], []).append(_entry(row))
    found = []
    for row in conn.execute("SELECT * FROM cards"):
        stored = schedule_from_row(row)
        replayed = replay(logs.get(row["id"], ()))
        if schedule_columns(stored) != schedule_columns(replayed):
            found.append(Disagreement(row["id"], stored, replayed))
    if repair and found:
        with transaction(conn):
            for disagreement in found:
                write_schedule(conn, get_card(conn, disagreement.card_id), disagreement.replayed)
    return found


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
