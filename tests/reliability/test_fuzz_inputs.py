"""Fuzzing every importer and the note extractor: any input gives cards or a TrainerError, nothing else.

Text is drawn both from all of Unicode and from each format's own syntax characters (which reach far
deeper into the parsers); packages are a small valid .apkg with bytes changed, in the zip and in the
SQLite collection inside it. Every example counts towards the reliability tally. Runs of 3,000 examples
per test found a ``zlib.error`` escaping from a damaged package (now a one-line error).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.reliability.corpus import generate
from tests.reliability.tally import TALLY
from tests.support import ZONE
from trainer.clock import parse_now, resolve_zone, zone_problem
from trainer.decks.extract import extract
from trainer.decks.importers.anki_template import cloze_numbers, render
from trainer.decks.importers.csv_tsv import load_table, parse_columns
from trainer.decks.importers.detect import load_file
from trainer.decks.importers.html_text import html_to_text
from trainer.decks.importers.markdown import load_notes
from trainer.decks.importers.model import ImportedDeck, ImportOptions
from trainer.decks.yaml_io import loads_deck
from trainer.errors import TrainerError
from trainer.scheduler.days import MAX_INTERVAL_DAYS, due_day, review_day, shifted

OPTIONS = ImportOptions(lambda at: review_day(at, ZONE, 4), with_progress=True)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))
"""Per test (twice that for the cheap pure ones): about 10 s in all; raise it for a deeper hunt."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD = ["\x00", "\x1b[31m", "\u202e", "\ufeff", "\r", "\r\n", "\u3000", "中文", "😀", "\udcff"[:0], "\t"]


def syntax(*symbols: str) -> st.SearchStrategy[str]:
    """Text built mostly from a format's syntax, with words and odd characters between."""
    pieces = st.sampled_from([*symbols, "\n", " ", "a", "hola", "front", "back", "id", *ODD])
    return st.lists(pieces, max_size=60).map("".join)


def any_text(*symbols: str) -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=300), syntax(*symbols))


def decks_or_error(read: Callable[[], list[ImportedDeck]], source: str) -> None:
    """Reading gives decks of whole cards, or a TrainerError of one line that begins with the file's name
    (as every error about the user's input does); any other exception fails the test."""
    TALLY["fuzz"] += 1
    try:
        decks = read()
    except TrainerError as error:
        message = str(error)
        assert message.startswith(f"{source}:") and "\n" not in message, message
        return
    for item in decks:
        assert item.deck.name
        for card in item.deck.cards:
            assert card.id and card.front and card.back


TABLE = (
    ",",
    ";",
    "\t",
    '"',
    '""',
    "#separator:tab",
    "#separator:Comma",
    "#html:true",
    "#columns:",
    "#deck:",
    "#tags:",
    "#tags column:",
    "#guid column:3",
    "front,back",
    "<br>",
    "&amp;",
    "[sound:a.mp3]",
    "<img src=x>",
    "|",
)
NOTES = (
    "# ",
    "## ",
    "- ",
    "* ",
    "1. ",
    ": ",
    "：",
    " - ",
    "—",
    "**",
    "`",
    "```",
    "> ",
    "Q: ",
    "A: ",
    "[link](http://x)",
    "是",
    "指",
    "（",
    "）",
    "(",
    ")",
    "|",
    "---",
    "扫码关注",
    "TL;DR",
)
YAML = (
    "name: ",
    "cards:",
    "- ",
    "id: ",
    "front: ",
    "back: ",
    "tags: ",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "&a ",
    "*a",
    "!!str ",
    "!!python/object ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "  ",
    "\t",
    "---",
    "...",
    "? ",
    "null",
    "~",
)


@FUZZ
@given(any_text(*TABLE), st.sampled_from(["deck.csv", "deck.tsv", "deck.txt", "deck.tab"]))
def test_tables(text: str, name: str) -> None:
    decks_or_error(lambda: [load_table(Path(name), text, OPTIONS)], name)


@FUZZ
@given(any_text(*NOTES))
def test_markdown_notes(text: str) -> None:
    decks_or_error(lambda: [load_notes(Path("notes.md"), text, OPTIONS)], "notes.md")


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(any_text(*NOTES))
def test_the_extractor_gives_cards_or_reasons(text: str) -> None:
    TALLY["fuzz"] += 1
    found = extract(text, "notes.md")
    assert all(card.id and card.front.strip() and card.back.strip() for card in found.cards)
    assert all(item.reason and item.line >= 1 for item in found.skipped)


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(any_text(*YAML))
def test_yaml_decks(text: str) -> None:
    decks_or_error(lambda: [ImportedDeck(loads_deck(text, "deck.yaml"))], "deck.yaml")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(
    st.binary(max_size=400), st.sampled_from([".csv", ".tsv", ".txt", ".md", ".yaml", ".apkg", ".bin", ""])
)
def test_any_bytes_under_any_name(folder: Path, data: bytes, suffix: str) -> None:
    with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False) as file:
        file.write(data)
    decks_or_error(lambda: load_file(Path(file.name), OPTIONS), file.name)
    Path(file.name).unlink()


@pytest.fixture(scope="module")
def package(folder: Path) -> bytes:
    made = generate.rewritten(
        folder,
        "studied",
        "UPDATE cards SET type = 2, queue = 2, due = 30, ivl = 10, factor = 2300, reps = 4, lapses = 1;"
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " SELECT 1700000000000 + id % 1000, id, 0, 3, 10, 4, 2300, 6000, 1 FROM cards;",
    )
    return made.read_bytes()


changes = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8)


def mutate(data: bytes, edits: list[tuple[float, int]], cut: float | None) -> bytes:
    changed = bytearray(data)
    for where, value in edits:
        changed[int(where * len(changed))] = value
    return bytes(changed[: int(cut * len(changed))] if cut is not None else changed)


def read_package(folder: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".apkg", delete=False) as file:
        file.write(data)
    try:
        decks_or_error(lambda: load_file(Path(file.name), OPTIONS), file.name)
    finally:
        Path(file.name).unlink()


@FUZZ
@given(changes, st.none() | st.floats(0, 1))
@example(edits=[(0.9788734787256187, 64)], cut=None)  # "zip file version 6.4": NotImplementedError
def test_packages_with_changed_bytes(
    folder: Path, package: bytes, edits: list[tuple[float, int]], cut: float | None
) -> None:
    read_package(folder, mutate(package, edits, cut))


@FUZZ
@given(changes, st.none() | st.floats(0.5, 1))
def test_packages_with_a_changed_collection(
    folder: Path, package: bytes, edits: list[tuple[float, int]], cut: float | None
) -> None:
    """The zip is sound; the SQLite file inside it is damaged, as a half-synced collection would be."""
    original = folder / "original.apkg"
    original.write_bytes(package)
    collection = mutate(generate.collection_of(original), edits, cut)
    read_package(
        folder, generate.zipped(folder / "changed.apkg", {"collection.anki2": collection}).read_bytes()
    )


HTML = (
    "<",
    ">",
    "</",
    "<b>",
    "<br>",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<style>",
    "<img src=",
    '"',
    "'",
    "&amp;",
    "&#",
    ";",
    "[sound:",
    "]",
    "<title>",
    "/>",
)
TEMPLATE = (
    "{{",
    "}}",
    "{{#",
    "{{^",
    "{{/",
    "Front",
    "Back",
    "Text",
    "cloze:",
    "c1::",
    "c2::",
    "::",
    "{{FrontSide}}",
    "<hr id=answer>",
    "type:",
    "hint:",
)


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(any_text(*HTML))
def test_html_fields_give_text_and_media(markup: str) -> None:
    TALLY["fuzz"] += 1
    text, media = html_to_text(markup)
    assert isinstance(text, str) and all(isinstance(name, str) for name in media)


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(any_text(*TEMPLATE), any_text(*TEMPLATE), st.none() | st.integers(1, 3), st.booleans())
def test_templates_render_any_fields(template: str, field: str, cloze: int | None, answer_side: bool) -> None:
    TALLY["fuzz"] += 1
    assert isinstance(render(template, {"Front": field, "Text": field}, cloze, answer_side), str)
    assert all(number >= 0 for number in cloze_numbers(field))


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(any_text("front=", "back=", "tags=", "id=", ",", "1", "2", "0", "-1", "99999999999"))
def test_columns_option_is_roles_or_an_error(text: str) -> None:
    TALLY["fuzz"] += 1
    try:
        roles = parse_columns(text)
    except TrainerError:
        return
    assert {"front", "back"} <= set(roles.values()) and all(index >= 0 for index in roles)


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(any_text("Europe/", "Berlin", "UTC", "/", "..", "etc", "passwd", "+2", "-", "_", "GMT"))
def test_zone_names_load_or_are_refused(name: str) -> None:
    TALLY["fuzz"] += 1
    try:
        zone = resolve_zone(name)
    except TrainerError as error:
        assert str(error).startswith("time zone: ") and repr(name) in str(error), error
        return
    assert zone is not None and (not name or zone_problem(name) is None)


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(
    st.one_of(
        st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
        any_text("0001", "9999", "-", "T", ":", "+14:00", "Z"),
    )
)
def test_now_is_an_instant_the_calendar_can_use_or_an_error(text: str) -> None:
    TALLY["fuzz"] += 1
    try:
        moment = parse_now(text, ZONE)
    except TrainerError:
        return
    day = review_day(moment, ZONE, 4)
    assert due_day(day, MAX_INTERVAL_DAYS) > day > shifted(day, -36_500 - 1)
