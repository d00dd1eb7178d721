"""A day's review session: the seam the TUI calls. No Textual here, and the time is always passed in.

The session walks today's queue, shows each grade's outcome before the user answers, writes every
answer at once (one transaction), returns cards graded below 4 later the same day, and undoes any
number of steps back.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from trainer.config import Settings
from trainer.scheduler.queue import QueueEntry, QueueKind
from trainer.scheduler.schedule import LogKind, Schedule, answer
from trainer.scheduler.sm2 import PASS_QUALITY, QUALITIES
from trainer.store.cards import CardGone, StoredCard, find_card, get_cards
from trainer.store.due import day_queue, due_by, new_for_a_fresh_day, queue_counts
from trainer.store.events import EventKind
from trainer.store.reviews import Answered, CardResting, answer_card, undo_review

if TYPE_CHECKING:
    from trainer.store.curation import FlagsChanged

DRILL_GAP = 4
"""A card to drill again comes back after this many other cards (or at the end), not at once."""
AHEAD = 16
"""Queue entries read ahead of the current card (more than ``DRILL_GAP``)."""


@dataclass(frozen=True)
class Outcome:
    """What one grade would do, shown next to its key before the user answers."""

    quality: int
    schedule: Schedule
    label: str


def interval_label(kind: LogKind, schedule: Schedule, quality: int, day: date) -> str:
    """'6d', 'again today', or '15d + again today' for a pass that still needs drilling today."""
    days = f"{(schedule.due - day).days if schedule.due else 0}d"
    if schedule.drill_day != day:
        return days
    if kind is LogKind.DRILL or quality < PASS_QUALITY:
        return "again today"
    return f"{days} + again today"


@dataclass(frozen=True)
class Counts:
    """Cards still to show in this session, by kind."""

    new: int
    drill: int
    due: int

    @property
    def total(self) -> int:
        return self.new + self.drill + self.due


@dataclass
class _Undo:
    """How to take back one step: what was written, and the queue edits to reverse.

    Only the edits are kept (not a copy of the queue), so a long session's undo history stays small.
    """

    removed: list[tuple[int, QueueEntry]]
    """(position, entry) taken out of the queue, in ascending position."""
    inserted: int | None = None
    """Position of the drill entry put back into the queue (after the removals), if any."""
    review_id: int | None = None
    flags: FlagsChanged | None = None
    """The suspension or burial written, which undo takes back."""


@dataclass
class Summary:
    """The session's figures for the end screen."""

    reviewed: int = 0
    """Answers given (drills included)."""
    cards: int = 0
    """Different cards answered."""
    correct: int = 0
    started: datetime | None = None
    leeches: list[StoredCard] = field(default_factory=list)

    @property
    def correct_share(self) -> float | None:
        """Share of the answers graded 3 or better; None when there were none (not 0%)."""
        return self.correct / self.reviewed if self.reviewed else None

    def time_spent(self, now: datetime) -> timedelta:
        """From the session's start to ``now``, never negative (a pinned or stepped-back clock)."""
        return max(timedelta(0), now - self.started) if self.started else timedelta(0)


class ReviewSession:
    """Today's cards for one deck (or all decks), answered one at a time."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        settings: Settings,
        zone: tzinfo,
        now: datetime,
        deck_id: int | None = None,
    ) -> None:
        self.conn = conn
        self.limits = settings.limits
        self.calendar = settings.calendar(zone)
        self.deck_id = deck_id
        self.started = now
        day = self.day(now)
        self._unread = day_queue(conn, day, self.limits, deck_id)
        """The rest of today's queue, read a page at a time as the session reaches it."""
        self.queue: deque[QueueEntry] = deque()
        """The queue's entries read so far (the first ``AHEAD`` at least, while any are left)."""
        self._tally: Counter[QueueKind] | None = None
        """Cards in the whole queue by kind: counted when first asked for (once the first card is on
        screen; counting a large collection's new cards takes tens of ms) or before the first write,
        then kept up to date so counting costs nothing per answer."""
        self._undo: list[_Undo] = []
        self._answers: list[Answered] = []
        self._card: StoredCard | None = None
        self._prefetch()

    def day(self, now: datetime) -> date:
        return self.calendar.day(now)

    # The current card -------------------------------------------------------------------------------

    def _read_ahead(self) -> None:
        """Read the queue on to ``AHEAD`` entries, so a drill put back ``DRILL_GAP`` cards later lands
        where it would in the whole queue."""
        while len(self.queue) < AHEAD and (entry := next(self._unread, None)) is not None:
            self.queue.append(entry)

    def _prefetch(self) -> None:
        """Read the card at the head of the queue, passing over cards another process deleted."""
        self._card = None
        self._read_ahead()
        while self.queue and self._card is None:
            self._card = find_card(self.conn, self.queue[0].card_id)
            if self._card is None:
                self._drop(self.queue[0].card_id)
                self._read_ahead()

    def _drop(self, card_id: int) -> None:
        """Take every entry of a card that is gone out of the queue (it cannot come back)."""
        for position in reversed([n for n, entry in enumerate(self.queue) if entry.card_id == card_id]):
            self._take(position)

    @property
    def card(self) -> StoredCard | None:
        """The card on screen, or None when the session is done."""
        return self._card

    @property
    def kind(self) -> QueueKind | None:
        return self.queue[0].kind if self.queue else None

    def outcomes(self, now: datetime) -> dict[int, Outcome]:
        """Every grade's outcome for the current card, computed by the real scheduler."""
        if self._card is None:
            return {}
        day = self.day(now)
        result = {}
        for quality in QUALITIES:
            entry, schedule = answer(self._card.schedule, quality, day)
            result[quality] = Outcome(quality, schedule, interval_label(entry.kind, schedule, quality, day))
        return result

    def counts(self) -> Counts:
        tally = self._counted()
        return Counts(tally[QueueKind.NEW], tally[QueueKind.DRILL], tally[QueueKind.REVIEW])

    def _counted(self) -> Counter[QueueKind]:
        if self._tally is None:
            new, drill, due = queue_counts(self.conn, self.day(self.started), self.limits, self.deck_id)
            self._tally = Counter({QueueKind.NEW: new, QueueKind.DRILL: drill, QueueKind.REVIEW: due})
        return self._tally

    @property
    def answered(self) -> int:
        """Answers given in this session (and not undone)."""
        return len(self._answers)

    # Actions ----------------------------------------------------------------------------------------

    def answer(self, quality: int, now: datetime, duration_ms: int | None = None) -> Answered:
        """Grade the current card; it is saved before this returns. CardGone if another process
        deleted the card meanwhile, CardResting if it suspended or buried it: either way it leaves the
        queue and the next card is current."""
        card = self._require_card()
        self._counted()  # counted before the write changes what the database would say
        try:
            answered = answer_card(self.conn, card.id, quality, now, self.day(now), duration_ms)
        except (CardGone, CardResting):
            self._drop(card.id)
            self._prefetch()
            raise
        step = _Undo([(0, self._take(0))], review_id=answered.review_id)
        self._read_ahead()
        if answered.after.drill_day is not None:
            step.inserted = min(DRILL_GAP, len(self.queue))
            self._put(step.inserted, QueueEntry(card.id, QueueKind.DRILL))
        self._undo.append(step)
        self._answers.append(answered)
        self._prefetch()
        return answered

    def suspend(self, now: datetime | None = None, card: StoredCard | None = None) -> None:
        """Take the current card (or ``card``, one just answered) out of all future reviews until
        unsuspended (``now`` dates the recorded event; the session's start when not given)."""
        self._set_flags(card or self._require_card(), EventKind.SUSPEND, now or self.started)

    def bury(self, now: datetime) -> None:
        """Hide the current card until tomorrow."""
        card = self._require_card()
        self._set_flags(card, EventKind.BURY, now)

    def _set_flags(self, card: StoredCard, change: EventKind, now: datetime) -> None:
        from trainer.store.curation import set_flags  # curation loads on the first suspend, not at start

        self._counted()
        step = _Undo(
            [(position, entry) for position, entry in enumerate(self.queue) if entry.card_id == card.id],
            flags=set_flags(self.conn, [card.id], change, now, self.day(now)),
        )
        self._undo.append(step)
        for position, _ in reversed(step.removed):
            self._take(position)
        self._prefetch()

    def reread(self, now: datetime) -> None:
        """Read the current card again after it changed outside the session (an edit shows at once);
        a card suspended, buried or deleted meanwhile (in the card browser) leaves the queue."""
        self._prefetch()
        while self._card is not None and (self._card.suspended or self._card.buried_day == self.day(now)):
            self._drop(self._card.id)
            self._prefetch()

    def undo(self) -> bool:
        """Take back the last answer, suspension or burial; False if there is nothing to undo."""
        if not self._undo:
            return False
        step = self._undo[-1]  # taken off only once the write is done: a busy database may refuse it
        if step.review_id is not None:
            with contextlib.suppress(CardGone):  # deleted elsewhere: nothing is left to take back
                undo_review(self.conn, self._answers[-1])  # only if the row is still the one we wrote
            self._answers.pop()
        elif step.flags is not None:
            from trainer.store.curation import undo_flags

            undo_flags(self.conn, step.flags)  # deletes the events written, if still exactly as written
        self._undo.pop()
        if step.inserted is not None:
            self._take(step.inserted)
        for position, entry in step.removed:
            self._put(position, entry)
        self._prefetch()
        return True

    def _take(self, position: int) -> QueueEntry:
        entry = self.queue[position]
        del self.queue[position]
        if self._tally is not None:  # until counted, the database already tells (a card deleted elsewhere)
            self._tally[entry.kind] -= 1
        return entry

    def _put(self, position: int, entry: QueueEntry) -> None:
        self.queue.insert(position, entry)
        if self._tally is not None:
            self._tally[entry.kind] += 1

    def _require_card(self) -> StoredCard:
        if self._card is None:
            raise RuntimeError("the session has no card left")
        return self._card

    # The end ----------------------------------------------------------------------------------------

    def summary(self) -> Summary:
        """Answers and cards, share correct (graded 3 or better) and the cards that became leeches."""
        leech_ids = list(
            dict.fromkeys(a.card_id for a in self._answers if a.after.is_leech and not a.before.is_leech)
        )
        leeches = get_cards(self.conn, leech_ids)
        return Summary(
            reviewed=len(self._answers),
            cards=len({a.card_id for a in self._answers}),
            correct=sum(1 for a in self._answers if a.quality >= PASS_QUALITY),
            started=self.started,
            leeches=[leeches[card_id] for card_id in leech_ids if card_id in leeches],  # not deleted since
        )

    def due_on(self, day: date) -> int:
        """Cards waiting on a later ``day`` in this session's deck (or all decks), for 'due tomorrow' in
        the summary: reviews due by then and the new cards that day will introduce."""
        due = due_by(self.conn, day, self.deck_id)
        return due + new_for_a_fresh_day(self.conn, self.limits, self.deck_id)

    def tomorrow(self, now: datetime) -> date:
        return self.day(now) + timedelta(days=1)
