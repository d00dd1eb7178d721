"""Anki card templates rendered to a card's front and back (the subset real decks use).

Field replacements with filters (``{{text:Front}}``, ``{{cloze:Text}}``, ``{{hint:…}}``, ``{{type:…}}``),
conditional sections (``{{#Field}}…{{/Field}}``, ``{{^Field}}…{{/Field}}``) and ``{{FrontSide}}``, which
we drop: our back is shown under the front already. The result is still HTML; the caller flattens it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

# Every pattern is linear on hostile templates and fields: a name is ``[^{}]*`` (it stops at the next
# brace) and is stripped in Python, never by adjacent ``\s*`` and lazy quantifiers that backtrack.
_SECTION_OPEN = re.compile(r"\{\{([#^])([^{}]*)\}\}")
_SECTION_CLOSE = re.compile(r"\{\{/([^{}]*)\}\}")
_REPLACEMENT = re.compile(r"\{\{([^{}]*)\}\}")
_CLOZE_OPEN = re.compile(r"\{\{c(\d{1,6})::")
_ANSWER_RULE = re.compile(r"<hr\s+id\s*=\s*[\"']?answer[\"']?\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
CLOZE_GAP = "[...]"
_MAX_NESTING = 32
MAX_RENDERED_CHARS = 4 * 1024 * 1024
"""A template that repeats a long field until the card is bigger than this is an attack, not a card."""


@dataclass(frozen=True)
class _Cloze:
    start: int
    end: int
    number: int
    answer: str
    hint: str


def _clozes(text: str) -> Iterator[_Cloze]:
    """Each ``{{cN::answer::hint}}``, leftmost first, ending at the first ``}}`` after its opening.

    A scan, not one regex with ``(.*?)``: that rescans to the end from every unclosed opening.
    """
    cursor = 0
    while (opening := _CLOZE_OPEN.search(text, cursor)) is not None:
        close = text.find("}}", opening.end())
        if close < 0:
            return  # no later opening can close either
        answer, _, hint = text[opening.end() : close].partition("::")
        yield _Cloze(opening.start(), close + 2, int(opening.group(1)), answer, hint)
        cursor = close + 2


def cloze_numbers(text: str) -> set[int]:
    """The cloze numbers (``c1``, ``c2``…) used in a field."""
    return {cloze.number for cloze in _clozes(text)}


def _cloze(text: str, number: int, answer_side: bool) -> str:
    """The question hides cloze ``number`` as ``[...]`` (or ``[hint]``); the answer is its text alone."""
    if answer_side:
        return ", ".join(cloze.answer for cloze in _clozes(text) if cloze.number == number)
    parts, cursor = [], 0
    for cloze in _clozes(text):
        shown = cloze.answer if cloze.number != number else (f"[{cloze.hint}]" if cloze.hint else CLOZE_GAP)
        parts += [text[cursor : cloze.start], shown]
        cursor = cloze.end
    parts.append(text[cursor:])
    return "".join(parts)


def _sections(template: str, keep: Callable[[str, str, str], str]) -> str:
    """Replace each section (an opening tag with the first later closing tag of its name, leftmost
    first) by ``keep(kind, name, body)``, in linear time: the regex it replaces with a lazy ``.*?`` and a
    back-reference took quadratic time, 18 s for a hostile package with 20,000 unclosed openings.
    """
    closes: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for match in _SECTION_CLOSE.finditer(template):
        closes[match.group(1).strip()].append((match.start(), match.end()))
    parts, cursor = [], 0
    for match in _SECTION_OPEN.finditer(template):
        name = match.group(2).strip()
        spots = closes.get(name, []) if name else []
        found = bisect_left(spots, (match.end(), -1))
        if match.start() < cursor or found == len(spots):
            continue
        start, end = spots[found]
        parts += [
            template[cursor : match.start()],
            keep(match.group(1), name, template[match.end() : start]),
        ]
        cursor = end
    parts.append(template[cursor:])
    return "".join(parts)


def render(template: str, fields: Mapping[str, str], cloze: int | None, answer_side: bool) -> str:
    """The template filled from ``fields`` for one card (``cloze`` is its number for cloze notes)."""

    # Cached per name: a hostile template names one long field thousands of times.
    @cache
    def filled(name: str) -> bool:
        return bool(_TAG.sub("", fields.get(name.split(":")[-1].strip(), "")).strip())

    def section(kind: str, name: str, body: str) -> str:
        return body if filled(name) == (kind == "#") else ""

    @cache
    def value_of(inner: str) -> str:
        *filters, name = (part.strip() for part in inner.split(":"))
        if name == "FrontSide" or "type" in filters:
            return ""
        value = fields.get(name, "")
        if "cloze" in filters and cloze is not None:
            return _cloze(value, cloze, answer_side)
        return value

    size = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal size
        inner = match.group(1).strip()
        if inner[:1] in ("#", "^", "/"):
            return match.group(0)  # a section tag left over (nested too deep): it stays as text
        value = value_of(inner)
        size += len(value)
        if size > MAX_RENDERED_CHARS:
            raise ValueError(f"a card template expands to more than {MAX_RENDERED_CHARS:,} characters")
        return value

    for _ in range(_MAX_NESTING):  # each pass opens one level; deeper nesting (an attack) stays as text
        previous, template = template, _sections(template, section)
        if template == previous:
            break
    return _REPLACEMENT.sub(replace, _ANSWER_RULE.sub("", template))
