"""Finding source files under a folder the way ruff does.

Virtualenvs, build output and tool caches are skipped, and ``.gitignore`` and
``.ignore`` files are honoured, the last matching pattern deciding as in git
(``.ignore`` over ``.gitignore``, a deeper folder over its parents).  Ignore
rules from outside the walked folder (a repository's ``.git/info/exclude``, the
user's global excludes, parent folders' ignore files) are passed in by the
caller, which knows where they live.  Files named explicitly are always kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a pattern is compiled: most runs compile none
    import pathspec

SKIPPED_FOLDERS = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype",
    ".ruff_cache", ".svn", ".tox", ".venv", ".vscode", "__pycache__", "__pypackages__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
})


def _is_skipped_folder(entry: os.DirEntry[str], skipped: frozenset[str]) -> bool:
    name = entry.name
    if name in skipped or name.endswith(".egg-info"):
        return True
    return os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))


IGNORE_FILES = (".gitignore", ".ignore")  # lowest precedence first

Specs = list[tuple[str, "pathspec.PathSpec"]]  # (folder the patterns are relative to, patterns), lowest first


def gitignore_spec(lines: Iterable[str]) -> pathspec.PathSpec:
    """Gitignore-style patterns, compiled; pathspec is imported here, on first use, since a
    one-file check (as pre-commit and editors run it) usually compiles none."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


_FOLDER_NAME = re.compile(r"[^/*?\[\]!\\#\s]+/")


def walk_filters(patterns: Sequence[str]) -> tuple[pathspec.PathSpec | None, frozenset[str]]:
    """What a walk needs for gitignore-style ``patterns``: a pattern that is one folder's name
    (``name/``, which matches that folder at any depth) is a folder the walk never enters, and
    costs no compiling; the rest are compiled, or None when there are none."""
    names = frozenset(p[:-1] for p in patterns if _FOLDER_NAME.fullmatch(p))
    rest = [p for p in patterns if not _FOLDER_NAME.fullmatch(p)]
    return (gitignore_spec(rest) if rest else None), SKIPPED_FOLDERS | names


def matching_pattern(path: Path, patterns: Iterable[str], base: Path | None = None) -> str | None:
    """The first gitignore-style pattern that matches ``path``, taken relative to ``base``
    (default: the current folder; a path outside it is matched as given), or None."""
    folder = base or Path.cwd()
    try:
        relative = path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        relative = path.as_posix()
    for pattern in patterns:
        if gitignore_spec([pattern]).match_file(relative):
            return pattern
    return None


def read_ignore_file(path: str) -> pathspec.PathSpec | None:
    """The patterns of one gitignore-style file, or None when it is missing or empty."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    spec = gitignore_spec(lines)
    return spec if len(spec) else None


def ignore_specs(folder: str, present: Iterable[str] = IGNORE_FILES) -> Specs:
    """The ignore files of one folder, lowest precedence first; ``present`` narrows the
    names tried to those a listing of the folder showed (the walk lists every folder anyway)."""
    found = []
    for name in IGNORE_FILES:
        if name not in present:
            continue
        spec = read_ignore_file(os.path.join(folder, name))
        if spec is not None:
            found.append((folder, spec))
    return found


def _relative(path: str, folder: str) -> str:
    """``path`` below ``folder`` in gitignore's form; cheap, as the walk builds the paths."""
    if path.startswith(folder + os.sep):
        relative = path[len(folder) + 1:]
    else:
        relative = os.path.relpath(path, folder)
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def _ignored(path: str, is_dir: bool, specs: Specs) -> bool:
    """Whether the last pattern that matches ``path`` ignores it (a ``!`` pattern re-includes)."""
    for folder, spec in reversed(specs):
        relative = _relative(path, folder)
        if is_dir:
            relative += "/"
        verdict = spec.check_file(relative).include
        if verdict is not None:
            return verdict
    return False


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def walk(folder: Path, suffixes: Iterable[str], exclude: pathspec.PathSpec | None = None,
         outer: Sequence[tuple[str, pathspec.PathSpec]] = (),
         skipped: frozenset[str] = SKIPPED_FOLDERS) -> Iterator[Path]:
    """Yield regular files under ``folder`` with one of ``suffixes``, in a stable order.

    ``outer`` are ignore rules that apply from outside ``folder``, lowest precedence first;
    folders named in ``skipped`` are never entered.

    Symbolic links are followed only to places inside ``folder`` (resolved), and
    each real folder and file is visited once: a link loop or a second link to a
    folder adds nothing.  Links are taken after everything reachable without them,
    so a file is named by its real path when it has one in the tree.  FIFOs,
    devices and sockets are never yielded, so nothing here can block on a read.
    """
    wanted = tuple(suffixes)
    root = str(folder)
    root_real = os.path.realpath(root)
    visited = {root_real}  # real folders
    seen: set[str] = set()  # real files
    stack: list[tuple[str, str, Specs]] = [(root, root_real, list(outer))]
    linked_folders: list[tuple[str, str, Specs]] = []
    linked_files: list[tuple[str, str]] = []
    while stack or linked_folders:
        if not stack:
            path, real, specs = linked_folders.pop(0)
            if real not in visited:
                visited.add(real)
                stack.append((path, real, specs))
            continue
        current, current_real, inherited = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        present = [entry.name for entry in entries if entry.name in IGNORE_FILES]
        own = ignore_specs(current, present) if present else []
        specs = [*inherited, *own] if own else inherited
        files: list[Path] = []
        for entry in entries:
            try:
                linked = entry.is_symlink()
                real = os.path.realpath(entry.path) if linked else os.path.join(current_real, entry.name)
                if linked and not _inside(real, root_real):
                    continue  # never leave the tree through a link
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()  # regular files only, links followed
            except OSError:
                continue
            if is_dir:
                if _is_skipped_folder(entry, skipped) or _ignored(entry.path, True, specs):
                    continue
                if exclude is not None and exclude.match_file(_relative(entry.path, root) + "/"):
                    continue
                if linked:
                    linked_folders.append((entry.path, real, specs))
                elif real not in visited:
                    visited.add(real)
                    stack.append((entry.path, real, specs))
            elif is_file and entry.name.endswith(wanted):
                if _ignored(entry.path, False, specs):
                    continue
                if exclude is not None and exclude.match_file(_relative(entry.path, root)):
                    continue
                if linked:
                    linked_files.append((entry.path, real))
                elif real not in seen:
                    seen.add(real)
                    files.append(Path(entry.path))
        yield from reversed(files)
    for path, real in linked_files:
        if real not in seen:
            seen.add(real)
            yield Path(path)


class NotARegularFile(OSError):
    """The path is a FIFO, a device, a socket or a folder: reading it could block or never end."""


class TooLarge(OSError):
    pass


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of a regular file (links followed).

    Anything else raises :class:`NotARegularFile` without blocking: the file is
    opened non-blocking, so a FIFO with no writer does not hang, and checked with
    ``fstat`` on the open descriptor, so it cannot be swapped after the check.
    With ``limit``, a larger file raises :class:`TooLarge` unread.
    """
    descriptor = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise NotARegularFile(errno.EINVAL, f"not a regular file ({kind})", str(path))
        if limit is not None and info.st_size > limit:
            raise TooLarge(errno.EFBIG, f"larger than {limit} bytes", str(path))
        chunks, total = [], 0
        while True:
            chunk = os.read(descriptor, max(info.st_size + 1, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if limit is not None and total > limit:  # it grew while being read
                raise TooLarge(errno.EFBIG, f"larger than {limit} bytes", str(path))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def read_kept(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """``read_regular`` for another file that project-wide questions read again and again (who
    launches this script, who reads these metrics): its bytes are kept, and given again while
    the file keeps its identity, size and modification time (a file this tool writes is
    replaced, so it is a new file).  Never for the check before a write: that reads the disk."""
    global _KEPT_SIZE
    key = os.path.abspath(path)
    info = os.stat(key)
    signature = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    found = _KEPT.pop(key, None)
    if found is not None and found[0] == signature and stat.S_ISREG(info.st_mode):
        _KEPT[key] = found  # (the most recently read last)
        if limit is not None and len(found[1]) > limit:
            raise TooLarge(errno.EFBIG, f"larger than {limit} bytes", str(path))
        return found[1]
    if found is not None:
        _KEPT_SIZE -= len(found[1])
    data = read_regular(path, limit)  # (the signature was taken first: a file changed since is read again)
    _KEPT[key] = (signature, data)
    _KEPT_SIZE += len(data)
    while _KEPT_SIZE > KEPT_BYTES and len(_KEPT) > 1:
        _KEPT_SIZE -= len(_KEPT.pop(next(iter(_KEPT)))[1])
    return data


def forget_kept() -> None:
    """Drop every kept file (with the project indexes: a long-lived process between runs)."""
    global _KEPT_SIZE
    _KEPT.clear()
    _KEPT_SIZE = 0


KEPT_BYTES = 64 * 1024 * 1024  # at most this much of other files' text is kept
_KEPT: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}
_KEPT_SIZE = 0


# Files a run has fixed but does not write (it only shows or checks the fixes): code that
# reads another file's fixed text (a script reading what its migrated launcher exports)
# sees them as a run that writes would, so the diff shows what ``fix`` does.
_UNWRITTEN: dict[str, bytes] = {}


def record_unwritten(path: str | os.PathLike[str], data: bytes) -> None:
    """``path`` holds ``data`` for this run, though nothing was written."""
    _UNWRITTEN[os.path.abspath(path)] = data


@contextlib.contextmanager
def unwritten_as(layer: dict[str, bytes]) -> Iterator[None]:
    """Within, the files this run holds unwritten are those of ``layer`` (absolute path -> bytes):
    a check that asks what fix would do runs the fixer once per mode, and each mode's run reads
    the other files as that mode fixed them."""
    global _UNWRITTEN
    saved, _UNWRITTEN = _UNWRITTEN, layer
    try:
        yield
    finally:
        _UNWRITTEN = saved


def unwritten_layer() -> tuple[int, int]:
    """Which files-held-unwritten are read now (see :func:`unwritten_as`), in which run: a cache
    of what other files hold, as this run fixed them, keeps one answer per layer and run."""
    return _RUNS, id(_UNWRITTEN)


_RUNS = 0  # runs over (forget_unwritten): a layer's id may be a new layer's in a later run


def forget_unwritten() -> None:
    """The run is over: files read as they are on disk again."""
    global _RUNS
    _RUNS += 1
    _UNWRITTEN.clear()
    _ORIGINAL.clear()
    _IN_RUN.clear()
    _SELECTED.clear()


# The files this run fixes (or, checking, judges as a fix would): a rewrite that only holds
# when another file is rewritten with it asks whether that file is one of them.
_IN_RUN: set[str] = set()


def record_run(paths: list[str], selected: Callable[[str], bool] | None = None) -> None:
    """This run fixes ``paths`` (until :func:`forget_unwritten`), and of the codes, those
    ``selected`` says it fixes (every one without it)."""
    _IN_RUN.update(os.path.abspath(path) for path in paths)
    if selected is not None:
        _SELECTED.append(selected)


def in_this_run(path: str | os.PathLike[str], codes: tuple[str, ...] = ()) -> bool:
    """Whether this run fixes ``path`` too, and fixes each of ``codes`` there (a subset of codes
    may leave the rewrite another file's rewrite needs undone)."""
    return os.path.abspath(path) in _IN_RUN and fixes_codes(codes)


def fixes_codes(codes: tuple[str, ...]) -> bool:
    """Whether this run fixes every one of ``codes`` (its selection has them)."""
    return all(selected(code) for selected in _SELECTED for code in codes)


_SELECTED: list[Callable[[str], bool]] = []


# What files this run writes held before it did: the project index reads the project as the
# run found it, in every mode (its readers then see the launchers a run has since migrated).
_ORIGINAL: dict[str, bytes] = {}


def record_original(path: str | os.PathLike[str], data: bytes) -> None:
    """``path`` held ``data`` when this run read it, before it is written."""
    _ORIGINAL[os.path.abspath(path)] = data


def read_as_found(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """``read_regular``, or what a file this run has written held before."""
    return _held_or_read(_ORIGINAL, path, limit)


def unwritten(path: str | os.PathLike[str]) -> bytes | None:
    """The fixed bytes this run holds for ``path`` without writing them, if any."""
    return _UNWRITTEN.get(os.path.abspath(path))


def read_as_fixed(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """``read_regular``, or the fixed bytes of a file this run did not write."""
    return _held_or_read(_UNWRITTEN, path, limit)


def _held_or_read(held: dict[str, bytes], path: str | os.PathLike[str], limit: int | None) -> bytes:
    data = held.get(os.path.abspath(path))
    if data is None:
        return read_kept(path, limit)
    if limit is not None and len(data) > limit:
        raise TooLarge(errno.EFBIG, f"larger than {limit} bytes", str(path))
    return data
