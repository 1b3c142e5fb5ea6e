"""``azureml-v2 report``: the migration report's content, as one JSON-ready document.

A platform team facing years of v1 code first needs a picture: how much v1
there is, how much ``fix`` will do (with safe fixes, with unsafe fixes) and what
stays for people, file by file and construct by construct.  This module builds
that picture from ``check``'s findings and what the real fixer does to each of
them in memory (:mod:`.fixability`); nothing is ever written to the files.  The
Markdown, HTML and JSON renderings (:mod:`.report_markdown`,
:mod:`.report_html`) all render this one document, so they cannot disagree.

The before/after example is the most common fix in the code base, cut from the
user's own code by running that fix once more in memory; import clean-ups are
passed over when any other fix exists, as they come with every migration, and
``.py`` files where few other fixes run are tried first, so that the example shows
this fix and the imports it adds, and nothing else.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from . import __version__
from .engine import Finding, Settings, linediff
from .engine.findings import RefusalKind
from .fixability import Applicability, Verdict, key_of
from .formats import visible
from .rules import all_rules, rule_by_code
from .runner import FileResult, Fixing, Target, process
from .selection import Selection

CLEAN, FULLY, PARTLY, MANUAL = "clean", "fully fixable", "partly fixable", "manual only"
EXAMPLE_CANDIDATES = 8  # fixes tried for the shortest example
EXAMPLE_LINES = 30  # at most this many lines on either side

# Manual work, in the order a reader should meet it: (kind, title, what it means).
KINDS: list[tuple[str, str, str]] = [
    (RefusalKind.IMPOSSIBLE.value, "Impossible per the reference",
     "Microsoft's migration guidance has no sound automatic rewrite for these; they need a person's design."),
    (RefusalKind.NOT_YET.value, "Not yet supported by fix",
     "A v2 equivalent exists, but fix does not write it yet; migrate these by hand or wait for a release."),
    (RefusalKind.DATA_FLOW.value, "Beyond what fix can follow (data-flow limit)",
     "fix could not follow a value or a use of these constructs (a variable built elsewhere, an argument "
     "of unknown type), so it left them as they were."),
    (RefusalKind.HARM.value, "Refused by a safety check",
     "A rewrite was possible, but checking the result showed it would break the program."),
    (RefusalKind.BLOCKED.value, "Waiting on other constructs",
     "These go once the constructs they depend on are migrated (most are imports still used by v1 code)."),
    (RefusalKind.SUPPRESSED.value, "Depending on suppressed code",
     "They depend on a construct that # noqa or --ignore keeps out of the migration."),
    ("unknown", "Other", "fix left these without a recorded reason."),
]


@dataclass(frozen=True)
class Entry:
    """One finding of the report: where, what, and what fix would do."""

    path: str
    finding: Finding
    verdict: Verdict

    @property
    def cell(self) -> int | None:
        return getattr(self.finding, "cell", None)

    def location(self) -> dict[str, object]:
        return {"path": visible(self.path), "cell": self.cell, "line": self.finding.line,
                "column": self.finding.col + 1}


def _verdict(result: FileResult, finding: Finding) -> Verdict:
    return result.verdicts.get(key_of(finding)) or Verdict(Applicability.NONE)


def status(entries: list[Entry]) -> str:
    fixable = sum(entry.verdict.fixable for entry in entries)
    if not entries:
        return CLEAN
    if fixable == len(entries):
        return FULLY
    return PARTLY if fixable else MANUAL


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 100.0


def _counts(entries: list[Entry]) -> dict[str, int]:
    kinds = Counter(entry.verdict.applicability for entry in entries)
    return {"findings": len(entries), "safe": kinds[Applicability.SAFE], "unsafe": kinds[Applicability.UNSAFE],
            "manual": kinds[Applicability.NONE]}


def _rule_fields(code: str) -> dict[str, object]:
    rule = rule_by_code(code)
    if rule is None:
        return {"code": code}
    return {"code": code, "name": rule.name, "v1": rule.v1, "v2": rule.v2, "docs": f"azureml-v2 rule {code}",
            "article": rule.url}


def build(results: list[FileResult], paths: list[str], example: Callable[[list[Entry]], dict | None]) -> dict:
    """The report document for ``results`` (check's results with verdicts)."""
    files, errors, entries = [], [], []
    skipped = []
    for result in results:
        if result.error is not None:
            errors.append({"path": visible(result.target.display), "error": visible(result.error)})
            continue
        skipped.extend({"path": visible(result.target.display), "where": where, "reason": visible(why)}
                       for where, why in result.skipped)
        mine = [Entry(result.target.display, f, _verdict(result, f)) for f in result.findings]
        entries.extend(mine)
        cells = sorted({entry.cell for entry in mine if entry.cell is not None})
        files.append({"path": visible(result.target.display), "status": status(mine), **_counts(mine),
                      "cells": cells})
    statuses = Counter(row["status"] for row in files)
    totals = _counts(entries)
    ready = statuses[CLEAN] + statuses[FULLY]
    summary = {
        "files_scanned": len(files) + len(errors), "files_with_v1": len(files) - statuses[CLEAN],
        "files_clean": statuses[CLEAN], "files_fully_fixable": statuses[FULLY],
        "files_partly_fixable": statuses[PARTLY], "files_manual_only": statuses[MANUAL],
        "files_not_checked": len(errors), **totals,
        "migration_ready_files": ready, "migration_ready_share": _share(ready, len(files) + len(errors)),
        "fix_resolves_share": _share(totals["safe"] + totals["unsafe"], totals["findings"]),
    }
    return {
        "tool": {"name": "azureml-v2", "version": __version__},
        "paths": [visible(path) for path in paths],
        "summary": summary,
        "codes": _codes(entries),
        "files": files,
        "manual": _manual(entries),
        "defaults_to_check": _defaults(entries),
        "example": example(entries),
        "errors": errors,
        "skipped": skipped,  # notebook cells that are not Python: not checked, the rest of the file was
    }


def _codes(entries: list[Entry]) -> list[dict[str, object]]:
    by_code: dict[str, list[Entry]] = {}
    for entry in entries:
        by_code.setdefault(entry.finding.code, []).append(entry)
    rows = [{**_rule_fields(code), **_counts(found)} for code, found in by_code.items()]
    return sorted(rows, key=lambda row: (-int(row["findings"]), str(row["code"])))  # type: ignore[call-overload]


def _manual(entries: list[Entry]) -> list[dict[str, object]]:
    groups: dict[str, dict[str, list[Entry]]] = {}
    for entry in entries:
        if entry.verdict.fixable:
            continue
        kind = entry.verdict.reason_kind or "unknown"
        groups.setdefault(kind, {}).setdefault(entry.finding.code, []).append(entry)
    sections = []
    for kind, title, meaning in KINDS:
        codes = groups.get(kind)
        if not codes:
            continue
        rows = []
        for code, found in sorted(codes.items(), key=lambda pair: (-len(pair[1]), pair[0])):
            locations = [{**entry.location(), "reason": visible(entry.verdict.reason)} for entry in found]
            rows.append({**_rule_fields(code), "count": len(found), "locations": locations})
        sections.append({"kind": kind, "title": title, "meaning": meaning,
                         "count": sum(len(found) for found in codes.values()), "codes": rows})
    return sections


def _defaults(entries: list[Entry]) -> list[dict[str, object]]:
    """What fix wrote as ``# TODO(azureml-v2)`` comments or noted it assumed: to check by hand."""
    found = []
    for entry in entries:
        verdict = entry.verdict
        for text in (*verdict.todos, *verdict.notes):
            found.append({**entry.location(), "code": entry.finding.code, "applicability": verdict.applicability.value,
                          "fix": visible(verdict.description), "check": visible(text)})
    return found


# --- the before/after example -----------------------------------------------------------------


def example_maker(targets: dict[str, Target], settings: Settings, selection: Selection
                  ) -> Callable[[list[Entry]], dict | None]:
    """A function that cuts the example out of the user's code (it runs the fix once more, in memory)."""
    def make(entries: list[Entry]) -> dict | None:
        fixable = [entry for entry in entries if entry.verdict.fixable]
        if not fixable:
            return None
        cleanups = {rule.code for rule in all_rules() if rule.removes_unused_imports}
        preferred = [entry for entry in fixable if entry.finding.code not in cleanups] or fixable
        code = Counter(entry.finding.code for entry in preferred).most_common(1)[0][0]
        # The plain form of the fix first (a fix with notes took a special path: a helper, a guess);
        # then a .py file, where the example shows the imports the fix adds (a notebook gets them
        # in its first cell); then the files where fewest other fixes run, whose imports and
        # helpers would crowd the example.
        fixes_in_file = Counter(entry.path for entry in fixable)
        candidates = sorted((entry for entry in preferred if entry.finding.code == code),
                            key=lambda entry: (bool(entry.verdict.notes), entry.cell is not None,
                                               fixes_in_file[entry.path]))
        best: tuple[tuple[bool, int, int], dict] | None = None
        for entry in candidates[:EXAMPLE_CANDIDATES]:
            cut = _cut(entry, targets[entry.path], settings, selection)
            if cut is None:
                continue
            rank = (entry.cell is not None, fixes_in_file[entry.path], len(cut["before"]) + len(cut["after"]))
            if best is None or rank < best[0]:
                best = rank, cut
        return best[1] if best is not None else None

    return make


def _cut(entry: Entry, target: Target, settings: Settings, selection: Selection) -> dict | None:
    unsafe = entry.verdict.applicability is Applicability.UNSAFE
    result = process(target, settings, selection, Fixing(unsafe))
    if result.error is not None or result.document is None:
        return None
    index = (entry.cell - 1) if entry.cell is not None else 0
    if index not in result.changes:
        return None
    before, after = _hunks(result.document.cell_text(index), result.changes[index])
    return {**_rule_fields(entry.finding.code), **entry.location(), "applicability": entry.verdict.applicability.value,
            "description": visible(entry.verdict.description), "before": visible(before, keep="\t\n"),
            "after": visible(after, keep="\t\n")}


def _hunks(old: str, new: str) -> tuple[str, str]:
    """Every changed place of ``old`` and ``new``, with two lines of context, ``...`` between places:
    a fix that also adds an import or a helper shows them too."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    groups = linediff.grouped(old_lines, new_lines, 2)
    before, after = [], []
    for group in groups:
        first, last = group[0], group[-1]
        before.append("".join(old_lines[first[1]:last[2]]))
        after.append("".join(new_lines[first[3]:last[4]]))
    return _dedent(_limit("...\n".join(before)), _limit("...\n".join(after)))  # type: ignore[return-value]


def _limit(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:EXAMPLE_LINES]) + ("...\n" if len(lines) > EXAMPLE_LINES else "")


def _dedent(*texts: str) -> tuple[str, ...]:
    """The texts without the indentation all their lines share (an example cut from inside a function)."""
    indents = [line[:len(line) - len(line.lstrip())] for text in texts for line in text.splitlines() if line.strip()]
    margin = os.path.commonprefix(indents) if indents else ""
    return tuple("".join(line[len(margin):] if line.startswith(margin) else line
                         for line in text.splitlines(keepends=True)) for text in texts)
