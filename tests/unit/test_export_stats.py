"""`trainer export stats` (CSV folder, JSON document) and `trainer export reviews --format fsrs`."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.support import NOW, TODAY, answer, build_log, sample_deck
from trainer.cli import cli
from trainer.decks.model import Card, Deck
from trainer.scheduler.schedule import Schedule
from trainer.scheduler.sm2 import Sm2State
from trainer.store.db import connect, transaction
from trainer.store.decks import upsert_deck
from trainer.store.reviews import append_import
from trainer.store.stats_queries import compute_stats

CARD_COLUMNS = [
    "deck", "card_id", "front", "state", "easiness", "interval", "due_day", "repetitions", "lapses",
    "last_review", "last_review_utc",
]  # fmt: skip
REVIEW_COLUMNS = [
    "time", "time_utc", "day", "card_id", "deck", "quality", "kind", "interval_after", "easiness_after",
    "duration_ms",
]  # fmt: skip
TRICKY = 'a, "quoted"\nsecond line \x9b\u202e'
"""A front with a comma, quotes, a line break, a C1 control and a bidi override."""


@pytest.fixture
def log(conn: sqlite3.Connection) -> sqlite3.Connection:
    build_log(conn)
    with transaction(conn):
        upsert_deck(conn, Deck("Tricky", (Card("t", TRICKY, "back"),)))  # card 8, never reviewed
    return conn


def run(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), "--now", NOW, *args])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_csv_folder_has_stable_columns_and_exact_records(log: sqlite3.Connection, db_path: Path) -> None:
    out = db_path.parent / "new" / "stats"
    assert run(db_path, "export", "stats", "--format", "csv", "-o", str(out)).exit_code == 0
    assert sorted(path.name for path in out.iterdir()) == ["cards.csv", "reviews.csv"]
    header = (out / "cards.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == CARD_COLUMNS
    cards = read_csv(out / "cards.csv")
    assert [row["card_id"] for row in cards] == [
        "6",
        "7",
        "1",
        "2",
        "3",
        "4",
        "5",
        "8",
    ]  # by deck, then position
    assert cards[2] == {
        "deck": "Sample",
        "card_id": "1",
        "front": "front 0",
        "state": "learning",
        "easiness": "2.48",
        "interval": "1",
        "due_day": "2026-11-21",
        "repetitions": "0",
        "lapses": "1",
        "last_review": "2026-11-20T10:00:00.000+01:00",
        "last_review_utc": "2026-11-20T09:00:00.000Z",
    }
    assert [row["state"] for row in cards] == [
        "young", "learning", "learning", "learning", "mature", "suspended", "new", "new",
    ]  # fmt: skip
    assert cards[6]["due_day"] == cards[6]["last_review"] == cards[6]["last_review_utc"] == ""
    assert cards[7]["front"] == TRICKY  # read back exactly, quoting and all

    reviews = read_csv(out / "reviews.csv")
    assert list(reviews[0]) == REVIEW_COLUMNS
    assert len(reviews) == 20
    assert reviews[0] == {
        "time": "2026-08-01T10:00:00.000+02:00",  # summer time
        "time_utc": "2026-08-01T08:00:00.000Z",
        "day": "2026-08-01",
        "card_id": "3",
        "deck": "Sample",
        "quality": "5",
        "kind": "review",
        "interval_after": "1",
        "easiness_after": "2.6",
        "duration_ms": "1003",
    }
    drill = reviews[10]
    assert (drill["time"], drill["kind"], drill["quality"]) == ("2026-11-12T10:05:00.000+01:00", "drill", "4")
    assert reviews[-1]["time"] == "2026-11-22T09:00:00.000+01:00"


def test_times_across_the_dst_change_keep_the_local_offset(conn: sqlite3.Connection, db_path: Path) -> None:
    answer(conn, 1, 4, "2026-10-25T02:30+02:00")
    answer(conn, 1, 4, "2026-10-25T02:30+01:00")
    answer(conn, 1, 4, "2026-03-29T01:59:59.250+01:00")
    answer(conn, 1, 4, "2026-03-29T03:00+02:00")
    out = db_path.parent / "out"
    assert run(db_path, "export", "stats", "--format", "csv", "-o", str(out)).exit_code == 0
    assert [row["time"] for row in read_csv(out / "reviews.csv")] == [
        "2026-10-25T02:30:00.000+02:00",
        "2026-10-25T02:30:00.000+01:00",
        "2026-03-29T01:59:59.250+01:00",
        "2026-03-29T03:00:00.000+02:00",
    ]


def test_utc_columns_parse_as_one_datetime_column_in_a_zone_with_summer_time(
    log: sqlite3.Connection, db_path: Path
) -> None:
    """pandas' parse_dates makes a datetime column only when every value has the same offset form; the
    local columns mix +01:00 and +02:00 here, the UTC ones never do."""
    out = db_path.parent / "out"
    assert run(db_path, "export", "stats", "--format", "csv", "-o", str(out)).exit_code == 0
    for file, local, utc in (
        ("reviews.csv", "time", "time_utc"),
        ("cards.csv", "last_review", "last_review_utc"),
    ):
        rows = [row for row in read_csv(out / file) if row[local]]
        parsed = [datetime.fromisoformat(row[utc]) for row in rows]
        assert {row[utc][-1] for row in rows} == {"Z"}
        assert {moment.utcoffset() for moment in parsed} == {timedelta(0)}
        assert parsed == [datetime.fromisoformat(row[local]) for row in rows]  # the same instants
    offsets = {datetime.fromisoformat(row["time"]).utcoffset() for row in read_csv(out / "reviews.csv")}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # the case pandas cannot parse


def test_json_document_holds_the_summary_and_the_same_records(log: sqlite3.Connection, db_path: Path) -> None:
    out = db_path.parent / "stats.json"
    assert run(db_path, "export", "stats", "--format", "json", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "\x9b" not in text and "\u202e" not in text
    assert "\\u009b" in text
    document = json.loads(text)
    assert list(document) == ["summary", "cards", "reviews"]
    assert document["summary"] == compute_stats(log, TODAY).as_json()
    assert [list(card) for card in document["cards"]] == [CARD_COLUMNS] * 8
    assert document["cards"][2]["easiness"] == 2.48
    assert document["cards"][7]["front"] == TRICKY
    assert document["cards"][6]["last_review"] is None
    assert document["cards"][6]["last_review_utc"] is None
    assert document["reviews"][0] == {
        "time": "2026-08-01T10:00:00.000+02:00",
        "time_utc": "2026-08-01T08:00:00.000Z",
        "day": "2026-08-01",
        "card_id": 3,
        "deck": "Sample",
        "quality": 5,
        "kind": "review",
        "interval_after": 1,
        "easiness_after": 2.6,
        "duration_ms": 1003,
    }
    assert len(document["reviews"]) == 20


def test_json_goes_to_stdout_without_a_file(log: sqlite3.Connection, db_path: Path) -> None:
    result = run(db_path, "export", "stats", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["summary"]["streak"] == {"current": 4, "longest": 4}
    assert len(document["cards"]) == 8


def test_empty_collection_exports_headers_and_empty_lists(conn: sqlite3.Connection, db_path: Path) -> None:
    out = db_path.parent / "out"
    assert run(db_path, "export", "stats", "--format", "csv", "-o", str(out)).exit_code == 0
    assert (out / "reviews.csv").read_text(encoding="utf-8") == ",".join(REVIEW_COLUMNS) + "\n"
    document = json.loads(run(db_path, "export", "stats", "--format", "json").output)
    assert document["reviews"] == []
    assert len(document["cards"]) == 5


def test_csv_needs_a_folder(conn: sqlite3.Connection, db_path: Path) -> None:
    result = run(db_path, "export", "stats", "--format", "csv")
    assert result.exit_code == 2
    assert "give a folder with -o DIR" in result.output


def test_an_unwritable_target_is_one_line_and_leaves_nothing(conn: sqlite3.Connection, db_path: Path) -> None:
    blocker = db_path.parent / "file"
    blocker.write_text("keep me", encoding="utf-8")
    result = run(db_path, "export", "stats", "--format", "csv", "-o", str(blocker / "sub"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "cannot write" in result.output
    assert result.output.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_a_failed_export_keeps_the_old_files(log: sqlite3.Connection, db_path: Path) -> None:
    out = db_path.parent / "out"
    assert run(db_path, "export", "stats", "--format", "csv", "-o", str(out)).exit_code == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    log.execute("ALTER TABLE reviews RENAME COLUMN kind TO kind_gone")  # every export query now fails
    result = run(db_path, "export", "stats", "--format", "csv", "-o", str(out))
    assert result.exit_code == 1
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before  # no temp files either


def epoch_ms(text: str) -> int:
    return int(datetime.fromisoformat(text).astimezone(UTC).timestamp() * 1000)


def test_fsrs_review_log(log: sqlite3.Connection, db_path: Path) -> None:
    out = db_path.parent / "revlog.csv"
    assert run(db_path, "export", "reviews", "--format", "fsrs", "-o", str(out)).exit_code == 0
    rows = read_csv(out)
    assert list(rows[0]) == ["card_id", "review_time", "review_rating", "review_state", "review_duration"]
    card_2 = [
        (int(row["review_time"]), int(row["review_rating"]), int(row["review_state"]))
        for row in rows
        if row["card_id"] == "2"
    ]
    assert card_2 == [
        (epoch_ms("2026-09-01T10:00+02:00"), 4, 0),  # grade 5, first answer: New
        (epoch_ms("2026-09-02T10:00+02:00"), 4, 1),  # one repetition so far: Learning
        (epoch_ms("2026-09-08T10:00+02:00"), 4, 2),  # two: Review
        (epoch_ms("2026-09-25T10:00+02:00"), 4, 2),
        (epoch_ms("2026-11-12T10:00+01:00"), 1, 2),  # grade 2 on a review card: Again
        (epoch_ms("2026-11-12T10:05+01:00"), 3, 3),  # the drill after the lapse: Relearning
        (epoch_ms("2026-11-13T10:00+01:00"), 2, 3),  # grade 3: Hard, still relearning
    ]
    assert {row["review_duration"] for row in rows if row["card_id"] == "2"} == {"1002"}
    assert len(rows) == 20


def test_fsrs_leaves_out_imported_schedules_and_writes_to_stdout(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    with transaction(conn):
        upsert_deck(conn, sample_deck("Imported", 1))  # card 6
        imported = Schedule(Sm2State(3, 250, 15), due=TODAY, last_day=TODAY)
        append_import(conn, 6, imported, datetime(2026, 11, 1, 9, tzinfo=UTC), TODAY)
    answer(conn, 6, 0, "2026-11-22T09:00")
    result = run(db_path, "export", "reviews")
    assert result.exit_code == 0
    assert result.output == (
        "card_id,review_time,review_rating,review_state,review_duration\n"
        f"6,{epoch_ms('2026-11-22T08:00:00+00:00')},1,2,0\n"
    )


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    conn: sqlite3.Connection, db_path: Path
) -> None:
    """OWASP: a text cell beginning with = + - @ tab or CR gets a leading ' ; numbers stay numbers."""
    fronts = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "'quoted", " =padded"]
    with transaction(conn):
        upsert_deck(
            conn, Deck('=HYPERLINK("http://x")', tuple(Card(f"f{n}", f, "b") for n, f in enumerate(fronts)))
        )
    answer(conn, 6, 4, "2026-11-22T09:00")
    out = db_path.parent / "out"
    assert run(db_path, "export", "stats", "--format", "csv", "-o", str(out)).exit_code == 0
    cards = [row for row in read_csv(out / "cards.csv") if row["deck"].startswith("'=")]
    assert {row["deck"] for row in cards} == {'\'=HYPERLINK("http://x")'}
    assert [row["front"] for row in cards] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "'quoted", " =padded",
    ]  # fmt: skip
    assert (cards[0]["card_id"], cards[0]["easiness"], cards[0]["interval"]) == ("6", "2.5", "1")
    [review] = [row for row in read_csv(out / "reviews.csv") if row["card_id"] == "6"]
    assert review["deck"] == '\'=HYPERLINK("http://x")' and review["easiness_after"] == "2.5"
    document = json.loads(run(db_path, "export", "stats", "--format", "json").output)
    assert [card["front"] for card in document["cards"] if card["card_id"] >= 6] == fronts  # JSON is exact


def test_exports_to_files_say_what_they_wrote(log: sqlite3.Connection, db_path: Path) -> None:
    out = db_path.parent / "out"
    result = run(db_path, "export", "stats", "--format", "csv", "-o", str(out))
    assert result.output == f"wrote 8 cards to {out / 'cards.csv'} and 20 reviews to {out / 'reviews.csv'}\n"
    result = run(db_path, "export", "stats", "--format", "json", "-o", str(out / "stats.json"))
    assert result.output == f"wrote the figures, 8 cards and 20 reviews to {out / 'stats.json'}\n"
    result = run(db_path, "export", "reviews", "-o", str(out / "revlog.csv"))
    assert result.output == f"wrote 20 answers to {out / 'revlog.csv'}\n"


def test_one_of_a_kind_is_singular(db_path: Path) -> None:
    conn = connect(db_path)
    with transaction(conn):
        upsert_deck(conn, sample_deck("One", size=1))
    answer(conn, 1, 4, "2026-11-22T09:00")
    conn.close()
    out = db_path.parent / "out"
    result = run(db_path, "export", "stats", "--format", "csv", "-o", str(out))
    assert "wrote 1 card to" in result.output and "and 1 review to" in result.output
    assert run(db_path, "export", "reviews", "-o", str(out / "r.csv")).output.startswith("wrote 1 answer to")
