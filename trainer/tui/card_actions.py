"""What the browser and the review screen both do to one card: edit it, and open its source note.

Each takes ``done``, called once the card has changed, so the screen shows the new text at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from trainer.curation import SYSTEM_TAGS, Curation
from trainer.errors import TrainerError
from trainer.tui.editor import editor_command, run_editor
from trainer.tui.screens.edit_card import CardDraft, EditCardScreen
from trainer.tui.widgets.card_text import first_line


def edit_card(screen: Screen[Any], curation: Curation, card_id: int, done: Callable[[], None]) -> None:
    """The edit dialog on the card's front, back and the user's tags; saving never touches its schedule."""
    try:
        card = curation.card(card_id)
    except TrainerError as error:
        screen.notify(str(error), severity="warning", markup=False)
        return
    tags = tuple(tag for tag in card.tags if tag not in SYSTEM_TAGS)

    def save(draft: CardDraft) -> str | None:
        try:
            edited = curation.edit(card_id, draft.front, draft.back, draft.tags)
        except TrainerError as error:
            return str(error)
        changed = " and ".join(edited.changed) or "nothing"
        screen.notify(
            f"Card {card_id}: {changed} changed; its schedule is as it was.", timeout=3, markup=False
        )
        return None

    def closed(saved: bool | None) -> None:
        if saved:
            done()

    title = f"Edit card {card_id} · {first_line(card.front)}"
    screen.app.push_screen(EditCardScreen(title, save, CardDraft(card.front, card.back, tags)), closed)


def open_note(screen: Screen[Any], curation: Curation, card_id: int, done: Callable[[], None]) -> None:
    """The card's notes file in ``$VISUAL``/``$EDITOR`` at the definition's line; when the editor
    returns the note is read again and its cards follow it, progress kept."""
    try:
        location = curation.source_location(card_id)
    except TrainerError as error:
        screen.notify(str(error), severity="warning", markup=False)
        return
    if location is None:
        notice = f"Card {card_id} does not come from a registered note, so there is no note to open."
        screen.notify(notice, title="No note", severity="warning", markup=False)
        return
    path, line = location
    if (refused := run_editor(screen.app, editor_command(path, line))) is not None:
        screen.notify(refused, title="Editor", severity="error", markup=False)
        return
    try:
        report = curation.reread_note(path)
    except TrainerError as error:
        screen.notify(f"{path.name} not read again: {error}", severity="warning", markup=False)
        return
    screen.notify(report.summary(), severity="warning" if report.failed else "information", markup=False)
    done()
