"""Curation through the library (``collection.curation``): each operation at the collection's clock and
review day, with typed results; an unknown card or deck changes nothing; a deck is backed up before it
is deleted; a card's definition is found in its notes file, and that one file is re-read on request."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support import (
    ATTENTION,
    DROPOUT,
    EMBEDDING,
    TODAY,
    ZONE,
    Clock,
    answer,
    answer_daily,
    collection,
    note,
    sample_deck,
    store_deck,
    write,
)
from trainer.collection import Collection
from trainer.config import Settings
from trainer.curation import PAGE, SORTS, STATES, Curation, Early
from trainer.errors import TrainerError
from trainer.store import browse


def curation(conn: sqlite3.Connection, clock: Clock | None = None) -> Curation:
    return collection(conn, clock).curation


def test_the_names_of_states_and_sorts_are_the_stores() -> None:
    """Named here so the CLI's choices cost no store import at start-up; defined in the store."""
    assert (tuple(browse.STATES), tuple(browse.SORTS), browse.PAGE) == (STATES, SORTS, PAGE)


def test_search_by_text_deck_and_state_on_the_collections_day(conn: sqlite3.Connection) -> None:
    cards = curation(conn)
    cards.add("Sample", "注意力机制", ATTENTION, ["nlp"])
    assert [row.front for row in cards.search("注意力").rows] == ["注意力机制"]
    assert cards.search(deck="Sample", state="new").total == 6
    cards.bury([2])
    assert [row.id for row in cards.search(state="buried").rows] == [2]
    tomorrow = Clock()
    tomorrow.now += timedelta(days=1)
    assert curation(conn, tomorrow).search(state="buried").total == 0  # buried for the day it was buried
    page = cards.search(sort="added", limit=2, offset=1)
    assert ([row.id for row in page.rows], page.total) == ([2, 3], 6)


def test_a_bad_filter_is_one_clear_error(conn: sqlite3.Connection) -> None:
    cards = curation(conn)
    states = "new, learning, young, mature, suspended, buried, leech"
    with pytest.raises(TrainerError, match=rf"^no state 'sleeping' \(states: {states}\)$"):
        cards.search(state="sleeping")
    with pytest.raises(TrainerError, match=r"^no sort 'colour' \(sorts: due, easiness, lapses, added\)$"):
        cards.search(sort="colour")
    with pytest.raises(TrainerError, match=r"^no deck named 'Nope' \(decks: Sample\)$"):
        cards.search(deck="Nope")


def test_an_edit_says_what_changed_keeps_the_schedule_and_is_in_the_history(conn: sqlite3.Connection) -> None:
    answer(conn, 1, 5)
    cards = curation(conn)
    schedule = cards.card(1).schedule
    edited = cards.edit(1, back="my back", tags=["mine", "t"])
    assert edited.changed == ("back", "tags")
    assert edited.as_json() == {
        "id": 1, "changed": ["back", "tags"],
        "before": {"front": "front 0", "back": "back 0", "tags": ["t"]},
        "after": {"front": "front 0", "back": "my back", "tags": ["mine", "t"]},
    }  # fmt: skip
    card = cards.card(1)
    assert (card.back, card.tags, card.schedule) == ("my back", ("mine", "t"), schedule)
    assert cards.edit(1, back="my back").changed == ()
    assert [item.kind for item in cards.history(1)] == ["review", "edit"]
    assert cards.history(1)[1].at == "2026-11-22T09:00:00.000+00:00"  # the collection's clock


def test_an_unknown_card_changes_nothing(conn: sqlite3.Connection) -> None:
    cards = curation(conn)
    for action in (cards.forget, cards.delete, cards.suspend, cards.bury):
        with pytest.raises(TrainerError, match="no card with id 99; nothing was changed"):
            action([1, 99])
    with pytest.raises(TrainerError, match="no card with id 99"):
        cards.edit(99, front="x")
    assert cards.search(state="new").total == 5
    assert cards.history(1) == []


def test_add_forget_delete_and_move(conn: sqlite3.Connection) -> None:
    cards = curation(conn)
    store_deck(conn, sample_deck("Other", 1))  # card 6
    added = cards.add("Sample", "dropout", DROPOUT, ["dl"])
    assert added.as_json() == {"id": 7, "deck": "Sample", "key": "manual-1"}
    answer(conn, 1, 5)
    assert cards.forget([1, 2]).as_json() == {"action": "forget", "asked": [1, 2], "changed": [1]}
    assert cards.card(1).schedule.due is None
    assert [item.day for item in cards.history(1)] == [TODAY, TODAY]
    moved = cards.move([7, 3, 6], "Other")
    assert (moved.changed, moved.deck) == ((7, 3), "Other")
    assert [row.id for row in cards.search(deck="Other", sort="added").rows] == [3, 6, 7]
    assert cards.delete([7, 7]).as_json() == {"action": "delete", "asked": [7], "changed": [7]}
    assert [item.kind for item in cards.history(7)] == ["delete"]  # the history went; a tombstone stays
    assert cards.search(text="dropout").total == 0


def test_flags_are_undone_through_the_library(conn: sqlite3.Connection) -> None:
    cards = collection(conn).curation
    suspended = cards.suspend([1, 2])
    assert cards.search(state="suspended").total == 2
    assert cards.unsuspend([2]).changed == (2,)
    assert cards.undo_flags(suspended) == 2
    buried = cards.bury([3])
    assert (cards.card(3).buried_day, buried.changed) == (TODAY, (3,))
    assert cards.unbury([3, 4]).changed == (3,)
    assert [cards.card(n).suspended for n in (1, 2)] == [False, False]
    assert [item.kind for item in cards.history(2)] == ["unsuspend"]  # the suspend is gone from the log
    assert collection(conn).check().disagreements == []


def test_early_counts_from_the_collections_day(conn: sqlite3.Connection) -> None:
    answer_daily(conn, 1, [5, 5], TODAY - timedelta(days=2))  # due in 5 days
    cards = curation(conn)
    assert cards.early(1) == Early(TODAY + timedelta(days=5), 5)
    assert (cards.early(2), cards.early(99)) == (None, None)  # new; no such card
    later = Clock("2026-11-27T10:00:00+01:00")
    assert curation(conn, later).early(1) is None  # due that day
    answer(conn, 1, 5, "2026-11-22T10:00")
    assert cards.early(1) is None  # a second answer today is a drill, which changes no schedule


def test_delete_deck_backs_up_first(conn: sqlite3.Connection, db_path: Path) -> None:
    answer(conn, 1, 5)
    removed = curation(conn).delete_deck("Sample")
    assert (removed.deck, removed.cards, removed.reviews) == ("Sample", 5, 1)
    assert removed.backup.is_file() and removed.backup.parent != db_path
    backup = sqlite3.connect(removed.backup)
    assert backup.execute("SELECT COUNT(*) FROM cards").fetchone() == (5,)
    backup.close()
    assert curation(conn).search().total == 0


def test_an_unknown_deck_is_refused_before_any_backup(conn: sqlite3.Connection, db_path: Path) -> None:
    cards = curation(conn)
    with pytest.raises(TrainerError, match="no deck named 'Nope'"):
        cards.delete_deck("Nope")
    assert not (db_path.parent / "backups").exists()
    with pytest.raises(TrainerError, match="no deck named 'Nope'"):
        cards.rename_deck("Nope", "Other")


def test_rename_deck(conn: sqlite3.Connection) -> None:
    cards = curation(conn)
    assert cards.rename_deck("Sample", "样例").as_json() == {"old": "Sample", "new": "样例"}
    assert cards.search(deck="样例").total == 5


def notes_collection(conn: sqlite3.Connection, folder: Path) -> tuple[Path, Path]:
    """Two registered notes files in ``folder``, synced: ai.md (dropout, attention) and ml.md."""
    ai = write(folder / "ai.md", note(("dropout", DROPOUT), ("attention", ATTENTION)))
    ml = write(folder / "ml.md", note(("embedding", EMBEDDING), title="ML 术语"))
    library = collection(conn)
    library.add_notes([folder])
    library.sync_notes()
    return ai, ml


def card_id(conn: sqlite3.Connection, key: str) -> int:
    return int(conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()[0])


def test_source_location_is_the_line_in_the_registered_note(conn: sqlite3.Connection, tmp_path: Path) -> None:
    ai, _ = notes_collection(conn, tmp_path / "notes")
    cards = curation(conn)
    path, line = cards.source_location(card_id(conn, "attention")) or (None, 0)
    assert path == ai.absolute() and path.is_absolute()
    assert "**attention**" in ai.read_text(encoding="utf-8").splitlines()[line - 1]
    assert cards.source_location(1) is None  # the sample deck comes from no registered note
    ai.unlink()
    assert cards.source_location(card_id(conn, "attention")) is None


def test_reread_note_syncs_that_file_alone_keeping_progress(conn: sqlite3.Connection, tmp_path: Path) -> None:
    ai, ml = notes_collection(conn, tmp_path / "notes")
    dropout, embedding = card_id(conn, "dropout"), card_id(conn, "embedding")
    answer(conn, dropout, 5)
    cards = curation(conn)
    schedule = cards.card(dropout).schedule
    write(ai, note(("dropout", "作者改进的定义。"), ("attention", ATTENTION)))
    write(ml, note(("embedding", "另一个文件的改动。"), title="ML 术语"))
    report = cards.reread_note(ai)
    assert [note.name for note in report.changed] == ["ai.md"]
    card = cards.card(dropout)
    assert (card.back, card.schedule) == ("作者改进的定义。", schedule)
    assert cards.card(embedding).back == EMBEDDING  # the other file waits for the next sync
    with pytest.raises(TrainerError, match="not a registered notes file"):
        cards.reread_note(tmp_path / "elsewhere.md")


def test_decks_all_deleted_stay_deleted(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    opened = Collection.open(path, Settings(), ZONE, Clock(), back_up=False)
    bundled = [row.name for row in opened.decks_today()[1:]]
    assert bundled  # a new database gets the bundled decks
    for name in bundled:
        opened.curation.delete_deck(name)
    opened.close()
    again = Collection.open(path, Settings(), ZONE, Clock(), back_up=False)
    assert again.decks_today()[1:] == []  # and a database emptied by hand does not get them back
    again.close()
