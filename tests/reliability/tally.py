"""Counts what the reliability suite proved, printed as one line at the end of the run."""

from __future__ import annotations

from collections import Counter

TALLY: Counter[str] = Counter()
"""Keys: kills, answers, hostile, fuzz, attacks (one per case of a known attack now withstood)."""


def line() -> str:
    return (
        f"reliability tally: {TALLY['kills']} kills survived, {TALLY['answers']} concurrent answers checked, "
        f"{TALLY['hostile']} hostile files refused, {TALLY['attacks']} attacks withstood, "
        f"{TALLY['fuzz']} fuzz cases run - nothing lost"
    )
