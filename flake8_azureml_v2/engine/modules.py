"""What other modules of the project bind: ``from helpers import ws`` inside a
program makes ``ws`` the workspace ``helpers.py`` creates.

Modules are found the way a script run from its own folder finds them (next
to the importing file, then from the project root), read only when they are
regular files of bounded size that mention the surface's marker, parsed once
per process, and never followed further (a module's own imports stay unknown).
"""

from __future__ import annotations

import stat
from pathlib import Path

from .names import Model, Value
from .source import SourceError, decode, deep_recursion, parse
from .surface import Surface

MAX_MODULE_BYTES = 2_000_000

_models: dict[Path, Model | None] = {}
# (importing folder, project root, module) -> the files it may be, in the order they are tried
_candidates: dict[tuple[Path, Path | None, str], list[Path]] = {}


def _module_model(path: Path, surface: Surface) -> Model | None:
    if path in _models:
        return _models[path]
    model = None
    try:
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_MODULE_BYTES:
            data = path.read_bytes()
            if surface.marker.encode() in data:
                text = decode(data)
                with deep_recursion():
                    model = Model(parse(text, str(path)), text, surface=surface)
    except (OSError, SourceError, RecursionError, ValueError):
        model = None
    _models[path] = model
    return model


class ProjectModules:
    """The ``imported`` look-up of :class:`~.names.Model` for one file."""

    def __init__(self, path: Path, root: Path | None, surface: Surface) -> None:
        self.folder = path.parent
        self.root = root
        self.surface = surface
        self.path = path

    def _candidates(self, module: str) -> list[Path]:
        key = (self.folder, self.root, module)
        found = _candidates.get(key)
        if found is None:
            found = _candidates[key] = self._find_candidates(module)
        return found

    def _find_candidates(self, module: str) -> list[Path]:
        return module_files(module, self.folder, self.root)

    def __call__(self, module: str, name: str) -> Value:
        for candidate in self._candidates(module):
            if candidate == self.path:
                continue
            model = _module_model(candidate, self.surface)
            if model is None:
                continue
            binding = model.module_scope.names.get(name)
            return binding.value if binding is not None else None
        return None


def module_files(module: str, folder: Path, root: Path | None) -> list[Path]:
    """The files an ``import`` of ``module`` (``pkg.mod``, or ``.mod`` relative) in a program of
    ``folder`` may load, in the order they are tried: beside the program, then from the project root."""
    level = len(module) - len(module.lstrip("."))
    parts = [p for p in module.lstrip(".").split(".") if p]
    if level:
        base = folder
        for _ in range(level - 1):
            base = base.parent
        bases = [base]
    else:
        bases = [folder] + ([root] if root is not None and root != folder else [])
    found = []
    for base in bases:
        target = base.joinpath(*parts) if parts else base
        found.extend([target.with_suffix(".py") if parts else target / "__init__.py", target / "__init__.py"])
    return found


def forget() -> None:
    """Drop what was read of other modules (a long-lived process, after files changed)."""
    _models.clear()
    _candidates.clear()
