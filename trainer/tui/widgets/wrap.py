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


def _units(line: str) -> list[str]:
    """Unbreakable pieces: runs of spaces, English words, single wide characters (with punctuation)."""
    units: list[str] = []
    for char in line:
        previous = units[-1] if units else ""
        if char.isspace():
            glue = previous[-1:].isspace()
        elif not previous or previous[-1].isspace():
            glue = False
        else:
            wide_before = cell_len(previous[-1]) == 2 and previous[-1] not in OPENING
            glue = char in CLOSING or previous[-1] in OPENING or (cell_len(char) == 1 and not wide_before)
        if glue:
            units[-1] += char
        else:
            units.append(char)
    return units


def _fold(unit: str, width: int) -> list[str]:
    """A piece wider than the whole line, cut into line-sized parts."""
    parts, part = [], ""
    for char in unit:
        if part and cell_len(part + char) > width:
            parts.append(part)
            part = ""
        part += char
    return [*parts, part]


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells (a wider single character excepted)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, space = "", ""
        for number, unit in enumerate(_units(paragraph)):
            if unit.isspace():
                # Indentation at the start of a line is kept (code, lists); spaces at a break are not.
                line, space = (unit, "") if number == 0 else (line, unit if line.strip() else "")
                continue
            if cell_len(line + space + unit) <= width:
                line += space + unit
            else:
                if line:
                    lines.append(line)
                *full, line = _fold(unit, max(width, 1))
                lines.extend(full)
            space = ""
        lines.append(line)
    return lines
