"""The cyclic garbage collector paused while a note is read or a deck written.

Both make several objects per word of the notes (tokens, blocks, YAML nodes), none of them in a
cycle, so the collector's full passes over them only cost time (about a tenth of a 1 MB build).
Reference counting still frees everything; a pass runs as usual once the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for the ``with`` block (nested uses leave it as the outer one found it)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
