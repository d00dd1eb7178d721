"""Which importer reads a file: from its extension, checked against its first bytes."""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import IO, cast

from trainer.decks.importers.decode import MAX_FILE_BYTES, decode
from trainer.decks.importers.model import ImportedDeck, ImportOptions
from trainer.decks.model import Card, card_text_problem, deck_name_problem
from trainer.errors import InputError, TrainerError


class Format(StrEnum):
    YAML = "yaml"
    TABLE = "table"
    """CSV, TSV and Anki's "Notes in Plain Text"."""
    NOTES = "notes"
    """Markdown or plain-text study notes."""
    ANKI_PACKAGE = "apkg"


_BY_EXTENSION = {
    ".yaml": Format.YAML,
    ".yml": Format.YAML,
    ".csv": Format.TABLE,
    ".tsv": Format.TABLE,
    ".tab": Format.TABLE,
    ".md": Format.NOTES,
    ".markdown": Format.NOTES,
    ".apkg": Format.ANKI_PACKAGE,
    ".colpkg": Format.ANKI_PACKAGE,
}
_ZIP_MAGIC = b"PK\x03\x04"
_ANKI_TEXT_HEADER = re.compile(rb"#(?:separator|html|columns|notetype|deck|tags)[a-z ]*:")
EXTENSIONS = ", ".join(sorted({*_BY_EXTENSION, ".txt"}))


def _is_table(head: bytes) -> bool:
    """A ``.txt`` file is Anki's plain-text export if it has its header or every line has a tab."""
    if _ANKI_TEXT_HEADER.match(head):
        return True
    lines = [line for line in head.split(b"\n")[:-1] if line.strip()]
    return bool(lines) and all(b"\t" in line for line in lines)


def _sniffed(head: bytes) -> Format | None:
    """A YAML deck or a table with a header row, told from the content of a file whose name does not
    say (``trainer import <(cat deck.yaml)``, ``/dev/stdin``); None if it looks like neither."""
    from trainer.decks.importers.csv_tsv import HEADER_ROLES

    text = head.decode("utf-8", "ignore").removeprefix("\ufeff")
    lines = [line for line in text.split("\n") if line.strip() and not line.startswith("#")]
    if not lines:
        return None
    if lines[0].startswith("name:") and any(line.startswith("cards:") for line in lines):
        return Format.YAML
    for delimiter in "\t,;":
        roles = {HEADER_ROLES.get(cell.strip().strip('"').lower()) for cell in lines[0].split(delimiter)}
        if {"front", "back"} <= roles:
            return Format.TABLE
    return None


def detect_format(path: Path, head: bytes) -> Format:
    """The format of ``path``, whose first bytes are ``head``; a package must really be a zip."""
    suffix = path.suffix.lower()
    found = _BY_EXTENSION.get(suffix)
    if found is None and head.startswith(_ZIP_MAGIC):
        found = Format.ANKI_PACKAGE
    elif found is None and suffix != ".txt" and b"\x00" not in head and (sniffed := _sniffed(head)):
        found = sniffed
    elif suffix == ".txt" or (found is None and head and b"\x00" not in head):
        found = Format.TABLE if _is_table(head) else Format.NOTES
    if found is None:
        raise InputError(str(path), f"cannot tell the file's format; use one of {EXTENSIONS}")
    if found is Format.ANKI_PACKAGE and not head.startswith(_ZIP_MAGIC):
        raise InputError(str(path), "not an Anki package (not a zip file)")
    return found


_NOT_FILE_ENCODINGS = frozenset(
    {"punycode", "idna", "undefined", "unicode-escape", "raw-unicode-escape", "charmap"}
)
"""Codecs Python marks as text encodings that no file is written in (they encode domain names or
Python escapes, or fail on everything)."""


def text_encoding(name: str) -> str:
    """``name`` if it is a character encoding files are written in; rot13, base64, punycode… are not."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise TrainerError(f"--encoding: unknown encoding {name!r}") from None
    if not info._is_text_encoding or info.name in _NOT_FILE_ENCODINGS:
        raise TrainerError(
            f"--encoding: {name!r} is not a character encoding for text files; name one such as"
            " utf-8, gbk, big5, latin-1 or utf-16"
        )
    return name


def _file_name_problem(path: Path) -> str | None:
    """A printable label for a file whose name is not valid UTF-8 (the store keeps text only), or None."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return None


def _read_rest(file: IO[bytes], head: bytes, label: str) -> bytes:
    """The whole file, refused unread when its size says it is too big, or once it proves to be."""
    too_big = InputError(label, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; refused")
    if os.fstat(file.fileno()).st_size > MAX_FILE_BYTES:
        raise too_big
    data = head + file.read(MAX_FILE_BYTES + 1 - len(head))
    if len(data) > MAX_FILE_BYTES:
        raise too_big
    return data


def _package_source(file: IO[bytes], head: bytes, label: str) -> IO[bytes]:
    """The package as a seekable file: the open file itself, or (from a pipe) a spooled copy of it."""
    if file.seekable():
        file.seek(0)
        return file
    from trainer.decks.importers.apkg import MAX_COLLECTION_BYTES

    copy = tempfile.SpooledTemporaryFile(max_size=64 * 2**20)  # noqa: SIM115 (closed by the caller)
    copy.write(head)
    while chunk := file.read(2**20):
        if copy.tell() + len(chunk) > MAX_COLLECTION_BYTES:
            copy.close()
            raise InputError(label, f"package is larger than {MAX_COLLECTION_BYTES // 2**20} MiB; refused")
        copy.write(chunk)
    copy.seek(0)
    return cast(IO[bytes], copy)


def _position(card: Card, path: Path) -> int | None:
    """The line a card came from, when its source is ``<file name>:<line>``."""
    line = (card.source or "").removeprefix(f"{path.name}:")
    return int(line) if line.isdigit() and len(line) < 10 else None


def _check_decks(decks: list[ImportedDeck], path: Path) -> None:
    """The rules every format shares: deck names without control characters, card sides bounded."""
    for item in decks:
        if problem := deck_name_problem(item.deck.name):
            raise InputError(str(path), problem)
        for card in item.deck.cards:
            if problem := card_text_problem(card):
                where = _position(card, path)
                detail = "" if where is not None else f" ({card.source or 'card ' + repr(card.id)})"
                raise InputError(str(path), problem + detail, where)


def load_file(path: Path, options: ImportOptions) -> list[ImportedDeck]:
    """The decks in one import file (an Anki package may hold several).

    The file is opened and read once, so a pipe (``trainer import <(…)``, ``/dev/stdin``) loses nothing.
    """
    if (shown := _file_name_problem(path)) is not None:
        raise InputError(shown, "the file name is not valid UTF-8; rename the file")
    label = str(path)
    if options.encoding is not None:
        text_encoding(options.encoding)
    if options.deck_name is not None and (problem := deck_name_problem(options.deck_name)):
        raise TrainerError(f"--deck: {problem}")
    try:
        with path.open("rb") as file:
            head = file.read(8192)
            found = detect_format(path, head)
            if options.columns and found is not Format.TABLE:
                raise InputError(label, "--columns applies only to CSV, TSV and Anki text files")
            if found is Format.ANKI_PACKAGE:
                from trainer.decks.importers.apkg import load_package

                with _package_source(file, head, label) as package:
                    decks = load_package(path, options, package)
            else:
                data = _read_rest(file, head, label)
    except OSError as error:
        raise InputError(label, error.strerror or "cannot read file") from None
    if found is not Format.ANKI_PACKAGE:
        decks = _load_text(path, decode(data, label, options.encoding), found, options)
    _check_decks(decks, path)
    return decks


def _load_text(path: Path, text: str, found: Format, options: ImportOptions) -> list[ImportedDeck]:
    if found is Format.TABLE:
        from trainer.decks.importers.csv_tsv import load_table

        return [load_table(path, text, options)]
    if found is Format.NOTES:
        from trainer.decks.importers.markdown import load_notes

        return [load_notes(path, text, options)]
    from trainer.decks.yaml_io import loads_deck

    deck = loads_deck(text, str(path))
    return [ImportedDeck(replace(deck, name=options.deck_name) if options.deck_name else deck)]
