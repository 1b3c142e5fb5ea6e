"""``# noqa`` handling that behaves exactly like flake8's.

The CLI and the fixer use this; under flake8, flake8 applies its own copy of the
same rules.  A ``# noqa`` comment applies to the physical line a finding is
reported on (the first line of a multi-line call), and codes match by prefix.
A comment-only line ``# flake8: noqa`` exempts the whole file.
"""

from __future__ import annotations

import re

from .findings import Finding
from .source import SourceText

_NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_FILE_NOQA = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_FILE_NOQA_ANYWHERE = re.compile(r"# flake8[:=]\s*noqa", re.IGNORECASE)  # what a line that is one holds
_SEPARATORS = re.compile(r"[,\s]")


def file_is_exempt(source: SourceText) -> bool:
    """True when a line starts with ``# flake8: noqa``.  One search of the whole text first:
    the fixer asks every pass, and hardly any text holds the comment at all."""
    if _FILE_NOQA_ANYWHERE.search(source.text) is None:
        return False
    return any(_FILE_NOQA.match(line) for line in source.lines)


def codes_on_line(line: str) -> frozenset[str] | None:
    """The codes a line's ``# noqa`` names; empty for a bare ``# noqa``; None without one."""
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if codes is None:
        return frozenset()
    return frozenset(c for c in _SEPARATORS.split(codes) if c)


def is_suppressed(finding: Finding, source: SourceText) -> bool:
    codes = codes_on_line(source.line(finding.line))
    if codes is None:
        return False
    if not codes:
        return True
    return finding.code in codes or finding.code.startswith(tuple(codes))


def unsuppressed(findings: list[Finding], source: SourceText) -> list[Finding]:
    if file_is_exempt(source):
        return []
    return [f for f in findings if not is_suppressed(f, source)]
