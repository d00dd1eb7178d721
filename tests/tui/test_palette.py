"""The command palette: its "Keys" entry opens a key list that closes, and the theme chosen stays."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES

from tests.tui.factory import make_app
from trainer.config import TEXTUAL_THEMES, THEMES, Settings, load_settings, save_theme
from trainer.errors import TrainerError
from trainer.tui.screens.decks import DecksScreen
from trainer.tui.screens.help import HelpScreen

SIZE = (80, 24)


async def run_command(pilot: Pilot[None], *searches: str) -> None:
    """Open the palette and pick the first hit for each search in turn (a command, then its choice)."""
    await pilot.press("ctrl+p")
    for search in searches:
        await pilot.press(*search)
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await pilot.pause()


@pytest.mark.parametrize("key", ["escape", "question_mark", "q"])
async def test_the_palettes_keys_entry_opens_a_list_that_closes(conn: sqlite3.Connection, key: str) -> None:
    app = make_app(conn)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "keys")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.title_text == "Keys: decks" and app.screen.keys == DecksScreen.key_help
        await pilot.press(key)
        assert isinstance(app.screen, DecksScreen)
        assert not app.screen.query("HelpPanel")


async def test_the_theme_chosen_in_the_palette_is_used_at_the_next_start(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    settings_file = tmp_path / "config" / "config.toml"
    settings_file.parent.mkdir()
    settings_file.write_text('# mine\nnew_per_day = 7   # a few\ntheme = "dark"\n', encoding="utf-8")
    app = make_app(conn, settings_file=settings_file)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "theme", "nord")
        assert app.theme == "nord"
    assert settings_file.read_text(encoding="utf-8") == '# mine\nnew_per_day = 7   # a few\ntheme = "nord"\n'
    settings = load_settings(settings_file)
    assert (settings.theme, settings.new_per_day) == ("nord", 7)
    again = make_app(conn, settings_file=settings_file, theme=settings.theme)
    async with again.run_test(size=SIZE) as pilot:
        assert again.theme == "nord"
        await run_command(pilot, "theme", "textual-dark")
    assert load_settings(settings_file).theme == "textual-dark"


async def test_a_settings_file_that_cannot_be_written_is_a_notice_not_a_crash(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    app = make_app(conn, settings_file=blocker / "config.toml")
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "theme", "gruvbox")
        assert app.theme == "gruvbox"
        assert any("Theme not saved" in note.title for note in app._notifications)
    assert app.return_code in (None, 0)


def test_every_textual_theme_and_the_two_old_names_are_accepted(tmp_path: Path) -> None:
    assert set(TEXTUAL_THEMES) == set(BUILTIN_THEMES)  # Textual is pinned; this keeps the list true
    settings_file = tmp_path / "config.toml"
    for theme in THEMES:
        settings_file.write_text(f'theme = "{theme}"\n', encoding="utf-8")
        assert load_settings(settings_file).theme == theme
    with pytest.raises(TrainerError, match="theme must be one of"):
        Settings(theme="nord2").validated("config.toml")


def test_saving_a_theme_adds_the_line_when_missing_and_keeps_the_rest(tmp_path: Path) -> None:
    settings_file = tmp_path / "config.toml"
    save_theme(settings_file, "nord")
    assert settings_file.read_text(encoding="utf-8") == 'theme = "nord"\n'
    settings_file.write_text("grading = 'simple'", encoding="utf-8")
    save_theme(settings_file, "light")
    assert settings_file.read_text(encoding="utf-8") == "grading = 'simple'\ntheme = \"light\"\n"
    with pytest.raises(TrainerError, match="theme must be one of"):
        save_theme(settings_file, "nope")
    assert load_settings(settings_file).grading == "simple"
