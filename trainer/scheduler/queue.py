"""Which cards a day's session shows, in which order, within the daily limits. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Why a card is in today's queue."""

    NEW = "new"
    REVIEW = "review"
    DRILL = "drill"


@dataclass(frozen=True)
class Limits:
    """Daily limits, as in Anki's deck options."""

    new_per_day: int = 20
    reviews_per_day: int = 200


@dataclass(frozen=True)
class Entry:
    """One card in the queue."""

    card_id: int
    kind: Kind


def build_queue(
    due: Sequence[int],
    new: Sequence[int],
    drill: Sequence[int],
    limits: Limits,
    new_done_today: int = 0,
    reviews_done_today: int = 0,
) -> list[Entry]:
    """Today's queue: due reviews (callers pass them most overdue first), new cards in deck order,
    then the same-day drill cards. Cards already shown today count against the limits.
    """
    review_room = max(0, limits.reviews_per_day - reviews_done_today)
    new_room = max(0, limits.new_per_day - new_done_today)
    drill_ids = set(drill)
    queue = [Entry(card, Kind.REVIEW) for card in due if card not in drill_ids][:review_room]
    queue += [Entry(card, Kind.NEW) for card in new if card not in drill_ids][:new_room]
    queue += [Entry(card, Kind.DRILL) for card in dict.fromkeys(drill)]
    return queue
