"""Reading user text files: UTF-8 with or without BOM, any newline style, errors with a position."""

from __future__ import annotations

from pathlib import Path

from trainer.errors import InputError


def decode_text(data: bytes, label: str) -> str:
    """``data`` as text with the BOM dropped and newlines made ``\\n``; bad UTF-8 names line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        good = data[: error.start]
        line = good.count(b"\n") + 1
        column = len(good[good.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        raise InputError(
            label, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})", line, column
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    """The decoded text of ``path``; a missing or unreadable file is an :class:`InputError`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), error.strerror or "cannot read file") from None
    return decode_text(data, str(path))
