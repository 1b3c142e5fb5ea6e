"""Which module-level names of a file other files of the project import.

A rewrite may rename or delete a module-level binding (``ws`` becomes
``ml_client``) only when no other module reaches it: ``from wsmod import ws``
elsewhere must keep working.  The project is scanned once per process with a
regular expression over ``import`` lines (Python files and notebooks), never
parsed.  A dotted module names the file only when the file's path ends with
its parts (``from sklearn.pipeline import Pipeline`` does not reach
``pipelines/pipeline.py``), a literal ``importlib.import_module("train")`` or
``__import__("train")`` reaches every name, and a relative import names the one file its
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
_START = rb'(?:^[ \t]*"?|\\n|[\[,:][ \t]*")[ \t]*(?:(?:>>>|\.\.\.)[ \t]+)?'
_FROM = re.compile(_START + rb'from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;"\\]*)', re.M)
_IMPORT = re.compile(_START + rb'import[ \t]+([^\n#;"\\]*)', re.M)
# IPython's ``%run file.py`` runs a file in the notebook's namespace: all its names are read.
# (IPython adds the ``.py`` a name lacks, and runs notebooks too.)
_RUN = re.compile(_START + rb'%run[ \t]+(?:-\w+[ \t]+)*([^\s"\\]+?)(?:\.py|\.ipynb)?(?=[\s"\\]|$)', re.M)
# A Databricks notebook exported as source runs another in its namespace with ``# MAGIC %run ./other``.
_MAGIC_RUN = re.compile(rb'^[ \t]*#[ \t]*MAGIC[ \t]+%run[ \t]+([^\s"\\]+?)(?:\.py|\.ipynb)?(?=\s|$)', re.M)
# ``importlib.import_module("train")`` and ``__import__("train")`` reach every name of the module they load
# (a notebook stores the quotes escaped).
_DYNAMIC = re.compile(rb'(?:import_module|__import__)\(\s*\\?["\']([\w.]+)\\?["\']\s*[,)]')
_NAME = re.compile(r"([A-Za-z_]\w*)(?:\s+as\s+\w+)?")
# The bytes ``_START`` and the blanks after it are made of (a doctest's prompt too): a match ends its run
# of these at its keyword.
_LEAD = frozenset(b' \t"\\n[,:>.')
# Code that may load a module or run a file by a name this scan cannot read: a file that imports a
# module that does it (``importlib`` but for its metadata and resources, ``runpy``, ``pydoc``,
# ``pkgutil``, ``imp``, ``builtins``, IPython's magics), or names a builtin that does, called or not
# (``load = __import__``).  Any function of the project may be called from there.
_LOADING_MODULES = frozenset({"importlib", "runpy", "pydoc", "pkgutil", "imp", "builtins", "zipimport", "IPython",
                              "__main__"})
_HARMLESS = frozenset({"metadata", "resources"})  # importlib's parts that load no code
_LOADING_NAMES = re.compile(rb'(?<![\w.])(?:exec|eval|compile|execfile|__import__|__builtins__|get_ipython|'
                            rb'run_line_magic)\b|%run[ \t]+[^\n"]*[$}{]|\bsys\.modules\b')
# ``import importlib.metadata`` binds ``importlib`` itself: any other use of it may load code
_IMPORTLIB_USE = re.compile(rb'\bimportlib\.(?!metadata\b|resources\b)\w')
# ``import x`` and ``from x import``, written anywhere (a shell command in a string, a doctest): what a
# file may import beyond its own import statements.
_IMPORT_AFTER = re.compile(rb'import[ \t]+([\w.]+)')
_NAMES_AFTER = re.compile(rb'import[ \t]+\(?([\w., \t]*)')  # the names of a ``from x import`` (one line)
_FROM_BEFORE = re.compile(rb'from[ \t]+([\w.]+)[ \t]+import')


class _Index:
    def __init__(self, root: Path) -> None:
        # module's last component -> {module's parts -> names imported from it}
        self.names: dict[str, dict[tuple[str, ...], set[str]]] = {}
        # module's last component -> (module's parts, alias, importing file)
        self.aliases: dict[str, set[tuple[tuple[str, ...], str, Path]]] = {}
        # module's last component -> (module's parts, importing file): who runs a module's code
        self.importers: dict[str, set[tuple[tuple[str, ...], Path]]] = {}
        self.loads_by_name = False  # a file loads modules or runs files by names the scan cannot read
        # module's last component -> (module's parts, file): ``import x`` or ``from x import`` anywhere in a file
        self.mentions: dict[str, set[tuple[tuple[str, ...], Path]]] = {}
        total = 0
        for count, path in enumerate(files.walk(root.absolute(), (".py", ".ipynb"))):
            if count >= MAX_FILES or total >= MAX_TOTAL_BYTES:
                break
            data = _read(path)
            if data and (b"import" in data or b"%run" in data or _LOADING_NAMES.search(data) is not None):
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
        literal = _DYNAMIC.findall(data) if b"import_module" in data or b"__import__" in data else []
        for module in literal:
            parts = _parts(module.decode("utf-8", "replace"))
            if parts:
                self.names.setdefault(parts[-1], {}).setdefault(parts, set()).add("*")
                self.importers.setdefault(parts[-1], set()).add((parts, path))
        for module, names in set(_mentioned(data)):
            parts = _parts(module.decode("utf-8", "replace"))
            if parts:
                self.mentions.setdefault(parts[-1], set()).add((parts, path))
                self.loads_by_name = self.loads_by_name or _loads(parts, names) or (
                    parts[0] == "importlib" and not names and _IMPORTLIB_USE.search(data) is not None)
        if not self.loads_by_name:
            self.loads_by_name = _LOADING_NAMES.search(data) is not None
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

    def mentioned(self, path: Path) -> bool:
        """Another file writes ``import <module>`` or ``from <module> import`` somewhere, perhaps
        in a string it runs or a doctest."""
        path = path.absolute()
        where = path.parent.parts if path.name == "__init__.py" else (*path.parent.parts, path.stem)
        return any(_names_file(parts, where) and file != path for parts, file in self.mentions.get(where[-1] if where else "", ()))

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


def loads_by_name(root: Path) -> bool:
    """Whether a file of the project loads a module or runs a file by a name this scan cannot
    read (``runpy``, ``exec``, ``import_module(name)``, ``find_spec``, ``pydoc.locate``): a
    call of any module's function may come from there."""
    prepare(root)
    return _INDEXES[root].loads_by_name


def reached_from_elsewhere(path: Path, root: Path) -> bool:
    """Whether code of another file may call the functions of ``path``: it loads modules by name,
    or imports ``path`` (in a statement, or written anywhere: a string it runs, a doctest)."""
    prepare(root)
    index = _INDEXES[root]
    return index.loads_by_name or index.mentioned(path)


def _mentioned(data: bytes) -> list[tuple[bytes, bytes]]:
    """The modules ``import x`` and ``from x import names`` name anywhere in ``data``, each with
    the names imported from it (b"" for ``import x``)."""
    found = []
    at = data.find(b"import")
    while at >= 0:
        after = _IMPORT_AFTER.match(data, at)
        start = data.rfind(b"from", max(at - 200, 0), at)
        before = _FROM_BEFORE.match(data, start) if start >= 0 else None
        if before is not None and before.end() == at + 6:
            names = _NAMES_AFTER.match(data, at)
            found.append((before.group(1), names.group(1).strip() if names is not None and names.group(1).strip() else b"*"))
        elif after is not None:  # ``import os, importlib as il``: every module of the list
            listed = _NAMES_AFTER.match(data, at)
            for module in (listed.group(1) if listed is not None else after.group(1)).split(b","):
                if module.split():
                    found.append((module.split()[0], b""))
        at = data.find(b"import", at + 6)
    return found


def _loads(parts: tuple[str, ...], names: bytes) -> bool:
    """Whether importing ``names`` from the module ``parts`` (b"": the module itself) brings in a way
    to load code by name; importlib's metadata and resources do not."""
    if parts[0] not in _LOADING_MODULES:
        return False
    if parts[0] != "importlib":
        return True
    if len(parts) > 1:
        return parts[1] not in _HARMLESS
    if names.rstrip().endswith(b","):
        return True  # the list goes on past the line: what it imports is not known
    named = [n.split()[0] for n in names.decode("utf-8", "replace").split(",") if n.split()] if names else [""]
    return not named or any(n not in _HARMLESS for n in named)


def forget() -> None:
    _INDEXES.clear()
