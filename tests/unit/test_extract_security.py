"""Hostile notes: the extractor's time grows linearly with the input, and it never crashes.

Each attack is fed at two sizes and the times compared, never against a wall-clock threshold:
quadratic work takes 16 times as long at 4 times the size, linear work about 4 times. The best of
three runs is taken, so a busy machine only makes the check more lenient.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from trainer.decks.extract import extract

SIZE = 2_000
SLACK = 0.05
"""Seconds allowed on top of the ratio, for the fixed costs of a call."""

ATTACKS = {
    "question and ideographic spaces": ("什么是a", "\u3000", ""),
    "heading and spaces": ("# a", " ", "x"),
    "spaces inside a line": ("- a", " ", "b:"),
    "tabs before a dash": ("Term", "\t", "x"),
    "unclosed links": ("", "[a", ""),
    "unclosed link targets": ("", "](a", ""),
    "unclosed tags": ("", "<a", ""),
    "bold markers": ("", "**a", ""),
    "emphasis markers": ("", "*a ", ""),
    "digits before words": ("", "1", " 个"),
    "colons": ("a", ":", "b"),
    "obsidian separators": ("a", " ::", "b"),
    "commas": ("词", "，", "x"),
    "brackets": ("a", "(", "b"),
    "is without a subject": ("", "is ", "a"),
    "verb without a term": ("", "是", "x"),
    "nested lists": ("", "- ", "x"),
    "nested quotes": ("", "> ", "x"),
    "table cells": ("| a | b |\n|---|---|\n", "| x ", "|"),
    "lines of definitions": ("", "**T**: d\n", ""),
    "question lines": ("", "什么是X？\n", ""),
    "wrapped lines": ("", "word\n", ""),
}


def _best_time(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        extract(text, "attack.md")
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(("head", "unit", "tail"), ATTACKS.values(), ids=list(ATTACKS))
def test_extraction_time_grows_linearly(head: str, unit: str, tail: str) -> None:
    small = _best_time(head + unit * SIZE + tail)
    large = _best_time(head + unit * (4 * SIZE) + tail)
    assert large < 8 * small + SLACK, f"{small:.3f} s at {SIZE}, {large:.3f} s at {4 * SIZE}"


PIECES = st.sampled_from(
    [
        *"ab 是，:：-*_#|>[]()`<>!?？\n\t",
        "**",
        "::",
        "什么是",
        "| --- |",
        "<dl><dt>",
        "---\n",
        "1. ",
        "Q: ",
        "    ",
    ]
)


@given(st.lists(PIECES, max_size=120).map("".join))
@example("Q:A:!0")
@example("Q:A::")
@example("`\n0")
def test_arbitrary_markdown_never_crashes_and_every_skip_has_a_reason(text: str) -> None:
    extraction = extract(text, "fuzz.md")
    assert all(skip.reason for skip in extraction.skipped)
    for card in extraction.cards:
        assert card.id and card.front.strip() and card.back.strip()


@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for name in ("fuzz.md", "fuzz.txt"):
        extraction = extract(text, name)
        assert all(skip.reason for skip in extraction.skipped)
