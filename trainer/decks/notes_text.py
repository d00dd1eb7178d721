"""Small text helpers for notes: markdown cleaning, numbering, aliases and abbreviations.

Kept apart from the extraction rules so each rule reads as wording, not as regular expressions.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u2e80-\u2fdf]")
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_UNCLOSED_LINK = re.compile(r"\[([^\[\]]*)$")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_ATTRIBUTES = re.compile(r"\{[#.][^{}]*\}")
"""Pandoc/kramdown attributes: ``[term]{#anchor}``."""
_CLOZE = re.compile(r"\{@\{|\}@\}")
"""Obsidian spaced-repetition cloze marks: ``{@{hidden}@}``."""
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_MARKUP = re.compile(r"[\[\]<>*_`{}]")
"""A character some markup starts with: text without any is already clean."""
_SPACES = re.compile(r"[ \t]+")
_ANCHORS = "⚓︎⚓¶\ufe0e"
_NUMBERING = re.compile(
    r"^(?:\d+(?:\.\d+)*\s+(?=\S)|\d+(?:\.\d+)+(?=[\u3400-\u9fff])|\d+[.、．](?!\d)\s*"
    r"|[一二三四五六七八九十]+[、.．]\s*|[(（](?:\d+|[一二三四五六七八九十]+)[)）]\s*|第[一二三四五六七八九十\d]+[章节部分篇]\s*)"
)


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def reading_size(text: str) -> int:
    """Length as read: a Chinese character carries about as much as a short English word."""
    return len(text) + 2 * cjk_count(text)


def is_image(text: str) -> bool:
    """A line that is nothing but images: a picture cannot be a card."""
    return bool(text.strip()) and not _IMAGE.sub("", text).strip()


def is_only_links(text: str) -> bool:
    """A line made of markdown links and separators only (a link list entry)."""
    rest = _LINK.sub("", _IMAGE.sub("", text))
    return bool(_LINK.search(text)) and not re.sub(r"[\s,，、|;；。.:：]", "", rest)


def clean_inline(text: str) -> str:
    """Markdown and HTML reduced to the words the user reads: link text, no emphasis, no ``<br/>``."""
    if _MARKUP.search(text):
        text = _strip_markup(text)
    text = text.strip().strip(_ANCHORS).strip()
    return _SPACES.sub(" ", text) if "  " in text or "\t" in text else text


def _strip_markup(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _UNCLOSED_LINK.sub(r"\1", text)
    text = _CLOZE.sub("", text)
    if _ATTRIBUTES.search(text):
        text = _BRACKETED.sub(r"\1", _ATTRIBUTES.sub("", text))
    text = re.sub(r"<br\s*/?>", "", text, flags=re.IGNORECASE)
    text = _HTML_TAG.sub("", text)
    return _EMPHASIS.sub("", text).replace("`", "")


def strip_numbering(text: str) -> str:
    """``3.2 ChatGPT`` → ``ChatGPT``, ``(2)基于…`` → ``基于…``: section numbers are not part of a term."""
    return _NUMBERING.sub("", text, count=1).strip()


def join_lines(lines: list[str]) -> str:
    """Wrapped lines as one: no space between Chinese characters, one space between words."""
    parts = [lines[0]]
    for before, after in itertools.pairwise(lines):
        parts.append(("" if has_cjk(before[-1]) or has_cjk(after[0]) else " ") + after)
    return "".join(parts)


def split_alias(term: str) -> tuple[str, str | None]:
    """``大语言模型 (LLM)`` → (``大语言模型``, ``LLM``); a term without a trailing parenthesis has none."""
    text = term.strip()
    if not text.endswith((")", "）")):
        return text, None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += text[index] in ")）"
        depth -= text[index] in "(（"
        if depth == 0:
            main, alias = text[:index].strip(), text[index + 1 : -1].strip(" ,，;；")
            return (main, alias or None) if main else (text, None)
    return text, None


def is_acronym(word: str) -> bool:
    """``LLM``, ``LoRA``, ``RLHF``: a short Latin word written mostly in capitals."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9.\-]{1,11}", word):
        return False
    letters = [c for c in word if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper * 2 >= len(letters)


def expands(acronym: str, phrase: str) -> bool:
    """Whether ``phrase`` reads as the spelled-out ``acronym``: same first letter, its capitals in order."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", phrase)
    capitals = [c.lower() for c in acronym if c.isupper()]
    if len(words) < 2 or has_cjk(phrase) or not capitals or capitals[0] != words[0][0].lower():
        return False
    letters = iter(" ".join(words).lower())
    return all(capital in letters for capital in capitals)


def mentions(term: str, text: str) -> bool:
    """Whether ``text`` names ``term`` (or its alias), allowing for plural and derived word forms."""
    main, alias = split_alias(term)
    lowered = text.casefold()
    if any(name and name.casefold() in lowered for name in (main, alias)):
        return True
    words = re.findall(r"[A-Za-z]{3,}", main)
    return bool(words) and all(word.casefold()[: max(3, len(word) - 3)] in lowered for word in words)


def opens_with(term: str, text: str) -> bool:
    """Whether ``text`` starts with ``term`` (or its alias), after an article: ``The backbone is…``."""
    main, alias = split_alias(term)
    opening = re.sub(r"^(?:an?|the)\s+", "", text.casefold().lstrip())
    return any(name and opening.startswith(name.casefold()) for name in (main, alias))


def normalise_term(term: str) -> str:
    """The key a term is known by: case, width and punctuation do not matter, so ids survive edits."""
    text = unicodedata.normalize("NFKC", term).casefold()
    text = re.sub(r"[^\w]+", "-", text)
    return text.strip("-_")
