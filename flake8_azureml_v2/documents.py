"""One document model for ``.py`` files and notebooks.

A **document** is a file as read (from disk or standard input) seen as cells:
a ``.py`` file is one cell, a notebook has its JSON cells.  It offers the engine
**programs**: Python texts, each knowing how its lines map back to (cell, line)
on disk and how to turn the engine's rewritten text back into new cell texts.
The document turns new cell texts back into the file's bytes.  The engine only
ever sees a program's text; everything about cells and bytes stays here.

API used by :mod:`.runner` (the one read → analyse/fix → report → write path)::

    document = load(data, path)              # DocumentError, NotebookError, SourceError
    for program in document.programs(settings):
        program.text, program.path, program.settings   # what the engine is given
        program.model = analysis.model                  # optional: saves the notebook a re-analysis
        program.place(line, col[, text])                # a line/column of text (default: the program) on disk
        program.finding(finding)                        # a finding of the program, re-based on disk
        program.cells(new_text)                         # {cell index: new cell text}; FixError if it cannot be cut
        program.refusal                                 # why it is never fixed (a %%writefile -a cell), or None
    document.skipped                         # (cell index, reason): cells that are not Python
    document.render({cell index: text})      # the new file's bytes
    document.diff(display, {cell index: text})

Columns are 0-based UTF-8 byte offsets (as in :class:`~.engine.Finding.col`);
cell indexes are 0-based, the cell numbers shown to users 1-based.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from .api import analyse
from .engine import Finding, Settings
from .engine.names import Model
from .engine.source import Encoding, declared_encoding, decode_file
from .notebook_files import Notebook, cell_text, layout_difference, read_notebook
from .notebooks import (
    DISTRIBUTIONS, Parts, Program as JoinedCells, WrittenFile, installed_by, installs_v1_plainly, is_notebook,
    names_in_ipython_calls, names_read_by_magics, names_spelled, Launched, parse_problem, take_apart,
    with_distributions, written_path, written_settings,
)

APPEND_REFUSAL = "the cell appends to a file (%%writefile -a), so it is not fixed"
APPENDED_REFUSAL = "cell {} appends to the file this cell writes (%%writefile -a), so neither is fixed"
LAYOUT_REFUSAL = ("the notebook's JSON layout cannot be reproduced (its bytes differ from the nearest layout a "
                  "rewrite could write at {where}), so it is not rewritten")
NOT_PYTHON = "skipped, not Python even with magics masked"


class DocumentError(Exception):
    """The file cannot be turned into bytes again (one-line reason)."""


@dataclass(frozen=True, order=True)
class CellFinding(Finding):
    """A finding whose ``line``/``end_line`` count inside notebook cell ``cell`` (1-based)."""

    cell: int = 0


@dataclass(frozen=True)
class Place:
    """A position in a file: ``cell`` (1-based) is None outside notebooks; ``col`` is 0-based UTF-8 bytes."""

    line: int
    col: int
    cell: int | None = None

    def __str__(self) -> str:
        where = f"cell {self.cell}:{self.line}" if self.cell is not None else str(self.line)
        return f"{where}:{self.col + 1}"

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.cell or 0, self.line, self.col)


class Program:
    """A Python text for the engine, with the way back to the document's cells."""

    refusal: str | None = None

    def __init__(self, text: str, path: Path | None, settings: Settings, numbered: bool) -> None:
        self.text = text
        self.path = path
        self.settings = settings
        self.numbered = numbered  # whether places name a cell (notebooks)
        self.model: Model | None = None
        self.tree: ast.Module | None = None  # the parsed text, when the document has parsed it already
        self.fixed_text: str | None = None  # the text once a fix has run over it

    def locate(self, line: int, text: str) -> tuple[int, int]:
        """(0-based cell index, 1-based line in that cell) of line ``line`` of ``text``."""
        raise NotImplementedError

    def cells(self, text: str) -> dict[int, str]:
        """The cell texts ``text`` (the engine's rewrite of this program) stands for."""
        raise NotImplementedError

    def line_name(self, line: int, text: str) -> str:
        """How a message names line ``line`` of ``text`` (this program or its rewrite): in a
        notebook, by its cell (``cell 4:2``), since the joined program's lines are nowhere to see."""
        if not self.numbered:
            return f"line {self.locate(line, text)[1]}"
        index, in_cell = self.locate(line, text)
        return f"cell {index + 1}:{in_cell}"

    def renames_lines(self, text: str) -> bool:
        """Whether a line of ``text`` (a rewrite of this program) has another number in the file."""
        return False

    def describe(self, message: str) -> str:
        """A fixer's message, with the program's line numbers named as the document's."""
        return message

    def anchored(self) -> tuple[str, ...]:
        """What marks the comment lines that join the program's parts: in a plain file, the cell
        markers of editors' percent format (a fix must not move code into another cell)."""
        return _CELL_MARKERS

    def installs(self) -> dict[str, str]:
        """Packages the program installs on its way (a notebook's ``!pip install``), each with the
        line that does it: none in a plain file."""
        return {}

    def hidden_names(self) -> frozenset[str]:
        """Names that code the engine does not see may read (a notebook's magics; in a notebook
        exported to Python, the code strings it hands to ``get_ipython()``)."""
        return names_in_ipython_calls(self.text)

    def place(self, line: int, col: int, text: str | None = None) -> Place:
        index, in_cell = self.locate(line, self.text if text is None else text)
        return Place(in_cell, col, index + 1 if self.numbered else None)

    def finding(self, finding: Finding) -> Finding:
        if not self.numbered:
            return finding
        index, line = self.locate(finding.line, self.text)
        end_index, end_line = self.locate(finding.end_line, self.text)
        values = {f.name: getattr(finding, f.name) for f in fields(Finding)}
        values.update(line=line, end_line=end_line if end_index == index else line)
        return CellFinding(**values, cell=index + 1)


class Document:
    """A file as cells; see the module docstring."""

    is_notebook = False

    def __init__(self, data: bytes, path: Path | None) -> None:
        self.data = data
        self.path = path
        self.skipped: list[tuple[int, str]] = []  # complete once programs() is exhausted

    def programs(self, settings: Settings) -> Iterator[Program]:
        raise NotImplementedError

    def cell_text(self, index: int) -> str:
        raise NotImplementedError

    def render(self, cells: dict[int, str]) -> bytes:
        raise NotImplementedError

    def diff(self, display: str, cells: dict[int, str]) -> Iterator[str]:
        raise NotImplementedError

    def where(self, index: int) -> str:
        """How a cell is named in messages."""
        return f"cell {index + 1}"

    def unwritable(self) -> str | None:
        """Why a changed text could not be written back to this file, or None."""
        return None


def load(data: bytes, path: Path | None) -> Document:
    """The document in ``data``; ``path`` (on disk, or --stdin-filename) says which kind."""
    if is_notebook(path):
        return NotebookDocument(data, path)
    return PythonDocument(data, path)


# --- .py files ------------------------------------------------------------------------------


class WholeFile(Program):
    """A ``.py`` file.  A file that began with code still does after a fix that removes its first
    lines (an unused import): the blank lines that followed them go too, and lines are named as
    the fixed file reads."""

    def locate(self, line: int, text: str) -> tuple[int, int]:
        return 0, line - self._blank_top(text)

    def renames_lines(self, text: str) -> bool:
        return self._blank_top_length(text) > 0

    def cells(self, text: str) -> dict[int, str]:
        return {0: text[self._blank_top_length(text):]}

    def _opens_with_code(self) -> bool:
        first = self.text.split("\n", 1)[0]
        return bool(first.strip())

    def _blank_top_length(self, text: str) -> int:
        if text is self.text or not self._opens_with_code():
            return 0
        stripped = text.lstrip(" \t\r\n")
        cut = len(text) - len(stripped)
        if not cut or declared_encoding(stripped) != declared_encoding(text):
            return 0  # a comment moved up to line 1 or 2 would become the file's encoding declaration
        return text.rfind("\n", 0, cut) + 1  # whole lines only: the first code line keeps its indent

    def _blank_top(self, text: str) -> int:
        length = self._blank_top_length(text)
        return text.count("\n", 0, length) if length else 0


class PythonDocument(Document):
    """A Python file: one cell holding the decoded text."""

    def __init__(self, data: bytes, path: Path | None) -> None:
        super().__init__(data, path)
        self.text, self.encoding = decode_file(data)

    def programs(self, settings: Settings) -> Iterator[Program]:
        yield WholeFile(self.text, self.path, settings, numbered=False)

    def cell_text(self, index: int) -> str:
        return self.text

    def render(self, cells: dict[int, str]) -> bytes:
        return _encode(self.encoding, cells.get(0, self.text))

    def diff(self, display: str, cells: dict[int, str]) -> Iterator[str]:
        if 0 in cells:
            yield from _unified(self.text, cells[0], display, complete_lines=False)


def _encode(encoding: Encoding, text: str) -> bytes:
    try:
        return encoding.encode(text)
    except UnicodeEncodeError as exc:
        raise DocumentError(f"the fixed code cannot be written as {exc.encoding}") from None


def _unified(old: str, new: str, name: str, complete_lines: bool) -> Iterator[str]:
    """A unified diff; a last line without a line break gets one (cells) or git's marker (files)."""
    def lines(text: str) -> list[str]:
        found = text.splitlines(keepends=True)
        if complete_lines and found and not found[-1].endswith(("\n", "\r")):
            found[-1] += "\n"
        return found

    from .engine import linediff  # here: only a diff needs it

    for line in linediff.unified(lines(old), lines(new), fromfile=f"a/{name}", tofile=f"b/{name}"):
        yield line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"


# The markers of cells in a script (VS Code, Spyder, Jupytext's percent format, exported notebooks).
_CELL_MARKERS = ("# %%", "#%%", "# In[")


# --- notebooks ------------------------------------------------------------------------------


class CodeCells(Program):
    """A notebook's code cells joined into one program."""

    def __init__(self, joined: JoinedCells, path: Path | None, settings: Settings,
                 unseen: frozenset[str] = frozenset()) -> None:
        super().__init__(joined.text, path, settings, numbered=True)
        self.joined = joined
        self.tree = joined.tree  # parsed while the cells were joined
        self.unseen = unseen  # what the code cells left out (not Python) may read

    def locate(self, line: int, text: str) -> tuple[int, int]:
        where = self.joined.locator(text)(line)
        return where.cell - 1, where.line

    def describe(self, message: str) -> str:
        return self.joined.describe(message, self.text)

    def hidden_names(self) -> frozenset[str]:
        return names_read_by_magics(self.joined.originals) | self.unseen | names_in_ipython_calls(self.text)

    def anchored(self) -> tuple[str, ...]:
        # the cells are cut apart again at the separators; a masked magic line stays where it runs
        return (self.joined.separator, self.joined.token)

    def installs(self) -> dict[str, str]:
        """The packages a ``!pip install`` cell line installs, each with the masked line that does
        it first: a new import of one goes below that line when the new code first needs it there.
        A notebook that installs SDK v1 itself installs the rest on its first such line (see cells)."""
        found: dict[str, str] = {}
        for number, original in enumerate(self.joined.originals):
            for package in installed_by(original):
                found.setdefault(package, f"# {self.joined.token}{number}")
        setup = self._v1_setup()
        if setup is not None:
            for package in DISTRIBUTIONS:
                found.setdefault(package, f"# {self.joined.token}{setup}")
        return found

    def cells(self, text: str) -> dict[int, str]:
        """The cells of the fixed ``text``; where the notebook installs SDK v1 itself, that line
        also installs what the fixed code newly imports and no line installs (audit i: the migrated
        cells imported azure.ai.ml, which the notebook's own environment did not have)."""
        setup = self._v1_setup()
        missing = self._needed(text) if setup is not None else []
        if not missing:
            return dict(zip(self.joined.cells, self.joined.split(text)))
        originals = list(self.joined.originals)
        originals[setup] = with_distributions(originals[setup], missing)  # type: ignore[index]
        return dict(zip(self.joined.cells, self.joined.split(text, originals)))

    def _v1_setup(self) -> int | None:
        """The first masked line that installs SDK v1 from a plain list of packages."""
        return next((n for n, line in enumerate(self.joined.originals) if installs_v1_plainly(line)), None)

    def _needed(self, text: str) -> list[str]:
        """The distributions of the packages ``text`` imports and the notebook neither imported
        before the fix nor installs on any line."""
        installed = {package for line in self.joined.originals for package in installed_by(line)}
        before, after = _imported_packages(self.text), _imported_packages(text)
        return [d for package in DISTRIBUTIONS if package in after - before - installed for d in DISTRIBUTIONS[package]]


_IMPORT_OF = re.compile(r"^[ \t]*(?:from|import)[ \t]+(" + "|".join(re.escape(p) for p in DISTRIBUTIONS) + r")\b",
                        re.MULTILINE)


def _imported_packages(text: str) -> set[str]:
    return set(_IMPORT_OF.findall(text))


class WrittenCell(Program):
    """The body of a ``%%writefile x.py`` cell: the file the notebook writes."""

    def __init__(self, written: WrittenFile, path: Path | None, settings: Settings,
                 appended_at: int | None = None) -> None:
        super().__init__(written.body, path, settings, numbered=True)
        self.written = written
        if written.append:
            self.refusal = APPEND_REFUSAL
        elif appended_at is not None:  # the later cell's code may use what this one imports
            self.refusal = APPENDED_REFUSAL.format(appended_at + 1)

    def locate(self, line: int, text: str) -> tuple[int, int]:
        return self.written.cell, line + self.written.offset

    def cells(self, text: str) -> dict[int, str]:
        return {self.written.cell: self.written.header + text}


def _appended_at(written: list[WrittenFile], paths: list[Path | None], number: int) -> int | None:
    """The first later cell that appends (``%%writefile -a``) to the file cell ``number`` writes."""
    for later, path in zip(written[number + 1:], paths[number + 1:]):
        same = path == paths[number] if path is not None else later.target == written[number].target
        if later.append and same:
            return later.cell
    return None


class NotebookDocument(Document):
    """A notebook: the code cells as one program, and one program per ``%%writefile`` of Python."""

    is_notebook = True

    def __init__(self, data: bytes, path: Path | None) -> None:
        super().__init__(data, path)
        self.notebook: Notebook = read_notebook(data)
        self.parts: Parts = take_apart(self.notebook)
        self.skipped = list(self.parts.skipped)

    def programs(self, settings: Settings) -> Iterator[Program]:
        # A code cell that is not Python (a syntax error) still runs as far as it can: any
        # name it spells may be one it reads, so its imports and bindings stay.
        unseen = frozenset(name for index, _ in self.parts.skipped
                           for name in names_spelled(cell_text(self.notebook.cells[index])))
        main = CodeCells(self.parts.program, self.path, settings, unseen)
        yield main
        if not self.parts.written:
            return
        # The written files need the notebook's names before any fix (``script=`` and the
        # constants that expand ``$folder/train.py``).
        model = main.model if main.model is not None else analyse(main.text, path=self.path, settings=settings).model
        fixed = main.fixed_text if main.fixed_text is not None else main.text
        # which calls still run a written file once the cells are fixed (the cells' fix came first)
        left = model if fixed == main.text else analyse(fixed, path=self.path, settings=settings).model
        launched = Launched(left, lambda line: main.line_name(line, fixed), fixed)
        where = self.path.parent if self.path is not None else Path.cwd()
        paths = [written_path(written, where, model, self.parts) for written in self.parts.written]
        for number, written in enumerate(self.parts.written):
            language = written.language(model, self.parts)
            if language == "other":
                continue  # YAML, CSV, .amlignore...: never Python
            problem = parse_problem(written.body)
            if problem is not None:
                if language == "python":  # a .py file that does not parse; an unknown target is skipped silently
                    self.skipped.append((written.cell, problem))
                continue
            yield WrittenCell(written, paths[number],
                              written_settings(written, where, self.path, self.parts, model, settings, launched),
                              _appended_at(self.parts.written, paths, number))
        self.skipped.sort()

    def cell_text(self, index: int) -> str:
        return cell_text(self.notebook.cells[index])

    def render(self, cells: dict[int, str]) -> bytes:
        return self.notebook.with_sources(cells)

    def unwritable(self) -> str | None:
        if self.notebook.layout is not None:
            return None
        return LAYOUT_REFUSAL.format(where=layout_difference(self.notebook))

    def diff(self, display: str, cells: dict[int, str]) -> Iterator[str]:
        for index in sorted(cells):
            yield from _unified(self.cell_text(index), cells[index], f"{display}:{self.where(index)}", complete_lines=True)
