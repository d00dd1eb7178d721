"""The command line on a real database, through click's runner."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from trainer.cli import cli

NOW = "2026-11-22T10:00:00+01:00"


def run(db_path: Path, *args: str, now: str = NOW, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), "--now", now, *args], input=input)


def test_decks_table(db_path: Path, conn: sqlite3.Connection) -> None:
    result = run(db_path, "decks")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split() == ["Sample", "5", "0", "0", "5"]


def test_due_json_lists_the_queue(db_path: Path, conn: sqlite3.Connection) -> None:
    result = run(db_path, "due", "--json")
    items = json.loads(result.output)
    assert [(i["id"], i["kind"], i["front"], i["back"], i["deck"]) for i in items][:2] == [
        (1, "new", "front 0", "back 0", "Sample"),
        (2, "new", "front 1", "back 1", "Sample"),
    ]


def test_grade_then_due_shows_the_drill(db_path: Path, conn: sqlite3.Connection) -> None:
    result = run(db_path, "grade", "1", "2", "--json")
    assert result.exit_code == 0, result.output
    state = json.loads(result.output)
    assert (state["kind"], state["interval"], state["due"], state["again_today"]) == (
        "review",
        1,
        "2026-11-23",
        True,
    )
    kinds = {i["id"]: i["kind"] for i in json.loads(run(db_path, "due", "--json").output)}
    assert kinds[1] == "drill"
    drill = json.loads(run(db_path, "grade", "1", "5", "--json").output)
    assert (drill["kind"], drill["easiness"], drill["again_today"]) == ("drill", 2.18, False)


def test_grade_prints_next_due_day(db_path: Path, conn: sqlite3.Connection) -> None:
    result = run(db_path, "grade", "3", "5")
    assert "interval 1d, next due 2026-11-23" in result.output


def test_env_pins_time(db_path: Path, conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_NOW", "2026-11-23T02:00:00+01:00")  # before 04:00: still the 22nd
    result = CliRunner().invoke(cli, ["--db", str(db_path), "grade", "1", "5", "--json"])
    assert json.loads(result.output)["due"] == "2026-11-23"


def test_suspend_and_bring_back(db_path: Path, conn: sqlite3.Connection) -> None:
    assert run(db_path, "suspend", "1", "2").output == "2 cards suspended\n"
    assert [i["id"] for i in json.loads(run(db_path, "due", "--json").output)] == [3, 4, 5]
    result = run(db_path, "suspend", "3", "99")
    assert result.exit_code == 1 and "no card with id 99" in result.output
    assert conn.execute("SELECT suspended FROM cards WHERE id = 3").fetchone()[0] == 0  # all or nothing
    assert run(db_path, "suspend", "--undo", "1").output == "1 card back in reviews\n"
    assert [i["id"] for i in json.loads(run(db_path, "due", "--json").output)] == [1, 3, 4, 5]


def test_check_and_repair(db_path: Path, conn: sqlite3.Connection) -> None:
    run(db_path, "grade", "1", "5")
    conn.execute("UPDATE cards SET interval = 40 WHERE id = 1")
    result = run(db_path, "check")
    assert result.exit_code == 1
    assert "card 1: interval 40 (log gives 1)" in result.output
    assert run(db_path, "check", "--repair").exit_code == 0
    assert "ok: 5 cards agree" in run(db_path, "check").output


def test_check_json_names_each_disagreement_for_scripts(db_path: Path, conn: sqlite3.Connection) -> None:
    run(db_path, "grade", "1", "5")
    conn.execute("UPDATE cards SET interval = 40, suspended = 1 WHERE id = 1")  # tampering on purpose
    found = run(db_path, "check", "--json")
    assert found.exit_code == 1
    assert json.loads(found.output) == {
        "cards": 5,
        "repaired": False,
        "disagreements": [
            {
                "id": 1,
                "differences": [
                    {"column": "interval", "stored": 40, "log": 1},
                    {"column": "suspended", "stored": 1, "log": 0},
                ],
            }
        ],
    }
    repaired = run(db_path, "check", "--repair", "--json")
    assert repaired.exit_code == 0 and json.loads(repaired.output)["repaired"] is True
    clean = run(db_path, "check", "--json")
    assert clean.exit_code == 0 and json.loads(clean.output)["disagreements"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grade", "99", "3"], "no card with id 99"),
        (["grade", "1", "6"], "6 is not in the range"),
        (["due", "--deck", "Nope"], "no deck named 'Nope'"),
    ],
)
def test_errors_are_one_line(db_path: Path, conn: sqlite3.Connection, args: list[str], message: str) -> None:
    result = run(db_path, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_now_and_bad_settings(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "not an ISO 8601 time" in run(db_path, "decks", now="yesterday").output
    config = tmp_path / "config.toml"
    config.write_text("new_per_day = -3\n")
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    result = run(db_path, "decks")
    assert result.exit_code == 1 and "new_per_day must be a whole number >= 0" in result.output


def test_newer_database_is_refused(db_path: Path, conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA user_version = 99")
    result = run(db_path, "decks")
    assert result.exit_code == 1 and "newer than this trainer" in result.output


def test_card_text_is_printed_literally(db_path: Path, conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE cards SET front = ? WHERE id = 1", ("\x1b[31mred\x1b[0m [bold]x\x9b2J",))
    conn.execute("UPDATE cards SET back = ? WHERE id = 1", ("a literal \\x41 and \u202e",))
    output = run(db_path, "due").output
    assert "\x1b" not in output and "\x9b" not in output
    assert "\\x1b[31mred\\x1b[0m [bold]x\\x9b2J" in output
    items = json.loads(run(db_path, "due", "--json").output)
    assert items[0]["front"] == "\x1b[31mred\x1b[0m [bold]x\x9b2J"
    assert items[0]["back"] == "a literal \\x41 and \u202e"
    assert "\x9b" not in run(db_path, "due", "--json").output


def test_every_command_has_help_with_an_example() -> None:
    def paths(group: click.Group, prefix: list[str]) -> list[list[str]]:
        found = []
        for name, command in group.commands.items():
            found.append([*prefix, name])
            if isinstance(command, click.Group):
                found += paths(command, [*prefix, name])
        return found

    commands = paths(cli, [])
    assert ["export", "deck"] in commands and ["export", "stats"] in commands
    for path in commands:
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, path


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        names = [f"{name} {sub}" for sub in command.commands] if isinstance(command, click.Group) else [name]
        for full in names:
            assert f"trainer {full}" in readme, full


def test_the_new_card_limit_is_shared_by_decks_due_and_due_deck(
    db_path: Path, conn: sqlite3.Connection
) -> None:
    from tests.support import add_deck

    add_deck(conn, "Other", [(f"q{n}", f"a{n}") for n in range(4)])
    for card_id in (1, 2):
        assert run(db_path, "--new-per-day", "2", "grade", str(card_id), "5").exit_code == 0
    other = json.loads(run(db_path, "--new-per-day", "2", "due", "--deck", "Other", "--json").output)
    everything = json.loads(run(db_path, "--new-per-day", "2", "due", "--json").output)
    assert other == [] and everything == []
    decks = json.loads(run(db_path, "--new-per-day", "2", "decks", "--json").output)
    assert {deck["name"]: deck["new"] for deck in decks} == {"Other": 0, "Sample": 0}


def test_grade_json_is_the_new_schedule(db_path: Path, conn: sqlite3.Connection) -> None:
    result = run(db_path, "grade", "1", "4", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "id": 1, "quality": 4, "kind": "review", "repetitions": 1, "easiness": 2.5, "interval": 1,
        "due": "2026-11-23", "again_today": False,
    }  # fmt: skip


def test_decks_json_has_every_count(db_path: Path, conn: sqlite3.Connection) -> None:
    assert run(db_path, "grade", "1", "2").exit_code == 0
    result = run(db_path, "decks", "--json")
    rows = json.loads(result.output)
    assert rows == [{"id": 1, "name": "Sample", "new": 4, "drill": 1, "due": 0, "total": 5}]


def test_a_damaged_database_is_one_line_naming_it(db_path: Path) -> None:
    db_path.write_bytes(b"not a database " * 100)
    result = run(db_path, "decks")
    assert result.exit_code == 1
    assert result.output == f"Error: {db_path}: file is not a trainer database or is damaged\n"


def test_prune_asks_after_showing_what_it_would_delete(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "deck.csv"
    path.write_text("one,1\ntwo,2\n", encoding="utf-8")
    assert run(db_path, "import", str(path)).exit_code == 0
    path.write_text("one,1\n", encoding="utf-8")
    declined = run(db_path, "import", str(path), "--prune", input="n\n")
    assert declined.exit_code == 1
    assert declined.stderr.splitlines() == [
        "deck: 0 would be added, 0 would be updated, 1 unchanged, 1 would be removed",
        "  missing: two",
        "dry run: nothing was written",
        "Delete 1 card and its review history? [y/N]: n",
        "Aborted!",
    ]


def test_import_json_is_the_report_key_for_key(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "deck.csv"
    path.write_text("id,front,back\na,cat,The cat sat.\nb,dog,A dog.\n", encoding="utf-8")
    assert run(db_path, "import", str(path)).exit_code == 0
    path.write_text("id,front,back\na,cat,The cat lay.\nc,cow,A cow.\n", encoding="utf-8")
    result = run(db_path, "import", str(path), "--dry-run", "--json")
    changed = {
        "id": "a", "old": {"id": "a", "front": "cat", "back": "The cat sat."},
        "new": {"front": "cat", "back": "The cat lay."}, "diff": "cat: The cat [-sat-]{+lay+}.",
    }  # fmt: skip
    deck = {
        "deck": "deck", "added": 1, "updated": 1, "unchanged": 0, "missing": 1, "removed": 0,
        "progress_carried": 0, "reviews_carried": 0, "progress_kept": 0, "conflicts": [],
        "changed_cards": [changed],
    }  # fmt: skip
    expected = {
        "dry_run": True, "unchanged_skipped": [], "backup": None, "decks": [deck], "media_skipped": 0,
        "skipped": [],
    }  # fmt: skip
    assert result.output == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"  # keys in this order
