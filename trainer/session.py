"""A day's review session: the seam the TUI calls. No Textual here, and the time is always passed in.

The session walks today's queue, shows each grade's outcome before the user answers, writes every
answer at once (one transaction), returns cards graded below 4 later the same day, and undoes any
number of steps back.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from trainer.config import Settings
from trainer.scheduler.days import review_day
from trainer.scheduler.queue import Limits, QueueEntry, QueueKind, Today, room_left
from trainer.scheduler.schedule import LogKind, Schedule, answer
from trainer.scheduler.sm2 import PASS_QUALITY, QUALITIES
from trainer.store.cards import CardGone, StoredCard, find_card, get_cards
from trainer.store.db import transaction
from trainer.store.due import day_queue, new_waiting
from trainer.store.due import queue_counts as count_queue
from trainer.store.reviews import Answered, answer_card, undo_review

DRILL_GAP = 4
"""A card to drill again comes back after this many other cards (or at the end), not at once."""
AHEAD = 16
"""Queue entries read ahead of the current card (more than ``DRILL_GAP``)."""

GRADE_MEANINGS = {
    0: ("blackout", "blackout"),
    1: ("wrong, remembered on seeing", "wrong, recognised"),
    2: ("wrong, seemed easy", "wrong, seemed easy"),
    3: ("right, hard", "right, hard"),
    4: ("right, hesitant", "right, hesitant"),
    5: ("perfect", "perfect"),
}
"""SM-2 quality -> (what it means, the short name the grade bar shows beside its interval)."""
SIMPLE_GRADES = {1: ("forgot", 1), 2: ("hard", 3), 3: ("good", 4), 4: ("easy", 5)}
"""Simpler grading: key -> (name, SM-2 quality)."""


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
        return tuple(
            GradeKey(str(key), name, quality, name) for key, (name, quality) in SIMPLE_GRADES.items()
        )
    return tuple(
        GradeKey(str(quality), meaning, quality, short)
        for quality, (meaning, short) in GRADE_MEANINGS.items()
    )


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

    @classmethod
    def of(cls, entries: Iterable[QueueEntry]) -> Counts:
        tally = Counter(entry.kind for entry in entries)
        return cls(tally[QueueKind.NEW], tally[QueueKind.DRILL], tally[QueueKind.REVIEW])


def limits(settings: Settings) -> Limits:
    """The collection's daily limits from the settings."""
    return Limits(settings.new_per_day, settings.reviews_per_day)


def queue_counts(
    conn: sqlite3.Connection, settings: Settings, day: date, deck_id: int | None = None
) -> Counts:
    """What a session started now on the deck (or all decks) would show: the deck list's figures."""
    return Counts(*count_queue(conn, day, limits(settings), deck_id))


def new_on_a_fresh_day(conn: sqlite3.Connection, settings: Settings, deck_id: int | None = None) -> int:
    """New cards a later day will introduce in the deck (or all decks): those waiting, up to the limit."""
    return new_waiting(conn, deck_id, cap=room_left(limits(settings), Today()).new)


@dataclass(frozen=True)
class NextDue:
    """When cards are next waiting, for the deck list's 'nothing due' message."""

    day: date
    cards: int


def next_due(conn: sqlite3.Connection, settings: Settings, day: date) -> NextDue | None:
    """The first day after ``day`` with reviews due or new cards to learn, and how many; None if never."""
    tomorrow = day + timedelta(days=1)
    row = conn.execute(
        "SELECT due_day, COUNT(*) FROM cards WHERE suspended = 0 AND due_day > ?"
        " GROUP BY due_day ORDER BY due_day LIMIT 1",
        (day.isoformat(),),
    ).fetchone()
    due = NextDue(date.fromisoformat(row[0]), int(row[1])) if row else None
    new = new_on_a_fresh_day(conn, settings)
    if not new:
        return due
    if due is None or due.day > tomorrow:
        return NextDue(tomorrow, new)
    return NextDue(tomorrow, due.cards + new)


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
    card_id: int | None = None
    suspended: bool | None = None
    buried_day: str | None = None


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
        self.settings = settings
        self.zone = zone
        self.deck_id = deck_id
        self.started = now
        day = self.day(now)
        self._unread = day_queue(conn, day, limits(settings), deck_id)
        """The rest of today's queue, read a page at a time as the session reaches it."""
        self.queue: deque[QueueEntry] = deque()
        """The queue's entries read so far (the first ``AHEAD`` at least, while any are left)."""
        new, drill, due = count_queue(conn, day, limits(settings), deck_id)
        self._tally = Counter({QueueKind.NEW: new, QueueKind.DRILL: drill, QueueKind.REVIEW: due})
        """Cards in the whole queue by kind, kept up to date so counting costs nothing per answer."""
        self._undo: list[_Undo] = []
        self._answers: list[Answered] = []
        self._card: StoredCard | None = None
        self._prefetch()

    def day(self, now: datetime) -> date:
        return review_day(now, self.zone, self.settings.day_start_hour)

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
        return Counts(self._tally[QueueKind.NEW], self._tally[QueueKind.DRILL], self._tally[QueueKind.REVIEW])

    @property
    def answered(self) -> int:
        """Answers given in this session (and not undone)."""
        return len(self._answers)

    # Actions ----------------------------------------------------------------------------------------

    def answer(self, quality: int, now: datetime, duration_ms: int | None = None) -> Answered:
        """Grade the current card; it is saved before this returns. CardGone if another process
        deleted the card meanwhile: it leaves the queue and the next card is current."""
        card = self._require_card()
        try:
            answered = answer_card(self.conn, card.id, quality, now, self.day(now), duration_ms)
        except CardGone:
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

    def suspend(self) -> None:
        """Take the current card out of all future reviews until unsuspended."""
        card = self._require_card()
        self._set_flags(card, suspended=True)

    def bury(self, now: datetime) -> None:
        """Hide the current card until tomorrow."""
        card = self._require_card()
        self._set_flags(card, buried_day=self.day(now).isoformat())

    def _set_flags(
        self, card: StoredCard, suspended: bool | None = None, buried_day: str | None = None
    ) -> None:
        step = _Undo(
            [(position, entry) for position, entry in enumerate(self.queue) if entry.card_id == card.id],
            card_id=card.id,
            suspended=card.suspended,
            buried_day=card.buried_day.isoformat() if card.buried_day else None,
        )
        with transaction(self.conn):
            if suspended is not None:
                self.conn.execute("UPDATE cards SET suspended = ? WHERE id = ?", (int(suspended), card.id))
            if buried_day is not None:
                self.conn.execute("UPDATE cards SET buried_day = ? WHERE id = ?", (buried_day, card.id))
        self._undo.append(step)
        for position, _ in reversed(step.removed):
            self._take(position)
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
        else:
            with transaction(self.conn):
                self.conn.execute(
                    "UPDATE cards SET suspended = ?, buried_day = ? WHERE id = ?",
                    (int(bool(step.suspended)), step.buried_day, step.card_id),
                )
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
        self._tally[entry.kind] -= 1
        return entry

    def _put(self, position: int, entry: QueueEntry) -> None:
        self.queue.insert(position, entry)
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
        sql = "SELECT COUNT(*) FROM cards WHERE suspended = 0 AND due_day <= ?"
        params: list[object] = [day.isoformat()]
        if self.deck_id is not None:
            sql += " AND deck_id = ?"
            params.append(self.deck_id)
        due = int(self.conn.execute(sql, params).fetchone()[0])
        return due + new_on_a_fresh_day(self.conn, self.settings, self.deck_id)

    def tomorrow(self, now: datetime) -> date:
        return self.day(now) + timedelta(days=1)
