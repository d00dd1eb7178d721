"""Reading one line of notes as a definition: which term, which text, or why it is not one.

Every rule here looks at the shape and wording of a line (separators, brackets, a defining verb, a
term that reads like a noun rather than a clause), never at particular terms, so unseen notes work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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

DECORATION = re.compile(r"^[^\w\u3400-\u9fff(（\[]+")
"""Emoji, marks and symbols a note puts in front of a line or a heading (``📌``, ``👉``, ``★``)."""
_LENTICULAR = re.compile(r"【([^【】]{1,40})】\s*[:：]?\s*(\S.*)")
WEAK_FORMS = frozenset({"sentence", "comma", "heading-like", "name-line"})
"""Forms a passing sentence can take too; a clearly marked definition of the same term wins over them."""

_BOLD = re.compile(r"^\*\*(?P<term>[^*]+)\*\*(?P<rest>.*)$", re.DOTALL)
_QUESTION_START = re.compile(r"^(?:什么是|什么叫做?|何为|何谓|what\s+(?:is|are)\b|what's\b)", re.IGNORECASE)
_QUESTION_END = re.compile(
    r"(?:是什么意思|是什么东西|是什么|是啥|指的是什么|是指什么|指什么|what\s+does\s+it\s+mean)$",
    re.IGNORECASE,
)
QUESTION_LABEL = re.compile(r"^(?:Q|问题?|面试题)[ \t]*\d{0,3}[ \t]*[:：.、][ \t]*", re.IGNORECASE)
"""``Q1：``, ``问题 2.``: a label in front of the question."""
ANSWER_LABEL = re.compile(r"(?:(?<=[?？\s])|^)(?:A|答|回答|答案)[ \t]*[:：][ \t]*|(?<=[?？]\s)A\.[ \t]+")
"""``A:`` / ``答：`` before an answer, at the start or after the question; ``A.`` right after the
question (``Q. … ? A. …``: an ``A.`` elsewhere may be a choice in a list of options)."""
_COMPARISON = re.compile(r"区别|差异|不同|异同|对比|比较|differ|versus|\bvs\b|compar", re.IGNORECASE)
_SPACED_DASH = re.compile(r"(?<![ \t])[ \t]+(?:--?|[—–]{1,2})[ \t]+|——")
"""``Term – definition``, ``Term - definition``, ``术语 —— 定义``: a dash with space around it (or
the Chinese double dash), never the hyphen inside ``One-hot`` or ``K-means``."""
_GLUED_DASH = re.compile(
    r"^(?P<term>[A-Za-z][A-Za-z0-9.+]*)-(?P<back>[\u3400-\u9fff].*|[A-Z][A-Za-z]*[ (（/].+)$", re.DOTALL
)
"""``ELMo-双向LSTM``, ``BERT-Mask Language Model``: an acronym glued to what it stands for."""
_OBSIDIAN = re.compile(r"(?<![ \t:])[ \t]*:{2,3}(?:@:{2})?[ \t]*")
"""Obsidian spaced-repetition separators: ``Term :: definition``, ``Term ::@:: definition``."""
_VERB = re.compile(r"(?:通常|一般|其实|也|又)?(?:是指|指的是|就是|是)|(?<=[)）\s])(?:指|即)")
_ENGLISH_VERB = re.compile(
    r"\s(?:is|are)\s+(?:a|an|the|one|any|used|defined|when|how|what)\s|\s(?:refers?\s+to|means|stands\s+for|describes)\s"
)
ENGLISH_SUBJECT_START = re.compile(
    r"^(?:this|that|these|those|it|its|they|their|there|here|we|you|our|your|he|she|for|in|on|if|when|"
    r"then|so|but|and|or|as|at|by|to|with|most|some|many|each|every|such|all|both|other|another|which|"
    r"what|why|how|note|example|e\.g)\b",
    re.IGNORECASE,
)
DISCOURSE = re.compile(
    r"^(?:这|那|此|其|它|他|她|我|你|您|总之|总体|总的|简单来说|一般来说|另外|此外|然后|接下来|首先|其次|"
    r"最后|同时|目前|后者|前者|以上|以下|下面|上面|如何|为什么|为何|怎么|因此|所以|但|而|并且|例如|比如|"
    r"一个|一些|有些|有的|某些|每个|每种|不是|只是|就是)"
)
_CLAUSE_START = re.compile(r"^(?:在|当|对|通过|如果|若|因为|由于|从|将|把|被|让|使|根据|虽然|可以|需要|用)")
_CLAUSE_WORDS = re.compile(r"的|可以|会|能|将|把|被|决定|包括|需要|没有|不|都|了|是|后$|时$|中$")
_ANNOTATION = re.compile(r"^(?:P\.?S\.?|注|备注|note|nb|todo)\b", re.IGNORECASE)
_LABEL = re.compile(
    r"(?:examples?|e\.?\s?g|for (?:example|instance)|notes?|n\.?b|tips?|hints?|warnings?|caution|important|"
    r"remember|see also|例如|例子|示例|举例|比如|注意(?:事项)?|提示|温馨提示|小?贴士|小?技巧|备注|说明|警告|"
    r"重要)[.:：]?",
    re.IGNORECASE,
)
"""A label in front of a remark (``Example:``, ``Note:``, ``注意：``): it annotates the entry above.
A heading ``### Warning`` over a definition is still a term: only a label before a separator is one."""
_LABELLED = "a labelled remark (example, note, tip), not a term"
_METADATA = {
    "by", "author", "date", "description", "title", "tags", "tag", "category", "categories", "updated",
    "created", "作者", "日期", "时间", "来源", "原文", "链接", "标签", "分类", "更新", "发布", "版本",
    "license", "licence", "copyright", "spdx-license-identifier", "版权", "许可证", "许可协议",
}  # fmt: skip
_EXAMPLES = re.compile(
    r"(?:例如|比如|譬如|如：|e\.g\.|for example\b|for instance\b|such as\b)", re.IGNORECASE
)
_ASKS = re.compile(r"什么|谁|哪|怎么|如何|为什么|多少")
"""``X 是什么、为什么需要它``, ``下列哪个是…``: a question (a table of contents line, a quiz), not a
definition."""
_BRACKET = re.compile(r"[(（\[【)）\]】]")
_TERM_REACH = 100
"""How far into a line a defining verb is looked for: beyond it the subject is too long for a term."""
_PLACEHOLDER = re.compile(
    r"(?:todo|tbd|tba|wip|n/?a|coming soon|to be (?:added|written|done)|be the first to contribute|"
    r"待补充|待完善|待续|暂无|未完待续|施工中)",
    re.IGNORECASE,
)
_SENTENCE_PUNCT = re.compile(r"[。，,；;！!？?]")
_MARKED_PUNCT = re.compile(r"[。；;！!？?]")
_PATH_ONLY = re.compile(r"\S*(?:://|/|\\)\S*")


def _outside_brackets(text: str) -> str:
    """``text`` with bracketed parts blanked, so separators inside ``(a, b)`` are ignored."""
    if not _BRACKET.search(text):
        return text
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


def term_problem(term: str, strict: bool, marked: bool = False) -> str | None:
    """Why ``term`` cannot be a card's front, or None. ``strict`` is for weak forms (comma, sentence);
    a ``marked`` term (bold, a table cell) may list names with commas (``Query, Key, Value``)."""
    main = split_alias(term)[0]
    if not re.search(r"[A-Za-z\u3400-\u9fff]", term):
        return "no term"
    if term[0] in "(（[" or not _balanced(term):
        return "term is a bracketed remark"
    if "://" in term or term.lower().startswith("http"):
        return "term is a link"
    if _ANNOTATION.match(term):
        return "an annotation, not a term"
    if len(term.strip()) == 1 and term.strip().isascii() and not marked:
        return "a single letter is no term"
    punctuation = _MARKED_PUNCT if marked else _SENTENCE_PUNCT
    if punctuation.search(_outside_brackets(term)) or DISCOURSE.match(term):
        return "reads as a sentence, not a term"
    if len(main) > 40 or len(term) > 90 or cjk_count(main) > (10 if strict else 12):
        return "too long for a term"
    if strict and (_CLAUSE_START.match(term) or _CLAUSE_WORDS.search(main)):
        return "reads as a clause, not a term"
    return None


def back_problem(back: str) -> str | None:
    """Why ``back`` cannot be a card's answer, or None."""
    text = back.strip().rstrip(";；,，、").strip()
    if not text:
        return "empty definition"
    if _PLACEHOLDER.fullmatch(text.rstrip("。.!！")):
        return "a placeholder, not a definition"
    if _EXAMPLES.match(text):
        return "only examples, not a definition"
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
    cut = max(body.rfind(mark) for mark in ("。", "；", ";", ":", "：", ". "))
    return body[: cut + 1].rstrip(":：").rstrip() if cut >= 0 else ""


def _question(text: str) -> tuple[str, str] | None:
    """``什么是LoRA？``, ``Embedding 是什么？``, ``What is a token?`` → (the term asked about, the
    answer after a colon). A question comparing things (``X 和 Y 的区别``) asks about no one term."""
    text = QUESTION_LABEL.sub("", strip_numbering(text), count=1)
    body, answer = text, ""
    if (marked := ANSWER_LABEL.search(text)) is not None:  # ``Q: … A: …`` on one line
        body, answer = text[: marked.start()], text[marked.end() :].strip()
    else:
        shadow = _outside_brackets(text)
        for index, char in enumerate(shadow):
            if char in ":：" and text[index + 1 : index + 3] != "//":
                body, answer = text[:index], text[index + 1 :].strip()
                break
    body = body.strip().rstrip("?？ \u3000").removesuffix("呢").rstrip()
    asked = body != text.strip() or bool(answer)
    if (start := _QUESTION_START.match(body)) is not None:
        term = body[start.end() :]
    elif (end := _QUESTION_END.search(body)) is not None and (asked or end.group().startswith("是")):
        term = body[: end.start()]
    elif body.lower().startswith("what does ") and body.lower().endswith(" mean"):
        term = body[len("what does ") : -len(" mean")]
    else:
        return None
    term = re.sub(r"^(?:an?|the)\s+", "", term.strip(), flags=re.IGNORECASE)
    if _COMPARISON.search(term):
        return None
    return term.rsplit("中的", 1)[-1].strip(), answer


def question_term(text: str) -> str | None:
    """``什么是LoRA(Low Rank Adaptation)`` → ``LoRA(Low Rank Adaptation)``; ``LLM中的X`` asks about X."""
    asked = _question(text)
    return asked[0] or None if asked else None


@lru_cache(maxsize=8192)
def parse_line(raw: str, in_list: bool = False) -> Parsed:
    """Read one line (inline markup kept) as a definition, a rejected candidate, or nothing definitional.

    Pure, and asked about the same line by several rules, so answers are kept."""
    raw = raw.strip()
    if bold := _BOLD.match(raw):
        term = clean_inline(bold.group("term"))
        rest = bold.group("rest")
        if (separator := _OBSIDIAN.match(rest)) is not None and separator.group().strip():
            return _checked(term, clean_inline(rest[separator.end() :]), "obsidian", strict=False)
        if rest.startswith("\n"):  # ``**Term**`` alone on its line, the definition below it
            if is_only_links(rest):
                return Rejected("definition is only a link", term)
            if _question(term) is None:
                return _checked(term.rstrip(":："), clean_inline(rest), "bold", strict=False)
        elif term.rstrip(":：").lower() in _METADATA:
            return Rejected("document metadata", term)
        elif _LABEL.fullmatch(term) and (rest.strip() or term.endswith((":", "："))):
            return Rejected(_LABELLED, term)
        elif term.endswith((":", "：", ".")) or rest.lstrip().startswith((":", "：")):
            return _checked(term.rstrip(":：."), clean_inline(rest).lstrip(":： "), "bold", strict=False)
        elif (dash := _SPACED_DASH.match(" " + rest)) is not None and rest.strip():
            return _checked(term, clean_inline(rest[dash.end() - 1 :]), "dash", strict=False)
    text = strip_numbering(clean_inline(raw))
    question, newline, answer = text.partition("\n")
    if newline and question.rstrip().endswith(("?", "？")) and (asked := _question(question)) is not None:
        # the line break after a question separates it from its answer (the next line of the item)
        return _checked(asked[0], answer.replace("\n", " "), "question", strict=False)
    text = text.replace("\n", " ")
    if not text:
        return None
    if (asked := _question(text)) is not None:
        return _checked(asked[0], asked[1], "question", strict=False, allow_empty=True)
    for parser in (_obsidian, _lenticular, _colon, _dash, _bracketed, _sentence, _english, _comma):
        if (parsed := parser(text, raw, in_list)) is not None:
            return parsed
    return None


def _checked(term: str, back: str, form: str, strict: bool, allow_empty: bool = False) -> Parsed:
    term = term.strip()
    if problem := term_problem(term, strict, marked=form == "bold"):
        return Rejected(problem, term) if not strict else None
    back = drop_list_intro(back) if form != "question" else back
    if not back and allow_empty:
        return Definition(term, "", form)
    if problem := back_problem(back):
        return Rejected(problem if back.strip() or form != "comma" else "only introduces a list", term)
    return Definition(term, back.strip().rstrip(";；,，、"), form)


def _obsidian(text: str, raw: str, in_list: bool) -> Parsed:
    match = _OBSIDIAN.search(text)
    if match is None or match.start() == 0:
        return None
    return _checked(text[: match.start()], text[match.end() :], "obsidian", strict=False)


def _lenticular(text: str, raw: str, in_list: bool) -> Parsed:
    """``【Term】definition``: Chinese notes set a term off in lenticular brackets."""
    if (match := _LENTICULAR.match(text)) is None or term_problem(match.group(1).strip(), strict=False):
        return None
    return _checked(match.group(1).strip(), match.group(2), "bracket", strict=False)


def _colon(text: str, raw: str, in_list: bool) -> Parsed:
    parts = _split(text, ":：")
    if parts is None or not parts[0]:
        return None
    term, back = parts
    if _LABEL.fullmatch(DECORATION.sub("", term)):  # ``📌 小贴士：…`` too
        return Rejected(_LABELLED, term)
    if term_problem(term, strict=False):
        return None
    if term.lower() in _METADATA:
        return Rejected("document metadata", term)
    raw_parts = _split(strip_numbering(raw), ":：")
    if back and raw_parts and is_only_links(raw_parts[1]):
        return Rejected("definition is only a link", term)
    return _checked(term, back, "colon", strict=False, allow_empty=True)


def _dash(text: str, raw: str, in_list: bool) -> Parsed:
    if (match := _SPACED_DASH.search(text)) is not None and match.start() > 0:
        term, back = text[: match.start()], text[match.end() :]
        if _LABEL.fullmatch(term.strip()):
            return Rejected(_LABELLED, term)
        if not term_problem(term.strip(), strict=False):
            return _checked(term, back, "dash", strict=False)
        return None
    glued = _GLUED_DASH.match(text) if in_list else None
    if glued is not None and (has_cjk(glued.group("back")[0]) or is_acronym(glued.group("term"))):
        return _checked(glued.group("term"), glued.group("back"), "dash", strict=False)
    return None


def _bracketed(text: str, raw: str, in_list: bool) -> Parsed:
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


def _sentence(text: str, raw: str, in_list: bool) -> Parsed:
    """``X 是一种…`` / ``X是指…`` / ``X(Y)指…``: the defining verb follows a term-shaped subject."""
    for match in _VERB.finditer(text, 0, _TERM_REACH):  # a subject is a term: short
        term = text[: match.start()].strip()
        if term and not term_problem(term, strict=True) and not _ASKS.search(term):  # ``下列哪个是…？``
            rest = text[match.end() :].strip()
            if rest and not back_problem(rest) and not _ASKS.match(rest):
                return Definition(term, drop_list_intro(text), "sentence")
    return None


def _english(text: str, raw: str, in_list: bool) -> Parsed:
    """``A token is a …``, ``Overfitting, or overtraining, is …``: a short noun phrase, then the verb."""
    match = _ENGLISH_VERB.search(text, 0, _TERM_REACH)
    if match is None:
        return None
    subject = text[: match.start()].strip()
    alias = None
    if (comma := subject.find(", or ")) > 0 and subject.endswith(","):
        subject, alias = subject[:comma], subject[comma + 5 : -1].strip()
    subject = re.sub(r"^(?:an?|the)\s+", "", subject, flags=re.IGNORECASE)
    words = subject.split()
    if not 1 <= len(words) <= 5 or ENGLISH_SUBJECT_START.match(subject) or has_cjk(subject):
        return None
    if term_problem(subject, strict=True) or re.search(r"\b(?:that|which|who|whose|where|when)\b", subject):
        return None
    term = f"{subject} ({alias})" if alias and not term_problem(alias, strict=True) else subject
    return Definition(term, _first_sentence(text), "sentence")


def _first_sentence(text: str) -> str:
    """An English definition's own sentence; what follows is commentary (``For example, …``)."""
    for match in re.finditer(r"[.!?]\s+(?=[A-Z])", text):
        if not re.search(r"\b(?:e\.g|i\.e|etc|vs|cf|Dr|Mr|Mrs|St)$", text[: match.start()]):
            return text[: match.start() + 1]
    return text


def _comma(text: str, raw: str, in_list: bool) -> Parsed:
    """``精确模式,试图…``: a noun-like term, a comma, then what it does (strict: prose looks alike)."""
    parts = _split(text, ",，")
    if parts is None or term_problem(parts[0], strict=True):
        return None
    english = not has_cjk(parts[0])
    if english and (
        len(parts[0].split()) > 3
        or re.match(r"(?:an?|the)\s", parts[0], re.IGNORECASE)
        or ENGLISH_SUBJECT_START.match(parts[0])
    ):
        return None  # ``A comprehensive glossary of terms, …``: an English sentence, not a term
    return _checked(parts[0], parts[1], "comma", strict=True)
