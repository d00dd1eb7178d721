"""The extractor's rules that read a block or a line on its own, with no state: what a document is
(a tutorial, a glossary whose headings are terms, an advert at its end), which headings are terms and
which paragraphs define them, and the shapes of items and tables. ``extract`` applies them in order.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from trainer.decks.definitions import (
    DECORATION,
    WEAK_FORMS,
    Definition,
    Rejected,
    back_problem,
    drop_list_intro,
    parse_line,
    question_term,
    term_problem,
)
from trainer.decks.note_blocks import Block
from trainer.decks.note_titles import is_title_like
from trainer.decks.notes_text import (
    cjk_count,
    clean_inline,
    has_cjk,
    is_acronym,
    is_only_links,
    mentions,
    normalise_term,
    opens_with,
    reading_size,
    split_alias,
    strip_numbering,
)

_PROMOTION = re.compile(
    r"扫码|二维码|领取|礼包|点赞|收藏|红包|充值|支付|打赏|公众号|私信|加群|资源包|免费分享|免费领|关注|粉丝|"
    r"付费|余额|👉|🎁|subscribe|sign up|buy now",
    re.IGNORECASE,
)


CHROME = re.compile(
    r"^(?:跳转至|跳到主要内容|skip to (?:main )?content|\[TOC\]|目录|table of contents)$"
    r"|阅读时间|阅读需|(?<!\d)\d+\s*个字|min(?:ute)?s? read|reading time",
    re.IGNORECASE,
)


LEADING_LINK = re.compile(r"^\s*\[[^\[\]]*\]\([^()]*\)")


SUBJECTLESS = re.compile(r"^(?:是|指|即)\S")


_REDIRECT = re.compile(r"^(?:see(?:\s+also)?\b|参见|详见|见)", re.IGNORECASE)


_LETTER_HEADING = re.compile(r"^[A-Za-z0-9](?:\s*[-–—~]\s*[A-Za-z0-9])?$")


ABOUT_DOCUMENT = re.compile(
    r"^(?:this|these|here|below|we|our|the following|in this)\b|^(?:本文|本章|本节|这篇|下面|以下)",
    re.IGNORECASE,
)


_NOUN_PHRASE_START = re.compile(
    r"(?:an?|the|one|any)\s|(?:when|where|whenever|wherever|if|in which|whereby)\s"
    r"(?!(?:i|we|you|he|she|they|it|this|that|our|my|your)\b)",
    re.IGNORECASE,
)
"""How a glossary entry may open besides its term: an article (``A …``) or a relative clause about
something (``When a model learns noise …``), not a story (``When we ran it …``)."""


_DESCRIBING_VERB = re.compile(
    r"(?!(?i:has|was|does|its|yes|lets|always|sometimes|perhaps|besides|towards|afterwards|nowadays)\s)"
    r"(?:[A-Z][a-z]*[^\Wsiu]s|[A-Z][a-z]+ing(?=\s+(?!(?:is|are|was|were|can|could|will|would|should|may|might"
    r"|must|has|have|had|does|do|did|helps|makes|becomes)\b)(?:an?\s|the\s)?[a-z][^.!?]*[.!?]?$))"
    r"\s+(?:an?\s|the\s)?[a-z]"
)
"""A verb in the third person, then what it acts on (``Removes code …``), or one sentence opening with
a gerund (``Rejecting a true null hypothesis.``): how a glossary defines an operation or an error. Not
``-ss``, ``-is`` or ``-us`` words (``Process``, ``Analysis``, ``Thus``), nor an auxiliary or an adverb."""


_INSTRUCTION = re.compile(
    r"(?!(?i:an?|the|one|any|this|that|these|those|it|its|there|here|each|every|all|both|some|my|our|"
    r"in|on|at|by|for|from|to|with|of|as|after|before|during|under|over|like|unlike|since|until|once|"
    r"while|because|though|although|unless|so|but|and|or|nor|not|only|just|then|thus|hence|given|"
    r"can|could|may|might|must|should|would|will|shall|do|did|have|had|be|were|was|"
    r"when|whenever|where|wherever|whereby|if|why|how|what|which|who|whose)\s)"
    r"[A-Z][a-z]+(?<![^s]s)(?<!ing)(?<!ed)(?<!ly)\s+"
    r"(?:the|an?|both|all|each|every|it|them|this|these|those|your|our|my|its|their|some|any|one)\s"
)
"""A bare verb then its object (``Implement both …``, ``Run it …``): an instruction, as in a
homework or setup section. A description opens with a noun, an article, a preposition, ``Measures …``,
``Splitting …`` or ``Used …`` instead."""


_INSTRUCTION_ZH = re.compile(r"^(?:请|试着|尝试)(?!求|假|柬)")
"""``请完成 …``, ``尝试 …``: a Chinese paragraph addressed to the reader, a task rather than a description."""


_SENTENCE_END = re.compile(r"[。！？]|[.!?](?:\s|$)")


def last_line(block: Block) -> int:
    return max([block.line, *(last_line(child) for child in block.children)])


def is_tutorial(roots: list[Block]) -> bool:
    """Whether about half the text or more is running prose (paragraphs of several sentences), as in
    an article or tutorial rather than a glossary or study list."""
    prose = total = 0
    for block in roots:
        size = reading_size(block.clean) if block.kind in ("para", "item", "term") else 0
        if block.kind == "table":
            size = sum(reading_size(cell) for _line, cells in block.rows for cell in cells)
        total += size
        if block.kind == "para" and len(_SENTENCE_END.findall(block.clean)) >= 2 and not _entry(block):
            prose += size
    return total > 0 and prose >= 0.45 * total


def _entry(block: Block) -> bool:
    """Whether a paragraph is a glossary entry (a short term, then its definition), however long."""
    parsed = parse_line(block.text)
    if not isinstance(parsed, Definition) or parsed.form in WEAK_FORMS:
        return False
    name = split_alias(parsed.term)[0]
    return len(name.split()) <= 3 and cjk_count(name) <= 6


@dataclass(frozen=True)
class _Entry:
    """A heading with a paragraph under it, as the rules that find glossaries see it."""

    line: int
    level: int
    defines: bool
    """The heading reads as a term and the paragraph as a definition."""
    named: bool
    """The paragraph opens as a glossary entry does (see :func:`defining_opening`)."""
    instruction: bool
    """The paragraph tells the reader to do something (see :func:`instructs`)."""


def heading_entries(roots: list[Block]) -> list[_Entry]:
    entries = []
    for block, body in itertools.pairwise(roots):
        if block.kind == "heading" and body.kind == "para":
            term = heading_term(block.clean)
            defines = (
                heading_term_problem(term, asked=False) is None and definition_body(body, term) is not None
            )
            named = defines and defining_opening(term, body.clean)
            entries.append(_Entry(block.line, block.level, defines, named, instructs(term, body.clean)))
    return entries


def find_glossary_levels(
    entries: list[_Entry], title_line: int | None, instruction_levels: frozenset[int]
) -> frozenset[int]:
    """Heading levels where headings are terms: most are short noun phrases over a defining paragraph
    (an instruction counts only where most entries are written as instructions)."""
    followed: Counter[int] = Counter()
    terms: Counter[int] = Counter()
    named: Counter[int] = Counter()
    for entry in entries:
        if entry.line == title_line:
            continue
        followed[entry.level] += 1
        if entry.defines and (not entry.instruction or entry.level in instruction_levels):
            terms[entry.level] += 1
            named[entry.level] += entry.instruction or entry.named
    return frozenset(
        level
        for level, count in terms.items()
        if count >= 3 and count >= 0.6 * followed[level] and named[level] >= 0.5 * count
    )


def find_instruction_levels(entries: list[_Entry], title_line: int | None) -> frozenset[int]:
    """Heading levels whose paragraphs are mostly instructions (see :data:`_INSTRUCTION`)."""
    bodies: Counter[int] = Counter()
    instructions: Counter[int] = Counter()
    for entry in entries:
        if entry.line != title_line:
            bodies[entry.level] += 1
            instructions[entry.level] += entry.instruction
    return frozenset(
        level for level, count in instructions.items() if count >= 2 and count > bodies[level] / 2
    )


def instructs(term: str, text: str) -> bool:
    """Whether a paragraph tells the reader to do something and never names the heading's term."""
    addressed = _INSTRUCTION.match(text) or _INSTRUCTION_ZH.match(text)
    return addressed is not None and not mentions(term, text)


def defining_opening(term: str, text: str) -> bool:
    """Whether a paragraph opens as a glossary entry does: with its term, a noun phrase (``A …``) or a
    verb describing what the term does (``Removes …``)."""
    return (
        opens_with(term, text)
        or mentions(term, text)
        or bool(_NOUN_PHRASE_START.match(text) or _DESCRIBING_VERB.match(text))
    )


def advert_start(text: str) -> int | None:
    """Where a promotion or payment tail starts: dense call-to-action wording, from its heading on."""
    hits: Counter[int] = Counter()
    line, searched = 0, 0
    for match in _PROMOTION.finditer(text):  # one search of the text: most notes have no such words
        line += text.count("\n", searched, match.start())
        searched = match.start()
        hits[line] += 1
    for index in sorted(hits):
        if sum(hits[later] for later in range(index, index + 6)) >= 3:
            return _section_start(text.split("\n"), index) + 1
    return None


def _section_start(lines: list[str], index: int) -> int:
    """Back up from ``index`` over the lead-in paragraphs to the short title line that opens them."""
    seen = 0
    for back in range(index - 1, -1, -1):
        line = lines[back].strip()
        if not line:
            continue
        seen += 1
        if seen > 3:
            break
        if is_title_like(line):
            return back
    return index


NOISE_KINDS = {
    "code": "code block",
    "image": "image",
    "html": "HTML comment, component tag or embed",
    "front_matter": "front matter",
}


def heading_term(text: str) -> str:
    """``### 🧠 1.2 Overfitting:`` → ``Overfitting``: marks, numbers and a closing colon are decoration."""
    return strip_numbering(DECORATION.sub("", text)).rstrip(":：").strip()


def heading_term_problem(term: str, asked: bool) -> str | None:
    if not asked and _LETTER_HEADING.match(term):
        return "letter heading of an index"
    if problem := term_problem(term, strict=False):
        return problem
    if len(term.split()) > 6:
        return "too long for a term"
    return None


def starts_run(roots: list[Block], index: int) -> bool:
    """Whether the paragraph at ``index`` is the first of several definitions of the same form (the
    entries of a list under a section heading, not that heading's definition)."""
    if index + 1 >= len(roots) or roots[index + 1].kind != "para":
        return False
    first, second = parse_line(roots[index].text), parse_line(roots[index + 1].text)
    return isinstance(first, Definition) and isinstance(second, Definition) and first.form == second.form


def definition_body(para: Block, term: str) -> str | None:
    """A paragraph's text if it reads as a definition of ``term``: not a link list, a redirect, a
    question or a definition of some other term."""
    text = para.clean
    if is_only_links(para.text):
        parsed = parse_line(text)
        return text if isinstance(parsed, Definition) and parsed.form == "sentence" else None
    if _REDIRECT.match(text):
        return None
    parsed = parse_line(para.text)
    if question_term(text) or isinstance(parsed, Rejected):
        return None
    if isinstance(parsed, Definition) and parsed.form not in WEAK_FORMS:
        return None
    return text if reads_as_definition(text) else None


def reads_as_definition(text: str) -> bool:
    text = drop_list_intro(text)
    words = len(re.findall(r"[A-Za-z]+", text))
    return (
        len(text) >= 6
        and (bool(re.search(r"[，,。；;：:]|是|指", text)) or words >= 4)
        and not back_problem(text)
    )


def bold_lead(raw: str, term: str) -> bool:
    """Whether the line opens with the term in bold (``**Memory safety** is …``), not a bold sentence."""
    if not raw.startswith("**") or (end := raw.find("**", 2)) < 0:
        return False
    return normalise_term(clean_inline(raw[2:end])) in (
        normalise_term(term),
        normalise_term(split_alias(term)[0]),
    )


def describes(items: list[Block]) -> bool:
    """A sub-list that explains (phrases, not bare names, and not definitions of their own)."""
    if any(isinstance(parse_line(item.text, in_list=True), Definition) for item in items):
        return False
    return any(cjk_count(item.clean) >= 4 or len(item.clean) >= 25 for item in items)


def render_item(item: Block, depth: int) -> str:
    lines = ["  " * depth + "- " + item.clean.rstrip("、,，;；")]
    lines += [render_item(child, depth + 1) for child in item.children if child.kind == "item"]
    return "\n".join(lines)


def marked_term(block: Block, parsed: Definition) -> bool:
    """Whether the writer marked the term: bold, or named with its abbreviation or translation."""
    main, alias = split_alias(parsed.term)
    named = alias is not None and (has_cjk(main) != has_cjk(alias) or is_acronym(alias))
    return named or bold_lead(block.text, parsed.term)  # ``结果反馈（可选）`` is a remark, not a name


def is_definition(block: Block) -> bool:
    return block.kind == "item" and isinstance(parse_line(block.text, in_list=True), Definition)


def outline_entry(block: Block) -> bool:
    """An outline's ``- Term`` with one explanation under it as a sub-item (``  - A tree of …``): a bare
    name, and beneath it one phrase that explains and is neither a definition nor a list of its own.
    Alone it may be a topic and a note about it; among siblings of the same shape it is a glossary."""
    if block.kind != "item" or len(block.children) != 1 or parse_line(block.text, in_list=True) is not None:
        return False
    (child,) = block.children
    return (
        child.kind == "item"
        and not child.children
        and term_problem(block.clean, strict=False) is None
        and len(block.clean) <= 40
        and describes([child])
        and not instructs(block.clean, child.clean)
    )


def bare_with_body(block: Block, parsed: object) -> bool:
    term = block.clean
    has_body = any(child.kind == "para" for child in block.children)
    return parsed is None and has_body and term_problem(term, strict=False) is None and len(term) <= 30
