"""``check`` covers the flags: suspended and buried_day are what the card's events give, so a flag
changed behind the log's back is caught and ``--repair`` puts it back. Raw SQL here is the tampering."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from tests.support import NOW_AT, TODAY, ZONE, Runner, answer, sample_deck, store_deck
from trainer.config import Settings
from trainer.decks.importers.model import ImportedDeck
from trainer.decks.model import Deck
from trainer.session import ReviewSession
from trainer.store.curation import set_flags
from trainer.store.db import MIGRATIONS, _connect, connect
from trainer.store.events import EventKind, card_events
from trainer.store.imports import import_decks
from trainer.store.reviews import check
from trainer.store.validate import MAX_EVENT_DETAIL


def _flags(conn: sqlite3.Connection, card_id: int) -> tuple[int, str | None]:
    row = conn.execute("SELECT suspended, buried_day FROM cards WHERE id = ?", (card_id,)).fetchone()
    return row[0], row[1]


def test_a_suspension_undone_behind_the_log_is_caught_and_repaired(conn: sqlite3.Connection) -> None:
    answer(conn, 2, 4)
    set_flags(conn, [2], EventKind.SUSPEND, NOW_AT, TODAY)
    assert check(conn) == []
    conn.execute("UPDATE cards SET suspended = 0 WHERE id = 2")  # the tampering
    [found] = check(conn)
    assert found.card_id == 2
    assert found.differences() == [("suspended", 0, 1)]
    assert _flags(conn, 2) == (0, None)  # only reported
    [repaired] = check(conn, repair=True)
    assert repaired.card_id == 2
    assert _flags(conn, 2) == (1, None)
    assert check(conn) == []


def test_flags_set_without_an_event_and_a_burial_cleared_are_caught(conn: sqlite3.Connection) -> None:
    set_flags(conn, [3], EventKind.BURY, NOW_AT, TODAY)
    conn.execute("UPDATE cards SET suspended = 1 WHERE id = 1")  # the tampering
    conn.execute("UPDATE cards SET buried_day = NULL WHERE id = 3")
    found = {item.card_id: item.differences() for item in check(conn)}
    assert found == {1: [("suspended", 1, 0)], 3: [("buried_day", None, TODAY.isoformat())]}
    check(conn, repair=True)
    assert (_flags(conn, 1), _flags(conn, 3)) == ((0, None), (0, TODAY.isoformat()))


def test_the_last_event_decides(conn: sqlite3.Connection) -> None:
    later = NOW_AT + timedelta(minutes=1)
    set_flags(conn, [1], EventKind.SUSPEND, NOW_AT, TODAY)
    set_flags(conn, [1], EventKind.UNSUSPEND, later, TODAY)
    set_flags(conn, [1], EventKind.BURY, later, TODAY)
    set_flags(conn, [1], EventKind.UNBURY, later, TODAY)
    assert _flags(conn, 1) == (0, None)
    assert [event.kind for event in card_events(conn, 1)] == ["suspend", "unsuspend", "bury", "unbury"]
    assert check(conn) == []


def test_the_cli_names_the_flag_and_repairs_it(db_path: Path, conn: sqlite3.Connection, run: Runner) -> None:
    assert run("suspend", "4").exit_code == 0
    assert run("check").exit_code == 0
    conn.execute("UPDATE cards SET suspended = 0 WHERE id = 4")  # the tampering
    result = run("check")
    assert result.exit_code == 1
    assert "card 4: suspended 0 (log gives 1)" in result.output
    assert run("check", "--repair").exit_code == 0
    assert _flags(conn, 4) == (1, None)
    assert run("suspend", "--undo", "4").exit_code == 0
    assert run("check").exit_code == 0
    assert _flags(conn, 4) == (0, None)


def test_session_suspend_bury_and_their_undo_leave_a_clean_check(conn: sqlite3.Connection) -> None:
    session = ReviewSession(conn, Settings(), ZONE, NOW_AT)
    first = session.card
    assert first is not None
    session.suspend(NOW_AT)
    second = session.card
    assert second is not None
    session.bury(NOW_AT)
    assert (_flags(conn, first.id), _flags(conn, second.id)) == ((1, None), (0, TODAY.isoformat()))
    assert check(conn) == []
    assert session.undo()
    assert _flags(conn, second.id) == (0, None)
    assert card_events(conn, second.id) == []  # undo takes the event back
    assert session.undo()
    assert _flags(conn, first.id) == (0, None)
    assert check(conn) == []


def test_an_upgraded_database_with_flags_checks_clean(db_path: Path) -> None:
    before_events = [migration.__name__ for migration in MIGRATIONS].index("_migration_card_events")
    old = _connect(db_path, MIGRATIONS[:before_events])  # the schema before card events: raw SQL then
    old.execute("INSERT INTO decks (id, name) VALUES (1, 'Old')")
    old.executemany(
        "INSERT INTO cards (deck_id, key, position, front, back, suspended, buried_day)"
        " VALUES (1, ?, ?, 'f', 'b', ?, ?)",
        [("a", 0, 0, None), ("b", 1, 1, None), ("c", 2, 0, TODAY.isoformat())],
    )
    old.close()
    conn = connect(db_path)
    assert [event.kind for event in card_events(conn, 2)] == [EventKind.SUSPEND]
    assert [(event.kind, event.day) for event in card_events(conn, 3)] == [(EventKind.BURY, TODAY)]
    assert check(conn) == []
    conn.close()


def test_restore_takes_events_and_refuses_forged_ones(
    conn: sqlite3.Connection, run: Runner, tmp_path: Path
) -> None:
    assert run("suspend", "2").exit_code == 0
    saved = tmp_path / "saved.db"
    assert run("backup", "-o", str(saved)).exit_code == 0
    assert run("restore", str(saved)).exit_code == 0
    assert _flags(conn, 2) == (1, None)
    assert run("check").exit_code == 0
    forgeries = (
        ("kind", "'explode'"),
        ("detail", "'[1, 2]'"),
        ("detail", f"'{{\"a\": \"' || printf('%.{MAX_EVENT_DETAIL}c', 'x') || '\"}}'"),
        ("at", "'yesterday'"),
    )
    for number, (column, forged) in enumerate(forgeries):
        bad = tmp_path / f"forged-{number}.db"
        assert run("backup", "-o", str(bad)).exit_code == 0
        with closing(sqlite3.connect(bad)) as forger:
            forger.execute(f"UPDATE card_events SET {column} = {forged}")  # the forgery
            forger.commit()
        result = run("restore", str(bad))
        assert result.exit_code != 0
        assert f"table card_events, row 1: {column} cannot be" in result.output


def test_a_pruned_card_leaves_no_flag_for_a_card_given_its_id(conn: sqlite3.Connection) -> None:
    set_flags(conn, [5], EventKind.SUSPEND, NOW_AT, TODAY)
    deck = sample_deck()
    shorter = Deck(deck.name, deck.cards[:4], deck.description, deck.source)
    result = import_decks(conn, [ImportedDeck(shorter)], NOW_AT, TODAY, prune=True)
    assert result.decks[0].removed == 1
    assert [event.kind for event in card_events(conn, 5)] == [EventKind.DELETE]  # the tombstone
    store_deck(conn, deck)  # k4 comes back as a new card under the id SQLite gives again
    assert _flags(conn, 5) == (0, None)
    assert check(conn) == []
