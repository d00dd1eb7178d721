"""``trainer build``: note documents → one YAML deck each, plus a report of what was made and skipped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer.decks.extract import extract
from trainer.decks.extraction import Extraction, Skipped
from trainer.decks.importers.decode import read_document
from trainer.decks.model import Deck
from trainer.decks.yaml_io import write_deck

_HASH_LIKE = re.compile(r"[_\-. ]?[0-9a-f]{12,}", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentReport:
    """One document's outcome: where its deck went, how many cards, and every skipped candidate."""

    source: str
    deck_name: str
    deck_path: Path
    cards: int
    skipped: tuple[Skipped, ...]
    forms: tuple[tuple[str, int], ...] = ()
    """Cards per definition form (``table``, ``heading``, ``bold``, …), most first."""


@dataclass(frozen=True)
class SharedTerm:
    """A term defined in more than one document (each keeps its own card; the user may want to merge)."""

    front: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BuildReport:
    documents: tuple[DocumentReport, ...]
    shared_terms: tuple[SharedTerm, ...]


def build_decks(sources: Sequence[Path]) -> list[tuple[Deck, Extraction]]:
    """Extract one deck per source, named by its title (or a readable file stem), names kept unique."""
    results: list[tuple[Deck, Extraction]] = []
    names: set[str] = set()
    for path in sources:
        extraction = extract(read_document(path), path.name)
        name = extraction.title or readable_stem(path.stem)
        if name in names:
            name = f"{name} ({path.stem})"
        names.add(name)
        deck = Deck(
            name=name,
            cards=extraction.cards,
            description=f"Cards built from the notes in {path.name}.",
            source=path.name,
        )
        results.append((deck, extraction))
    return results


def readable_stem(stem: str) -> str:
    """A file stem as a deck name: ``003_21371d2798a305d1`` → ``003``; a hash is no name."""
    return _HASH_LIKE.sub("", stem).strip(" _-.") or "Notes"


def build(sources: Sequence[Path], out_dir: Path) -> BuildReport:
    """Write ``out_dir/<stem>.yaml`` for every source; all sources are read before anything is written."""
    built = build_decks(sources)
    documents = []
    for path, (deck, extraction) in zip(sources, built, strict=True):
        target = out_dir / f"{path.stem}.yaml"
        write_deck(deck, target)
        documents.append(
            DocumentReport(
                path.name, deck.name, target, len(deck.cards), extraction.skipped, extraction.forms
            )
        )
    return BuildReport(tuple(documents), _shared_terms([deck for deck, _ in built]))


def _shared_terms(decks: list[Deck]) -> tuple[SharedTerm, ...]:
    by_id: dict[str, list[tuple[str, str]]] = {}
    for deck in decks:
        for card in deck.cards:
            by_id.setdefault(card.id, []).append((card.front, card.source or deck.name))
    return tuple(
        SharedTerm(entries[0][0], tuple(source for _front, source in entries))
        for _id, entries in sorted(by_id.items())
        if len({source.split(":")[0] for _front, source in entries}) > 1
    )


def format_report(report: BuildReport, verbose: bool = True) -> str:
    """The report as text: per document the cards made and, when ``verbose``, each skip with its reason."""
    lines: list[str] = []
    for document in report.documents:
        lines.append(
            f"{document.source}: {document.cards} cards -> {document.deck_path} ({document.deck_name}), "
            f"{len(document.skipped)} skipped"
        )
        if verbose and document.forms:
            lines.append("  cards by form: " + ", ".join(f"{form} {count}" for form, count in document.forms))
        if verbose:
            lines += [
                f"  skipped {document.source}:{s.line}: {s.text} — {s.reason}" for s in document.skipped
            ]
    if verbose and report.shared_terms:
        lines.append("terms defined in several documents:")
        lines += [f"  {term.front}: {', '.join(term.sources)}" for term in report.shared_terms]
    return "\n".join(lines)


def report_data(report: BuildReport) -> dict[str, object]:
    """The report as plain data for ``--json``."""
    return {
        "documents": [
            {
                "source": d.source,
                "deck": d.deck_name,
                "path": str(d.deck_path),
                "cards": d.cards,
                "forms": dict(d.forms),
                "skipped": [{"line": s.line, "text": s.text, "reason": s.reason} for s in d.skipped],
            }
            for d in report.documents
        ],
        "shared_terms": [{"front": t.front, "sources": list(t.sources)} for t in report.shared_terms],
    }
