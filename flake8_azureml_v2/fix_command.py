"""``azureml-v2 fix``: run the fixer over files and report what it did and left.

Exit codes (ruff's conventions):
  0  nothing is left to report; with --check/--diff, nothing would change
  1  findings remain after fixing; with --check/--diff, a file would change;
     with --exit-non-zero-on-fix, a file was changed
  2  a file could not be read, parsed, fixed or written, or a usage error
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .engine import Settings
from .engine.findings import Refusal, RefusalKind
from .engine.project import find_root
from .formats import visible
from .rules import rule_by_code
from .runner import FileResult, Fixing, Target, one_line, process
from .selection import Selection
from .terminal import Style
from .writing import replace_file

# Kinds that leave work for a person: their left line also names the v2 equivalent.
MANUAL_KINDS = (RefusalKind.IMPOSSIBLE, RefusalKind.NOT_YET, RefusalKind.DATA_FLOW, RefusalKind.HARM)


@dataclass
class Options:
    diff: bool = False
    check: bool = False
    unsafe: bool = False
    exit_zero: bool = False
    exit_non_zero_on_fix: bool = False
    show_fixes: bool = False
    style: Style = field(default_factory=lambda: Style(False))


@dataclass
class Totals:
    files_changed: int = 0
    fixed: int = 0
    left: int = 0
    hidden_unsafe: int = 0
    errors: int = 0
    changed_paths: list[str] = field(default_factory=list)
    fixed_codes: list[tuple[str, Counter[str]]] = field(default_factory=list)  # (file, code -> count)


def kind_label(refusal: Refusal) -> str:
    """The refusal's kind as a left line names it: ``not yet supported``, ``blocked: data-flow limit``."""
    if refusal.kind is RefusalKind.BLOCKED and refusal.cause is not None:
        return f"blocked: {refusal.cause.value}"
    return refusal.kind.value


def left_text(code: str, reason: str, refusal: Refusal, message: str = "") -> str:
    """Why a finding was left, naming the refusal kind and, for manual work, the v2 equivalent:
    the one the finding's own message names for its construct (``Workspace.get()`` and
    ``Workspace.from_config()`` have different ones), else the rule's."""
    rule = rule_by_code(code)
    _, said, own = message.rpartition("; use ")
    v2 = own if said else rule.v2 if rule is not None else ""
    if refusal.root in MANUAL_KINDS and v2 and v2 not in reason and "use " not in reason:
        reason += f"; v2: {v2}"
    return f"{reason} [{kind_label(refusal)}]"


def _report(result: FileResult, rewritten: bool, out: TextIO) -> None:
    """``fixed`` lines name where the v1 code was, in the file as read; ``left`` lines name
    the file as it is when the command ends: the fixed file when it was written (or
    printed), else the file as read."""
    display = visible(result.target.display)
    for where, fixed in result.fixed:
        notes = f" ({'; '.join(fixed.notes)})" if fixed.notes else ""
        print(f"{display}:{where}: {fixed.code} fixed: {fixed.description}{notes}", file=out)
    left = sorted(result.left, key=lambda item: ((item.after if rewritten else item.before).key, item.left.finding.code))
    for item in left:
        where = item.after if rewritten else item.before
        code = item.left.finding.code
        text = left_text(code, item.reason(rewritten), item.left.refusal, item.left.finding.message)
        print(f"{display}:{where}: {code} left: {visible(text)}", file=out)


def writable_roots(target: Target) -> list[Path] | None:
    """Where fixing ``target`` may write: inside the folder it was found in; for a file
    named directly, anywhere unless it is a symbolic link, whose target must then lie in
    the current folder or in the link's own project (the nearest folder with a marker)."""
    assert target.path is not None
    if target.tree is not None:
        return [target.tree]
    if not os.path.islink(target.path):
        return None
    return [Path.cwd(), find_root(Path(os.path.abspath(target.path)), None)]


def fix_one(target: Target, settings: Settings, selection: Selection, options: Options, totals: Totals,
            result: FileResult | None = None) -> None:
    """Fix one target (or take ``result``, fixed in memory elsewhere), write and report it;
    whatever goes wrong is the target's one error line."""
    try:
        _fix_one(target, settings, selection, options, totals, result)
    except BrokenPipeError:
        raise  # the reader went away: the command line ends the run quietly
    except Exception as exc:  # noqa: BLE001 - process() contains the engine; this is the last net
        _error(target.display, f"internal error: {type(exc).__name__}: {one_line(str(exc))}", totals)


def _fix_one(target: Target, settings: Settings, selection: Selection, options: Options, totals: Totals,
             result: FileResult | None) -> None:
    if result is None:
        result = process(target, settings, selection, Fixing(options.unsafe))
    to_stdout = target.path is None
    report = sys.stderr if (to_stdout or options.diff) else sys.stdout
    passthrough = to_stdout and not (options.diff or options.check)
    if result.error is not None:
        if passthrough and result.data is not None:
            sys.stdout.buffer.write(result.data)  # an editor piping the buffer keeps it
        _error(target.display, result.error, totals)
        return
    for where, reason in result.skipped:
        _error(f"{target.display}:{where}", reason, totals)
    changed = result.changed
    totals.left += len(result.left)
    totals.hidden_unsafe += sum(1 for item in result.left if item.left.refusal.root is RefusalKind.UNSAFE)
    if changed:
        totals.files_changed += 1
        totals.changed_paths.append(target.display)
    rewritten = False
    if options.diff:
        if changed:
            lines = result.diff
            if lines is None:
                assert result.document is not None
                lines = result.document.diff(target.display, result.changes)
            sys.stdout.writelines(options.style.diff_line(line) for line in lines)
    elif passthrough:
        sys.stdout.buffer.write(result.new_data if changed else result.data)  # type: ignore[arg-type]
        rewritten = changed
    elif changed and not options.check:
        assert target.path is not None and result.new_data is not None
        try:
            replace_file(target.path, result.new_data, expected=result.data, within=writable_roots(target))
            rewritten = True
        except OSError as exc:
            totals.files_changed -= 1
            totals.changed_paths.pop()
            result.fixed = []  # nothing was fixed after all
            _error(target.display, f"cannot write: {exc.strerror or exc}; the file is unchanged", totals)
    totals.fixed += len(result.fixed)
    if result.fixed:
        totals.fixed_codes.append((target.display, Counter(fixed.code for _, fixed in result.fixed)))
    _report(result, rewritten, report)
    if options.check and changed:
        print(f"Would fix {visible(target.display)}", file=report)


def _error(display: str, message: str, totals: Totals) -> None:
    totals.errors += 1
    print(f"{visible(display)}: error: {visible(message)}", file=sys.stderr)


def summary(totals: Totals, options: Options) -> str:
    verb = "Would fix" if (options.check or options.diff) else "Fixed"
    parts = [f"{verb} {totals.fixed} finding{'s' if totals.fixed != 1 else ''} "
             f"in {totals.files_changed} file{'s' if totals.files_changed != 1 else ''}",
             f"{totals.left} left"]
    text = "; ".join(parts) + "."
    if totals.hidden_unsafe and not options.unsafe:
        # Held back, not "can be fixed": with --unsafe-fixes some still stop at a data-flow limit.
        verb = "is" if totals.hidden_unsafe == 1 else "are"
        text += f" {totals.hidden_unsafe} more {verb} held back for --unsafe-fixes (which may still leave some)."
    return text


def show_fixes(totals: Totals, options: Options) -> str:
    """``--show-fixes``: what was fixed, per file and code, as ruff lists it."""
    if not totals.fixed_codes:
        return ""
    verb = "Would fix" if (options.check or options.diff) else "Fixed"
    lines = [f"{verb} {totals.fixed} finding{'s' if totals.fixed != 1 else ''}:"]
    for display, counts in totals.fixed_codes:
        lines.append(f"- {visible(display)}:")
        for code, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
            rule = rule_by_code(code)
            lines.append(f"    {count} \u00d7 {code} ({rule.name if rule else code})")
    return "\n".join(lines) + "\n"


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
