"""The card browser, with Pilot: search, filters, the card's panel, and every action on a card, each
checked against what the database holds afterwards (read through the library)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TextArea

from tests.support import (
    NOW_AT,
    REPO,
    TODAY,
    Clock,
    add_deck,
    answer,
    collection,
    lapsed_until_due,
    note,
    write,
)
from tests.tui.factory import make_app
from trainer.notes_sync import add_notes, sync
from trainer.store.cards import StoredCard
from trainer.tui.app import TrainerApp
from trainer.tui.screens.browse import PAGE, BrowseScreen
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.decks import DecksScreen
from trainer.tui.screens.edit_card import EditCardScreen
from trainer.tui.screens.pick_deck import PickDeckScreen
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.widgets.card_panel import CardPanel
from trainer.tui.widgets.card_table import CardTable
from trainer.tui.widgets.conceal import Concealable

SIZE = (120, 40)
EDITOR = REPO / "tests" / "data" / "editor" / "edit_line.py"
"""The stand-in ``$EDITOR``: replaces ``$EDIT_OLD`` with ``$EDIT_NEW`` on the line it is opened at."""
MARKUP = "[bold red]not bold[/] \x1b[2J"


def rows(app: TrainerApp) -> list[list[str]]:
    """The browser's table as text, row by row: id, deck, state, due, front (the decks here have no
    space in their names)."""
    return [text.plain.split(maxsplit=4) for text in app.screen.query_one(CardTable).texts]


def ids(app: TrainerApp) -> list[int]:
    return [int(row[0]) for row in rows(app)]


def count(app: TrainerApp) -> str:
    return str(app.screen.query_one("#browse-count").render())


def panel(app: TrainerApp) -> str:
    shown = app.screen.query_one(CardPanel)
    return "\n".join(str(widget.render()) for widget in shown.children) if shown.display else ""


async def browse(pilot: Pilot[None]) -> BrowseScreen:
    """From the deck list (cursor on 'All decks'), open the browser."""
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen)
    return screen


async def search(pilot: Pilot[None], text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await pilot.pause()


async def highlight(pilot: Pilot[None], card_id: int) -> None:
    """Move the cursor down to card ``card_id`` (on the rows shown)."""
    table = pilot.app.screen.query_one(CardTable)
    table.move_cursor(table.ids.index(card_id))
    await pilot.pause()


def card(conn: sqlite3.Connection, card_id: int) -> StoredCard:
    return collection(conn).curation.card(card_id)


@pytest.fixture
def two_decks(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Sample (cards 1-5: 'front N' / 'back N', tag t) and 中文 (cards 6-8)."""
    add_deck(
        conn, "中文", [("梯度下降", "沿负梯度更新参数"), ("过拟合", "训练集好，新数据差"), (MARKUP, "markup")]
    )
    return conn


# Finding ----------------------------------------------------------------------------------------------


async def test_b_on_the_deck_list_opens_every_card_literally(two_decks: sqlite3.Connection) -> None:
    app = make_app(two_decks)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        assert ids(app) == [1, 2, 3, 4, 5, 6, 7, 8]  # new cards in deck order
        assert rows(app)[0] == ["1", "Sample", "new", "—", "front 0"]
        assert rows(app)[7][4] == "[bold red]not bold[/] \\x1b[2J"  # markup as typed, the escape made visible
        assert count(app) == "8 cards"
        assert "front 0" in panel(app) and "back 0" in panel(app) and "no answers yet" in panel(app)
        await pilot.press("escape")
        assert isinstance(app.screen, DecksScreen)


async def test_b_on_a_deck_row_opens_that_deck(two_decks: sqlite3.Connection) -> None:
    app = make_app(two_decks)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down")  # 'All decks', Sample, then 中文 (decks by name)
        await browse(pilot)
        assert ids(app) == [6, 7, 8]
        assert app.screen.query_one("#browse-deck", Select).value == "中文"


async def test_search_narrows_at_each_key_cjk_substrings_included(two_decks: sqlite3.Connection) -> None:
    app = make_app(two_decks)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await pilot.press("slash", "梯")
        assert ids(app) == [6]
        await pilot.press("backspace", "b", "a", "c", "k", "space", "3")
        assert ids(app) == [4]
        await pilot.press("enter")
        assert isinstance(app.focused, CardTable)
        await search(pilot, "xyz")  # / selects the search's text: typing replaces it
        assert ids(app) == []
        assert count(app) == "No card matches “xyz”."
        assert panel(app) == ""


async def test_deck_and_state_filters_and_the_sort(two_decks: sqlite3.Connection) -> None:
    answer(two_decks, 2, 5, "2026-11-10T10:00")  # due 2026-11-11
    answer(two_decks, 7, 1, "2026-11-20T10:00")  # failed: due 2026-11-21, easiness lowered
    collection(two_decks).curation.suspend([3])
    app = make_app(two_decks)
    async with app.run_test(size=SIZE) as pilot:
        screen = await browse(pilot)
        screen.query_one("#browse-state", Select).value = "suspended"
        await pilot.pause()
        assert ids(app) == [3]
        screen.query_one("#browse-state", Select).value = "learning"
        await pilot.pause()
        assert ids(app) == [2, 7]
        assert [row[3] for row in rows(app)] == ["2026-11-11", "2026-11-21"]
        screen.query_one("#browse-deck", Select).value = "中文"
        await pilot.pause()
        assert ids(app) == [7]
        screen.query_one("#browse-deck", Select).clear()
        screen.query_one("#browse-state", Select).clear()
        screen.query_one("#browse-sort", Select).value = "easiness"
        await pilot.pause()
        assert ids(app)[0] == 7  # the hardest first


async def test_the_panel_shows_the_schedule_and_the_whole_history(conn: sqlite3.Connection) -> None:
    answer(conn, 1, 5, "2026-11-14T10:00")
    answer(conn, 1, 5, "2026-11-15T10:00")
    collection(conn).curation.bury([1])
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await search(pilot, "front 0")
        shown = panel(app).splitlines()
    assert "source notes.md:1" in shown
    assert "due 2026-11-21 · interval 6d · EF 2.70 · 2 reps · 0 lapses   buried today " in shown
    history = shown[shown.index("History") + 1 :]
    assert history == [
        "2026-11-14 10:00  review  q5 → 1d",
        "2026-11-15 10:00  review  q5 → 6d",
        f"{NOW_AT:%Y-%m-%d %H:%M}  bury",
    ]


async def test_the_table_reads_the_next_page_at_its_end(conn: sqlite3.Connection) -> None:
    add_deck(conn, "Big", [(f"q{n}", f"a{n}") for n in range(PAGE + 20)])
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        assert len(rows(app)) == PAGE
        assert count(app) == f"{PAGE + 25} cards (first {PAGE} shown)"
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert len(rows(app)) == PAGE + 25
        assert count(app) == f"{PAGE + 25} cards"


async def test_keys_and_a_click_move_the_cursor_and_the_panel_follows(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        assert "back 2" in panel(app)
        await pilot.press("ctrl+home")
        await pilot.pause()
        assert "back 0" in panel(app)
        await pilot.click("#browse-table", offset=(3, 3))  # the fourth row
        await pilot.pause()
        assert "back 3" in panel(app)


# Acting on the highlighted card --------------------------------------------------------------------


async def test_e_edits_front_back_and_tags_and_keeps_the_schedule(conn: sqlite3.Connection) -> None:
    answer(conn, 2, 4, "2026-11-21T10:00")
    before = card(conn, 2).schedule
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await highlight(pilot, 2)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, EditCardScreen)
        dialog.query_one("#edit-front", TextArea).text = "正面 (fixed)"
        dialog.query_one("#edit-back", TextArea).text = "back 1\nsecond line"
        dialog.query_one("#edit-tags", Input).value = "ml, 优化"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert rows(app)[-1][::4] == ["2", "正面 (fixed)"]  # the card answered comes after the new ones
        assert "second line" in panel(app)
    edited = card(conn, 2)
    assert (edited.front, edited.back, edited.tags) == ("正面 (fixed)", "back 1\nsecond line", ("ml", "优化"))
    assert edited.schedule == before
    assert collection(conn).curation.history(2)[-1].kind == "edit"


async def test_an_edit_refused_keeps_the_dialog_and_changes_nothing(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await pilot.press("e")
        app.screen.query_one("#edit-front", TextArea).text = "   "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)
        assert "front must not be empty" in str(app.screen.query_one("#edit-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, BrowseScreen)
    assert card(conn, 1).front == "front 0"


async def test_bang_suspends_and_brings_back(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await pilot.press("exclamation_mark")
        assert card(conn, 1).suspended
        assert rows(app)[0][2] == "suspended"
        await pilot.press("exclamation_mark")
        assert not card(conn, 1).suspended
    assert [item.kind for item in collection(conn).curation.history(1)] == ["suspend", "unsuspend"]


async def test_minus_buries_until_tomorrow_and_unburies(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await pilot.press("minus")
        assert card(conn, 1).buried_day == collection(conn).today()
        assert rows(app)[0][2] == "buried"
        await pilot.press("minus")
        assert card(conn, 1).buried_day is None
    assert [item.kind for item in collection(conn).curation.history(1)] == ["bury", "unbury"]


async def test_f_asks_then_forgets(conn: sqlite3.Connection) -> None:
    answer(conn, 1, 5, "2026-11-20T10:00")
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await highlight(pilot, 1)
        await pilot.press("f")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert card(conn, 1).schedule.due is not None
        await pilot.press("f", "y")
        await pilot.pause()
        assert rows(app)[0][:4] == ["1", "Sample", "new", "—"]
    assert card(conn, 1).schedule.is_new
    assert [item.kind for item in collection(conn).curation.history(1)] == ["review", "forget"]


async def test_d_asks_then_deletes_with_the_history(conn: sqlite3.Connection) -> None:
    answer(conn, 1, 5, "2026-11-20T10:00")
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await highlight(pilot, 3)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert ids(app) == [2, 3, 4, 5, 1]  # the card answered after the new ones
        await pilot.press("d", "y")
        await pilot.pause()
        assert ids(app) == [2, 4, 5, 1]
        assert "front 3" in panel(app)  # the cursor stays at its row: the next card
        await highlight(pilot, 1)
        await pilot.press("d", "y")
        await pilot.pause()
    assert [row.id for row in collection(conn).curation.search().rows] == [2, 4, 5]
    assert collection(conn).review_count() == 0  # card 1's answer went with it


async def test_m_moves_to_the_deck_picked_with_progress_kept(two_decks: sqlite3.Connection) -> None:
    answer(two_decks, 1, 5, "2026-11-20T10:00")
    app = make_app(two_decks)
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await highlight(pilot, 1)
        await pilot.press("m")
        assert isinstance(app.screen, PickDeckScreen)
        await pilot.press("enter")  # the only other deck: 中文
        await pilot.pause()
        assert rows(app)[-1][:2] == ["1", "中文"]
    moved = card(two_decks, 1)
    assert moved.deck == "中文" and moved.schedule.state.repetitions == 1


async def test_a_adds_a_card_to_the_deck_chosen(two_decks: sqlite3.Connection) -> None:
    app = make_app(two_decks)
    async with app.run_test(size=SIZE) as pilot:
        screen = await browse(pilot)
        screen.query_one("#browse-deck", Select).value = "中文"
        await pilot.pause()
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, EditCardScreen)
        assert dialog.query_one("#edit-deck", Select).value == "中文"
        dialog.query_one("#edit-front", TextArea).text = "注意力"
        dialog.query_one("#edit-back", TextArea).text = "按相关程度加权"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ids(app) == [6, 7, 8, 9]
        assert "按相关程度加权" in panel(app)  # the new card is highlighted
    added = card(two_decks, 9)
    assert (added.deck, added.front, added.schedule.is_new) == ("中文", "注意力", True)


async def test_a_on_the_deck_list_adds_to_the_highlighted_deck(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "a")
        dialog = app.screen
        assert isinstance(dialog, EditCardScreen)
        dialog.query_one("#edit-front", TextArea).text = "new front"
        dialog.query_one("#edit-back", TextArea).text = "new back"
        await pilot.press("tab", "tab", *"x, y", "enter")  # front, back, tags; Enter there saves
        await pilot.pause()
        assert isinstance(app.screen, DecksScreen)
        assert [str(cell) for cell in app.screen.query_one(DataTable).get_row_at(1)][-1] == "6"
    added = card(conn, 6)
    assert (added.deck, added.front, added.back, added.tags) == (
        "Sample",
        "new front",
        "new back",
        ("x", "y"),
    )


# Opening the note -----------------------------------------------------------------------------------


@pytest.fixture
def registered(tmp_path: Path, conn: sqlite3.Connection) -> Path:
    """A registered note with two definitions, synced; the first card answered once."""
    path = write(
        tmp_path / "notes" / "ai.md", note(("dropout", "随机丢弃神经元。"), ("attention", "按相关程度加权。"))
    )
    add_notes(conn, [path])
    sync(conn, NOW_AT)
    return path


async def test_o_opens_the_note_at_the_line_and_reads_it_again(
    registered: Path, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    attention = collection(conn).curation.search("attention").rows[0].id
    answer(conn, attention, 5, "2026-11-20T10:00")
    before = card(conn, attention).schedule
    monkeypatch.setenv("EDITOR", f"{sys.executable} {EDITOR}")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDIT_OLD", "加权")
    monkeypatch.setenv("EDIT_NEW", "加上权重")
    app = make_app(conn, Clock())
    async with app.run_test(size=SIZE) as pilot:
        await browse(pilot)
        await search(pilot, "attention")
        await pilot.press("o")
        await pilot.pause()
        assert "按相关程度加上权重。" in panel(app)
    assert Path(f"{registered}.args").read_text(encoding="utf-8") == f"+4 {registered}"
    after = card(conn, attention)
    assert after.back == "按相关程度加上权重。"
    assert after.schedule == before  # progress kept


async def test_o_on_a_card_from_no_registered_note_says_so(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await browse(pilot)
        await pilot.press("o")
        await pilot.pause()
        notices = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert isinstance(app.screen, BrowseScreen)
    assert any("does not come from a registered note" in text for text in notices)


# From the review screen -----------------------------------------------------------------------------


def front_shown(app: TrainerApp) -> str:
    return str(app.screen.query_one("#front").render())


async def review(pilot: Pilot[None]) -> ReviewScreen:
    """Review the Sample deck (the row under 'All decks')."""
    await pilot.press("down", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_e_in_a_review_edits_the_card_on_screen_at_once(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot)
        await pilot.press("space", "e")
        dialog = app.screen
        assert isinstance(dialog, EditCardScreen)
        await pilot.press(*" fixed", "ctrl+s")  # the cursor starts at the end of the front
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert front_shown(app) == "front 0 fixed"
        assert not app.screen.query_one("#back-box", Concealable).concealed  # the answer stays shown
        await pilot.press("5")
    assert card(conn, 1).front == "front 0 fixed"
    assert card(conn, 1).schedule.state.repetitions == 1  # graded after the edit, as any card


async def test_b_in_a_review_opens_the_browser_on_the_card(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot)
        await pilot.press("space", "5")  # front 0 answered: front 1 on screen
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowseScreen)
        assert browser.query_one("#browse-search", Input).value == "front 1"
        assert ids(app) == [2] and "back 1" in panel(app)
        await pilot.press("exclamation_mark", "escape")  # suspended in the browser
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert front_shown(app) == "front 2"  # the suspended card left the session
    assert card(conn, 2).suspended


async def test_o_in_a_review_opens_the_note_and_shows_the_new_text(
    registered: Path, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", f"{sys.executable} {EDITOR}")
    monkeypatch.setenv("EDIT_OLD", "dropout")
    monkeypatch.setenv("EDIT_NEW", "dropout (随机失活)")
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")  # 'All decks', then the note's deck (before Sample)
        assert front_shown(app) == "dropout"
        await pilot.press("o")
        await pilot.pause()
        assert front_shown(app) == "dropout (随机失活)"
    assert Path(f"{registered}.args").read_text(encoding="utf-8") == f"+3 {registered}"


@pytest.fixture
def near_leech(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Card 4 (front 3) lapsed 7 times and due today, so the first of the Sample session: one more
    failure makes it a leech."""
    lapsed_until_due(conn, 4, 7, TODAY)
    return conn


async def test_on_the_leech_notice_bang_suspends_that_card(
    near_leech: sqlite3.Connection,
) -> None:
    app = make_app(near_leech)
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot)
        await pilot.press("space", "1")
        assert front_shown(app) == "front 3"
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert card(near_leech, 4).suspended
        assert front_shown(app) == "front 0"
        for _ in range(5):  # the rest of the session: the leech's drill left it too
            await pilot.press("space", "5")
        assert not isinstance(app.screen, ReviewScreen)


async def test_u_takes_back_the_leech_suspended_on_its_notice(near_leech: sqlite3.Connection) -> None:
    app = make_app(near_leech)
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot)
        await pilot.press("space", "1", "exclamation_mark", "u")
        await pilot.pause()
        assert not card(near_leech, 4).suspended  # its drill is back in the queue, after front 0
        assert front_shown(app) == "front 0"
        await pilot.press("u")  # then the answer
        assert front_shown(app) == "front 3"
    assert card(near_leech, 4).schedule.lapses == 7


async def test_on_the_leech_notice_e_rewrites_that_card(near_leech: sqlite3.Connection) -> None:
    app = make_app(near_leech)
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot)
        await pilot.press("space", "1", "e", *" (rewritten)", "ctrl+s")
        await pilot.pause()
        assert front_shown(app) == "front 3 (rewritten)"
        assert "New leech" in str(app.screen.query_one("#hint").render())
        await pilot.press("space")
        assert front_shown(app) == "front 0"
    assert card(near_leech, 4).front == "front 3 (rewritten)"
    assert card(near_leech, 4).schedule.lapses == 8


@pytest.mark.parametrize("key", ["exclamation_mark", "minus"])
async def test_undo_in_a_review_takes_back_a_suspension_or_burial_and_its_event(
    conn: sqlite3.Connection, key: str
) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot)
        await pilot.press(key)
        await pilot.pause()
        flagged = card(conn, 1)
        assert flagged.suspended or flagged.buried_day == TODAY
        await pilot.press("u")
        await pilot.pause()
        assert front_shown(app) == "front 0"
    back = card(conn, 1)
    assert not back.suspended and back.buried_day is None
    assert collection(conn).curation.history(1) == []  # the event went with the undo
    assert collection(conn).check().disagreements == []
