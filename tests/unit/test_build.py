"""Building decks from documents: files written, report content, stable ids across edits, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.decks.build import build, format_report, report_data
from trainer.decks.yaml_io import load_deck
from trainer.errors import InputError

NOTES = Path(__file__).resolve().parents[1] / "data" / "notes"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_one_deck_per_document_named_by_title_or_stem(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.md", "# Models\n\n- **GPT**: 生成式预训练模型\n")
    second = _write(
        tmp_path / "b.txt", "GPT: Generative Pre-trained Transformer\nRL: Reinforcement Learning\n"
    )
    report = build([first, second], tmp_path / "out")
    decks = [load_deck(tmp_path / "out" / name) for name in ("a.yaml", "b.yaml")]
    assert [deck.name for deck in decks] == ["Models", "b"]
    assert [len(deck.cards) for deck in decks] == [1, 2]
    assert decks[0].cards[0].source == "a.md:3"
    assert [(term.front, term.sources) for term in report.shared_terms] == [("GPT", ("a.md:3", "b.txt:1"))]


def test_report_lists_cards_and_skips_with_reasons(tmp_path: Path) -> None:
    notes = _write(tmp_path / "n.md", "- **Index**: speeds up lookups\n- Vercel:?\n")
    text = format_report(build([notes], tmp_path / "out"))
    assert "n.md: 1 cards" in text
    assert "skipped n.md:2: Vercel:? — definition is only a question mark" in text
    data = report_data(build([notes], tmp_path / "out"))
    assert data["documents"][0]["skipped"][0]["reason"] == "definition is only a question mark"  # type: ignore[index]


def test_editing_one_definition_changes_only_that_card(tmp_path: Path) -> None:
    notes = _write(tmp_path / "n.md", "# T\n\n- **A**: first\n- **B**: second\n- **C**: third\n")
    build([notes], tmp_path / "out")
    before = load_deck(tmp_path / "out" / "n.yaml").cards
    _write(notes, "# T\n\n- **A**: first\n\n- **B**: second, edited\n- **C**: third\n")
    build([notes], tmp_path / "out")
    after = load_deck(tmp_path / "out" / "n.yaml").cards
    assert [card.id for card in before] == [card.id for card in after]
    changed = [
        (b.id, a.back) for b, a in zip(before, after, strict=True) if (b.front, b.back) != (a.front, a.back)
    ]
    assert changed == [("b", "second, edited")]


def test_bom_and_crlf_input(tmp_path: Path) -> None:
    build([NOTES / "bom_crlf.md"], tmp_path)
    deck = load_deck(tmp_path / "bom_crlf.yaml")
    assert deck.name == "Crlf notes"
    assert [card.back for card in deck.cards] == [
        "the smallest unit of text.",
        "a fast store in front of a slow one",
    ]


def test_non_utf8_document_is_reported_with_position_and_nothing_written(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.md", "- **A**: a\n")
    bad = tmp_path / "bad.md"
    bad.write_bytes("- **B**: b\n- **C**: c\xff".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        build([good, bad], tmp_path / "out")
    assert str(caught.value).startswith(f"{bad}:2:11: not UTF-8")
    assert not (tmp_path / "out").exists()


def test_missing_document_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.md"):
        build([tmp_path / "missing.md"], tmp_path / "out")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"- **A**: a\n- **B**: b\x00\n", ":2:11: NUL character"),
        (b"- **A**: " + b"x" * (1024 * 1024 + 1) + b"\n", ":1: line is longer than 1,048,576 characters"),
    ],
)
def test_what_import_refuses_build_refuses(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    with pytest.raises(InputError) as caught:
        build([bad], tmp_path / "out")
    assert str(caught.value).startswith(f"{bad}{message}")
    assert not (tmp_path / "out").exists()


def test_build_reads_a_gbk_note_as_import_does(tmp_path: Path) -> None:
    notes = tmp_path / "gbk.md"
    notes.write_bytes("# 术语\n\n- **缓存**：快速的存储层，放在慢的存储前面。\n".encode("gbk"))
    build([notes], tmp_path / "out")
    deck = load_deck(tmp_path / "out" / "gbk.yaml")
    assert deck.name == "术语"
    assert [(card.front, card.back) for card in deck.cards] == [("缓存", "快速的存储层，放在慢的存储前面。")]


def test_report_counts_cards_by_form_and_lists_duplicates(tmp_path: Path) -> None:
    notes = _write(
        tmp_path / "n.md",
        "| Term | Definition |\n|---|---|\n| Heap | memory for dynamic allocation |\n"
        "| Stack | memory for call frames |\n\nA heap is a region of memory.\n",
    )
    report = build([notes], tmp_path / "out")
    assert report.documents[0].forms == (("table", 2),)
    text = format_report(report)
    assert "cards by form: table 2" in text
    assert "duplicate of the card at line 3" in text
    data = report_data(report)
    assert data["documents"][0]["forms"] == {"table": 2}  # type: ignore[index]


def test_deck_name_is_never_a_hash_like_stem(tmp_path: Path) -> None:
    notes = _write(tmp_path / "007_9fda27f9badf5157.md", "- **Index**: speeds up lookups\n")
    build([notes], tmp_path / "out")
    assert load_deck(tmp_path / "out" / "007_9fda27f9badf5157.yaml").name == "007"
