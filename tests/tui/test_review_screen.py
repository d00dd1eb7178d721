"""Pilot tests: every screen and key, on a real SQLite file, checking what the database holds after."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime

import pytest
from rich.cells import cell_len
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._toast import Toast

from tests.support import Clock, add_deck
from tests.tui.factory import make_app
from trainer.tui.app import TrainerApp
from trainer.tui.screens.decks import DecksScreen
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.screens.stats import StatsScreen
from trainer.tui.screens.summary import SummaryScreen
from trainer.tui.widgets.conceal import Concealable
from trainer.tui.widgets.grades import GradeBar, Placed

SIZE = (100, 30)


def shown(app: TrainerApp, selector: str) -> str:
    """The plain text a widget on the top screen displays."""
    return str(app.screen.query_one(selector).render())


def grade_places(app: TrainerApp) -> tuple[GradeBar, list[str], list[Placed]]:
    """The grade bar on screen, its rows as drawn, and where it placed each grade's label."""
    bar = app.screen.query_one(GradeBar)
    return bar, str(bar.render()).split("\n"), bar.placed(bar.content_size.width)


def grade_labels(app: TrainerApp) -> dict[str, list[str]]:
    """Each grade's key, meaning and interval, as drawn in the bar's rows at the grade's place."""
    _, rows, places = grade_places(app)
    drawn = {place.grade.key: rows[place.y][place.x : place.x + place.label.cell_len] for place in places}
    return {key: re.split(r"\s{2,}", text.strip()) for key, text in drawn.items()}


def reviews(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    rows = conn.execute(
        "SELECT cards.front, reviews.quality, reviews.kind FROM reviews JOIN cards ON cards.id = card_id"
        " ORDER BY reviews.id"
    )
    return [tuple(row) for row in rows]


def due(conn: sqlite3.Connection, front: str) -> str | None:
    day: str | None = conn.execute("SELECT due_day FROM cards WHERE front = ?", (front,)).fetchone()[0]
    return day


async def open_sample(pilot: Pilot[None]) -> None:
    """From the deck list, highlight the 'Sample' deck (the row under 'All decks') and start."""
    await pilot.press("down", "enter")
    assert isinstance(pilot.app.screen, ReviewScreen)


async def test_deck_list_shows_each_deck_and_all_decks(conn: sqlite3.Connection) -> None:
    add_deck(conn, "Other", [("q", "a")] * 1)
    app = make_app(conn, new_per_day=3)
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, DecksScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        assert rows == [
            ["All decks", "3", "0", "0", "6"],
            ["Other", "1", "0", "0", "1"],
            ["Sample", "3", "0", "0", "5"],
        ]
        assert not app.screen.query_one("#empty").display


async def test_enter_reviews_the_highlighted_deck(conn: sqlite3.Connection) -> None:
    add_deck(conn, "Other", [("other front", "other back")])
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, ReviewScreen)
        assert shown(app, "#front") == "front 0"
        assert "Sample" in shown(app, "#card-info") and "new card" in shown(app, "#card-info")


async def test_reveal_then_grade_saves_the_answer_before_the_next_card(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        assert app.screen.query_one("#back-box", Concealable).concealed
        await pilot.press("space")
        assert not app.screen.query_one("#back-box", Concealable).concealed
        assert shown(app, "#back") == "back 0"
        assert "tags: t" in shown(app, "#card-meta") and "source: notes.md:1" in shown(app, "#card-meta")
        await pilot.press("4")
        assert reviews(conn) == [("front 0", 4, "review")]
        assert due(conn, "front 0") == "2026-11-23"
        assert shown(app, "#front") == "front 1"
        await pilot.press("enter", "5")
        assert reviews(conn)[-1] == ("front 1", 5, "review")
        duration = conn.execute("SELECT duration_ms FROM reviews ORDER BY id LIMIT 1").fetchone()[0]
        assert duration is not None and duration >= 0


async def test_grades_are_labelled_with_meaning_and_interval(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("space")
        assert list(grade_labels(app).values()) == [
            ["0", "blackout", "again today"],
            ["1", "wrong, recognised", "again today"],
            ["2", "wrong, seemed easy", "again today"],
            ["3", "right, hard", "1d + again today"],
            ["4", "right, hesitant", "1d"],
            ["5", "perfect", "1d"],
        ]


@pytest.mark.parametrize(("size", "columns"), [((80, 24), 2), ((60, 20), 1), ((100, 30), 2)])
async def test_every_grade_and_its_interval_fit_a_small_terminal(
    conn: sqlite3.Connection, size: tuple[int, int], columns: int
) -> None:
    app = make_app(conn)
    async with app.run_test(size=size) as pilot:
        await open_sample(pilot)
        await pilot.press("space")
        await pilot.pause()
        bar, rows, places = grade_places(app)
        assert app.screen.region.contains_region(bar.region)
        for row in rows:
            assert cell_len(row.rstrip()) <= bar.content_size.width, row  # nothing cut at the right
        assert sorted(place.grade.key for place in places) == list("012345")
        assert len({place.x for place in places}) == columns
        # Each column's intervals start in one column of the screen, so they read as a table.
        intervals = {place.x + place.label.plain.rindex("  ") for place in places if place.grade.key in "012"}
        assert len(intervals) == 1


async def test_grade_keys_do_nothing_before_the_answer_is_shown(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("5", "0")
        assert reviews(conn) == []
        assert shown(app, "#front") == "front 0"


async def test_failed_card_comes_back_later_until_graded_4(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("space", "1")
        assert shown(app, "#front") == "front 1"  # not at once
        for _ in range(4):
            await pilot.press("space", "5")
        assert shown(app, "#front") == "front 0"
        assert "again today" in shown(app, "#card-info")
        await pilot.press("space", "3", "space", "4")
        assert [row for row in reviews(conn) if row[0] == "front 0"] == [
            ("front 0", 1, "review"),
            ("front 0", 3, "drill"),
            ("front 0", 4, "drill"),
        ]
        assert conn.execute("SELECT drill_day FROM cards WHERE front = 'front 0'").fetchone()[0] is None
        assert isinstance(app.screen, SummaryScreen)  # the queue is empty


async def test_undo_reverts_answers_one_step_at_a_time(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("space", "5", "space", "2")
        assert len(reviews(conn)) == 2
        await pilot.press("u")
        assert reviews(conn) == [("front 0", 5, "review")]
        assert due(conn, "front 1") is None
        assert shown(app, "#front") == "front 1"
        await pilot.press("u")
        assert reviews(conn) == []
        assert due(conn, "front 0") is None
        assert shown(app, "#front") == "front 0"
        await pilot.press("u")  # nothing left: a warning, no change
        assert shown(app, "#front") == "front 0"


async def test_suspend_and_bury_are_saved_and_undoable(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("exclamation_mark")
        assert conn.execute("SELECT suspended FROM cards WHERE front = 'front 0'").fetchone()[0] == 1
        assert shown(app, "#front") == "front 1"
        await pilot.press("minus")
        buried = conn.execute("SELECT buried_day FROM cards WHERE front = 'front 1'").fetchone()[0]
        assert buried == "2026-11-22"
        assert shown(app, "#front") == "front 2"
        await pilot.press("u")
        assert conn.execute("SELECT buried_day FROM cards WHERE front = 'front 1'").fetchone()[0] is None
        await pilot.press("u")
        assert conn.execute("SELECT suspended FROM cards WHERE front = 'front 0'").fetchone()[0] == 0
        assert shown(app, "#front") == "front 0"


async def test_help_lists_every_key_and_closes(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = [key for key, _ in app.screen.keys]
        assert keys == [
            "Space, Enter", "0", "1", "2", "3", "4", "5", "↑ ↓ PgUp PgDn", "u", "!", "-", "e", "o", "b", "?",
            "Ctrl+P", "q", "Ctrl+C",
        ]  # fmt: skip
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_help_on_the_deck_list(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("s", "statistics") in app.screen.keys
        await pilot.press("q")
        assert isinstance(app.screen, DecksScreen)


async def test_q_shows_the_summary_and_q_again_quits(conn: sqlite3.Connection) -> None:
    clock = Clock()
    app = make_app(conn, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("space", "5", "space", "1")
        clock.now = datetime.fromisoformat("2026-11-22T10:03:05+01:00")
        await pilot.press("q")
        assert isinstance(app.screen, SummaryScreen)
        text = shown(app, "#summary-figures")
        assert "2 answers" in text and "50%" in text and "3m 05s" in text
        # Due tomorrow: the two cards answered today, and the three new cards left.
        assert "5 cards (Mon 23 Nov)" in text and "left today" in text
        await pilot.press("enter")
        assert isinstance(app.screen, DecksScreen)
        table = app.screen.query_one(DataTable)
        assert [str(cell) for cell in table.get_row_at(0)] == ["All decks", "3", "1", "0", "5"]
        await pilot.press("q")
    assert app.return_code == 0
    assert len(reviews(conn)) == 2


async def test_ctrl_c_quits_at_once_keeping_every_answer(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("space", "4", "space")
        await pilot.press("ctrl+c")
        assert not app.is_running
    assert reviews(conn) == [("front 0", 4, "review")]


async def test_simple_grading_maps_four_keys_onto_sm2(conn: sqlite3.Connection) -> None:
    app = make_app(conn, grading="simple")
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("space")
        labels = grade_labels(app)
        assert labels["3"] == ["3", "good", "1d"] and sorted(labels) == ["1", "2", "3", "4"]
        await pilot.press("0", "5")  # not grades in this mode
        assert reviews(conn) == []
        await pilot.press("3", "space", "1", "space", "2", "space", "4")
        assert [q for _, q, _ in reviews(conn)] == [4, 1, 3, 5]


async def test_a_new_leech_is_marked_and_listed_in_the_summary(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE cards SET repetitions = 3, interval = 10, due_day = '2026-11-20', last_day = '2026-11-10',"
        " lapses = 7 WHERE front = 'front 3'"
    )
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        assert shown(app, "#front") == "front 3"  # due reviews first
        assert "LEECH" not in shown(app, "#card-info")
        await pilot.press("space", "1")
        tags = conn.execute("SELECT tags FROM cards WHERE front = 'front 3'").fetchone()[0]
        assert "leech" in tags
        assert "LEECH" in shown(app, "#card-info")  # marked at once, on the card itself
        await pilot.press("space")  # the leech notice: Space goes on
        for _ in range(4):
            await pilot.press("space", "5")
        assert shown(app, "#front") == "front 3"
        assert "LEECH" in shown(app, "#card-info")
        await pilot.press("q")
        assert "front 3" in shown(app, "#summary-leeches")


async def test_card_text_is_shown_literally_never_as_markup(conn: sqlite3.Connection) -> None:
    front = "[bold]x[/bold] [@click=app.quit]q \x1b[31mred"
    add_deck(conn, "[red]Evil[/red]", [(front, "back\x07 \u202eevil")])
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        assert "[red]Evil[/red]" in [str(app.screen.query_one(DataTable).get_row_at(n)[0]) for n in range(3)]
        await pilot.press("down", "down", "enter")  # decks sort by name: "Sample" comes first
        assert shown(app, "#front") == "[bold]x[/bold] [@click=app.quit]q \\x1b[31mred"
        assert "[red]Evil[/red]" in shown(app, "#card-info")
        await pilot.click("#front", offset=(50, 0))  # clicking reveals; the text holds no live link
        assert app.is_running
        assert shown(app, "#back") == "back\\x07 \\u202eevil"


async def test_long_chinese_back_wraps_between_characters_and_scrolls(conn: sqlite3.Connection) -> None:
    back = "梯度下降（gradient descent）是一种一阶迭代优化算法，用于寻找可微函数的局部最小值。" * 30
    add_deck(conn, "AI", [("什么是梯度下降？", back)])
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter", "space")
        await pilot.pause()
        lines = shown(app, "#back").splitlines()
        assert len(lines) > 10
        width = app.screen.query_one("#back").content_size.width
        assert all(cell_len(line) <= width for line in lines)
        # Lines are filled up to the edge, short only by an English word that did not fit.
        assert all(cell_len(line) > width - len("（gradient") for line in lines[:-1])
        assert not any(line.startswith(("，", "。", "）")) for line in lines)
        scroller = app.screen.query_one("#back-box")
        assert scroller.max_scroll_y > 0
        await pilot.press("pagedown")
        assert scroller.scroll_y > 0


async def test_a_long_question_scrolls_with_the_arrows_until_the_answer_is_shown(
    conn: sqlite3.Connection,
) -> None:
    front = "\n".join(f"question line {n}" for n in range(40))
    back = "\n".join(f"answer line {n}" for n in range(40))
    add_deck(conn, "Long", [(front, back)])
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        question, answer = app.screen.query_one("#front-box"), app.screen.query_one("#back-box")
        assert question.max_scroll_y > 0
        # The answer's scroll bar is there, drawn blank: it would tell how long the answer is.
        assert answer.show_vertical_scrollbar and scrollbar_colours(answer) == {answer.background_colors[0]}
        await pilot.press("pagedown", "down")
        await pilot.pause()
        assert question.scroll_y > 1 and answer.scroll_y == 0
        await pilot.press("space", "down")
        await pilot.pause()
        assert answer.scroll_y == 1  # once shown, the answer scrolls
        assert len(scrollbar_colours(answer)) > 1  # and its bar shows where it is


def scrollbar_colours(box: Widget) -> set[Color]:
    """The background colours a box's vertical scroll bar is drawn in."""
    bar = box.vertical_scrollbar
    strips = bar.render_lines(Region(0, 0, bar.size.width, bar.size.height))
    return {
        Color.from_rich_color(segment.style.bgcolor)
        for strip in strips
        for segment in strip
        if segment.style is not None and segment.style.bgcolor is not None
    }


async def test_review_deck_given_on_the_command_line_opens_at_once(conn: sqlite3.Connection) -> None:
    deck_id = conn.execute("SELECT id FROM decks WHERE name = 'Sample'").fetchone()[0]
    app = make_app(conn, deck_id=deck_id)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q", "escape")
        assert isinstance(app.screen, DecksScreen)


async def test_nothing_due_says_when_the_next_cards_come(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE cards SET repetitions = 1, interval = 1, due_day = '2026-11-24', last_day = '2026-11-21'"
    )
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one("#empty").display
        assert shown(app, "#empty") == "Nothing to review today. Next: 5 cards Tue 24 Nov 2026 (in 2 days)."
        await pilot.press("enter")
        assert isinstance(app.screen, DecksScreen)


async def test_theme_follows_the_setting(conn: sqlite3.Connection) -> None:
    for theme, expected in (("light", "textual-light"), ("dark", "textual-dark")):
        app = make_app(conn, theme=theme)
        async with app.run_test(size=SIZE):
            assert app.theme == expected


async def test_command_palette_opens(conn: sqlite3.Connection) -> None:
    from textual.command import CommandPalette

    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)


async def test_mouse_reveals_and_grades(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.click("#front")
        bar, _, places = grade_places(app)
        five = next(place for place in places if place.grade.key == "5")
        at = (bar.content_offset.x + five.x + 3, bar.content_offset.y + five.y)
        await pilot.hover("#grades", offset=at)
        assert bar.hovered == "5"
        await pilot.click("#grades", offset=(bar.content_offset.x + five.x - 1, at[1]))  # between grades
        assert reviews(conn) == []
        await pilot.click("#grades", offset=at)
        assert reviews(conn) == [("front 0", 5, "review")]


async def test_a_session_past_midnight_keeps_the_review_day(conn: sqlite3.Connection) -> None:
    clock = Clock("2026-11-22T23:50:00+01:00")
    app = make_app(conn, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        clock.now = datetime.fromisoformat("2026-11-23T00:20:00+01:00")
        await pilot.press("space", "4")
    assert conn.execute("SELECT day, reviewed_at FROM reviews").fetchone()[:] == (
        "2026-11-22",
        "2026-11-22T23:20:00.000+00:00",
    )


async def test_s_opens_the_stats_screen(conn: sqlite3.Connection) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)


def toasts(app: TrainerApp) -> list[Toast]:
    return list(app.screen.query(Toast))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_toasts_name_their_card_and_leave_the_answer_hint_and_status_visible(
    conn: sqlite3.Connection, size: tuple[int, int]
) -> None:
    app = make_app(conn)
    async with app.run_test(size=size, notifications=True) as pilot:
        await open_sample(pilot)
        for key, words in (("exclamation_mark", "Suspended “front 0”"), ("minus", "Buried “front 1”")):
            await pilot.press(key)
            await pilot.pause()
            [toast] = toasts(app)[-1:]
            assert words in str(toast.render())
            for kept in ("#hint", "#status"):
                assert not toast.region.overlaps(app.screen.query_one(kept).region), kept
        await pilot.press("u")
        await pilot.pause()
        assert "Undone: “front 1” is back." in str(toasts(app)[-1].render())


async def test_the_leech_notice_is_on_the_card_that_became_one(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE cards SET repetitions = 3, interval = 10, due_day = '2026-11-20', last_day = '2026-11-10',"
        " lapses = 7 WHERE front = 'front 3'"
    )
    app = make_app(conn)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_sample(pilot)
        await pilot.press("space", "1")
        await pilot.pause()
        assert shown(app, "#front") == "front 3"  # the leech stays on screen, with what to do about it
        assert "New leech (failed 8 times): e rewrite it · ! suspend it" in shown(app, "#hint")
        assert not toasts(app)  # nothing covers the next card or its grades
        await pilot.press("4")  # no grade for a card already answered
        assert [q for _, q, _ in reviews(conn)] == [1]
        await pilot.press("space", "space")
        assert shown(app, "#front") == "front 0"
        assert not app.screen.query_one("#grades", Concealable).concealed and not toasts(app)


async def test_the_summary_counts_cards_and_answers_and_shows_no_share_without_answers(
    conn: sqlite3.Connection,
) -> None:
    app = make_app(conn)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sample(pilot)
        await pilot.press("q")
        text = shown(app, "#summary-figures")
        assert "no cards" in text and "correct" not in text and "0%" not in text
        await pilot.press("enter", "down", "enter")
        await pilot.press("space", "1", *["space", "5"] * 4, "space", "4", "q")
        text = shown(app, "#summary-figures")
        assert "5 cards, 6 answers" in text and "83% of answers (3 or better)" in text
