"""Notes → cards: one card per definition, with the reason every other candidate was skipped.

Pure: text in, cards and skip reasons out. The rules follow the structure of the notes as markdown-it
reads it (a heading and the paragraph under it, a table's term and explanation columns, a definition
list, a question and its answer, an item and its sub-list) and the shape of each line (see
:mod:`trainer.decks.definitions`), so they carry over to notes nobody here has seen.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from trainer.decks.definitions import (
    ANSWER_LABEL,
    ENGLISH_SUBJECT_START,
    QUESTION_LABEL,
    WEAK_FORMS,
    Definition,
    Rejected,
    back_problem,
    drop_list_intro,
    parse_line,
    question_term,
    term_problem,
)
from trainer.decks.model import Card
from trainer.decks.no_collection import collector_paused
from trainer.decks.note_blocks import Block, parse
from trainer.decks.note_tables import term_columns
from trainer.decks.note_titles import document_title, is_title_like
from trainer.decks.notes_text import (
    cjk_count,
    clean_inline,
    expands,
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
_CHROME = re.compile(
    r"^(?:跳转至|跳到主要内容|skip to (?:main )?content|\[TOC\]|目录|table of contents)$"
    r"|阅读时间|阅读需|(?<!\d)\d+\s*个字|min(?:ute)?s? read|reading time",
    re.IGNORECASE,
)
_LEADING_LINK = re.compile(r"^\s*\[[^\[\]]*\]\([^()]*\)")
_SUBJECTLESS = re.compile(r"^(?:是|指|即)\S")
_REDIRECT = re.compile(r"^(?:see(?:\s+also)?\b|参见|详见|见)", re.IGNORECASE)
_LETTER_HEADING = re.compile(r"^[A-Za-z0-9](?:\s*[-–—~]\s*[A-Za-z0-9])?$")
_ABOUT_DOCUMENT = re.compile(
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
_SENTENCE_END = re.compile(r"[。！？]|[.!?](?:\s|$)")
_DECORATION = re.compile(r"^[^\w\u3400-\u9fff(（\[]+")
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mdx", ".rmd", ".qmd"}
_EXCERPT = 60


@dataclass(frozen=True)
class Skipped:
    """A candidate that did not become a card, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Extraction:
    """What one document yields: its title (if it has a clear one), its cards and its skipped candidates."""

    title: str | None
    cards: tuple[Card, ...]
    skipped: tuple[Skipped, ...]
    forms: tuple[tuple[str, int], ...] = ()
    """How many cards each form made (``table``, ``heading``, ``bold``, …), most first."""


@dataclass
class _Draft:
    front: str
    backs: list[str]
    tags: tuple[str, ...]
    line: int
    form: str


@dataclass
class _State:
    source: str
    drafts: dict[str, _Draft] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    """The enclosing headings (level, text); a heading that is itself a term has no text (no tag)."""
    title_line: int | None = None
    last_card: tuple[str, int] | None = None
    """The id of the latest card and the index of the top-level block it came from."""
    section_term: str | None = None
    """The term whose heading we are under: more prose there is about it, not a new term."""
    tutorial: bool = False
    """Prose-heavy notes: only definitions the writer marked up (bold, a table, a heading) count."""
    glossary_levels: frozenset[int] = frozenset()
    """Heading levels whose headings are mostly terms with their definitions under them."""
    instruction_levels: frozenset[int] = frozenset()
    """Heading levels where most paragraphs under the headings are instructions: there that is how
    the entries are written (``### Pooling`` / ``Reduce the size …``), so an instruction is a definition."""


def extract(text: str, source_name: str) -> Extraction:
    """Cards for every definition in ``text``; ``source_name`` is used in each card's ``source``."""
    try:
        with collector_paused():
            return _extract(text, source_name)
    finally:
        parse_line.cache_clear()  # the answers are kept for one document, not for the process


def _extract(text: str, source_name: str) -> Extraction:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    markdown = PurePath(source_name).suffix.lower() in _MARKDOWN_SUFFIXES
    document = parse(text, markdown, lambda line: isinstance(parse_line(line), Definition))
    roots = document.blocks
    state = _State(source_name)
    entries = _heading_entries(roots)
    h1_are_terms = 1 in _glossary_levels(entries, None, _instruction_levels(entries, None))
    title, state.title_line = document_title(document, h1_are_terms)
    state.tutorial = _is_tutorial(roots)
    state.instruction_levels = _instruction_levels(entries, state.title_line)
    state.glossary_levels = _glossary_levels(entries, state.title_line, state.instruction_levels)
    advert = _advert_start(text)
    consumed: set[int] = set()
    for index, block in enumerate(roots):
        if advert is not None and block.line >= advert:
            state.skipped.append(
                Skipped(advert, f"lines {advert}-{_last_line(roots[-1])}", "advertising or payment block")
            )
            break
        if index not in consumed:
            consumed |= _top_level(state, roots, index)
    forms = Counter(draft.form for draft in state.drafts.values())
    return Extraction(title, _cards(state), tuple(state.skipped), tuple(forms.most_common()))


def _last_line(block: Block) -> int:
    return max([block.line, *(_last_line(child) for child in block.children)])


def _is_tutorial(roots: list[Block]) -> bool:
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
    """The paragraph opens as a glossary entry does (see :func:`_defining_opening`)."""
    instruction: bool
    """The paragraph tells the reader to do something (see :func:`_instructs`)."""


def _heading_entries(roots: list[Block]) -> list[_Entry]:
    entries = []
    for block, body in itertools.pairwise(roots):
        if block.kind == "heading" and body.kind == "para":
            term = _heading_term(block.clean)
            defines = (
                _heading_term_problem(term, asked=False) is None and _definition_body(body, term) is not None
            )
            named = defines and _defining_opening(term, body.clean)
            entries.append(_Entry(block.line, block.level, defines, named, _instructs(term, body.clean)))
    return entries


def _glossary_levels(
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


def _instruction_levels(entries: list[_Entry], title_line: int | None) -> frozenset[int]:
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


def _instructs(term: str, text: str) -> bool:
    """Whether a paragraph tells the reader to do something and never names the heading's term."""
    return _INSTRUCTION.match(text) is not None and not mentions(term, text)


def _defining_opening(term: str, text: str) -> bool:
    """Whether a paragraph opens as a glossary entry does: with its term, or a noun phrase (``A …``)."""
    return opens_with(term, text) or mentions(term, text) or bool(_NOUN_PHRASE_START.match(text))


def _advert_start(text: str) -> int | None:
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


def _tags(state: _State) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text for _level, text in state.headings if text))


def _add(state: _State, front: str, back: str, line: int, index: int, form: str) -> None:
    """Add a card. A term defined again is one card: a passing mention after a clear definition is
    listed as a duplicate, any other definition joins the back."""
    main, alias = split_alias(front)
    if alias and is_acronym(main) and (expands(main, alias) or has_cjk(alias)):
        front, back = main, back if alias in back else f"{alias}\n{back}"
    elif alias and is_acronym(alias) and (has_cjk(main) or expands(alias, main)):
        front, main, back = alias, alias, back if main in back else f"{main}\n{back}"
    back = back.strip().rstrip(";；,，、").strip()
    key = normalise_term(main) or normalise_term(front)
    if not key or not back:
        state.skipped.append(
            Skipped(line, _excerpt(front or back), "no term" if not key else "empty definition")
        )
        return
    state.last_card = (key, index)
    draft = state.drafts.get(key)
    if draft is None:
        state.drafts[key] = _Draft(front, [back], _tags(state), line, form)
    elif form in WEAK_FORMS and draft.form not in WEAK_FORMS:
        state.skipped.append(Skipped(line, _excerpt(front), f"duplicate of the card at line {draft.line}"))
    elif all(normalise_term(back) != normalise_term(known) for known in draft.backs):
        draft.backs.append(back)


def _cards(state: _State) -> tuple[Card, ...]:
    return tuple(
        Card(
            id=key,
            front=draft.front,
            back="\n\n".join(draft.backs),
            tags=draft.tags,
            source=f"{state.source}:{draft.line}",
        )
        for key, draft in state.drafts.items()
    )


def _excerpt(text: str) -> str:
    text = text.replace("\n", " ")
    return text[: _EXCERPT - 1] + "…" if len(text) > _EXCERPT else text


def _skip(state: _State, block: Block, reason: str) -> None:
    state.skipped.append(Skipped(block.line, _excerpt(block.clean or block.text.strip()), reason))


_NOISE_KINDS = {
    "code": "code block",
    "image": "image",
    "html": "HTML comment, component tag or embed",
    "front_matter": "front matter",
}


def _top_level(state: _State, roots: list[Block], index: int) -> set[int]:
    """Handle one top-level block; return the indexes of following blocks it used up."""
    block = roots[index]
    if block.kind == "heading":
        return _heading(state, roots, index)
    if block.kind in _NOISE_KINDS:
        _skip(state, block, _NOISE_KINDS[block.kind])
    elif block.kind == "item":
        _item(state, block, index, collect=None)
    elif block.kind == "table":
        _table(state, block, index)
    elif block.kind == "term":
        _definition_term(state, block, index)
    else:
        return _paragraph(state, roots, index)
    return set()


def _heading_term(text: str) -> str:
    """``### 🧠 1.2 Overfitting:`` → ``Overfitting``: marks, numbers and a closing colon are decoration."""
    return strip_numbering(_DECORATION.sub("", text)).rstrip(":：").strip()


def _heading_term_problem(term: str, asked: bool) -> str | None:
    if not asked and _LETTER_HEADING.match(term):
        return "letter heading of an index"
    if problem := term_problem(term, strict=False):
        return problem
    if len(term.split()) > 6:
        return "too long for a term"
    return None


def _heading(state: _State, roots: list[Block], index: int) -> set[int]:
    """A heading opens a section (its tags) and is a card when a defining paragraph follows it."""
    block = roots[index]
    following = roots[index + 1] if index + 1 < len(roots) else None
    while state.headings and state.headings[-1][0] >= block.level:
        state.headings.pop()
    state.section_term = None
    if block.line == state.title_line:
        return set()
    asked = question_term(block.clean)
    term = asked or _heading_term(block.clean)
    used: set[int] = set()
    if following is None or following.kind == "heading":
        _skip(state, block, "heading with nothing under it")
    elif following.kind != "para":
        _skip(state, block, "section heading (no defining paragraph under it)")
    elif problem := _heading_term_problem(term, asked is not None):
        _skip(state, block, f"section heading ({problem})")
    elif (
        _starts_run(roots, index + 1)
        or (body := _heading_body(state, following, term, asked is not None, block.level)) is None
    ):
        _skip(state, block, "section heading (the paragraph under it is not a definition)")
    else:
        _add(state, term, body, block.line, index, "question" if asked else "heading")
        state.section_term = normalise_term(split_alias(term)[0])
        state.headings.append((block.level, ""))
        return {index + 1}
    state.headings.append((block.level, _heading_term(block.clean)))
    return used


def _starts_run(roots: list[Block], index: int) -> bool:
    """Whether the paragraph at ``index`` is the first of several definitions of the same form (the
    entries of a list under a section heading, not that heading's definition)."""
    if index + 1 >= len(roots) or roots[index + 1].kind != "para":
        return False
    first, second = parse_line(roots[index].text), parse_line(roots[index + 1].text)
    return isinstance(first, Definition) and isinstance(second, Definition) and first.form == second.form


def _heading_body(state: _State, para: Block, term: str, asked: bool, level: int) -> str | None:
    """The paragraph under a heading, if it defines the heading's term (and no term of its own).

    In a glossary (or notes that are mostly definitions) the paragraph under a term-like heading is
    its definition; in an article a heading is a term only when the paragraph opens with it."""
    text = _definition_body(para, term)
    if text is None or (not mentions(term, text) and _ABOUT_DOCUMENT.match(text)):
        return None  # ``This glossary provides…``: about the document, not the heading's term
    if not asked and level not in state.instruction_levels and _instructs(term, text):
        return None  # ``## Homework`` / ``Implement both algorithms …``: a task, not a definition
    if asked or level in state.glossary_levels or opens_with(term, text):
        return text
    if state.tutorial:
        return None
    # study notes: a Chinese explanation under its heading, one that names it, or ``A …``
    return text if has_cjk(term + text) or _defining_opening(term, text) else None


def _definition_body(para: Block, term: str) -> str | None:
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
    return text if _reads_as_definition(text) else None


def _reads_as_definition(text: str) -> bool:
    text = drop_list_intro(text)
    words = len(re.findall(r"[A-Za-z]+", text))
    return (
        len(text) >= 6
        and (bool(re.search(r"[，,。；;：:]|是|指", text)) or words >= 4)
        and not back_problem(text)
    )


def _weak_here(state: _State, block: Block, parsed: Definition, opens_section: bool = False) -> str | None:
    """Why a weakly marked definition (a sentence, a comma) does not count where it stands, or None.

    In an article, an English ``X is a …`` that opens a section still counts: that is where articles
    define their terms."""
    if _bold_lead(block.text, parsed.term) or (parsed.form not in WEAK_FORMS and parsed.form != "colon"):
        return None
    if parsed.form == "colon" and (not state.tutorial or _marked_term(block, parsed)):
        return None
    if state.section_term is not None:
        return "more text under a term's heading, not a new term"
    if state.tutorial and not (opens_section and parsed.form == "sentence" and not has_cjk(parsed.term)):
        return "prose in an article-style note (only marked-up definitions count)"
    return None


def _bold_lead(raw: str, term: str) -> bool:
    """Whether the line opens with the term in bold (``**Memory safety** is …``), not a bold sentence."""
    if not raw.startswith("**") or (end := raw.find("**", 2)) < 0:
        return False
    return normalise_term(clean_inline(raw[2:end])) in (
        normalise_term(term),
        normalise_term(split_alias(term)[0]),
    )


def _paragraph(state: _State, roots: list[Block], index: int) -> set[int]:
    block = roots[index]
    following = roots[index + 1] if index + 1 < len(roots) else None
    text = block.clean
    if block.line == state.title_line:
        _skip(state, block, "the document's title")
        return set()
    if _CHROME.search(text):
        _skip(state, block, "page chrome")
        return set()
    if QUESTION_LABEL.match(text):
        return _question_answer(state, roots, index)
    if "\n" in block.text and not block.text.startswith("**"):
        asked = parse_line(block.text)
        if isinstance(asked, Definition) and asked.form == "question" and asked.back:
            _add(state, asked.term, asked.back, block.line, index, "question")
            return set()
        return _name_line(state, block, index)
    if is_only_links(block.text):
        parsed = parse_line(text)
        if (
            isinstance(parsed, Definition)
            and parsed.form == "sentence"
            and not _weak_here(state, block, parsed)
        ):
            _add(state, parsed.term, parsed.back, block.line, index, parsed.form)
        else:
            _skip(state, block, "link only")
        return set()
    parsed = parse_line(block.text)
    opens_section = index > 0 and roots[index - 1].kind == "heading"
    if isinstance(parsed, Definition) and (reason := _weak_here(state, block, parsed, opens_section)):
        _skip(state, block, reason)
        return set()
    if isinstance(parsed, Definition) and parsed.form == "question":
        return _question(state, block, parsed, following, index)
    if isinstance(parsed, Definition) and parsed.back:
        _add(state, parsed.term, parsed.back, block.line, index, parsed.form)
        return set()
    if isinstance(parsed, Definition) and not term_problem(parsed.term, strict=True):
        return _list_under_term(state, roots, index, parsed.term)
    if isinstance(parsed, Definition):
        _skip(state, block, "empty definition")
        return set()
    if isinstance(parsed, Rejected):
        _skip(state, block, parsed.reason)
        return set()
    if block.text.startswith("**") and block.text.endswith("**") and following is not None:
        return _bold_term(state, roots, index)
    return _heading_like(state, block, following, index)


def _name_line(state: _State, block: Block, index: int) -> set[int]:
    """A short name alone on the paragraph's first line, its definition on the lines below."""
    head, _, rest = block.text.partition("\n")
    term, body = clean_inline(head), clean_inline(rest).replace("\n", " ")
    if not term or not body:
        _skip(state, block, "no definition form")
    elif problem := term_problem(term, strict=False):
        _skip(state, block, f"name line ({problem})")
    elif ENGLISH_SUBJECT_START.match(term):
        _skip(state, block, "a wrapped sentence, not a name line")
    elif state.tutorial or state.section_term is not None:
        _skip(state, block, "a short line in prose, not a marked-up term")
    elif not _reads_as_definition(body) or isinstance(parse_line(body), Definition):
        _skip(state, block, "name line without a definition under it")
    else:
        _add(state, term, body, block.line, index, "name-line")
    return set()


def _question_answer(state: _State, roots: list[Block], index: int) -> set[int]:
    """``Q: …`` then ``A: …`` (on the same line, the next one or the next paragraph): the front is
    the term asked about, or the question itself when it asks about no one term."""
    block = roots[index]
    question = QUESTION_LABEL.sub("", block.clean, count=1)
    if (marked := ANSWER_LABEL.search(question)) is not None:
        question, answer = question[: marked.start()].strip(), question[marked.end() :].strip()
        used: set[int] = set()
    else:
        following = roots[index + 1] if index + 1 < len(roots) else None
        label = ANSWER_LABEL.match(following.clean) if following and following.kind == "para" else None
        answer = following.clean[label.end() :] if following and label else ""
        used = {index + 1} if label else set()
    if problem := back_problem(answer):
        _skip(state, block, f"question without an answer ({problem})")
        return set()
    term = question_term(question)
    if term and not term_problem(term, strict=False):
        _add(state, term, answer, block.line, index, "question")
    else:
        _add(state, question, answer, block.line, index, "question")
    return used


def _bold_term(state: _State, roots: list[Block], index: int) -> set[int]:
    """``**Term**`` alone in its paragraph, its definition in the paragraph or list after it."""
    block, following = roots[index], roots[index + 1]
    term = strip_numbering(block.clean)
    if problem := term_problem(term, strict=False):
        _skip(state, block, f"bold line ({problem})")
        return set()
    if following.kind == "item":
        return _list_under_term(state, roots, index, term)
    if following.kind == "para" and (body := _definition_body(following, term)) is not None:
        _add(state, term, body, block.line, index, "bold")
        return {index + 1}
    _skip(state, block, "bold line without a definition under it")
    return set()


def _append(state: _State, block: Block) -> None:
    if state.last_card is not None:
        state.drafts[state.last_card[0]].backs[-1] += "\n" + block.clean


def _question(
    state: _State, block: Block, parsed: Definition, following: Block | None, index: int
) -> set[int]:
    if parsed.back:
        _add(state, parsed.term, parsed.back, block.line, index, "question")
        return set()
    if following is not None and following.kind == "para" and not back_problem(following.clean):
        _add(state, parsed.term, following.clean, block.line, index, "question")
        return {index + 1}
    _skip(state, block, "question without an answer")
    return set()


def _list_under_term(state: _State, roots: list[Block], index: int, term: str) -> set[int]:
    """``Term:`` followed by a list that is not itself made of definitions: the list is the back."""
    block = roots[index]
    run: list[int] = []
    for later in range(index + 1, len(roots)):
        if roots[later].kind != "item" or (run and roots[later].level != roots[run[0]].level):
            break
        run.append(later)
    items = [roots[i] for i in run]
    if items and _describes(items):
        _add(state, term, "\n".join(_render(item, 0) for item in items), block.line, index, "list")
        return set(run)
    reason = "empty definition"
    if items:
        reason = "introduces a list of definitions" if any(map(_is_definition, items)) else "only a list"
    _skip(state, block, reason)
    return set()


def _describes(items: list[Block]) -> bool:
    """A sub-list that explains (phrases, not bare names, and not definitions of their own)."""
    if any(isinstance(parse_line(item.text, in_list=True), Definition) for item in items):
        return False
    return any(cjk_count(item.clean) >= 4 or len(item.clean) >= 25 for item in items)


def _render(item: Block, depth: int) -> str:
    lines = ["  " * depth + "- " + item.clean.rstrip("、,，;；")]
    lines += [_render(child, depth + 1) for child in item.children if child.kind == "item"]
    return "\n".join(lines)


def _heading_like(state: _State, block: Block, following: Block | None, index: int) -> set[int]:
    """A short line on its own followed by a paragraph about it, as scraped pages render headings."""
    text = block.clean
    if _SUBJECTLESS.match(text) and state.last_card and index - state.last_card[1] <= 3:
        _append(state, block)
        return set()
    term = strip_numbering(text)
    if not (following and following.kind == "para" and is_title_like(text) and not term_problem(term, False)):
        _skip(state, block, "no definition form")
        return set()
    if state.tutorial or state.section_term is not None:
        _skip(state, block, "a short line in prose, not a marked-up term")
        return set()
    body = following.clean
    if parse_line(following.text) is None and mentions(term, body) and _reads_as_definition(body):
        _add(state, term, body, block.line, index, "heading-like")
        return {index + 1}
    _skip(state, block, "no definition form")
    return set()


def _table(state: _State, block: Block, index: int) -> None:
    """A table with a term column and an explanation column: one card per row."""
    (_line, header), *rows = [(line, [clean_inline(cell) for cell in cells]) for line, cells in block.rows]
    columns = term_columns(header, [texts for _line, texts in rows])
    if columns is None:
        _skip(state, block, "table without a term column and an explanation column")
        return
    term_column, back_column = columns
    names = header
    for line, texts in rows:
        if len(texts) <= max(columns):
            continue
        term, back = strip_numbering(texts[term_column]), texts[back_column]
        extra = [
            f"{names[column]}: {text}" if column < len(names) and names[column] else text
            for column, text in enumerate(texts)
            if column not in columns and text
        ]
        if problem := term_problem(term, strict=False) or back_problem(back):
            state.skipped.append(Skipped(line, _excerpt(term or back), f"table row: {problem}"))
            continue
        _add(state, term, "\n".join([back, *extra]), line, index, "table")


def _definition_term(state: _State, block: Block, index: int) -> None:
    """A definition-list term (Markdown ``Term`` / ``:   definition`` or HTML ``<dt>``/``<dd>``)."""
    term = strip_numbering(block.clean)
    lines = [child.clean for child in block.children if child.kind == "para"]
    lines += [_render(child, 0) for child in block.children if child.kind == "item"]
    back = "\n".join(line for line in lines if line)
    if problem := term_problem(term, strict=False) or back_problem(back):
        _skip(state, block, f"definition list entry: {problem}")
        return
    _add(state, term, back, block.line, index, "deflist")


def _marked_term(block: Block, parsed: Definition) -> bool:
    """Whether the writer marked the term: bold, or named with its abbreviation or translation."""
    main, alias = split_alias(parsed.term)
    named = alias is not None and (has_cjk(main) != has_cjk(alias) or is_acronym(alias))
    return named or _bold_lead(block.text, parsed.term)  # ``结果反馈（可选）`` is a remark, not a name


def _item(state: _State, block: Block, index: int, collect: list[str] | None, depth: int = 0) -> None:
    """A list item: its own card, part of its parent's back (``collect``), or skipped with a reason."""
    if block.kind in _NOISE_KINDS:
        _skip(state, block, _NOISE_KINDS[block.kind])
        return
    if is_only_links(block.text):
        if collect is None:
            _skip(state, block, "link list entry")
        return
    parsed = parse_line(block.text, in_list=True)
    if _LEADING_LINK.match(block.text) and isinstance(parsed, Definition) and parsed.form == "comma":
        _skip(state, block, "link list entry")
        return
    if (
        isinstance(parsed, Definition)
        and state.tutorial
        and parsed.form in ("colon", "comma", "sentence", "dash")
        and not _marked_term(block, parsed)
    ):
        if collect is None:
            _skip(state, block, "list item in an article-style note without a marked-up term")
        else:
            collect.append("  " * depth + "- " + block.clean)
        return
    defines = isinstance(parsed, Definition) and (parsed.form != "question" or bool(parsed.back))
    if defines or _bare_with_body(block, parsed):
        _item_card(state, block, index, parsed)
        return
    if isinstance(parsed, Definition) and parsed.form == "question" and block.children:
        _item_card(state, block, index, parsed)
        return
    if collect is not None:
        if not block.children or not all(_is_definition(child) for child in block.children):
            collect.append("  " * depth + "- " + block.clean.rstrip("、,，;；"))
        for child in block.children:
            _child(state, child, index, collect, depth + 1)
        return
    reason = parsed.reason if isinstance(parsed, Rejected) else "no definition form"
    if isinstance(parsed, Definition):
        reason = "question without an answer"
    _skip(state, block, reason)
    for child in block.children:
        _child(state, child, index, None, 0)


def _is_definition(block: Block) -> bool:
    return block.kind == "item" and isinstance(parse_line(block.text, in_list=True), Definition)


def _bare_with_body(block: Block, parsed: object) -> bool:
    term = block.clean
    has_body = any(child.kind == "para" for child in block.children)
    return parsed is None and has_body and term_problem(term, strict=False) is None and len(term) <= 30


def _item_card(state: _State, block: Block, index: int, parsed: object) -> None:
    """The card for a defining item, its back gathered from the item, its body and its sub-list."""
    if isinstance(parsed, Definition):
        term, back, form = parsed.term, parsed.back, parsed.form
    else:
        term, back, form = strip_numbering(block.clean), "", "item"
    paras = [child for child in block.children if child.kind == "para"]
    items = [child for child in block.children if child.kind == "item"]
    if not back and not paras and not (items and _describes(items)):
        reason = "empty definition"
        if items:
            reason = "introduces a list of definitions" if any(map(_is_definition, items)) else "only a list"
        _skip(state, block, reason)
        for child in block.children:
            _child(state, child, index, None, 0)
        return
    lines = [back] if back else []
    lines += [para.clean for para in paras if not is_only_links(para.text)]
    for child in block.children:
        if child.kind == "item":
            _child(state, child, index, lines, 0)
        elif child.kind != "para":
            _skip(state, child, _NOISE_KINDS.get(child.kind, child.kind))
    _add(state, term, "\n".join(line for line in lines if line), block.line, index, form)


def _child(state: _State, child: Block, index: int, collect: list[str] | None, depth: int) -> None:
    if child.kind == "item":
        _item(state, child, index, collect, depth)
    elif child.kind == "para":
        if collect is not None:
            collect.append("  " * depth + child.clean)
        else:
            _paragraph(state, [child], 0)
    elif child.kind == "table":
        _table(state, child, index)
    elif child.kind == "term":
        _definition_term(state, child, index)
    else:
        _skip(state, child, _NOISE_KINDS.get(child.kind, child.kind))
