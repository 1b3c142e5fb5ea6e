"""``azureml-v2 check``: report findings in a chosen format, against a baseline, or mark them noqa.

Exit codes: 0 clean (or only baselined findings), 1 new findings, 2 a file
could not be checked or a usage error.  ``--write-baseline`` and ``--add-noqa``
exit 0 once they have written what they were asked to.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import fixability, formats, human
from .engine import Finding, Settings, SourceError, SourceText
from .engine.source import decode_file
from .runner import FileResult, Target, check_all
from .selection import Selection
from .terminal import Progress, Style

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class Options:
    output_format: str = "text"
    output_file: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    add_noqa: bool = False
    exit_zero: bool = False
    statistics: bool = False
    assess: bool = False  # run the fixer in memory to learn each finding's fix applicability
    style: Style = field(default_factory=lambda: Style(False))


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
    progress = Progress(len(targets), sys.stderr)
    checked = check_all(targets, settings, selection, keep_data=options.add_noqa, assess=options.assess,
                        done=progress.advance)
    with progress:
        checked = list(checked)
    for result in checked:
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
    _emit(_render(items, results, options), options.output_file)
    if items or accepted:
        baselined = f" ({accepted} more in the baseline)" if accepted else ""
        print(f"Found {len(items)} finding{'s' if len(items) != 1 else ''}{baselined}.", file=sys.stderr)
        hint = fixability.hint(entry.fix for entry in items if entry.fix is not None)
        if hint:
            print(hint, file=sys.stderr)
    if errors:
        return EXIT_ERROR
    if items and not options.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _render(items: list[formats.Item], results: list[FileResult], options: Options) -> str:
    if options.statistics:
        return human.statistics(items, "json" if options.output_format == "json" else "text")
    if options.output_format == "concise":
        return human.concise(items, options.style)
    if options.output_format == "full":
        texts = {(r.target.display, cell): text for r in results for cell, text in r.sources.items()}
        return human.full(items, lambda entry: _lines(texts.get((entry.path, entry.cell))), options.style)
    return formats.render(options.output_format, items)


def _lines(text: str | None) -> list[str] | None:
    return SourceText(text).lines if text is not None else None


def _source(result: FileResult, finding: Finding) -> SourceText:
    """The text a finding's line numbers count in: its notebook cell, or the whole file."""
    return SourceText(result.sources.get(cell_of(finding), ""))


def _report_items(results: list[FileResult], baseline_file: Path | None) -> tuple[list[formats.Item], int]:
    keep = None
    base = Path.cwd()
    if baseline_file is not None:
        from . import baseline  # the modules that only some options need load with them

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
            verdict = result.verdicts.get(fixability.key_of(finding))
            items.append(formats.item(result.target.display, finding, cell_of(finding), verdict))
    return items, accepted


def _emit(report: str, output_file: Path | None) -> None:
    if output_file is None:
        sys.stdout.write(report)
        return
    formats.write_report(output_file, report)


def _write_baseline(results: list[FileResult], file: Path, errors: int) -> int:
    from . import baseline

    base = file.parent
    entries = [
        baseline.entry(baseline.path_key(r.target.path, r.target.display, base), finding, _source(r, finding))
        for r in results for finding in r.findings
    ]
    formats.write_report(file, baseline.render(entries))
    print(f"Wrote {len(entries)} finding{'s' if len(entries) != 1 else ''} to {file}.", file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_CLEAN


def _add_noqa(results: list[FileResult], errors: int, out: TextIO = sys.stderr) -> int:
    from .add_noqa import add_noqa
    from .writing import replace_file

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
