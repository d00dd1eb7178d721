"""Widgets that can be concealed in place: drawn as blank space of the same size, taking the same room.

Textual's ``visibility`` keeps a widget's room too, but every change of it lays the whole screen out
again (it is a layout property); the review screen conceals its answer and grades on every card, so
here concealing only repaints the widget's own region, in its parent's background.
"""

from __future__ import annotations

from rich.style import Style
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget


class Concealable(Widget):
    """A widget that can be drawn as blank space (``conceal``) without moving anything.

    Mixed into a Textual widget it comes after that widget's class (``class X(Static, Concealable)``):
    Textual takes the CSS type names, default CSS and ``can_focus`` from the first base alone.
    """

    concealed = False
    """Set by ``conceal``."""

    def conceal(self, concealed: bool) -> None:
        """Draw the widget, and every widget inside it, as blank space (``True``), or as themselves
        again: a repaint of what concealing changes, never a layout (Textual repaints a region by
        drawing every widget in it, so the widgets inside need no refresh of their own)."""
        if concealed != self.concealed:
            self.concealed = concealed
            self.refresh(*self.changed_by_concealing())

    def changed_by_concealing(self) -> list[Region]:
        """The parts of the widget, in its content's coordinates, that look different concealed;
        none named means all of it."""
        return []

    @property
    def drawn_blank(self) -> bool:
        """Whether it or a concealable widget around it is concealed."""
        return any(isinstance(node, Concealable) and node.concealed for node in self.ancestors_with_self)

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self.drawn_blank:
            return super().render_lines(crop)
        parent_background, _ = self.background_colors
        return [Strip.blank(crop.width, Style(bgcolor=parent_background.rich_color))] * crop.height


class ConcealableScrollBar(ScrollBar, Concealable):
    """A scroll bar drawn blank while the box it scrolls is concealed: it would tell how long the
    concealed answer is."""


class ConcealableScroll(VerticalScroll, Concealable):
    """A ``VerticalScroll`` that can be concealed in place, its border, its scroll bar and what it
    holds; while concealed it does not scroll, so its scrolling keys go on to the screen."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's own property, making a ``ConcealableScrollBar`` (Textual is pinned exactly)."""
        if self._vertical_scrollbar is None:
            bar = self._vertical_scrollbar = ConcealableScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def changed_by_concealing(self) -> list[Region]:
        """Its border and the widgets inside, when the box has its parent's background: its empty
        space looks the same either way, and a tall box holding a short answer repaints a few lines."""
        parent_background, background = self.background_colors
        region = self.region
        if not region or background != parent_background or self.scrollbars_enabled != (False, False):
            return []
        x, y, width, height = region
        top, right, bottom, left = self.styles.border.spacing
        edges = (
            Region(x, y, width, top),
            Region(x, y + height - bottom, width, bottom),
            Region(x, y, left, height),
            Region(x + width - right, y, right, height),
        )
        inside = (child.region for child in self.children if child.display)
        origin = self.content_region.offset
        return [part.translate(-origin) for part in (*edges, *inside) if part]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.drawn_blank and (action.startswith("scroll_") or action.startswith("page_")):
            return False
        return super().check_action(action, parameters)
