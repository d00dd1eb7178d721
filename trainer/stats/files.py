"""Writing export files atomically: a reader sees the old file or the whole new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from trainer.errors import TrainerError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_files(paths: Sequence[Path]) -> Iterator[list[TextIO]]:
    """UTF-8 text files for ``paths`` (folders created), written to temporary files beside them and
    moved into place together only when the block succeeds; on any error the temporary files are
    removed, and a file-system error becomes one clear TrainerError.
    """
    try:
        with _atomic_files(paths) as streams:
            yield streams
    except OSError as error:
        where = error.filename or paths[0].parent
        raise TrainerError(f"{where}: cannot write: {error.strerror or error}") from error


@contextmanager
def _atomic_files(paths: Sequence[Path]) -> Iterator[list[TextIO]]:
    temps: list[tuple[Path, TextIO]] = []
    try:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((Path(name), os.fdopen(fd, "w", encoding="utf-8", newline="")))
        yield [stream for _, stream in temps]
        mode = 0o666 & ~_umask()
        for temp, stream in temps:
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
            temp.chmod(mode)
        for path, (temp, _) in zip(paths, temps, strict=True):
            os.replace(temp, path)
    except BaseException:
        for temp, stream in temps:
            stream.close()
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        raise
