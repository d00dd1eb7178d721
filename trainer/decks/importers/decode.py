"""Bytes to text for imported files: UTF-8 (with or without BOM), GB18030/GBK, or the encoding named.

GB18030 maps nearly every byte sequence, so a Latin-1 file would decode to nonsense; we only take it
when most of what it decodes to is Chinese, else ask the user to name the encoding.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from trainer.decks.textfile import check_text, position
from trainer.errors import InputError, TrainerError

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Larger text files are refused rather than read into memory."""

_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_MIN_CHINESE_SHARE = 0.5


def _decode_error(data: bytes, label: str, error: UnicodeDecodeError, what: str) -> InputError:
    line, column = position(data, error.start)
    return InputError(
        label,
        f"not {what} text (byte 0x{data[error.start]:02x}); name the file's encoding with --encoding",
        line,
        column,
    )


def _looks_chinese(text: str) -> bool:
    unusual = [char for char in text if ord(char) > 0x7F]
    chinese = sum(1 for char in unusual if _CHINESE.match(char))
    return chinese >= _MIN_CHINESE_SHARE * len(unusual)


def decode(data: bytes, label: str, encoding: str | None = None) -> str:
    """``data`` as text with newlines made ``\\n``; an undecodable byte is an error naming its line."""
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise TrainerError(f"unknown encoding {encoding!r}") from None
        try:
            text = data.decode("utf-8-sig" if name == "utf-8" else name)
        except UnicodeDecodeError as error:
            raise _decode_error(data, label, error, name) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as utf8_error:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                text = ""
            if _utf8_lines_before(data, utf8_error.start):
                raise _decode_error(data, label, utf8_error, "UTF-8") from None  # mixed encodings
            if not text or not _looks_chinese(text):
                raise _decode_error(data, label, utf8_error, "UTF-8 or GB18030") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_text(text, label)
    return text


def _utf8_lines_before(data: bytes, offset: int) -> bool:
    """Whether whole lines before the first bad UTF-8 byte hold non-ASCII UTF-8: the file mixes
    encodings (a GBK file's first Chinese line is almost never also valid UTF-8)."""
    return any(byte > 0x7F for byte in data[: data.rfind(b"\n", 0, offset) + 1])


def read_document(path: Path, encoding: str | None = None) -> str:
    """The text of a notes file as ``trainer import`` reads it: the one reader ``trainer build`` uses too."""
    label = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(label, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; refused")
        data = path.read_bytes()
    except OSError as error:
        raise InputError(label, error.strerror or "cannot read file") from None
    return decode(data, label, encoding)
