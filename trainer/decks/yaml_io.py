"""The YAML deck format: safe loading with errors at file:line:column, deterministic dumping.

A deck file is a mapping with ``name`` (required), ``description``, ``source`` and ``cards``: a list of
mappings with ``id``, ``front``, ``back`` (required), ``tags`` (list of strings) and ``source``.
Only the safe (libyaml when available) loader is used, and aliases are refused so a small file cannot
expand into a huge one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from trainer.decks.importers.decode import read_document
from trainer.decks.model import Card, Deck, card_text_problem, deck_name_problem, oversized_side
from trainer.decks.no_collection import collector_paused
from trainer.errors import InputError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if yaml.__with_libyaml__ else yaml.SafeLoader
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper) if yaml.__with_libyaml__ else yaml.SafeDumper

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MAX_DEPTH = 16
"""A deck is four levels deep (deck, cards, card, tags); far deeper is an attack or a mistake."""
_DECK_KEYS = {"name": True, "description": False, "source": False, "cards": False}
_CARD_KEYS = {"id": True, "front": True, "back": True, "tags": False, "source": False}


def _error(label: str, node: yaml.Node | yaml.Event, message: str) -> InputError:
    mark = node.start_mark
    if mark is None:
        return InputError(label, message)
    return InputError(label, message, mark.line + 1, mark.column + 1)


def _nesting_bound(text: str) -> int:
    """An upper bound on the file's nesting depth, read from its characters alone.

    Flow collections nest by unclosed brackets; block collections by rising indentation and by
    compact ``- - x`` entries. The bound ignores quoting, so text inside a card can only raise it.
    """
    flow = deepest_flow = 0
    for char in text:
        if char in "[{":
            flow += 1
            deepest_flow = max(deepest_flow, flow)
        elif char in "]}" and flow:
            flow -= 1
    indents: list[int] = []
    deepest_block = 0
    for line in text.splitlines():
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(body)
        while indents and indents[-1] > indent:
            indents.pop()
        if not indents or indents[-1] < indent:
            indents.append(indent)
        indicators = body[: len(body) - len(body.lstrip("- ?"))]
        deepest_block = max(deepest_block, len(indents) + indicators.count("-") + indicators.count("?"))
    return deepest_flow + deepest_block


def _compose(text: str, label: str) -> yaml.Node | None:
    """Parse to a node tree, refusing anchors and aliases (a billion-laughs file is rejected at once)
    and deep nesting (thousands of ``[`` crash the C composer and take the parser quadratic time).

    Depth is our rule, not the parser's: libyaml's scanner has a nesting limit of its own that it
    hits while reading ahead, with its own wording and position. A file whose character-level bound
    could exceed ours is walked with the pure-Python parser, which has no limit and stops at ours.
    """
    depth = 0
    checker = _Loader if _nesting_bound(text) <= _MAX_DEPTH else yaml.SafeLoader
    try:
        for event in yaml.parse(text, Loader=checker):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _error(label, event, "YAML anchors and aliases are not allowed in deck files")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_DEPTH:
                    raise _error(label, event, f"YAML nested deeper than {_MAX_DEPTH} levels; not a deck")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError(label, f"invalid YAML: {error.problem or error}", line, column) from None
    except yaml.reader.ReaderError as error:  # a control character; PyYAML's own text spans two lines
        position: int = error.position
        line, column = text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)
        problem = f"character U+{error.character:04X} is not allowed"
        raise InputError(label, f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as error:
        raise InputError(label, f"invalid YAML: {error}") from None


def _mapping(node: yaml.Node, label: str, what: str, keys: dict[str, bool]) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise _error(label, node, f"{what} must be a mapping")
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in keys:
            known = ", ".join(keys)
            raise _error(label, key_node, f"unknown key {key!r} in {what} (expected one of: {known})")
        if key in fields:
            raise _error(label, key_node, f"duplicate key {key!r} in {what}")
        fields[key] = value_node
    for key, required in keys.items():
        if required and key not in fields:
            raise _error(label, node, f"{what} is missing {key!r}")
    return fields


def _text(node: yaml.Node, label: str, what: str, optional: bool = False) -> str | None:
    if optional and isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
        return None
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
        raise _error(label, node, f"{what} must be text")
    return str(node.value)


def _required_text(node: yaml.Node, label: str, what: str) -> str:
    value = _text(node, label, what)
    if not value or not value.strip():
        raise _error(label, node, f"{what} must not be empty")
    return value


def _tags(node: yaml.Node, label: str) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise _error(label, node, "tags must be a list of text")
    return tuple(_required_text(item, label, "each tag") for item in node.value)


def _card(node: yaml.Node, label: str) -> Card:
    fields = _mapping(node, label, "card", _CARD_KEYS)
    card = Card(
        id=_required_text(fields["id"], label, "card id"),
        front=_required_text(fields["front"], label, "front"),
        back=_required_text(fields["back"], label, "back"),
        tags=_tags(fields["tags"], label) if "tags" in fields else (),
        source=_text(fields["source"], label, "card source", optional=True) if "source" in fields else None,
    )
    if problem := card_text_problem(card):
        raise _error(label, fields[oversized_side(card) or "back"], problem)
    return card


def loads_deck(text: str, path_label: str) -> Deck:
    """Validate and build a deck from YAML ``text``; every mistake is an InputError with its position."""
    root = _compose(text, path_label)
    if root is None:
        raise InputError(path_label, "empty deck file: expected a mapping with 'name' and 'cards'", 1, 1)
    fields = _mapping(root, path_label, "deck", _DECK_KEYS)
    cards: list[Card] = []
    seen: set[str] = set()
    if "cards" in fields:
        cards_node = fields["cards"]
        if not isinstance(cards_node, yaml.SequenceNode):
            raise _error(path_label, cards_node, "cards must be a list")
        for card_node in cards_node.value:
            card = _card(card_node, path_label)
            if card.id in seen:
                raise _error(path_label, card_node, f"duplicate card id {card.id!r}")
            seen.add(card.id)
            cards.append(card)
    description = (
        _text(fields["description"], path_label, "description", True) if "description" in fields else ""
    )
    name = _required_text(fields["name"], path_label, "deck name")
    if problem := deck_name_problem(name):
        raise _error(path_label, fields["name"], problem)
    return Deck(
        name=name,
        cards=tuple(cards),
        description=description or "",
        source=_text(fields["source"], path_label, "deck source", optional=True)
        if "source" in fields
        else None,
    )


def load_deck(path: Path) -> Deck:
    """Read and validate the deck file at ``path`` (UTF-8; bad bytes are reported with their position)."""
    return loads_deck(read_document(path), str(path))


def dump_deck(deck: Deck) -> str:
    """The deck as YAML text: fixed key order, no timestamps, so the same deck always gives the same bytes.

    The YAML nodes are built here and handed to libyaml's emitter: PyYAML's representer is pure
    Python and took most of the time of writing a large deck."""
    fields: list[tuple[str, yaml.Node]] = [
        ("name", _scalar(deck.name)),
        ("description", _scalar(deck.description)),
    ]
    if deck.source is not None:
        fields.append(("source", _scalar(deck.source)))
    with collector_paused():  # a node per field of every card, none in a cycle
        fields.append(("cards", _sequence([_card_node(card) for card in deck.cards])))
        text: str = yaml.serialize(_mapping_node(fields), Dumper=_Dumper, allow_unicode=True, width=1_000_000)
    return text


def _scalar(text: str) -> yaml.ScalarNode:
    """A string; multi-line text as a literal block, so a deck diff reads like the notes."""
    return yaml.ScalarNode(_STR, text, style="|" if "\n" in text else None)


def _sequence(items: list[yaml.Node]) -> yaml.SequenceNode:
    return yaml.SequenceNode(_SEQ, items, flow_style=False)


def _mapping_node(fields: list[tuple[str, yaml.Node]]) -> yaml.MappingNode:
    return yaml.MappingNode(_MAP, [(_scalar(key), value) for key, value in fields], flow_style=False)


def _card_node(card: Card) -> yaml.MappingNode:
    fields: list[tuple[str, yaml.Node]] = [
        ("id", _scalar(card.id)),
        ("front", _scalar(card.front)),
        ("back", _scalar(card.back)),
    ]
    if card.tags:
        fields.append(("tags", _sequence([_scalar(tag) for tag in card.tags])))
    if card.source is not None:
        fields.append(("source", _scalar(card.source)))
    return _mapping_node(fields)


def write_deck(deck: Deck, path: Path) -> None:
    """Write atomically (temporary file, then rename) so a crash never leaves half a deck behind."""
    from trainer.safe_files import atomic_files

    with atomic_files([path]) as (stream,):
        stream.write(dump_deck(deck))
