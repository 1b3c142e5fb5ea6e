"""Atomic file writes: a crash or Ctrl-C leaves either the old file or the new one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class ReadOnly(OSError):
    pass


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data``, keeping its permissions."""
    target = path.resolve()
    mode = stat.S_IMODE(target.stat().st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ReadOnly("the file is read-only")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
