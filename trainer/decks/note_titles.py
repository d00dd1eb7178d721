"""A deck's name from its notes: the title the document gives itself, cleaned.

Front matter ``title:`` first, then the first level-1 heading (or ``<h1>``), then a clear first line,
then an opening heading over the whole note. A file stem is the caller's last resort.
"""

from __future__ import annotations

import re

from trainer.decks.definitions import Definition, parse_line
from trainer.decks.note_blocks import Block, Document
from trainer.decks.notes_text import clean_inline, strip_numbering

_MARKUP_START = re.compile(r"^[^\w\u3400-\u9fff(（\[]+")
_SENTENCE_END = re.compile(r"[.。!！?？;；…]")
_TITLE_REACH = 60
"""A title is a line a person reads at a glance; a longer first line is content."""


def is_title_like(text: str) -> bool:
    """A short line that does not end or break like a sentence."""
    stripped = text.strip()
    return 0 < len(stripped) <= 30 and not re.search(r"[。，,；;：:]$|[。；;]", stripped)


def reads_as_title(text: str) -> bool:
    """A name rather than a remark or a question: short, and no sentence punctuation in it."""
    return is_title_like(text) and not re.search(r"[，,。；;！!？?]", text)


def clean_title(text: str) -> str | None:
    """``📖 Terminology`` → ``Terminology``: emoji, marks and section numbers are not part of a name."""
    return strip_numbering(_MARKUP_START.sub("", clean_inline(text))).strip() or None


def document_title(document: Document, h1_are_terms: bool) -> tuple[str | None, int | None]:
    """(title, line of the block that is only the title, if one is); ``h1_are_terms`` when the
    level-1 headings are glossary entries, one per term, and so no title."""
    if document.front_matter and (title := _front_matter_title(document.front_matter)):
        return title, None
    blocks = document.blocks
    top = [] if h1_are_terms else [block for block in blocks if block.kind == "heading" and block.level == 1]
    if len(top) == 1 or (top and reads_as_title(top[0].clean)):
        return clean_title(top[0].clean), top[0].line
    if titled := next((block for block in top if reads_as_title(block.clean)), None):
        return clean_title(titled.clean), None  # the first H1 is a remark; the first that reads as a title
    first = next((block for block in blocks if block.kind not in ("front_matter", "html")), None)
    if first is None:
        return None, None
    single = "\n" not in first.text and not first.text.startswith("**")
    if single and first.kind == "para" and _first_line_is_title(first, blocks):
        return clean_title(first.clean), first.line
    if first.kind == "heading" and not top and reads_as_title(first.clean):
        following = blocks[1] if len(blocks) > 1 else None
        if following is None or following.kind != "para":  # a section over the whole note, not a term
            return clean_title(first.clean), None
    return None, None


def _first_line_is_title(first: Block, blocks: list[Block]) -> bool:
    """A first line alone in its paragraph that names the note: a short name, or a pair shaped like a
    definition (``Operating Systems — revision notes``) that ends without a sentence's full stop and
    that no other entry of the note shares the shape of, ending as it does (entries of a glossary come in
    siblings; a title is the one pair without the full stop its siblings end with)."""
    line = first.clean
    if line.startswith(("#", "@")):  # ``#tag`` is no title
        return False
    parsed = parse_line(first.text)
    if parsed is None:
        return reads_as_title(line)
    if not isinstance(parsed, Definition) or parsed.form == "question" or not parsed.back:
        return False
    if len(line) > _TITLE_REACH or _SENTENCE_END.search(line[-1]):
        return False
    return len(blocks) > 1 and not any(
        _shape(block) == parsed.form and not _SENTENCE_END.search(block.clean[-1:])
        for block in blocks
        if block is not first
    )


def _shape(block: Block) -> str | None:
    """The definition form of a paragraph or list item, if it has one."""
    if block.kind not in ("para", "item"):
        return None
    parsed = parse_line(block.text, in_list=block.kind == "item")
    return parsed.form if isinstance(parsed, Definition) else None


def _front_matter_title(front_matter: str) -> str | None:
    import yaml

    try:
        data = yaml.safe_load(front_matter)
    except yaml.YAMLError:
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return clean_title(str(title)) if isinstance(title, (str, int, float)) else None
