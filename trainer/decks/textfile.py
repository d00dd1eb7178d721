"""What every text file the trainer reads must be, and where in it a problem lies.

Every file (notes, tables, YAML decks) is decoded by ``importers/decode.py``, the one decoder; the checks
here are what it refuses after decoding.
"""

from __future__ import annotations

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
