"""The YAML deck format: round trip, and every mistake reported with file, line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.decks.model import MAX_CARD_TEXT, Card, Deck
from trainer.decks.yaml_io import dump_deck, load_deck, loads_deck, write_deck
from trainer.errors import InputError

DECK = Deck(
    name="AI",
    description="test",
    source="notes.md",
    cards=(
        Card("llm", "LLM", "Large Language Model\n\n大模型", ("NLP", "模型"), "notes.md:3"),
        Card("rl", "RL", "强化学习"),
    ),
)


def test_round_trip_is_exact_and_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    write_deck(DECK, path)
    assert load_deck(path) == DECK
    assert path.read_text(encoding="utf-8") == dump_deck(DECK) == dump_deck(load_deck(path))
    assert "back: |-\n    Large Language Model\n\n    大模型" in dump_deck(DECK)
    assert [p.name for p in tmp_path.iterdir()] == ["deck.yaml"]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("name: A\ncards:\n- id: x\n  front: 12\n  back: b\n", 4, 10, "front must be text"),
        ("name: A\ncards:\n- id: x\n  back: b\n", 3, 3, "missing 'front'"),
        (
            "name: A\ncards:\n- id: x\n  front: f\n  back: b\n- id: x\n  front: g\n  back: c\n",
            6,
            3,
            "duplicate card id",
        ),
        ("name: A\ncards:\n- id: x\n  front: f\n  back: b\n  hint: h\n", 6, 3, "unknown key 'hint'"),
        ("name: A\ncards:\n- id: x\n  front: f\n  back: b\n  tags: t\n", 6, 9, "tags must be a list"),
        ("name: A\ncards: {}\n", 2, 8, "cards must be a list"),
        ("cards: []\n", 1, 1, "missing 'name'"),
        ("name: A\ncards:\n- id: x\n  front: [f\n", 5, 1, "invalid YAML"),
        ("name: &a A\ndescription: *a\n", 1, 7, "aliases are not allowed"),
    ],
)
def test_mistakes_name_their_position(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        loads_deck(text, "deck.yaml")
    assert caught.value.path == "deck.yaml"
    assert (caught.value.line, caught.value.column) == (line, column)
    assert message in str(caught.value)


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    with pytest.raises(InputError, match="aliases are not allowed"):
        loads_deck("\n".join(lines), "bomb.yaml")


def test_non_utf8_file_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"name: A\ncards:\n- id: x\n  front: caf\xe9\n")
    with pytest.raises(InputError) as caught:
        load_deck(path)
    assert (caught.value.line, caught.value.column) == (4, 13)
    assert "not UTF-8" in str(caught.value)


def test_empty_file_is_an_error() -> None:
    with pytest.raises(InputError, match="empty deck file"):
        loads_deck("", "empty.yaml")


@pytest.mark.parametrize("depth", [17, 1_000, 100_000])
def test_deep_nesting_is_refused_by_our_rule_at_any_depth(depth: int) -> None:
    """The depth limit is ours (16), whatever limit the YAML scanner has of its own."""
    with pytest.raises(InputError) as caught:
        loads_deck("name: d\ncards: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert (caught.value.line, caught.value.column) == (2, 23)
    assert "YAML nested deeper than 16 levels; not a deck" in str(caught.value)


def test_brackets_and_indentation_inside_card_text_are_not_nesting() -> None:
    """Text that only looks deep (brackets in a back, an indented code block) still loads."""
    code = "\n".join("    " + "  " * level + "x" for level in range(20))
    deck = Deck(name="A", cards=(Card("b", "brackets", "[" * 40 + " {{" * 20), Card("c", "code", code)))
    assert loads_deck(dump_deck(deck), "deck.yaml") == deck


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name: "a\\nb"\ncards: []\n', "1:7: deck name 'a\\nb' contains the control character U+000A"),
        ('name: "a\\0b"\ncards: []\n', "1:7: deck name 'a\\x00b' contains the control character U+0000"),
        (
            'name: "\\u202eAI"\ncards: []\n',
            "1:7: deck name '\\u202eAI' contains the control character U+202E",
        ),
        (
            "name: d\ncards:\n- {id: a, front: b, back: " + "x" * 65_537 + "}\n",
            "3:27: the card's back is 65,537",
        ),
        (
            "name: d\ncards:\n- {id: a, back: b, front: " + "x" * 65_537 + "}\n",
            "3:27: the card's front is 65,537",
        ),
    ],
)
def test_deck_names_and_card_sides_are_bounded(text: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(f"deck.yaml:{message}")):
        loads_deck(text, "deck.yaml")


def test_the_longest_card_side_allowed_loads() -> None:
    deck = loads_deck(
        "name: d\ncards:\n- {id: a, front: b, back: " + "x" * MAX_CARD_TEXT + "}\n", "deck.yaml"
    )
    assert len(deck.cards[0].back) == MAX_CARD_TEXT


def test_a_gbk_deck_reads_like_its_utf8_twin(tmp_path: Path) -> None:
    """YAML decks go through the one decoder that notes and tables use: GBK is read, not refused."""
    text = "name: 数据库\ncards:\n  - id: k1\n    front: 主键是什么？\n    back: 唯一标识一行的列。\n"
    utf8, gbk = tmp_path / "utf8.yaml", tmp_path / "gbk.yaml"
    utf8.write_text(text, encoding="utf-8")
    gbk.write_bytes(text.encode("gbk"))
    assert load_deck(gbk).cards == load_deck(utf8).cards
    assert load_deck(gbk).cards[0].front == "主键是什么？"
