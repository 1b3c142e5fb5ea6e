"""Which module-level names of a file other files of the project import.

A rewrite may rename or delete a module-level binding (``ws`` becomes
``ml_client``) only when no other module reaches it: ``from wsmod import ws``
elsewhere must keep working.  The project is scanned once per process with a
regular expression over ``import`` lines (Python files and notebooks), never
parsed.  A dotted module names the file only when the file's path ends with
its parts (``from sklearn.pipeline import Pipeline`` does not reach
``pipelines/pipeline.py``), and a relative import names the one file its
package's folder holds (``from .train import *`` in ``pkg/__init__.py`` reaches
``pkg/train.py``, not every ``train.py``); within that, the answer over-approximates.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from . import files

MAX_FILE_BYTES = 2_000_000
MAX_FILES = 50_000
MAX_TOTAL_BYTES = 256 * 1024 * 1024
EVERYTHING = frozenset({"*"})  # a star import or ``import module``: every name is reachable

# Where a statement can start: a line, an escaped newline inside a JSON string (a notebook cell
# stored as one string), a JSON list item (a notebook saved without indentation), or a JSON
# value (the first line of a cell stored as one string: ``"source": "import x\\n..."``).
_START = rb'(?:^[ \t]*"?|\\n|[\[,:][ \t]*")[ \t]*'
_FROM = re.compile(_START + rb'from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;"\\]*)', re.M)
_IMPORT = re.compile(_START + rb'import[ \t]+([^\n#;"\\]*)', re.M)
# IPython's ``%run file.py`` runs a file in the notebook's namespace: all its names are read.
# (IPython adds the ``.py`` a name lacks, and runs notebooks too.)
_RUN = re.compile(_START + rb'%run[ \t]+(?:-\w+[ \t]+)*([^\s"\\]+?)(?:\.py|\.ipynb)?(?=[\s"\\]|$)', re.M)
# A Databricks notebook exported as source runs another in its namespace with ``# MAGIC %run ./other``.
_MAGIC_RUN = re.compile(rb'^[ \t]*#[ \t]*MAGIC[ \t]+%run[ \t]+([^\s"\\]+?)(?:\.py|\.ipynb)?(?=\s|$)', re.M)
_NAME = re.compile(r"([A-Za-z_]\w*)(?:\s+as\s+\w+)?")
# The bytes ``_START`` and the blanks after it are made of: a match ends its run of these at its keyword.
_LEAD = frozenset(b' \t"\\n[,:')


class _Index:
    def __init__(self, root: Path) -> None:
        # module's last component -> {module's parts -> names imported from it}
        self.names: dict[str, dict[tuple[str, ...], set[str]]] = {}
        # module's last component -> (module's parts, alias, importing file)
        self.aliases: dict[str, set[tuple[tuple[str, ...], str, Path]]] = {}
        # module's last component -> (module's parts, importing file): who runs a module's code
        self.importers: dict[str, set[tuple[tuple[str, ...], Path]]] = {}
        total = 0
        for count, path in enumerate(files.walk(root.absolute(), (".py", ".ipynb"))):
            if count >= MAX_FILES or total >= MAX_TOTAL_BYTES:
                break
            data = _read(path)
            if data and (b"import" in data or b"%run" in data):
                total += len(data)
                self._scan(path, data)

    def _scan(self, path: Path, data: bytes) -> None:
        for dots, module, names in _findall(_FROM, b"from", data):
            parts = _parts(module.decode("utf-8", "replace"))
            if dots:  # relative: the package is the importing file's folder, or one above per extra dot
                packages = path.absolute().parents
                if len(dots) > len(packages):
                    continue
                parts = (*packages[len(dots) - 1].parts, *parts)
            text = names.decode("utf-8", "replace").strip("() \t\r\n")
            found = self.names.setdefault(parts[-1] if parts else "", {}).setdefault(parts, set())
            self.importers.setdefault(parts[-1] if parts else "", set()).add((parts, path))
            if text.startswith("*"):
                found.add("*")
            for match in _NAME.finditer(text.replace("\\n", " ")):
                found.add(match.group(1))
                # ``from pkg import mod`` may import a module; ``mod.name`` then reaches its names
                alias = match.group(0).split()[-1]
                self.aliases.setdefault(match.group(1), set()).add(((*parts, match.group(1)), alias, path))
                self.importers.setdefault(match.group(1), set()).add(((*parts, match.group(1)), path))
        scripts = _findall(_RUN, b"%run", data)
        if b"MAGIC" in data:
            scripts += _MAGIC_RUN.findall(data)
        for script in scripts:
            parts = tuple(p for p in script.decode("utf-8", "replace").replace("\\", "/").split("/")
                          if p not in ("", ".", ".."))
            if parts:
                self.names.setdefault(parts[-1], {}).setdefault(parts, set()).add("*")
                self.importers.setdefault(parts[-1], set()).add((parts, path))
        for spec in _findall(_IMPORT, b"import", data):
            for part in spec.decode("utf-8", "replace").split(","):
                words = part.split()
                if not words:
                    continue
                module = words[0]
                alias = words[2] if len(words) == 3 and words[1] == "as" else module
                parts = _parts(module)
                if parts:
                    self.aliases.setdefault(parts[-1], set()).add((parts, alias, path))
                    self.importers.setdefault(parts[-1], set()).add((parts, path))

    def imported(self, path: Path) -> frozenset[str]:
        path = path.absolute()  # as relative imports were resolved: absolute, folders as written
        where = path.parent.parts if path.name == "__init__.py" else (*path.parent.parts, path.stem)
        module = where[-1] if where else ""
        found: set[str] = set()
        for parts, names in self.names.get(module, {}).items():
            if _names_file(parts, where):
                found.update(names)
        for parts, alias, importer in self.aliases.get(module, ()):
            if not _names_file(parts, where):
                continue
            data = _read(importer) or b""
            pattern = re.compile(rb"\b" + re.escape(alias.encode()) + rb"\.(\w+)")
            found.update(m.decode("utf-8", "replace").split(".")[0] for m in pattern.findall(data))
        return EVERYTHING if "*" in found else frozenset(found)

    def importing(self, path: Path) -> frozenset[Path]:
        """The files whose imports (or ``%run``) may name ``path``: its code runs where they run."""
        path = path.absolute()
        where = path.parent.parts if path.name == "__init__.py" else (*path.parent.parts, path.stem)
        module = where[-1] if where else ""
        return frozenset(importer for parts, importer in self.importers.get(module, ())
                         if _names_file(parts, where) and importer != path)


def _findall(pattern: re.Pattern[bytes], keyword: bytes, data: bytes) -> list:
    """``pattern.findall(data)`` for a pattern that is ``_START``, blanks, then ``keyword``:
    a match can only start in the run of ``_LEAD`` bytes just before an occurrence of the
    keyword, so only those positions are tried (a pattern that starts with an alternation
    makes the regex engine try every position of every file, the slowest part of the scan)."""
    found = []
    end = 0  # matches do not overlap: none starts before the last one's end
    at = data.find(keyword)
    while at >= 0:
        start = at
        while start > 0 and data[start - 1] in _LEAD:
            start -= 1
        for position in range(max(start, end), at + 1):
            match = pattern.match(data, position)
            if match is not None:
                found.append(match.groups(b"") if pattern.groups > 1 else match.group(1) or b"")
                end = match.end()
                break
        at = data.find(keyword, at + 1)
    return found


def _parts(module: str) -> tuple[str, ...]:
    return tuple(part for part in module.strip().split(".") if part)


def _names_file(parts: tuple[str, ...], where: tuple[str, ...]) -> bool:
    """Whether the dotted module ``parts`` can be the file at ``where`` (its path's parts)."""
    return 0 < len(parts) <= len(where) and where[-len(parts):] == parts


def _read(path: Path) -> bytes | None:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


_INDEXES: dict[Path, _Index] = {}


def prepare(root: Path) -> None:
    """Scan ``root`` now (before worker processes fork, say): every later answer then
    comes from the files as they were before any of them was fixed."""
    if root not in _INDEXES:
        _INDEXES[root] = _Index(root)


def imported_names(path: Path, root: Path) -> frozenset[str]:
    """Module-level names of ``path`` that other files import; EVERYTHING when unknowable."""
    prepare(root)
    return _INDEXES[root].imported(path)


def importing_files(path: Path, root: Path) -> frozenset[Path]:
    """The files of the project that import ``path`` (an over-approximation, as for names)."""
    prepare(root)
    return _INDEXES[root].importing(path)


def forget() -> None:
    _INDEXES.clear()
