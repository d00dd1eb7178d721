"""What reading one document collects: its cards (one per term, however often it is defined), the
candidates that did not become cards and why, and where in the document the reading is.

``extract`` walks the document's blocks and says what each is; ``State.add`` is the one place a card
is made, so the rules for a term defined twice live here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trainer.decks.definitions import WEAK_FORMS
from trainer.decks.model import Card
from trainer.decks.note_blocks import Block
from trainer.decks.notes_text import expands, has_cjk, is_acronym, normalise_term, split_alias

_PART_OF_SPEECH = re.compile(
    r"[(（]\s*(?:n|v|vt|vi|adj|adv|prep|conj|pron|pl|num)\.(?:\s*(?:,|/|&|or)?\s*[a-z]{1,4}\.)*\s*[)）]",
    re.IGNORECASE,
)
"""``(n.)``, ``(n. / v.)`` after a term: a part-of-speech tag, not part of the term."""
_ABBREVIATION = re.compile(r"[(（]\s*(?:abbr|abbrev)\.\s*([^()（）]+?)\s*[)）]", re.IGNORECASE)
"""``(abbr. p)`` after a term: its short form, said as a dictionary says it."""
EXCERPT = 60
"""Characters of a skipped candidate shown in the report."""


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
class Draft:
    """A card being gathered: a term's definitions join its back until the document ends."""

    front: str
    backs: list[str]
    tags: tuple[str, ...]
    line: int
    form: str


@dataclass
class State:
    """One document's reading: the cards so far, what was skipped, and the context a block is read in."""

    source: str
    drafts: dict[str, Draft] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    """The enclosing headings (level, text); a heading that is itself a term has no text (no tag)."""
    title_line: int | None = None
    last_card: tuple[str, int] | None = None
    """The id of the latest card and the index of the top-level block it came from."""
    section_term: str | None = None
    """The term whose heading we are under: more prose there is about it, not a new term."""
    asked: str | None = None
    """The question heading we are under that made no card (``## L1 和 L2 的区别？``): the prose
    under it answers it, and defines only a term the question names."""
    tutorial: bool = False
    """Prose-heavy notes: only definitions the writer marked up (bold, a table, a heading) count."""
    glossary_levels: frozenset[int] = frozenset()
    """Heading levels whose headings are mostly terms with their definitions under them."""
    instruction_levels: frozenset[int] = frozenset()
    """Heading levels where most paragraphs under the headings are instructions: there that is how
    the entries are written (``### Pooling`` / ``Reduce the size …``), so an instruction is a definition."""

    def add(self, front: str, back: str, line: int, index: int, form: str) -> None:
        """Add a card. A term defined again is one card: a passing mention after a clear definition is
        listed as a duplicate, any other definition joins the back."""
        front = _untagged(front)
        main, alias = split_alias(front)
        if alias and is_acronym(main) and (expands(main, alias) or has_cjk(alias)):
            front, back = main, back if alias in back else f"{alias}\n{back}"
        elif alias and is_acronym(alias) and (has_cjk(main) or expands(alias, main)):
            front, main, back = alias, alias, back if main in back else f"{main}\n{back}"
        back = back.strip().rstrip(";；,，、").strip()
        key = normalise_term(main) or normalise_term(front)
        if not key or not back:
            reason = "no term" if not key else "empty definition"
            self.skipped.append(Skipped(line, excerpt(front or back), reason))
            return
        self.last_card = (key, index)
        draft = self.drafts.get(key)
        if draft is None:
            self.drafts[key] = Draft(front, [back], self._tags(), line, form)
        elif form in WEAK_FORMS and draft.form not in WEAK_FORMS:
            self.skipped.append(Skipped(line, excerpt(front), f"duplicate of the card at line {draft.line}"))
        elif all(normalise_term(back) != normalise_term(known) for known in draft.backs):
            draft.backs.append(back)

    def skip(self, block: Block, reason: str) -> None:
        self.skipped.append(Skipped(block.line, excerpt(block.clean or block.text.strip()), reason))

    def cards(self) -> tuple[Card, ...]:
        return tuple(
            Card(
                id=key,
                front=draft.front,
                back="\n\n".join(draft.backs),
                tags=draft.tags,
                source=f"{self.source}:{draft.line}",
            )
            for key, draft in self.drafts.items()
        )

    def _tags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(text for _level, text in self.headings if text))


def _untagged(term: str) -> str:
    """``confidence interval (n.)`` → ``confidence interval``, ``p-value (abbr. p)`` → ``p-value (p)``."""
    if not term.endswith((")", "）")):
        return term
    cut = max(term.rfind("("), term.rfind("（"))
    head, tag = term[:cut].rstrip(), term[cut:]
    if len(tag) > 30 or not head:
        return term
    if _PART_OF_SPEECH.fullmatch(tag):
        return head
    if short := _ABBREVIATION.fullmatch(tag):
        return f"{head} ({short.group(1)})"
    return term


def excerpt(text: str) -> str:
    """A candidate's text on one line, cut to EXCERPT characters, as the report shows it."""
    text = text.replace("\n", " ")
    return text[: EXCERPT - 1] + "…" if len(text) > EXCERPT else text
