"""Notes → cards: one card per definition, with the reason every other candidate line was skipped.

Pure: text in, cards and skip reasons out. The rules follow the structure of the notes (a heading and
the paragraph under it, a question and its answer, an item and its sub-list) and the shape of each
line (see :mod:`trainer.decks.definitions`), so they carry over to notes nobody here has seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trainer.decks.definitions import (
    Definition,
    Rejected,
    back_problem,
    drop_list_intro,
    parse_line,
    question_term,
    term_problem,
)
from trainer.decks.model import Card
from trainer.decks.note_blocks import Block, nest, split_blocks
from trainer.decks.notes_text import (
    cjk_count,
    expands,
    has_cjk,
    is_acronym,
    is_only_links,
    normalise_term,
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
    r"|阅读时间|阅读需|\d+\s*个字|min(?:ute)?s? read|reading time",
    re.IGNORECASE,
)
_LEADING_LINK = re.compile(r"^\s*\[[^\]]*\]\([^)]*\)")
_SUBJECTLESS = re.compile(r"^(?:是|指|即)\S")
_EXCERPT = 60


@dataclass(frozen=True)
class Skipped:
    """A candidate line that did not become a card, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Extraction:
    """What one document yields: its title (if it has a clear one), its cards and its skipped lines."""

    title: str | None
    cards: tuple[Card, ...]
    skipped: tuple[Skipped, ...]


@dataclass
class _Draft:
    front: str
    backs: list[str]
    tags: tuple[str, ...]
    line: int


@dataclass
class _State:
    source: str
    drafts: dict[str, _Draft] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    title_line: int | None = None
    last_card: tuple[str, int] | None = None
    """The id of the latest card and the index of the top-level block it came from."""


def extract(text: str, source_name: str) -> Extraction:
    """Cards for every definition in ``text``; ``source_name`` is used in each card's ``source``."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = split_blocks(text, lambda line: isinstance(parse_line(line), Definition))
    state = _State(source_name)
    title = _title(blocks, state)
    advert = _advert_start(text.split("\n"))
    roots = nest(blocks)
    consumed: set[int] = set()
    for index, block in enumerate(roots):
        if advert is not None and block.line >= advert:
            last = roots[-1]
            state.skipped.append(
                Skipped(advert, f"lines {advert}-{_last_line(last)}", "advertising or payment block")
            )
            break
        if index not in consumed:
            consumed |= _top_level(state, roots, index)
    return Extraction(title, _cards(state), tuple(state.skipped))


def _last_line(block: Block) -> int:
    return max([block.line, *(_last_line(child) for child in block.children)])


def _title(blocks: list[Block], state: _State) -> str | None:
    """The deck title: the document's only level-1 heading, if it has exactly one."""
    top = [block for block in blocks if block.kind == "heading" and block.level == 1]
    if len(top) != 1:
        return None
    state.title_line = top[0].line
    return strip_numbering(top[0].clean) or None


def _advert_start(lines: list[str]) -> int | None:
    """Where a promotion or payment tail starts: dense call-to-action wording, from its heading on."""
    hits = [len(_PROMOTION.findall(line)) for line in lines]
    for index, count in enumerate(hits):
        if count and sum(hits[index : index + 6]) >= 3:
            return _section_start(lines, index) + 1
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
        if _is_title_like(line):
            return back
    return index


def _is_title_like(text: str) -> bool:
    stripped = text.strip()
    return 0 < len(stripped) <= 30 and not re.search(r"[。，,；;：:]$|[。；;]", stripped)


def _tags(state: _State) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text for _level, text in state.headings if text))


def _add(state: _State, front: str, back: str, line: int, index: int) -> None:
    """Add a card, or merge into the card of the same term: a term defined twice is one card."""
    main, alias = split_alias(front)
    if alias and is_acronym(main) and (expands(main, alias) or has_cjk(alias)):
        front, back = main, back if alias in back else f"{alias}\n{back}"
    elif alias and is_acronym(alias) and (has_cjk(main) or expands(alias, main)):
        front, main, back = alias, alias, back if main in back else f"{main}\n{back}"
    back = back.strip().rstrip(";；,，、").strip()
    key = normalise_term(main) or normalise_term(front)
    state.last_card = (key, index)
    draft = state.drafts.get(key)
    if draft is None:
        state.drafts[key] = _Draft(front, [back], _tags(state), line)
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


def _skip(state: _State, block: Block, reason: str) -> None:
    text = block.clean or block.text.strip()
    if len(text) > _EXCERPT:
        text = text[: _EXCERPT - 1] + "…"
    state.skipped.append(Skipped(block.line, text, reason))


def _top_level(state: _State, roots: list[Block], index: int) -> set[int]:
    """Handle one top-level block; return the indexes of following blocks it used up."""
    block = roots[index]
    following = roots[index + 1] if index + 1 < len(roots) else None
    if block.kind == "heading":
        return _heading(state, block, following, index)
    if block.kind == "code":
        _skip(state, block, "fenced code block")
    elif block.kind == "image":
        _skip(state, block, "image")
    elif block.kind == "item":
        _item(state, block, index, collect=None)
    else:
        return _paragraph(state, roots, index)
    return set()


def _heading(state: _State, block: Block, following: Block | None, index: int) -> set[int]:
    """A heading opens a section (its tags) and is a card when a defining paragraph follows it."""
    while state.headings and state.headings[-1][0] >= block.level:
        state.headings.pop()
    if block.line == state.title_line:
        return set()
    term = strip_numbering(block.clean)
    used: set[int] = set()
    if following is None or following.kind == "heading":
        _skip(state, block, "heading with nothing under it")
    elif following.kind != "para" or term_problem(term, strict=False):
        _skip(state, block, "section heading (no defining paragraph under it)")
    elif (body := _heading_body(following)) is None:
        _skip(state, block, "section heading (the paragraph under it is not a definition)")
    else:
        _add(state, term, body, block.line, index)
        used = {index + 1}
    state.headings.append((block.level, term))
    return used


def _heading_body(para: Block) -> str | None:
    """The paragraph under a heading, if it reads as a definition and not as its own term or a question."""
    text = para.clean
    if is_only_links(para.text):
        parsed = parse_line(text)
        return text if isinstance(parsed, Definition) and parsed.form == "sentence" else None
    parsed = parse_line(para.text)
    if question_term(text) or isinstance(parsed, Rejected):
        return None
    if isinstance(parsed, Definition) and parsed.form in ("colon", "bold"):
        return None
    return text if _reads_as_definition(text) else None


def _reads_as_definition(text: str) -> bool:
    text = drop_list_intro(text)
    return len(text) >= 6 and bool(re.search(r"[，,。；;：:]|是|指", text)) and not back_problem(text)


def _paragraph(state: _State, roots: list[Block], index: int) -> set[int]:
    block = roots[index]
    following = roots[index + 1] if index + 1 < len(roots) else None
    text = block.clean
    if _CHROME.search(text):
        _skip(state, block, "page chrome")
        return set()
    if is_only_links(block.text):
        parsed = parse_line(text)
        if isinstance(parsed, Definition) and parsed.form == "sentence":
            _add(state, parsed.term, parsed.back, block.line, index)
        else:
            _skip(state, block, "link only")
        return set()
    parsed = parse_line(block.text)
    if isinstance(parsed, Definition) and parsed.form == "question":
        return _question(state, block, parsed, following, index)
    if isinstance(parsed, Definition) and parsed.back:
        _add(state, parsed.term, parsed.back, block.line, index)
        return set()
    if isinstance(parsed, Definition) and not term_problem(parsed.term, strict=True):
        return _list_under_term(state, roots, index, parsed.term)
    if isinstance(parsed, Definition):
        _skip(state, block, "empty definition")
        return set()
    if isinstance(parsed, Rejected):
        _skip(state, block, parsed.reason)
        return set()
    return _heading_like(state, block, following, index)


def _append(state: _State, block: Block) -> None:
    if state.last_card is not None:
        state.drafts[state.last_card[0]].backs[-1] += "\n" + block.clean


def _question(
    state: _State, block: Block, parsed: Definition, following: Block | None, index: int
) -> set[int]:
    if parsed.back:
        _add(state, parsed.term, parsed.back, block.line, index)
        return set()
    if following is not None and following.kind == "para" and not back_problem(following.clean):
        _add(state, parsed.term, following.clean, block.line, index)
        return {index + 1}
    _skip(state, block, "question without an answer")
    return set()


def _list_under_term(state: _State, roots: list[Block], index: int, term: str) -> set[int]:
    """``Term:`` followed by a list that is not itself made of definitions: the list is the back."""
    block = roots[index]
    run: list[int] = []
    for later in range(index + 1, len(roots)):
        if roots[later].kind != "item" or (run and roots[later].indent != roots[run[0]].indent):
            break
        run.append(later)
    items = [roots[i] for i in run]
    if items and _describes(items):
        _add(state, term, "\n".join(_render(item, 0) for item in items), block.line, index)
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
    if not (
        following and following.kind == "para" and _is_title_like(text) and not term_problem(term, False)
    ):
        _skip(state, block, "no definition form")
        return set()
    body = following.clean
    main, alias = split_alias(term)
    mentions = main in body or (alias is not None and alias in body)
    if parse_line(following.text) is None and mentions and _reads_as_definition(body):
        _add(state, term, body, block.line, index)
        return {index + 1}
    _skip(state, block, "no definition form")
    return set()


def _item(state: _State, block: Block, index: int, collect: list[str] | None, depth: int = 0) -> None:
    """A list item: its own card, part of its parent's back (``collect``), or skipped with a reason."""
    if block.kind == "image":
        _skip(state, block, "image")
        return
    if block.kind == "code":
        _skip(state, block, "fenced code block")
        return
    if is_only_links(block.text):
        if collect is None:
            _skip(state, block, "link list entry")
        return
    parsed = parse_line(block.text, in_list=True)
    if _LEADING_LINK.match(block.text) and isinstance(parsed, Definition) and parsed.form == "comma":
        _skip(state, block, "link list entry")
        return
    defines = isinstance(parsed, Definition) and (parsed.form != "question" or bool(parsed.back))
    if defines or _bare_with_body(block, parsed):
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
        term, back = parsed.term, parsed.back
    else:
        term, back = strip_numbering(block.clean), ""
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
            _skip(state, child, child.kind)
    _add(state, term, "\n".join(line for line in lines if line), block.line, index)


def _child(state: _State, child: Block, index: int, collect: list[str] | None, depth: int) -> None:
    if child.kind == "item":
        _item(state, child, index, collect, depth)
    elif child.kind == "para":
        if collect is not None:
            collect.append("  " * depth + child.clean)
        else:
            _paragraph(state, [child], 0)
    else:
        _skip(state, child, "fenced code block" if child.kind == "code" else "image")
