"""Curating the collection through the store, on real SQLite files: search, history, edit, add,
forget, delete, move, flags and their undo, rename and delete a deck; grading a resting card."""

from __future__ import annotations

import io
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support import NOW_AT, TODAY, add_deck, answer, answer_daily, lapsed_until_due, store_deck
from trainer.decks.model import MAX_CARD_TEXT, Card, Deck
from trainer.errors import TrainerError
from trainer.scheduler.schedule import Schedule
from trainer.store.browse import card_history, search_cards
from trainer.store.cards import CardGone, get_card
from trainer.store.curation import (
    add_card,
    delete_cards,
    delete_deck,
    edit_card,
    forget_cards,
    move_cards,
    rename_deck,
    set_flags,
    undo_flags,
)
from trainer.store.db import transaction
from trainer.store.decks import find_deck_id
from trainer.store.events import EventKind, card_events
from trainer.store.export_rows import write_fsrs
from trainer.store.notes import record_seen, register_note, registered_notes
from trainer.store.reviews import CardResting, answer_card, check, log_entries
from trainer.store.stats_queries import answers_per_day, compute_stats

LATER = NOW_AT + timedelta(minutes=5)


def note(conn: sqlite3.Connection, folder: Path, deck: str) -> None:
    """Register a notes file feeding ``deck``, as a sync records it."""
    path = str(folder / "n.md")
    with transaction(conn):
        register_note(conn, path, str(folder))
        record_seen(conn, path, deck, 1, 1, "0" * 64, NOW_AT.isoformat())


def ids(conn: sqlite3.Connection, **filters: object) -> list[int]:
    return [row.id for row in search_cards(conn, today=TODAY, **filters).rows]  # type: ignore[arg-type]


# Search ---------------------------------------------------------------------------------------------


@pytest.fixture
def mixed(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Sample (cards 1-5) and 词汇 (cards 6-8, CJK, with an accented and a mixed-case card)."""
    store_deck(
        conn,
        Deck(
            "词汇",
            (
                Card("a", "注意力机制", "Attention 让模型加权", ("深度学习",)),
                Card("b", "Élan", "vital force", ()),
                Card("c", "GPT", "生成式预训练", ("NLP",)),
            ),
        ),
    )
    return conn


def test_text_search_is_a_case_insensitive_substring_of_every_field(mixed: sqlite3.Connection) -> None:
    assert ids(mixed, text="注意") == [6]
    assert ids(mixed, text="attention") == [6]  # ASCII case folded by SQLite
    assert ids(mixed, text="éLAN") == [7]  # non-ASCII case folded too
    assert ids(mixed, text="深度") == [6]  # a tag
    assert ids(mixed, text="词汇", sort="added") == [6, 7, 8]  # the deck's name
    assert ids(mixed, text="SAMPLE", sort="added") == [1, 2, 3, 4, 5]
    assert ids(mixed, text="front 3") == [4]
    assert ids(mixed, text="nothing like it") == []
    assert ids(mixed, text="词匯") == []  # no folding between scripts
    percent = add_card(mixed, "词汇", "100% sure_thing", "a\\b").card_id
    assert ids(mixed, text="0% s") == ids(mixed, text="e_t") == ids(mixed, text="a\\b") == [percent]
    assert ids(mixed, text="0%s") == ids(mixed, text="e%t") == ids(mixed, text="ab") == []  # no wildcards
    assert search_cards(mixed, today=TODAY, text="nothing like it").total == 0


def test_deck_state_sort_and_pages(mixed: sqlite3.Connection) -> None:
    sample = find_deck_id(mixed, "Sample")
    answer_daily(mixed, 2, [5, 5, 5], TODAY - timedelta(days=7))  # young: an interval under 21 days
    lapsed_until_due(mixed, 3, 8, TODAY + timedelta(days=1))  # a leech
    set_flags(mixed, [4], EventKind.SUSPEND, NOW_AT, TODAY)
    set_flags(mixed, [5], EventKind.BURY, NOW_AT, TODAY)
    assert ids(mixed, deck_id=sample, state="new") == [1, 5]
    assert ids(mixed, state="suspended") == [4]
    assert ids(mixed, state="buried") == [5]
    assert ids(mixed, state="leech") == [3]
    assert ids(mixed, state="young", sort="added") == [2, 3]
    assert ids(mixed, deck_id=sample, sort="lapses")[0] == 3
    due = search_cards(mixed, today=TODAY, deck_id=sample, sort="due")
    assert [row.id for row in due.rows] == [1, 4, 5, 3, 2]  # new cards first, in deck order, as Anki does
    page = search_cards(mixed, today=TODAY, sort="added", limit=3, offset=3)
    assert ([row.id for row in page.rows], page.total) == ([4, 5, 6], 8)
    beyond = search_cards(mixed, today=TODAY, sort="added", limit=3, offset=20)
    assert (beyond.rows, beyond.total) == ([], 8)
    row = search_cards(mixed, today=TODAY, state="buried").rows[0]
    assert (row.deck, row.front, row.state, row.buried) == ("Sample", "front 4", "new", True)
    with pytest.raises(ValueError, match="unknown state"):
        search_cards(mixed, today=TODAY, state="sleepy")


def test_young_and_mature_follow_the_stats_definition(conn: sqlite3.Connection) -> None:
    answer_daily(conn, 1, [5, 5], TODAY - timedelta(days=1))  # 2 repetitions, interval 6: young
    answer_daily(conn, 2, [5], TODAY)  # 1 repetition: learning
    assert ids(conn, state="young") == [1]
    assert ids(conn, state="learning") == [2]
    assert ids(conn, state="mature") == []


# History --------------------------------------------------------------------------------------------


def test_history_holds_answers_and_events_in_time_order(conn: sqlite3.Connection) -> None:
    answer(conn, 1, 4, NOW_AT)
    edit_card(conn, 1, front="new front", now=NOW_AT + timedelta(minutes=1))
    set_flags(conn, [1], EventKind.SUSPEND, NOW_AT + timedelta(minutes=2), TODAY)
    history = card_history(conn, 1)
    assert [item.kind for item in history] == ["review", "edit", "suspend"]
    assert history[0].quality == 4 and history[0].interval_after == 1
    assert history[1].detail["before"]["front"] == "front 0"
    with pytest.raises(CardGone):
        card_history(conn, 99)


# Edit and add ---------------------------------------------------------------------------------------


def test_an_edit_changes_the_text_never_the_schedule(conn: sqlite3.Connection) -> None:
    lapsed_until_due(conn, 1, 8, TODAY)  # a leech: tagged leech
    before, log = get_card(conn, 1), log_entries(conn, 1)
    edited = edit_card(conn, 1, front="fixed front", tags=["mine", " mine ", " leech"], now=NOW_AT)
    after = get_card(conn, 1)
    assert edited.changed and edited.after == ("fixed front", "back 0", ("mine",))
    assert (after.front, after.back, after.tags) == ("fixed front", "back 0", ("mine", "leech"))
    assert after.schedule == before.schedule
    assert log_entries(conn, 1) == log
    [event] = card_events(conn, 1)
    assert event.kind is EventKind.EDIT
    assert event.detail == {
        "before": {"front": "front 0", "back": "back 0", "tags": ["t"]},
        "after": {"front": "fixed front", "back": "back 0", "tags": ["mine"]},
    }
    assert not edit_card(conn, 1, front="fixed front", now=NOW_AT).changed  # nothing to record
    assert len(card_events(conn, 1)) == 1
    assert check(conn) == []


def test_bad_edits_are_refused_and_change_nothing(conn: sqlite3.Connection) -> None:
    with pytest.raises(TrainerError, match="card 1: the back must not be empty"):
        edit_card(conn, 1, back="  ", now=NOW_AT)
    with pytest.raises(TrainerError, match="card 1: the card's front is"):
        edit_card(conn, 1, front="x" * (MAX_CARD_TEXT + 1), now=NOW_AT)
    with pytest.raises(TrainerError, match="card 1: a tag must not be empty"):
        edit_card(conn, 1, tags=[""], now=NOW_AT)
    with pytest.raises(CardGone, match="no card with id 42"):
        edit_card(conn, 42, front="x", now=NOW_AT)
    assert get_card(conn, 1).front == "front 0"
    assert card_events(conn, 1) == []


def test_added_cards_go_to_the_end_under_fresh_manual_keys(conn: sqlite3.Connection) -> None:
    first = add_card(conn, "Sample", "手写", "by hand", ["mine"])
    second = add_card(conn, "Sample", "again", "by hand")
    assert (first.key, second.key) == ("manual-1", "manual-2")
    card = get_card(conn, first.card_id)
    assert (card.deck, card.front, card.tags, card.schedule) == ("Sample", "手写", ("mine",), Schedule())
    assert ids(conn, sort="due")[-2:] == [first.card_id, second.card_id]
    with pytest.raises(TrainerError, match="no deck named 'Nope'"):
        add_card(conn, "Nope", "f", "b")
    with pytest.raises(TrainerError, match="the front must not be empty"):
        add_card(conn, "Sample", "", "b")


# Forget, delete, move -------------------------------------------------------------------------------


def test_forget_resets_to_new_through_the_log(conn: sqlite3.Connection) -> None:
    answer_daily(conn, 1, [5, 5, 5], TODAY - timedelta(days=20))
    assert forget_cards(conn, [1, 2], NOW_AT, TODAY) == [1]  # card 2 is new already
    assert get_card(conn, 1).schedule == Schedule()
    assert [str(entry.kind) for entry in log_entries(conn, 1)] == ["review"] * 3 + ["forget"]
    assert check(conn) == []
    answer(conn, 1, 4, LATER)  # answered again from new
    assert get_card(conn, 1).schedule.state.interval == 1
    assert ids(conn, state="new")[0] == 2


def test_delete_removes_the_history_and_leaves_a_tombstone(conn: sqlite3.Connection) -> None:
    answer(conn, 2, 4)
    set_flags(conn, [2], EventKind.SUSPEND, NOW_AT, TODAY)
    assert delete_cards(conn, [2], LATER) == [2]
    with pytest.raises(CardGone):
        get_card(conn, 2)
    assert log_entries(conn, 2) == []
    [tombstone] = card_events(conn, 2)
    assert tombstone.kind is EventKind.DELETE
    assert tombstone.detail == {"deck": "Sample", "key": "k1", "front": "front 1", "back": "back 1"}
    assert [item.kind for item in card_history(conn, 2)] == ["delete"]
    assert check(conn) == []
    delete_cards(conn, [5], NOW_AT)
    again = add_card(conn, "Sample", "a new card", "under the id SQLite gives again")
    assert again.card_id == 5
    assert card_history(conn, 5) == []  # the tombstone is the deleted card's


def test_an_unknown_id_among_many_changes_nothing(conn: sqlite3.Connection) -> None:
    with pytest.raises(CardGone, match="no card with id 77; nothing was changed"):
        delete_cards(conn, [1, 77], NOW_AT)
    with pytest.raises(CardGone, match="no card with id 77"):
        set_flags(conn, [1, 77], EventKind.SUSPEND, NOW_AT, TODAY)
    assert get_card(conn, 1).suspended is False
    assert card_events(conn, 1) == []


def test_move_keeps_progress_and_keys_unique(conn: sqlite3.Connection) -> None:
    other = add_deck(conn, "Other", [("other front", "other back")])  # its card has key c0 (id 6)
    answer(conn, 1, 5)
    store_deck(conn, Deck("Third", (Card("k0", "clash", "same key as Sample's k0"),)))
    before = get_card(conn, 1).schedule
    assert move_cards(conn, [1], "Other", NOW_AT) == [1]
    moved = get_card(conn, 1)
    assert (moved.deck_id, moved.key, moved.schedule) == (other, "k0", before)
    assert move_cards(conn, [1], "Other", NOW_AT) == []  # already there
    assert move_cards(conn, [1], "Third", LATER) == [1]
    assert get_card(conn, 1).key == "manual-1"  # Third has a k0 already
    assert [event.detail for event in card_events(conn, 1)][-1] == {
        "from": "Other", "to": "Third", "key_from": "k0", "key_to": "manual-1"
    }  # fmt: skip
    with pytest.raises(TrainerError, match="no deck named 'Nowhere'"):
        move_cards(conn, [2], "Nowhere", NOW_AT)
    assert check(conn) == []


# Flags ----------------------------------------------------------------------------------------------


def test_flags_and_their_undo(conn: sqlite3.Connection) -> None:
    changed = set_flags(conn, [1, 2, 1], EventKind.SUSPEND, NOW_AT, TODAY)
    assert changed.changed == (1, 2)
    again = set_flags(conn, [1], EventKind.SUSPEND, LATER, TODAY)
    assert again.events == ()  # already suspended: nothing to record
    assert undo_flags(conn, changed) == 2
    assert (get_card(conn, 1).suspended, get_card(conn, 2).suspended) == (False, False)
    assert card_events(conn, 1) == []
    assert undo_flags(conn, changed) == 0  # taken back already
    buried = set_flags(conn, [3], EventKind.BURY, NOW_AT, TODAY)
    assert get_card(conn, 3).buried_day == TODAY
    set_flags(conn, [3], EventKind.UNBURY, LATER, TODAY)
    assert get_card(conn, 3).buried_day is None
    assert buried.changed == (3,)
    assert check(conn) == []


def test_a_resting_card_cannot_be_graded(conn: sqlite3.Connection) -> None:
    set_flags(conn, [1], EventKind.SUSPEND, NOW_AT, TODAY)
    set_flags(conn, [2], EventKind.BURY, NOW_AT, TODAY)
    with pytest.raises(CardResting, match=r"card 1 is suspended; `trainer suspend --undo 1` brings it back"):
        answer_card(conn, 1, 4, NOW_AT, TODAY)
    with pytest.raises(CardResting, match="card 2 is buried until the next review day"):
        answer_card(conn, 2, 4, NOW_AT, TODAY)
    answer_card(conn, 2, 4, NOW_AT + timedelta(days=1), TODAY + timedelta(days=1))  # the next day it is back
    assert log_entries(conn, 1) == []


# Decks ----------------------------------------------------------------------------------------------


def test_rename_deck_keeps_its_notes_file(conn: sqlite3.Connection, tmp_path: Path) -> None:
    note(conn, tmp_path, "Sample")
    add_deck(conn, "Other", [("f", "b")])
    rename_deck(conn, "Sample", "样本")
    assert find_deck_id(conn, "样本") == get_card(conn, 1).deck_id
    assert [record.deck for record in registered_notes(conn)] == ["样本"]
    with pytest.raises(TrainerError, match="a deck named 'Other' exists already"):
        rename_deck(conn, "样本", "Other")
    with pytest.raises(TrainerError, match="control character"):
        rename_deck(conn, "样本", "two\nlines")
    with pytest.raises(TrainerError, match="no deck named 'Sample'"):
        rename_deck(conn, "Sample", "Again")


def test_delete_deck_takes_everything_of_it(conn: sqlite3.Connection, tmp_path: Path) -> None:
    add_deck(conn, "Other", [("f", "b")])
    answer(conn, 1, 4)
    set_flags(conn, [2], EventKind.SUSPEND, NOW_AT, TODAY)
    note(conn, tmp_path, "Sample")
    deleted = delete_deck(conn, "Sample")
    assert (deleted.cards, deleted.reviews, deleted.notes) == (5, 1, (str(tmp_path / "n.md"),))
    assert ids(conn) == [6]
    assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM card_events").fetchone()[0] == 0
    assert registered_notes(conn) == []
    with pytest.raises(TrainerError, match="no deck named 'Sample'"):
        delete_deck(conn, "Sample")
    assert check(conn) == []


def test_forgetting_is_no_answer_in_stats_or_the_fsrs_export(conn: sqlite3.Connection) -> None:
    answer(conn, 1, 4, NOW_AT - timedelta(days=3))
    forget_cards(conn, [1], NOW_AT, TODAY)
    assert compute_stats(conn, TODAY, days=7).streaks.current == 0  # the last answer was 3 days ago
    assert [day.answers for day in answers_per_day(conn, TODAY, TODAY)] == [0]
    fsrs = io.StringIO()
    assert write_fsrs(conn, fsrs) == 1  # the answer, not the forget
