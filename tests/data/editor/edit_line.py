"""A stand-in ``$EDITOR`` for tests: ``edit_line.py +LINE FILE`` replaces ``$EDIT_OLD`` with ``$EDIT_NEW``
on that line only (as a person fixing the definition there would), then saves as an editor does.

It records the arguments it was given in ``FILE.args`` so a test can see the line it was opened at.
"""

import os
import sys
from pathlib import Path

line_arg, name = sys.argv[1], sys.argv[2]
path = Path(name)
lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
number = int(line_arg.removeprefix("+"))
lines[number - 1] = lines[number - 1].replace(os.environ["EDIT_OLD"], os.environ["EDIT_NEW"])
before = path.stat().st_mtime_ns
path.write_text("".join(lines), encoding="utf-8")
os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))
Path(f"{name}.args").write_text(" ".join(sys.argv[1:]), encoding="utf-8")
