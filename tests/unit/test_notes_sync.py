"""The notes folder through the library: planning a sync, registering files, and syncing real files."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from tests.support import ATTENTION, DROPOUT, EMBEDDING, note, write
from trainer.decks.model import Card
from trainer.decks.sync import OldCard, compact_diff, plan_sync
from trainer.errors import TrainerError
from trainer.notes_sync import add_notes, remove_notes, sync
from trainer.store.cards import StoredCard, get_card
from trainer.store.db import connect
from trainer.store.notes import registered_notes
from trainer.store.reviews import answer_card, check, log_entries

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
TODAY = date(2026, 12, 1)

@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(tmp_path / "trainer.db")
    yield connection
    connection.close()


def cards(conn: sqlite3.Connection, deck: str) -> dict[str, StoredCard]:
    ids = conn.execute(
        "SELECT cards.id FROM cards JOIN decks ON decks.id = cards.deck_id WHERE decks.name = ?", (deck,)
    )
    found = [get_card(conn, card_id) for (card_id,) in ids]
    return {card.key: card for card in found}


# Planning (pure) ---------------------------------------------------------------------------------


def test_a_definition_under_a_new_chinese_term_is_a_rename() -> None:
    old = [OldCard("dropout", "dropout", DROPOUT), OldCard("embedding", "embedding", EMBEDDING)]
    new = [
        Card("随机失活", "随机失活", DROPOUT.replace("防止", "以防止")),
        Card("embedding", "embedding", EMBEDDING),
    ]
    plan = plan_sync(old, new)
    assert [(change.old.key, change.new.id) for change in plan.renamed] == [("dropout", "随机失活")]
    assert plan.added == [] and plan.retired == [] and plan.unchanged == 1
    assert plan.summary() == "1 renamed dropout → 随机失活"


def test_a_definition_under_a_new_english_term_is_a_rename() -> None:
    back = "The step size used when updating the weights along the gradient."
    old = [OldCard("learning rate", "learning rate", back)]
    new = [Card("step size", "step size", back.replace("weights", "model's weights"))]
    plan = plan_sync(old, new)
    assert [(change.old.front, change.new.front) for change in plan.renamed] == [
        ("learning rate", "step size")
    ]


def test_another_definition_under_a_new_term_is_new_and_the_old_one_retired() -> None:
    old = [OldCard("dropout", "dropout", DROPOUT)]
    new = [Card("softmax", "softmax", "把一组分数变成概率分布。")]
    plan = plan_sync(old, new)
    assert [card.id for card in plan.added] == ["softmax"]
    assert [card.key for card in plan.retired] == ["dropout"] and plan.renamed == []


def test_a_retired_card_that_reappears_is_restored_and_stays_retired_once() -> None:
    old = [OldCard("dropout", "dropout", DROPOUT, retired=True), OldCard("gone", "gone", "x", retired=True)]
    plan = plan_sync(old, [Card("dropout", "dropout", DROPOUT)])
    assert [change.new.id for change in plan.restored] == ["dropout"]
    assert plan.retired == []  # "gone" was retired before: nothing to do again


def test_compact_diff_marks_words_and_characters_and_shortens_what_stayed() -> None:
    assert (
        compact_diff("The cat sat on the mat.", "The dog sat on the mat.")
        == "The [-cat-]{+dog+} sat on the mat."
    )
    assert (
        compact_diff(DROPOUT, DROPOUT.replace("丢弃", "关闭"))
        == "训练时随机[-丢弃-]{+关闭+}一部分神经元的输出，防止过拟合。"
    )
    long = "a" * 100 + " old " + "b" * 100
    shortened = compact_diff(long, long.replace("old", "new"))
    assert shortened == "…" + "a" * 11 + " [-old-]{+new+} " + "b" * 11 + "…"


# Registering -------------------------------------------------------------------------------------


def test_add_finds_notes_below_a_folder_and_skips_hidden_and_ignored_folders(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    for name in (
        "a.md",
        "b.markdown",
        "c.txt",
        "sub/d.md",
        ".obsidian/e.md",
        ".git/f.md",
        "node_modules/g.md",
    ):
        write(folder / name, note(("term", "a definition of it.")))
    write(folder / "script.py", "print()")
    (added,) = add_notes(db, [folder])
    assert (added.new, added.known) == (4, 0)
    paths = [Path(record.path).relative_to(folder).as_posix() for record in registered_notes(db)]
    assert paths == ["a.md", "b.markdown", "c.txt", "sub/d.md"]
    assert add_notes(db, [folder])[0].known == 4


def test_add_of_a_missing_path_registers_nothing(db: sqlite3.Connection, tmp_path: Path) -> None:
    good = write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    with pytest.raises(TrainerError, match=r"nope\.md: no such file or folder"):
        add_notes(db, [good, tmp_path / "nope.md"])
    assert registered_notes(db) == []


def test_remove_stops_syncing_and_keeps_the_deck(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    add_notes(db, [path])
    sync(db, NOW)
    assert remove_notes(db, path) == [str(path)]
    write(path, note(("embedding", EMBEDDING)))
    assert sync(db, NOW).notes == []
    assert list(cards(db, "AI 术语")) == ["dropout"]
    with pytest.raises(TrainerError, match="not a registered notes file"):
        remove_notes(db, path)


# Syncing -----------------------------------------------------------------------------------------


def test_edit_rename_add_and_remove_keep_progress_and_retire(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(
        tmp_path / "ai.md", note(("dropout", DROPOUT), ("attention", ATTENTION), ("embedding", EMBEDDING))
    )
    add_notes(db, [tmp_path])
    first = sync(db, NOW)
    assert first.summary() == "notes: 3 new in ai.md"
    before = cards(db, "AI 术语")
    for key in ("dropout", "embedding"):
        answer_card(db, before[key].id, 5, NOW, TODAY)

    write(
        path,
        note(
            ("随机失活", DROPOUT),
            ("embedding", EMBEDDING.replace("稠密", "低维稠密")),
            ("softmax", "把分数变成概率。"),
        ),
    )
    report = sync(db, NOW)

    assert report.summary() == "notes: 1 new, 1 updated, 1 renamed dropout → 随机失活, 1 retired in ai.md"
    after = cards(db, "AI 术语")
    assert after["随机失活"].id == before["dropout"].id
    assert after["随机失活"].schedule == get_card(db, before["dropout"].id).schedule
    assert (
        after["随机失活"].schedule.state.repetitions == 1 and len(log_entries(db, after["随机失活"].id)) == 1
    )
    assert after["embedding"].back == "把离散的词映射成低维稠密向量。"
    assert after["embedding"].schedule.state.repetitions == 1
    assert after["attention"].suspended and "retired" in after["attention"].tags
    assert not after["softmax"].suspended
    assert check(db) == []


def test_a_removed_definition_comes_back_with_its_progress(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT), ("attention", ATTENTION)))
    add_notes(db, [path])
    sync(db, NOW)
    attention = cards(db, "AI 术语")["attention"]
    answer_card(db, attention.id, 4, NOW, TODAY)
    write(path, note(("dropout", DROPOUT)))
    assert "1 retired" in sync(db, NOW).summary()
    write(path, note(("dropout", DROPOUT), ("attention", ATTENTION)))
    assert sync(db, NOW).summary() == "notes: 1 restored in ai.md"
    back = cards(db, "AI 术语")["attention"]
    assert back.id == attention.id and not back.suspended and "retired" not in back.tags
    assert back.schedule.state.repetitions == 1


def test_an_unchanged_folder_changes_nothing_and_a_touched_file_is_not_re_extracted(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    add_notes(db, [tmp_path])
    sync(db, NOW)
    assert sync(db, NOW).summary() == "notes: 1 file up to date"
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # saved again, same bytes
    assert sync(db, NOW).notes == []
    (record,) = registered_notes(db)
    assert record.mtime_ns == path.stat().st_mtime_ns


def test_a_note_that_fails_is_reported_and_skipped_while_the_rest_sync(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    (tmp_path / "bad.md").write_bytes(b"# Bad\n\n- **x**: \xff\xfe broken \x80\n")
    add_notes(db, [tmp_path])
    report = sync(db, NOW)
    assert [note.name for note in report.changed] == ["ai.md"]
    (failed,) = report.failed
    assert failed.name == "bad.md" and "not UTF-8" in (failed.error or "")
    assert "skipped bad.md: " in report.summary()
    assert list(cards(db, "AI 术语")) == ["dropout"]
    assert sync(db, NOW).failed[0].name == "bad.md"  # reported again until fixed


def test_a_file_deleted_from_a_folder_retires_its_cards(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "notes" / "ai.md", note(("dropout", DROPOUT)))
    add_notes(db, [tmp_path / "notes"])
    sync(db, NOW)
    path.unlink()
    report = sync(db, NOW)
    assert report.summary() == "notes: 1 retired in ai.md"
    assert cards(db, "AI 术语")["dropout"].suspended and registered_notes(db) == []


def test_a_registered_file_that_is_missing_keeps_its_cards(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    add_notes(db, [path])
    sync(db, NOW)
    path.unlink()
    (failed,) = sync(db, NOW).failed
    assert "trainer notes remove" in (failed.error or "")
    assert not cards(db, "AI 术语")["dropout"].suspended


def test_a_dry_run_reports_the_plan_and_writes_nothing(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "ai.md", note(("dropout", DROPOUT)))
    add_notes(db, [path])
    report = sync(db, NOW, dry_run=True)
    assert report.summary() == "notes: 1 new in ai.md" and report.dry_run
    assert cards(db, "AI 术语") == {} and registered_notes(db)[0].sha256 is None
    assert sync(db, NOW).summary() == "notes: 1 new in ai.md"


def test_two_notes_with_one_title_feed_two_decks(db: sqlite3.Connection, tmp_path: Path) -> None:
    write(tmp_path / "a.md", note(("dropout", DROPOUT)))
    write(tmp_path / "b.md", note(("embedding", EMBEDDING)))
    add_notes(db, [tmp_path])
    sync(db, NOW)
    assert list(cards(db, "AI 术语")) == ["dropout"]
    assert list(cards(db, "AI 术语 (b)")) == ["embedding"]
