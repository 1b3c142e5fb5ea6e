"""Collects files and runs the engine over them: the one path ``check`` and ``fix`` share.

:func:`process` reads a file, makes it a document (:mod:`.documents`), gives each
of its programs to the engine (analysis for ``check``, the fixer for ``fix``),
and brings findings, fixes and new cell texts back to positions in the file.
Whatever goes wrong with one file becomes that file's one error line; the
caller goes on with the next file.
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import documents, fixability, notebooks
from .api import analyse
from .documents import Document, DocumentError, Place, Program
from .engine import Finding, Settings, SourceError, files
from .engine.analysis import Analysis
from .engine.files import read_regular, walk
from .engine.findings import Refusal, RefusalKind, render_places
from .engine.fixing.outcome import Fixed, FixError, Left
from .engine.source import paused_gc
from .engine.suppression import unsuppressed
from .git_ignores import outer_specs
from .notebook_files import NotebookError
from .selection import Selection

if TYPE_CHECKING:
    import pathspec

PYTHON_SUFFIXES = (".py", notebooks.SUFFIX)
SKIPPED_FOLDERS = files.SKIPPED_FOLDERS | notebooks.CHECKPOINT_FOLDERS
STDIN = "-"
MARKER = b"azureml"
# Errors that describe the input (a syntax error, a notebook that is not one, a fix
# the fixer refused); anything else is this tool's fault and is reported as such.
INPUT_ERRORS = (DocumentError, NotebookError, SourceError, FixError)


@dataclass
class Target:
    """One thing to check: a path on disk, or stdin shown under ``display``."""

    display: str
    path: Path | None  # None for stdin
    stdin_path: Path | None = None  # --stdin-filename, for path-based evidence
    tree: Path | None = None  # the folder named on the command line that the walk found it in

    @property
    def location(self) -> Path | None:
        return self.path if self.path is not None else self.stdin_path


@dataclass
class Fixing:
    """Asks :func:`process` to fix rather than only check."""

    unsafe: bool = False


def _same_line(line: int) -> int:
    return line


@dataclass
class LeftFinding:
    """A finding the fixer left, where it is in the file as read and in the fixed file."""

    before: Place
    after: Place
    left: Left
    input_line: Callable[[int], int] = _same_line  # a line of the fixed text -> the same in the input
    readings: tuple[str, str] | None = None  # (as read, as rewritten), made before leaving a worker
    # (line, of the rewritten text?) -> how the reason names it; None: "line N" (a .py file)
    line_name: Callable[[int, bool], str] | None = None

    def reason(self, rewritten: bool) -> str:
        """The reason, its line references in the file as read or as rewritten."""
        if self.readings is not None:
            return self.readings[1] if rewritten else self.readings[0]
        name = self.line_name
        if name is not None:
            detail = self.left.refusal.detail
            if rewritten:
                return render_places(detail, lambda line: name(line, True))
            return render_places(detail, lambda line: name(self.input_line(line), False))
        return self.left.reason if rewritten else self.left.reason_in(self.input_line)

    def portable(self) -> LeftFinding:
        """A copy that can go to another process: both readings of the reason made now."""
        return replace(self, input_line=_same_line, line_name=None,
                       readings=(self.reason(False), self.reason(True)))


@dataclass
class FileResult:
    target: Target
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    data: bytes | None = None
    # Parts that could not be checked while the rest was (a notebook cell that is
    # not Python): (where, reason), e.g. ("cell 3", "skipped, ...: syntax error: ...").
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # The text of each cell with a finding (None: the whole .py file), for baselines.
    sources: dict[int | None, str] = field(default_factory=dict)
    # check with assess=True: what fix would do to each finding (see fixability)
    verdicts: dict[fixability.Key, fixability.Verdict] = field(default_factory=dict)
    # ... and the file as each mode's dry run fixed it (unsafe? -> bytes), where it changed
    assessed: dict[bool, bytes] = field(default_factory=dict)
    # fix only
    document: Document | None = None
    fixed: list[tuple[Place, Fixed]] = field(default_factory=list)
    left: list[LeftFinding] = field(default_factory=list)
    changes: dict[int, str] = field(default_factory=dict)  # cell index -> new text
    new_data: bytes | None = None
    diff: list[str] | None = None  # the unified diff, made where the document was (see fix_all)

    @property
    def changed(self) -> bool:
        return self.new_data is not None and self.new_data != self.data


def collect(paths: Iterable[str], exclude: tuple[str, ...] = (), stdin_filename: str | None = None,
            force_exclude: bool = False, base: Path | None = None) -> tuple[list[Target], list[FileResult]]:
    """Expand folders; report paths that do not exist as errors.

    A file named on the command line is always checked, unless ``force_exclude``
    (``--force-exclude``, as pre-commit needs: it names every staged file) and an
    ``exclude`` pattern matches its path relative to ``base`` (the project folder)."""
    spec = files.gitignore_spec(exclude) if exclude else None
    forced = spec if force_exclude else None
    targets: list[Target] = []
    errors: list[FileResult] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            display = stdin_filename or STDIN
            targets.append(Target(display, None, Path(stdin_filename) if stdin_filename else None))
            continue
        path = Path(raw)
        if forced is not None and _excluded(path, forced, base or Path.cwd()):
            continue
        if path.is_dir():
            for found in walk(path, PYTHON_SUFFIXES, spec, outer_specs(path), SKIPPED_FOLDERS):
                real = os.path.realpath(found)
                if real not in seen:  # a file under two named folders, or reached twice, is done once
                    seen.add(real)
                    targets.append(Target(str(found), found, tree=path))
        elif path.exists() or path.is_symlink():
            targets.append(Target(raw, path))
        else:
            errors.append(FileResult(Target(raw, path), error="no such file or directory"))
    return targets, errors


def _excluded(path: Path, spec: pathspec.PathSpec, base: Path) -> bool:
    relative = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()
    if relative.startswith("../"):
        relative = Path(os.path.abspath(path)).as_posix()
    return spec.match_file(relative + ("/" if path.is_dir() else ""))


def read(target: Target) -> bytes:
    """The target's bytes; OSError for what cannot be read, including anything but a regular file."""
    if target.path is None:
        return sys.stdin.buffer.read()
    return read_regular(target.path)


def reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def one_line(text: str) -> str:
    return " ".join(text.split()) or "no details"


def process(target: Target, settings: Settings, selection: Selection, fixing: Fixing | None = None,
            data: bytes | None = None, assess: bool = False) -> FileResult:
    """Check (or, with ``fixing``, fix in memory) one file; never raises for a bad file.

    ``assess`` (when checking) also runs the fixer in memory to learn what ``fix``
    would do to each finding (:mod:`.fixability`), reusing the document read once."""
    result = FileResult(target)
    try:
        result.data = data if data is not None else read(target)
    except OSError as exc:
        result.error = f"cannot read: {reason(exc)}"
        return result
    try:
        with paused_gc():  # a file's trees are freed by reference counting (see paused_gc)
            _process(result, settings, selection, fixing, assess)
        return result
    except INPUT_ERRORS as exc:
        message = one_line(str(exc))
    except RecursionError:
        message = "internal error: the code is nested too deeply to analyse (RecursionError); the file is unchanged"
    except MemoryError:
        message = "internal error: out of memory; the file is unchanged"
    except Exception as exc:  # noqa: BLE001 - one file's crash must not end the run
        import logging  # only an internal error logs (flake8 -vv, pylsp show it)

        logging.getLogger(__name__).debug("internal error on %s", target.display, exc_info=True)
        message = f"internal error: {type(exc).__name__}: {one_line(str(exc))}; the file is unchanged"
    # Nothing half-done survives an error: no findings, no fixes, no new bytes.
    return FileResult(target, error=message, data=result.data)


def _process(result: FileResult, settings: Settings, selection: Selection, fixing: Fixing | None,
             assess: bool = False) -> None:
    assert result.data is not None
    if MARKER not in result.data:
        return
    document = documents.load(result.data, result.target.location)
    dry_changes: dict[bool, dict[int, str]] = {False: {}, True: {}}  # each mode's dry run, by cell
    for program in document.programs(settings):
        if fixing is None:
            found = len(result.findings)
            analysis = _check_program(result, document, program, selection)
            if assess and len(result.findings) > found:
                _assess_program(result, document, program, selection, result.findings[found:], analysis, dry_changes)
        else:
            _fix_program(result, document, program, selection, fixing)
    result.assessed = {mode: document.render(changes) for mode, changes in dry_changes.items() if changes}
    result.skipped = [(document.where(index), f"{documents.NOT_PYTHON}: {why}") for index, why in document.skipped]
    result.findings.sort(key=lambda f: (getattr(f, "cell", 0), f.line, f.col, f.code))
    if fixing is None:  # a check's findings outlive the file: they need not hold its tree
        result.findings = [replace(f, node=None) if f.node is not None else f for f in result.findings]
    if fixing is not None:
        result.document = document
        result.fixed.sort(key=lambda pair: (pair[0].key, pair[1].code))
        if result.changes:
            result.new_data = document.render(result.changes)


def _check_program(result: FileResult, document: Document, program: Program, selection: Selection) -> Analysis:
    analysis = analyse(program.text, path=program.path, settings=program.settings, tree=program.tree)
    program.model = analysis.model
    for finding in unsuppressed(analysis.findings, analysis.source):
        if selection(finding.code):
            found = program.finding(finding)
            result.findings.append(found)
            cell = getattr(found, "cell", None)
            if cell not in result.sources:
                result.sources[cell] = document.cell_text(cell - 1 if cell is not None else 0)
    return analysis


def _fix_program(result: FileResult, document: Document, program: Program, selection: Selection,
                 fixing: Fixing, analysed: Analysis | None = None, proposals: dict[object, object] | None = None) -> None:
    if program.refusal is not None:
        analysis = analyse(program.text, path=program.path, settings=program.settings, tree=program.tree)
        for finding in unsuppressed(analysis.findings, analysis.source):
            if selection(finding.code):
                where = program.place(finding.line, finding.col)
                result.left.append(LeftFinding(where, where, Left(finding, Refusal(RefusalKind.NOT_YET, program.refusal))))
        return
    from .api import fix_text

    outcome = fix_text(program.text, path=program.path, settings=program.settings, selected=selection,
                       unsafe=fixing.unsafe, analysed=analysed, hidden=program.hidden_names(), tree=program.tree,
                       proposals=proposals, anchored=program.anchored(), installs=program.installs())
    changed = outcome.text != program.text
    program.fixed_text = outcome.text
    if changed and document.unwritable() is not None:  # every finding is left, with why
        program.refusal = document.unwritable()
        _fix_program(result, document, program, selection, fixing, analysed)
        return
    if changed:
        for index, text in program.cells(outcome.text).items():
            if text != document.cell_text(index):
                result.changes[index] = text
    for fixed in outcome.fixed:
        where = program.place(fixed.line, getattr(fixed, "col", 0))
        result.fixed.append((where, replace(fixed, description=program.describe(fixed.description),
                                            notes=tuple(program.describe(note) for note in fixed.notes))))
    named = None
    if program.numbered or program.renames_lines(outcome.text):
        def named(line: int, rewritten: bool) -> str:
            return program.line_name(line, outcome.text if rewritten else program.text)
    for left in outcome.left:
        finding = left.finding
        after = program.place(finding.line, finding.col, outcome.text)
        before = program.place(*outcome.to_input(finding.line, finding.col)) if changed else after
        result.left.append(LeftFinding(before, after, left, outcome.input_line, line_name=named))


def _assess_program(result: FileResult, document: Document, program: Program, selection: Selection,
                    findings: list[Finding], analysis: Analysis, changes: dict[bool, dict[int, str]]) -> None:
    """What fix would do to ``findings`` (of ``program``): the fixer run in memory, safe then
    unsafe, each starting from the check's ``analysis`` of the program and reading the files of
    earlier waves as that mode fixed them (``_ASSESSED``); ``changes`` gathers each mode's cells."""
    if program.refusal is not None:
        result.verdicts.update(fixability.refused(findings, RefusalKind.NOT_YET, program.refusal))
        return
    # While both modes read the other files alike, the two runs' first pass asks the fixers once,
    # and without a finding left for want of --unsafe-fixes, an unsafe run would do what the safe one did.
    alike = not _ASSESSED.differ
    proposals: dict[object, object] | None = {} if alike else None
    try:
        safe, safe_cells = _dry_run(result.target, document, program, selection, False, analysis, proposals)
        unsafe, unsafe_cells = _dry_run(result.target, document, program, selection, True, analysis, proposals) \
            if safe.withholds_unsafe_fixes or not alike else (safe, safe_cells)
    except INPUT_ERRORS as exc:
        result.verdicts.update(fixability.refused(findings, RefusalKind.HARM, one_line(str(exc))))
        return
    changes[False].update(safe_cells)
    changes[True].update(unsafe_cells)
    result.verdicts.update(fixability.judge(findings, safe, unsafe))


def _dry_run(target: Target, document: Document, program: Program, selection: Selection, unsafe: bool,
             analysis: Analysis, proposals: dict[object, object] | None) -> tuple[fixability.Run, dict[int, str]]:
    """One mode's run of the fixer over ``program`` in memory: what it fixed and left, and the cells it changed."""
    scratch = FileResult(target)
    with files.unwritten_as(_ASSESSED.unsafe if unsafe else _ASSESSED.safe):
        _fix_program(scratch, document, program, selection, Fixing(unsafe), analysis, proposals)
    fixed = {(where.cell or 0, where.line, where.col, done.code): (done.description, done.todos, done.notes)
             for where, done in scratch.fixed}
    left = {(item.before.cell or 0, item.before.line, item.before.col, item.left.finding.code):
            (item.left.refusal.root, item.reason(False)) for item in scratch.left}
    return fixability.Run(fixed, left), scratch.changes


@dataclass
class _Layers:
    """The files earlier waves of a check that asks what fix would do (``assess``) would fix, as each
    mode's dry run fixed them (absolute path -> bytes): a later wave's dry runs read them, as fix's
    later waves read what its earlier ones fixed (``fixing_order``).  Filled between waves, before
    a wave's workers fork."""

    safe: dict[str, bytes] = field(default_factory=dict)
    unsafe: dict[str, bytes] = field(default_factory=dict)
    differ: bool = False  # the two modes read some file differently

    def add(self, results: Iterable[FileResult]) -> None:
        for result in results:
            if result.target.path is None:
                continue
            path = os.path.abspath(str(result.target.path))
            for unsafe, layer in ((False, self.safe), (True, self.unsafe)):
                if unsafe in result.assessed:
                    layer[path] = result.assessed[unsafe]
        self.differ = self.safe != self.unsafe


_ASSESSED = _Layers()


# Below this many files that mention azureml, a process pool costs more than it saves.
PARALLEL_FROM = 24


def _check_job(job: tuple[Target, Settings, Selection, bytes, bool, bool]) -> FileResult:
    target, settings, selection, data, keep_data, assess = job
    result = process(target, settings, selection, data=data, assess=assess)
    if not keep_data:
        result.data = None  # do not ship the bytes back
    return result


def _workers(jobs: int | None, pending: int) -> int:
    if jobs is not None:
        return max(1, min(jobs, pending))
    if pending < PARALLEL_FROM or sys.platform != "linux":  # fork is only safe to rely on here
        return 1
    return max(1, min(os.cpu_count() or 1, pending // (PARALLEL_FROM // 2)))


def check_all(targets: list[Target], settings: Settings, selection: Selection, jobs: int | None = None,
              keep_data: bool = False, assess: bool = False,
              done: Callable[[], None] = lambda: None) -> Iterator[FileResult]:
    """Read every target, then analyse the ones that mention azureml, in parallel
    when there are many; results come back in the targets' order.  ``keep_data``
    keeps each file's bytes on its result (for rewrites such as --add-noqa);
    ``assess`` adds what fix would do to each finding (see :func:`process`);
    ``done`` is called once per file as it is finished (a progress line)."""
    if not assess:
        yield from _check_all(targets, settings, selection, jobs, keep_data, assess, done)
        return
    global _ASSESSED
    files.record_run([str(t.path) for t in targets if t.path is not None], selection)  # what `fix` on them would fix
    try:
        yield from _check_all(targets, settings, selection, jobs, keep_data, assess, done)
    finally:
        files.forget_unwritten()
        _ASSESSED = _Layers()


def _check_all(targets: list[Target], settings: Settings, selection: Selection, jobs: int | None,
               keep_data: bool, assess: bool, done: Callable[[], None]) -> Iterator[FileResult]:
    results: list[FileResult | None] = [None] * len(targets)
    pending: list[tuple[int, bytes]] = []
    for index, target in enumerate(targets):
        if target.path is None:
            results[index] = process(target, settings, selection, assess=assess)
            done()
            continue
        try:
            data = read(target)
        except OSError as exc:
            results[index] = FileResult(target, error=f"cannot read: {reason(exc)}")
            done()
            continue
        if MARKER in data:
            pending.append((index, data))
        else:
            results[index] = FileResult(target)
            done()
    workers = _workers(jobs, len(pending))
    if workers > 1:
        _prepare_for_workers(targets, [i for i, _ in pending], settings, fixing=assess)
    for wave in _assessing_waves(targets, pending) if assess else [pending]:
        jobs_list = [(targets[i], settings, selection, data, keep_data, assess) for i, data in wave]
        if workers > 1 and (len(wave) >= PARALLEL_FROM or len(wave) == len(pending)):
            checked: Iterable[FileResult] = _pooled(_check_job, jobs_list, workers)
        else:  # (a later wave of a few scripts: forking a pool for it costs more than it saves)
            checked = map(_check_job, jobs_list)
        for (index, _), result in zip(wave, checked):
            results[index] = result
            done()
        if assess:
            _ASSESSED.add(results[index] for index, _ in wave)  # type: ignore[misc]
            for index, _ in wave:
                results[index].assessed = {}  # type: ignore[union-attr]  # (held in the layers now)
    for result in results:
        assert result is not None
        yield result


def _assessing_waves(targets: list[Target], pending: list[tuple[int, bytes]]) -> list[list[tuple[int, bytes]]]:
    """``pending`` in the waves ``fix`` takes them in (``fixing_order``): a check that asks what fix
    would do to a script judges it after the launchers fix would migrate first."""
    by_target = {id(targets[index]): (index, data) for index, data in pending}
    ordered, starts = fixing_order([targets[index] for index, _ in pending])
    bounds = [0, *starts, len(ordered)]
    return [[by_target[id(t)] for t in ordered[first:last]] for first, last in itertools.pairwise(bounds)
            if last > first]


def _fix_job(job: tuple[Target, Settings, Selection, Fixing, bool]) -> FileResult:
    target, settings, selection, fixing, want_diff = job
    result = process(target, settings, selection, fixing)
    if want_diff and result.changed and result.document is not None:
        result.diff = list(result.document.diff(target.display, result.changes))
    result.document = None  # a document (trees, ast-grep roots) stays in the worker
    result.left = [item.portable() for item in result.left]
    return result


def fixing_order(targets: list[Target]) -> tuple[list[Target], list[int]]:
    """The targets in the order ``fix`` takes them, and where each wave after the first
    starts: scripts that read what their launcher hands over, or log through the v1 run,
    come after the programs that may launch them (``fix_all``'s ``late``), so that a
    launcher this run migrates is written before they are judged.  A late file that names
    another late file (``script="train.py"``) is taken in an earlier wave than it.  One run
    then does what two would, and a second run changes nothing.  Likewise a file that
    registers an asset comes after the late files that may read it back (``_waves``): a
    registration moves to v2 only once no v1 reader of it is left."""
    from .migrations import _v1_readers
    from .migrations.injob import input_datasets, launchers

    markers = (input_datasets.FIX_AFTER_LAUNCHERS, launchers.FIX_AFTER_LAUNCHERS)
    data: dict[int, bytes] = {}
    registers: dict[int, bytes] = {}
    readers: list[tuple[str, ...]] = []
    for index, target in enumerate(targets):
        try:
            text = read(target) if target.path is not None else b""
        except OSError:
            continue
        if any(marker in text for marker in markers):
            data[index] = text
        elif _v1_readers.fix_after_readers(text):
            registers[index] = text
        if _v1_readers.READS_BACK.search(text):
            readers.append(Path(os.path.abspath(str(target.path))).parts)
    for index, text in registers.items():  # late only when a file under its folder may read an asset back
        own = Path(os.path.abspath(str(targets[index].path))).parts
        if any(parts != own and parts[:len(own) - 1] == own[:-1] for parts in readers):
            data[index] = text
    early = [t for i, t in enumerate(targets) if i not in data]
    ordered, starts = list(early), []
    for wave in _waves([(i, targets[i], data[i]) for i in sorted(data)]):
        starts.append(len(ordered))
        ordered.extend(wave)
    return ordered, starts


# A script's name as a launcher writes it: a plain token, or a quoted one with spaces ("180 - Train.py").
_SCRIPT_NAME = re.compile(rb"""[\w.-]+\.py\b|(?<=["'])[^"'\n]*\.py(?=\\?["'])""")


def _before(index: int, named_by: dict[int, set[int]]) -> set[int]:
    """Every file that must be fixed before ``index``, directly or through others."""
    found: set[int] = set()
    work = list(named_by[index])
    while work:
        earlier = work.pop()
        if earlier not in found:
            found.add(earlier)
            work.extend(named_by[earlier])
    return found


def _waves(late: list[tuple[int, Target, bytes]]) -> list[list[Target]]:
    """``late`` in waves, each file after every other late file that names it (by its file
    name, as a launcher names its script), and a file that registers after every other late
    file that may read an asset back; a cycle is taken as one wave, in path order."""
    from .migrations import _v1_readers

    by_name: dict[bytes, set[int]] = {}
    for index, target, _ in late:
        by_name.setdefault(os.path.basename(str(target.path)).encode(), set()).add(index)
    named_by: dict[int, set[int]] = {index: set() for index, _, _ in late}
    for index, _, text in late:
        for name in set(_SCRIPT_NAME.findall(text)):
            for named in by_name.get(os.path.basename(name.decode("utf-8", "replace")).encode(), ()):
                if named != index:
                    named_by[named].add(index)
    readers = [(index, Path(os.path.abspath(str(target.path))).parts) for index, target, text in late
               if _v1_readers.READS_BACK.search(text)]
    for index, target, text in late:
        if _v1_readers.fix_after_readers(text):
            folder = Path(os.path.abspath(str(target.path))).parent.parts
            for reader, parts in readers:  # those under its folder, where a registration looks for readers
                if (reader != index and parts[:len(folder)] == folder
                        and index not in _before(reader, named_by)):  # (unless the launchers want it first)
                    named_by[index].add(reader)
    waves: list[list[Target]] = []
    remaining = [(index, target) for index, target, _ in late]
    while remaining:
        left = {index for index, _ in remaining}
        wave = [(i, t) for i, t in remaining if not named_by[i] & left] or remaining
        waves.append([t for _, t in wave])
        taken = {i for i, _ in wave}
        remaining = [(i, t) for i, t in remaining if i not in taken]
    return waves


def fix_all(targets: list[Target], settings: Settings, selection: Selection, fixing: Fixing,
            want_diff: bool, jobs: int | None = None, late: int | Sequence[int] | None = None,
            writes: bool = True) -> Iterator[FileResult]:
    """Fix every target in memory, in worker processes when many files mention azureml;
    results come back in the targets' order, each with its diff when ``want_diff``.
    Nothing is written here: the caller writes, in order, as results arrive.  ``late``
    says where later waves start: a wave's targets are fixed only once every earlier
    result has been taken (and so written): no worker reads the files before then.  When
    the caller ``writes`` nothing (``--diff``, ``--check``), the later waves see the earlier
    results' fixed bytes all the same (``files.read_as_fixed``)."""
    starts = [] if late is None else [late] if isinstance(late, int) else list(late)
    files.record_run([str(t.path) for t in targets if t.path is not None], selection)
    try:
        for result in _fix_all(targets, settings, selection, fixing, want_diff, jobs, starts):
            if result.new_data is not None and result.target.path is not None and result.data is not None:
                if writes:
                    files.record_original(result.target.path, result.data)
                else:
                    files.record_unwritten(result.target.path, result.new_data)
            yield result
    finally:
        files.forget_unwritten()  # nothing of this run's unwritten text reaches the next one


def _fix_all(targets: list[Target], settings: Settings, selection: Selection, fixing: Fixing,
             want_diff: bool, jobs: int | None, starts: list[int]) -> Iterator[FileResult]:
    piped = any(t.path is None for t in targets)  # standard input is read by this process only
    candidates = [] if piped else [i for i, t in enumerate(targets) if _mentions_azureml(t)]
    workers = _workers(jobs, len(candidates))
    jobs_list = [(t, settings, selection, fixing, want_diff) for t in targets]
    if workers <= 1:
        _scan_projects(targets, candidates, settings)  # before anything is written
        for job in jobs_list:
            yield _fix_job(job)
        return
    _prepare_for_workers(targets, candidates, settings, fixing=True)
    bounds = [0, *starts, len(jobs_list)]
    for first, last in itertools.pairwise(bounds):
        if last - first >= PARALLEL_FROM:
            yield from _pooled(_fix_job, jobs_list[first:last], workers)
        else:  # a later wave of a few scripts: forking a pool for it costs more than it saves
            for job in jobs_list[first:last]:
                yield _fix_job(job)


def _pooled(job: Callable[[Any], FileResult], jobs_list: list[Any], workers: int) -> Iterator[FileResult]:
    """``job`` over ``jobs_list`` in forked worker processes; results in the list's order."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        chunk = max(1, len(jobs_list) // (workers * 16))  # small: files differ a lot in cost
        yield from pool.imap(job, jobs_list, chunksize=chunk)


def _mentions_azureml(target: Target) -> bool:
    try:
        return MARKER in read(target)
    except OSError:
        return False


# What a fix job imports on first use: a notebook's marker, a diff.
_LAZY_FIX_MODULES = ("hashlib", "flake8_azureml_v2.engine.linediff")


def _prepare_for_workers(targets: list[Target], pending: list[int], settings: Settings, fixing: bool = False) -> None:
    """Load the rules and build the project indexes once, before the workers fork; when
    ``fixing``, also the fixer's modules and the index of what other files import (each
    worker would scan the project again, and while files are being written)."""
    from .engine import importers
    from .rules import all_rules

    all_rules()
    if fixing:
        from .migrations import preload

        preload()
        for module in _LAZY_FIX_MODULES:  # imported where used: here once, not by every worker of every wave
            importlib.import_module(module)
    for root in _scan_projects(targets, pending, settings):
        if fixing:
            importers.prepare(root)
            _prepare_launchers(root, settings)


def _prepare_launchers(root: Path, settings: Settings) -> None:
    """The project's job launches and images whose script is named only at run time, found once
    for every worker (a job script no launcher names, or a scoring script, asks for them)."""
    from .migrations.injob import launchers

    launchers.scan_unnamed(root / "__project__.py", settings)
    launchers.scan_unnamed(root / "__project__.py", settings, launchers.IMAGE_LAUNCHERS)


def _scan_projects(targets: list[Target], pending: list[int], settings: Settings) -> set[Path]:
    """Scan the training-script index of every project root the pending targets are in,
    at once: the scan then sees every file as it was before the run wrote any, and forked
    workers inherit it instead of each walking the project again."""
    from .engine import project
    from .v1api import SURFACE

    if not settings.project_index:
        return set()
    roots = {project.find_root(Path(os.path.abspath(targets[i].path)), settings.project_root_hint)  # type: ignore[arg-type]
             for i in pending}
    for root in roots:
        project.index_at(root, SURFACE, settings).scan_all()
    return roots
