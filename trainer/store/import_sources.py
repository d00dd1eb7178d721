"""Which files were imported unchanged into which decks, by content hash: importing the same file
again finds its hash here and skips reading it.

A record says "this file, read with these options, gave these decks, and nothing has changed them
since". Any import that changes a deck forgets every record of that deck, so a record never outlives
the state it vouches for (another file imported into the same deck changes it, and the first file
is then read again).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from trainer.store.db import read_only_uri
from trainer.store.decks import DeckChanges

CHUNK = 1 << 20


def file_digest(path: Path, options: str) -> str | None:
    """SHA-256 of the options and the file's bytes; None for what cannot be read twice (a pipe)."""
    if not path.is_file():
        return None
    digest = hashlib.sha256(options.encode())
    digest.update(b"\0")
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def source_name(path: Path) -> str:
    return str(path.resolve())


def unchanged_decks(db_path: Path, files: dict[Path, str]) -> dict[Path, list[DeckChanges]]:
    """For each of ``files`` (path -> digest) that last had its digest and whose decks are still as it
    left them, each holding just its cards: what importing it again would report.

    Read on a read-only connection of its own before the import opens the database, so a file that
    then fails to parse leaves no trace (not even the day's first backup). A database without the
    records (none yet, or not yet migrated) knows no file.
    """
    if not files or not db_path.is_file():
        return {}
    found: dict[Path, list[DeckChanges]] = {}
    try:
        conn = sqlite3.connect(read_only_uri(db_path), uri=True)
    except sqlite3.Error:
        return {}
    try:
        for path, digest in files.items():
            rows = conn.execute(
                "SELECT decks.name, import_sources.cards,"
                " (SELECT COUNT(*) FROM cards WHERE deck_id = decks.id)"
                " FROM import_sources JOIN decks ON decks.id = import_sources.deck_id"
                " WHERE import_sources.source = ? AND import_sources.digest = ?"
                " ORDER BY import_sources.rowid",
                (source_name(path), digest),
            ).fetchall()
            if rows and all(cards == held for _, cards, held in rows):
                found[path] = [DeckChanges(name, unchanged=cards) for name, cards, _ in rows]
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    return found


def forget_decks(conn: sqlite3.Connection, deck_ids: Iterable[int]) -> None:
    """The decks changed: no file vouches for them any more. Inside the caller's transaction."""
    conn.executemany("DELETE FROM import_sources WHERE deck_id = ?", [(deck,) for deck in deck_ids])


def remember(conn: sqlite3.Connection, path: Path, digest: str, decks: Iterable[tuple[int, int]]) -> None:
    """``path`` with ``digest`` gave exactly these (deck id, cards). Inside the caller's transaction."""
    source = source_name(path)
    conn.execute("DELETE FROM import_sources WHERE source = ?", (source,))
    conn.executemany(
        "INSERT INTO import_sources (source, deck_id, digest, cards) VALUES (?, ?, ?, ?)",
        [(source, deck, digest, cards) for deck, cards in decks],
    )
