"""``azureml-v2 fix``: run the fixer over files and report what it did and left.

Exit codes (ruff's conventions):
  0  nothing is left to report; with --check/--diff, nothing would change
  1  findings remain after fixing; with --check/--diff, a file would change;
     with --exit-non-zero-on-fix, a file was changed
  2  a file could not be read, parsed, fixed or written, or a usage error
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import notebooks
from .engine import Settings, SourceError
from .api import fix_text
from .engine.findings import RefusalKind
from .engine.fixing import FixError, FixOutcome
from .engine.source import decode_file
from .notebook_files import NotebookError
from .runner import Target, read
from .selection import Selection
from .writing import write_atomic



@dataclass
class Options:
    diff: bool = False
    check: bool = False
    unsafe: bool = False
    exit_zero: bool = False
    exit_non_zero_on_fix: bool = False


@dataclass
class Totals:
    files_changed: int = 0
    fixed: int = 0
    left: int = 0
    hidden_unsafe: int = 0
    errors: int = 0
    changed_paths: list[str] = field(default_factory=list)


def _report(target: Target, outcome: FixOutcome, out: TextIO) -> None:
    for fixed in sorted(outcome.fixed, key=lambda f: (f.line, f.code)):
        notes = f" ({'; '.join(fixed.notes)})" if fixed.notes else ""
        print(f"{target.display}:{fixed.line}: {fixed.code} fixed: {fixed.description}{notes}", file=out)
    for left in outcome.left:
        finding = left.finding
        print(f"{target.display}:{finding.line}:{finding.col + 1}: {finding.code} left: {left.reason}", file=out)


def fix_one(target: Target, settings: Settings, selection: Selection, options: Options, totals: Totals) -> None:
    to_stdout = target.path is None
    report = sys.stderr if (to_stdout or options.diff) else sys.stdout
    try:
        data = read(target)
    except OSError as exc:
        _error(target, f"cannot read: {exc.strerror or exc}", totals)
        return
    if b"azureml" not in data:
        if to_stdout and not (options.diff or options.check):
            sys.stdout.buffer.write(data)
        return
    location = target.path if target.path is not None else target.stdin_path
    if notebooks.is_notebook(location):
        _fix_notebook(target, data, location, settings, selection, options, totals)
        return
    try:
        text, encoding = decode_file(data)
        outcome = fix_text(text, path=location, settings=settings, selected=selection, unsafe=options.unsafe)
        new_data = encoding.encode(outcome.text) if outcome.text != text else data
    except (SourceError, FixError) as exc:
        if to_stdout and not (options.diff or options.check):
            sys.stdout.buffer.write(data)
        _error(target, str(exc), totals)
        return
    except UnicodeEncodeError as exc:
        _error(target, f"the fixed code cannot be written as {exc.encoding}", totals)
        return
    changed = new_data != data
    totals.fixed += len(outcome.fixed)
    totals.left += len(outcome.left)
    totals.hidden_unsafe += sum(1 for left in outcome.left if left.refusal.root is RefusalKind.UNSAFE)
    if changed:
        totals.files_changed += 1
        totals.changed_paths.append(target.display)
    _report(target, outcome, report)
    if options.diff:
        if changed:
            sys.stdout.writelines(difflib.unified_diff(
                text.splitlines(keepends=True), outcome.text.splitlines(keepends=True),
                fromfile=f"a/{target.display}", tofile=f"b/{target.display}",
            ))
        return
    if options.check:
        if changed:
            print(f"Would fix {target.display}", file=report)
        return
    if to_stdout:
        sys.stdout.buffer.write(new_data)
        return
    if changed:
        assert target.path is not None
        try:
            write_atomic(target.path, new_data)
        except OSError as exc:
            totals.files_changed -= 1
            _error(target, f"cannot write: {exc.strerror or exc}; the file is unchanged", totals)


def _fix_notebook(target: Target, data: bytes, location: Path | None, settings: Settings, selection: Selection,
                  options: Options, totals: Totals) -> None:
    """The notebook twin of the code above: the same report, diff, check and write steps."""
    to_stdout = target.path is None
    report = sys.stderr if (to_stdout or options.diff) else sys.stdout
    try:
        result = notebooks.fix_notebook(data, location, settings, selection, options.unsafe)
    except (NotebookError, SourceError, FixError) as exc:
        if to_stdout and not (options.diff or options.check):
            sys.stdout.buffer.write(data)
        _error(target, str(exc), totals)
        return
    for cell, reason in result.skipped:
        _error(Target(f"{target.display}:cell {cell}", None), f"skipped, not Python even with magics masked: {reason}", totals)
    totals.fixed += len(result.fixed)
    totals.left += len(result.left)
    totals.hidden_unsafe += sum(1 for _, left in result.left if left.refusal.root is RefusalKind.UNSAFE)
    if result.changed:
        totals.files_changed += 1
        totals.changed_paths.append(target.display)
    for where, fixed in sorted(result.fixed, key=lambda pair: (pair[0].cell, pair[0].line, pair[1].code)):
        notes = f" ({'; '.join(fixed.notes)})" if fixed.notes else ""
        print(f"{target.display}:{where}: {fixed.code} fixed: {fixed.description}{notes}", file=report)
    for where, left in result.left:
        print(f"{target.display}:{where}:{left.finding.col + 1}: {left.finding.code} left: {left.reason}", file=report)
    if options.diff:
        for index in sorted(result.after):
            name = f"{target.display}:cell {index + 1}"
            sys.stdout.writelines(difflib.unified_diff(
                _diff_lines(result.before[index]), _diff_lines(result.after[index]),
                fromfile=f"a/{name}", tofile=f"b/{name}",
            ))
        return
    if options.check:
        if result.changed:
            print(f"Would fix {target.display}", file=report)
        return
    if to_stdout:
        sys.stdout.buffer.write(result.data)
        return
    if result.changed:
        assert target.path is not None
        try:
            write_atomic(target.path, result.data)
        except OSError as exc:
            totals.files_changed -= 1
            _error(target, f"cannot write: {exc.strerror or exc}; the file is unchanged", totals)


def _diff_lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def _error(target: Target, message: str, totals: Totals) -> None:
    totals.errors += 1
    print(f"{target.display}: error: {message}", file=sys.stderr)


def summary(totals: Totals, options: Options) -> str:
    verb = "Would fix" if (options.check or options.diff) else "Fixed"
    parts = [f"{verb} {totals.fixed} finding{'s' if totals.fixed != 1 else ''} "
             f"in {totals.files_changed} file{'s' if totals.files_changed != 1 else ''}",
             f"{totals.left} left"]
    text = "; ".join(parts) + "."
    if totals.hidden_unsafe and not options.unsafe:
        text += f" {totals.hidden_unsafe} more can be fixed with --unsafe-fixes."
    return text


def exit_code(totals: Totals, options: Options) -> int:
    if totals.errors:
        return 2
    if options.check or options.diff:
        return 1 if totals.files_changed else 0
    if options.exit_non_zero_on_fix and totals.files_changed:
        return 1
    if totals.left and not options.exit_zero:
        return 1
    return 0
