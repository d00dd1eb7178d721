"""Which importer reads a file: from its extension, checked against its first bytes."""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum
from pathlib import Path

from trainer.decks.importers.decode import MAX_FILE_BYTES, decode
from trainer.decks.importers.model import ImportedDeck, ImportOptions
from trainer.errors import InputError


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


def detect_format(path: Path, head: bytes) -> Format:
    """The format of ``path``, whose first bytes are ``head``; a package must really be a zip."""
    suffix = path.suffix.lower()
    found = _BY_EXTENSION.get(suffix)
    if found is None and head.startswith(_ZIP_MAGIC):
        found = Format.ANKI_PACKAGE
    elif suffix == ".txt" or (found is None and head and b"\x00" not in head):
        found = Format.TABLE if _is_table(head) else Format.NOTES
    if found is None:
        raise InputError(str(path), f"cannot tell the file's format; use one of {EXTENSIONS}")
    if found is Format.ANKI_PACKAGE and not head.startswith(_ZIP_MAGIC):
        raise InputError(str(path), "not an Anki package (not a zip file)")
    return found


def load_file(path: Path, options: ImportOptions) -> list[ImportedDeck]:
    """The decks in one import file (an Anki package may hold several)."""
    label = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(8192)
    except OSError as error:
        raise InputError(label, error.strerror or "cannot read file") from None
    found = detect_format(path, head)
    if found is Format.ANKI_PACKAGE:
        from trainer.decks.importers.apkg import load_package

        return load_package(path, options)
    if size > MAX_FILE_BYTES:
        raise InputError(label, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; refused")
    text = decode(path.read_bytes(), label, options.encoding)
    if found is Format.TABLE:
        from trainer.decks.importers.csv_tsv import load_table

        return [load_table(path, text, options)]
    if found is Format.NOTES:
        from trainer.decks.importers.markdown import load_notes

        return [load_notes(path, text, options)]
    from trainer.decks.yaml_io import loads_deck

    deck = loads_deck(text, label)
    return [ImportedDeck(replace(deck, name=options.deck_name) if options.deck_name else deck)]
