"""The development set of real notes by other people: the scorer's figures, overall and per document.

Skipped where ``../shared`` (beside the checkout) is absent. The scorer runs as a subprocess with
``--json``; each document is also scored alone, for its own precision.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.decks.build import build

SHARED = Path(__file__).parents[2].parent / "shared"
NOTES = SHARED / "real-notes" / "notes"
GOLD = SHARED / "real-notes" / "gold"
SCORER = SHARED / "tools" / "score_decks.py"
pytestmark = pytest.mark.skipif(
    not (NOTES.is_dir() and GOLD.is_dir() and SCORER.is_file()), reason=f"real notes not found at {SHARED}"
)


def _score(sources: list[Path], out: Path) -> dict[str, object]:
    build(sources, out)
    result = subprocess.run(
        [sys.executable, str(SCORER), str(out), "--gold", str(GOLD), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, object] = json.loads(result.stdout)
    return figures


def test_all_documents_together(tmp_path: Path) -> None:
    figures = _score(sorted(NOTES.glob("*.md")), tmp_path)
    assert figures["precision"] >= 0.95, figures  # type: ignore[operator]
    assert figures["core_recall"] >= 0.95, figures  # type: ignore[operator]
    assert figures["noise"] == 0, figures


@pytest.mark.parametrize("name", sorted(path.name for path in NOTES.glob("*.md")) if NOTES.is_dir() else [])
def test_each_document(tmp_path: Path, name: str) -> None:
    figures = _score([NOTES / name], tmp_path)
    document = figures["per_doc"][Path(name).stem[:12]]  # type: ignore[index]  # the scorer's key
    assert figures["precision"] >= 0.85, figures  # type: ignore[operator]
    assert document["core_found"] >= 0.85 * document["core"], figures
    assert figures["noise"] == 0, figures
