"""The grades a user gives, in the two vocabularies the trainer speaks, and the SM-2 quality each means.

The one home of this mapping: the review screen's keys, ``trainer grade`` and the Anki importer (whose
again / hard / good / easy buttons are our simple grading) all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

QUALITY_MEANINGS = {
    0: ("blackout", "blackout"),
    1: ("wrong, remembered on seeing", "wrong, recognised"),
    2: ("wrong, seemed easy", "wrong, seemed easy"),
    3: ("right, hard", "right, hard"),
    4: ("right, hesitant", "right, hesitant"),
    5: ("perfect", "perfect"),
}
"""SM-2 quality -> (what it means, the short name the grade bar shows beside its interval)."""
FOUR_BUTTONS = {1: ("forgot", 1), 2: ("hard", 3), 3: ("good", 4), 4: ("easy", 5)}
"""Four-button grading (ours when ``grading = "simple"``, and Anki's ease 1-4): button -> (name, quality)."""


@dataclass(frozen=True)
class GradeKey:
    """A key the user presses to grade, what it means, and the SM-2 quality it records."""

    key: str
    meaning: str
    quality: int
    short: str
    """The meaning in few enough letters that every grade and its interval fit a small terminal."""


def grade_keys(grading: str) -> tuple[GradeKey, ...]:
    """The grade keys for a grading setting: 0-5 for 'sm2', 1-4 (forgot ... easy) for 'simple'."""
    if grading == "simple":
        return tuple(GradeKey(str(key), name, quality, name) for key, (name, quality) in FOUR_BUTTONS.items())
    return tuple(
        GradeKey(str(quality), meaning, quality, short)
        for quality, (meaning, short) in QUALITY_MEANINGS.items()
    )


def four_button_quality(button: int) -> int | None:
    """The SM-2 quality of a four-button grade (Anki's ease); None for anything else."""
    found = FOUR_BUTTONS.get(button)
    return found[1] if found else None
