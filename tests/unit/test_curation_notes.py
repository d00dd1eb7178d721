"""Edits and notes together: a card edited in the trainer keeps the user's text when its unchanged
file or note comes in again; when the source changed too, that is a conflict, reported, and the
user's text stays unless the import or sync overwrites."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.support import ATTENTION, DROPOUT, EMBEDDING, NOW_AT, TODAY, answer, note, sample_deck, write
from trainer.decks.importers.model import ImportedDeck
from trainer.decks.model import Card, Deck
from trainer.notes_sync import add_notes, sync
from trainer.store.cards import get_card
from trainer.store.curation import edit_card
from trainer.store.imports import import_decks
from trainer.store.reviews import check


def reimport(conn: sqlite3.Connection, deck: Deck, overwrite: bool = False) -> list[str]:
    """Import ``deck`` as ``trainer import`` does; the conflicts it reports."""
    result = import_decks(conn, [ImportedDeck(deck)], NOW_AT, TODAY, overwrite=overwrite)
    return result.decks[0].changes.conflicts


def changed(deck: Deck, key: str, **text: str) -> Deck:
    """``deck`` with card ``key`` given other text."""
    cards = tuple(
        Card(card.id, text.get("front", card.front), text.get("back", card.back), card.tags, card.source)
        if card.id == key
        else card
        for card in deck.cards
    )
    return Deck(deck.name, cards, deck.description, deck.source)


def test_an_unchanged_file_keeps_the_users_edit(conn: sqlite3.Connection) -> None:
    answer(conn, 1, 5)
    schedule = get_card(conn, 1).schedule
    edit_card(conn, 1, back="my better back", tags=["mine"], now=NOW_AT)
    assert reimport(conn, changed(sample_deck(), "k1", back="the file edits another card")) == []
    card = get_card(conn, 1)
    assert (card.back, card.tags, card.schedule) == ("my better back", ("mine",), schedule)
    assert get_card(conn, 2).back == "the file edits another card"  # unedited cards follow the file
    assert check(conn) == []


def test_a_changed_source_is_a_conflict_and_the_users_text_stays(conn: sqlite3.Connection) -> None:
    edit_card(conn, 1, back="my better back", now=NOW_AT)
    newer = changed(sample_deck(), "k0", back="the author fixed it too")
    assert reimport(conn, newer) == ["k0"]
    assert get_card(conn, 1).back == "my better back"
    assert reimport(conn, newer) == []  # reported once: later imports compare with the file's new text
    assert reimport(conn, changed(newer, "k0", back="and again")) == ["k0"]
    assert get_card(conn, 1).back == "my better back"


def test_overwrite_takes_the_files_text_and_forgets_the_edit(conn: sqlite3.Connection) -> None:
    answer(conn, 1, 4)
    schedule = get_card(conn, 1).schedule
    edit_card(conn, 1, front="my front", now=NOW_AT)
    assert reimport(conn, sample_deck(), overwrite=True) == []  # the file is unchanged: nothing to overwrite
    assert get_card(conn, 1).front == "my front"
    newer = changed(sample_deck(), "k0", front="the file's front")
    assert reimport(conn, newer, overwrite=True) == ["k0"]
    card = get_card(conn, 1)
    assert (card.front, card.tags, card.schedule) == ("the file's front", ("t",), schedule)
    assert reimport(conn, changed(newer, "k0", front="later")) == []  # no edit left: the file wins
    assert get_card(conn, 1).front == "later"


def test_a_note_sync_keeps_the_edit_and_reports_a_changed_definition(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT), ("attention", ATTENTION)))
    add_notes(conn, [tmp_path])
    sync(conn, NOW_AT)
    (dropout,) = conn.execute("SELECT id FROM cards WHERE key = 'dropout'").fetchone()
    edit_card(conn, dropout, back="我的解释", now=NOW_AT)

    rest = (("attention", ATTENTION), ("embedding", EMBEDDING))
    write(path, note(("dropout", DROPOUT), *rest))
    report = sync(conn, NOW_AT)
    assert report.summary() == "notes: 1 new in ai.md"  # the edited card is not 'updated'
    assert (report.notes[0].conflicts, get_card(conn, dropout).back) == ([], "我的解释")

    write(path, note(("dropout", DROPOUT + "（作者改了）"), *rest))
    report = sync(conn, NOW_AT)
    assert (report.notes[0].conflicts, get_card(conn, dropout).back) == (["dropout"], "我的解释")

    write(path, note(("dropout", "作者的新定义。"), *rest))
    report = sync(conn, NOW_AT, overwrite=True)
    assert (report.notes[0].conflicts, get_card(conn, dropout).back) == (["dropout"], "作者的新定义。")
    assert check(conn) == []
