"""Reading one line of notes as a definition: which term, which text, or why it is not one.

Every rule here looks at the shape and wording of a line (separators, brackets, a defining verb, a
term that reads like a noun rather than a clause), never at particular terms, so unseen notes work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.decks.notes_text import (
    cjk_count,
    clean_inline,
    expands,
    has_cjk,
    is_acronym,
    is_only_links,
    split_alias,
    strip_numbering,
)


@dataclass(frozen=True)
class Definition:
    """A term and the text that defines it (``back`` may be empty when the body follows below)."""

    term: str
    back: str
    form: str
    """Which rule matched: bold, question, colon, dash, abbreviation, gloss, explanation, sentence, comma."""


@dataclass(frozen=True)
class Rejected:
    """A line that has a definition's shape but fails it; ``reason`` is shown in the build report."""

    reason: str
    term: str = ""


Parsed = Definition | Rejected | None

_BOLD = re.compile(r"^\*\*(?P<term>[^*]+?)\*\*\s*(?P<rest>.*)$")
_QUESTION = re.compile(
    r"^(?:什么是|什么叫做?|何为|何谓|what\s+is|what's)\s*(?P<term>[^:：?？]+?)\s*呢?\s*[?？]?\s*"
    r"(?:[:：]\s*(?P<answer>.*))?$",
    re.IGNORECASE,
)
_DASH = re.compile(r"^(?P<term>[A-Za-z][A-Za-z0-9.+]*)\s*[-—–]+\s*(?P<back>.+)$")
_VERB = re.compile(r"\s*(?:通常|一般|其实|也|又)?(?:是指|指的是|就是|是)|(?<=[)）\s])(?:指|即)")
_DISCOURSE = re.compile(
    r"^(?:这|那|此|其|它|他|她|我|你|您|总之|总体|总的|简单来说|一般来说|另外|此外|然后|接下来|首先|其次|"
    r"最后|同时|目前|后者|前者|以上|以下|下面|上面|如何|为什么|为何|怎么|因此|所以|但|而|并且|例如|比如)"
)
_CLAUSE_START = re.compile(r"^(?:在|当|对|通过|如果|若|因为|由于|从|将|把|被|让|使|根据|虽然|可以|需要|用)")
_CLAUSE_WORDS = re.compile(r"的|可以|会|能|将|把|被|决定|包括|需要|没有|不|都|了|是|后$|时$|中$")
_ANNOTATION = re.compile(r"^(?:P\.?S\.?|注|备注|note|nb|todo)\b", re.IGNORECASE)
_METADATA = {
    "by", "author", "date", "description", "title", "tags", "tag", "category", "categories", "updated",
    "created", "作者", "日期", "时间", "来源", "原文", "链接", "标签", "分类", "更新", "发布", "版本",
}  # fmt: skip
_SENTENCE_PUNCT = re.compile(r"[。，,；;！!？?]")
_PATH_ONLY = re.compile(r"\S*(?:://|/|\\)\S*")


def _outside_brackets(text: str) -> str:
    """``text`` with bracketed parts blanked, so separators inside ``(a, b)`` are ignored."""
    depth = 0
    out = []
    for char in text:
        if char in "(（[【":
            depth += 1
        out.append("_" if depth else char)
        if char in ")）]】" and depth:
            depth -= 1
    return "".join(out)


def _split(text: str, separators: str) -> tuple[str, str] | None:
    """Split at the first separator outside brackets; a URL's ``://`` is not a separator."""
    shadow = _outside_brackets(text)
    for index, char in enumerate(shadow):
        if char in separators and text[index + 1 : index + 3] != "//":
            return text[:index].strip(), text[index + 1 :].strip()
    return None


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char in "(（"
        depth -= char in ")）"
        if depth < 0:
            return False
    return depth == 0


def term_problem(term: str, strict: bool) -> str | None:
    """Why ``term`` cannot be a card's front, or None. ``strict`` is for weak forms (comma, sentence)."""
    main = split_alias(term)[0]
    if not re.search(r"[A-Za-z\u3400-\u9fff]", term):
        return "no term"
    if term[0] in "(（[" or not _balanced(term):
        return "term is a bracketed remark"
    if "://" in term or term.lower().startswith("http"):
        return "term is a link"
    if _ANNOTATION.match(term):
        return "an annotation, not a term"
    if term.strip().lower() in _METADATA:
        return "document metadata"
    if _SENTENCE_PUNCT.search(_outside_brackets(term)) or _DISCOURSE.match(term):
        return "reads as a sentence, not a term"
    if len(term) > 40 or cjk_count(main) > (10 if strict else 12):
        return "too long for a term"
    if strict and (_CLAUSE_START.match(term) or _CLAUSE_WORDS.search(main)):
        return "reads as a clause, not a term"
    return None


def back_problem(back: str) -> str | None:
    """Why ``back`` cannot be a card's answer, or None."""
    text = back.strip().rstrip(";；,，、").strip()
    if not text:
        return "empty definition"
    if re.fullmatch(r"[?？!！.。…~\s]*", text):
        return "definition is only a question mark"
    if text[-1] in "?？" and cjk_count(text) + len(re.findall(r"[A-Za-z]+", text)) < 12:
        return "definition is an open question"
    if _PATH_ONLY.fullmatch(text) and not has_cjk(text):
        return "definition is only a link or path"
    if text[-1] in "!！" and len(text) <= 8:
        return "definition is an exclamation"
    if re.match(r"^[(（]?我", text):
        return "a personal remark, not a definition"
    return None


def drop_list_intro(back: str) -> str:
    """``…模型。下面是原理：`` → ``…模型。``: a closing clause that only introduces a list is no content."""
    text = back.rstrip()
    if not text.endswith((":", "：")):
        return text
    body = text[:-1]
    cut = max(body.rfind(mark) for mark in "。；;:：")
    return body[: cut + 1].rstrip(":：").rstrip() if cut >= 0 else ""


def question_term(text: str) -> str | None:
    """``什么是LoRA(Low Rank Adaptation)`` → ``LoRA(Low Rank Adaptation)``; ``LLM中的X`` asks about X."""
    match = _QUESTION.match(text)
    if not match:
        return None
    term = match.group("term").strip()
    return term.rsplit("中的", 1)[-1].strip() or None


def parse_line(raw: str, in_list: bool = False) -> Parsed:
    """Read one line (markdown kept) as a definition, a rejected candidate, or nothing definitional."""
    raw = raw.strip()
    if bold := _BOLD.match(raw):
        term = clean_inline(bold.group("term"))
        rest = bold.group("rest")
        if term.endswith((":", "：")) or rest.startswith((":", "：")):
            return _checked(term.rstrip(":："), clean_inline(rest).lstrip(":： "), "bold", strict=False)
    text = strip_numbering(clean_inline(raw))
    if not text:
        return None
    if match := _QUESTION.match(text):
        term = question_term(text) or ""
        return _checked(term, match.group("answer") or "", "question", strict=False, allow_empty=True)
    for parser in (_colon, _dash if in_list else None, _bracketed, _sentence, _comma):
        if parser is not None and (parsed := parser(text, raw)) is not None:
            return parsed
    return None


def _checked(term: str, back: str, form: str, strict: bool, allow_empty: bool = False) -> Parsed:
    term = term.strip()
    if problem := term_problem(term, strict):
        return Rejected(problem, term) if not strict else None
    back = drop_list_intro(back) if form != "question" else back
    if not back and allow_empty:
        return Definition(term, "", form)
    if problem := back_problem(back):
        return Rejected(problem if back.strip() or form != "comma" else "only introduces a list", term)
    return Definition(term, back.strip().rstrip(";；,，、"), form)


def _colon(text: str, raw: str) -> Parsed:
    parts = _split(text, ":：")
    if parts is None or not parts[0]:
        return None
    term, back = parts
    if term_problem(term, strict=False):
        return None
    raw_parts = _split(strip_numbering(raw), ":：")
    if back and raw_parts and is_only_links(raw_parts[1]):
        return Rejected("definition is only a link", term)
    return _checked(term, back, "colon", strict=False, allow_empty=True)


def _dash(text: str, raw: str) -> Parsed:
    match = _DASH.match(text)
    if not match:
        return None
    back = match.group("back").strip()
    if not (has_cjk(back) or re.search(r"[\s(（/]", back)):
        return None  # ``MT-DNN``, ``Stable-Diffusion``: one hyphenated name, not a pair
    return _checked(match.group("term"), back, "dash", strict=False)


def _bracketed(text: str, raw: str) -> Parsed:
    """A whole line ``term(other)``: an abbreviation, a translation, or a bracketed explanation."""
    main, alias = split_alias(text.rstrip(",，;；。"))
    if alias is None or term_problem(main, strict=False) or re.search(r"[(（]", main):
        return None
    first, rest = [part.strip() for part in [*re.split(r"[,，]", alias, maxsplit=1), ""][:2]]
    if is_acronym(main) and (has_cjk(alias) or expands(main, alias)):
        return Definition(main, alias, "abbreviation")
    if is_acronym(first) and (has_cjk(main) or expands(first, main)):
        return Definition(first, f"{main} ({rest})" if rest else main, "abbreviation")
    if has_cjk(main) != has_cjk(alias) and not re.search(r"[,，、+]", alias):
        return Definition(main, alias, "gloss")
    if has_cjk(alias) and len(alias) >= 10 and re.search(r"[,，、+]", alias):
        return Definition(main, alias, "explanation")
    return None


def _sentence(text: str, raw: str) -> Parsed:
    """``X 是一种…`` / ``X是指…`` / ``X(Y)指…``: the defining verb follows a term-shaped subject."""
    for match in _VERB.finditer(text):
        term = text[: match.start()].strip()
        if term and not term_problem(term, strict=True):
            rest = text[match.end() :].strip()
            if rest and not back_problem(rest):
                return Definition(term, drop_list_intro(text), "sentence")
    return None


def _comma(text: str, raw: str) -> Parsed:
    """``精确模式,试图…``: a noun-like term, a comma, then what it does (strict: prose looks alike)."""
    parts = _split(text, ",，")
    if parts is None or term_problem(parts[0], strict=True):
        return None
    return _checked(parts[0], parts[1], "comma", strict=True)
