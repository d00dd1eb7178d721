"""Anki card templates rendered to a card's front and back (the subset real decks use).

Field replacements with filters (``{{text:Front}}``, ``{{cloze:Text}}``, ``{{hint:…}}``, ``{{type:…}}``),
conditional sections (``{{#Field}}…{{/Field}}``, ``{{^Field}}…{{/Field}}``) and ``{{FrontSide}}``, which
we drop: our back is shown under the front already. The result is still HTML; the caller flattens it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping

_SECTION_OPEN = re.compile(r"\{\{([#^])\s*([^{}]+?)\s*\}\}")
_SECTION_CLOSE = re.compile(r"\{\{/\s*([^{}]+?)\s*\}\}")
_REPLACEMENT = re.compile(r"\{\{\s*([^#^/{}][^{}]*?)\s*\}\}")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_ANSWER_RULE = re.compile(r"<hr\s+id\s*=\s*[\"']?answer[\"']?\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")

CLOZE_GAP = "[...]"
_MAX_NESTING = 32


def cloze_numbers(text: str) -> set[int]:
    """The cloze numbers (``c1``, ``c2``…) used in a field."""
    return {int(number) for number, _, _ in _CLOZE.findall(text)}


def _cloze(text: str, number: int, answer_side: bool) -> str:
    """The question hides cloze ``number`` as ``[...]`` (or ``[hint]``); the answer is its text alone."""
    if answer_side:
        return ", ".join(answer for n, answer, _ in _CLOZE.findall(text) if int(n) == number)

    def hide(match: re.Match[str]) -> str:
        if int(match.group(1)) != number:
            return match.group(2)
        return f"[{match.group(3)}]" if match.group(3) else CLOZE_GAP

    return _CLOZE.sub(hide, text)


def _sections(template: str, keep: Callable[[str, str, str], str]) -> str:
    """Replace each section (an opening tag with the first later closing tag of its name, leftmost
    first) by ``keep(kind, name, body)``, in linear time: the regex it replaces with a lazy ``.*?`` and a
    back-reference took quadratic time, 18 s for a hostile package with 20,000 unclosed openings.
    """
    closes: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for match in _SECTION_CLOSE.finditer(template):
        closes[match.group(1)].append((match.start(), match.end()))
    parts, cursor = [], 0
    for match in _SECTION_OPEN.finditer(template):
        spots = closes.get(match.group(2), [])
        found = bisect_left(spots, (match.end(), -1))
        if match.start() < cursor or found == len(spots):
            continue
        start, end = spots[found]
        parts += [
            template[cursor : match.start()],
            keep(match.group(1), match.group(2), template[match.end() : start]),
        ]
        cursor = end
    parts.append(template[cursor:])
    return "".join(parts)


def render(template: str, fields: Mapping[str, str], cloze: int | None, answer_side: bool) -> str:
    """The template filled from ``fields`` for one card (``cloze`` is its number for cloze notes)."""

    def section(kind: str, name: str, body: str) -> str:
        value = fields.get(name.split(":")[-1].strip(), "")
        filled = bool(_TAG.sub("", value).strip())
        return body if filled == (kind == "#") else ""

    def replace(match: re.Match[str]) -> str:
        *filters, name = (part.strip() for part in match.group(1).split(":"))
        if name == "FrontSide" or "type" in filters:
            return ""
        value = fields.get(name, "")
        if "cloze" in filters and cloze is not None:
            return _cloze(value, cloze, answer_side)
        return value

    for _ in range(_MAX_NESTING):  # each pass opens one level; deeper nesting (an attack) stays as text
        previous, template = template, _sections(template, section)
        if template == previous:
            break
    return _REPLACEMENT.sub(replace, _ANSWER_RULE.sub("", template))
