"""Hostile text that made a parser backtrack or rescan: time grows linearly with the input.

Each case feeds one parser the same attack at two sizes and compares the times, never a wall-clock
threshold: quadratic work takes 16 times as long at 4 times the size, linear work about 4 times.
The best of three runs is taken, so a busy machine only makes the check more lenient.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.corpus import generate
from tests.reliability.tally import TALLY
from tests.support import ZONE
from trainer.decks.importers.anki_template import cloze_numbers, render
from trainer.decks.importers.csv_tsv import load_table
from trainer.decks.importers.detect import load_file
from trainer.decks.importers.html_text import html_to_text, looks_like_html, strip_media
from trainer.decks.importers.model import ImportOptions
from trainer.decks.yaml_io import loads_deck
from trainer.errors import TrainerError
from trainer.scheduler.days import review_day

OPTIONS = ImportOptions(lambda at: review_day(at, ZONE, 4))
SIZE = 20_000
"""Repetitions of the attack in the smaller input: enough for quadratic work to take ~0.1 s or more."""
SLACK = 0.05
"""Seconds allowed on top of the ratio, for the fixed costs of a call."""


def best_time(run: Callable[[], object]) -> float:
    """The fastest of three runs, with the garbage collector paused: its full collections grow with
    the objects alive, which would make linear work look superlinear on a busy machine."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            start = time.perf_counter()
            with contextlib.suppress(TrainerError):  # refusing the input is fine; only the time matters
                run()
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


def assert_linear(make: Callable[[int], Callable[[], object]]) -> None:
    """``make(n)`` builds a run over an input of about n units; running 4n may take at most ~8x as long."""
    small, large = best_time(make(SIZE)), best_time(make(4 * SIZE))
    assert large < 8 * small + SLACK, f"{small:.3f} s at {SIZE}, {large:.3f} s at {4 * SIZE}"
    TALLY["attacks"] += 1


HTML_ATTACKS = {
    "unclosed tags": "<b",
    "unclosed tags with space": "<b ",
    "unclosed comments": "<!--",
    "unclosed end tags": "</b",
    "unclosed declarations": "<!x",
    "unclosed processing instructions": "<?x",
    "unclosed image sources": '<img src="',
    "unclosed sounds": "[sound:",
    "entities without end": "&#1",
    "script openings": "<script>",
    "lone angle brackets": "< <",
    "spaces between blocks": "<div> ",
    "paragraphs on lines": "<p>\n",
    "entities between blocks": "&nbsp;<div>",
    "line breaks": "<br>",
    "preformatted blocks": "<pre> </pre>",
}


@pytest.mark.parametrize("piece", HTML_ATTACKS.values(), ids=HTML_ATTACKS)
def test_html_fields(piece: str) -> None:
    assert_linear(lambda n: lambda: html_to_text(piece * n))


@pytest.mark.parametrize("piece", HTML_ATTACKS.values(), ids=HTML_ATTACKS)
def test_html_detection_and_sounds(piece: str) -> None:
    assert_linear(lambda n: lambda: (looks_like_html(piece * n), strip_media(piece * n)))


@pytest.mark.parametrize("piece", ["<b", "<br", "<img src=", "[sound:", "&#", "<div> "], ids=str)
def test_a_csv_cell(piece: str) -> None:
    """The reported case: a CSV cell of ``<b`` repeated took 4.9 s per 130 KB.

    One cell of 25 KB, then 100 KB: the csv module refuses a field over 128 KiB.
    """
    assert_linear(
        lambda n: (
            lambda: load_table(Path("deck.csv"), f"front,{piece * (n * 5 // 4 // len(piece))}\n", OPTIONS)
        )
    )


TEMPLATE_ATTACKS = {
    "section openings with spaces": "{{# " + " " * 8,
    "unclosed section openings": "{{#a",
    "unclosed section closings": "{{/a ",
    "unclosed replacements": "{{ a ",
    "unclosed braces": "{{",
    "unclosed clozes": "{{c1::",
    "cloze hints": "{{c1::a::",
    "answer rules": "<hr id=",
    "open sections of one field": "{{#Front}}",
}


@pytest.mark.parametrize("piece", TEMPLATE_ATTACKS.values(), ids=TEMPLATE_ATTACKS)
def test_card_templates(piece: str) -> None:
    fields = {"Front": "<b" * 1000 + "x", "Back": "y"}
    assert_linear(lambda n: lambda: render(piece * (n // 4), fields, None, answer_side=False))


OPEN_ENDED = {
    "a section opening and spaces": ("{{#", " "),
    "a section closing and spaces": ("{{/", " "),
    "a replacement and spaces": ("{{", " "),
    "an inverted section and tabs": ("{{^ a", "\t"),
    "an answer rule and spaces": ("<hr", " "),
}
"""One opening followed by a long run that never closes: adjacent quantifiers split the run every way."""


@pytest.mark.parametrize(("opening", "filler"), OPEN_ENDED.values(), ids=OPEN_ENDED)
def test_card_templates_with_one_open_tag(opening: str, filler: str) -> None:
    assert_linear(lambda n: lambda: render(opening + filler * n, {"Front": "x"}, None, answer_side=False))


@pytest.mark.parametrize("piece", ["{{c1::", "{{c1::a::", "{{c1", "{{c123456789::", "}}{{c1::a"], ids=str)
def test_cloze_fields(piece: str) -> None:
    def make(n: int) -> Callable[[], object]:
        field = piece * n
        return lambda: (cloze_numbers(field), render("{{cloze:Text}}", {"Text": field}, 1, answer_side=False))

    assert_linear(make)


def repeated(piece: str, times: int) -> str:
    """SQL for ``piece`` repeated ``times`` times."""
    return f"replace(printf('%.*c', {times}, '!'), '!', '{piece}')"


PACKAGE_ATTACKS = {
    "cloze field": lambda n: (
        f"UPDATE notes SET flds = '{{{{c1::x}}}} ' || {repeated('{{c1::', n)} || char(31) WHERE guid = 'g2'"
    ),
    "section template": lambda n: (
        "UPDATE col SET models = replace(models, '{{Front}}',"
        f" {repeated('{{#Front}}', n)} || '{{Front}}');"
        f"UPDATE notes SET flds = {repeated('<b', n)} || char(31) || 'back' WHERE guid = 'g1'"
    ),
    "answer rule in a template": lambda n: (
        f"UPDATE col SET models = replace(models, '{{{{Back}}}}', {repeated('<hr id=', n)} || '{{{{Back}}}}')"
    ),
}


@pytest.mark.parametrize("attack", PACKAGE_ATTACKS.values(), ids=PACKAGE_ATTACKS)
def test_a_whole_package(tmp_path: Path, attack: Callable[[int], str]) -> None:
    """Cloze fields and templates inside a real .apkg (once up to 49 s)."""

    def make(n: int) -> Callable[[], object]:
        path = generate.rewritten(tmp_path, f"hostile{n}", attack(n // 4))
        return lambda: load_file(path, OPTIONS)

    assert_linear(make)


YAML_ATTACKS = {
    "long plain scalar": ("name: d\ncards:\n- {id: a, front: b, back: ", "a ", "}\n"),
    "many keys": ("name: d\ncards:\n- ", "x: 1\n  ", "\n"),
    "flow nesting": ("name: d\ncards: ", "[", "\n"),
    "block sequences": ("name: d\ncards:\n", "- ", "x\n"),
}


@pytest.mark.parametrize(("head", "piece", "tail"), YAML_ATTACKS.values(), ids=YAML_ATTACKS)
def test_yaml_decks(head: str, piece: str, tail: str) -> None:
    assert_linear(lambda n: lambda: loads_deck(head + piece * (n // 4) + tail, "deck.yaml"))
