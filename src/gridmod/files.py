"""Replacing a file so that readers see the old one or the new one, never half of the new one."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path, prefix: str = ".gridmod-") -> Iterator[Path]:
    """A new, empty temporary file beside `target` to write the replacement into; moved over `target` when
    the block ends normally, removed in every case, so an error or an interruption leaves `target` as it was."""
    handle, staged = tempfile.mkstemp(prefix=prefix, suffix=".partial", dir=target.parent)
    os.close(handle)
    try:
        yield Path(staged)
        # mkstemp makes the file private (0600); the replacement keeps the target's mode, or a new file gets
        # the mode any other new file would (0644 under the usual umask).
        os.chmod(staged, _mode_of(target))
        os.replace(staged, target)
    finally:
        if os.path.exists(staged):
            os.remove(staged)


def _mode_of(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask: read from /proc where it is shown (Linux), since setting it to learn it would, for a
    moment, change it for every thread of the process (the preview server writes files from threads)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0)
    os.umask(mask)
    return mask
