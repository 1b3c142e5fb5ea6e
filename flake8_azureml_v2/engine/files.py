"""Finding source files under a folder the way ruff does.

Virtualenvs, build output and tool caches are skipped, and ``.gitignore`` files
are honoured.  Files named explicitly are always kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pathspec

SKIPPED_FOLDERS = frozenset({
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints",
    ".mypy_cache", ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype",
    ".ruff_cache", ".svn", ".tox", ".venv", ".vscode", "__pycache__", "__pypackages__",
    "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
})


def _is_skipped_folder(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    if name in SKIPPED_FOLDERS or name.endswith(".egg-info"):
        return True
    return os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))


def _read_gitignore(folder: str) -> pathspec.PathSpec | None:
    try:
        with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return spec if len(spec) else None


def _relative(path: str, folder: str) -> str:
    """``path`` below ``folder`` in gitignore's form; cheap, as the walk builds the paths."""
    if path.startswith(folder + os.sep):
        relative = path[len(folder) + 1:]
    else:
        relative = os.path.relpath(path, folder)
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def _ignored(path: str, is_dir: bool, specs: list[tuple[str, pathspec.PathSpec]]) -> bool:
    for folder, spec in specs:
        relative = _relative(path, folder)
        if is_dir:
            relative += "/"
        if spec.match_file(relative):
            return True
    return False


def walk(folder: Path, suffixes: Iterable[str], exclude: pathspec.PathSpec | None = None) -> Iterator[Path]:
    """Yield files under ``folder`` with one of ``suffixes``, in a stable order."""
    wanted = tuple(suffixes)
    root = str(folder)
    stack: list[tuple[str, list[tuple[str, pathspec.PathSpec]]]] = [(root, [])]
    while stack:
        current, inherited = stack.pop()
        specs = inherited
        spec = _read_gitignore(current)
        if spec is not None:
            specs = [*inherited, (current, spec)]
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        files: list[Path] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if _is_skipped_folder(entry) or _ignored(entry.path, True, specs):
                    continue
                if exclude is not None and exclude.match_file(_relative(entry.path, root) + "/"):
                    continue
                stack.append((entry.path, specs))
            elif entry.name.endswith(wanted):
                if _ignored(entry.path, False, specs):
                    continue
                if exclude is not None and exclude.match_file(_relative(entry.path, root)):
                    continue
                files.append(Path(entry.path))
        yield from reversed(files)
