"""Notes → cards: one card per definition, with the reason every other candidate was skipped.

Pure: text in, cards and skip reasons out. The rules follow the structure of the notes as markdown-it
reads it (a heading and the paragraph under it, a table's term and explanation columns, a definition
list, a question and its answer, an item and its sub-list) and the shape of each line (see
:mod:`trainer.decks.definitions`), so they carry over to notes nobody here has seen.
"""

from __future__ import annotations

import re
from collections import Counter
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
    outline_entry,
    reads_as_definition,
    render_item,
    starts_run,
)
from trainer.decks.extraction import Extraction, Skipped, State, excerpt
from trainer.decks.no_collection import collector_paused
from trainer.decks.note_blocks import Block, parse
from trainer.decks.note_tables import header_is_entry, numbering_columns, term_columns
from trainer.decks.note_titles import document_title, is_title_like
from trainer.decks.notes_text import (
    clean_inline,
    has_cjk,
    is_only_links,
    mentions,
    normalise_term,
    opens_with,
    split_alias,
    strip_numbering,
)

_ZH_DEFINING_START = re.compile(r"^(?:一种|一类|一组|一个|用于|用来|指)")
"""How a Chinese explanation opens when its term is left out (``一种…的方法``, ``用于…``)."""
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mdx", ".rmd", ".qmd"}


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
    state = State(source_name)
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
    return Extraction(title, state.cards(), tuple(state.skipped), tuple(forms.most_common()))


def _top_level(state: State, roots: list[Block], index: int) -> set[int]:
    """Handle one top-level block; return the indexes of following blocks it used up."""
    block = roots[index]
    if block.kind == "heading":
        return _heading(state, roots, index)
    if block.kind in NOISE_KINDS:
        state.skip(block, NOISE_KINDS[block.kind])
    elif block.kind == "item":
        if outline_entry(block) and any(
            0 <= near < len(roots) and outline_entry(roots[near]) for near in (index - 1, index + 1)
        ):
            state.add(strip_numbering(block.clean), block.children[0].clean, block.line, index, "outline")
        else:
            _item(state, block, index, collect=None)
    elif block.kind == "table":
        _table(state, block, index)
    elif block.kind == "term":
        _definition_term(state, block, index)
    else:
        return _paragraph(state, roots, index)
    return set()


def _heading(state: State, roots: list[Block], index: int) -> set[int]:
    """A heading opens a section (its tags) and is a card when a defining paragraph follows it."""
    block = roots[index]
    following = roots[index + 1] if index + 1 < len(roots) else None
    while state.headings and state.headings[-1][0] >= block.level:
        state.headings.pop()
    state.section_term, state.asked = None, None
    if block.line == state.title_line:
        return set()
    asked = question_term(block.clean)
    term = asked or heading_term(block.clean)
    if following is not None and _lone_item(roots, index + 1):  # ``### Term`` then ``- its definition``
        following = Block("para", following.line, following.text)
    problem = heading_term_problem(term, asked is not None)
    if following is None or following.kind == "heading":
        state.skip(block, "heading with nothing under it")
    elif following.kind == "item" and not problem and (run := _defining_list(roots, index + 1, term)):
        back = "\n".join(render_item(roots[later], 0) for later in run)
        return _heading_card(state, block, term, back, index, "heading", set(run))
    elif following.kind != "para":
        state.skip(block, "section heading (no defining paragraph under it)")
    elif problem:
        state.skip(block, f"section heading ({problem})")
    elif (
        starts_run(roots, index + 1)
        or (body := _heading_body(state, following, term, asked is not None, block.level)) is None
    ):
        state.skip(block, "section heading (the paragraph under it is not a definition)")
    else:
        return _heading_card(state, block, term, body, index, "question" if asked else "heading", {index + 1})
    state.headings.append((block.level, heading_term(block.clean)))
    if block.clean.rstrip().endswith(("?", "？")):
        state.asked = block.clean
    return set()


def _heading_card(
    state: State, block: Block, term: str, back: str, index: int, form: str, used: set[int]
) -> set[int]:
    """The heading's card; what follows is about its term (no tag: the heading is the card)."""
    state.add(term, back, block.line, index, form)
    state.section_term = normalise_term(split_alias(term)[0])
    state.headings.append((block.level, ""))
    return used


def _defining_list(roots: list[Block], start: int, term: str) -> list[int]:
    """The indexes of the list at ``start`` when it defines the heading's term: its items explain (they
    are not definitions of their own) and the first opens as a definition does (``- A network …``,
    ``- 一种…``). ``## Advantages`` over ``- Training is parallel …`` is a section, not a term."""
    run = _item_run(roots, start)
    items = [roots[later] for later in run]
    if any(is_definition(item) or is_only_links(item.text) for item in items) or not describes(items):
        return []
    first = items[0].clean
    return run if defining_opening(term, first) or _ZH_DEFINING_START.match(first) else []


def _item_run(roots: list[Block], start: int) -> list[int]:
    """The indexes of the list items from ``start`` on, at the first one's level (none if it is not one)."""
    run: list[int] = []
    for later in range(start, len(roots)):
        if roots[later].kind != "item" or (run and roots[later].level != roots[run[0]].level):
            break
        run.append(later)
    return run


def _lone_item(roots: list[Block], index: int) -> bool:
    """Whether the block at ``index`` is a list of one plain item (no sub-list, not a definition of
    its own): under a heading, it is that heading's paragraph written as a bullet."""
    block = roots[index]
    alone = index + 1 >= len(roots) or roots[index + 1].kind != "item"
    asks = block.text.partition("\n")[0].rstrip().endswith(("?", "？"))  # an exercise and its answer
    return block.kind == "item" and alone and not block.children and not is_definition(block) and not asks


def _heading_body(state: State, para: Block, term: str, asked: bool, level: int) -> str | None:
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


def _weak_here(state: State, block: Block, parsed: Definition, opens_section: bool = False) -> str | None:
    """Why a weakly marked definition (a sentence, a comma) does not count where it stands, or None.

    In an article, an English ``X is a …`` that opens a section still counts: that is where articles
    define their terms."""
    if bold_lead(block.text, parsed.term) or (parsed.form not in WEAK_FORMS and parsed.form != "colon"):
        return None
    if parsed.form == "colon" and (not state.tutorial or marked_term(block, parsed)):
        return None
    if state.section_term is not None:
        return "more text under a term's heading, not a new term"
    if state.asked is not None and normalise_term(parsed.term) not in normalise_term(state.asked):
        return "the answer to the question heading above, not a term of its own"
    if state.tutorial and not (opens_section and parsed.form == "sentence" and not has_cjk(parsed.term)):
        return "prose in an article-style note (only marked-up definitions count)"
    return None


def _paragraph(state: State, roots: list[Block], index: int) -> set[int]:
    block = roots[index]
    following = roots[index + 1] if index + 1 < len(roots) else None
    text = block.clean
    if block.line == state.title_line:
        state.skip(block, "the document's title")
        return set()
    if CHROME.search(text):
        state.skip(block, "page chrome")
        return set()
    if QUESTION_LABEL.match(text):
        return _question_answer(state, roots, index)
    if "\n" in block.text and not block.text.startswith("**"):
        asked = parse_line(block.text)
        if isinstance(asked, Definition) and asked.form == "question" and asked.back:
            state.add(asked.term, asked.back, block.line, index, "question")
            return set()
        return _name_line(state, block, index)
    if is_only_links(block.text):
        parsed = parse_line(text)
        if (
            isinstance(parsed, Definition)
            and parsed.form == "sentence"
            and not _weak_here(state, block, parsed)
        ):
            state.add(parsed.term, parsed.back, block.line, index, parsed.form)
        else:
            state.skip(block, "link only")
        return set()
    parsed = parse_line(block.text)
    opens_section = index > 0 and roots[index - 1].kind == "heading"
    if isinstance(parsed, Definition) and (reason := _weak_here(state, block, parsed, opens_section)):
        state.skip(block, reason)
        return set()
    if isinstance(parsed, Definition) and parsed.form == "question":
        return _question(state, block, parsed, following, index)
    if isinstance(parsed, Definition) and parsed.back:
        state.add(parsed.term, parsed.back, block.line, index, parsed.form)
        return set()
    if isinstance(parsed, Definition) and not term_problem(parsed.term, strict=True):
        return _list_under_term(state, roots, index, parsed.term)
    if isinstance(parsed, Definition):
        state.skip(block, "empty definition")
        return set()
    if isinstance(parsed, Rejected):
        state.skip(block, parsed.reason)
        return set()
    if block.text.startswith("**") and block.text.endswith("**") and following is not None:
        return _bold_term(state, roots, index)
    return _heading_like(state, block, following, index)


def _name_line(state: State, block: Block, index: int) -> set[int]:
    """A short name alone on the paragraph's first line, its definition on the lines below."""
    head, _, rest = block.text.partition("\n")
    term, body = clean_inline(head), clean_inline(rest).replace("\n", " ")
    if not term or not body:
        state.skip(block, "no definition form")
    elif problem := term_problem(term, strict=False):
        state.skip(block, f"name line ({problem})")
    elif ENGLISH_SUBJECT_START.match(term):
        state.skip(block, "a wrapped sentence, not a name line")
    elif state.tutorial or state.section_term is not None:
        state.skip(block, "a short line in prose, not a marked-up term")
    elif not reads_as_definition(body) or isinstance(parse_line(body), Definition):
        state.skip(block, "name line without a definition under it")
    else:
        state.add(term, body, block.line, index, "name-line")
    return set()


def _question_answer(state: State, roots: list[Block], index: int) -> set[int]:
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
        state.skip(block, f"question without an answer ({problem})")
        return set()
    term = question_term(question)
    if term and not term_problem(term, strict=False):
        state.add(term, answer, block.line, index, "question")
    else:
        state.add(question, answer, block.line, index, "question")
    return used


def _bold_term(state: State, roots: list[Block], index: int) -> set[int]:
    """``**Term**`` alone in its paragraph, its definition in the paragraph or list after it."""
    block, following = roots[index], roots[index + 1]
    term = strip_numbering(block.clean)
    if problem := term_problem(term, strict=False):
        state.skip(block, f"bold line ({problem})")
        return set()
    if following.kind == "item":
        return _list_under_term(state, roots, index, term)
    if following.kind == "para" and (body := definition_body(following, term)) is not None:
        state.add(term, body, block.line, index, "bold")
        return {index + 1}
    state.skip(block, "bold line without a definition under it")
    return set()


def _append(state: State, block: Block) -> None:
    if state.last_card is not None:
        state.drafts[state.last_card[0]].backs[-1] += "\n" + block.clean


def _question(
    state: State, block: Block, parsed: Definition, following: Block | None, index: int
) -> set[int]:
    if parsed.back:
        state.add(parsed.term, parsed.back, block.line, index, "question")
        return set()
    if following is not None and following.kind == "para" and not back_problem(following.clean):
        state.add(parsed.term, following.clean, block.line, index, "question")
        return {index + 1}
    state.skip(block, "question without an answer")
    return set()


def _list_under_term(state: State, roots: list[Block], index: int, term: str) -> set[int]:
    """``Term:`` followed by a list that is not itself made of definitions: the list is the back."""
    block = roots[index]
    run = _item_run(roots, index + 1)
    items = [roots[i] for i in run]
    if items and describes(items):
        state.add(term, "\n".join(render_item(item, 0) for item in items), block.line, index, "list")
        return set(run)
    reason = "empty definition"
    if items:
        reason = "introduces a list of definitions" if any(map(is_definition, items)) else "only a list"
    state.skip(block, reason)
    return set()


def _heading_like(state: State, block: Block, following: Block | None, index: int) -> set[int]:
    """A short line on its own followed by a paragraph about it, as scraped pages render headings."""
    text = block.clean
    if SUBJECTLESS.match(text) and state.last_card and index - state.last_card[1] <= 3:
        _append(state, block)
        return set()
    term = strip_numbering(text)
    if not (following and following.kind == "para" and is_title_like(text) and not term_problem(term, False)):
        state.skip(block, "no definition form")
        return set()
    if state.tutorial or state.section_term is not None:
        state.skip(block, "a short line in prose, not a marked-up term")
        return set()
    body = following.clean
    if parse_line(following.text) is None and mentions(term, body) and reads_as_definition(body):
        state.add(term, body, block.line, index, "heading-like")
        return {index + 1}
    state.skip(block, "no definition form")
    return set()


def _table(state: State, block: Block, index: int) -> None:
    """A table with a term column and an explanation column: one card per row."""
    cleaned = [(line, [clean_inline(cell) for cell in cells]) for line, cells in block.rows]
    (header_line, header), *rows = cleaned
    columns = term_columns(header, [texts for _line, texts in rows])
    if columns is None:
        state.skip(block, "table without a term column and an explanation column")
        return
    term_column, back_column = columns
    names = header
    if header_is_entry(header, term_column, back_column):
        rows, names = [(header_line, header), *rows], []
    left_out = {*columns, *numbering_columns([texts for _line, texts in rows])}
    for line, texts in rows:
        if len(texts) <= max(columns):
            continue
        term, back = strip_numbering(texts[term_column]), texts[back_column]
        extra = [
            f"{names[column]}: {text}" if column < len(names) and names[column] else text
            for column, text in enumerate(texts)
            if column not in left_out and text
        ]
        if problem := term_problem(term, strict=False) or back_problem(back):
            state.skipped.append(Skipped(line, excerpt(term or back), f"table row: {problem}"))
            continue
        state.add(term, "\n".join([back, *extra]), line, index, "table")


def _definition_term(state: State, block: Block, index: int) -> None:
    """A definition-list term (Markdown ``Term`` / ``:   definition`` or HTML ``<dt>``/``<dd>``)."""
    term = strip_numbering(block.clean)
    lines = [child.clean for child in block.children if child.kind == "para"]
    lines += [render_item(child, 0) for child in block.children if child.kind == "item"]
    back = "\n".join(line for line in lines if line)
    if problem := term_problem(term, strict=False) or back_problem(back):
        state.skip(block, f"definition list entry: {problem}")
        return
    state.add(term, back, block.line, index, "deflist")


def _item(state: State, block: Block, index: int, collect: list[str] | None, depth: int = 0) -> None:
    """A list item: its own card, part of its parent's back (``collect``), or skipped with a reason."""
    if block.kind in NOISE_KINDS:
        state.skip(block, NOISE_KINDS[block.kind])
        return
    if is_only_links(block.text):
        if collect is None:
            state.skip(block, "link list entry")
        return
    parsed = parse_line(block.text, in_list=True)
    if LEADING_LINK.match(block.text) and isinstance(parsed, Definition) and parsed.form == "comma":
        state.skip(block, "link list entry")
        return
    if (
        isinstance(parsed, Definition)
        and state.tutorial
        and parsed.form in ("colon", "comma", "sentence", "dash")
        and not marked_term(block, parsed)
    ):
        if collect is None:
            state.skip(block, "list item in an article-style note without a marked-up term")
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
    state.skip(block, reason)
    for child in block.children:
        _child(state, child, index, None, 0)


def _item_card(state: State, block: Block, index: int, parsed: object) -> None:
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
        state.skip(block, reason)
        for child in block.children:
            _child(state, child, index, None, 0)
        return
    lines = [back] if back else []
    lines += [para.clean for para in paras if not is_only_links(para.text)]
    for child in block.children:
        if child.kind == "item":
            _child(state, child, index, lines, 0)
        elif child.kind != "para":
            state.skip(child, NOISE_KINDS.get(child.kind, child.kind))
    state.add(term, "\n".join(line for line in lines if line), block.line, index, form)


def _child(state: State, child: Block, index: int, collect: list[str] | None, depth: int) -> None:
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
        state.skip(child, NOISE_KINDS.get(child.kind, child.kind))
