"""HTML card fields (Anki's) to plain text that keeps their line structure.

Entities are decoded, ``<br>`` and block elements become line breaks, whitespace collapses as a browser
would, scripts and styles vanish, and media references (``[sound:…]``, ``<img>``) are dropped and
returned so the import report can say how many were skipped.

The fields are hostile input, so the tokenizer here is our own and linear: the standard library's
``html.parser`` takes quadratic time on unclosed tags (a field of ``<b`` repeated, 130 KB: 4.9 s), and
every pattern below stops at the next ``<`` or ``[`` instead of scanning to the end from each start.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    }
)
_HIDDEN = frozenset({"head", "title"})
_RAW_TEXT = {"script": re.compile(r"</script", re.IGNORECASE), "style": re.compile(r"</style", re.IGNORECASE)}
"""Elements whose content is not markup; it runs to their closing tag and is never shown."""
_SOUND = re.compile(r"\[sound:([^\[\]]*)\]")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_TAG_NAME = re.compile(r"/?([A-Za-z][A-Za-z0-9:-]*)")
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s"'>]*))""", re.IGNORECASE)
_LOOKS_HTML = re.compile(
    r"<(?:br|div|p|span|b|i|u|ul|ol|li|img|font|a|table|tr|td|sub|sup|strong|em|hr)\b[^<>]*>"
    r"|&(?:nbsp|amp|lt|gt|quot|#\d+);",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether a field holds HTML markup (common tags or entities), for files that do not say."""
    return _LOOKS_HTML.search(text) is not None


@dataclass(frozen=True)
class _Tag:
    name: str
    closing: bool
    inner: str
    """Everything between ``<`` and ``>``."""


def _tokens(markup: str) -> Iterator[str | _Tag]:
    """Text runs and tags, in one pass: each search starts where the last one stopped, and a search
    that finds nothing ends the markup (no later start could succeed where this one failed)."""
    cursor, size = 0, len(markup)
    while cursor < size:
        start = markup.find("<", cursor)
        if start < 0:
            yield markup[cursor:]
            return
        if start > cursor:
            yield markup[cursor:start]
        if markup.startswith("<!--", start):
            end = markup.find("-->", start + 4)
            if end < 0:
                return  # an unclosed comment hides the rest, as in a browser
            cursor = end + 3
            continue
        name = _TAG_NAME.match(markup, start + 1)
        if name is None and markup[start + 1 : start + 2] not in ("!", "?"):
            yield "<"  # a lone '<' is text
            cursor = start + 1
            continue
        end = markup.find(">", start + 1)
        if end < 0:
            yield markup[start:]  # an unfinished tag stays text
            return
        cursor = end + 1
        if name is None:
            continue  # <!DOCTYPE …>, <?xml …?>, <![CDATA[…]>: not content
        tag = _Tag(name.group(1).lower(), markup[start + 1] == "/", markup[start + 1 : end])
        yield tag
        raw_end = _RAW_TEXT.get(tag.name)
        if raw_end is not None and not tag.closing and not tag.inner.endswith("/"):
            found = raw_end.search(markup, cursor)
            if found is None:
                return
            cursor = found.start()


@dataclass
class _Text:
    """The lines built so far, and what was dropped on the way."""

    lines: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    hidden: int = 0
    pre: int = 0
    media: list[str] = field(default_factory=list)

    def line_break(self) -> None:
        line = "".join(self.current)
        self.lines.append(line if self.pre else _SPACES.sub(" ", line).strip())
        self.current = []

    def block_edge(self) -> None:
        if self.pre or "".join(self.current).strip():
            self.line_break()
        else:
            self.current = []  # only spaces, which collapse away at a block edge

    def tag(self, tag: _Tag) -> None:
        if tag.name in _HIDDEN:
            self.hidden = max(0, self.hidden + (-1 if tag.closing else 1))
            if tag.inner.endswith("/"):
                self.hidden = max(0, self.hidden - 1)
        elif tag.closing:
            if tag.name in _BLOCKS:
                self.block_edge()
                if tag.name == "pre":
                    self.pre = max(0, self.pre - 1)
        elif tag.name == "br":
            self.line_break()
        elif tag.name == "img":
            found = _SRC.search(tag.inner)
            self.media.append(next((part for part in found.groups() if part), "") if found else "")
        elif tag.name in _BLOCKS:
            self.block_edge()
            self.pre += tag.name == "pre"

    def data(self, text: str) -> None:
        if not self.hidden:
            self.current.append(html.unescape(text).replace("\xa0", " "))


def html_to_text(markup: str) -> tuple[str, tuple[str, ...]]:
    """The plain text of an HTML field, and the media it referred to (sound and image file names)."""
    sounds = tuple(_SOUND.findall(markup))
    text = _Text()
    for token in _tokens(_SOUND.sub("", markup)):
        if isinstance(token, _Tag):
            text.tag(token)
        else:
            text.data(token)
    text.line_break()
    filled = [index for index, line in enumerate(text.lines) if line]
    lines = text.lines[filled[0] : filled[-1] + 1] if filled else []
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)), sounds + tuple(text.media)


def strip_media(text: str) -> tuple[str, tuple[str, ...]]:
    """Plain text with ``[sound:…]`` references removed, and their file names."""
    if "[sound:" not in text:  # the common cell: no regex runs
        return text.strip(), ()
    return _SOUND.sub("", text).strip(), tuple(_SOUND.findall(text))
