"""What the library's operations return: typed results, each with the JSON shape ``--json`` prints.

The CLI prints them and the TUI draws them; neither assembles a dict of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.scheduler.schedule import LogKind, Schedule
    from trainer.store.due import QueueCounts
    from trainer.store.reviews import Disagreement


@dataclass(frozen=True)
class NextDue:
    """When cards are next waiting, for the deck list's 'nothing due' message."""

    day: date
    cards: int


@dataclass(frozen=True)
class DueCard:
    """One card of today's queue, as ``trainer due`` lists it."""

    id: int
    deck: str
    front: str
    back: str
    kind: str
    tags: tuple[str, ...]
    source: str | None
    due: date | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "deck": self.deck, "front": self.front, "back": self.back, "kind": self.kind,
            "tags": list(self.tags), "source": self.source, "due": self.due,
        }  # fmt: skip


@dataclass(frozen=True)
class CheckReport:
    """Cards whose stored schedule disagrees with their log, out of how many."""

    disagreements: list[Disagreement]
    cards: int
    repaired: bool

    def as_json(self) -> dict[str, object]:
        return {
            "cards": self.cards,
            "repaired": self.repaired,
            "disagreements": [
                {
                    "id": item.card_id,
                    "differences": [
                        {"column": name, "stored": stored, "log": replayed}
                        for name, stored, replayed in item.differences()
                    ],
                }
                for item in self.disagreements
            ],
        }


@dataclass(frozen=True)
class Graded:
    """One card answered: how the answer counted and the card's new schedule."""

    card_id: int
    quality: int
    kind: LogKind
    schedule: Schedule

    @property
    def again_today(self) -> bool:
        """Graded below 4: the card comes back later today, to drill."""
        return self.schedule.drill_day is not None

    def as_json(self) -> dict[str, object]:
        state = self.schedule.state
        return {
            "id": self.card_id, "quality": self.quality, "kind": str(self.kind),
            "repetitions": state.repetitions, "easiness": float(state.easiness), "interval": state.interval,
            "due": self.schedule.due, "again_today": self.again_today,
        }  # fmt: skip


@dataclass(frozen=True)
class BackupFile:
    """A backup just written."""

    path: Path
    size: int
    """In bytes."""

    def as_json(self) -> dict[str, object]:
        return {"backup": str(self.path), "bytes": self.size}


def deck_counts_json(counts: QueueCounts) -> dict[str, object]:
    """A deck-list row as ``trainer decks --json`` gives it."""
    return {
        "id": counts.deck_id, "name": counts.name, "new": counts.new, "drill": counts.drill,
        "due": counts.due, "total": counts.total,
    }  # fmt: skip
