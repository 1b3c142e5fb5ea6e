"""Which module-level names of a file other files of the project import.

A rewrite may rename or delete a module-level binding (``ws`` becomes
``ml_client``) only when no other module reaches it: ``from wsmod import ws``
elsewhere must keep working.  The project is scanned once per process with a
regular expression over ``import`` lines (Python files and notebooks), never
parsed, and the answer over-approximates: a name any file imports from a
module of the same name is protected.
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

_FROM = re.compile(rb'^[ \t]*"?[ \t]*from[ \t]+\.*([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;"\\]*)', re.M)
_IMPORT = re.compile(rb'^[ \t]*"?[ \t]*import[ \t]+([^\n#;"\\]*)', re.M)
_NAME = re.compile(r"([A-Za-z_]\w*)(?:\s+as\s+\w+)?")


class _Index:
    def __init__(self, root: Path) -> None:
        self.names: dict[str, set[str]] = {}  # module's last component -> names imported from it
        self.aliases: dict[str, set[tuple[str, Path]]] = {}  # module -> (alias, importing file)
        total = 0
        for count, path in enumerate(files.walk(root, (".py", ".ipynb"))):
            if count >= MAX_FILES or total >= MAX_TOTAL_BYTES:
                break
            data = _read(path)
            if data and b"import" in data:
                total += len(data)
                self._scan(path, data)

    def _scan(self, path: Path, data: bytes) -> None:
        for module, names in _FROM.findall(data):
            last = module.decode("utf-8", "replace").rsplit(".", 1)[-1]
            text = names.decode("utf-8", "replace").strip("() \t\r\n")
            found = self.names.setdefault(last, set())
            if text.startswith("*"):
                found.add("*")
            found.update(m.group(1) for m in _NAME.finditer(text.replace("\\n", " ")))
        for spec in _IMPORT.findall(data):
            for part in spec.decode("utf-8", "replace").split(","):
                words = part.split()
                if not words:
                    continue
                module = words[0]
                alias = words[2] if len(words) == 3 and words[1] == "as" else module
                self.aliases.setdefault(module.rsplit(".", 1)[-1], set()).add((alias, path))

    def imported(self, path: Path) -> frozenset[str]:
        module = path.stem if path.name != "__init__.py" else path.parent.name
        found = set(self.names.get(module, ()))
        for alias, importer in self.aliases.get(module, ()):
            data = _read(importer) or b""
            pattern = re.compile(rb"\b" + re.escape(alias.encode()) + rb"\.(\w+)")
            found.update(m.decode("utf-8", "replace").split(".")[0] for m in pattern.findall(data))
        return EVERYTHING if "*" in found else frozenset(found)


def _read(path: Path) -> bytes | None:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


_INDEXES: dict[Path, _Index] = {}


def imported_names(path: Path, root: Path) -> frozenset[str]:
    """Module-level names of ``path`` that other files import; EVERYTHING when unknowable."""
    index = _INDEXES.get(root)
    if index is None:
        index = _INDEXES[root] = _Index(root)
    return index.imported(path)


def forget() -> None:
    _INDEXES.clear()
