"""Anki packages (``.apkg``, ``.colpkg``): the collection inside is read with sqlite3, read-only.

The package is untrusted: entry names with ``..`` or absolute paths, encrypted entries and unknown
compression methods are refused, the collection is copied to a temporary directory under a fixed name
with a cap on the bytes actually decompressed, and its SQL is hostile too: before a row is read its
schema must be Anki's tables with the columns we read, with no views, triggers, virtual tables or
generated columns (a generated column can compute gigabytes from a 4 KiB file), and no value may
exceed a size cap. Anything else is a one-line error. Media are skipped and counted.
"""

from __future__ import annotations

import json
import lzma
import sqlite3
import tempfile
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

from trainer.decks.importers.anki_template import cloze_numbers, render
from trainer.decks.importers.html_text import html_to_text
from trainer.decks.importers.model import CarriedProgress, ImportedDeck, ImportedReview, ImportOptions
from trainer.decks.model import Card, Deck, clean_deck_name
from trainer.decks.textfile import MAX_LINE_CHARS
from trainer.errors import InputError
from trainer.scheduler.days import MAX_INTERVAL_DAYS, shifted
from trainer.scheduler.grades import four_button_quality
from trainer.scheduler.schedule import Schedule, answer
from trainer.scheduler.sm2 import MIN_EASINESS_CENTS, START_EASINESS_CENTS, Sm2State

MAX_COLLECTION_BYTES = 1024 * 1024 * 1024
"""A collection that decompresses to more than this is refused (a zip bomb, or not a flashcard deck)."""
_CHUNK = 1024 * 1024
_SQLITE_MAGIC = b"SQLite format 3\x00"
_LEGACY = ("collection.anki21", "collection.anki2")
_ZSTD = "collection.anki21b"
_COLUMNS_READ = {
    "col": {"crt", "models", "decks"},
    "notes": {"id", "guid", "mid", "flds", "tags"},
    "cards": {"id", "nid", "ord", "did", "odid", "type", "due", "ivl", "factor", "reps", "lapses"},
    "revlog": {"id", "cid", "ease", "time"},
}
"""The tables and columns the importer reads; all but revlog must be there."""
MAX_VALUE_BYTES = 16 * 1024 * 1024
"""SQLite's length limit while the collection is open: a larger value (a note type's JSON is the
largest real one, megabytes at most) is an error, not an allocation."""
_ENCRYPTED = 0x1
_MAX_MEDIA_INDEX = 16 * 1024 * 1024
_READABLE_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_LATEST_TIMESTAMP = int(datetime(9000, 1, 1, tzinfo=UTC).timestamp())
"""A due time beyond it is clamped, so the calendar never overflows (the store caps it further)."""
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


def _check_entry(info: zipfile.ZipInfo, label: str) -> None:
    """Refuse what zipfile would fail on with a traceback: encryption, an unknown compression method."""
    if info.flag_bits & _ENCRYPTED:
        raise InputError(label, f"the package entry {info.filename!r} is encrypted; Anki never encrypts")
    if info.compress_type not in _READABLE_COMPRESSION:
        raise InputError(
            label,
            f"the package entry {info.filename!r} uses compression method {info.compress_type},"
            " which Anki does not write",
        )


def _extract_collection(package: zipfile.ZipFile, folder: Path, label: str) -> Path:
    names = set(package.namelist())
    target = folder / "collection.sqlite"
    legacy = next((name for name in _LEGACY if name in names), None)
    for name in (_ZSTD, legacy):
        if name in names:
            _check_entry(package.getinfo(name), label)
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
def open_collection(
    path: Path, source: IO[bytes] | None = None
) -> Iterator[tuple[sqlite3.Connection, set[str]]]:
    """The package's collection (read from ``source``, else from ``path``), opened read-only from a
    temporary copy, with SQLite's value length capped; and the names of the media files it holds."""
    label = str(path)
    try:
        package = zipfile.ZipFile(source if source is not None else path)
    # NotImplementedError: an entry claims a zip version zipfile cannot read (found by fuzzing)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise InputError(label, f"not an Anki package ({error})") from None
    with package, tempfile.TemporaryDirectory(prefix="trainer-apkg-") as folder:
        _check_names(package, label)
        media = _media_names(package)
        try:
            collection = _extract_collection(package, Path(folder), label)
        # zlib, lzma: a damaged stream; NotImplementedError, RuntimeError: what zipfile cannot read
        except (
            zipfile.BadZipFile, OSError, EOFError, zlib.error, lzma.LZMAError, NotImplementedError,
            RuntimeError, ValueError,
        ) as error:  # fmt: skip
            raise InputError(label, f"damaged package ({error})") from None
        conn = sqlite3.connect(f"{collection.as_uri()}?mode=ro&immutable=1", uri=True)
        with closing(conn):
            conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            conn.row_factory = sqlite3.Row
            yield conn, media


def _media_names(package: zipfile.ZipFile) -> set[str]:
    """The media files in the package, by the names its ``media`` index gives the numbered entries."""
    numbered = {name for name in package.namelist() if name.isdigit()}
    try:
        info = package.getinfo("media")
        index = json.loads(package.read(info)) if info.file_size <= _MAX_MEDIA_INDEX else {}
    except (
        KeyError,
        ValueError,
        RecursionError,
        zipfile.BadZipFile,
        OSError,
        NotImplementedError,
        RuntimeError,
    ):
        index = {}  # no index, or a damaged one: count the numbered entries
    if not isinstance(index, dict):
        index = {}
    return {str(index.get(name, name)) for name in numbered}


def _check_schema(conn: sqlite3.Connection, label: str) -> set[str]:
    """The collection's tables, once its schema is proven to be plain tables with the columns we read.

    Read-only and immutable, a view can still run an endless query and a generated column can compute
    a gigabyte per row; Anki's collections have neither, nor triggers or virtual tables.
    """
    trigger = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchone()
    if trigger is not None:
        raise InputError(
            label, f"the collection has a trigger ({trigger[0]!r}), which Anki never makes; refused"
        )
    tables = set()
    for name, kind in conn.execute("SELECT name, type FROM pragma_table_list WHERE schema = 'main'"):
        if kind in ("view", "virtual"):
            what = "view" if kind == "view" else "virtual table"
            raise InputError(
                label, f"the collection has a {what} ({name!r}), which Anki never makes; refused"
            )
        tables.add(name)
    if missing := {"col", "notes", "cards"} - tables:
        raise InputError(label, f"not an Anki collection: no {', '.join(sorted(missing))} table")
    for table in sorted(tables):
        columns = {
            row[0]: row[1] for row in conn.execute("SELECT name, hidden FROM pragma_table_xinfo(?)", (table,))
        }
        if generated := sorted(name for name, hidden in columns.items() if hidden in (2, 3)):
            raise InputError(
                label, f"the collection's {table} table has a generated column ({generated[0]!r}); refused"
            )
        if missing_columns := sorted(_COLUMNS_READ.get(table, set()) - columns.keys()):
            raise InputError(
                label, f"not an Anki collection: its {table} table has no {missing_columns[0]} column"
            )
    return tables


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
    return shifted(crt_day, max(-MAX_INTERVAL_DAYS, min(days, MAX_INTERVAL_DAYS)))


def _progress(
    card: sqlite3.Row, crt_day: date, reviews: list[ImportedReview], options: ImportOptions
) -> CarriedProgress:
    """Anki's state for a studied card as an SM-2 schedule; replay of its history gives repetitions."""
    due = card["due"]
    if due > 1e9:  # a learning card's due time, in seconds
        due_day = options.day_of(datetime.fromtimestamp(min(due, _LATEST_TIMESTAMP), UTC))
    else:
        due_day = _day_number(crt_day, due)
    history = Schedule()
    for review in reviews:
        history = answer(history, review.quality, review.day)[1]
    repetitions = 0
    if card["type"] == 2:  # a review card has been recalled at least once since its last lapse
        repetitions = max(1, history.state.repetitions if reviews else card["reps"] - card["lapses"])
    easiness = max(MIN_EASINESS_CENTS, round(card["factor"] / 10)) if card["factor"] else START_EASINESS_CENTS
    interval = max(1, min(card["ivl"], MAX_INTERVAL_DAYS))
    schedule = Schedule(Sm2State(repetitions, easiness, interval), due=due_day, lapses=max(0, card["lapses"]))
    return CarriedProgress(schedule, tuple(reviews))


def _reviews(conn: sqlite3.Connection, options: ImportOptions) -> dict[int, list[ImportedReview]]:
    """Graded answers by card id, oldest first (manual reschedules have no grade and are left out)."""
    found: dict[int, list[ImportedReview]] = defaultdict(list)
    for row in conn.execute("SELECT id, cid, ease, time FROM revlog ORDER BY cid, id"):
        quality = four_button_quality(row["ease"])  # again / hard / good / easy
        if quality is None:
            continue
        at = datetime.fromtimestamp(row["id"] / 1000, UTC)
        duration = row["time"] if isinstance(row["time"], int) and row["time"] >= 0 else None
        found[row["cid"]].append(ImportedReview(at, options.day_of(at), quality, duration))
    return found


def _render_card(
    model: _Model, fields: Mapping[str, str], ordinal: int, media: set[str]
) -> tuple[str, str] | None:
    """Front and back of one card as plain text, or None where Anki would show an empty card.

    The media the card shows (sounds, images) are added to ``media``: they are not imported.
    """
    cloze = ordinal + 1 if model.cloze else None
    template = model.templates.get(0 if model.cloze else ordinal)
    if template is None:
        return None
    if cloze is not None and not any(cloze in cloze_numbers(value) for value in fields.values()):
        return None
    front, front_media = html_to_text(render(template[0], fields, cloze, answer_side=False))
    back, back_media = html_to_text(render(template[1], fields, cloze, answer_side=True))
    if not (front and back):
        return None
    media.update(front_media, back_media)
    return front, back


def _read(
    conn: sqlite3.Connection, path: Path, media: set[str], options: ImportOptions
) -> list[ImportedDeck]:
    """The package's decks; ``media`` (the package's media files) gains those the cards refer to."""
    tables = _check_schema(conn, str(path))
    crt, models_json, decks_json = conn.execute("SELECT crt, models, decks FROM col").fetchone()
    if not models_json or not decks_json:
        raise InputError(str(path), "collection schema not supported; export from Anki in legacy format")
    models = _models(models_json)
    deck_names = {
        int(did): clean_deck_name(str(deck["name"])) for did, deck in json.loads(decks_json).items()
    }
    crt_day = options.day_of(datetime.fromtimestamp(crt, UTC))
    history = _reviews(conn, options) if options.with_progress and "revlog" in tables else {}
    cards: dict[str, list[Card]] = defaultdict(list)
    progress: dict[str, dict[str, CarriedProgress]] = defaultdict(dict)
    skipped: list[str] = []
    first_of: dict[str, int] = {}
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
        key = f"{row['guid']}/{row['ord']}"
        if key in first_of:  # Anki never makes two (the note's guid is unique, one card per template)
            skipped.append(f"card {row['id']}: the same note and template as card {first_of[key]}")
            continue
        first_of[key] = row["id"]
        model = models.get(row["mid"])
        if model is None:
            skipped.append(f"card {row['id']}: unknown note type {row['mid']}")
            continue
        fields = dict(zip(model.fields, row["flds"].split("\x1f"), strict=False))
        rendered = _render_card(model, fields, row["ord"], media)
        if rendered is None:
            skipped.append(f"card {row['id']}: empty front or back")
            continue
        front, back = rendered
        deck = options.deck_name or deck_names.get(row["odid"] or row["did"]) or "Default"
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
    decks[0] = replace(decks[0], media_skipped=len(media), skipped=tuple(skipped))
    return decks


def load_package(path: Path, options: ImportOptions, source: IO[bytes] | None = None) -> list[ImportedDeck]:
    """Every deck in an Anki package (read from ``source`` if given, else from ``path``), one per Anki
    deck (or all in ``options.deck_name``)."""
    with open_collection(path, source) as (conn, media):
        try:
            return _read(conn, path, set(media), options)
        # Deep JSON recurses; a time far outside the calendar overflows or fails in the C library.
        except (
            sqlite3.DatabaseError, KeyError, TypeError, ValueError, AttributeError, RecursionError,
            OverflowError, OSError,
        ) as error:  # fmt: skip
            # SQLite's message can quote the file's own schema text, line breaks included: one line.
            reason = " ".join(str(error).split())
            raise InputError(str(path), f"not a readable Anki collection ({reason})") from None
