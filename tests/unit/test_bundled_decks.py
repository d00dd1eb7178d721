"""The committed decks in decks/ are exactly what `trainer build` makes from the seed notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import REPO, SEEDS
from trainer.decks.build import build
from trainer.decks.yaml_io import load_deck

DECKS = REPO / "decks"


@pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"seed notes not found at {SEEDS.resolve()}; cannot regenerate"
)
def test_bundled_decks_match_a_fresh_build(tmp_path: Path) -> None:
    sources = sorted(SEEDS.glob("*.txt"))
    build(sources, tmp_path)
    fresh = sorted(path.name for path in tmp_path.glob("*.yaml"))
    assert fresh == sorted(path.name for path in DECKS.glob("*.yaml"))
    for name in fresh:
        assert (tmp_path / name).read_text(encoding="utf-8") == (DECKS / name).read_text(encoding="utf-8"), (
            f"decks/{name} is stale: run `trainer build ../shared/seeds/*.txt --out decks`"
        )


def test_bundled_decks_load_and_have_unique_names() -> None:
    decks = [load_deck(path) for path in sorted(DECKS.glob("*.yaml"))]
    assert len(decks) == 5
    assert len({deck.name for deck in decks}) == 5
    assert all(deck.cards for deck in decks)
