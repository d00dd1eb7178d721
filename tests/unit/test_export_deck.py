"""`trainer export deck`: YAML or CSV/TSV that imports back onto the same cards, progress intact."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reliability.tally import TALLY
from tests.support import (
    DAY_START_HOUR,
    ORDINARY,
    TODAY,
    ZONE,
    Runner,
    invoke,
    lapsed_until_due,
    sample_deck,
    store_deck,
)
from trainer.decks.importers.csv_tsv import dump_table, load_table
from trainer.decks.importers.model import ImportOptions
from trainer.decks.model import Card, Deck
from trainer.scheduler.days import review_day
from trainer.scheduler.schedule import LEECH_LAPSES
from trainer.store.cards import get_card
from trainer.store.db import connect, transaction
from trainer.store.decks import upsert_deck
from trainer.store.export import stored_deck

OPTIONS = ImportOptions(lambda at: review_day(at, ZONE, DAY_START_HOUR))


@pytest.mark.parametrize("name", ["sample.yaml", "sample.csv", "sample.tsv"])
def test_round_trip_changes_nothing(run: Runner, conn: sqlite3.Connection, tmp_path: Path, name: str) -> None:
    sample = sample_deck()
    two_lines = replace(sample.cards[1], front='line one\nline, "two"')
    store_deck(conn, replace(sample, cards=(sample.cards[0], two_lines, *sample.cards[2:])))
    assert run("grade", "1", "5").exit_code == 0
    lapsed_until_due(conn, 3, lapses=LEECH_LAPSES, due=TODAY)  # tagged leech: state, not content
    assert "leech" in get_card(conn, 3).tags
    path = tmp_path / name
    result = run("export", "deck", "Sample", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "wrote 5 cards of Sample" in result.output
    assert "leech" not in path.read_text(encoding="utf-8")
    again = json.loads(run("import", str(path), "--json").output)
    deck = again["decks"][0]
    assert (deck["added"], deck["updated"], deck["unchanged"], deck["missing"]) == (0, 0, 5, 0)
    assert conn.execute("SELECT repetitions FROM cards WHERE id = 1").fetchone()[0] == 1


def test_edited_export_updates_the_card(run: Runner, conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    run("export", "deck", "Sample", "-o", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace("back 3", "back three"), encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith(
        "#separator:Comma\n#deck:Sample\n#columns:id,front,back,tags\n"
    )
    deck = json.loads(run("import", str(path), "--json").output)["decks"][0]
    assert (deck["updated"], deck["unchanged"]) == (1, 4)
    assert conn.execute("SELECT back FROM cards WHERE key = 'k3'").fetchone()[0] == "back three"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "deck", "Nope", "-o", "x.yaml"], "no deck named 'Nope'"),
        (["export", "deck", "Sample", "-o", "x.txt"], "write .yaml, .yml, .csv or .tsv"),
    ],
)
def test_export_errors(run: Runner, conn: sqlite3.Connection, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output


@pytest.mark.parametrize("name", ["deck.csv", "deck.tsv", "deck.yaml"])
def test_every_export_format_imports_back_exactly(
    db_path: Path, run: Runner, tmp_path: Path, name: str
) -> None:
    deck = Deck("Ordinary  deck", tuple(ORDINARY), description="line one\nline two")
    with closing(connect(db_path)) as conn, transaction(conn):
        upsert_deck(conn, deck)
    path = tmp_path / name
    assert run("export", "deck", deck.name, "-o", str(path)).exit_code == 0
    fresh = tmp_path / "fresh.db"
    result = invoke(fresh, "import", str(path), "--json")
    assert result.exit_code == 0, result.output
    with closing(connect(fresh)) as conn:
        again = stored_deck(conn, deck.name)
    assert [(card.id, card.front, card.back, card.tags) for card in again.cards] == [
        (card.id, card.front, card.back, card.tags) for card in ORDINARY
    ]
    assert again.description == deck.description
    TALLY["attacks"] += 1


text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r"), max_size=40)
cards = st.lists(
    st.builds(
        Card,
        id=text.filter(str.strip),
        front=text.filter(str.strip),
        back=text.filter(str.strip),
        tags=st.lists(text.filter(str.strip), max_size=3, unique=True).map(tuple),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda card: card.id,
)


@given(cards, st.sampled_from([",", "\t"]))
def test_dump_then_load_is_the_identity(deck_cards: list[Card], delimiter: str) -> None:
    deck = Deck("d", tuple(deck_cards))
    suffix = ".tsv" if delimiter == "\t" else ".csv"
    loaded = load_table(Path("d" + suffix), dump_table(deck, delimiter), OPTIONS).deck
    assert [(c.id, c.front, c.back, c.tags) for c in loaded.cards] == [
        (c.id, c.front, c.back, c.tags) for c in deck_cards
    ]


def test_other_programs_csv_keeps_its_html_handling(
    run: Runner, conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = tmp_path / "anki.csv"
    path.write_text("Q&amp;A,<b>bold</b> [sound:x.mp3]\n", encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    row = conn.execute(
        "SELECT front, back FROM cards WHERE deck_id = (SELECT id FROM decks WHERE name = 'anki')"
    )
    assert tuple(row.fetchone()) == ("Q&A", "bold")
