"""Saving the theme: the other lines stay as written, a linked settings file stays linked, and the file
is written by the one atomic writer (so a folder in its place is refused, not clobbered)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from trainer.config import load_settings, save_theme
from trainer.errors import TrainerError


def test_saving_the_theme_keeps_every_other_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# mine\nnew_per_day = 7\ntheme = "dark"\n', encoding="utf-8")
    path.chmod(0o600)
    save_theme(path, "nord")
    assert path.read_text(encoding="utf-8") == '# mine\nnew_per_day = 7\ntheme = "nord"\n'
    assert load_settings(path).theme == "nord"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a private file stays private


def test_a_settings_file_linked_from_dotfiles_stays_a_link(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "trainer.toml"
    dotfiles.parent.mkdir()
    dotfiles.write_text("new_per_day = 5\n", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(dotfiles)
    save_theme(link, "gruvbox")
    assert link.is_symlink()
    assert dotfiles.read_text(encoding="utf-8") == 'new_per_day = 5\ntheme = "gruvbox"\n'


def test_a_folder_where_the_file_should_be_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    with pytest.raises(TrainerError, match=r"config\.toml"):
        save_theme(path, "nord")
    assert path.is_dir()
