"""Notes split into blocks (headings, list items, paragraphs, code, images), nested by indentation.

The extractor reasons about structure (a heading and the paragraph under it, an item and its sub-list),
so this module turns raw lines into that structure once and keeps each block's line number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeGuard

from trainer.decks.notes_text import clean_inline, is_image, join_lines

Kind = Literal["heading", "item", "para", "code", "image"]

_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])[^>]*>(.*?)</h\1>\s*$", re.IGNORECASE)
_ANCHOR_HEADING = re.compile(r"^\s*(\S.*?)\s*(?:⚓︎|⚓|¶)\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+•·▪●◦]|\d+[.)、]|[(（]\d+[)）])\s+(\S.*)$")
_QUOTE = re.compile(r"^\s*>\s?")


@dataclass
class Block:
    """One structural unit of a note; ``text`` keeps its markdown, wrapped lines already joined."""

    kind: Kind
    line: int
    indent: int
    text: str
    level: int = 0
    """Heading level, 1 for a title."""
    blank_before: bool = True
    children: list[Block] = field(default_factory=list)

    @property
    def clean(self) -> str:
        return clean_inline(self.text)


def _indent(line: str) -> int:
    prefix = line[: len(line) - len(line.lstrip())]
    return len(prefix.replace("\t", "    "))


def _heading(line: str, first: bool) -> tuple[int, str] | None:
    if match := _MD_HEADING.match(line):
        return len(match.group(1)), match.group(2)
    if match := _HTML_HEADING.match(line):
        return int(match.group(1)), match.group(2)
    if match := _ANCHOR_HEADING.match(line):
        return (1 if first else 2), match.group(1)
    return None


def split_blocks(text: str, starts_definition: Callable[[str], bool]) -> list[Block]:
    """Lines → blocks. Wrapped lines join the item or paragraph above, unless they start a definition."""
    blocks: list[Block] = []
    in_code = False
    blank = True
    for number, raw in enumerate(text.split("\n"), start=1):
        if _FENCE.match(raw):
            if not in_code:
                blocks.append(Block("code", number, _indent(raw), raw.strip(), blank_before=blank))
            in_code = not in_code
            blank = False
            continue
        if in_code:
            continue
        line = _QUOTE.sub("", raw) if _QUOTE.match(raw) else raw
        if not line.strip():
            blank = True
            continue
        block = _block(line, number, first=all(b.kind != "heading" for b in blocks), blank=blank)
        previous = blocks[-1] if blocks else None
        if _continues(previous, block, blank) and (
            previous.kind == "item" or not starts_definition(block.clean)
        ):
            previous.text = join_lines(previous.text.rstrip(), block.text.strip())
            continue
        blocks.append(block)
        blank = False
    return blocks


def _continues(previous: Block | None, block: Block, blank: bool) -> TypeGuard[Block]:
    """A wrapped line: a paragraph line right under an item or paragraph, no blank line between."""
    return block.kind == "para" and not blank and previous is not None and previous.kind in ("item", "para")


def _block(line: str, number: int, first: bool, blank: bool) -> Block:
    if heading := _heading(line, first):
        return Block("heading", number, 0, heading[1], level=heading[0], blank_before=blank)
    if match := _ITEM.match(line):
        return Block("item", number, _indent(match.group(1)), match.group(2).rstrip(), blank_before=blank)
    kind: Kind = "image" if is_image(line) else "para"
    return Block(kind, number, _indent(line), line.strip(), blank_before=blank)


def nest(blocks: list[Block]) -> list[Block]:
    """Attach deeper-indented items and paragraphs to the item above them; return the top level."""
    roots: list[Block] = []
    stack: list[Block] = []
    for block in blocks:
        block.children = []
        if block.kind == "heading":
            stack.clear()
            roots.append(block)
            continue
        while stack and block.indent <= stack[-1].indent:
            stack.pop()
        if stack:
            stack[-1].children.append(block)
        else:
            roots.append(block)
        if block.kind == "item":
            stack.append(block)
    return roots
