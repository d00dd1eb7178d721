"""What tests share: the pinned time and zone, a movable clock, decks, histories and the CLI runner.

Plain helpers live here and fixtures in ``tests/conftest.py``; no test module imports another. State
is built through the library (``upsert_deck``, ``answer_card``, ``Collection.suspend``), never with SQL
behind its back, so a test sees only what a user could have made.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from trainer.cli import cli
from trainer.clock import parse_now, resolve_zone
from trainer.collection import Collection
from trainer.config import Settings
from trainer.decks.model import Card, Deck
from trainer.scheduler.days import review_day
from trainer.store.backup import database_path
from trainer.store.db import transaction
from trainer.store.decks import find_deck_id, upsert_deck
from trainer.store.reviews import Answered, answer_card

REPO = Path(__file__).resolve().parents[1]
"""The project's checkout."""
SEEDS = REPO.parent / "shared" / "seeds"
"""The study notes the bundled decks are built from (beside the checkout; absent in an sdist)."""

NOW = "2026-11-22T10:00:00+01:00"
"""The pinned instant every test runs at, as ``--now`` takes it (a Sunday, 10:00 in Berlin)."""
ZONE_NAME = "Europe/Berlin"
"""The zone every test runs in, as ``TRAINER_TZ`` names it for the CLI."""
ZONE = resolve_zone(ZONE_NAME)
NOW_AT = parse_now(NOW, ZONE)
"""``NOW`` as an aware datetime."""
TODAY = date(2026, 11, 22)
"""The review day ``NOW`` falls in."""
DAY_START_HOUR = 4
"""The default hour a review day begins."""


class Clock:
    """A pinned clock; a test moves it by setting ``now``."""

    def __init__(self, now: str = NOW) -> None:
        self.now = parse_now(now, ZONE)

    def __call__(self) -> datetime:
        return self.now


def sample_deck(name: str = "Sample", size: int = 5) -> Deck:
    """A small deck with predictable ids k0..kN, fronts 'front N' and backs 'back N'."""
    cards = tuple(
        Card(id=f"k{n}", front=f"front {n}", back=f"back {n}", tags=("t",), source=f"notes.md:{n + 1}")
        for n in range(size)
    )
    return Deck(name=name, cards=cards, description="test deck", source="notes.md")


def deck_of(name: str, cards: Iterable[tuple[str, str]], tags: tuple[str, ...] = ()) -> Deck:
    """A deck of (front, back) cards with ids c0..cN."""
    return Deck(
        name=name,
        cards=tuple(
            Card(id=f"c{n}", front=front, back=back, tags=tags, source=f"{name}.md:{n + 1}")
            for n, (front, back) in enumerate(cards)
        ),
    )


def store_deck(conn: sqlite3.Connection, deck: Deck) -> int:
    """Store (or update) ``deck`` as an import would; returns its id."""
    with transaction(conn):
        upsert_deck(conn, deck)
    return find_deck_id(conn, deck.name)


def add_deck(
    conn: sqlite3.Connection, name: str, cards: Iterable[tuple[str, str]], tags: tuple[str, ...] = ()
) -> int:
    """Store a deck of (front, back) cards; returns its id."""
    return store_deck(conn, deck_of(name, cards, tags))


def answer(
    conn: sqlite3.Connection,
    card_id: int,
    quality: int,
    local_time: str | datetime = NOW,
    duration_ms: int | None = None,
) -> Answered:
    """Answer a card at ``local_time`` (ISO, local time in ``ZONE`` unless it has an offset) on the
    review day it falls in, as the CLI and the TUI do."""
    now = parse_now(local_time, ZONE) if isinstance(local_time, str) else local_time
    return answer_card(conn, card_id, quality, now, review_day(now, ZONE, DAY_START_HOUR), duration_ms)


def answer_daily(conn: sqlite3.Connection, card_id: int, grades: Iterable[int], first_day: date) -> None:
    """Answer a card once a day at 10:00, ``first_day`` onwards, one grade a day."""
    for offset, quality in enumerate(grades):
        day = first_day + timedelta(days=offset)
        answer(conn, card_id, quality, f"{day.isoformat()}T10:00")


def lapsed_until_due(conn: sqlite3.Connection, card_id: int, lapses: int, due: date) -> None:
    """Learn a card, fail it ``lapses`` times on as many days, then pass it twice so that it is due on
    ``due`` with 2 repetitions, a 6-day interval and ``lapses`` lapses."""
    grades = [5] + [1] * lapses + [5, 5]
    answer_daily(conn, card_id, grades, due - timedelta(days=6 + len(grades) - 1))


def collection(conn: sqlite3.Connection, clock: Clock | None = None, **settings: Any) -> Collection:
    """The library over an open database, at ``clock`` (``NOW`` by default), in ``ZONE``."""
    return Collection(conn, database_path(conn), Settings(**settings), ZONE, clock or Clock())


def deck_cards(conn: sqlite3.Connection, deck: str) -> list[tuple[str, str, str, list[str]]]:
    """The deck's cards in order as stored: (key, front, back, tags), the ``leech`` tag included."""
    rows = conn.execute(
        "SELECT key, front, back, tags FROM cards JOIN decks ON decks.id = cards.deck_id"
        " WHERE decks.name = ? ORDER BY position",
        (deck,),
    )
    return [(row[0], row[1], row[2], json.loads(row[3])) for row in rows]


def suspend(conn: sqlite3.Connection, *card_ids: int) -> None:
    """Suspend cards at ``NOW`` as ``trainer suspend`` does."""
    collection(conn).curation.suspend(list(card_ids))


STATS_LOG: list[tuple[int, int, str]] = [
    # card 3 (Sample k2): mature, then a mature review passed in the period.
    (3, 5, "2026-08-01T10:00"), (3, 5, "2026-08-02T10:00"), (3, 5, "2026-08-08T10:00"),
    (3, 5, "2026-08-25T10:00"), (3, 4, "2026-10-30T10:00"),
    # card 2 (Sample k1): mature, fails a mature review, drilled, then passes a young one.
    (2, 5, "2026-09-01T10:00"), (2, 5, "2026-09-02T10:00"), (2, 5, "2026-09-08T10:00"),
    (2, 5, "2026-09-25T10:00"), (2, 2, "2026-11-12T10:00"), (2, 4, "2026-11-12T10:05"),
    (2, 3, "2026-11-13T10:00"),
    # card 1 (Sample k0): learned in the period, then lapses.
    (1, 5, "2026-11-01T10:00"), (1, 5, "2026-11-02T10:00"), (1, 5, "2026-11-08T10:00"),
    (1, 2, "2026-11-20T10:00"),
    # card 4 (Sample k3): seen once, then suspended (below).
    (4, 4, "2026-11-21T10:00"),
    # cards 6 and 7 (deck Other): one young, one seen today.
    (6, 5, "2026-11-19T10:00"), (6, 5, "2026-11-20T10:00"),
    (7, 5, "2026-11-22T09:00"),
]  # fmt: skip
"""The stats tests' history: (card id, grade, local time), worked out by hand in ``test_stats.py``."""


def build_log(conn: sqlite3.Connection) -> None:
    """The Sample deck (cards 1-5) is already there; add deck Other (cards 6-7), answer ``STATS_LOG``
    (each answer taking 1 s plus the card id in ms) and suspend card 4."""
    store_deck(conn, sample_deck("Other", 2))
    for card_id, quality, local_time in STATS_LOG:
        answer(conn, card_id, quality, local_time, duration_ms=1_000 + card_id)
    suspend(conn, 4)


def invoke(
    db_path: Path,
    *args: str,
    now: str | None = NOW,
    input: str | None = None,
    env: Mapping[str, str | None] | None = None,
) -> Result:
    """Run ``trainer --db DB [--now NOW] ARGS`` through click's runner (``now=None``: no ``--now``)."""
    pinned = ["--now", now] if now is not None else []
    return CliRunner().invoke(cli, ["--db", str(db_path), *pinned, *args], input=input, env=env)


class Runner:
    """``run("due", "--json")``: the CLI on one database at the pinned time."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def __call__(
        self,
        *args: str,
        now: str | None = NOW,
        input: str | None = None,
        env: Mapping[str, str | None] | None = None,
    ) -> Result:
        return invoke(self.db_path, *args, now=now, input=input, env=env)


def showing(*texts: str) -> Callable[[str], bool]:
    """A ``Terminal.wait_for`` condition: every one of ``texts`` is on the screen."""
    return lambda screen: all(text in screen for text in texts)


def trainer_env(db: Path, home: Path) -> dict[str, str]:
    """The environment of a real ``trainer`` process: its database and config, ``NOW``, ``ZONE``, a colour
    terminal."""
    return {
        "TRAINER_DB": str(db),
        "TRAINER_CONFIG": str(home / "config.toml"),
        "TRAINER_NOW": NOW,
        "TRAINER_TZ": ZONE_NAME,
        "TERM": "xterm-256color",
    }


DROPOUT = "训练时随机丢弃一部分神经元的输出，防止过拟合。"
ATTENTION = "让模型按相关程度给输入的各部分加权。"
EMBEDDING = "把离散的词映射成稠密向量。"
"""Backs of AI-glossary cards, for notes that a test writes and edits."""


def note(*terms: tuple[str, str], title: str = "AI 术语") -> str:
    """A notes file: a title and a list of ``- **term**: definition`` entries."""
    return f"# {title}\n\n" + "".join(f"- **{term}**: {back}\n" for term, back in terms)


def write(path: Path, text: str) -> Path:
    """Write ``text`` and move the mtime on, as an editor saving a second later would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = path.stat().st_mtime_ns + 1_000_000_000 if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if stamp is not None:
        os.utime(path, ns=(stamp, stamp))
    return path


ORDINARY = [
    Card("amp", "Q&amp;A", "&amp; is how HTML writes &", ("html",)),
    Card("bold", "<b>bold</b> in a sentence", "the tag is text here", ("deep learning", "NLP, CV")),
    Card("sound", "listen [sound:hola.mp3]", "hello", ()),
    Card("breaks", "two\n\nparagraphs", "line one\nline two\n", ()),
    Card("padding", "  indented", "trailing   ", ("t",)),
    Card("#x:y", "#separator:Tab", 'quotes "inside", commas, and\ttabs', ()),
    Card(" spaced id ", "<br>", "中文 <img src=x.png>", ('"quoted" tag',)),
]
"""Cards a user may write in YAML; exporting them to CSV once changed five of them on import."""
