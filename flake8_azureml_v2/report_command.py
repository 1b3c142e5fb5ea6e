"""``azureml-v2 report``: run check and, in memory, fix over the paths, and write the migration report.

Never modifies a file: the fixer only runs in memory (:mod:`.fixability`).
Exit codes: 0 once the report is written (files that could not be checked are
listed in it and get an error line on standard error), 2 on a usage error or
when the report cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import formats, report_html, report_markdown, report_model
from .engine import Settings
from .runner import FileResult, Target, check_all
from .selection import Selection
from .terminal import Progress

FORMATS = ("markdown", "html", "json")


def render(report: dict, output_format: str) -> str:
    if output_format == "html":
        return report_html.render(report)
    if output_format == "json":
        return formats.json_text(report, indent=2) + "\n"
    return report_markdown.render(report)


def run(paths: list[str], targets: list[Target], missing: list[FileResult], settings: Settings,
        selection: Selection, output_format: str, output: Path | None) -> int:
    progress = Progress(len(targets), sys.stderr)
    with progress:
        results = [*missing, *check_all(targets, settings, selection, assess=True, done=progress.advance)]
    for result in results:
        shown = formats.visible(result.target.display)
        if result.error is not None:
            print(f"{shown}: error: {formats.visible(result.error)}", file=sys.stderr)
        for where, why in result.skipped:  # a notebook cell that is not Python; the rest was checked
            print(f"{shown}:{where}: error: {formats.visible(why)}", file=sys.stderr)
    by_display = {target.display: target for target in targets}
    report = report_model.build(results, paths, report_model.example_maker(by_display, settings, selection))
    text = render(report, output_format)
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        formats.write_report(output, text)
    except OSError as exc:
        print(f"azureml-v2: error: cannot write {formats.visible(str(output))}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Wrote the migration report to {formats.visible(str(output))}.", file=sys.stderr)
    return 0
