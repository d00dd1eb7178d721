"""CSV and TSV decks, including the text files Anki writes with "Notes in Plain Text".

The delimiter comes from the Anki ``#separator:`` line or the extension, checked against the rows: a
sniffer guesses ':' for a CSV with one colon in it, so we take the first delimiter that gives every row
at least a front and a back. A header row naming the columns (front, back, tags, id…) is recognised,
or ``--columns`` names them. Without an ``id`` column, a card's id is derived from its front, so
re-importing matches it.

Other programs' files may hold HTML (Anki's do), which becomes plain text. A file the trainer exported
says so in a ``#trainer:verbatim`` header line; its cells are read exactly as written (no HTML, no
trimming, tags as a JSON list), so exporting and importing again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trainer.decks.importers.html_text import html_to_text, looks_like_html, strip_media
from trainer.decks.importers.model import ImportedDeck, ImportOptions
from trainer.decks.model import Card, Deck, deck_name_problem
from trainer.errors import InputError, TrainerError

_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
_BY_EXTENSION = {".csv": (",", ";", "\t"), ".tsv": ("\t",), ".tab": ("\t",)}
_DELIMITERS = ("\t", ",", ";")
_ANKI_HEADER = re.compile(r"#([a-z ]+):(.*)")
HEADER_ROLES = {
    "id": "id",
    "guid": "id",
    "key": "id",
    "front": "front",
    "question": "front",
    "term": "front",
    "word": "front",
    "back": "back",
    "answer": "back",
    "definition": "back",
    "meaning": "back",
    "tags": "tags",
}
"""Header names we recognise, lower-cased, and the part of a card each column fills."""
_COLUMNS = ("id", "front", "back", "tags")
"""The columns ``dump_table`` writes."""
_VERBATIM = "trainer", "verbatim"
"""The header line (``#trainer:verbatim``) that marks a file the trainer wrote."""


@dataclass
class _AnkiHeader:
    """The ``#key:value`` lines at the top of an Anki "Notes in Plain Text" export."""

    lines: int = 0
    separator: str | None = None
    html: bool | None = None
    columns: list[str] | None = None
    deck: str | None = None
    deck_as_written: str | None = None
    description_line: int = 0
    description: str = ""
    """As written: a JSON string in the files we export."""
    verbatim: bool = False
    tags: tuple[str, ...] = ()
    roles: dict[int, str] = field(default_factory=dict)
    """0-based column -> role, from ``#tags column:`` and the columns that are not card text."""


def _anki_header(lines: Sequence[str], label: str) -> _AnkiHeader:
    header = _AnkiHeader()
    for number, line in enumerate(lines, start=1):
        match = _ANKI_HEADER.fullmatch(line)
        if not match:
            break
        key, value = match.group(1), match.group(2).strip()
        header.lines = number
        if key == "separator":
            header.separator = _SEPARATORS.get(value.lower(), value)
            if len(header.separator) != 1:
                raise InputError(label, f"unknown separator {value!r}", number)
        elif key == "html":
            header.html = value.lower() == "true"
        elif key == "columns":
            header.columns = value.split(header.separator or "\t")
        elif key == "deck":
            header.deck, header.deck_as_written = value, match.group(2)
        elif key == _VERBATIM[0]:
            header.verbatim = value == _VERBATIM[1]
        elif key == "description":
            header.description = match.group(2)
            header.description_line = number
            if header.verbatim:
                break  # our last header line: a card id such as '#a:b' below it is a card
        elif key == "tags":
            header.tags = tuple(value.split())
        elif key.endswith(" column"):
            role = key.removesuffix(" column")
            if not value.isdigit() or int(value) < 1:
                raise InputError(label, f"bad column number {value!r}", number)
            header.roles[int(value) - 1] = "tags" if role == "tags" else ("id" if role == "guid" else "skip")
    return header


def _records(text: str, delimiter: str, quoted: bool) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on (1-based, within ``text``)."""
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE,
        strict=True,
    )
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ValueError(start, str(error)) from None
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _parse(text: str, candidates: Sequence[str]) -> tuple[str, list[tuple[int, list[str]]]]:
    """The rows split by the first delimiter that gives each at least a front and a back.

    Tab-separated files are read with CSV quoting (Anki writes it) unless that fails, as it does for a
    plain TSV whose field starts with a quoted word: there the quotes are text.
    """
    for delimiter in candidates:
        for quoted in (True, False) if delimiter == "\t" else (True,):
            try:
                records = list(_records(text, delimiter, quoted))
            except ValueError:
                continue
            if all(len(row) >= 2 for _, row in records):
                return delimiter, records
    return candidates[0], list(_records(text, candidates[0], quoted=True))


def _header_roles(row: Sequence[str]) -> dict[int, str] | None:
    """Column roles if ``row`` is a header naming at least front and back (or two known columns)."""
    roles = {index: HEADER_ROLES.get(cell.strip().lower(), "back") for index, cell in enumerate(row)}
    known = sum(cell.strip().lower() in HEADER_ROLES for cell in row)
    if known < 2 or "front" not in roles.values():
        return None
    return roles


def _json_text(value: str, label: str, line: int) -> str:
    try:
        text = json.loads(value)
    except (ValueError, RecursionError):
        text = None
    if not isinstance(text, str):
        raise InputError(label, "the description must be a JSON string, as the trainer writes it", line)
    return text


def _json_tags(cell: str, label: str, line: int) -> list[str]:
    """Tags as the trainer writes them: a JSON list of text (tags may hold spaces and commas)."""
    if not cell:
        return []
    try:
        tags = json.loads(cell)
    except (ValueError, RecursionError):
        tags = None
    if not isinstance(tags, list) or not all(isinstance(tag, str) and tag.strip() for tag in tags):
        raise InputError(label, 'tags must be a JSON list of text such as ["verb", "HSK 1"]', line)
    return tags


def parse_columns(text: str) -> dict[int, str]:
    """``--columns front=2,back=4,tags=6`` as 0-based column -> role; front and back are required."""
    roles: dict[int, str] = {}
    for part in text.split(","):
        role, _, number = part.partition("=")
        role, number = role.strip().lower(), number.strip()
        if role not in _COLUMNS or not number.isdigit() or len(number) > 6 or int(number) < 1:
            raise TrainerError(
                f"--columns: {part.strip()!r} is not ROLE=COLUMN (roles id, front, back, tags;"
                " columns count from 1), e.g. front=2,back=4,tags=6"
            )
        if int(number) - 1 in roles:
            raise TrainerError(f"--columns: column {number} is named twice")
        roles[int(number) - 1] = role
    if missing := [role for role in ("front", "back") if role not in roles.values()]:
        raise TrainerError(f"--columns: say which column is the {missing[0]}, e.g. front=1,back=2")
    return roles


def card_key(front: str) -> str:
    """A stable id from the front text, so the same card matches when a file is imported again."""
    return "c" + hashlib.blake2b(front.strip().encode(), digest_size=8).hexdigest()


def _unique(key: str, taken: dict[str, int]) -> str:
    """``key``, or the first of ``key-2``, ``key-3``… no earlier row took (``taken``: id -> next number)."""
    number = taken.get(key)
    if number is None:
        taken[key] = 2
        return key
    while f"{key}-{number}" in taken:
        number += 1
    taken[key] = number + 1
    taken[f"{key}-{number}"] = 2
    return f"{key}-{number}"


def load_table(path: Path, text: str, options: ImportOptions) -> ImportedDeck:
    """Read a CSV/TSV/Anki-text deck from decoded ``text``; a bad row is an error naming its line."""
    label = str(path)
    anki = _anki_header(text.split("\n", 64)[:64], label)
    body = text.split("\n", anki.lines)[-1] if anki.lines else text
    candidates = (anki.separator,) if anki.separator else _BY_EXTENSION.get(path.suffix.lower(), _DELIMITERS)
    try:
        delimiter, records = _parse(body, candidates)
    except ValueError as error:
        line, message = error.args
        raise InputError(label, f"cannot read row: {message}", line + anki.lines) from None
    roles: dict[int, str] | None = None
    if anki.columns:
        roles = _header_roles(anki.columns)
    elif records:
        roles = _header_roles(records[0][1])
        if roles is not None:
            records = records[1:]
    html = anki.html
    if html is None:
        html = any(looks_like_html(cell) for _, row in records for cell in row)
    cards: list[Card] = []
    seen: dict[str, int] = {}
    media = 0
    for line, row in records:
        line += anki.lines
        parts: dict[str, list[str]] = {"id": [], "front": [], "back": [], "tags": []}
        for index, cell in enumerate(row):
            if options.columns:
                role = options.columns.get(index, "skip")
            else:
                role = (
                    anki.roles.get(index) or (roles or {}).get(index) or ("front" if index == 0 else "back")
                )
            if role == "skip":
                continue
            if anki.verbatim:
                parts[role] += _json_tags(cell, label, line) if role == "tags" else [cell] if cell else []
                continue
            if role in ("id", "tags"):
                parts[role].append(cell.strip())
                continue
            value, dropped = html_to_text(cell) if html else strip_media(cell)
            media += len(dropped)
            if value:
                parts[role].append(value)
        if len(row) < 2:
            name = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(delimiter, repr(delimiter))
            raise InputError(
                label, f"expected a front and a back separated by {name}; found one column", line
            )
        front, back = "\n".join(parts["front"]), "\n".join(parts["back"])
        if not front.strip() or not back.strip():
            raise InputError(label, f"the card's {'front' if not front.strip() else 'back'} is empty", line)
        if anki.verbatim:
            tags = tuple(dict.fromkeys([*anki.tags, *parts["tags"]]))
        else:
            tags = tuple(dict.fromkeys([*anki.tags, *" ".join(parts["tags"]).replace(",", " ").split()]))
        key = _unique(parts["id"][0] if parts["id"] and parts["id"][0] else card_key(front), seen)
        cards.append(Card(id=key, front=front, back=back, tags=tags, source=f"{path.name}:{line}"))
    if not cards:
        raise InputError(label, "no cards found")
    named = anki.deck_as_written if anki.verbatim else anki.deck
    deck = Deck(
        name=options.deck_name or named or path.stem,
        cards=tuple(cards),
        description=_json_text(anki.description, label, anki.description_line) if anki.verbatim else "",
        source=path.name,
    )
    return ImportedDeck(deck, media_skipped=media)


def dump_table(deck: Deck, delimiter: str = ",") -> str:
    """The deck as CSV/TSV with Anki's header lines naming the deck and the columns (an ``id`` among
    them) and our verbatim mark, so importing it again fills the same deck with the same cards.
    """
    out = io.StringIO(newline="")
    separator = "Tab" if delimiter == "\t" else "Comma"
    name = deck.name if deck_name_problem(deck.name) is None else " ".join(deck.name.split())
    description = json.dumps(deck.description, ensure_ascii=False)
    out.write(
        f"#separator:{separator}\n#deck:{name}\n#columns:{delimiter.join(_COLUMNS)}\n"
        f"#{_VERBATIM[0]}:{_VERBATIM[1]}\n#description:{description}\n"
    )
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for card in deck.cards:
        tags = json.dumps(list(card.tags), ensure_ascii=False) if card.tags else ""
        writer.writerow([card.id, card.front, card.back, tags])
    return out.getvalue()
