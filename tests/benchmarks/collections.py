"""Collections of a given size for benchmarks, built through the library and cached between runs.

Cards carry about 100 CJK characters a side and a mark (``Q0000042``) a benchmark can look for on screen.
A share of the cards has a review history (about ``reviews`` answers in all), written through the store's
log exactly as answering would write it, so the log, the due days and the counts are what a heavy user has.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support import TODAY
from trainer.decks.model import Card, Deck
from trainer.scheduler.schedule import Schedule, answer
from trainer.store.cards import get_cards, write_schedule
from trainer.store.db import SCHEMA_VERSION, connect, transaction
from trainer.store.decks import upsert_deck
from trainer.store.reviews import append_entry

DECK = "Big"
TEXT = "梯度下降沿着损失函数的负梯度方向更新参数，学习率决定每一步的步长，过大则发散，过小则收敛缓慢。" * 2
"""About 100 CJK characters."""
CACHE = Path(os.environ.get("TRAINER_BENCH_CACHE", Path.home() / ".cache" / "trainer-bench"))


def mark(position: int) -> str:
    """The text on a card's front that says which card it is."""
    return f"Q{position:07d}"


def _cards(count: int) -> tuple[Card, ...]:
    return tuple(
        Card(id=f"k{n}", front=f"{mark(n)} {TEXT[:96]}", back=f"A{n:07d} {TEXT[4:100]}") for n in range(count)
    )


def _history(path: Path, cards: int, reviews: int) -> None:
    """Answer the last cards of the deck day after day until ``reviews`` answers are logged.

    At most half the cards get a history (ten answers or more each), so the first cards stay new.
    """
    conn = connect(path)
    reviewed = min(cards // 2, reviews // 10)
    per_card = reviews // reviewed if reviewed else 0
    ids = [row[0] for row in conn.execute("SELECT id FROM cards ORDER BY id DESC LIMIT ?", (reviewed,))]
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    for chunk in range(0, len(ids), 5_000):
        with transaction(conn):
            for card in get_cards(conn, ids[chunk : chunk + 5_000]).values():
                schedule, day = Schedule(), start.date()
                for n in range(per_card):
                    entry, after = answer(schedule, 2 if n % 7 == 3 else 4 + n % 2, day)
                    now = datetime.combine(day, start.timetz())
                    append_entry(conn, card.id, entry, schedule, after, now, 4_000)
                    schedule = after
                    day = min(after.due or day + timedelta(days=1), TODAY)
                write_schedule(conn, card, schedule)
    conn.close()


def _older(cards: int, reviews: int) -> Path | None:
    """The newest cached collection of this size built under an older schema, if any."""
    versions = [
        (int(path.name.split("-")[0][1:]), path)
        for path in CACHE.glob(f"v*-{cards}-{reviews}.db")
        if path.name.split("-")[0][1:].isdigit()
    ]
    older = [(version, path) for version, path in versions if version < SCHEMA_VERSION]
    return max(older)[1] if older else None


def collection(folder: Path, cards: int, reviews: int = 0) -> Path:
    """A database at ``folder/trainer.db`` holding one deck of ``cards`` cards and ``reviews`` answers.

    Built once per size and schema version, then copied: a million cards take minutes to build.
    """
    cached = CACHE / f"v{SCHEMA_VERSION}-{cards}-{reviews}.db"
    if not cached.exists() and (older := _older(cards, reviews)) is not None:
        building = cached.with_suffix(".building")
        shutil.copyfile(older, building)
        conn = connect(building)  # migrated: minutes of building saved
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        building.replace(cached)
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)
        conn = connect(building)
        with transaction(conn):
            upsert_deck(conn, Deck(name=DECK, cards=_cards(cards)))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        if reviews:
            _history(building, cards, reviews)
        conn = connect(building)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        building.replace(cached)
    target = folder / "trainer.db"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)
    return target
