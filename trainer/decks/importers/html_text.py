"""HTML card fields (Anki's) to plain text that keeps their line structure.

Entities are decoded, ``<br>`` and block elements become line breaks, whitespace collapses as a browser
would, scripts and styles vanish, and media references (``[sound:…]``, ``<img>``) are dropped and
counted so the import report can say how many were skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    [
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
    ]
)
_HIDDEN = frozenset({"script", "style", "head", "title"})
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_LOOKS_HTML = re.compile(
    r"<(?:br|div|p|span|b|i|u|ul|ol|li|img|font|a|table|tr|td|sub|sup|strong|em|hr)\b[^>]*>|&(?:nbsp|amp|lt|gt|quot|#\d+);",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether a field holds HTML markup (common tags or entities), for files that do not say."""
    return _LOOKS_HTML.search(text) is not None


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.media = 0

    def _break(self) -> None:
        line = "".join(self.current)
        self.lines.append(line if self.pre else _SPACES.sub(" ", line).strip())
        self.current = []

    def _block_edge(self) -> None:
        if "".join(self.current).strip() or self.pre:
            self._break()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._break()
        elif tag == "img":
            self.media += 1
        elif tag in _BLOCKS:
            self._block_edge()
            self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self.hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._block_edge()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data.replace("\xa0", " "))


def html_to_text(html: str) -> tuple[str, int]:
    """The plain text of an HTML field, and how many media references it dropped."""
    html, sounds = _SOUND.subn("", html)
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser._break()
    lines = parser.lines
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text), sounds + parser.media


def strip_media(text: str) -> tuple[str, int]:
    """Plain text with ``[sound:…]`` references removed, and how many there were."""
    stripped, sounds = _SOUND.subn("", text)
    return stripped.strip(), sounds
