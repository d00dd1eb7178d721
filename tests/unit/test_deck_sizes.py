"""Each deck's total is a stored count that every writer of cards keeps (so the deck list never counts a
million cards): it stays equal to the cards the deck holds through imports, prunes, adds, moves and
deletions; an upgrade fills it in; a restore refuses a file whose counts lie."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.support import Runner, collection, deck_of, sample_deck, store_deck
from trainer.decks.yaml_io import write_deck
from trainer.store.db import MIGRATIONS, _connect, connect


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    """What the deck list shows as each deck's total (and all decks' under '')."""
    return {row.name: row.total for row in collection(conn).decks_today()}


def counted(conn: sqlite3.Connection) -> dict[str, int]:
    """The cards each deck really holds, counted."""
    rows = conn.execute(
        "SELECT decks.name, COUNT(cards.id) FROM decks LEFT JOIN cards ON cards.deck_id = decks.id"
        " GROUP BY decks.id"
    )
    found = dict(rows.fetchall())
    return {"": sum(found.values()), **found}


def test_every_writer_keeps_the_totals(conn: sqlite3.Connection, run: Runner, tmp_path: Path) -> None:
    store_deck(conn, deck_of("Other", [("q1", "a1"), ("q2", "a2")]))
    assert totals(conn) == counted(conn) == {"": 7, "Other": 2, "Sample": 5}
    curation = collection(conn).curation
    curation.add("Other", "q3", "a3")
    curation.move([1, 2], "Other")
    curation.delete([3])
    assert totals(conn) == counted(conn) == {"": 7, "Other": 5, "Sample": 2}
    file = tmp_path / "sample.yaml"
    write_deck(sample_deck(size=2), file)
    assert run("import", str(file), "--prune", "--yes").exit_code == 0  # keeps k0 and k1; k1 moved away
    assert totals(conn) == counted(conn)
    curation.delete_deck("Other")
    assert totals(conn) == counted(conn) == {"": 2, "Sample": 2}


def test_an_upgrade_fills_the_totals_in(db_path: Path) -> None:
    before = [migration.__name__ for migration in MIGRATIONS].index("_migration_deck_sizes")
    old = _connect(db_path, MIGRATIONS[:before])  # the schema before stored totals: raw SQL then
    old.execute("INSERT INTO decks (id, name) VALUES (1, 'Old')")
    old.executemany(
        "INSERT INTO cards (deck_id, key, position, front, back) VALUES (1, ?, ?, 'f', 'b')",
        [(f"k{n}", n) for n in range(3)],
    )
    old.close()
    conn = connect(db_path)
    assert totals(conn) == {"": 3, "Old": 3}
    conn.close()


def test_a_restore_refuses_a_lying_total(
    db_path: Path, conn: sqlite3.Connection, run: Runner, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.db"
    assert run("backup", "-o", str(saved)).exit_code == 0
    with sqlite3.connect(saved) as spoiled:  # tampering behind the library's back, on purpose
        spoiled.execute("UPDATE decks SET card_count = 99")
    result = run("restore", str(saved))
    assert result.exit_code == 1
    assert "card_count cannot be 99" in result.output
    assert totals(conn)["Sample"] == 5
