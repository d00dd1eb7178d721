"""The browser's search as the user types: every keystroke gives what a fresh search gives (the same
cards, in the same order, the same count), whether it narrowed among an earlier text's matches, came
back to a text seen before, or searched the whole collection."""

from __future__ import annotations

import sqlite3

from tests.support import add_deck, answer, collection

CARDS = [(f"梯度 term {n:02d}", f"back {n % 7} 学习率 {'Émile' if n % 5 == 0 else 'x'}") for n in range(60)]


def test_typing_on_and_deleting_back_give_what_a_fresh_search_gives(conn: sqlite3.Connection) -> None:
    add_deck(conn, "AI 基础", CARDS, tags=("优化",))
    for card_id in (8, 12, 30):
        answer(conn, card_id, 5, "2026-11-20T10:00")  # due before the new cards: the order matters
    curation = collection(conn).curation
    for deck, state, sort in ((None, None, "due"), ("AI 基础", "new", "added"), (None, None, "lapses")):
        typing = curation.typing_search(deck, state, sort)
        texts = ["t", "te", "term", "term 0", "term 05", "term 0", "term", "", "梯", "梯度 term 1", "émile"]
        for text in texts:
            for offset in (0, 5):
                got = typing.search(text, limit=7, offset=offset)
                fresh = curation.search(text or None, deck, state, sort, limit=7, offset=offset)
                assert got == fresh, (deck, state, sort, text, offset)


def test_a_new_search_sees_cards_changed_since_the_last_one(conn: sqlite3.Connection) -> None:
    add_deck(conn, "AI 基础", CARDS)
    curation = collection(conn).curation
    assert curation.typing_search().search("term 01").total == 1
    curation.edit(7, front="renamed")  # card 7 held "term 01"
    assert curation.typing_search().search("term 01").total == 0
