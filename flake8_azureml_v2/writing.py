"""Writing a fixed file without harming it.

:func:`replace_file` writes the new bytes to a temporary file next to the
target, checks them, and then, only if the file still holds exactly the bytes
that were fixed, replaces it atomically: a crash or Ctrl-C leaves either the old
file or the new one, and text another program appended meanwhile is never lost
(the file is refused instead).  The new file keeps the old one's mode, owner and
group.  When a new file cannot keep them (hard links to the file, or an owner
this process cannot give away), the verified content is written into the
existing file instead, which keeps its inode.  A file that resolves outside the
folder being fixed (through a symbolic link) is refused.

The check and the replacement are separate system calls, so a write that lands
in the microseconds between them is the one case left; nothing can close it
without the writer's cooperation (a lock).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .engine.files import NotARegularFile, read_regular


class ReadOnly(OSError):
    pass


class Changed(OSError):
    pass


class OutsideTree(OSError):
    pass


def inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Whether real path ``path`` is ``folder`` (resolved) or below it."""
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def replace_file(path: Path, data: bytes, expected: bytes | None = None,
                 within: Iterable[Path] | None = None) -> None:
    """Replace ``path``'s content with ``data``; raises OSError (see the module docstring).

    ``expected``: the bytes the new content was made from; the file must still hold
    them.  ``within``: folders the resolved path must lie in (links are followed).
    """
    target = os.path.realpath(path)
    if within is not None:
        roots = list(within)
        if not any(inside(target, root) for root in roots):
            raise OutsideTree(f"it resolves to {target}, outside {', '.join(str(r) for r in roots)}; "
                              "fix that file from its own folder")
    info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise NotARegularFile("not a regular file")
    mode = stat.S_IMODE(info.st_mode)
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ReadOnly("the file is read-only")
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp",
                                         dir=os.path.dirname(target))
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if read_regular(temporary) != data:
            raise OSError("the new content did not read back as written")
        in_place = info.st_nlink > 1 or not _same_owner(temporary, info)
        if in_place:
            _rewrite(target, data, expected)
        else:
            os.chmod(temporary, mode)
            _unchanged(target, expected)
            os.replace(temporary, target)
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass


def _same_owner(temporary: str, info: os.stat_result) -> bool:
    """Give the new file the old one's owner and group; False if this process may not."""
    created = os.stat(temporary)
    if (created.st_uid, created.st_gid) == (info.st_uid, info.st_gid):
        return True
    if not hasattr(os, "chown"):
        return False
    try:
        os.chown(temporary, info.st_uid, info.st_gid)
    except PermissionError:
        return False
    return True


def _unchanged(target: str, expected: bytes | None) -> None:
    if expected is not None and read_regular(target) != expected:
        raise Changed("the file changed while it was being fixed, so it was not written; run the fix again")


def _rewrite(target: str, data: bytes, expected: bytes | None) -> None:
    """Overwrite the file itself (its inode, links, owner and mode stay), checking it first."""
    descriptor = os.open(target, os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "r+b") as stream:
        current = stream.read()
        if expected is not None and current != expected:
            raise Changed("the file changed while it was being fixed, so it was not written; run the fix again")
        try:
            stream.seek(0)
            stream.write(data)
            stream.truncate()
            stream.flush()
            os.fsync(stream.fileno())
        except OSError:
            stream.seek(0)
            stream.write(current)
            stream.truncate()
            stream.flush()
            raise
