"""Anki packages (``.apkg``, ``.colpkg``): the collection inside is read with sqlite3, read-only.

The package is untrusted: entry names with ``..`` or absolute paths are refused, the collection is
copied to a temporary directory under a fixed name with a cap on the bytes actually decompressed, and
anything that is not an SQLite collection with Anki's tables is a one-line error. Media are skipped.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

from trainer.decks.importers.anki_template import cloze_numbers, render
from trainer.decks.importers.html_text import html_to_text
from trainer.decks.importers.model import ImportedDeck, ImportedReview, ImportOptions, Progress
from trainer.decks.model import Card, Deck
from trainer.decks.textfile import MAX_LINE_CHARS
from trainer.errors import InputError
from trainer.scheduler.days import MAX_INTERVAL_DAYS
from trainer.scheduler.schedule import Schedule, answer
from trainer.scheduler.sm2 import MIN_EASINESS_CENTS, START_EASINESS_CENTS, Sm2State

MAX_COLLECTION_BYTES = 1024 * 1024 * 1024
"""A collection that decompresses to more than this is refused (a zip bomb, or not a flashcard deck)."""
_CHUNK = 1024 * 1024
_SQLITE_MAGIC = b"SQLite format 3\x00"
_LEGACY = ("collection.anki21", "collection.anki2")
_ZSTD = "collection.anki21b"
_REQUIRED_TABLES = {"col", "notes", "cards"}
ANKI_EASE_QUALITY = {1: 1, 2: 3, 3: 4, 4: 5}
"""Anki's again/hard/good/easy as SM-2 qualities: the same mapping as our simple grading."""
_CLOZE_MODEL = 1


def _check_names(package: zipfile.ZipFile, label: str) -> None:
    for name in package.namelist():
        posix, windows = PurePosixPath(name), PureWindowsPath(name)
        if posix.is_absolute() or windows.is_absolute() or windows.drive or ".." in windows.parts:
            raise InputError(label, f"refusing unsafe path in package: {name!r}")


def _too_big(label: str) -> InputError:
    return InputError(
        label, f"collection is larger than {MAX_COLLECTION_BYTES // 2**20} MiB uncompressed; refused"
    )


def _copy_capped(source: IO[bytes], target: Path, label: str) -> None:
    """Copy, counting the bytes really produced (a zip header can lie about the size)."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > MAX_COLLECTION_BYTES:
                raise _too_big(label)
            out.write(chunk)


def _extract_collection(package: zipfile.ZipFile, folder: Path, label: str) -> Path:
    names = set(package.namelist())
    target = folder / "collection.sqlite"
    legacy = next((name for name in _LEGACY if name in names), None)
    if _ZSTD in names:
        try:
            import zstandard  # type: ignore[import-not-found]
        except ImportError:
            raise InputError(
                label,
                "package uses Anki's new compressed format; export it again from Anki with "
                "'Support older Anki versions' (legacy format) ticked",
            ) from None
        with package.open(_ZSTD) as raw, zstandard.ZstdDecompressor().stream_reader(raw) as source:
            _copy_capped(source, target, label)
    elif legacy is not None:
        if package.getinfo(legacy).file_size > MAX_COLLECTION_BYTES:  # refused before writing a byte
            raise _too_big(label)
        with package.open(legacy) as source:
            _copy_capped(source, target, label)
    else:
        raise InputError(label, "not an Anki package: no collection.anki2 or collection.anki21 inside")
    with target.open("rb") as check:
        if check.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
            raise InputError(label, "the collection inside the package is not an SQLite database")
    return target


@contextmanager
def open_collection(path: Path) -> Iterator[tuple[sqlite3.Connection, int]]:
    """The package's collection, opened read-only from a temporary copy, and its media file count."""
    label = str(path)
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError(label, f"not an Anki package ({error})") from None
    with package, tempfile.TemporaryDirectory(prefix="trainer-apkg-") as folder:
        _check_names(package, label)
        media = sum(1 for name in package.namelist() if name.isdigit())
        try:
            collection = _extract_collection(package, Path(folder), label)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:  # zlib: a damaged stream
            raise InputError(label, f"damaged package ({error})") from None
        conn = sqlite3.connect(f"{collection.as_uri()}?mode=ro&immutable=1", uri=True)
        with closing(conn):
            conn.row_factory = sqlite3.Row
            yield conn, media


@dataclass(frozen=True)
class _Model:
    """A note type: its field names and card templates (qfmt, afmt) by ordinal."""

    cloze: bool
    fields: tuple[str, ...]
    templates: dict[int, tuple[str, str]]


def _models(raw: str) -> dict[int, _Model]:
    models = {}
    for mid, model in json.loads(raw).items():
        fields = tuple(f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"]))
        templates = {t["ord"]: (t["qfmt"], t["afmt"]) for t in model["tmpls"]}
        models[int(mid)] = _Model(model.get("type") == _CLOZE_MODEL, fields, templates)
    return models


def _day_number(crt_day: date, days: int) -> date:
    return crt_day + timedelta(days=max(-MAX_INTERVAL_DAYS, min(days, MAX_INTERVAL_DAYS)))


def _progress(
    card: sqlite3.Row, crt_day: date, reviews: list[ImportedReview], options: ImportOptions
) -> Progress:
    """Anki's state for a studied card as an SM-2 schedule; replay of its history gives repetitions."""
    due = card["due"]
    due_day = options.day_of(datetime.fromtimestamp(due, UTC)) if due > 1e9 else _day_number(crt_day, due)
    history = Schedule()
    for review in reviews:
        history = answer(history, review.quality, review.day)[1]
    repetitions = 0
    if card["type"] == 2:  # a review card has been recalled at least once since its last lapse
        repetitions = max(1, history.state.repetitions if reviews else card["reps"] - card["lapses"])
    easiness = max(MIN_EASINESS_CENTS, round(card["factor"] / 10)) if card["factor"] else START_EASINESS_CENTS
    interval = max(1, min(card["ivl"], MAX_INTERVAL_DAYS))
    schedule = Schedule(Sm2State(repetitions, easiness, interval), due=due_day, lapses=max(0, card["lapses"]))
    return Progress(schedule, tuple(reviews))


def _reviews(conn: sqlite3.Connection, options: ImportOptions) -> dict[int, list[ImportedReview]]:
    """Graded answers by card id, oldest first (manual reschedules have no grade and are left out)."""
    found: dict[int, list[ImportedReview]] = defaultdict(list)
    for row in conn.execute("SELECT id, cid, ease, time FROM revlog ORDER BY cid, id"):
        quality = ANKI_EASE_QUALITY.get(row["ease"])
        if quality is None:
            continue
        at = datetime.fromtimestamp(row["id"] / 1000, UTC)
        duration = row["time"] if isinstance(row["time"], int) and row["time"] >= 0 else None
        found[row["cid"]].append(ImportedReview(at, options.day_of(at), quality, duration))
    return found


def _render_card(model: _Model, fields: Mapping[str, str], ordinal: int) -> tuple[str, str] | None:
    """Front and back of one card as plain text, or None where Anki would show an empty card."""
    cloze = ordinal + 1 if model.cloze else None
    template = model.templates.get(0 if model.cloze else ordinal)
    if template is None:
        return None
    if cloze is not None and not any(cloze in cloze_numbers(value) for value in fields.values()):
        return None
    front = html_to_text(render(template[0], fields, cloze, answer_side=False))[0]
    back = html_to_text(render(template[1], fields, cloze, answer_side=True))[0]
    return (front, back) if front and back else None


def _read(conn: sqlite3.Connection, path: Path, media: int, options: ImportOptions) -> list[ImportedDeck]:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if missing := _REQUIRED_TABLES - tables:
        raise InputError(str(path), f"not an Anki collection: no {', '.join(sorted(missing))} table")
    crt, models_json, decks_json = conn.execute("SELECT crt, models, decks FROM col").fetchone()
    if not models_json or not decks_json:
        raise InputError(str(path), "collection schema not supported; export from Anki in legacy format")
    models = _models(models_json)
    deck_names = {int(did): deck["name"] for did, deck in json.loads(decks_json).items()}
    crt_day = options.day_of(datetime.fromtimestamp(crt, UTC))
    history = _reviews(conn, options) if options.with_progress and "revlog" in tables else {}
    cards: dict[str, list[Card]] = defaultdict(list)
    progress: dict[str, dict[str, Progress]] = defaultdict(dict)
    skipped: list[str] = []
    rows = conn.execute(
        "SELECT cards.id, cards.ord, cards.did, cards.odid, cards.type, cards.due, cards.ivl, cards.factor,"
        " cards.reps, cards.lapses, notes.guid, notes.mid, notes.flds, notes.tags"
        " FROM cards JOIN notes ON notes.id = cards.nid ORDER BY notes.id, cards.ord"
    )
    for row in rows:
        if len(row["flds"]) > MAX_LINE_CHARS:
            raise InputError(
                str(path), f"a note is longer than {MAX_LINE_CHARS:,} characters (card {row['id']})"
            )
        model = models.get(row["mid"])
        if model is None:
            skipped.append(f"card {row['id']}: unknown note type {row['mid']}")
            continue
        fields = dict(zip(model.fields, row["flds"].split("\x1f"), strict=False))
        rendered = _render_card(model, fields, row["ord"])
        if rendered is None:
            skipped.append(f"card {row['id']}: empty front or back")
            continue
        front, back = rendered
        deck = options.deck_name or deck_names.get(row["odid"] or row["did"], "Default")
        key = f"{row['guid']}/{row['ord']}"
        cards[deck].append(
            Card(key, front, back, tuple(row["tags"].split()), f"{path.name}:card {row['id']}")
        )
        if options.with_progress and row["type"] != 0:
            progress[deck][key] = _progress(row, crt_day, history.get(row["id"], []), options)
    if not cards:
        raise InputError(str(path), "no cards found in the collection")
    decks = [
        ImportedDeck(Deck(name, tuple(deck_cards), source=path.name), progress=progress[name])
        for name, deck_cards in cards.items()
    ]
    # What the package as a whole left out is reported once, with its first deck.
    decks[0] = replace(decks[0], media_skipped=media, skipped=tuple(skipped))
    return decks


def load_package(path: Path, options: ImportOptions) -> list[ImportedDeck]:
    """Every deck in an Anki package, one per Anki deck (or all in ``options.deck_name``)."""
    with open_collection(path) as (conn, media):
        try:
            return _read(conn, path, media, options)
        # Deep JSON recurses; a time far outside the calendar overflows or fails in the C library.
        except (
            sqlite3.DatabaseError, KeyError, TypeError, ValueError, AttributeError, RecursionError,
            OverflowError, OSError,
        ) as error:  # fmt: skip
            raise InputError(str(path), f"not a readable Anki collection ({error})") from None
