"""The curation commands through click's runner: what each prints (and its --json), its refusals (one
line, exit status 1, nothing changed), and what the database holds afterwards, read through the
library. The database is the ``conn`` fixture's: deck Sample, cards 1-5 (``front 0`` … ``front 4``)."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

from tests.support import DROPOUT, EMBEDDING, TODAY, Runner, answer, answer_daily, collection, note, write
from trainer.curation import Curation


def curation(conn: sqlite3.Connection) -> Curation:
    return collection(conn).curation


def test_cards_lists_searches_and_filters(conn: sqlite3.Connection, run: Runner) -> None:
    answer_daily(conn, 2, [5, 5], TODAY - timedelta(days=1))
    curation(conn).suspend([3])
    listed = run("cards")
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        "     1  new        -           Sample  front 0",
        "     3  suspended  -           Sample  front 2",
        "     4  new        -           Sample  front 3",
        "     5  new        -           Sample  front 4",
        "     2  young      2026-11-28  Sample  front 1",
    ]
    assert run("cards", "--search", "FRONT 1").output.splitlines() == [
        "     2  young      2026-11-28  Sample  front 1"
    ]
    suspended = run("cards", "--state", "suspended", "--deck", "Sample").output
    assert suspended == "     3  suspended  -           Sample  front 2\n"
    assert run("cards", "--limit", "2").output.splitlines()[-1] == "2 of 5 cards (--limit shows more)"
    assert run("cards", "--search", "nothing like it").output == "no cards match\n"


def test_cards_json_is_the_search_result(conn: sqlite3.Connection, run: Runner) -> None:
    data = json.loads(run("cards", "--sort", "added", "--limit", "1", "--json").output)
    assert data == {
        "total": 5,
        "cards": [
            {
                "id": 1, "deck": "Sample", "front": "front 0", "back": "back 0", "tags": ["t"],
                "state": "new", "due": None, "easiness": 2.5, "interval": 0, "lapses": 0, "suspended": False,
                "buried": False,
            }
        ],
    }  # fmt: skip


def test_cards_refuses_an_unknown_deck_or_state(conn: sqlite3.Connection, run: Runner) -> None:
    unknown = run("cards", "--deck", "Nope")
    assert (unknown.exit_code, unknown.stderr) == (1, "Error: no deck named 'Nope' (decks: Sample)\n")
    assert run("cards", "--state", "sleeping").exit_code == 2  # click names the states


def test_edit_says_what_changed_and_keeps_the_schedule(conn: sqlite3.Connection, run: Runner) -> None:
    answer(conn, 1, 5)
    schedule = curation(conn).card(1).schedule
    edited = run("edit", "1", "--back", "a better back", "--tags", "mine, t")
    assert edited.output == "card 1: back and tags changed; its schedule is as it was\n"
    card = curation(conn).card(1)
    assert (card.back, card.tags, card.schedule) == ("a better back", ("mine", "t"), schedule)
    assert run("edit", "1", "--back", "a better back").output == "card 1: nothing changed\n"
    data = json.loads(run("edit", "1", "--front", "Llama", "--tags", "", "--json").output)
    assert data["changed"] == ["front", "tags"]
    assert data["after"] == {"front": "Llama", "back": "a better back", "tags": []}


def test_edit_refusals_change_nothing(conn: sqlite3.Connection, run: Runner) -> None:
    nothing = run("edit", "1")
    assert nothing.exit_code == 2
    assert nothing.stderr.splitlines()[-1] == "Error: give --front, --back or --tags"
    unknown = run("edit", "99", "--front", "x")
    assert (unknown.exit_code, unknown.stderr) == (1, "Error: no card with id 99\n")
    empty = run("edit", "1", "--front", "  ", "--back", "new back")
    assert (empty.exit_code, empty.stderr) == (1, "Error: card 1: the front must not be empty\n")
    assert (curation(conn).card(1).front, curation(conn).card(1).back) == ("front 0", "back 0")
    assert curation(conn).history(1) == []


def test_add_prints_the_new_id(conn: sqlite3.Connection, run: Runner) -> None:
    assert run("add", "Sample", "dropout", DROPOUT, "--tags", "dl,nlp").output == "added card 6 to Sample\n"
    card = curation(conn).card(6)
    assert (card.front, card.back, card.tags, card.schedule.due) == ("dropout", DROPOUT, ("dl", "nlp"), None)
    data = json.loads(run("add", "Sample", "embedding", EMBEDDING, "--json").output)
    assert data == {"id": 7, "deck": "Sample", "key": "manual-2"}
    refused = run("add", "Nope", "x", "y")
    assert (refused.exit_code, refused.stderr) == (1, "Error: no deck named 'Nope' (decks: Sample)\n")
    assert curation(conn).search().total == 7


def test_forget_resets_cards_to_new(conn: sqlite3.Connection, run: Runner) -> None:
    answer(conn, 1, 5)
    assert run("forget", "1", "2").output == "reset 1 card to new; 1 card was new already\n"
    assert curation(conn).card(1).schedule.due is None
    assert [item.kind for item in curation(conn).history(1)] == ["review", "forget"]
    answer(conn, 1, 4, "2026-11-23T10:00")
    forgotten = json.loads(run("forget", "1", "--json").output)
    assert forgotten == {"action": "forget", "asked": [1], "changed": [1]}
    refused = run("forget", "1", "99")
    assert (refused.exit_code, refused.stderr) == (1, "Error: no card with id 99; nothing was changed\n")


def test_delete_asks_first_and_says_the_history_went(conn: sqlite3.Connection, run: Runner) -> None:
    answer(conn, 1, 5)
    declined = run("delete", "1", "2", input="n\n")
    assert declined.exit_code == 1
    assert declined.stderr.splitlines() == [
        "     1  front 0",
        "     2  front 1",
        "Delete 2 cards and their review history? [y/N]: n",
        "Aborted!",
    ]
    assert curation(conn).search().total == 5
    deleted = run("delete", "1", "2", input="y\n")
    assert deleted.stdout == "deleted 2 cards and their review history\n"
    assert [row.id for row in curation(conn).search(sort="added").rows] == [3, 4, 5]
    assert [item.kind for item in curation(conn).history(1)] == ["delete"]  # the tombstone alone
    data = json.loads(run("delete", "3", "--yes", "--json").output)
    assert data == {"action": "delete", "asked": [3], "changed": [3]}


def test_delete_of_an_unknown_card_asks_nothing(conn: sqlite3.Connection, run: Runner) -> None:
    refused = run("delete", "4", "99", input="y\n")
    assert (refused.exit_code, refused.stderr) == (1, "Error: no card with id 99\n")
    assert curation(conn).search().total == 5


def test_deck_rename(conn: sqlite3.Connection, run: Runner) -> None:
    assert run("deck", "rename", "Sample", "样例").output == "renamed deck 'Sample' to '样例'\n"
    assert curation(conn).search(deck="样例").total == 5
    assert json.loads(run("deck", "rename", "样例", "S", "--json").output) == {"old": "样例", "new": "S"}
    refused = run("deck", "rename", "Nope", "Other")
    assert (refused.exit_code, refused.stderr) == (1, "Error: no deck named 'Nope' (decks: S)\n")


def test_deck_delete_asks_backs_up_and_says_where(conn: sqlite3.Connection, run: Runner) -> None:
    answer(conn, 1, 5)
    declined = run("deck", "delete", "Sample", input="n\n")
    assert declined.exit_code == 1
    assert declined.stderr.splitlines()[-2:] == [
        "Delete deck 'Sample' with its 5 cards and their history? [y/N]: n",
        "Aborted!",
    ]
    assert curation(conn).search().total == 5
    deleted = run("deck", "delete", "Sample", "--yes")
    backup_line, summary = deleted.stdout.splitlines()
    assert summary == "deleted deck 'Sample': 5 cards and 1 review-log entry"
    backup = Path(backup_line.removeprefix("backup of the database before the delete: "))
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT COUNT(*) FROM cards").fetchone() == (5,)
    assert curation(conn).search().total == 0
    refused = run("deck", "delete", "Sample", "--yes")  # the bundled decks never come back on their own
    assert (refused.exit_code, refused.stderr) == (1, "Error: no deck named 'Sample' (decks: none)\n")


def test_deck_delete_json(conn: sqlite3.Connection, run: Runner) -> None:
    data = json.loads(run("deck", "delete", "Sample", "--yes", "--json").output)
    assert (data["deck"], data["cards"], data["reviews"], data["notes"]) == ("Sample", 5, 0, [])
    assert Path(data["backup"]).is_file()


def test_grade_refuses_a_resting_card(conn: sqlite3.Connection, run: Runner) -> None:
    curation(conn).suspend([1])
    curation(conn).bury([2])
    suspended = run("grade", "1", "4")
    assert (suspended.exit_code, suspended.stderr) == (
        1,
        "Error: card 1 is suspended; `trainer suspend --undo 1` brings it back\n",
    )
    buried = run("grade", "2", "4")
    assert (buried.exit_code, buried.stderr) == (1, "Error: card 2 is buried until the next review day\n")
    assert curation(conn).history(1) == curation(conn).history(1)[:1]  # the suspend alone, no answer


def test_grade_says_when_a_card_is_answered_early(conn: sqlite3.Connection, run: Runner) -> None:
    for day in ("2026-11-04", "2026-11-05", "2026-11-11"):
        answer(conn, 1, 5, f"{day}T10:00")  # intervals 1, 6, 17: due on 2026-11-28
    early = run("grade", "1", "5", "--json")
    assert early.stderr == "note: card 1 was due on 2026-11-28; graded 6 days early\n"
    assert json.loads(early.stdout)["kind"] == "review"  # the grade counts
    assert curation(conn).card(1).schedule.last_day == TODAY
    on_time = run("grade", "2", "5")
    assert (on_time.exit_code, on_time.stderr) == (0, "")


def test_check_catches_a_flag_changed_behind_the_logs_back(conn: sqlite3.Connection, run: Runner) -> None:
    curation(conn).suspend([3])
    with conn:
        conn.execute("UPDATE cards SET suspended = 0 WHERE id = 3")  # tampering, behind the log's back
    found = run("check")
    assert found.exit_code == 1
    assert found.stdout.splitlines()[0] == "card 3: suspended 0 (log gives 1)"
    assert run("check", "--repair").exit_code == 0
    assert curation(conn).card(3).suspended
    assert run("check").stdout == "ok: 5 cards agree with their review log\n"


def test_import_keeps_an_edit_and_lists_the_conflict(
    conn: sqlite3.Connection, run: Runner, tmp_path: Path
) -> None:
    path = tmp_path / "pets.csv"
    path.write_text("id,front,back\na,cat,The cat sat.\nb,dog,A dog.\n", encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    (cat,) = [row.id for row in curation(conn).search("cat").rows]
    run("edit", str(cat), "--back", "My cat.")
    path.write_text("id,front,back\na,cat,The cat lay.\nb,dog,A dog.\n", encoding="utf-8")
    dry = run("import", str(path), "--dry-run")
    assert dry.stdout.splitlines()[-2:] == [
        "pets: 1 conflict",
        f"  card {cat}: would keep your edit; the file changed too (add --overwrite to take the file's text)",
    ]
    (deck,) = json.loads(run("import", str(path), "--dry-run", "--json").output)["decks"]
    assert deck["conflicts"] == ["a"]  # the card's key in the file
    taken = run("import", str(path), "--overwrite")
    assert taken.stdout.splitlines()[-1] == f"  card {cat}: took the file's text over your edit"
    assert curation(conn).card(cat).back == "The cat lay."
    run("edit", str(cat), "--back", "My cat again.")
    path.write_text("id,front,back\na,cat,The cat ran.\nb,dog,A dog.\n", encoding="utf-8")
    kept = run("import", str(path))
    assert kept.stdout.splitlines()[-1] == (
        f"  card {cat}: kept your edit; the file changed too (--overwrite would have taken the file's text)"
    )
    assert curation(conn).card(cat).back == "My cat again."


def test_sync_lists_conflicts_and_overwrite_takes_the_note(
    conn: sqlite3.Connection, run: Runner, tmp_path: Path
) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT), ("embedding", EMBEDDING)))
    run("notes", "add", str(path))
    (dropout,) = [row.id for row in curation(conn).search("dropout").rows]
    answer(conn, dropout, 5)
    run("edit", str(dropout), "--back", "我的解释")
    write(path, note(("dropout", "作者的新定义。"), ("embedding", EMBEDDING)))
    dry = run("sync", "--dry-run")
    assert dry.stdout.splitlines()[-3:] == [
        f"{path}: 1 conflict",
        f"  card {dropout}: would keep your edit; the note changed too"
        " (add --overwrite to take the note's text)",
        "dry run: nothing was written",
    ]
    assert json.loads(run("sync", "--dry-run", "--json").output)["notes"][0]["conflicts"] == ["dropout"]
    schedule = curation(conn).card(dropout).schedule
    taken = run("sync", "--overwrite")
    assert taken.stdout.splitlines()[-1] == f"  card {dropout}: took the note's text over your edit"
    card = curation(conn).card(dropout)
    assert (card.back, card.schedule) == ("作者的新定义。", schedule)


def test_card_text_is_listed_as_data(conn: sqlite3.Connection, run: Runner) -> None:
    run("add", "Sample", "\x1b[31mred[/]\nline two\u202e", "back")
    shown = "\\x1b[31mred[/] line two\\u202e"  # escapes shown, markup as written, one line
    assert run("cards", "--search", "red").output == f"     6  new        -           Sample  {shown}\n"
    asked = run("delete", "6", input="n\n")
    assert asked.stderr.splitlines()[0] == f"     6  {shown}"
