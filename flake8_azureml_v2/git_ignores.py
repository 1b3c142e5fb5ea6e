"""Ignore rules that apply to a walked folder from outside it, as ruff (and git) apply them.

The walk (:func:`.engine.files.walk`) reads the ``.gitignore`` and ``.ignore``
files inside the folder it walks.  Inside a git repository, git also ignores
what the repository's ``.git/info/exclude`` and the user's global excludes file
list (``core.excludesFile``, by default ``$XDG_CONFIG_HOME/git/ignore`` or
``~/.config/git/ignore``), and the ignore files of the folders between the
repository's top and the walked folder; ruff honours all of them, so this does
too.  Outside a repository only the walked folder's own ignore files count.
"""

from __future__ import annotations

import os
from pathlib import Path

from .engine.files import Specs, ignore_specs, read_ignore_file


def repository(folder: str) -> tuple[str, str] | None:
    """(work tree top, common git folder) of the repository holding ``folder``, or None."""
    current = os.path.abspath(folder)
    while True:
        marker = os.path.join(current, ".git")
        if os.path.isdir(marker):
            return current, marker
        if os.path.isfile(marker):  # a worktree or submodule: "gitdir: <path>"
            git_dir = _pointed(marker, current)
            if git_dir is not None:
                return current, _common_dir(git_dir)
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _pointed(marker: str, top: str) -> str | None:
    try:
        with open(marker, encoding="utf-8") as handle:
            first = handle.readline().strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    return os.path.normpath(os.path.join(top, first[len("gitdir:"):].strip()))


def _common_dir(git_dir: str) -> str:
    """A worktree's git folder names the main one in ``commondir``; info/exclude lives there."""
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            return os.path.normpath(os.path.join(git_dir, handle.read().strip()))
    except OSError:
        return git_dir


def global_excludes_file(top: str) -> str | None:
    """The user's global excludes file: ``core.excludesFile`` if set, else git's default."""
    import shutil  # only a folder walk inside a repository asks git (a one-file check does not)
    import subprocess

    git = shutil.which("git")
    if git is not None:
        try:
            found = subprocess.run([git, "config", "--path", "--get", "core.excludesFile"], cwd=top,
                                   capture_output=True, text=True, timeout=10)
            if found.returncode == 0 and found.stdout.strip():
                return os.path.join(top, os.path.expanduser(found.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(config_home, "git", "ignore")


def outer_specs(folder: Path) -> Specs:
    """The ignore rules from outside ``folder`` that apply inside it, lowest precedence first."""
    found = repository(str(folder))
    if found is None:
        return []
    top, git_dir = found
    specs: Specs = []
    for path in (global_excludes_file(top), os.path.join(git_dir, "info", "exclude")):
        spec = read_ignore_file(path) if path else None
        if spec is not None:
            specs.append((top, spec))
    walked = os.path.abspath(folder)
    between = []
    current = os.path.dirname(walked)
    while len(current) >= len(top) and current.startswith(top):
        between.append(current)
        if current == top:
            break
        current = os.path.dirname(current)
    for parent in reversed(between):
        specs.extend(ignore_specs(parent))
    return specs
