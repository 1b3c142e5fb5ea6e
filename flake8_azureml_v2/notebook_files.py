"""Reading ``.ipynb`` files and writing them back byte for byte.

nbformat (and ruff) re-serialise a notebook in Jupyter's own layout and may add
random cell ids, so a one-line fix would become a diff of the whole file.  Here
the JSON is read with :func:`json.loads`, which keeps the key order, and the
file's layout (indent, separators, ASCII escaping, line endings, final newline)
is found by re-dumping the unmodified notebook until the original bytes come
back.  When no layout reproduces them, the notebook can be checked but is
never written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product
from typing import Any

_BOM = b"\xef\xbb\xbf"
_LINE_PIECES = re.compile(r"[^\n]*\n|[^\n]+$")


class NotebookError(Exception):
    """The file is not a notebook this tool can read (one-line reason)."""


@dataclass(frozen=True)
class Layout:
    """How a notebook's JSON was laid out, so a rewrite can use the same layout."""

    indent: int | str | None
    separators: tuple[str, str]
    ensure_ascii: bool
    newline: str
    final_newline: bool
    bom: bool

    def dump(self, notebook: dict[str, Any]) -> bytes:
        text = json.dumps(notebook, indent=self.indent, separators=self.separators, ensure_ascii=self.ensure_ascii)
        if self.final_newline:
            text += "\n"
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return (_BOM if self.bom else b"") + text.encode("utf-8")


@dataclass
class Notebook:
    data: bytes
    content: dict[str, Any]
    text: str = field(repr=False, default="")  # the decoded JSON
    bom: bool = False

    @cached_property
    def layout(self) -> Layout | None:
        """How to write the notebook back; None: re-dumping does not reproduce the file,
        so it is never written.  Found only when a fix needs it (it re-dumps the JSON)."""
        return _detect_layout(self.data, self.text, self.content, self.bom)

    @property
    def cells(self) -> list[dict[str, Any]]:
        return self.content["cells"]

    def is_python(self) -> bool:
        """False only when the notebook says it is in another language (an R or Scala kernel)."""
        metadata = self.content.get("metadata")
        if not isinstance(metadata, dict):
            return True
        for key, entry in (("language_info", "name"), ("kernelspec", "language")):
            section = metadata.get(key)
            if isinstance(section, dict) and isinstance(section.get(entry), str):
                return section[entry].lower() in ("python", "python3", "ipython")
        return True

    def with_sources(self, sources: dict[int, str]) -> bytes:
        """The file with the code of cells ``sources`` (index -> text) replaced and nothing else."""
        if self.layout is None:
            raise NotebookError("the notebook's JSON layout cannot be reproduced, so it is not rewritten")
        cells = list(self.cells)
        for index, text in sources.items():
            cell = cells[index] = dict(cells[index])  # a copy keeps its key order; the notebook stays as read
            cell["source"] = text if isinstance(cell.get("source", ""), str) else source_lines(text)
        return self.layout.dump({**self.content, "cells": cells})


def cell_text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def source_lines(text: str) -> list[str]:
    """Jupyter's list form of a cell's source: one string per line, each keeping its newline."""
    return _LINE_PIECES.findall(text)


def read_notebook(data: bytes) -> Notebook:
    """Parse and validate a notebook; raises :class:`NotebookError` with a one-line reason."""
    bom = data.startswith(_BOM)
    try:
        text = data[len(_BOM) if bom else 0:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not a notebook: the file is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        content = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise NotebookError("not a notebook: the JSON is nested too deeply") from None
    if not isinstance(content, dict):
        raise NotebookError("not a notebook: the JSON is not an object")
    _validate(content)
    return Notebook(data, content, text, bom)


def _validate(content: dict[str, Any]) -> None:
    version = content.get("nbformat")
    if version == 3 or "worksheets" in content:
        raise NotebookError("nbformat 3 notebooks are not supported; upgrade it with "
                            "`jupyter nbconvert --to notebook --inplace`")
    if version != 4:
        raise NotebookError(f"not a notebook: nbformat is {version!r}, expected 4")
    cells = content.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: it has no list of cells")
    if not cells:
        raise NotebookError("the notebook has no cells")
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise NotebookError(f"not a notebook: cell {number} has no cell_type")
        source = cell.get("source", "")
        if not (isinstance(source, str) or (isinstance(source, list) and all(isinstance(s, str) for s in source))):
            raise NotebookError(f"not a notebook: the source of cell {number} is neither a string nor a list of strings")


def _candidates(text: str, bom: bool) -> list[Layout]:
    """The layouts Jupyter and the JSON libraries write that the file's first lines allow."""
    newline = "\r\n" if "\r\n" in text else "\n"
    final_newline = text.endswith(newline)
    lines = text.split(newline, 2)
    indents: list[int | str | None] = [None]
    if len(lines) > 1 and lines[1].strip():
        leading = lines[1][: len(lines[1]) - len(lines[1].lstrip())]
        indents = [len(leading)] if leading and set(leading) == {" "} else [leading]
    return [Layout(indent, separators, ensure_ascii, newline, final_newline, bom)
            for indent, separators, ensure_ascii in product(indents, ((",", ": "), (", ", ": "), (",", ":")), (False, True))]


def _detect_layout(data: bytes, text: str, content: dict[str, Any], bom: bool) -> Layout | None:
    for layout in _candidates(text, bom):
        if layout.dump(content) == data:
            return layout
    return None


def layout_difference(notebook: Notebook) -> str:
    """Where the file first differs from the nearest layout a rewrite could write (``line 12,
    column 5``), so that a notebook left unwritten says what to look at."""
    data = notebook.data
    best = 0
    for layout in _candidates(notebook.text, notebook.bom):
        dumped = layout.dump(notebook.content)
        same = next((i for i, (a, b) in enumerate(zip(dumped, data)) if a != b), min(len(dumped), len(data)))
        best = max(best, same)
    before = data[:best].decode("utf-8", "ignore")  # (a character cut in two is not counted)
    return f"line {before.count(chr(10)) + 1}, column {len(before) - (before.rfind(chr(10)) + 1) + 1}"
