"""Hostile files too big, binary or fiddly to commit: built into a folder at test time.

Each builder writes one file and returns its path; small text cases live beside this module as files.
"""

from __future__ import annotations

import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import genanki

BIG = 50 * 1024 * 1024
"""The single line: 50 MiB."""
BOMB = 1024 * 1024 * 1024 + 1024 * 1024
"""The zip bomb's collection: just over the 1 GiB the importer accepts, about 1 MiB compressed."""


def long_line(folder: Path, suffix: str) -> Path:
    """A 50 MiB line in a file that is otherwise a valid deck of its kind."""
    path = folder / f"long_line{suffix}"
    head = {".csv": "a,", ".md": "# Notes\n\nterm: ", ".yaml": "name: d\ncards:\n- {id: a, front: b, back: "}
    with path.open("w", encoding="utf-8") as out:
        out.write(head[suffix])
        chunk = "x" * (1024 * 1024)
        for _ in range(BIG // len(chunk)):
            out.write(chunk)
        out.write("}\n" if suffix == ".yaml" else "\n")
    return path


def deep_yaml(folder: Path) -> Path:
    """100,000 nested flow sequences: once enough to crash the C YAML composer with a segfault."""
    path = folder / "deep.yaml"
    path.write_text("name: d\ncards: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return path


def utf16(folder: Path) -> Path:
    path = folder / "utf16.csv"
    path.write_bytes("front,back\nhola,hello\n".encode("utf-16-le"))  # no BOM: NULs give it away
    return path


def zipped(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return path


def anki_package(folder: Path, name: str = "valid.apkg") -> Path:
    """A small, valid package (basic and cloze notes) made by genanki, as Anki would write it."""
    deck = genanki.Deck(2059400111, "Hostile")
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ["hola", "hello<br>hi"], guid="g1"))
    deck.add_note(genanki.Note(genanki.CLOZE_MODEL, ["{{c1::Madrid}} is in {{c2::Spain}}", ""], guid="g2"))
    path = folder / name
    genanki.Package(deck).write_to_file(str(path))
    return path


def collection_of(package: Path) -> bytes:
    with zipfile.ZipFile(package) as opened:
        return opened.read("collection.anki2")


def rewritten(folder: Path, name: str, sql: str) -> Path:
    """The valid package with ``sql`` run on its collection (``writable_schema`` on, for the nasty ones)."""
    collection = folder / f"{name}.anki2"
    collection.write_bytes(collection_of(anki_package(folder, f"base-{name}.apkg")))
    with closing(sqlite3.connect(collection, isolation_level=None)) as db:
        db.executescript(sql)
    return zipped(folder / f"{name}.apkg", {"collection.anki2": collection.read_bytes(), "0": b"ID3"})


def zip_bomb(folder: Path) -> Path:
    """A collection of zeros, honestly sized in the zip directory, that inflates past the cap."""
    path = folder / "bomb.apkg"
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
        package.open("collection.anki2", "w", force_zip64=True) as entry,
    ):
        entry.write(b"SQLite format 3\x00")
        for _ in range(BOMB // len(chunk)):
            entry.write(chunk)
    return path


def lying_bomb(folder: Path) -> Path:
    """A zip whose directory claims a tiny collection while the data inflates to megabytes."""
    path = zipped(
        folder / "lying.apkg", {"collection.anki2": b"SQLite format 3\x00" + b"\0" * (8 * 1024 * 1024)}
    )
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size fields
        start = data.find(signature)
        data[start + offset : start + offset + 4] = (4096).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def flagged(folder: Path, name: str, flag: int = 0, method: int | None = None) -> Path:
    """The valid package with its collection entry's header bits changed: ``flag`` OR-ed into the
    general-purpose flags (1 = encrypted), ``method`` as the compression method (e.g. 99, AES)."""
    path = folder / name
    path.write_bytes(anki_package(folder, f"base-{name}").read_bytes())
    data = bytearray(path.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local header, central directory
        start = data.find(signature)
        while start >= 0:
            flags = int.from_bytes(data[start + flags_at : start + flags_at + 2], "little") | flag
            data[start + flags_at : start + flags_at + 2] = flags.to_bytes(2, "little")
            if method is not None:
                data[start + flags_at + 2 : start + flags_at + 4] = method.to_bytes(2, "little")
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    return path


def long_card_side(folder: Path, suffix: str) -> Path:
    """A deck of its kind whose one card has a 70,000-character back (over MAX_CARD_TEXT)."""
    back = "x" * 70_000
    path = folder / f"long_side{suffix}"
    if suffix == ".apkg":
        return rewritten(
            folder, "long_side", f"UPDATE notes SET flds = 'a' || char(31) || '{back}' WHERE guid = 'g1';"
        )
    texts = {
        ".csv": f"front,back\nhola,hello\nadios,{back}\n",
        ".yaml": f"name: d\ncards:\n- id: a\n  front: b\n  back: {back}\n",
        ".txt": f"#separator:tab\nhola\thello\nadios\t{back}\n",
        ".md": f"# Notes\n\n**Term**: {back}\n",
    }
    path.write_text(texts[suffix], encoding="utf-8")
    return path
