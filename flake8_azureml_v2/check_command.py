"""``azureml-v2 check``: report findings in a chosen format, against a baseline, or mark them noqa.

Exit codes: 0 clean (or only baselined findings), 1 new findings, 2 a file
could not be checked or a usage error.  ``--write-baseline`` and ``--add-noqa``
exit 0 once they have written what they were asked to.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import baseline, formats
from .add_noqa import add_noqa
from .engine import Finding, Settings, SourceError, SourceText
from .engine.source import decode_file
from .runner import FileResult, Target, check_all
from .selection import Selection
from .writing import replace_file

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class Options:
    output_format: str = "text"
    output_file: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    add_noqa: bool = False
    exit_zero: bool = False


def _error(display: str, message: str) -> None:
    print(f"{display}: error: {message}", file=sys.stderr)


def cell_of(finding: Finding) -> int | None:
    """The notebook cell a finding is in, when the notebook reader attached one."""
    return getattr(finding, "cell", None)


def run(targets: list[Target], missing: list[FileResult], settings: Settings, selection: Selection,
        options: Options) -> int:
    errors = len(missing)
    for result in missing:
        _error(result.target.display, result.error or "cannot be checked")
    results: list[FileResult] = []
    for result in check_all(targets, settings, selection, keep_data=options.add_noqa):
        if result.error is not None:
            errors += 1
            _error(result.target.display, result.error)
            continue
        for where, reason in result.skipped:  # e.g. a notebook cell that is not Python
            errors += 1
            _error(f"{result.target.display}:{where}", reason)
        if result.findings:  # keep only what is reported: a monorepo has many clean files
            if not options.add_noqa:
                result.data = None
            results.append(result)
    if options.write_baseline is not None:
        return _write_baseline(results, options.write_baseline, errors)
    if options.add_noqa:
        return _add_noqa(results, errors)
    items, accepted = _report_items(results, options.baseline)
    _emit(formats.render(options.output_format, items), options.output_file)
    if items or accepted:
        baselined = f" ({accepted} more in the baseline)" if accepted else ""
        print(f"Found {len(items)} finding{'s' if len(items) != 1 else ''}{baselined}.", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    if items and not options.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _source(result: FileResult, finding: Finding) -> SourceText:
    """The text a finding's line numbers count in: its notebook cell, or the whole file."""
    return SourceText(result.sources.get(cell_of(finding), ""))


def _report_items(results: list[FileResult], baseline_file: Path | None) -> tuple[list[formats.Item], int]:
    keep = None
    base = Path.cwd()
    if baseline_file is not None:
        keep = baseline.Filter(baseline.load(baseline_file))
        base = baseline_file.parent
    items: list[formats.Item] = []
    accepted = 0
    for result in results:
        if keep is not None:
            key = baseline.path_key(result.target.path, result.target.display, base)
        for finding in result.findings:
            if keep is not None and not keep.is_new(key, finding, _source(result, finding)):
                accepted += 1
                continue
            items.append(formats.item(result.target.display, finding, cell_of(finding)))
    return items, accepted


def _emit(report: str, output_file: Path | None) -> None:
    if output_file is None:
        sys.stdout.write(report)
        return
    formats.write_report(output_file, report)


def _write_baseline(results: list[FileResult], file: Path, errors: int) -> int:
    base = file.parent
    entries = [
        baseline.entry(baseline.path_key(r.target.path, r.target.display, base), finding, _source(r, finding))
        for r in results for finding in r.findings
    ]
    formats.write_report(file, baseline.render(entries))
    print(f"Wrote {len(entries)} finding{'s' if len(entries) != 1 else ''} to {file}.", file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_CLEAN


def _add_noqa(results: list[FileResult], errors: int, out: TextIO = sys.stderr) -> int:
    added = files = 0
    for result in results:
        if not result.findings:
            continue
        target = result.target
        if target.path is None or result.data is None:
            _error(target.display, "--add-noqa needs files on disk, not standard input")
            errors += 1
            continue
        if any(getattr(f, "cell", None) is not None for f in result.findings):
            _error(target.display, "--add-noqa does not edit notebooks; add the comments in the cells")
            errors += 1
            continue
        try:
            text, encoding = decode_file(result.data)
        except SourceError as exc:
            _error(target.display, str(exc))
            errors += 1
            continue
        outcome = add_noqa(text, result.findings)
        for line, code in outcome.refused:
            print(f"{target.display}:{line}: {code} left: this line cannot take a trailing comment", file=out)
        if outcome.lines:
            try:
                replace_file(target.path, encoding.encode(outcome.text), expected=result.data)
            except OSError as exc:
                _error(target.display, f"cannot write: {exc.strerror or exc}; the file is unchanged")
                errors += 1
                continue
            added += outcome.added
            files += 1
    print(f"Added {added} noqa directive{'s' if added != 1 else ''} to {files} file{'s' if files != 1 else ''}.",
          file=out)
    return EXIT_ERROR if errors else EXIT_CLEAN
