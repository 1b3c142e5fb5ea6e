"""The cross-file index of training scripts.

A file is a training script when an orchestration file of the same project
names it with one of the surface's script parameters (``script=`` and the like).
The index is built lazily, once per project root and process, and only parses
files that contain the surface's marker.

Its cost is bounded whatever the project holds: the walk yields regular files
only (no FIFO or device, even through a link) and honours the excludes, a file
above :data:`MAX_FILE_BYTES` is skipped unread, and the scan stops after
:data:`MAX_FILES` files or :data:`MAX_TOTAL_BYTES` bytes.  Past a bound, the
index knows less (fewer ``script=`` references), never more.
"""

from __future__ import annotations

import ast
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Union

from . import files, modules
from .names import CallSite, Const, Model, Ref
from .settings import Settings
from .source import SourceError, decode, parse
from .surface import Surface

ROOT_MARKERS = (".git", "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".flake8")
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_FILES = 50_000

# suffix -> function giving the Python programs a file of that kind contains.
# Outer layers (notebooks) register more readers; plain Python is built in.  A
# program is a text, or (text, function naming a line of it for messages) when
# its line numbers are not the file's own (a notebook's "cell 3:2").  The first
# program is the file's own code; any further ones are files it writes (%%writefile).
Program = Union[str, tuple[str, Callable[[int], str]]]
SourceReader = Callable[[Path, bytes], Iterable[Program]]
READERS: dict[str, SourceReader] = {".py": lambda path, data: [decode(data)]}


def program_texts(path: Path, data: bytes) -> list[str]:
    """The Python texts of a file as the readers read it (its own code first); none for a
    file no reader reads or that cannot be read (a notebook that is not JSON)."""
    return [text for text, _ in labelled_programs(path, data)]


def labelled_programs(path: Path, data: bytes) -> list[tuple[str, Callable[[int], str] | None]]:
    """:func:`program_texts`, each with how a message names one of its lines (None: as a line of the file)."""
    reader = READERS.get(path.suffix)
    if reader is None:
        return []
    try:
        return [(program, None) if isinstance(program, str) else (program[0], program[1])
                for program in reader(path, data)]
    except ValueError:  # (a UnicodeDecodeError too)
        return []


@dataclass(frozen=True)
class ScriptReference:
    orchestrator: Path
    line: int
    parameter: str
    label: str | None = None  # where the line is, when not a plain line number
    program: int = 0  # which of the file's programs (project.READERS) holds the line: a notebook's code, a %%writefile
    launcher: str = ""  # the qualified name of the callable that names the script
    named: bool = True  # False: the call names its script only when it runs (it may run any)
    via: Path | None = None  # the script it runs, which imports the file asked about (a module of that job)

    def describe(self, relative_to: Path | None = None) -> str:
        where = self.orchestrator
        if relative_to is not None:
            try:
                where = self.orchestrator.relative_to(relative_to)
            except ValueError:
                pass
        return f"{where}:{self.label or self.line} names it with {self.parameter}="


# The folder of a script reference whose source_directory= is given but not known here.
UNKNOWN_FOLDER = "\0unknown"


def script_references(model: Model, orchestrator: Path) -> Iterable[tuple[str | None, str, ScriptReference]]:
    """(source directory or None, script path, reference) for every script a module names."""
    for call in model.calls:
        callee = call.callee
        if not isinstance(callee, Ref):
            continue
        params = model.surface.script_parameters.get(callee.qualname)
        if params is None:
            continue
        script_name, script_pos, folder_name, folder_pos = params
        script = _argument(call, script_pos, script_name)
        if not isinstance(script, Const) or not script.value.strip():
            continue
        node, folder = call.argument(-1 if folder_pos is None else folder_pos, folder_name)
        folder_value = folder.value if isinstance(folder, Const) else None
        spread = any(isinstance(a, ast.Starred) for a in call.node.args) or any(
            k.arg is None for k in call.node.keywords)
        if folder_value is None and (node is not None or spread):
            # a folder is given, but not as a value known here: keep the last name it spells, if any
            folder_value = UNKNOWN_FOLDER + _last_literal(_assigned_value(node, call))
        elif folder_value is not None:
            folder_value = _slashed(folder_value)
        yield folder_value, _slashed(script.value), ScriptReference(orchestrator, call.node.lineno, script_name,
                                                          launcher=callee.qualname)


def same_branch(reader: Path, script: Path) -> bool:
    """Is ``reader`` near ``script`` in the project's layout: in its folder, a folder above it or
    below it (``notebooks/read.py`` under a root ``train.py``), or in a sibling folder
    (``notebooks/analysis.ipynb`` beside ``src/train.py``, or ``src/training/train.py``)?  A file in another branch (another
    sample of a repository of samples) is about other scripts."""
    near, far = _folder_parts(reader), _folder_parts(script)
    if os.path.normcase(reader.anchor) != os.path.normcase(script.anchor):
        return False  # (a relative path and an absolute one: no folder of one is a folder of the other)
    # (``a in b.parents`` compares ``a`` with each parent made as a path: a prefix of parts says the same)
    return (near == far[:len(near)] or far == near[:len(far)]
            or reader.parent.parent in (script.parent.parent, script.parent.parent.parent))


def _folder_parts(path: Path) -> tuple[str, ...]:
    """The parts of ``path``'s folder, compared as the platform compares paths."""
    return tuple(os.path.normcase(part) for part in path.parent.parts) if os.name == "nt" else path.parent.parts


def calls_naming(model: Model, orchestrator: Path, path: Path, root: Path) -> list[ScriptReference]:
    """The calls of ``model`` (the code of ``orchestrator``, as it now reads) that name ``path`` as
    the script they run, or may (the index's loose reading, a folder computed at run time)."""
    here = orchestrator.parent
    path = Path(os.path.normpath(path))
    return [reference for folder, script, reference in script_references(model, orchestrator)
            if _names(path, here, folder, script, root) or _may_name(path, here, folder, script, root)
            or _from_any_folder(path, folder, script)]


def _slashed(path: str) -> str:
    """A path as written on Windows (``.\\src``) read with this system's separators: v1 jobs
    were submitted from Windows machines too, and such a launcher names the same files."""
    return path.replace("\\", "/") if os.sep == "/" else path


def _assigned_value(node: ast.expr | None, call: CallSite) -> ast.expr | None:
    """The expression a variable argument was assigned (``src_path = root / "src"``), else the argument."""
    if isinstance(node, ast.Name):
        binding = call.scope.lookup(node.id)
        statement = getattr(binding, "node", None)
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            return statement.value
    return node


def _last_literal(node: ast.expr | None) -> str:
    """``/src`` for ``root / "src"`` or ``os.path.join(root, "src")``: the folder name a computed
    path ends in, when it ends in a literal (``str(...)`` and ``os.fspath(...)`` of one too)."""
    while (isinstance(node, ast.Call) and _called_name(node) in ("str", "fspath") and len(node.args) == 1
           and not node.keywords):
        node = node.args[0]
    last = node.right if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Add)) else (
        node.args[-1] if isinstance(node, ast.Call) and node.args and not node.keywords
        and _called_name(node) in _PATH_BUILDERS else None)
    if isinstance(last, ast.Constant) and isinstance(last.value, str):
        name = last.value.replace("\\", "/").strip("/").rsplit("/", 1)[-1]
        return f"/{name}" if name and name not in (".", "..") else ""
    return ""


# Calls whose last argument is the last folder of the path they make; any other call's literal is no
# folder (``os.environ.get("SCRIPT_FOLDER")`` names a variable: that folder may be any).
_PATH_BUILDERS = frozenset({"join", "joinpath", "Path", "PurePath", "PosixPath", "WindowsPath", "abspath",
                            "realpath", "normpath", "expanduser"})


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _argument(call: CallSite, position: int | None, keyword: str) -> object:
    _, value = call.argument(-1 if position is None else position, keyword)
    return value


def find_root(path: Path, hint: Path | None) -> Path:
    """The nearest folder above ``path`` with a project marker, else ``hint``, else its folder.

    Known once per folder and process: files of one folder share the answer, and asking
    every ancestor for six markers cost as much as parsing a file."""
    key = (path.parent, hint)
    found = _ROOTS.get(key)
    if found is None:
        found = _ROOTS[key] = _find_root(path, hint)
    return found


def _find_root(path: Path, hint: Path | None) -> Path:
    marked = _marked_folder(path.parent)
    if marked is not None:
        return marked
    if hint is not None:
        try:
            path.relative_to(hint)
            return hint
        except ValueError:
            pass
    return path.parent


def _marked_folder(folder: Path) -> Path | None:
    """``folder`` or its nearest ancestor holding a project marker; known once per folder,
    so the files of a deep tree ask each shared ancestor only once."""
    if folder in _MARKED:
        return _MARKED[folder]
    if any(os.path.exists(os.path.join(folder, marker)) for marker in ROOT_MARKERS):
        found: Path | None = folder
    else:
        found = None if folder.parent == folder else _marked_folder(folder.parent)
    _MARKED[folder] = found
    return found


# A script a file can name: a quoted literal ending in .py (also inside notebook JSON,
# where the quotes are escaped) or a %%writefile target.
_MENTION = re.compile(rb"""["']((?:[^"'\r\n\\]|\\\\)*?\.py)\\?["']|%%writefile\s+(?:-a\s+)?(\S+\.py)""")
_QUOTES = (b'"', b"'")


def _mention_ends(data: bytes) -> list[tuple[int, int, bool]]:
    """(start, end, is_writefile) of every spot where a mention can end: ``.py`` right
    before a quote (or an escaped one), and every ``%%writefile``.  Found with plain
    substring searches, far faster than a regular expression over a large notebook."""
    spots: list[tuple[int, int, bool]] = []
    position = data.find(b".py")
    while position != -1:
        after = position + 3
        if data[after:after + 1] in _QUOTES:
            spots.append((position, after + 1, False))
        elif data[after:after + 1] == b"\\" and data[after + 1:after + 2] in _QUOTES:
            spots.append((position, after + 2, False))
        position = data.find(b".py", after)
    position = data.find(b"%%writefile")
    while position != -1:
        spots.append((position, position + 11, True))
        position = data.find(b"%%writefile", position + 11)
    return sorted(spots)


def mentioned_names(data: bytes) -> set[str]:
    """The base names of the ``*.py`` files a file's text mentions."""
    names: set[str] = set()
    for spot, end, writefile in _mention_ends(data):
        if writefile:
            found = _MENTION.match(data, spot)
        else:  # back to the opening quote of this literal, on the same line
            start = max(data.rfind(b"\n", 0, spot), 0)
            found = None
            for quote in _QUOTES:
                opening = data.rfind(quote, start, spot)
                while opening >= start and found is None:
                    candidate = _MENTION.match(data, opening)
                    if candidate is not None and candidate.end() == end:
                        found = candidate
                    opening = data.rfind(quote, start, opening)
                if found is not None:
                    break
        if found is not None:
            named = (found.group(1) or found.group(2)).decode("utf-8", "replace")
            names.add(os.path.basename(named.replace("\\", "/")))  # (a Windows path: src\\train.py)
    return names


class ProjectIndex:
    """Built in steps so that it stays cheap on a monorepo: a scan reads each file that
    mentions the surface's marker and notes which ``*.py`` names it mentions; only when a
    file with that name is checked are the files mentioning it parsed.

    The first lookup walks the project and notes the mentions only in the files that
    contain the looked-up name (a one-file check, as pre-commit and editors run it, needs
    no more); a lookup of another name notes the rest from the files the walk kept,
    without walking again.  :meth:`scan_all` does every step at once (before worker
    processes fork, and before ``fix`` writes anything)."""

    def __init__(self, root: Path, surface: Surface, exclude: tuple[str, ...] = ()) -> None:
        self.root = root
        self.surface = surface
        self.excluded = exclude
        self.exclude, self.skipped = files.walk_filters(exclude)
        self.mentions: dict[str, list[Path]] = {}
        self.parsed: dict[Path, list[tuple[str | None, str, ScriptReference]]] = {}
        self.complete = True  # False when a bound stopped the scan
        self._walked = False
        self._unnoted: list[Path] = []  # files with the marker whose mentions are not noted yet
        self._noted_for: set[str] | None = set()  # names fully noted so far (None: every name)
        self._named: dict[str, list[Path]] = {}  # file name -> the project's files of that name

    def scan_all(self) -> None:
        """Walk (if not done yet) and note every mention."""
        if not self._walked:
            self._walk(None)
        self._note_the_rest()

    def _walk(self, name: str | None) -> None:
        self._walked = True
        wanted = name.encode("utf-8", "surrogateescape") if name is not None else None
        marker = self.surface.marker.encode()
        budget = MAX_TOTAL_BYTES
        for count, path in enumerate(files.walk(self.root, tuple(READERS), self.exclude, skipped=self.skipped)):
            if count >= MAX_FILES or budget <= 0:
                self.complete = False
                break
            try:
                data = files.read_regular(path, limit=min(MAX_FILE_BYTES, budget))
            except files.TooLarge:
                if budget < MAX_FILE_BYTES:
                    self.complete = False
                    break
                continue
            except OSError:
                continue
            budget -= len(data)
            if marker not in data:
                continue
            if wanted is None or wanted in data:  # a file that mentions the name holds its bytes
                self._note(path, data)
            else:
                self._unnoted.append(path)
        self._noted_for = None if name is None else {name}

    def _note(self, path: Path, data: bytes) -> None:
        for mentioned in mentioned_names(data):
            self.mentions.setdefault(mentioned, []).append(path)

    def _note_the_rest(self) -> None:
        for path in self._unnoted:
            try:
                self._note(path, files.read_regular(path, limit=MAX_FILE_BYTES))
            except (files.TooLarge, OSError):
                continue
        self._unnoted = []
        self._noted_for = None

    def _ready_for(self, name: str) -> None:
        if not self._walked:
            self._walk(name)
        elif self._noted_for is not None and name not in self._noted_for:
            self._note_the_rest()

    def _references(self, orchestrator: Path) -> list[tuple[str | None, str, ScriptReference]]:
        found = self.parsed.get(orchestrator)
        if found is None:
            found = _ANALYSED.get(orchestrator)
        if found is not None:
            return found
        found = []
        try:
            data = files.read_as_found(orchestrator, limit=MAX_FILE_BYTES)  # (the launchers as the run found them)
            for number, program in enumerate(READERS[orchestrator.suffix](orchestrator, data)):
                text, label = (program, None) if isinstance(program, str) else program
                tree = parse(text, str(orchestrator))
                if isinstance(program, str):
                    _PARSED[orchestrator] = (text, tree)
                for folder, script, reference in script_references(Model(tree, text, surface=self.surface), orchestrator):
                    if label is not None:
                        reference = replace(reference, label=label(reference.line), program=number)
                    found.append((folder, script, reference))
        except (OSError, SourceError, ValueError):
            pass
        self.parsed[orchestrator] = found
        return found

    def parsed_references(self, orchestrator: Path) -> list[tuple[str | None, str, ScriptReference]]:
        """(folder, script, reference) for every script-naming call of ``orchestrator``."""
        return self._references(orchestrator)

    def reference_to(self, path: Path) -> ScriptReference | None:
        return next(self.references_to(path), None)

    def references_to(self, path: Path, loose: bool = False) -> Iterator[ScriptReference]:
        """Every call in the project that names ``path`` as the script it runs.

        ``loose`` adds the calls that may name it: the script's name with a folder this
        index cannot place (one computed at run time, or where no such file is yet, as
        when the launcher copies the script there first)."""
        path = Path(os.path.normpath(path))
        self._ready_for(path.name)
        for orchestrator in self.mentions.get(path.name, ()):
            for folder, script, reference in self._references(orchestrator):
                if _names(path, orchestrator.parent, folder, script, self.root) or (
                        loose and _may_name(path, orchestrator.parent, folder, script, self.root)):
                    yield reference

    def may_be_run_by(self, path: Path, orchestrator: Path) -> bool:
        """Does a call in ``orchestrator`` name ``path``, or may it (the index's loose reading, and a
        folder computed at run time that spells no name)?  Asked of one launcher's own calls only."""
        path = Path(os.path.normpath(path))
        for folder, script, _ in self._references(Path(os.path.normpath(orchestrator))):
            if (_names(path, orchestrator.parent, folder, script, self.root)
                    or _may_name(path, orchestrator.parent, folder, script, self.root)
                    or _from_any_folder(path, folder, script)):
                return True
        return False

    def references_from_any_folder(self, path: Path) -> Iterator[ScriptReference]:
        """The calls that name a script ending like ``path`` in a folder computed at run time that
        spells no name at all (``os.environ[...]``, ``args.folder``): it may be any folder of the
        project, so they may run ``path`` wherever it is."""
        path = Path(os.path.normpath(path))
        self._ready_for(path.name)
        for orchestrator in self.mentions.get(path.name, ()):
            for folder, script, reference in self._references(orchestrator):
                if _from_any_folder(path, folder, script):
                    yield reference

    def unplaced_references_to(self, path: Path) -> Iterator[ScriptReference]:
        """The calls that name a script called like ``path`` that is no file from any folder the
        launcher may run from (``os.chdir`` first, a folder made at run time): they may mean it."""
        path = Path(os.path.normpath(path))
        self._ready_for(path.name)
        for orchestrator in self.mentions.get(path.name, ()):
            for folder, script, reference in self._references(orchestrator):
                if os.path.basename(os.path.normpath(script)) != path.name:
                    continue
                inside = "" if folder is None or folder.startswith(UNKNOWN_FOLDER) else folder
                if not any(os.path.isfile(os.path.normpath(base / inside / script))
                           for base in launch_folders(orchestrator.parent, self.root)) and self._nearest(path, orchestrator):
                    yield reference

    def _nearest(self, path: Path, orchestrator: Path) -> bool:
        """``path`` is, of the project's files of its name, the one that shares the most folders with
        ``orchestrator`` (the one a launcher naming only the file most likely means); a tie means none."""
        named = self.files_named(path.name)
        def shared(candidate: Path) -> int:
            return len(os.path.commonpath([candidate.parent, orchestrator.parent]))
        best = max(map(shared, named), default=0)
        return shared(path) >= best and sum(shared(found) == best for found in named) <= 1

    def files_named(self, name: str) -> list[Path]:
        """The project's files called ``name`` (what a launcher may run that names a script without a
        folder known here)."""
        if name not in self._named:
            suffix = os.path.splitext(name)[1]
            every = project_files(self.root, self.excluded) if suffix in READERS else (
                files.walk(self.root, (suffix,), self.exclude, skipped=self.skipped) if suffix else [])
            self._named[name] = [Path(os.path.normpath(found)) for found in every if found.name == name]
        return self._named[name]

    def references_naming(self, path: Path) -> Iterator[ScriptReference]:
        """The calls of the project that name a script called like ``path``, wherever they place it
        (one such file may copy ``path`` to where it runs it)."""
        path = Path(os.path.normpath(path))
        self._ready_for(path.name)
        for orchestrator in self.mentions.get(path.name, ()):
            for _, script, reference in self._references(orchestrator):
                if os.path.basename(os.path.normpath(script)) == path.name:
                    yield reference


def _names(path: Path, here: Path, folder: str | None, script: str, root: Path) -> bool:
    """Does ``script=`` (with ``source_directory=folder``) in a file in ``here`` name ``path``?
    (Asked once per call and script: every fixer that follows a script asks it again.)"""
    key = (path, here, folder, script, root)
    found = _NAMED.get(key)
    if found is None:
        found = _NAMED[key] = _naming(path, here, folder, script, root)
    return found


def _naming(path: Path, here: Path, folder: str | None, script: str, root: Path) -> bool:
    script = os.path.normpath(script)
    if folder is not None and folder.startswith(UNKNOWN_FOLDER):
        folder = None  # read as the launcher's own folder, the likeliest
    if folder is None:
        try:
            relative = str(path.relative_to(here))
        except ValueError:  # a script named from the folder the launcher is run from, above it
            return any(Path(os.path.normpath(base / script)) == path for base in launch_folders(here, root)[1:])
        return relative == script or relative.endswith(os.sep + script)
    if any(Path(os.path.normpath(base / folder / script)) == path for base in launch_folders(here, root)):
        return True
    name = _checkout_folder_name(folder)
    # an author's checkout: the launcher's own folder, or one of the project's with the same name
    return name is not None and (Path(os.path.normpath(here / script)) == path
                                 or _ends_with(path, [name, *Path(script).parts]))


def _may_name(path: Path, here: Path, folder: str | None, script: str, root: Path) -> bool:
    """``script=`` ends like ``path``, and the file it names is not one this index can find,
    from a launcher that may mean this one: one whose computed folder ends in the name of the
    script's folder (``root / "src"``), or one in the script's folder or above it (which may copy
    the script to where it runs)."""
    script = os.path.normpath(script)
    if not _ends_with(path, list(Path(script).parts)):
        return False
    above = here == path.parent or here in path.parents
    if folder is not None and folder.startswith(UNKNOWN_FOLDER):
        named = folder[len(UNKNOWN_FOLDER) + 1:]
        return above or (bool(named) and _ends_with(path, [named, *Path(script).parts]))
    bases = [here / script] if folder is None else [base / folder / script for base in launch_folders(here, root)]
    return above and not any(os.path.isfile(os.path.normpath(base)) for base in bases)


def _from_any_folder(path: Path, folder: str | None, script: str) -> bool:
    """``script=`` ends like ``path`` in a folder computed at run time that spells no name at all
    (``os.environ[...]``, ``args.folder``): any folder of the project may be it."""
    return folder == UNKNOWN_FOLDER and _ends_with(path, list(Path(os.path.normpath(script)).parts))


def launch_folders(here: Path, root: Path) -> tuple[Path, ...]:
    """Where a relative ``source_directory`` may start: the launcher's folder, or a folder above
    it in the project (the one it is run from), up to the project root.  Worked out once per
    folder: every script a launcher may run asks it again."""
    key = (here, root)
    found = _LAUNCH_FOLDERS.get(key)
    if found is None:
        above = [here]
        for parent in here.parents:
            if parent != root and root not in parent.parents:
                break
            above.append(parent)
        found = _LAUNCH_FOLDERS[key] = tuple(above) if root in above else (*above, root)
    return found


def _checkout_folder_name(folder: str) -> str | None:
    """The last folder of an absolute ``source_directory`` that is not on this machine (the
    author's checkout, ``/Users/me/code/project``), else None."""
    windows = len(folder) > 2 and folder[0].isalpha() and folder[1] == ":" and folder[2] in "\\/"
    if not (windows or folder.startswith(("/", "\\"))) or os.path.isdir(folder):
        return None
    parts = [part for part in folder.replace("\\", "/").split("/") if part not in ("", ".")]
    return parts[-1] if parts and parts[-1] != ".." else None


def _ends_with(path: Path, parts: list[str]) -> bool:
    return len(path.parts) >= len(parts) and list(path.parts[-len(parts):]) == parts


_INDEXES: dict[tuple[Path, tuple[str, ...]], ProjectIndex] = {}
_ROOTS: dict[tuple[Path, Path | None], Path] = {}
_MARKED: dict[Path, Path | None] = {}
_FILES: dict[tuple[Path, tuple[str, ...]], list[Path]] = {}
# Each file is parsed once per process: what the analysis found is kept for the
# index, and a tree the index parsed is handed to the analysis of the same text.
_ANALYSED: dict[Path, list[tuple[str | None, str, ScriptReference]]] = {}
_PARSED: dict[Path, tuple[str, ast.Module]] = {}


def remember(path: Path, model: Model) -> None:
    """Keep the script references of a ``.py`` file the analysis has just modelled."""
    if path.suffix == ".py":
        _ANALYSED[Path(os.path.normpath(path))] = list(script_references(model, path))


def parsed_tree(path: Path, text: str) -> ast.Module | None:
    """The tree the index already parsed for exactly this text, if any."""
    found = _PARSED.pop(Path(os.path.normpath(path)), None)
    return found[1] if found is not None and found[0] == text else None


def project_files(root: Path, exclude: tuple[str, ...] = ()) -> list[Path]:
    """The files of the project the readers can read, walked once per process (at most
    :data:`MAX_FILES`): what they hold may change during a run, which files there are does not."""
    key = (root, exclude)
    found = _FILES.get(key)
    if found is None:
        spec, skipped = files.walk_filters(exclude)
        found = _FILES[key] = list(itertools.islice(files.walk(root, tuple(READERS), spec, skipped=skipped), MAX_FILES))
    return found


def texts_mentioning(path: Path, settings: Settings, suffixes: tuple[str, ...],
                     marker: bytes, wanted: Callable[[Path], bool] | None = None) -> Iterator[tuple[Path, bytes]]:
    """The files of ``path``'s project with one of ``suffixes`` (not only the Python the readers
    take: workflow YAML, shell scripts) whose bytes hold ``marker``, with those bytes; only those
    ``wanted`` says yes to, when given (asked before a file is read)."""
    spec, skipped = files.walk_filters(settings.exclude)
    for candidate in itertools.islice(files.walk(root_for(path, settings), suffixes, spec, skipped=skipped), MAX_FILES):
        if wanted is not None and not wanted(candidate):
            continue
        try:
            data = files.read_kept(candidate, limit=MAX_FILE_BYTES)
        except (OSError, files.TooLarge):
            continue
        if marker in data:
            yield candidate, data


def root_for(path: Path, settings: Settings) -> Path:
    return find_root(path, settings.project_root_hint)


def index_for(path: Path, settings: Settings, surface: Surface) -> ProjectIndex:
    return index_at(root_for(path, settings), surface, settings)


def index_at(root: Path, surface: Surface, settings: Settings | None = None) -> ProjectIndex:
    exclude = settings.exclude if settings is not None else ()
    index = _INDEXES.get((root, exclude))
    if index is None:
        index = _INDEXES[(root, exclude)] = ProjectIndex(root, surface, exclude)
    return index


def forget_indexes() -> None:
    """Drop cached indexes, roots and other modules' models (tests, and long-lived
    editor processes once a file was saved)."""
    modules.forget()
    _INDEXES.clear()
    _ROOTS.clear()
    _MARKED.clear()
    _FILES.clear()
    _ANALYSED.clear()
    _PARSED.clear()
    files.forget_kept()
    for cache in PROJECT_CACHES:
        cache.clear()


# Caches of what other files of a project hold that outer layers keep: forgotten with the indexes.
PROJECT_CACHES: list[dict] = []
_LAUNCH_FOLDERS: dict[tuple[Path, Path], tuple[Path, ...]] = {}
_NAMED: dict[tuple[Path, Path, str | None, str, Path], bool] = {}
PROJECT_CACHES.extend((_LAUNCH_FOLDERS, _NAMED))
