"""Notes parsed into blocks (headings, paragraphs, list items, tables, definition lists, code, HTML).

markdown-it-py (CommonMark, GFM tables, front matter and definition lists from mdit-py-plugins) reads
the structure, so setext headings, indented code, nested fences and lazy continuation lines come out
as a Markdown reader would show them. Each block keeps its first line number and its inline text in a
small canonical markup (``**strong**``, ``[text](url)``, ``![alt](url)``) that the one-line grammar in
:mod:`trainer.decks.definitions` reads; :attr:`Block.clean` is the plain text a person reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Literal

from trainer.decks.no_collection import collector_paused
from trainer.decks.notes_text import clean_inline, has_cjk, is_image, join_lines

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BlockKind = Literal["heading", "item", "para", "code", "image", "table", "term", "html", "front_matter"]

_BULLET = re.compile(r"^([ \t]*)[•·▪●◦][^\S\n]*", re.MULTILINE)
_CJK_NUMBER = re.compile(r"^([ \t]*)(\d{1,3})、[ \t]*", re.MULTILINE)
_ANCHOR_TITLE = re.compile(r"^[ \t]*(\S[^\n]*?)[ \t]*(?:⚓︎|⚓|¶)[ \t]*$")
_HTML_HEADING = re.compile(r"<h([1-6])\b[^<>]*>([^<>]*)</h\1>", re.IGNORECASE)
_NAME_BREAKERS = re.compile(r"[。，,；;：:！!？?.|<>\[\]*#]")
_BOLD_ONLY = re.compile(r"\*\*[^*\n]+\*\*")
_TAB_PAIR = re.compile(r"([^\t]*[^\t\s])\t+([^\t]*\S)")
"""A plain-text line of two cells split by tabs."""
_CALLOUT = re.compile(r"\[!(\w+)\][+-]?[ \t]*(.*)")
"""The first line of an Obsidian or GitHub callout, ``> [!note] Title`` (the title may be left out)."""
_UNTERMED_CALLOUTS = frozenset({
    "warning", "caution", "attention", "danger", "error", "bug", "failure", "fail", "missing", "todo",
    "example", "quote", "cite", "success", "check", "done", "summary", "abstract", "tldr",
})  # fmt: skip
"""Callout types (Obsidian's) whose title heads a warning, a task, an example or a summary, not a term."""
_WIKILINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")
"""``[[Page]]`` or ``[[Page|shown text]]``: a link in Obsidian, Logseq and wiki notes."""


@dataclass
class Block:
    """One structural unit of a note; ``text`` is its inline markup with wrapped lines joined."""

    kind: BlockKind
    line: int
    text: str
    level: int = 0
    """Heading level (1 for a title); for list items and terms, the list nesting depth."""
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    """A table's rows as (line, cells), the header row first."""
    children: list[Block] = field(default_factory=list)

    @cached_property
    def clean(self) -> str:
        """The text as a person reads it (computed once: ``text`` is final when blocks are made)."""
        return clean_inline(self.text)


@dataclass
class Document:
    """A parsed note: its blocks in reading order, nested under list items and definition terms."""

    blocks: list[Block]
    front_matter: str | None = None


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return (
        MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin).use(deflist_plugin)
    )


def normalise_plain_text(text: str, markdown: bool) -> str:
    """Scraped page text as Markdown: ``•`` bullets, ``1、`` numbers, ``Title⚓︎`` headings.

    In plain text (``markdown`` false) an indented line is a wrapped line, not code: it keeps at most
    the indentation of the list item above it.
    """
    text = _CJK_NUMBER.sub(r"\1\2. ", _BULLET.sub(r"\1- ", text))  # whole text at once: it is long
    if markdown:
        return text
    lines = []
    first_title = True
    item_indent: int | None = None
    for line in text.split("\n"):
        if (anchor := _ANCHOR_TITLE.match(line)) is not None:
            line = ("# " if first_title else "## ") + anchor.group(1)
            first_title = False
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if stripped[:2] in ("- ", "* ", "+ ") or re.match(r"\d{1,3}[.)] ", stripped):
            item_indent = indent + 2 + (stripped.find(" ") - 1 if stripped[0].isdigit() else 0)
        elif stripped and indent == 0:
            item_indent = None
        elif stripped and indent >= 4:
            line = " " * min(indent, item_indent if item_indent is not None else 0) + stripped
        lines.append(line)
    return "\n".join(_tab_pairs(lines))


def _tab_pairs(lines: list[str]) -> list[str]:
    """Runs of two or more lines split by a tab into two cells (two columns copied from a
    spreadsheet, ``主键<TAB>唯一标识…``) as ``term: explanation`` lines, one for one, so every line
    keeps its number."""
    pairs = [_TAB_PAIR.fullmatch(line.strip()) for line in lines]
    out = list(lines)
    for number, pair in enumerate(pairs):
        neighbours = [pairs[near] for near in (number - 1, number + 1) if 0 <= near < len(pairs)]
        if pair is not None and any(neighbours):
            out[number] = f"{pair.group(1).strip()}: {pair.group(2).strip()}"
    return out


def parse(
    text: str, markdown: bool = True, starts_definition: Callable[[str], bool] | None = None
) -> Document:
    """``text`` → blocks; a paragraph line that ``starts_definition`` begins a block of its own."""
    with collector_paused():
        tokens = _parser().parse(normalise_plain_text(text, markdown))
        document = Document([])
        _walk(_tree(tokens), document, document.blocks, 0, starts_definition or (lambda _line: False))
    return document


@dataclass
class _Node:
    """A block of the token stream with its nested blocks (markdown-it's own tree is slower to build)."""

    type: str
    tag: str
    map: list[int] | None
    content: str = ""
    token: Token | None = None
    children: list[_Node] = field(default_factory=list)


def _tree(tokens: list[Token]) -> list[_Node]:
    root = _Node("root", "", None)
    stack = [root]
    for token in tokens:
        if token.nesting == 1:
            node = _Node(token.type.removesuffix("_open"), token.tag, token.map)
            stack[-1].children.append(node)
            stack.append(node)
        elif token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].children.append(_Node(token.type, token.tag, token.map, token.content, token))
    return root.children


def _line(node: _Node) -> int:
    return node.map[0] + 1 if node.map else 0


def _walk(
    nodes: list[_Node],
    document: Document,
    out: list[Block],
    depth: int,
    starts_definition: Callable[[str], bool],
) -> None:
    folded: Block | None = None
    """A toggle whose text came after a blank line: the blocks up to its ``</details>`` are its text."""
    for node in nodes:
        kind = node.type
        if folded is not None:
            if kind == "html_block" and "</details>" in node.content.lower():
                folded = None
            else:
                _walk([node], document, folded.children, depth + 1, starts_definition)
                continue
        if kind == "front_matter":
            document.front_matter = node.content
            out.append(Block("front_matter", _line(node), "front matter"))
        elif kind == "heading":
            out.append(Block("heading", _line(node), _inline(node), level=int(node.tag[1])))
        elif kind == "paragraph":
            out.extend(_paragraphs(node, starts_definition))
        elif kind in ("fence", "code_block"):
            out.append(Block("code", _line(node), node.content.strip()[:200]))
        elif kind == "html_block":
            out.extend(blocks := _html(node.content, _line(node)))
            last = blocks[-1] if blocks else None
            if last is not None and last.kind == "term" and not last.children and _opens_toggle(node.content):
                folded = last
        elif kind in ("bullet_list", "ordered_list"):
            for item in node.children:
                out.append(_item(item, document, depth, starts_definition))
        elif kind == "table":
            out.append(_table(node))
        elif kind == "dl":
            out.extend(_deflist(node, document, depth, starts_definition))
        elif kind == "blockquote":
            children = list(node.children)
            if children and children[0].type == "paragraph" and (callout := _callout(children[0])):
                out.extend(_paragraph_blocks(_line(children.pop(0)), callout, starts_definition))
            _walk(children, document, out, depth, starts_definition)


def _opens_toggle(html: str) -> bool:
    """Whether an HTML block opens a toggle (``<details><summary>…``) and leaves its text to what follows."""
    lowered = html.lower()
    return "<summary" in lowered and "</details>" not in lowered


def _item(
    node: _Node,
    document: Document,
    depth: int,
    starts_definition: Callable[[str], bool],
) -> Block:
    """A list item: its first paragraph is its text (one line however it was wrapped), everything
    after it its children."""
    children = list(node.children)
    text = ""
    if children and children[0].type == "paragraph":
        lines = [line.strip() for line in _inline(children.pop(0)).split("\n") if line.strip()]
        if len(lines) > 1 and (_BOLD_ONLY.fullmatch(lines[0]) or _asks(lines[0])):
            text = f"{lines[0]}\n{join_lines(lines[1:])}"
        elif lines:
            text = join_lines(lines)
    body: list[Block] = []
    _walk(children, document, body, depth + 1, starts_definition)
    kind: BlockKind = "image" if text and all(is_image(line) for line in text.split("\n")) else "item"
    return Block(kind, _line(node), text, level=depth, children=body)


def _deflist(
    node: _Node, document: Document, depth: int, starts_definition: Callable[[str], bool]
) -> list[Block]:
    """``Term`` / ``:   definition`` pairs: one ``term`` block each, its definitions as children."""
    blocks: list[Block] = []
    for child in node.children:
        if child.type == "dt":
            blocks.append(Block("term", _line(child), _inline(child), level=depth))
        elif child.type == "dd" and blocks:
            _walk(child.children, document, blocks[-1].children, depth + 1, starts_definition)
    return blocks


def _table(node: _Node) -> Block:
    rows: list[tuple[int, list[str]]] = []
    for section in node.children:
        for row in section.children:
            rows.append((_line(row), [_inline(cell) for cell in row.children]))
    return Block("table", _line(node), "table", rows=rows)


def _paragraphs(node: _Node, starts_definition: Callable[[str], bool]) -> list[Block]:
    """A paragraph, split where a line starts a definition of its own (notes often omit blank lines).

    A line that is only ``**Term**`` (or, first in its paragraph, only a short name) starts a block
    that keeps its next lines after a newline: the term + definition-on-the-next-line form.
    """
    return _paragraph_blocks(_line(node), _inline(node).split("\n"), starts_definition)


def _callout(node: _Node) -> list[str] | None:
    """The lines of a callout's first paragraph, its title a bold term over its text (``> [!note]
    Latency`` then the definition), or its text alone when it has no title or the title heads no term
    (a warning, an example); None if not a callout."""
    first, *rest = _inline(node).split("\n")
    if (match := _CALLOUT.fullmatch(first.strip())) is None:
        return None
    kind, title = match.group(1).lower(), match.group(2).strip().strip("*")
    return [f"**{title}**", *rest] if title and kind not in _UNTERMED_CALLOUTS else rest


def _paragraph_blocks(start: int, lines: list[str], starts_definition: Callable[[str], bool]) -> list[Block]:
    """The blocks of a paragraph's lines, the first at line ``start`` (see ``_paragraphs``)."""
    if not any(line.strip() for line in lines):
        return []
    if all(is_image(line) for line in lines):
        return [Block("image", start, " ".join(lines))]
    for offset, line in enumerate(lines):
        if offset and line.strip() in ("?", "??") and offset < len(lines) - 1:
            # Obsidian's multi-line card: the question, a line with ``?``, then the answer
            question, answer = " ".join(lines[:offset]).strip(), " ".join(lines[offset + 1 :]).strip()
            return [Block("para", start, f"{question} :: {answer}")]
    groups: list[_Lines] = []
    previous_line = ""
    for offset, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        group = groups[-1] if groups else None
        if group is not None and _BOLD_ONLY.fullmatch(line) is None:
            if not group.rest and (
                group.bold or _asks(group.first) or (group.line == start and _is_name_line(group.first, line))
            ):
                group.named = True  # the definition under a ``**Term**`` (or a bare name) line, or an answer
            ended = _line_ended(previous_line, starts_definition)
            if (group.bold and group.named) or not (ended and starts_definition(line)):
                group.rest.append(line)
                previous_line = line
                continue
        groups.append(_Lines(start + offset, line, bold=_BOLD_ONLY.fullmatch(line) is not None))
        previous_line = line
    return [Block("para", group.line, group.text()) for group in groups]


@dataclass
class _Lines:
    """The lines of one block of a paragraph, joined once at the end (joining as we go is quadratic)."""

    line: int
    first: str
    bold: bool
    rest: list[str] = field(default_factory=list)
    named: bool = False
    """The first line is only a term; the rest is its definition, kept after a newline."""

    def text(self) -> str:
        if self.named and self.rest:
            return f"{self.first}\n{join_lines(self.rest)}"
        return join_lines([self.first, *self.rest])


def _asks(line: str) -> bool:
    """Whether a line ends with a question mark: the line break after it separates the question
    from its answer (``1. 什么是死锁？`` then the answer on the next line of the same item)."""
    return line.rstrip("*").endswith(("?", "？"))


def _is_name_line(line: str, following: str) -> bool:
    """Whether a paragraph's first line is only a name, with its definition on the next line (notes
    kept line by line), rather than the start of wrapped prose."""
    short = len(line) <= 40 and len(line.split()) <= 5
    opens = following[:1].isupper() or has_cjk(following[:1]) or following[:1].isdigit()
    return short and opens and not _NAME_BREAKERS.search(line)


def _line_ended(line: str, starts_definition: Callable[[str], bool]) -> bool:
    """Whether ``line`` ends a thought (so the next line may start a definition), rather than
    wrapping mid-sentence as prose in Markdown does."""
    last = line.rstrip()[-1:]
    return not last or last in "。.！!？?；;：:)）" or has_cjk(last) or starts_definition(line)


def _inline(node: _Node) -> str:
    """The inline text of a block node in canonical markup; line breaks kept as ``\\n``."""
    tokens: list[Token] = []
    for child in node.children:
        if child.type == "inline" and child.token is not None and child.token.children:
            tokens.extend(child.token.children)
    return render_inline(tokens)


def render_inline(tokens: list[Token]) -> str:
    """Inline tokens as text: emphasis dropped, ``**strong**`` kept for the term forms, links as
    ``[text](url)`` with the URL's brackets escaped, code spans as their text, ``<br>`` a line break."""
    parts: list[str] = []
    hrefs: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "text":
            parts.append(_WIKILINK.sub(_wikilink, token.content) if "[[" in token.content else token.content)
        elif kind == "code_inline":
            parts.append(token.content.replace("*", "\u2217") if "**" in token.content else token.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind in ("strong_open", "strong_close"):
            parts.append("**")
        elif kind == "link_open":
            parts.append("[")
            hrefs.append(_safe_url(token))
        elif kind == "link_close":
            parts.append("](" + (hrefs.pop() if hrefs else "#") + ")")
        elif kind == "image":
            parts.append(f"![{token.content}]({_safe_url(token)})")
        elif kind == "html_inline" and re.fullmatch(r"<br\s*/?>", token.content, re.IGNORECASE):
            parts.append("\n")
    return "".join(parts)


def _wikilink(match: re.Match[str]) -> str:
    """A wiki link as a Markdown one, so it reads as a link everywhere: ``[[Page|text]]`` is
    ``[text](Page)``."""
    page = match.group(1).strip()
    shown = (match.group(2) or page.partition("#")[0] or page).strip()
    return f"[{shown}]({_escaped_url(page)})"


def _safe_url(token: Token) -> str:
    return _escaped_url(str(token.attrGet("href") or token.attrGet("src") or "#"))


def _escaped_url(href: str) -> str:
    """A URL that cannot end a Markdown link early: brackets and spaces escaped."""
    return href.replace("(", "%28").replace(")", "%29").replace(" ", "%20") or "#"


class _DefinitionListReader(HTMLParser):
    """``<dl><dt>term</dt><dd>definition</dd></dl>``, ``<h1>`` and toggles, ``<details><summary>term
    </summary>definition</details>`` (as Notion and GitHub notes fold an answer), in an HTML block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[list[str]] = []
        self.headings: list[tuple[int, str]] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("dt", "dd", "summary", "h1", "h2", "h3", "h4", "h5", "h6"):
            self._close()
            self._open = tag
        elif tag == "br":
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "summary" and self._open == "summary":
            self._close()
            self._open = "dd"  # what the toggle folds, up to ``</details>``
        elif tag == self._open or tag in ("dl", "details"):
            self._close()

    def close(self) -> None:
        super().close()
        self._close()

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def _close(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self._text)).strip()
        if self._open in ("dt", "summary"):
            self.pairs.append([text])
        elif self._open == "dd" and self.pairs and text:
            self.pairs[-1].append(text)
        elif self._open is not None and self._open.startswith("h"):
            self.headings.append((int(self._open[1]), text))
        self._open, self._text = None, []


def _html(content: str, line: int) -> list[Block]:
    """An HTML block: a heading, a ``<dl>`` or a toggle becomes blocks; comments and component tags
    are noise."""
    lowered = content.lower()
    if "<dl" in lowered or "<summary" in lowered or _HTML_HEADING.search(content):
        reader = _DefinitionListReader()
        reader.feed(content)
        reader.close()
        blocks = [Block("heading", line, text, level=level) for level, text in reader.headings if text]
        for pair in reader.pairs:
            term = Block("term", line, pair[0])
            term.children = [Block("para", line, text) for text in pair[1:] if text]
            blocks.append(term)
        if blocks:
            return blocks
    return [Block("html", line, content.strip()[:200])]
