"""Notes → cards: one card per definition, with the reason every other candidate was skipped.

Pure: text in, cards and skip reasons out. The rules follow the structure of the notes as markdown-it
reads it (a heading and the paragraph under it, a table's term and explanation columns, a definition
list, a question and its answer, an item and its sub-list) and the shape of each line (see
:mod:`trainer.decks.definitions`), so they carry over to notes nobody here has seen.
"""

from __future__ import annotations

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
    parse_line,
    question_term,
    term_problem,
)
from trainer.decks.extract_rules import (
    ABOUT_DOCUMENT,
    CHROME,
    LEADING_LINK,
    NOISE_KINDS,
    SUBJECTLESS,
    advert_start,
    bare_with_body,
    bold_lead,
    defining_opening,
    definition_body,
    describes,
    find_glossary_levels,
    find_instruction_levels,
    heading_entries,
    heading_term,
    heading_term_problem,
    instructs,
    is_definition,
    is_tutorial,
    last_line,
    marked_term,
    reads_as_definition,
    render_item,
    starts_run,
)
from trainer.decks.model import Card
from trainer.decks.no_collection import collector_paused
from trainer.decks.note_blocks import Block, parse
from trainer.decks.note_tables import header_is_entry, term_columns
from trainer.decks.note_titles import document_title, is_title_like
from trainer.decks.notes_text import (
    clean_inline,
    expands,
    has_cjk,
    is_acronym,
    is_only_links,
    mentions,
    normalise_term,
    opens_with,
    split_alias,
    strip_numbering,
)

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
    entries = heading_entries(roots)
    h1_are_terms = 1 in find_glossary_levels(entries, None, find_instruction_levels(entries, None))
    title, state.title_line = document_title(document, h1_are_terms)
    state.tutorial = is_tutorial(roots)
    state.instruction_levels = find_instruction_levels(entries, state.title_line)
    state.glossary_levels = find_glossary_levels(entries, state.title_line, state.instruction_levels)
    advert = advert_start(text)
    consumed: set[int] = set()
    for index, block in enumerate(roots):
        if advert is not None and block.line >= advert:
            state.skipped.append(
                Skipped(advert, f"lines {advert}-{last_line(roots[-1])}", "advertising or payment block")
            )
            break
        if index not in consumed:
            consumed |= _top_level(state, roots, index)
    forms = Counter(draft.form for draft in state.drafts.values())
    return Extraction(title, _cards(state), tuple(state.skipped), tuple(forms.most_common()))


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


def _top_level(state: _State, roots: list[Block], index: int) -> set[int]:
    """Handle one top-level block; return the indexes of following blocks it used up."""
    block = roots[index]
    if block.kind == "heading":
        return _heading(state, roots, index)
    if block.kind in NOISE_KINDS:
        _skip(state, block, NOISE_KINDS[block.kind])
    elif block.kind == "item":
        _item(state, block, index, collect=None)
    elif block.kind == "table":
        _table(state, block, index)
    elif block.kind == "term":
        _definition_term(state, block, index)
    else:
        return _paragraph(state, roots, index)
    return set()


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
    term = asked or heading_term(block.clean)
    used: set[int] = set()
    if following is None or following.kind == "heading":
        _skip(state, block, "heading with nothing under it")
    elif following.kind != "para":
        _skip(state, block, "section heading (no defining paragraph under it)")
    elif problem := heading_term_problem(term, asked is not None):
        _skip(state, block, f"section heading ({problem})")
    elif (
        starts_run(roots, index + 1)
        or (body := _heading_body(state, following, term, asked is not None, block.level)) is None
    ):
        _skip(state, block, "section heading (the paragraph under it is not a definition)")
    else:
        _add(state, term, body, block.line, index, "question" if asked else "heading")
        state.section_term = normalise_term(split_alias(term)[0])
        state.headings.append((block.level, ""))
        return {index + 1}
    state.headings.append((block.level, heading_term(block.clean)))
    return used


def _heading_body(state: _State, para: Block, term: str, asked: bool, level: int) -> str | None:
    """The paragraph under a heading, if it defines the heading's term (and no term of its own).

    In a glossary (or notes that are mostly definitions) the paragraph under a term-like heading is
    its definition; in an article a heading is a term only when the paragraph opens with it."""
    text = definition_body(para, term)
    if text is None or (not mentions(term, text) and ABOUT_DOCUMENT.match(text)):
        return None  # ``This glossary provides…``: about the document, not the heading's term
    if not asked and level not in state.instruction_levels and instructs(term, text):
        return None  # ``## Homework`` / ``Implement both algorithms …``: a task, not a definition
    if asked or level in state.glossary_levels or opens_with(term, text):
        return text
    if state.tutorial:
        return None
    # study notes: a Chinese explanation under its heading, one that names it, or ``A …``
    return text if has_cjk(term + text) or defining_opening(term, text) else None


def _weak_here(state: _State, block: Block, parsed: Definition, opens_section: bool = False) -> str | None:
    """Why a weakly marked definition (a sentence, a comma) does not count where it stands, or None.

    In an article, an English ``X is a …`` that opens a section still counts: that is where articles
    define their terms."""
    if bold_lead(block.text, parsed.term) or (parsed.form not in WEAK_FORMS and parsed.form != "colon"):
        return None
    if parsed.form == "colon" and (not state.tutorial or marked_term(block, parsed)):
        return None
    if state.section_term is not None:
        return "more text under a term's heading, not a new term"
    if state.tutorial and not (opens_section and parsed.form == "sentence" and not has_cjk(parsed.term)):
        return "prose in an article-style note (only marked-up definitions count)"
    return None


def _paragraph(state: _State, roots: list[Block], index: int) -> set[int]:
    block = roots[index]
    following = roots[index + 1] if index + 1 < len(roots) else None
    text = block.clean
    if block.line == state.title_line:
        _skip(state, block, "the document's title")
        return set()
    if CHROME.search(text):
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
    elif not reads_as_definition(body) or isinstance(parse_line(body), Definition):
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
    if following.kind == "para" and (body := definition_body(following, term)) is not None:
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
    if items and describes(items):
        _add(state, term, "\n".join(render_item(item, 0) for item in items), block.line, index, "list")
        return set(run)
    reason = "empty definition"
    if items:
        reason = "introduces a list of definitions" if any(map(is_definition, items)) else "only a list"
    _skip(state, block, reason)
    return set()


def _heading_like(state: _State, block: Block, following: Block | None, index: int) -> set[int]:
    """A short line on its own followed by a paragraph about it, as scraped pages render headings."""
    text = block.clean
    if SUBJECTLESS.match(text) and state.last_card and index - state.last_card[1] <= 3:
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
    if parse_line(following.text) is None and mentions(term, body) and reads_as_definition(body):
        _add(state, term, body, block.line, index, "heading-like")
        return {index + 1}
    _skip(state, block, "no definition form")
    return set()


def _table(state: _State, block: Block, index: int) -> None:
    """A table with a term column and an explanation column: one card per row."""
    cleaned = [(line, [clean_inline(cell) for cell in cells]) for line, cells in block.rows]
    (header_line, header), *rows = cleaned
    columns = term_columns(header, [texts for _line, texts in rows])
    if columns is None:
        _skip(state, block, "table without a term column and an explanation column")
        return
    term_column, back_column = columns
    names = header
    if header_is_entry(header, term_column, back_column):
        rows, names = [(header_line, header), *rows], []
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
    lines += [render_item(child, 0) for child in block.children if child.kind == "item"]
    back = "\n".join(line for line in lines if line)
    if problem := term_problem(term, strict=False) or back_problem(back):
        _skip(state, block, f"definition list entry: {problem}")
        return
    _add(state, term, back, block.line, index, "deflist")


def _item(state: _State, block: Block, index: int, collect: list[str] | None, depth: int = 0) -> None:
    """A list item: its own card, part of its parent's back (``collect``), or skipped with a reason."""
    if block.kind in NOISE_KINDS:
        _skip(state, block, NOISE_KINDS[block.kind])
        return
    if is_only_links(block.text):
        if collect is None:
            _skip(state, block, "link list entry")
        return
    parsed = parse_line(block.text, in_list=True)
    if LEADING_LINK.match(block.text) and isinstance(parsed, Definition) and parsed.form == "comma":
        _skip(state, block, "link list entry")
        return
    if (
        isinstance(parsed, Definition)
        and state.tutorial
        and parsed.form in ("colon", "comma", "sentence", "dash")
        and not marked_term(block, parsed)
    ):
        if collect is None:
            _skip(state, block, "list item in an article-style note without a marked-up term")
        else:
            collect.append("  " * depth + "- " + block.clean)
        return
    defines = isinstance(parsed, Definition) and (parsed.form != "question" or bool(parsed.back))
    if defines or bare_with_body(block, parsed):
        _item_card(state, block, index, parsed)
        return
    if isinstance(parsed, Definition) and parsed.form == "question" and block.children:
        _item_card(state, block, index, parsed)
        return
    if collect is not None:
        if not block.children or not all(is_definition(child) for child in block.children):
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


def _item_card(state: _State, block: Block, index: int, parsed: object) -> None:
    """The card for a defining item, its back gathered from the item, its body and its sub-list."""
    if isinstance(parsed, Definition):
        term, back, form = parsed.term, parsed.back, parsed.form
    else:
        term, back, form = strip_numbering(block.clean), "", "item"
    paras = [child for child in block.children if child.kind == "para"]
    items = [child for child in block.children if child.kind == "item"]
    if not back and not paras and not (items and describes(items)):
        reason = "empty definition"
        if items:
            reason = "introduces a list of definitions" if any(map(is_definition, items)) else "only a list"
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
            _skip(state, child, NOISE_KINDS.get(child.kind, child.kind))
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
        _skip(state, child, NOISE_KINDS.get(child.kind, child.kind))
