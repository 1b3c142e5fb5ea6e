"""Collects files and runs the engine over them; shared by ``check`` and ``fix``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from . import notebooks
from .engine import Finding, Settings, SourceError, analyse, decode
from .engine.files import read_regular, walk
from .engine.suppression import unsuppressed
from .notebook_files import NotebookError
from .selection import Selection

PYTHON_SUFFIXES = (".py", notebooks.SUFFIX)
STDIN = "-"


@dataclass
class Target:
    """One thing to check: a path on disk, or stdin shown under ``display``."""

    display: str
    path: Path | None  # None for stdin
    stdin_path: Path | None = None  # --stdin-filename, for path-based evidence


@dataclass
class FileResult:
    target: Target
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    text: str | None = None
    data: bytes | None = None
    # Parts that could not be checked while the rest was (a notebook cell that is
    # not Python): (where, reason), e.g. ("cell 3", "syntax error: ...").
    skipped: list[tuple[str, str]] = field(default_factory=list)


def collect(paths: Iterable[str], exclude: tuple[str, ...] = (), stdin_filename: str | None = None) -> tuple[list[Target], list[FileResult]]:
    """Expand folders; report paths that do not exist as errors."""
    spec = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    targets: list[Target] = []
    errors: list[FileResult] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            display = stdin_filename or STDIN
            targets.append(Target(display, None, Path(stdin_filename) if stdin_filename else None))
            continue
        path = Path(raw)
        if path.is_dir():
            for found in walk(path, PYTHON_SUFFIXES, spec):
                real = os.path.realpath(found)
                if real not in seen:  # a file under two named folders, or reached twice, is done once
                    seen.add(real)
                    targets.append(Target(str(found), found))
        elif path.exists() or path.is_symlink():
            targets.append(Target(raw, path))
        else:
            errors.append(FileResult(Target(raw, path), error="no such file or directory"))
    return targets, errors


def read(target: Target) -> bytes:
    """The target's bytes; OSError for what cannot be read, including anything but a regular file."""
    if target.path is None:
        return sys.stdin.buffer.read()
    return read_regular(target.path)


def check_one(target: Target, settings: Settings, selection: Selection, data: bytes | None = None) -> FileResult:
    result = FileResult(target)
    try:
        result.data = data if data is not None else read(target)
    except OSError as exc:
        result.error = f"cannot read: {exc.strerror or exc}"
        return result
    if b"azureml" not in result.data:
        return result
    location = target.path if target.path is not None else target.stdin_path
    if notebooks.is_notebook(location):
        return _check_notebook(result, location, settings, selection)
    try:
        text = decode(result.data)
        analysis = analyse(text, path=location, settings=settings)
    except SourceError as exc:
        result.error = str(exc)
        return result
    result.text = text
    kept = unsuppressed(analysis.findings, analysis.source)
    result.findings = [f for f in kept if selection(f.code)]
    return result


def _check_notebook(result: FileResult, location: Path | None, settings: Settings, selection: Selection) -> FileResult:
    """Findings carry the cell (``CellFinding.cell``) and count lines inside it; ``text`` stays None."""
    assert result.data is not None
    try:
        checked = notebooks.check_notebook(result.data, location, settings, selection)
    except (NotebookError, SourceError) as exc:
        result.error = str(exc)
        return result
    result.findings = list(checked.findings)
    result.skipped = [(f"cell {cell}", f"skipped, not Python even with magics masked: {reason}")
                      for cell, reason in checked.skipped]
    return result


# Below this many files that mention azureml, a process pool costs more than it saves.
PARALLEL_FROM = 24


def _check_job(job: tuple[Target, Settings, Selection, bytes, bool]) -> FileResult:
    target, settings, selection, data, keep_data = job
    result = check_one(target, settings, selection, data)
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
              keep_data: bool = False) -> Iterator[FileResult]:
    """Read every target, then analyse the ones that mention azureml, in parallel
    when there are many; results come back in the targets' order.  ``keep_data``
    keeps each file's bytes on its result (for rewrites such as --add-noqa)."""
    results: list[FileResult | None] = [None] * len(targets)
    pending: list[tuple[int, bytes]] = []
    for index, target in enumerate(targets):
        if target.path is None:
            results[index] = check_one(target, settings, selection)
            continue
        try:
            data = read(target)
        except OSError as exc:
            results[index] = FileResult(target, error=f"cannot read: {exc.strerror or exc}")
            continue
        if b"azureml" in data:
            pending.append((index, data))
        else:
            results[index] = FileResult(target)
    workers = _workers(jobs, len(pending))
    if workers > 1:
        _prepare_for_workers(targets, pending, settings)
        import multiprocessing

        jobs_list = [(targets[i], settings, selection, data, keep_data) for i, data in pending]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, len(jobs_list) // (workers * 4))
            for (index, _), result in zip(pending, pool.imap(_check_job, jobs_list, chunksize=chunk)):
                results[index] = result
    else:
        for index, data in pending:
            results[index] = check_one(targets[index], settings, selection, data)
    for result in results:
        assert result is not None
        yield result


def _prepare_for_workers(targets: list[Target], pending: list[tuple[int, bytes]], settings: Settings) -> None:
    """Load the rules and build the project indexes once, before the workers fork."""
    from .engine import project
    from .rules import all_rules

    all_rules()
    if settings.project_index:
        roots = {project.find_root(Path(os.path.abspath(targets[i].path)), settings.project_root_hint)  # type: ignore[arg-type]
                 for i, _ in pending}
        for root in roots:
            project.index_at(root, settings)
