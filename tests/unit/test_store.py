"""The store on real SQLite files: answers, undo, the queue, check/repair, migrations, two processes."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support import NOW_AT, TODAY, sample_deck
from trainer.config import Settings
from trainer.decks.model import Card, Deck
from trainer.scheduler.queue import Limits, QueueKind
from trainer.scheduler.schedule import Schedule, replay
from trainer.scheduler.sm2 import Sm2State
from trainer.store.cards import get_card
from trainer.store.db import SCHEMA_VERSION, DatabaseError, connect, transaction
from trainer.store.decks import list_decks, upsert_deck
from trainer.store.due import day_queue, queue_counts
from trainer.store.reviews import _Replay, answer_card, append_import, check, log_entries, undo_review


def test_schema_is_versioned_and_settings_applied(conn: sqlite3.Connection) -> None:
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_newer_schema_is_refused(db_path: Path, conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DatabaseError, match="newer"):
        connect(db_path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="not a trainer database"):
        connect(path)


def test_answer_writes_log_and_state_in_one_go(conn: sqlite3.Connection) -> None:
    answered = answer_card(conn, 1, 4, NOW_AT, TODAY, duration_ms=1200)
    row = conn.execute("SELECT * FROM reviews").fetchone()
    assert (row["card_id"], row["quality"], row["kind"], row["day"]) == (1, 4, "review", "2026-11-22")
    assert row["reviewed_at"] == "2026-11-22T09:00:00.000+00:00"
    assert (row["interval_after"], row["easiness_after"], row["due_after"], row["duration_ms"]) == (
        1,
        250,
        "2026-11-23",
        1200,
    )
    card = get_card(conn, 1)
    assert card.schedule == answered.after
    assert card.schedule.due == TODAY + timedelta(1)


def test_queue_order_limits_and_drills(conn: sqlite3.Connection) -> None:
    limits = Limits(new_per_day=3, reviews_per_day=10)
    assert [(e.card_id, e.kind) for e in day_queue(conn, TODAY, limits)] == [
        (1, QueueKind.NEW),
        (2, QueueKind.NEW),
        (3, QueueKind.NEW),
    ]
    answer_card(conn, 1, 2, NOW_AT, TODAY)  # fails: comes back today as a drill
    answer_card(conn, 2, 5, NOW_AT, TODAY)
    queue = day_queue(conn, TODAY, limits)
    assert [(e.card_id, e.kind) for e in queue] == [(3, QueueKind.NEW), (1, QueueKind.DRILL)]
    tomorrow = day_queue(conn, TODAY + timedelta(1), limits)
    assert [(e.card_id, e.kind) for e in tomorrow][:2] == [(1, QueueKind.REVIEW), (2, QueueKind.REVIEW)]


def test_most_overdue_first(conn: sqlite3.Connection) -> None:
    answer_card(conn, 3, 5, NOW_AT, TODAY - timedelta(5))
    answer_card(conn, 2, 5, NOW_AT, TODAY - timedelta(1))
    answer_card(conn, 1, 5, NOW_AT, TODAY - timedelta(3))
    queue = day_queue(conn, TODAY + timedelta(2), Limits(0, 10))
    assert [e.card_id for e in queue] == [3, 1, 2]


def test_undo_restores_log_and_state(conn: sqlite3.Connection) -> None:
    first = answer_card(conn, 1, 5, NOW_AT, TODAY)
    second = answer_card(conn, 1, 1, NOW_AT + timedelta(days=1), TODAY + timedelta(1))
    assert undo_review(conn, second)
    assert get_card(conn, 1).schedule == first.after
    assert undo_review(conn, first)
    assert get_card(conn, 1).schedule.is_new
    assert not undo_review(conn, first)  # already gone: nothing else is touched
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0


def test_check_finds_and_repairs_corruption(conn: sqlite3.Connection) -> None:
    answer_card(conn, 1, 5, NOW_AT, TODAY)
    answer_card(conn, 1, 5, NOW_AT, TODAY + timedelta(1))
    assert check(conn) == []
    conn.execute("UPDATE cards SET interval = 99, easiness_cents = 300 WHERE id = 1")  # deliberate tampering
    found = check(conn)
    assert [d.card_id for d in found] == [1]
    assert found[0].replayed.state.interval == 6
    check(conn, repair=True)
    assert check(conn) == []
    assert get_card(conn, 1).schedule.state.interval == 6


def _varied_logs(conn: sqlite3.Connection) -> None:
    """Cards 1-3 answered alike on the same days, 4 drilled and answered with the clock gone back, 5
    carried over from another program; the remembered steps of one card must never leak into another."""
    for card in (1, 2, 3):
        for n, grade in enumerate((4, 5, 3)):
            answer_card(conn, card, grade, NOW_AT + timedelta(days=n), TODAY + timedelta(n))
    for day, grade in ((3, 1), (3, 2), (3, 4), (1, 5), (6, 0)):
        answer_card(conn, 4, grade, NOW_AT + timedelta(days=day), TODAY + timedelta(day))
    with transaction(conn):
        append_import(conn, 5, Schedule(Sm2State(3, 210, 12), TODAY + timedelta(5), lapses=2), NOW_AT, TODAY)
    answer_card(conn, 5, 2, NOW_AT + timedelta(days=5), TODAY + timedelta(5))


def test_check_streams_the_same_verdicts_as_a_replay_per_card(conn: sqlite3.Connection) -> None:
    _varied_logs(conn)
    assert check(conn) == []
    # Deliberate tampering behind the log's back, for check to find.
    conn.execute("UPDATE cards SET lapses = 4 WHERE id = 5")
    conn.execute("UPDATE cards SET due_day = '2030-01-01' WHERE id = 2")
    found = check(conn)
    assert [d.card_id for d in found] == [2, 5]
    for disagreement in found:
        assert disagreement.replayed == replay(log_entries(conn, disagreement.card_id))
        assert disagreement.stored == get_card(conn, disagreement.card_id).schedule
    assert [d.card_id for d in check(conn, repair=True)] == [2, 5]
    assert check(conn) == []


@pytest.mark.parametrize("limit", [1, 2, 1_000])
def test_remembered_replay_gives_what_replay_gives(conn: sqlite3.Connection, limit: int) -> None:
    """However few steps it may keep, the remembering replay is the scheduler's replay."""
    _varied_logs(conn)
    replayer = _Replay(limit)
    rows = conn.cursor()
    rows.row_factory = None
    for card in (1, 2, 3, 4, 5, 1, 4):
        log = rows.execute(
            "SELECT kind, day, quality, CASE kind WHEN 'import' THEN repetitions_after END,"
            " CASE kind WHEN 'import' THEN easiness_after END,"
            " CASE kind WHEN 'import' THEN interval_after END,"
            " CASE kind WHEN 'import' THEN due_after END, CASE kind WHEN 'import' THEN lapses_after END"
            " FROM reviews WHERE card_id = ? ORDER BY id",
            (card,),
        ).fetchall()
        assert replayer(log) == replay(log_entries(conn, card)) == get_card(conn, card).schedule


def test_reimport_keeps_progress_and_reports_changes(conn: sqlite3.Connection) -> None:
    answer_card(conn, 1, 5, NOW_AT, TODAY)
    deck = sample_deck()
    edited = Deck(deck.name, (Card("k0", "front 0", "a better back", ("t",), "notes.md:1"), *deck.cards[1:4]))
    with transaction(conn):
        changes = upsert_deck(conn, edited)
    assert (changes.added, changes.updated, changes.unchanged, changes.missing) == ([], ["k0"], 3, ["k4"])
    card = get_card(conn, 1)
    assert card.back == "a better back" and card.schedule.state.repetitions == 1


def test_list_decks_and_queue_counts(conn: sqlite3.Connection) -> None:
    answer_card(conn, 1, 1, NOW_AT, TODAY)
    answer_card(conn, 2, 5, NOW_AT, TODAY - timedelta(1))
    [deck] = list_decks(conn)
    assert (deck.name, deck.total) == ("Sample", 5)
    counts = queue_counts(conn, TODAY, Settings(new_per_day=2).limits, deck.id)
    assert counts == (1, 1, 1)  # new, drill, due: one new card already introduced today


def _grade_many(path: str, cards: list[int], start: int) -> None:
    conn = connect(Path(path))
    for n, card in enumerate(cards):
        day = TODAY + timedelta(days=start + n)
        answer_card(conn, card, 4, NOW_AT + timedelta(days=start + n), day)
    conn.close()


def test_two_processes_lose_no_answer(db_path: Path, conn: sqlite3.Connection) -> None:
    """Both processes answer the same cards on interleaved days; every answer lands in the log."""
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_grade_many, args=(str(db_path), [1, 2, 3] * 20, offset))
        for offset in (0, 1000)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 120
    assert check(conn) == []


def _bundled(stem: str) -> Deck:
    from trainer.decks.yaml_io import load_deck

    return load_deck(Path(__file__).resolve().parents[2] / "decks" / f"{stem}.yaml")


def test_a_renamed_bundled_deck_keeps_its_progress(tmp_path: Path) -> None:
    """Decks once named by their file stem are imported under their titles: renamed, not duplicated."""
    new = _bundled("001_9fda27f9badf5157")
    old = Deck("001_9fda27f9badf5157", new.cards[:-1], new.description, new.source)
    conn = connect(tmp_path / "old.db")
    with transaction(conn):
        upsert_deck(conn, old)
    card_id = conn.execute("SELECT id FROM cards WHERE key = ?", (new.cards[0].id,)).fetchone()[0]
    answer_card(conn, card_id, 5, NOW_AT, TODAY)
    with transaction(conn):
        changes = upsert_deck(conn, new)
    assert [(deck.name, deck.total) for deck in list_decks(conn)] == [(new.name, len(new.cards))]
    assert (changes.renamed_from, changes.added) == ("001_9fda27f9badf5157", [new.cards[-1].id])
    assert get_card(conn, card_id).schedule.state.repetitions == 1


HASH_STEM = "0a1b2c3d4e5f6a7b"


@pytest.mark.parametrize(
    ("old_name", "new_source", "shared"),
    [
        (HASH_STEM, f"{HASH_STEM}.md", 2),  # 2 of its 6 cards: another deck from the same notes
        (HASH_STEM, "elsewhere.md", 6),  # other notes
        ("vocab", "vocab.md", 6),  # a readable name may be the user's choice (import --deck)
    ],
)
def test_a_deck_is_renamed_only_from_a_stem_nobody_chose(
    tmp_path: Path, old_name: str, new_source: str, shared: int
) -> None:
    cards = sample_deck(size=12).cards
    conn = connect(tmp_path / "t.db")
    with transaction(conn):
        upsert_deck(conn, Deck(old_name, cards[:6], source=f"{old_name}.md"))
        changes = upsert_deck(conn, Deck("Title", cards[6 - shared : 12 - shared], source=new_source))
    assert changes.renamed_from is None
    assert sorted(deck.name for deck in list_decks(conn)) == sorted([old_name, "Title"])


def test_a_deck_named_by_a_hash_stem_takes_its_title(tmp_path: Path) -> None:
    cards = sample_deck(size=6).cards
    conn = connect(tmp_path / "t.db")
    with transaction(conn):
        upsert_deck(conn, Deck(HASH_STEM, cards[:4], source=f"{HASH_STEM}.md"))
        changes = upsert_deck(conn, Deck("Title", cards, source=f"{HASH_STEM}.md"))  # 4 of 6 shared
    assert changes.renamed_from == HASH_STEM
    assert [deck.name for deck in list_decks(conn)] == ["Title"]
