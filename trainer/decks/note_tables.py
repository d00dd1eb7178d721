"""Which table columns hold terms and their explanations: by header words, else by shape.

A glossary table names its columns (``术语 | 说明``, ``Term | Definition``, ``缩略语 | 含义``) or, when it
does not, still looks like one: a column of short names beside a column of longer prose. A table
that compares things (``维度 | A | B``) is neither and makes no cards.
"""

from __future__ import annotations

import re
import statistics

from trainer.decks.notes_text import cjk_count

_TERM_HEADERS = (
    "术语", "名称", "缩略语", "缩写", "名词", "概念", "词汇", "词语", "关键词", "英文", "度量", "方法",
    "term", "name", "word", "concept", "abbreviation", "acronym", "keyword", "glossary", "jargon",
)  # fmt: skip
_DEFINITION_HEADERS = (
    "说明", "解释", "含义", "定义", "描述", "释义", "意义", "意思", "全称", "中文",
    "definition", "description", "meaning", "explanation", "expansion", "stands for", "defined",
    "full name", "full form", "what it is",
)  # fmt: skip
_SENTENCE = re.compile(r"[。；;！!？?]|[,，].*[,，]")


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
        12, 1.5 * statistics.median(map(_size, terms))
    )
    named = sum(not _SENTENCE.search(text) for text in terms) >= 0.8 * len(terms)
    return short and prose and named


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
    named = _find(header, _TERM_HEADERS) is not None and _find(header, _DEFINITION_HEADERS) is not None
    return (term, back) if named or _looks_like_glossary(rows, term, back) else None
