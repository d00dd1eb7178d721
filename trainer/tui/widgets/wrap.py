"""Line breaking for mixed Chinese and English card text.

Textual and Rich only break lines at spaces, so a run of Chinese (which has none) is cut at the edge
mid-phrase, or pushed whole onto a new line after an English word. Here every wide character is a
break opportunity, English words stay whole, and CJK punctuation stays with the character it belongs
to (no line starts with '，' or ends with '（').
"""

from __future__ import annotations

from rich.cells import cell_len

OPENING = frozenset("（「『【《〈“‘([{")
"""Never end a line with these: they stay with the character after them."""
CLOSING = frozenset("，。、；：？！）」』】》〉”’…,.;:?!)]}")
"""Never start a line with these: they stay with the character before them."""


_WIDTHS: dict[str, int] = {}
"""Terminal cells per character, looked up once each: a 65,536-character side wraps in linear time."""


def _width(char: str) -> int:
    size = _WIDTHS.get(char)
    if size is None:
        size = _WIDTHS[char] = cell_len(char)
    return size


def _units(line: str) -> list[tuple[str, int]]:
    """Unbreakable pieces and their widths: runs of spaces, English words, single wide characters
    (with the punctuation that stays with them)."""
    units: list[tuple[str, int]] = []
    start, used, last, last_size = 0, 0, "", 0
    for index, char in enumerate(line):
        size = _width(char)
        if char.isspace():
            glue = last.isspace()
        elif not last or last.isspace():
            glue = False
        else:
            wide_before = last_size == 2 and last not in OPENING
            glue = char in CLOSING or last in OPENING or (size == 1 and not wide_before)
        if not glue and index:
            units.append((line[start:index], used))
            start, used = index, 0
        used += size
        last, last_size = char, size
    if line:
        units.append((line[start:], used))
    return units


def _fold(unit: str, width: int) -> list[str]:
    """A piece wider than the whole line, cut into line-sized parts."""
    parts, start, used = [], 0, 0
    for index, char in enumerate(unit):
        size = _width(char)
        if index > start and used + size > width:
            parts.append(unit[start:index])
            start, used = index, 0
        used += size
    return [*parts, unit[start:]]


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells (a wider single character excepted).

    A line is kept as a list of pieces with its width, so the whole is linear in the text.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used, space, space_size, has_text = 0, "", 0, False
        for number, (unit, size) in enumerate(_units(paragraph)):
            if unit.isspace():
                # Indentation at the start of a line is kept (code, lists); spaces at a break are not.
                if number == 0:
                    line, used = [unit], size
                else:
                    space, space_size = (unit, size) if has_text else ("", 0)
                continue
            if used + space_size + size <= width:
                line += [space, unit]
                used += space_size + size
            else:
                if done := "".join(line):
                    lines.append(done)
                *full, last = _fold(unit, max(width, 1))
                lines.extend(full)
                line, used = [last], sum(_width(char) for char in last)
            space, space_size, has_text = "", 0, True
        lines.append("".join(line))
    return lines
