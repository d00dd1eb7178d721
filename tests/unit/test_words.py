"""Counted words read right in the singular too (a message says what it changed, in plain English)."""

from trainer.words import plural, with_history


def test_counts_read_right_in_the_singular_and_the_plural() -> None:
    assert (plural(1, "card"), plural(0, "card"), plural(3, "day")) == ("1 card", "0 cards", "3 days")
    assert with_history(1) == "1 card and its review history"
    assert with_history(2) == "2 cards and their review history"
