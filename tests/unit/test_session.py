"""The review session seam: queue order, same-day drill, undo, suspend/bury, counts and summaries."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests.support import NOW_AT, TODAY, ZONE, add_deck, collection, lapsed_until_due, suspend
from trainer.config import Settings
from trainer.scheduler.grades import grade_keys
from trainer.scheduler.queue import QueueKind
from trainer.session import Counts, ReviewSession
from trainer.store.cards import get_card
from trainer.store.due import queue_counts as counted_queue


def session(conn: sqlite3.Connection, **settings: Any) -> ReviewSession:
    return ReviewSession(conn, Settings(**settings), ZONE, NOW_AT)


def queue_counts(
    conn: sqlite3.Connection, settings: Settings, day: date, deck_id: int | None = None
) -> Counts:
    """What the deck list shows for a deck (or all decks) on ``day``."""
    return Counts(*counted_queue(conn, day, settings.limits, deck_id))


def fronts(s: ReviewSession) -> list[str]:
    return [get_card(s.conn, entry.card_id).front for entry in s.queue]


def shown(s: ReviewSession) -> str | None:
    """The front of the card the session shows, if any."""
    return s.card.front if s.card is not None else None


def log(conn: sqlite3.Connection) -> list[tuple[int, int, str]]:
    return [tuple(r) for r in conn.execute("SELECT card_id, quality, kind FROM reviews ORDER BY id")]


def test_new_cards_come_in_deck_order_and_counts_shrink(conn: sqlite3.Connection) -> None:
    s = session(conn)
    assert fronts(s) == [f"front {n}" for n in range(5)]
    assert s.counts() == Counts(new=5, drill=0, due=0)
    s.answer(5, NOW_AT)
    assert s.counts() == Counts(new=4, drill=0, due=0)
    assert s.answered == 1


def test_opening_a_session_reads_its_first_cards_and_counts_them_only_when_asked(
    conn: sqlite3.Connection,
) -> None:
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    s = session(conn)
    opened = len(statements)
    assert s.counts() == Counts(new=5, drill=0, due=0) and len(statements) > opened
    counted = len(statements)
    assert s.counts() == Counts(new=5, drill=0, due=0) and len(statements) == counted
    conn.set_trace_callback(None)
    answered_first = session(conn)
    answered_first.answer(1, NOW_AT)
    answered_first.answer(5, NOW_AT)
    assert answered_first.counts() == Counts(new=3, drill=1, due=0)


def test_a_failed_card_returns_later_the_same_day_until_graded_4(conn: sqlite3.Connection) -> None:
    s = session(conn)
    s.answer(2, NOW_AT)  # front 0
    assert fronts(s) == ["front 1", "front 2", "front 3", "front 4", "front 0"]
    assert s.queue[4].kind is QueueKind.DRILL
    for _ in range(4):
        s.answer(5, NOW_AT)
    assert shown(s) == "front 0"
    s.answer(3, NOW_AT)  # passed but below 4: drilled again
    assert shown(s) == "front 0"
    s.answer(4, NOW_AT)
    assert s.card is None and not s.queue
    assert [kind for _, _, kind in log(conn)] == ["review"] * 5 + ["drill", "drill"]


def test_a_drill_waits_behind_other_cards_not_at_once(conn: sqlite3.Connection) -> None:
    s = session(conn)
    s.answer(0, NOW_AT)
    assert s.card is not None and s.card.front == "front 1"


def test_undo_steps_back_through_answers_log_and_queue(conn: sqlite3.Connection) -> None:
    s = session(conn)
    before = [get_card(conn, entry.card_id).schedule for entry in s.queue]
    order = list(s.queue)
    s.answer(2, NOW_AT)
    s.answer(5, NOW_AT)
    s.answer(4, NOW_AT)
    assert len(log(conn)) == 3
    assert s.undo() and s.undo() and s.undo()
    assert not s.undo()
    assert log(conn) == []
    assert list(s.queue) == order
    assert [get_card(conn, entry.card_id).schedule for entry in s.queue] == before
    assert s.answered == 0


def test_suspend_and_bury_take_the_card_out_and_undo_puts_it_back(conn: sqlite3.Connection) -> None:
    s = session(conn)
    first = s.card
    assert first is not None
    s.suspend()
    assert get_card(conn, first.id).suspended
    s.bury(NOW_AT)
    assert str(get_card(conn, first.id + 1).buried_day) == "2026-11-22"
    assert fronts(s) == ["front 2", "front 3", "front 4"]
    assert session(conn).counts().new == 3  # a new session does not see them either
    s.undo()
    s.undo()
    assert fronts(s) == [f"front {n}" for n in range(5)]
    assert not get_card(conn, first.id).suspended
    assert get_card(conn, first.id + 1).buried_day is None


def test_outcomes_label_each_grade_with_the_real_interval(conn: sqlite3.Connection) -> None:
    s = session(conn)
    labels = {q: o.label for q, o in s.outcomes(NOW_AT).items()}
    assert labels == {
        0: "again today",
        1: "again today",
        2: "again today",
        3: "1d + again today",
        4: "1d",
        5: "1d",
    }


def test_the_second_review_offers_six_days(conn: sqlite3.Connection) -> None:
    session(conn).answer(5, NOW_AT)
    tomorrow = NOW_AT + timedelta(days=1)
    s = ReviewSession(conn, Settings(), ZONE, tomorrow)
    assert s.kind is QueueKind.REVIEW
    assert s.outcomes(tomorrow)[5].label == "6d"


def test_grade_keys_for_both_gradings() -> None:
    assert [(g.key, g.quality) for g in grade_keys("sm2")] == [(str(q), q) for q in range(6)]
    assert [(g.key, g.meaning, g.quality) for g in grade_keys("simple")] == [
        ("1", "forgot", 1),
        ("2", "hard", 3),
        ("3", "good", 4),
        ("4", "easy", 5),
    ]


def test_summary_counts_correct_share_time_and_new_leeches(conn: sqlite3.Connection) -> None:
    card_id = conn.execute("SELECT id FROM cards ORDER BY position LIMIT 1").fetchone()[0]
    lapsed_until_due(conn, card_id, lapses=7, due=TODAY)
    s = session(conn)
    assert s.card is not None and s.card.id == card_id  # due reviews come first
    s.answer(1, NOW_AT)
    s.answer(5, NOW_AT)
    summary = s.summary()
    assert (summary.reviewed, summary.cards, summary.correct, summary.correct_share) == (2, 2, 1, 0.5)
    assert [card.id for card in summary.leeches] == [card_id]
    assert "leech" in get_card(conn, card_id).tags
    assert summary.time_spent(NOW_AT + timedelta(minutes=3)) == timedelta(minutes=3)
    assert summary.time_spent(NOW_AT - timedelta(minutes=3)) == timedelta(0)


def test_due_tomorrow_counts_cards_due_by_then_and_tomorrows_new_cards(conn: sqlite3.Connection) -> None:
    s = session(conn, new_per_day=2)
    s.answer(5, NOW_AT)
    s.answer(4, NOW_AT)
    assert s.due_on(s.tomorrow(NOW_AT)) == 2 + 2  # two reviews, and two of the three new cards left
    suspend(conn, 3, 4)
    assert s.due_on(s.tomorrow(NOW_AT)) == 2 + 1  # suspended cards are not waiting
    assert s.tomorrow(NOW_AT).isoformat() == "2026-11-23"


def test_a_session_past_midnight_keeps_the_review_day(conn: sqlite3.Connection) -> None:
    s = session(conn)
    late = datetime.fromisoformat("2026-11-23T01:30:00+01:00")
    s.answer(4, late)
    assert conn.execute("SELECT day FROM reviews").fetchone()[0] == "2026-11-22"


def test_queue_counts_and_next_due_for_the_deck_list(conn: sqlite3.Connection) -> None:
    settings = Settings(new_per_day=3)
    today = NOW_AT.date()
    assert queue_counts(conn, settings, today) == Counts(new=3, drill=0, due=0)
    s = ReviewSession(conn, settings, ZONE, NOW_AT)
    for _ in range(3):
        s.answer(5, NOW_AT)
    assert queue_counts(conn, settings, today) == Counts(0, 0, 0)
    upcoming = collection(conn, new_per_day=3).next_due()
    assert upcoming is not None
    assert (upcoming.day.isoformat(), upcoming.cards) == ("2026-11-23", 3 + 2)


def test_next_due_is_none_when_nothing_is_left(conn: sqlite3.Connection) -> None:
    suspend(conn, 1, 2, 3, 4, 5)
    assert collection(conn).next_due() is None


def test_answering_with_no_card_left_is_an_error(conn: sqlite3.Connection) -> None:
    suspend(conn, 1, 2, 3, 4, 5)
    s = session(conn)
    assert s.card is None and s.kind is None and s.outcomes(NOW_AT) == {}
    with pytest.raises(RuntimeError):
        s.answer(4, NOW_AT)


def test_the_new_card_limit_is_for_the_whole_collection(conn: sqlite3.Connection) -> None:
    other = add_deck(conn, "Other", [(f"q{n}", f"a{n}") for n in range(5)])
    settings = Settings(new_per_day=3)
    today = NOW_AT.date()
    assert queue_counts(conn, settings, today, other) == Counts(new=3, drill=0, due=0)
    sample = ReviewSession(conn, settings, ZONE, NOW_AT, deck_id=1)
    for _ in range(2):
        sample.answer(5, NOW_AT)
    # Two of the collection's three are used: every deck, and all decks, offer the one left.
    assert queue_counts(conn, settings, today, other) == Counts(new=1, drill=0, due=0)
    assert queue_counts(conn, settings, today, 1) == Counts(new=1, drill=0, due=0)
    assert queue_counts(conn, settings, today) == Counts(new=1, drill=0, due=0)
    sample.answer(5, NOW_AT)
    later = ReviewSession(conn, settings, ZONE, NOW_AT, deck_id=other)
    assert later.card is None and later.counts() == Counts(0, 0, 0)


def test_the_review_limit_is_for_the_whole_collection_too(conn: sqlite3.Connection) -> None:
    other = add_deck(conn, "Other", [(f"q{n}", f"a{n}") for n in range(3)])
    first = ReviewSession(conn, Settings(), ZONE, NOW_AT - timedelta(days=1))
    while first.card is not None:
        first.answer(5, NOW_AT - timedelta(days=1))
    settings = Settings(reviews_per_day=4)
    ReviewSession(conn, settings, ZONE, NOW_AT, deck_id=1).answer(5, NOW_AT)
    assert queue_counts(conn, settings, NOW_AT.date(), other) == Counts(new=0, drill=0, due=3)
    ReviewSession(conn, settings, ZONE, NOW_AT, deck_id=1).answer(5, NOW_AT)
    assert queue_counts(conn, settings, NOW_AT.date(), other) == Counts(new=0, drill=0, due=2)
    assert queue_counts(conn, settings, NOW_AT.date()) == Counts(new=0, drill=0, due=2)


def test_summary_counts_cards_apart_from_answers_and_has_no_share_without_answers(
    conn: sqlite3.Connection,
) -> None:
    s = session(conn)
    empty = s.summary()
    assert (empty.reviewed, empty.cards, empty.correct_share) == (0, 0, None)
    s.answer(1, NOW_AT)  # comes back as a drill after the next four cards
    for _ in range(4):
        s.answer(5, NOW_AT)
    s.answer(4, NOW_AT)  # the drill
    summary = s.summary()
    assert (summary.reviewed, summary.cards, summary.correct) == (6, 5, 5)


def test_the_deck_list_counts_are_those_of_the_queues_they_stand_for(conn: sqlite3.Connection) -> None:
    """Counted by capped indexed queries, never by building each queue: the same figures either way."""
    from collections import Counter

    from trainer.store.due import day_queue, deck_counts

    other = add_deck(conn, "Other", [(f"q{n}", f"a{n}") for n in range(6)])
    yesterday = NOW_AT - timedelta(days=1)
    first = ReviewSession(conn, Settings(), ZONE, yesterday, deck_id=other)
    for quality in (5, 5, 5, 4):
        first.answer(quality, yesterday)
    today = ReviewSession(conn, Settings(new_per_day=4), ZONE, NOW_AT)
    today.answer(2, NOW_AT)  # a drill today
    today.bury(NOW_AT)
    settings = Settings(new_per_day=4, reviews_per_day=3)
    day = NOW_AT.date()
    counted = deck_counts(conn, day, settings.limits)
    assert [c.deck_id for c in counted] == [None, other, 1]  # all decks, then by name ("Other" < "Sample")
    for c in counted:
        kinds = Counter(entry.kind for entry in day_queue(conn, day, settings.limits, c.deck_id))
        assert (c.new, c.drill, c.due) == (
            kinds[QueueKind.NEW],
            kinds[QueueKind.DRILL],
            kinds[QueueKind.REVIEW],
        )
        assert Counts(c.new, c.drill, c.due) == queue_counts(conn, settings, day, c.deck_id)
    assert [c.total for c in counted] == [11, 6, 5]
    # Four were due in Other: one answered today (now a drill), one buried, two left within the limit.
    assert (counted[0].new, counted[0].drill, counted[0].due) == (4, 1, 2) and counted[1].due == 2


def test_a_long_queue_is_read_a_page_at_a_time_in_the_same_order(conn: sqlite3.Connection) -> None:
    """More cards than a page (and than read ahead): the order, the drills' places and the counts are
    those of the whole queue, though the session has read only the cards near the front."""
    from trainer.session import AHEAD
    from trainer.store.due import PAGE, day_queue

    big = add_deck(conn, "Big", [(f"q{n:03d}", f"a{n}") for n in range(PAGE * 2 + 10)])
    settings = Settings(new_per_day=PAGE * 2 + 5)
    whole = [entry.card_id for entry in day_queue(conn, NOW_AT.date(), settings.limits, big)]
    assert len(whole) == PAGE * 2 + 5 and len(set(whole)) == len(whole)
    s = ReviewSession(conn, settings, ZONE, NOW_AT, deck_id=big)
    assert len(s.queue) == AHEAD and s.counts() == Counts(new=PAGE * 2 + 5, drill=0, due=0)
    shown = []
    while s.card is not None:
        shown.append(s.card.id)
        s.answer(2 if len(shown) == 1 else 5, NOW_AT)  # the first card fails once: drilled 4 cards later
    assert shown[:6] == [*whole[:5], whole[0]]
    assert shown[6:] == whole[5:]
    assert s.counts() == Counts(0, 0, 0)
