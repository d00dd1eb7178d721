"""Keeping a deck in step with its note: the cards it had and the cards the note now gives → a plan.

Pure: no files, no SQLite. A card is matched by its id (the term) first; a definition that moved to a
new term with the same or nearly the same text is a rename, so the card (and its progress) moves with
it. Cards the note no longer has are retired, never deleted, and come back when they reappear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from trainer.decks.model import Card

RENAME_SIMILARITY = 0.8
"""How alike (``SequenceMatcher`` ratio of the backs) a vanished card and a new one must be to be one
card renamed: an edited comma or a word still matches, another definition does not."""

_TOKEN = re.compile(r"[A-Za-z0-9_]+|\s+|.", re.DOTALL)
"""Words of Latin letters stay whole in a diff; CJK text (no spaces) is compared character by character."""
_CONTEXT = 12
"""Characters of unchanged text kept on each side of a change in a compact diff."""


@dataclass(frozen=True)
class OldCard:
    """A card the deck holds now."""

    key: str
    front: str
    back: str
    retired: bool = False
    """Retired by an earlier sync (the note had lost it)."""

    def as_json(self) -> dict[str, object]:
        return {"id": self.key, "front": self.front, "back": self.back}


@dataclass(frozen=True)
class Change:
    """One card before and after."""

    old: OldCard
    new: Card

    def diff(self) -> str:
        """The card in one text, ``front: back``, with each side's changes marked."""
        return card_diff(self.old.front, self.old.back, self.new)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.new.id, "old": self.old.as_json(),
            "new": {"front": self.new.front, "back": self.new.back}, "diff": self.diff(),
        }  # fmt: skip


@dataclass
class Plan:
    """What syncing one deck does; ``retired`` are the cards the note lost this time."""

    added: list[Card] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    renamed: list[Change] = field(default_factory=list)
    retired: list[OldCard] = field(default_factory=list)
    restored: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.renamed or self.retired or self.restored)

    def summary(self) -> str:
        """``3 new, 1 updated, 1 renamed dropout → 随机失活, 1 retired`` (only what happened)."""
        parts = [f"{len(self.added)} new"] if self.added else []
        if self.updated:
            parts.append(f"{len(self.updated)} updated")
        if self.renamed:
            names = ", ".join(f"{change.old.front} → {change.new.front}" for change in self.renamed)
            parts.append(f"{len(self.renamed)} renamed {names}")
        if self.restored:
            parts.append(f"{len(self.restored)} restored")
        if self.retired:
            parts.append(f"{len(self.retired)} retired")
        return ", ".join(parts) or "unchanged"

    def as_json(self) -> dict[str, object]:
        return {
            "added": [{"id": card.id, "front": card.front, "back": card.back} for card in self.added],
            "updated": [change.as_json() for change in self.updated],
            "renamed": [change.as_json() for change in self.renamed],
            "restored": [change.as_json() for change in self.restored],
            "retired": [old.as_json() for old in self.retired],
            "unchanged": self.unchanged,
        }


def _texts_differ(old: OldCard, new: Card) -> bool:
    return (old.front, old.back) != (new.front, new.back)


def plan_sync(old: Sequence[OldCard], new: Sequence[Card], similarity: float = RENAME_SIMILARITY) -> Plan:
    """The plan that turns the deck's cards ``old`` into the note's cards ``new``."""
    plan = Plan()
    by_key = {card.key: card for card in old}
    unmatched: list[Card] = []
    for card in new:
        before = by_key.pop(card.id, None)
        if before is None:
            unmatched.append(card)
        elif before.retired:
            plan.restored.append(Change(before, card))
        elif _texts_differ(before, card):
            plan.updated.append(Change(before, card))
        else:
            plan.unchanged += 1
    vanished = list(by_key.values())
    renames = _renames(vanished, unmatched, similarity)
    for before, card in renames:
        plan.renamed.append(Change(before, card))
    moved = {before.key for before, _ in renames}
    renamed_to = {card.id for _, card in renames}
    plan.added = [card for card in unmatched if card.id not in renamed_to]
    plan.retired = [card for card in vanished if card.key not in moved and not card.retired]
    return plan


def _renames(
    vanished: Sequence[OldCard], unmatched: Sequence[Card], similarity: float
) -> list[tuple[OldCard, Card]]:
    """Pairs of a vanished card and a new one whose backs are alike, the most alike first."""
    scored = []
    for before in vanished:
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(before.back)
        for card in unmatched:
            matcher.set_seq1(card.back)
            if matcher.real_quick_ratio() >= similarity and matcher.quick_ratio() >= similarity:
                ratio = matcher.ratio()
                if ratio >= similarity:
                    scored.append((ratio, before, card))
    scored.sort(key=lambda item: -item[0])
    pairs: list[tuple[OldCard, Card]] = []
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    for _, before, card in scored:
        if before.key not in taken_old and card.id not in taken_new:
            pairs.append((before, card))
            taken_old.add(before.key)
            taken_new.add(card.id)
    return pairs


def compact_diff(old: str, new: str) -> str:
    """``old`` → ``new`` as one text with ``[-removed-]{+added+}`` marks and the unchanged stretches
    between changes shortened to a little context, so a one-word edit in a long back reads at a glance."""
    if old == new:
        return old
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[str] = []
    opcodes = matcher.get_opcodes()
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            last = number == len(opcodes) - 1
            pieces.append(_context("".join(before[i1:i2]), first=number == 0, last=last))
            continue
        if i2 > i1:
            pieces.append(f"[-{''.join(before[i1:i2])}-]")
        if j2 > j1:
            pieces.append(f"{{+{''.join(after[j1:j2])}+}}")
    return "".join(pieces)


def _context(text: str, *, first: bool, last: bool) -> str:
    """An unchanged stretch with only the characters next to the changes kept."""
    keep_start = 0 if first else _CONTEXT
    keep_end = 0 if last else _CONTEXT
    if len(text) <= keep_start + keep_end + _CONTEXT:  # shortening would save little
        return text
    head = text[:keep_start]
    tail = text[len(text) - keep_end :] if keep_end else ""
    return f"{head}…{tail}"


def card_diff(old_front: str, old_back: str, new: Card) -> str:
    """A changed card in one text, ``front: back`` with each side's changes marked."""
    return f"{compact_diff(old_front, new.front)}: {compact_diff(old_back, new.back)}"
