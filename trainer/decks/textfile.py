"""Reading YAML decks: UTF-8 with or without BOM, any newline style, errors with a position.

Notes are read by ``importers/decode.py`` (UTF-8 or GBK/GB18030), for ``trainer import`` and
``trainer build`` alike; both share the checks here, so what one refuses the other refuses too.
"""

from __future__ import annotations

from pathlib import Path

from trainer.errors import InputError

MAX_LINE_CHARS = 1024 * 1024
"""A longer line is no card; the extractor would crawl on it."""


def position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of byte ``offset``, counting the line's characters leniently."""
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def check_text(text: str, label: str) -> None:
    """Refuse what no deck holds: NUL characters (a binary or UTF-16 file) and overlong lines."""
    if (nul := text.find("\x00")) >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - text.rfind("\n", 0, nul)
        raise InputError(
            label, "NUL character: a binary file, or UTF-16 (name it with --encoding utf-16)", line, column
        )
    if len(text) > MAX_LINE_CHARS:
        for number, line_text in enumerate(text.split("\n"), start=1):
            if len(line_text) > MAX_LINE_CHARS:
                raise InputError(label, f"line is longer than {MAX_LINE_CHARS:,} characters; refused", number)


def decode_text(data: bytes, label: str) -> str:
    """``data`` as text with the BOM dropped and newlines made ``\\n``; bad UTF-8 names line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = position(data, error.start)
        raise InputError(
            label, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})", line, column
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    check_text(text, label)
    return text


def read_text(path: Path) -> str:
    """The decoded text of ``path``; a missing or unreadable file is an :class:`InputError`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), error.strerror or "cannot read file") from None
    return decode_text(data, str(path))
