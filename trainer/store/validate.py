"""Whether a database someone hands us (``restore``) is exactly a trainer database: schema and values.

Such a file is hostile until proven otherwise: a trigger could delete every later answer or rewrite
card text, a generated column or a view could run any expression, an extra column or index could
change what our queries do, and a non-date day or non-JSON tags would crash the first replay. So its
whole schema must be the one our migrations make at its version (tables, their columns with types,
defaults and keys, indexes; no triggers, no views, nothing else), and every value must be one the
trainer could have written. The schema is read before any row is, and never executed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from trainer.decks.model import MAX_CARD_TEXT, deck_name_problem
from trainer.errors import InputError
from trainer.scheduler.schedule import MAX_COUNT, LogKind
from trainer.scheduler.sm2 import MIN_EASINESS_CENTS
from trainer.store.events import EventKind

TRAINER_TABLES = ("decks", "cards", "reviews")
INT_LIMIT = 2**53
"""Intervals, EF cents and durations stay below this: exact in every JSON reader, and far from
SQLite's 64-bit limit (an interval from before due days were capped may be large, yet it is ours)."""
MAX_EVENT_DETAIL = 32 * MAX_CARD_TEXT
"""The longest event detail: an edit's old and new front and back fit inside it even if every character
is one that JSON escapes as six characters."""
_KINDS = tuple(str(kind) for kind in LogKind)
_EVENT_KINDS = tuple(str(kind) for kind in EventKind)


@dataclass(frozen=True)
class Schema:
    """What ``sqlite_master`` and the table pragmas say, in a form two databases can be compared by."""

    objects: dict[tuple[str, str], str]
    """(type, name) -> its CREATE statement, normalised (quoting and spacing do not matter)."""
    columns: dict[str, tuple[tuple[object, ...], ...]]
    """table -> (name, declared type, not null, default, primary key, hidden) of every column."""


def _normalised(sql: str | None) -> str:
    text = re.sub(r'["`\[\]]', "", sql or "")
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ?([(),]) ?", r"\1", text).strip().lower()


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    return {
        (kind, name): _normalised(sql)
        for kind, name, sql in conn.execute("SELECT type, name, sql FROM main.sqlite_master")
        if not name.startswith("sqlite_autoindex_")
    }


def _columns(conn: sqlite3.Connection, tables: Iterable[str]) -> dict[str, tuple[tuple[object, ...], ...]]:
    return {
        name: tuple(tuple(row)[1:] for row in conn.execute("SELECT * FROM pragma_table_xinfo(?)", (name,)))
        for name in tables
    }


@cache
def expected_schema(version: int) -> Schema:
    """The schema our migrations make at ``version``, built in memory."""
    from trainer.store.db import MIGRATIONS, migrate

    with sqlite3.connect(":memory:", isolation_level=None) as conn:
        migrate(conn, 0, MIGRATIONS[:version])
        objects = _objects(conn)
        return Schema(objects, _columns(conn, [name for kind, name in objects if kind == "table"]))


def check_schema(conn: sqlite3.Connection, version: int, label: str) -> None:
    """Refuse (InputError) a schema that is not exactly ours at ``version``.

    Unknown objects are refused from ``sqlite_master`` alone, before any table is opened (opening a
    virtual table would run its module).
    """
    found, expected = _objects(conn), expected_schema(version)
    for kind, name in sorted(found):
        if kind in ("trigger", "view"):
            raise InputError(label, f"refused: it has a {kind} ({name}); a trainer database has none")
        if (kind, name) not in expected.objects:
            article = "an" if kind == "index" else "a"
            raise InputError(label, f"refused: it has {article} {kind} the trainer did not make ({name})")
    for kind, name in sorted(expected.objects.keys() - found.keys()):
        raise InputError(label, f"refused: its {kind} {name} is missing")
    for table, columns in sorted(_columns(conn, expected.columns).items()):
        generated = [column[0] for column in columns if column[5]]
        if generated:
            raise InputError(label, f"refused: table {table} has a generated column ({generated[0]})")
        have = [f"{column[0]} {column[1]}".strip() for column in columns]
        wanted = [f"{column[0]} {column[1]}".strip() for column in expected.columns[table]]
        if have != wanted:
            extra = [column for column in have if column not in wanted]
            missing = [column for column in wanted if column not in have]
            differences = [f"unexpected {extra[0]}"] if extra else []
            differences += [f"no {missing[0]}"] if missing else []
            what = "; ".join(differences) or "columns in another order"
            raise InputError(label, f"refused: table {table} has other columns than the trainer's ({what})")
    for (kind, name), sql in sorted(found.items()):
        if sql != expected.objects[(kind, name)]:
            raise InputError(label, f"refused: its {kind} {name} is not defined as the trainer defines it")


def _date(column: str) -> str:
    """An ISO day, years 1-9999: through a Julian day and back unchanged (2026-02-30, 20261122 fail)."""
    test = f"typeof({column}) = 'text' AND date(julianday({column})) IS {column} AND {column} >= '0001'"
    return f"({column} IS NULL OR ({test}))"


def _int(column: str, low: int = 0, high: int = INT_LIMIT, null: bool = True) -> str:
    """A whole number from ``low`` to ``high`` (not text, not a float)."""
    test = f"(typeof({column}) = 'integer' AND {column} BETWEEN {low} AND {high})"
    return f"({column} IS NULL OR {test})" if null else test


def _text(column: str, null: bool = False) -> str:
    test = f"(typeof({column}) = 'text' AND instr(CAST({column} AS BLOB), X'00') = 0)"
    return f"({column} IS NULL OR {test})" if null else test


def _tags(column: str) -> str:
    """A JSON array of strings."""
    return (
        f"CASE WHEN {_text(column)} AND json_valid({column}) AND json_type({column}) = 'array'"  # in order
        f" THEN NOT EXISTS (SELECT 1 FROM json_each({column}) WHERE type != 'text') ELSE 0 END"
    )


_MOMENT = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]+00:00"
_VALUES: dict[str, dict[str, str]] = {
    "decks": {
        "name": _text("name"),  # and what a deck name may hold: deck_name_problem
        "description": _text("description", null=True),
        "source": _text("source", null=True),
        # The count the trainer keeps: the deck list shows it as the deck's total.
        "card_count": "card_count IS (SELECT COUNT(*) FROM cards WHERE cards.deck_id = decks.id)",
    },
    "cards": {
        "deck_id": _int("deck_id", null=False),
        "key": f"{_text('key')} AND key != ''",
        "position": _int("position", null=False),
        "front": f"{_text('front')} AND length(front) <= {MAX_CARD_TEXT}",
        "back": f"{_text('back')} AND length(back) <= {MAX_CARD_TEXT}",
        "tags": _tags("tags"),
        "source": _text("source", null=True),
        "repetitions": _int("repetitions", high=MAX_COUNT, null=False),
        "easiness_cents": _int("easiness_cents", MIN_EASINESS_CENTS, null=False),
        "interval": _int("interval", null=False),
        "lapses": _int("lapses", high=MAX_COUNT, null=False),
        "suspended": _int("suspended", 0, 1, null=False),
        **{day: _date(day) for day in ("due_day", "last_day", "drill_day", "buried_day")},
        **{
            side: f"{side} IS NULL OR ({_text(side)} AND length({side}) <= {MAX_CARD_TEXT})"
            for side in ("source_front", "source_back")
        },
        "source_tags": f"source_tags IS NULL OR ({_tags('source_tags')})",
    },
    "reviews": {
        "card_id": _int("card_id", null=False),
        "reviewed_at": f"{_text('reviewed_at')} AND reviewed_at GLOB '{_MOMENT}'"
        " AND julianday(reviewed_at) IS NOT NULL",
        "day": f"{_date('day')} AND day IS NOT NULL",
        "kind": f"kind IN {_KINDS}",
        "quality": (
            "CASE WHEN kind IN ('import', 'forget') THEN quality IS NULL"
            f" ELSE {_int('quality', 0, 5, False)} END"
        ),
        **{
            f"{name}_{when}": _int(f"{name}_{when}", low, high, null=False)
            for name, low, high in (
                ("repetitions", 0, MAX_COUNT),
                ("easiness", MIN_EASINESS_CENTS, INT_LIMIT),
                ("interval", 0, INT_LIMIT),
            )
            for when in ("before", "after")
        },
        "due_after": _date("due_after"),
        "lapses_after": _int("lapses_after", high=MAX_COUNT, null=False),
        "duration_ms": _int("duration_ms"),
    },
    "note_files": {
        "path": f"{_text('path')} AND path != ''",
        "root": f"{_text('root')} AND root != ''",
        "deck": _text("deck", null=True),  # and what a deck name may hold: deck_name_problem
        "size": _int("size"),
        "mtime_ns": _int("mtime_ns", high=2**63 - 1),
        "sha256": "(sha256 IS NULL OR (typeof(sha256) = 'text' AND length(sha256) = 64"
        " AND sha256 NOT GLOB '*[^0-9a-f]*'))",
        "synced_at": _text("synced_at", null=True),
    },
    "card_events": {
        "card_id": _int("card_id", null=False),
        "at": f"{_text('at')} AND at GLOB '{_MOMENT}' AND julianday(at) IS NOT NULL",
        "day": _date("day"),
        "kind": f"kind IN {_EVENT_KINDS}",
        "detail": (
            f"{_text('detail')} AND length(detail) <= {MAX_EVENT_DETAIL}"
            " AND json_valid(detail) AND json_type(detail) = 'object'"
        ),
    },
    "sqlite_sequence": {
        "name": "name IN ('reviews', 'card_events')",
        "seq": _int("seq", null=False),
    },
}
"""table -> column -> an SQL condition every row's value meets (a trainer could have written it)."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_values(conn: sqlite3.Connection, label: str) -> None:
    """Refuse (InputError) the first value the trainer could not have written, and dangling references."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, all_rules in _VALUES.items():
        if table not in tables:
            continue
        held_columns = {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))}
        rules = {column: rule for column, rule in all_rules.items() if column in held_columns}  # older ones
        held = [f"coalesce(({rule}), 0)" for rule in rules.values()]  # NULL is a failure too
        bad = conn.execute(
            f"SELECT rowid, {', '.join(rules)}, {', '.join(f'NOT {test}' for test in held)}"
            f" FROM {table} WHERE NOT ({' AND '.join(held)}) LIMIT 1"
        ).fetchone()
        if bad is not None:
            names = list(rules)
            column = next(name for name, failed in zip(names, bad[1 + len(names) :], strict=True) if failed)
            value = bad[1 + names.index(column)]
            where = f"table {table}, row {bad[0]}"
            raise InputError(label, f"refused: {where}: {column} cannot be {_shown(value)}")
    for table, column in (("decks", "name"), ("note_files", "deck")):
        if table not in tables:
            continue
        for row, name in conn.execute(f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL"):
            if problem := deck_name_problem(name):
                raise InputError(label, f"refused: table {table}, row {row}: {problem}")
    dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
    if dangling is not None:
        table, row, parent = dangling[0], dangling[1], dangling[2]
        raise InputError(label, f"refused: table {table}, row {row} refers to a missing {parent} row")
