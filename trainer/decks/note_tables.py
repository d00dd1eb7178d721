"""Which table columns hold terms and their explanations: by header words, else by shape.

A glossary table names its columns (``术语 | 说明``, ``Term | Definition``, ``缩略语 | 含义``) or, when it
does not, still looks like one: a column of short names beside a column of longer prose (and then its
header row may be its first entry). A table that compares things (``维度 | A | B``) is neither and
makes no cards.
"""

from __future__ import annotations

import re
import statistics

from trainer.decks.notes_text import cjk_count, has_cjk

_TERM_HEADERS = (
    "术语", "名称", "缩略语", "缩写", "名词", "概念", "词汇", "词语", "关键词", "英文", "度量", "方法",
    "term", "name", "word", "concept", "abbreviation", "acronym", "keyword", "glossary", "jargon", "english",
)  # fmt: skip
_DEFINITION_HEADERS = (
    "说明", "解释", "含义", "定义", "描述", "释义", "意义", "意思", "全称", "中文",
    "definition", "description", "meaning", "explanation", "expansion", "stands for", "defined",
    "full name", "full form", "what it is", "translation", "翻译", "译名", "gloss",
)  # fmt: skip
_HEADER_WORDS = (_TERM_HEADERS, _DEFINITION_HEADERS)
_SENTENCE = re.compile(r"[。；;！!？?]|[,，].*[,，]")
_PROSE_MARK = re.compile(r"[。；;！!？?，,、]|\.$")
"""Punctuation of a sentence or a list: in an explanation, never in a column's label."""
_LETTER = re.compile(r"[A-Za-z\u3400-\u9fff]")


def _find(names: list[str], words: tuple[str, ...], skip: int | None = None) -> int | None:
    """The column whose header holds the earliest of ``words`` (they are listed strongest first)."""
    lowered = [name.casefold() for name in names]
    for word in words:
        for column, name in enumerate(lowered):
            if column != skip and word in name:
                return column
    return None


def _size(text: str) -> int:
    """Reading length: a Chinese character counts as a word's worth of letters."""
    return len(text) + 2 * cjk_count(text)


def _looks_like_glossary(rows: list[list[str]], term: int, back: int) -> bool:
    """Short, name-like cells in ``term`` beside clearly longer prose in ``back``."""
    terms = [row[term] for row in rows if len(row) > max(term, back) and row[term]]
    backs = [row[back] for row in rows if len(row) > max(term, back) and row[back]]
    if len(terms) < 2 or len(backs) < 2:
        return False
    short = statistics.median(_size(text) for text in terms) <= 40
    prose = statistics.median(_size(text) for text in backs) >= max(
        20, 1.5 * statistics.median(map(_size, terms))
    )
    named = sum(not _SENTENCE.search(text) for text in terms) >= 0.8 * len(terms)
    return short and prose and named


def _is_number(text: str) -> bool:
    """``175B``, ``2 GB``, ``2020``, ``12%``: a figure, as comparison tables hold, not a word."""
    return any(char.isdigit() for char in text) and len(_LETTER.findall(text)) <= 2


def _looks_like_gloss(rows: list[list[str]], named: bool) -> bool:
    """Two short columns of words: distinct names beside their translation or gloss (``deadlock |
    死锁``). Without a header that says so, each row must pair two scripts: two columns of English
    words side by side are as likely to be a comparison (``fast | memory hungry``)."""
    pairs = [(row[0], row[1]) for row in rows if len(row) >= 2]
    if len(pairs) < 2 or not all(term and gloss for term, gloss in pairs):
        return False
    terms = [term.casefold() for term, _gloss in pairs]
    if len(set(terms)) < len(terms) or any(_size(term) > 40 or _SENTENCE.search(term) for term in terms):
        return False
    if any(_is_number(text) or not _LETTER.search(text) for pair in pairs for text in pair):
        return False
    crossed = sum(has_cjk(term) != has_cjk(gloss) for term, gloss in pairs)
    return named or crossed >= 0.8 * len(pairs)


def header_is_entry(header: list[str], term: int, back: int) -> bool:
    """Whether the header row of a glossary table is its first entry (Markdown needs a header row, so
    a table written without one puts its first term there): it names no column, and beside a name
    stands an explanation, as long as one and punctuated as one, which no column label is."""
    if len(header) <= max(term, back) or any(_find(header, words) is not None for words in _HEADER_WORDS):
        return False
    name, text = header[term], header[back]
    return bool(name) and not _SENTENCE.search(name) and _size(text) >= 20 and bool(_PROSE_MARK.search(text))


def numbering_columns(rows: list[list[str]]) -> set[int]:
    """The columns that only number the rows (``1, 2, 3 …``): nothing a card should carry."""
    width = min((len(row) for row in rows), default=0) if len(rows) >= 2 else 0
    return {
        column
        for column in range(width)
        if all(row[column].isdigit() for row in rows)
        and [int(row[column]) for row in rows] in (list(range(first, first + len(rows))) for first in (0, 1))
    }


def term_columns(header: list[str], rows: list[list[str]]) -> tuple[int, int] | None:
    """(term column, explanation column), or None when the table is not a glossary."""
    back = _find(header, _DEFINITION_HEADERS)
    term = _find(header, _TERM_HEADERS, skip=back)
    if back is not None and term is None and back != 0:
        term = 0
    if term is not None and back is None and len(header) == 2:
        back = 1 - term
    if term is None and back is None and len(header) == 2:
        term, back = 0, 1
    if term is None or back is None or term == back:
        return None
    named = [_find(header, words) is not None for words in _HEADER_WORDS]
    if all(named) or _looks_like_glossary(rows, term, back):
        return term, back
    two_columns = len(header) == 2 and (term, back) == (0, 1)
    return (0, 1) if two_columns and _looks_like_gloss(rows, any(named)) else None
