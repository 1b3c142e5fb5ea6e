"""The Python inside a Jupyter notebook's cells, for the notebook document.

The engine only knows Python modules, so a notebook's code cells become modules:

* the **program**: every code cell in order, joined with unique separator
  comments, so a config built in cell 3 and submitted in cell 7 resolve as in
  one kernel session.  IPython magics (``%``, ``!``, ``?`` lines, and the magic
  lines of the cell magics that run their body as Python) are masked with
  placeholder comments of the same line count; other ``%%`` cells are left
  out, and a cell that is still not Python is skipped and reported;
* one module per ``%%writefile`` cell whose target is a Python file: its body
  is the file the notebook writes, usually a training script.

A fixer's output is cut back into cells at the separators and the masked lines
are put back; if a separator or a placeholder moved, nothing is written.  The
file-level side (which cells changed, the bytes) is :mod:`.documents`.
"""

from __future__ import annotations

import ast
import bisect
import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .engine import Settings, files, project
from .engine.fixing.outcome import FixError
from .engine.memo import ByContent
from .engine.names import Const, Model
from .engine.source import tree_if_mentioned
from .notebook_files import Notebook, NotebookError, cell_text, read_notebook

SUFFIX = ".ipynb"
# Autosaved copies of notebooks, never the user's code, beyond Jupyter's .ipynb_checkpoints (which
# the walk skips as ruff does): the folder an Azure ML compute instance saves into, often committed.
CHECKPOINT_FOLDERS = frozenset({".ipynb_aml_checkpoints"})
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_BREAK = re.compile(r"(\r\n|\r|\n)$")
_HELP = re.compile(r"^\s*%{0,2}[A-Za-z_*][\w*]*(?:\.[A-Za-z_*][\w*]*|\[\d+\])*\?\??\s*$")
_ASSIGNED_MAGIC = re.compile(r"^\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]")
_PROGRAM_LINE = re.compile(r"\bline (\d+)\b")  # (the engine's references to the program's lines)
_EXPANSION = re.compile(r"\$\{?([A-Za-z_]\w*)\}?|\{([A-Za-z_]\w*)\}")

# Cell magics whose body IPython runs as Python in the notebook's namespace
# (IPython.core.magics: %%time, %%timeit and %%prun run transform_cell(body),
# %%capture runs run_cell(body)).  For %%timeit and %%prun the magic line may
# also carry Python after its options (timeit's setup statement, the first line
# of the profiled code); the value is the getopt letters of the options that
# take an argument, so the statement's column can be found.  %%timeit's body
# runs inside a function, so its assignments do not reach later cells; the
# analysis treats them as module-level, which only adds uses and bindings of
# names the notebook already has.
PYTHON_CELL_MAGICS: dict[str, str | None] = {"%%time": None, "%%capture": None, "%%timeit": "nrp", "%%prun": "DlsT"}
WRITEFILE_MAGICS = ("%%writefile", "%%file")
_STATEMENT_PREFIX = "pass;"


@dataclass(frozen=True)
class NotebookLocation:
    """A line inside a notebook cell; cells are numbered from 1 over all cells, as ruff does."""

    cell: int
    line: int

    def __str__(self) -> str:
        return f"cell {self.cell}:{self.line}"


def is_notebook(path: Path | str | None) -> bool:
    return path is not None and str(path).endswith(SUFFIX)


# --- masking --------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _code_part(line: str, quote: str | None, depth: int) -> tuple[str | None, int, bool]:
    """Scan one physical line: (open string quote, bracket depth, ends with a backslash)."""
    i, body = 0, _BREAK.sub("", line)
    while i < len(body):
        char = body[i]
        if quote is not None:
            if char == "\\":
                i += 2
                continue
            if body.startswith(quote, i):
                i += len(quote)
                quote = None
                continue
            i += 1
            continue
        if char == "#":
            return quote, depth, False
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char in "'\"":
            quote = char * 3 if body.startswith(char * 3, i) else char
            i += len(quote)
            continue
        i += 1
    continued = body.endswith("\\")
    if quote in ("'", '"') and not continued:
        quote = None  # an unterminated one-line string: a syntax error ast will report
    return quote, depth, continued and quote is None


# A cheap test for a cell that may hold a magic line: one starting with % ! or ?, a
# help line ending with ?, or an assignment from a magic.  Only such cells are scanned.
_MAYBE_MAGIC = re.compile(r"^[ \t]*[%!?]|\?[ \t]*(?:\r\n|\r|\n|$)|=[ \t]*[%!]", re.M)


def _is_magic(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("%", "!", "?")) or bool(_HELP.match(line) or _ASSIGNED_MAGIC.match(line))


_EXPANDED = re.compile(r"\{([^{}]*)\}|\$([A-Za-z_][\w.]*)")  # IPython expands {expr} and $name in magic lines
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
# line magics whose arguments are Python expressions or variable names
_PYTHON_MAGICS = frozenset({"time", "timeit", "prun", "store", "debug", "who", "whos", "psource", "pinfo", "pinfo2"})


def names_spelled(text: str) -> frozenset[str]:
    """Every identifier-like word of a text (a cell that does not parse)."""
    return frozenset(_IDENTIFIER.findall(text))


# What a ``pip install`` of a distribution the fixes import from makes importable: the package
# (as the import placement names it, by its part under the ``azure`` namespace).
_INSTALLED_PACKAGES = {"mlflow": "mlflow", "mlflow-skinny": "mlflow", "azureml-mlflow": "mlflow",
                       "azure-ai-ml": "azure.ai.ml", "azure-identity": "azure.identity", "mltable": "mltable",
                       "azure-core": "azure.core"}
# The distributions that make each package importable, as a notebook's own install line adds them
# (MLflow reaches an Azure ML workspace through the azureml-mlflow plugin).
DISTRIBUTIONS = {"azure.ai.ml": ("azure-ai-ml",), "azure.identity": ("azure-identity",),
                 "mlflow": ("mlflow", "azureml-mlflow"), "mltable": ("mltable",), "azure.core": ("azure-core",)}
_PIP_INSTALL = re.compile(r"^\s*[!%]\s*pip3?\s+install\s+(.*)$")
# SDK v1's distributions: a notebook that installs one sets up its own environment
_V1_DISTRIBUTIONS = ("azureml-sdk", "azureml-core", "azureml-pipeline", "azureml-train", "azureml-widgets",
                     "azureml-automl", "azureml-contrib", "azureml-explain", "azureml-interpret", "azureml-defaults",
                     "azureml-dataset-runtime", "azureml-opendatasets", "azureml-tensorboard", "azureml-datadrift")
# what a plain list of packages and options may hold: no shell syntax, no requirements file
_PLAIN_ARGUMENTS = re.compile(r"^[\w.\-\[\],=~! ]*$")
_QUOTED_SPEC = re.compile(r"'[\w.\-\[\],=~!<> ]*'" + r'|"[\w.\-\[\],=~!<> ]*"')
# the options that leave how pip finds and installs each package alone (not --no-deps, --no-index...)
_HARMLESS_OPTIONS = frozenset({"-q", "-qq", "-qqq", "--quiet", "-U", "--upgrade", "--user", "--pre", "-v", "--verbose",
                               "--no-cache-dir", "--force-reinstall", "--disable-pip-version-check",
                               "--no-warn-script-location", "-Uq", "-qU"})


def _distribution(word: str) -> str:
    """The distribution a requirement names, normalised: ``'Azure_ML-SDK[x]>=1'`` -> ``azure-ml-sdk``."""
    return re.split(r"[\[<>=!~;]", word.strip("'\""), maxsplit=1)[0].lower().replace("_", "-")


def installed_by(line: str) -> list[str]:
    """The packages a ``!pip install`` / ``%pip install`` magic line installs, of those the fixes
    import from (``!pip install --upgrade mlflow azureml-mlflow`` -> ``mlflow``)."""
    match = _PIP_INSTALL.match(line.rstrip("\r\n"))
    if match is None:
        return []
    found = []
    for word in match.group(1).split():
        if word.startswith("-"):
            continue
        name = _distribution(word)
        if name in _INSTALLED_PACKAGES and _INSTALLED_PACKAGES[name] not in found:
            found.append(_INSTALLED_PACKAGES[name])
    return found


def installs_v1_plainly(line: str) -> bool:
    """Whether a ``!pip install`` / ``%pip install`` line installs an SDK v1 distribution from a
    plain list, to which the packages the migrated code imports can be added."""
    match = _PIP_INSTALL.match(line.rstrip("\r\n"))
    if match is None or line[:1] in " \t":
        return False  # (a line inside a block may not run: ``except ImportError:``, review 58 M1)
    unquoted = _QUOTED_SPEC.sub("", match.group(1))  # (a quoted 'azureml-sdk<2' is no redirection)
    if not _PLAIN_ARGUMENTS.match(unquoted) or "'" in unquoted or '"' in unquoted:
        return False
    words = match.group(1).split()
    if any(word.startswith("-") and word not in _HARMLESS_OPTIONS for word in words):
        return False
    names = [_distribution(word) for word in words if not word.startswith("-")]
    return any(name == v1 or name.startswith(v1 + "-") for name in names for v1 in _V1_DISTRIBUTIONS)


def with_distributions(line: str, distributions: list[str]) -> str:
    """The install line with ``distributions`` added at its end (its line break kept)."""
    body = line.rstrip("\r\n")
    code = body.rstrip()
    return f"{code} {' '.join(distributions)}{body[len(code):]}{line[len(body):]}"


def names_read_by_magics(lines: list[str]) -> frozenset[str]:
    """The Python names that masked magic lines may read: what IPython expands in them
    (``!echo {ws.name}``, ``$path``) and the arguments of magics that take Python
    (``%store ws``, ``%time run.wait_for_completion()``); ``*`` (any name) for a file run
    in the notebook's namespace (``%run -i``).  Help (``Workspace?``) only shows what a
    name holds: after a migration it may say the name is gone, and that is all."""
    found: set[str] = set()
    for line in lines:
        stripped = line.strip()
        for match in _EXPANDED.finditer(stripped):
            found.update(_IDENTIFIER.findall(match.group(1) or match.group(2)))
        if _ASSIGNED_MAGIC.match(stripped):  # ``ws = %time Workspace.from_config()``: the magic after ``=``
            stripped = stripped[_ASSIGNED_MAGIC.match(stripped).end() - 1:]  # type: ignore[union-attr]
        if stripped.startswith("%") and not stripped.startswith("%%"):
            magic, _, rest = stripped[1:].partition(" ")
            if magic in _PYTHON_MAGICS:
                found.update(_IDENTIFIER.findall(rest))
                if re.search(r"(?<![\w.])(?:exec|eval|globals)\s*\(", rest):  # (not model.eval())
                    found.add("*")  # ``%time exec(open("helper.py").read())``: any name
            elif magic == "run" and any(flag.startswith("-") and not flag.startswith("--") and "i" in flag
                                        for flag in rest.split()):
                found.add("*")  # the file runs in the notebook's namespace: it may read any name
    return frozenset(found)


# What a notebook exported to Python (nbconvert) hands to IPython as text: a cell magic's
# body, a line magic's arguments, a shell line with {expansions}.
_IPYTHON_RUNNERS = frozenset({"run_cell_magic", "run_line_magic", "magic", "system", "getoutput"})


def names_in_ipython_calls(text: str) -> frozenset[str]:
    """The names the strings given to ``get_ipython().run_cell_magic(...)`` and its kin may
    read (``'time', '', 'test = Dataset.get_by_name(workspace, ...)'``): code the engine does
    not see, so bindings of these names keep their names and values."""
    tree = tree_if_mentioned(text, "get_ipython()")
    if tree is None:
        return frozenset()
    found: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _IPYTHON_RUNNERS
                and isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Name)
                and node.func.value.func.id == "get_ipython"):
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            for argument in texts:
                found.update(_IDENTIFIER.findall(argument))
            line = " ".join(texts) if node.func.attr in ("run_line_magic", "magic") else ""
            if line.startswith("run ") and names_read_by_magics([f"%{line}"]):
                found.add("*")  # run_line_magic("run", "-i helper.py"), magic("run -i helper.py"): %run -i
    return frozenset(found)


def cell_magic(text: str) -> str | None:
    """The ``%%name ...`` line a cell starts with, if it is a cell magic."""
    for line in _lines(text):
        if line.strip():
            return line.strip() if line.lstrip().startswith("%%") else None
    return None


def _statement_column(line: str, value_options: str) -> int | None:
    """Where Python starts on a ``%%timeit``/``%%prun`` line after the options, as getopt
    reads them (options end at the first word that does not start with ``-``)."""
    body = _BREAK.sub("", line)
    i = len(body) - len(body.lstrip()) + len(body.split(None, 1)[0])
    needs_value = False
    while True:
        while i < len(body) and body[i] in " \t":
            i += 1
        if i >= len(body):
            return None
        end = i
        while end < len(body) and body[end] not in " \t":
            end += 1
        word = body[i:end]
        if needs_value:
            needs_value = False
        elif word == "--":  # the rest is the statement
            i = end
            while i < len(body) and body[i] in " \t":
                i += 1
            return i if i < len(body) else None
        elif word.startswith("-") and len(word) > 1:
            for position, letter in enumerate(word[1:], 1):
                if letter in value_options:
                    needs_value = position == len(word) - 1  # "-n1" carries its value, "-n 1" does not
                    break
        else:
            return i
        i = end


def mask_magics(text: str, token: str, first: int, statements: dict[int, int] | None = None) -> tuple[str, list[str], list[str]]:
    """Replace IPython magic lines by numbered placeholder comments, from ``first`` on.

    Returns (masked text, original lines, placeholder lines).  Only lines where
    a new statement may start are magic: a ``%`` continuing an expression
    inside brackets stays Python.  An indented placeholder is ``pass`` plus the
    comment, so a block whose only statement was a magic still parses.
    ``statements`` names magic lines (index -> column) that end in Python: their
    placeholder keeps that Python at its column, after a ``pass;``.
    """
    if not statements and not _MAYBE_MAGIC.search(text):
        return text, [], []  # no line can be a magic: nothing to scan
    out: list[str] = []
    originals: list[str] = []
    placeholders: list[str] = []
    quote: str | None = None
    depth, continued, in_magic = 0, False, False
    for index, line in enumerate(_lines(text)):
        at_start = quote is None and depth == 0 and not continued
        if in_magic or (at_start and _is_magic(line)):
            match = _BREAK.search(line)
            ending = match.group(1) if match else ""
            number = f"# {token}{first + len(originals)}"
            column = (statements or {}).get(index)
            if column is not None:
                code = _BREAK.sub("", line)[column:]
                placeholder = f"{_STATEMENT_PREFIX}{' ' * (column - len(_STATEMENT_PREFIX))}{code}  {number}{ending}"
            else:
                indent = "" if in_magic else line[: len(line) - len(line.lstrip())]
                statement = "pass  " if indent else ""
                placeholder = f"{indent}{statement}{number}{ending}"
            out.append(placeholder)
            originals.append(line)
            placeholders.append(placeholder)
            in_magic = column is None and _BREAK.sub("", line).endswith("\\")
            continue
        out.append(line)
        quote, depth, continued = _code_part(line, quote, depth)
    return "".join(out), originals, placeholders


def _parsed(text: str) -> tuple[ast.Module | None, str | None]:
    """The tree of ``text``, or the one-line reason it is not Python."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text), None
    except SyntaxError as exc:
        return None, f"syntax error: {exc.msg} (line {exc.lineno})"
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, f"cannot parse: {type(exc).__name__}: {exc}".rstrip(": ")


def parse_problem(text: str) -> str | None:
    """None when ``text`` is Python, else a one-line reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as exc:
        return f"syntax error: {exc.msg} (line {exc.lineno})"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"cannot parse: {type(exc).__name__}: {exc}".rstrip(": ")
    return None


@dataclass(frozen=True)
class CellKind:
    """What IPython runs a code cell as."""

    kind: str  # "python", "writefile" or "other" (a cell magic whose body is not Python)
    statements: dict[int, int] = field(default_factory=dict)  # magic lines ending in Python: index -> column


def cell_kind(text: str) -> CellKind:
    """Follow the cell's leading cell magics: each of PYTHON_CELL_MAGICS hands the rest
    of the cell (blank lines dropped) to IPython again, so they may be stacked."""
    lines = _lines(text)
    statements: dict[int, int] = {}
    index = 0
    while True:
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index == len(lines) or not lines[index].lstrip().startswith("%%"):
            return CellKind("python", statements)
        name = lines[index].split()[0]
        if name in WRITEFILE_MAGICS and not statements and index == _first_line(lines):
            return CellKind("writefile")
        if name not in PYTHON_CELL_MAGICS:
            return CellKind("other")
        options = PYTHON_CELL_MAGICS[name]
        if options is not None:
            column = _statement_column(lines[index], options)
            if column is not None and column >= len(_STATEMENT_PREFIX):
                statements[index] = column
        index += 1


def _first_line(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip()), 0)


# --- the notebook's program ------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenFile:
    """A ``%%writefile`` cell: a file the notebook writes when it runs."""

    cell: int  # 0-based index in the notebook
    header: str  # the cell's text up to and including the %%writefile line
    body: str
    target: str  # as written in the magic
    append: bool

    @property
    def offset(self) -> int:
        return len(_lines(self.header))

    def location(self, line: int) -> NotebookLocation:
        return NotebookLocation(self.cell + 1, line + self.offset)

    def language(self, model: Model | None, parts: Parts | None = None) -> str:
        """"python" for a ``.py`` target, "other" for any other, "unknown" when the
        target's name depends on a variable this tool cannot resolve."""
        expanded = written_target(self, model, parts)
        name = os.path.basename(expanded if expanded is not None else self.target)
        if expanded is None and ("$" in name or "{" in name):
            return "unknown"
        return "python" if os.path.splitext(name)[1] == ".py" else "other"


@dataclass
class Program:
    """The code cells joined into one module, with what is needed to cut it back into cells."""

    text: str
    cells: list[int]  # 0-based notebook index of each part, in order
    separator: str  # separator n is the line f"{separator}{n}"
    token: str  # placeholder n ends with f"{token}{n}"
    originals: list[str]  # the magic line placeholder n stands for
    placeholders: list[str]
    endings: list[bool]  # whether each cell's source ended with a line break (or was empty)
    tree: ast.Module | None = None  # the joined cells, parsed once (the analysis reuses it)
    # whether each cell's source began with code: a fix that removes a cell's first lines (an import)
    # leaves no blank lines at the top of the cell, where nothing set them off from
    opens_with_code: list[bool] = field(default_factory=list)
    # whether each cell's source ended with a line of code: blank lines a fix leaves at its end (after
    # helpers it put there, or where it removed the last statements) go, as nothing follows in the cell
    closes_with_code: list[bool] = field(default_factory=list)
    # each cell's line break when all its lines end with the same one: lines a fix writes there get it
    # too (the joined program writes the break its first line has, which another cell may not)
    breaks: list[str | None] = field(default_factory=list)

    def _tidied(self, part: int) -> bool:
        return part < len(self.opens_with_code) and self.opens_with_code[part]

    def _closed(self, part: int) -> bool:
        return part < len(self.closes_with_code) and self.closes_with_code[part]

    def locator(self, text: str) -> Callable[[int], NotebookLocation]:
        """Where line n of ``text`` (this program or the fixer's version of it) is; built
        once per text (one pass), each lookup is a bisection."""
        cache = self.__dict__.setdefault("_locators", {})
        if text not in cache:
            cache[text] = self._locator(text)
        return cache[text]

    def _locator(self, text: str) -> Callable[[int], NotebookLocation]:
        firsts, parts = [1], [0]  # the first line of each part, and its number
        for number, physical in enumerate(_lines(text), 1):
            if physical.startswith(self.separator):
                firsts.append(number + 1)
                parts.append(int(physical[len(self.separator):]))

        lines = _lines(text)
        for at, part in enumerate(parts):  # a part's first line is its first line of code (see split)
            if self._tidied(part):
                while firsts[at] <= len(lines) and not lines[firsts[at] - 1].strip():
                    firsts[at] += 1
        cells = self.cells  # not self: the program keeps this function, and a cycle waits for the collector

        def locate(line: int) -> NotebookLocation:
            at = max(0, bisect.bisect_right(firsts, line) - 1)
            return NotebookLocation(cells[parts[at]] + 1, line - firsts[at] + 1)

        return locate

    def split(self, text: str, originals: list[str] | None = None) -> list[str]:
        """Cut the fixer's output back into cell texts, magics restored (as ``originals`` has them,
        when given); raises FixError."""
        originals = self.originals if originals is None else originals
        parts: list[list[str]] = [[]]
        restored = 0
        for physical in _lines(text):
            if physical.startswith(self.separator):
                if physical.rstrip("\r\n") != f"{self.separator}{len(parts)}":
                    raise FixError("a fix moved a cell boundary; nothing was written")
                parts.append([])
            elif self.token in physical:
                body = _BREAK.sub("", physical)
                if restored >= len(self.placeholders) or body != _BREAK.sub("", self.placeholders[restored]):
                    raise FixError("a fix moved or changed a masked magic line; nothing was written")
                original = originals[restored]
                # A cell's last line has no break; the program gave it one, which split() drops again.
                parts[-1].append(original if _BREAK.search(original) else original + physical[len(body):])
                restored += 1
            elif self.separator.strip() in physical:
                raise FixError("a fix changed a cell boundary; nothing was written")
            else:
                parts[-1].append(physical)
        if len(parts) != len(self.cells) or restored != len(self.placeholders):
            raise FixError("a fix removed a cell boundary or a masked magic line; nothing was written")
        for number, lines in enumerate(parts):
            if self._tidied(number):
                while lines and not lines[0].strip():
                    lines.pop(0)
            if self._closed(number):
                while lines and not lines[-1].strip():
                    lines.pop()
            wanted = self.breaks[number] if number < len(self.breaks) else None
            if wanted is not None:
                lines[:] = [_BREAK.sub(wanted, line) for line in lines]
        texts = ["".join(p) for p in parts]
        # a cell that ended without a line break gets none back (the program gave it "\n")
        return [t if ends else _BREAK.sub("", t) for t, ends in zip(texts, self.endings)]

    def describe(self, message: str, text: str) -> str:
        """The engine names related lines of the program ("on line 14", "in a loop at line 12");
        name their cells instead."""
        if "line " not in message:
            return message
        locate = self.locator(text)
        return _PROGRAM_LINE.sub(lambda m: str(locate(int(m.group(1)))), message)


@dataclass
class Parts:
    """A notebook taken apart: the program, the written files, and the cells left out."""

    notebook: Notebook
    program: Program
    written: list[WrittenFile] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (0-based cell, reason)


def _nonce(data: bytes) -> str:
    import hashlib  # only notebooks need a marker; a .py check does not load it

    digest = hashlib.sha1(data).hexdigest()
    for size in range(8, 41, 4):
        if f"aml{digest[:size]}".encode() not in data:
            return f"aml{digest[:size]}"
    raise NotebookError("cannot find a marker that does not occur in the notebook")


def _masked_cell(text: str, kind: CellKind, token: str, first: int) -> tuple[str, list[str], list[str], str | None]:
    masked, originals, placeholders = mask_magics(text, token, first, kind.statements)
    problem = parse_problem(masked)
    if problem is not None and kind.statements:  # the Python after the options is not Python: mask the lines whole
        masked, originals, placeholders = mask_magics(text, token, first)
        problem = parse_problem(masked)
    return masked, originals, placeholders, problem


def take_apart(notebook: Notebook) -> Parts:
    """The notebook as programs.  Most notebooks' code cells are Python once their
    magics are masked: they are joined and parsed once.  Only when that fails is each
    cell checked on its own, so that the cells that are not Python can be skipped."""
    fast = _take_apart(notebook, check_cells=False)
    if fast is not None:
        return fast
    careful = _take_apart(notebook, check_cells=True)
    assert careful is not None
    return careful


def _take_apart(notebook: Notebook, check_cells: bool) -> Parts | None:
    nonce = _nonce(notebook.data)
    separator, token = f"# azureml-v2 cell {nonce} ", f"azureml-v2 magic {nonce} "
    program = Program("", [], separator, token, [], [], [])
    parts = Parts(notebook, program)
    if not notebook.is_python():
        return parts
    chunks: list[str] = []
    for index, cell in enumerate(notebook.cells):
        if cell.get("cell_type") != "code":
            continue
        text = cell_text(cell)
        kind = cell_kind(text)
        if kind.kind == "writefile":
            written = _written_file(index, text)
            if written is not None:
                parts.written.append(written)
            continue
        if kind.kind != "python":
            continue
        if check_cells:
            masked, originals, placeholders, problem = _masked_cell(text, kind, token, len(program.originals))
            if problem is not None:
                parts.skipped.append((index, problem))
                continue
        else:
            masked, originals, placeholders = mask_magics(text, token, len(program.originals), kind.statements)
        if program.cells:
            chunks.append(f"{separator}{len(program.cells)}\n")
        chunks.append(masked if not masked or masked.endswith(("\n", "\r")) else masked + "\n")
        program.cells.append(index)
        program.originals.extend(originals)
        program.placeholders.extend(placeholders)
        program.endings.append(not text or text.endswith(("\n", "\r")))
        lines = _lines(text)
        program.opens_with_code.append(bool(lines and lines[0].strip()))
        program.closes_with_code.append(bool(lines and lines[-1].strip()))
        program.breaks.append(_one_break(lines))
    program.text = "".join(chunks)
    program.tree, problem = _parsed(program.text)
    if problem is not None:
        if not check_cells:
            return None
        raise NotebookError(f"the code cells are Python one by one but not together ({problem})")
    return parts


def _one_break(lines: list[str]) -> str | None:
    """The line break every broken line of a cell ends with, or None (mixed, or no break at all)."""
    found = {match.group(1) for match in map(_BREAK.search, lines) if match is not None}
    return found.pop() if len(found) == 1 else None


def _written_file(index: int, text: str) -> WrittenFile | None:
    lines = _lines(text)
    header_size = _first_line(lines) + 1
    words = lines[header_size - 1].strip().split(None, 1)
    rest = words[1] if len(words) > 1 else ""
    import shlex  # here: only a cell that writes a file needs it

    try:
        arguments = shlex.split(rest)
    except ValueError:
        arguments = rest.split()
    names = [a for a in arguments if not a.startswith("-")]
    if len(names) != 1:
        return None
    append = any(a in ("-a", "--append") for a in arguments)
    return WrittenFile(index, "".join(lines[:header_size]), "".join(lines[header_size:]), names[0], append)


def written_script(path: Path, folder: str | None, script: str) -> str | None:
    """The text a notebook writes to ``script`` (in ``folder``) with ``%%writefile`` cells, the
    appends included, or None: what the job that runs it will read, though no file holds it yet."""
    text: str | None = None
    for written in _cells_writing(path, folder, script) or []:
        text = (text or "") + written.body if written.append else written.body
    return text


def _cells_writing(path: Path, folder: str | None, script: str) -> list[WrittenFile] | None:
    """The ``%%writefile`` cells of the notebook that write the file a call runs as ``script`` (in
    ``folder``), in order; None for a notebook that cannot be read."""
    try:
        data = files.read_regular(path, limit=20_000_000)
        every = _WRITTEN.get(data, lambda: _written_files(data))
    except (OSError, files.TooLarge, NotebookError):
        return None
    # each target with its names as they stand when its cell runs: ``$folder_a/train.py`` and
    # ``$folder_b/train.py`` are two files (audit, stop 63, d M1: the second one's text was read for the first)
    targets = [expand(written.target, None) if _EXPANSION.search(written.target) is None
               else _expanded(path, written) for written in every]
    here = _written_here(targets)
    return [written for written, target in zip(every, targets)
            if _may_run_it(written, target, folder, script, None, path.parent, here)]


def _written_files(data: bytes) -> tuple[WrittenFile, ...]:
    """Every ``%%writefile`` cell of a notebook, in order (worked out once per content: a launcher's
    fix asks of each script it runs)."""
    found = []
    for index, cell in enumerate(read_notebook(data).content.get("cells", [])):
        source = cell_text(cell) if isinstance(cell, dict) and cell.get("cell_type") == "code" else ""
        written = _written_file(index, source) if cell_kind(source).kind == "writefile" else None
        if written is not None:
            found.append(written)
    return tuple(found)


_WRITTEN: ByContent[tuple[WrittenFile, ...]] = ByContent(64)


def writes_named_file(path: Path, folder: str | None, script: str) -> bool:
    """Does a ``%%writefile`` cell of the notebook write, by a literal target, the very file a call
    names as ``script`` in ``folder``?  That call runs the file the notebook writes, not another
    file of that name elsewhere in the project."""
    if folder is not None and folder.startswith(project.UNKNOWN_FOLDER):
        return False
    wanted = os.path.normpath(os.path.join(folder or ".", script))
    for written in _cells_writing(path, folder, script) or []:
        target = written.target if expand(written.target, None) is not None else _expanded(path, written)
        if target is not None and os.path.normpath(target.replace("\\", "/")) == wanted:
            return True
    return False


def _expanded(path: Path, written: WrittenFile) -> str | None:
    """A ``%%writefile $folder/train.py`` target with its names as they stand when the cell runs,
    read from the notebook's own code (``folder = 'diabetes_training'`` in an earlier cell), or
    None (audit q: two notebooks each writing their own ``train.py`` into a folder named so)."""
    try:
        data = files.read_regular(path, limit=20_000_000)
        found = _MODELS.get(data, lambda: _notebook_model(data))
    except (OSError, files.TooLarge, NotebookError):
        return None
    return written_target(written, found[1], found[0]) if found is not None else None


def _notebook_model(data: bytes) -> tuple[Parts, Model] | None:
    """The notebook taken apart, and the name model of its cells' code (None: not Python)."""
    from .v1api import SURFACE  # (the names a call of the notebook's code resolves to)

    parts = take_apart(read_notebook(data))
    tree = tree_if_mentioned(parts.program.text, "")
    return (parts, Model(tree, parts.program.text, surface=SURFACE)) if tree is not None else None


_MODELS: ByContent[tuple[Parts, Model] | None] = ByContent(16)


def written_name(written: WrittenFile, target: str | None) -> str | None:
    """The file name a written file's own fix knows it by (the magic's, when its folder is not
    known here), or None: a name this fix does not spell out."""
    name = os.path.basename(target) if target is not None else os.path.basename(written.target.replace("\\", "/"))
    return name if name and not re.search(r"[${}]", name) else None


def written_script_named(path: Path, folder: str | None, script: str) -> bool:
    """Every ``%%writefile`` cell of the notebook that writes ``script`` spells its file name, so
    the fix of that cell can find the call that runs it (see :func:`written_settings`)."""
    cells = _cells_writing(path, folder, script)
    return cells is not None and all(written_name(written, None) is not None for written in cells)


# --- training-script evidence for written files --------------------------------------------


def expand(target: str, model: Model | None, before: Callable[[int], bool] | None = None) -> str | None:
    """The target with IPython's ``$name`` / ``{name}`` expanded from constants; None if unknown.
    ``before``: which program lines come before the magic's cell; the value is then the one the
    name holds there (a later cell may bind it again), not the notebook's last."""
    unknown = False

    def value(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match.group(1) or match.group(2)
        binding = model.module_scope.names.get(name) if model is not None else None
        if model is not None and before is not None:
            earlier = [b for b in model.bindings if b.name == name and b.scope.kind == "module"
                       and before(getattr(b.node, "lineno", 0))]
            binding = earlier[-1] if earlier and not earlier[-1].conditional else None
        if binding is None or not isinstance(binding.value, Const):
            unknown = True
            return match.group(0)
        return binding.value.value

    expanded = _EXPANSION.sub(value, target)
    return None if unknown else expanded


def _names_it(written: WrittenFile, target: str | None, folder: str | None, script: str,
              model: Model | None = None) -> bool:
    """Does a call's ``script`` (in ``folder``) name the file the cell writes?  With the notebook's
    ``model``, a file whose very name this tool cannot know may be any script the notebook runs."""
    if folder is not None and folder.startswith(project.UNKNOWN_FOLDER):
        folder = None
    if target is None:  # the folder is a variable this tool cannot know: compare file names
        name = os.path.basename(os.path.normpath(written.target))
        if model is not None and _EXPANSION.search(name):
            name = _written_name(name, model) or ""
            if not name:
                return True
        return name == os.path.basename(os.path.normpath(script))
    target = os.path.normpath(target)
    if folder is not None:
        return target == os.path.normpath(os.path.join(folder, script))
    wanted = os.path.normpath(script)
    return target == wanted or target.endswith(os.sep + wanted)


def _may_run_it(written: WrittenFile, target: str | None, folder: str | None, script: str, model: Model | None,
                where: Path, written_here: frozenset[str] = frozenset()) -> bool:
    """A call runs the file the cell writes, or may: it names a script of that name where no such
    file is (the cells copy the written file there first, or make the folder at run time), as a
    launcher beside a script does (:meth:`.engine.project.ProjectIndex.unplaced_references_to`),
    unless another cell writes the very file it names (``written_here``: the targets the cells write)."""
    if _names_it(written, target, folder, script, model):
        return True
    if target is None or os.path.basename(os.path.normpath(script)) != os.path.basename(os.path.normpath(target)):
        return False
    inside = "" if folder is None or folder.startswith(project.UNKNOWN_FOLDER) else folder
    named = os.path.normpath(os.path.join(inside, script))
    return named not in written_here and not os.path.isfile(os.path.normpath(where / named))


def _targets(parts: Parts, model: Model, text: str) -> list[str | None]:
    """Where each ``%%writefile`` cell writes, with its names as they stand when the cell runs
    (``text``: the cells' code that ``model`` reads, as first taken apart or as fixed since)."""
    return [written_target(written, model, parts, text) for written in parts.written]


def _written_here(targets: list[str | None]) -> frozenset[str]:
    return frozenset(os.path.normpath(target) for target in targets if target is not None)


def calls_running_written(path: Path, model: Model, text: str, folder: str | None, script: str,
                          line: int | None = None) -> list[int] | None:
    """The lines of ``text`` (the cells' code, read by ``model``) holding the notebook's calls that may
    run a file its cells write which the call naming ``script`` (in ``folder``) may run: the launchers
    that file's own fix counts (:func:`written_settings`), that call among them.  The call at ``line``
    names its folder as the index reads it (a name bound more than once, by its value there).  None
    when the notebook cannot be read."""
    try:
        parts = take_apart(read_notebook(files.read_regular(path, limit=20_000_000)))
    except (OSError, files.TooLarge, NotebookError):
        return None
    where = path.parent
    targets = _targets(parts, model, text)
    here = _written_here(targets)
    calls = list(project.script_references(model, path))
    folder, script = next(((named_folder, named_script) for named_folder, named_script, reference in calls
                           if reference.line == line and os.path.basename(named_script) == os.path.basename(script)),
                          (folder, script))
    lines: set[int] = set()
    for written, target in zip(parts.written, targets):
        if _may_run_it(written, target, folder, script, model, where, here):
            lines.update(reference.line for named_folder, named_script, reference in calls
                         if _may_run_it(written, target, named_folder, named_script, model, where, here))
    return sorted(lines)


@dataclass(frozen=True)
class Launched:
    """The notebook's cells as its fix leaves them (or None: nothing of v1 is left), and how
    a message names one of their lines: the calls there still run the files it writes."""

    model: Model | None
    line_name: Callable[[int], str]
    text: str | None = None  # the cells' code as fixed


def _written_name(target: str, model: Model) -> str | None:
    """The file name ``$path`` stands for when its folder is unknown: the last string of the one
    value ``path`` is given (``os.path.join(folder, "train.py")``, ``folder + "/train.py"``)."""
    match = re.fullmatch(r"\$\{?([A-Za-z_]\w*)\}?|\{([A-Za-z_]\w*)\}", target)
    if match is None:
        return None
    name = match.group(1) or match.group(2)
    values = [b.node.value for b in model.bindings
              if b.name == name and b.scope.kind == "module" and isinstance(b.node, ast.Assign)]
    last = _last_string(values[0]) if len(values) == 1 else None
    return os.path.basename(last) or None if last else None


def _last_string(node: ast.expr) -> str | None:
    """The string a path expression ends with, where its source shows one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and node.args and not node.keywords:  # os.path.join(...), Path(...)
        return _last_string(node.args[-1])
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
        return _last_string(node.right)
    if isinstance(node, ast.JoinedStr) and node.values:
        return _last_string(node.values[-1])  # type: ignore[arg-type]
    return None


def written_settings(written: WrittenFile, where: Path, path: Path | None, parts: Parts,
                     model: Model | None, settings: Settings, launched: Launched | None = None) -> Settings:
    """Settings for a written file, carrying why it is a training script when the notebook shows it."""
    target = written_target(written, model, parts)
    if target is not None:
        settings = replace(settings, written_at=Path(os.path.normpath(where / target)))
    if model is not None:
        locate = parts.program.locator(parts.program.text)
        name = path.name if path is not None else "the notebook"
        here = _written_here(_targets(parts, model, parts.program.text))
        naming = [reference for folder, script, reference in project.script_references(model, path or Path("-"))
                  if _may_run_it(written, target, folder, script, model, where, here)]
        if naming:
            still = [] if launched is None or launched.model is None else [
                reference for folder, script, reference in project.script_references(launched.model, path or Path("-"))
                if _may_run_it(written, target, folder, script, model, where, here)]
            return replace(settings, training_evidence=(
                f"{name}:{locate(naming[0].line)} names it with {naming[0].parameter}="),
                launchers=tuple(reference.launcher for reference in naming), named_in=path,
                unmigrated_launcher=launched.line_name(still[0].line) if still else None,
                **_as_launched(target, written, launched))
        if target is not None and launched is not None and launched.text is not None \
                and os.path.basename(target) in launched.text:
            # a call the cells' fix (this run's or an earlier one) wrote may run it: what they say goes with it
            settings = replace(settings, named_in=path, **_as_launched(target, written, launched))
    if target is not None and not (where / target).exists():
        pattern = files.matching_pattern(where / target, settings.training_scripts, settings.base)
        if pattern is not None:
            return replace(settings, training_evidence=f"it matches the training-script pattern {pattern!r}")
    return settings


def _as_launched(target: str | None, written: WrittenFile, launched: Launched | None) -> dict[str, object]:
    """The settings that give a written file the cells that run it, as this run leaves them."""
    return {"written_as": written_name(written, target),
            "launcher_text": launched.text if launched is not None else None,
            "launcher_line_name": launched.line_name if launched is not None else None}


def written_path(written: WrittenFile, where: Path, model: Model | None, parts: Parts | None = None) -> Path | None:
    target = written_target(written, model, parts)
    return Path(os.path.normpath(where / target)) if target is not None else None


def written_target(written: WrittenFile, model: Model | None, parts: Parts | None, text: str | None = None) -> str | None:
    """Where the cell writes its file, with the names it uses as they stand when the cell runs
    (``text``: the cells' code that ``model`` reads, when fixed since they were taken apart)."""
    if model is None or parts is None:
        return expand(written.target, model)
    locate = parts.program.locator(parts.program.text if text is None else text)
    return expand(written.target, model, lambda line: locate(line).cell <= written.cell)


# --- the training-script index -------------------------------------------------------------


def index_programs(path: Path, data: bytes) -> Iterator[project.Program]:
    """The Python a notebook holds, for the cross-file index of training scripts (taken apart
    once per content and run: the fixer's project questions read the same notebooks again)."""
    yield from _PROGRAMS.get(data, lambda: _programs_of(data))


_PROGRAMS: ByContent[tuple[project.Program, ...]] = ByContent(128)


def _programs_of(data: bytes) -> tuple[project.Program, ...]:
    try:
        parts = take_apart(read_notebook(data))
    except NotebookError:
        return ()
    program = parts.program
    locate = program.locator(program.text)
    found: list[project.Program] = [(program.text, lambda line: str(locate(line)))]
    for written in parts.written:
        if written.language(None) != "other" and parse_problem(written.body) is None:
            found.append((written.body, lambda line, written=written: str(written.location(line))))
    return tuple(found)


# Registering here keeps the engine ignorant of notebooks: importing this module
# (the runner does) teaches the index to look inside .ipynb files.
project.READERS.setdefault(SUFFIX, index_programs)
