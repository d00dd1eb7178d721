"""What every screen needs from outside: the database, the settings, the zone and the clock."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from trainer.clock import Clock
from trainer.config import Settings
from trainer.scheduler.days import review_day
from trainer.session import ReviewSession


@dataclass(frozen=True)
class TuiContext:
    """Passed to screens so that none of them reads the wall clock or opens the database itself."""

    conn: sqlite3.Connection
    settings: Settings
    zone: tzinfo
    clock: Clock

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return review_day(self.clock(), self.zone, self.settings.day_start_hour)

    def session(self, deck_id: int | None) -> ReviewSession:
        return ReviewSession(self.conn, self.settings, self.zone, self.clock(), deck_id)
