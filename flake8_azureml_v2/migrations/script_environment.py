"""Which of v1's environment variables a job's script may read.

v1 set a variable named after each named input and output, and a script may read one in
ways no pattern follows: a key held in a variable (``os.environ[DATA]``), an alias of
``os.environ``, a copy of it handed to a child process, or a read in a module of its own
folder that it imports.  A translation exports only the variables the script is seen to
read; when its reads cannot be told apart like that, it exports all of them, as v1 set
them all.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# a name the environment is read through; each use must be one of the literal forms below
_ACCESS = re.compile(r"\b(?:environ|getenv|input_datasets)\b")
_LITERAL_KEY = re.compile(r"""\s*(?:[rRuU]|[bB])?['"]""")
_LITERAL_AFTER = {
    "environ": re.compile(r"""environ\s*(?:\[|\.\s*(?:get|pop|setdefault)\s*\()"""),
    "getenv": re.compile(r"getenv\s*\("),
    "input_datasets": re.compile(r"""input_datasets\s*(?:\[|\.\s*get\s*\()"""),
}
_MEMBERSHIP = re.compile(r"""['"]\s*(?:not\s+)?in\s+(?:os\s*\.\s*)?$""")  # "n" in os.environ
_FROM_OS = re.compile(r"^\s*from\s+os\s+import\s+[\w\s,()\\]*$")

MODULE_LIMIT = 40  # more local modules than this: the reads are taken as not known
SIZE_LIMIT = 2_000_000


@dataclass(frozen=True)
class ScriptReads:
    """The texts that run in the job (the script, then the local modules it imports) and
    whether one of them reads the environment in a way its literal keys do not show."""

    texts: tuple[str, ...]
    opaque: bool

    def reads(self, name: str) -> bool:
        """A literal read of the variable ``name`` in the script or a module it imports."""
        quoted = re.compile(r"""['"]%s['"]""" % re.escape(name))
        return any(quoted.search(line) for text in self.texts for line in text.splitlines()
                   if "environ" in line or "getenv" in line or "input_datasets" in line)

    def merged(self, other: ScriptReads) -> ScriptReads:
        return ScriptReads(tuple(dict.fromkeys(self.texts + other.texts)), self.opaque or other.opaque)


def opaque_line(text: str) -> int | None:
    """The first line that reaches the environment other than with a literal key, or None."""
    for number, line in enumerate(_code_lines(text), start=1):
        if _ACCESS.search(line) and not _only_literal_access(line):
            return number
    return None


def _only_literal_access(line: str) -> bool:
    if _FROM_OS.match(line) and not re.search(r"\bas\b", line):
        return True
    for found in _ACCESS.finditer(line):
        after = _LITERAL_AFTER[found.group()].match(line, found.start())
        if after is not None and _LITERAL_KEY.match(line, after.end()):
            continue
        if found.group() == "environ" and _MEMBERSHIP.search(line, 0, found.start()):
            continue
        return False
    return True


def _code_lines(text: str) -> list[str]:
    """The lines of ``text`` with comments blanked (all of it when it does not tokenize)."""
    lines = text.splitlines()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                row, column = token.start
                lines[row - 1] = lines[row - 1][:column]
    except (tokenize.TokenError, SyntaxError, IndexError):
        return text.splitlines()
    return lines


def script_reads(text: str, directory: str, find: Callable[[str], str | None]) -> ScriptReads:
    """The script ``text`` (in ``directory``, a posix path relative to the job's folder) and
    the modules of the job's folder it imports, followed through their own imports.
    ``find(relative path)`` gives a file's text, or None when the folder has no such file."""
    texts = [text]
    seen = {text}
    queue = [(text, directory)]
    opaque = opaque_line(text) is not None
    while queue and not opaque:
        current, folder = queue.pop(0)
        for candidate in _module_paths(current, folder):
            found = find(candidate)
            if found is None or found in seen:
                continue
            if len(texts) > MODULE_LIMIT:
                return ScriptReads(tuple(texts), True)
            seen.add(found)
            texts.append(found)
            opaque = opaque or opaque_line(found) is not None
            queue.append((found, candidate.rpartition("/")[0]))
    return ScriptReads(tuple(texts), opaque)


def _module_paths(text: str, folder: str) -> list[str]:
    """The files (relative to the job's folder) that ``text``'s imports may load from it:
    beside the script (``sys.path[0]``) and at the folder's top (the job's working folder)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found += _candidates(alias.name.split("."), ("", folder))
        elif isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".") if node.module else []
            if node.level:
                base = folder.split("/") if folder else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                bases: tuple[str, ...] = ("/".join(base),)
            else:
                bases = ("", folder)
            if parts:
                found += _candidates(parts, bases)
            for alias in node.names:
                if alias.name != "*":
                    found += _candidates(parts + [alias.name], bases)
    return list(dict.fromkeys(found))


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
