"""Writing files atomically, and only where writing is safe: the one home of both rules.

A reader sees the old file or the whole new one, never half of it: everything is written to a
temporary file beside the target, flushed, given the mode a plain ``open(path, "w")`` would leave
(the old file's, or ``0o666`` less the umask for a new one) and renamed over the target.

Every file the user names (exports, decks, ``backup -o``) is checked first: it must be a new path or
a regular file, never a symlink (renaming would silently swap the link for a file), a FIFO, a device
or a folder, and never a database, its ``-wal``/``-shm``/``-journal`` or its backups folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from trainer.errors import TrainerError

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
SIDE_FILES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database; writing over one corrupts the database."""
BACKUPS_FOLDER = "backups"
"""The folder beside a database that holds its backups (``trainer.store.backup``)."""


class UnsafeTarget(TrainerError):
    """A file we were asked to write would destroy something: nothing was written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}; nothing was written, choose another file")


def _kind(mode: int) -> str:
    kinds = {
        stat.S_ISLNK: "a symbolic link",
        stat.S_ISFIFO: "a FIFO (named pipe)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
        stat.S_ISDIR: "a folder",
    }
    return next((name for test, name in kinds.items() if test(mode)), "not a regular file")


def _head(path: Path) -> bytes:
    """The first bytes of a regular file (never opening a FIFO, which would block)."""
    with contextlib.suppress(OSError):
        if stat.S_ISREG(path.lstat().st_mode):
            with path.open("rb") as stream:
                return stream.read(len(SQLITE_HEADER))
    return b""


def _same(path: Path, other: Path) -> bool:
    try:
        return path.samefile(other)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.parent.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def check_target(path: Path, databases: Iterable[Path] = (), database_ok: bool = False) -> None:
    """Refuse (UnsafeTarget) to write ``path`` unless it is a new path or a plain file we may replace.

    ``databases`` are the databases in use here: their files and backups folders are refused even as
    new paths. Any SQLite database, WAL or a file SQLite keeps beside a database is refused too (it
    may be another process's), except that ``database_ok`` lets a backup replace an older copy that
    is not in use (no ``-wal`` beside it).
    """
    for database in databases:
        if _inside(path, database.parent / BACKUPS_FOLDER):
            raise UnsafeTarget(path, f"that is inside the backups folder of {database}")
        for own in (database, *(Path(f"{database}{suffix}") for suffix in SIDE_FILES)):
            if _same(path, own) or path.resolve() == own.resolve():
                raise UnsafeTarget(path, f"that is the database {database} or one of its files")
    try:
        mode = path.lstat().st_mode
    except OSError:
        return  # a new path (or an unreachable one: then writing says why it cannot write)
    if not stat.S_ISREG(mode):
        raise UnsafeTarget(path, f"that is {_kind(mode)}, not a regular file")
    for suffix in SIDE_FILES:
        base = path.name.removesuffix(suffix)
        if base != path.name and _head(path.with_name(base)) == SQLITE_HEADER:
            raise UnsafeTarget(path, f"that is a file SQLite keeps beside {path.with_name(base)}")
    if any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm")):
        raise UnsafeTarget(path, "that is a database in use")
    head = _head(path)
    if head[:4] in WAL_MAGICS:
        raise UnsafeTarget(path, "that is an SQLite write-ahead log")
    if head == SQLITE_HEADER and not database_ok:
        raise UnsafeTarget(path, "that is an SQLite database")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def plain_file_mode(target: Path) -> int:
    """The permissions ``open(target, "w")`` would leave: the old file's, else 0o666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (best effort: not every file system lets a folder be opened)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def temporary_beside(target: Path) -> Path:
    """A new empty file next to ``target`` (same file system, so a rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    return Path(name)


def is_temporary(path: Path) -> bool:
    """Whether ``path`` is one of our temporaries or SQLite's journal beside one (a killed process's)."""
    name = path.name.removesuffix("-journal").removesuffix("-wal").removesuffix("-shm")
    return name.startswith(".") and name.endswith(".tmp")


def _remove_stale_temporaries(target: Path) -> None:
    """Temporaries for ``target`` that a killed writer left: no live writer holds their lock."""
    for path in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a writer is busy with it
        else:
            for stale in (path, Path(f"{path}-journal")):
                stale.unlink(missing_ok=True)
        finally:
            os.close(handle)


@contextmanager
def staged_files(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Temporary files for ``targets`` (folders created); when the block succeeds they get their mode
    and are renamed over the targets together, and on any error they are removed.

    Each temporary is locked while it is written, so the next writer of the same target removes the
    ones a killed process left behind, and never a live one.
    """
    staged: list[Path] = []
    handles: list[int] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            _remove_stale_temporaries(target)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            handles.append(handle)
            fcntl.flock(handle, fcntl.LOCK_EX)
            staged.append(Path(name))
        yield staged
        for target, temporary in zip(targets, staged, strict=True):
            temporary.chmod(plain_file_mode(target))
        for target, temporary in zip(targets, staged, strict=True):
            os.replace(temporary, target)
        for folder in {target.parent for target in targets}:
            _sync_folder(folder)
    finally:
        for temporary in staged:
            temporary.unlink(missing_ok=True)
        for handle in handles:
            os.close(handle)


@contextmanager
def atomic_files(paths: Sequence[Path], databases: Iterable[Path] = ()) -> Iterator[list[TextIO]]:
    """UTF-8 text files for ``paths``, checked (``check_target``), written and moved into place together
    only when the block succeeds; a file-system error becomes one clear TrainerError.
    """
    databases = tuple(databases)
    for path in paths:
        check_target(path, databases)
    try:
        with staged_files(paths) as staged, contextlib.ExitStack() as streams:
            opened: list[TextIO] = [
                streams.enter_context(p.open("w", encoding="utf-8", newline="")) for p in staged
            ]
            yield opened
            for stream in opened:
                stream.flush()
                os.fsync(stream.fileno())
    except OSError as error:
        where = error.filename or paths[0].parent
        raise TrainerError(f"{where}: cannot write: {error.strerror or error}") from error
