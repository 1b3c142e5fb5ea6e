"""``--add-noqa``: mark every current finding with ``# noqa: CODE`` on its reported line.

Codes join an existing ``# noqa: ...`` comment; other comments are kept and the
directive goes after them.  A line that cannot take a comment at its end (it
continues with a backslash or opens a multi-line string) is reported, not
edited.  Nothing else in the file changes, and a second run finds nothing to do.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field

from .engine import Finding, SourceText
from .engine.suppression import _NOQA, codes_on_line

_SEPARATORS = (",", " ", "\t")


@dataclass
class NoqaOutcome:
    text: str
    added: int = 0  # codes added
    lines: int = 0  # lines edited
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, code) that could not be marked


def _blocked_lines(text: str) -> set[int]:
    """Lines whose end is inside a token (a multi-line string) or a backslash continuation."""
    blocked: set[int] = set()
    commented: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                commented.add(token.start[0])
            if token.end[0] > token.start[0] and token.type not in (tokenize.NEWLINE, tokenize.NL):
                blocked.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        pass
    for number, line in enumerate(SourceText(text).lines, 1):
        if line.rstrip("\r\n").endswith("\\") and number not in commented:
            blocked.add(number)
    return blocked


def _merge(line: str, codes: list[str]) -> str:
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    match = _NOQA.search(body)
    if match is None:
        content = body.rstrip()
        return f"{content}  # noqa: {', '.join(codes)}{body[len(content):]}{ending}"
    existing = [c for c in (match.group("codes") or "").replace(",", " ").split() if c]
    matched = match.group(0)
    trailing = matched[len(matched.rstrip("".join(_SEPARATORS))):]
    merged = existing + [c for c in codes if c not in existing]
    directive = f"# noqa: {', '.join(merged)}{trailing}"
    return body[: match.start()] + directive + body[match.end():] + ending


def add_noqa(text: str, findings: Iterable[Finding]) -> NoqaOutcome:
    """Return ``text`` with a noqa directive for each finding; raises nothing, refuses per line."""
    source = SourceText(text)
    wanted: dict[int, list[str]] = {}
    for finding in sorted(findings, key=lambda f: (f.line, f.code)):
        codes = wanted.setdefault(finding.line, [])
        if finding.code not in codes:
            codes.append(finding.code)
    outcome = NoqaOutcome(text)
    blocked = _blocked_lines(text)
    lines = list(source.lines)
    for number, codes in wanted.items():
        if number in blocked or not 0 < number <= len(lines):
            outcome.refused.extend((number, c) for c in codes)
            continue
        present = codes_on_line(lines[number - 1])
        if present is not None and not present:
            continue  # a bare # noqa already silences everything
        missing = [c for c in codes if not (present and (c in present or c.startswith(tuple(present))))]
        if not missing:
            continue
        lines[number - 1] = _merge(lines[number - 1], missing)
        outcome.added += len(missing)
        outcome.lines += 1
    new_text = "".join(lines)
    if outcome.lines:
        try:
            ast.parse(new_text)
        except SyntaxError:  # never write code that does not parse
            return NoqaOutcome(text, refused=[(n, c) for n, cs in wanted.items() for c in cs])
    outcome.text = new_text
    return outcome
