"""What a job's script, and the modules of its folder it imports, read from v1's environment.

v1 set a variable named after each named input and output.  A translation exports all of
those whatever the script reads (review 87: no reading of a script's text tells every way it
may reach them).  What this module still reads for is the rest: a variable the script reads
by a literal name that v1 set for data without a name of its own (a ``PipelineData``), and a
script or module that reads ``run.input_datasets``, which a v2 job does not fill.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..engine.memo import ByContent

MODULE_LIMIT = 40  # local modules followed past the script
SIZE_LIMIT = 2_000_000


@dataclass(frozen=True)
class ScriptReads:
    """The texts that run in the job: the script, then the local modules it imports."""

    texts: tuple[str, ...]

    def reads(self, name: str) -> bool:
        """A literal read of the variable ``name`` in the script or a module it imports."""
        quoted = re.compile(r"""['"]%s['"]""" % re.escape(name))
        return any(quoted.search(line) for text in self.texts for line in text.split("\n")
                   if "environ" in line or "getenv" in line or "input_datasets" in line)

    def merged(self, other: ScriptReads) -> ScriptReads:
        return ScriptReads(self.texts + tuple(t for t in other.texts if t not in self.texts))


def _parsed(text: str) -> ast.Module | None:
    try:
        return ast.parse(text.lstrip("\ufeff"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def reads_input_datasets(text: str) -> bool:
    """The code reads a run's ``input_datasets`` (an attribute, not a name that happens to be
    spelt so, nor a comment or a docstring); any mention does when the text does not parse."""
    if "input_datasets" not in text:
        return False
    tree = _parsed(text)
    if tree is None:
        return True
    return any(isinstance(node, ast.Attribute) and node.attr == "input_datasets"
               or isinstance(node, ast.Constant) and node.value == "input_datasets"  # getattr(run, "...")
               for node in ast.walk(tree))


def script_reads(text: str, directory: str, find: Callable[[str], str | None]) -> ScriptReads:
    """The script ``text`` (in ``directory``, a posix path relative to the job's folder) and
    the modules of the job's folder it imports, followed through their own imports.
    ``find(relative path)`` gives a file's text, or None when the folder has no such file."""
    texts = [text]
    seen: set[str] = set()
    queue = [(text, directory)]
    while queue and len(texts) <= MODULE_LIMIT:
        current, folder = queue.pop(0)
        for candidate in _module_paths(current, folder, directory):
            if candidate in seen:
                continue
            seen.add(candidate)
            found = find(candidate)
            if found is not None:
                texts.append(found)
                queue.append((found, candidate.rpartition("/")[0]))
    return ScriptReads(tuple(texts))


def _module_paths(text: str, folder: str, script_folder: str) -> list[str]:
    """The files (relative to the job's folder) that ``text``'s imports may load from it.
    An absolute import is looked for beside the script (``sys.path[0]``), at the folder's
    top (the job's working folder) and beside the importing module (Python 2's implicit
    relative import): finding too many only reads more."""
    absolute = ("", script_folder, folder)
    found: list[str] = []
    for node in _imports(text):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found += _candidates(alias.name.split("."), absolute)
        elif isinstance(node, ast.ImportFrom):
            parts = node.module.split(".") if node.module else []
            if node.level:
                base = folder.split("/") if folder else []
                base = base[:max(len(base) - (node.level - 1), 0)]
                bases: tuple[str, ...] = ("/".join(base),)
            else:
                bases = absolute
            if parts:
                found += _candidates(parts, bases)
            for alias in node.names:
                if alias.name != "*":
                    found += _candidates(parts + [alias.name], bases)
    return list(dict.fromkeys(found))


def _imports(text: str) -> tuple[ast.Import | ast.ImportFrom, ...]:
    """The import statements of ``text``, wherever they are, in ``ast.walk``'s order (found once per
    text: every job a launcher starts asks of the same modules); none when it does not parse."""
    return _IMPORTS.get(text, lambda: _imports_in(text))


def _imports_in(text: str) -> tuple[ast.Import | ast.ImportFrom, ...]:
    tree = _parsed(text)
    return () if tree is None else tuple(n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)))


_IMPORTS: ByContent[tuple[ast.Import | ast.ImportFrom, ...]] = ByContent(256)


def _candidates(parts: list[str], bases: tuple[str, ...]) -> list[str]:
    found = []
    for base in dict.fromkeys(bases):
        prefix = f"{base}/" if base else ""
        for depth in range(1, len(parts) + 1):  # a package's __init__ runs too
            stem = prefix + "/".join(parts[:depth])
            found += [f"{stem}.py", f"{stem}/__init__.py"]
    return found


def read_beside(folder: Path) -> Callable[[str], str | None]:
    """``find`` for :func:`script_reads` over the files of ``folder`` on disk."""
    def find(relative: str) -> str | None:
        path = folder / relative
        try:
            if path.is_file() and path.stat().st_size < SIZE_LIMIT:
                return path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        return None
    return find
