"""Anki card templates rendered to a card's front and back (the subset real decks use).

Field replacements with filters (``{{text:Front}}``, ``{{cloze:Text}}``, ``{{hint:…}}``, ``{{type:…}}``),
conditional sections (``{{#Field}}…{{/Field}}``, ``{{^Field}}…{{/Field}}``) and ``{{FrontSide}}``, which
we drop: our back is shown under the front already. The result is still HTML; the caller flattens it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_SECTION = re.compile(r"\{\{([#^])\s*([^}]+?)\s*\}\}(.*?)\{\{/\s*\2\s*\}\}", re.DOTALL)
_REPLACEMENT = re.compile(r"\{\{\s*([^#^/{}][^{}]*?)\s*\}\}")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_ANSWER_RULE = re.compile(r"<hr\s+id\s*=\s*[\"']?answer[\"']?\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")

CLOZE_GAP = "[...]"


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


def render(template: str, fields: Mapping[str, str], cloze: int | None, answer_side: bool) -> str:
    """The template filled from ``fields`` for one card (``cloze`` is its number for cloze notes)."""

    def section(match: re.Match[str]) -> str:
        value = fields.get(match.group(2).split(":")[-1].strip(), "")
        filled = bool(_TAG.sub("", value).strip())
        return match.group(3) if filled == (match.group(1) == "#") else ""

    def replace(match: re.Match[str]) -> str:
        *filters, name = (part.strip() for part in match.group(1).split(":"))
        if name == "FrontSide" or "type" in filters:
            return ""
        value = fields.get(name, "")
        if "cloze" in filters and cloze is not None:
            return _cloze(value, cloze, answer_side)
        return value

    previous = None
    while previous != template:
        previous, template = template, _SECTION.sub(section, template)
    return _REPLACEMENT.sub(replace, _ANSWER_RULE.sub("", template))
