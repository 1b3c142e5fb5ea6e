"""What v1's ``Environment.from_conda_specification`` did to the file it read.

It pinned python ``PYTHON_DEFAULT_VERSION`` (3.10.18) when the file names no python
version: the first top-level dependency named ``python`` (its name ends at the first
of ``[=|<>~!``) keeps its pin only when it ends in a version such as ``3.8`` or
``3.8.13``; otherwise that entry, or a new one, becomes ``python=3.10.18``.  v2 passes
the file on as it is, so conda would pick another interpreter.

Where the file is found beside the program (or above it) and pins python, its path is
passed on as it is.  Otherwise a helper reads it when the job is built and pins python as
v1 did; a TODO says so when the file is known to name no version.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..engine.fixing.symbols import symbol
from .conda import CREATE_PYTHON

HELPER = "_v1_conda_specification"
_NAME_END = r"[\[=|<>~!]"
_VERSION = r"(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$"
HELPER_SOURCE = f'''def {HELPER}(file_path):
    """Environment.from_conda_specification(): the file, with python pinned to {CREATE_PYTHON} as v1 did
    when the file names no python version."""
    with open(file_path) as handle:
        spec = {symbol("yaml")}.safe_load(handle) or {{}}
    dependencies = spec.setdefault("dependencies", [])
    for index, item in enumerate(dependencies):
        if isinstance(item, str) and {symbol("re")}.split(r"{_NAME_END}", item)[0] == "python":
            if not {symbol("re")}.search(r"{_VERSION}", item):
                dependencies[index] = "python={CREATE_PYTHON}"
            return spec
    dependencies.append("python={CREATE_PYTHON}")
    return spec
'''
TODO = (f"# TODO(azureml-v2): AML021 v1 pinned python {CREATE_PYTHON} because {{file}} names no python version it "
        "kept (none, or one that is not a plain version such as 3.8 or 3.8.13: python=3.7.* is not); pin it "
        "in the file and pass the path as it is")
_ITEM = re.compile(r"^(\s*)-\s*(.*?)\s*$")


def names_python_version(text: str) -> bool | None:
    """Does this conda YAML name a python version v1 kept?  None when its ``dependencies``
    are not a block list of plain entries (the only form read here)."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"^dependencies:\s*(#.*)?$", line)]
    if not starts:
        return None if re.search(r"^\s*dependencies\s*:", text, re.MULTILINE) else False
    indent: int | None = None
    for line in lines[starts[0] + 1:]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        width = len(line) - len(line.lstrip())
        if item is None and (indent is None or width <= indent):
            break  # the next key: the list has ended
        if item is None or (indent is not None and width > indent):
            continue  # a nested entry (the pip list)
        indent = width
        entry = re.sub(r"\s+#.*$", "", item.group(2)).strip("'\"")
        if entry.endswith(":") or entry.startswith(("{", "[", "&", "*", "!")):
            continue  # a mapping such as ``pip:``, not a package
        if re.split(_NAME_END, entry)[0] == "python":
            return re.search(_VERSION, entry) is not None
    return False


def found_copies(file_path: str, program: Path | None, root: Path | None) -> list[Path]:
    """The files a relative ``file_path`` may name: beside the program, or in a folder above it
    up to the project's root (the run's working folder is not known).  An absolute path is itself."""
    if Path(file_path).is_absolute():
        folders = [Path("/")]
    elif program is None:
        return []
    else:
        here = program.parent.resolve()
        top = root.resolve() if root is not None else here
        above = list(here.parents)[:here.parents.index(top) + 1] if top in here.parents else []
        folders = [here, *above]
    found = []
    for folder in folders:
        candidate = folder / file_path
        try:
            if candidate.is_file():
                found.append(candidate)
        except OSError:
            continue
    return found


def pins_python(file_path: str | None, program: Path | None, root: Path | None) -> bool | None:
    """True when every copy found pins python; False when one names no version; None
    when none is found or one cannot be read."""
    copies = found_copies(file_path, program, root) if file_path is not None else []
    if not copies:
        return None
    verdicts = []
    for copy in copies:
        try:
            verdicts.append(names_python_version(copy.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            return None
    if False in verdicts:
        return False
    return None if None in verdicts else True
