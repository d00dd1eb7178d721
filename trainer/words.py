"""Counted words for messages: one home for the singular/plural rule every front end and report uses."""


def plural(count: int, word: str) -> str:
    """'1 day', '3 days'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def with_history(cards: int) -> str:
    """'1 card and its review history', '3 cards and their review history'."""
    return f"{plural(cards, 'card')} and {'its' if cards == 1 else 'their'} review history"
