"""The outputs meant for people: ``concise`` and ``full`` findings, ``--statistics``.

``text`` stays flake8's format to the letter (scripts and editors parse it);
these are ruff's: ``concise`` marks each finding ``fix`` resolves with ``[*]``,
``full`` adds the source lines with the construct underlined and what ``fix``
would do, and ``--statistics`` counts findings per code.  Colour comes from the
caller's :class:`~.terminal.Style`, which is off unless a terminal (or
``FORCE_COLOR``) asks for it.  Every name and message goes through
:func:`~.formats.visible`, so nothing printed can break a terminal.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

from .fixability import Applicability, Verdict
from .formats import Item, visible
from .rules import rule_by_code
from .terminal import BLUE, BOLD, CYAN, RED, Style

CONTEXT = 2  # lines shown before and after a finding's line, as ruff does
SAFE_MARK = "[*]"
Lines = Callable[[Item], "list[str] | None"]  # the source lines of the text a finding counts in


def _where(entry: Item) -> str:
    cell = f"cell {entry.cell}:" if entry.cell is not None else ""
    return f"{visible(entry.path)}:{cell}{entry.line}:{entry.column}"


def _marked_code(entry: Item, style: Style) -> str:
    code = style(entry.code, BOLD, RED)
    safe = entry.fix is not None and entry.fix.applicability is Applicability.SAFE
    return f"{code} {style(SAFE_MARK, CYAN)}" if safe else code


def concise_line(entry: Item, style: Style) -> str:
    path = style(visible(entry.path), BOLD)
    colon = style(":", CYAN)
    cell = f"cell {entry.cell}{colon}" if entry.cell is not None else ""
    return (f"{path}{colon}{cell}{entry.line}{colon}{entry.column}{colon} "
            f"{_marked_code(entry, style)} {visible(entry.message)}")


def concise(items: Sequence[Item], style: Style) -> str:
    return "".join(concise_line(entry, style) + "\n" for entry in items)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(prefix: str) -> str:
    """Blanks as wide as ``prefix`` on screen (tabs kept, so carets line up under them)."""
    return "".join("\t" if char == "\t" else " " * _width(char) for char in prefix)


def _help(verdict: Verdict | None, code: str) -> list[str]:
    rule = rule_by_code(code)
    lines = []
    if verdict is not None and verdict.applicability is Applicability.SAFE:
        lines.append(f"help: `azureml-v2 fix` fixes it: {verdict.description}")
    elif verdict is not None and verdict.applicability is Applicability.UNSAFE:
        lines.append(f"help: `azureml-v2 fix --unsafe-fixes` fixes it: {verdict.description}")
        lines.append("note: only with unsafe fixes, which may change runtime behaviour")
    elif rule is not None:
        lines.append(f"help: {rule.v2}" if rule.v2.startswith("no ") else f"help: use {rule.v2}")
        if verdict is not None and verdict.kind is not None:
            lines.append(f"note: no automatic fix ({verdict.reason_kind}): {verdict.reason}")
    if rule is not None:
        lines.append(f"docs: `azureml-v2 rule {code}`, {rule.url}")
    return [visible(line) for line in lines]


def full_entry(entry: Item, lines: list[str] | None, style: Style) -> str:
    out = [f"{_marked_code(entry, style)} {visible(entry.message)}", f" {style('-->', BLUE)} {_where(entry)}"]
    if lines:
        first = max(1, entry.line - CONTEXT)
        last = min(len(lines), entry.line + CONTEXT)
        gutter = len(str(last))
        bar = style("|", BLUE)
        out.append(f"{' ' * gutter} {bar}")
        for number in range(first, last + 1):
            text = visible(lines[number - 1].rstrip("\r\n"), keep="\t")
            out.append(f"{style(str(number).rjust(gutter), BLUE)} {bar} {text}".rstrip())
            if number == entry.line:
                start = (entry.char_column or entry.column) - 1
                end = (entry.end_column or 0) - 1 if entry.end_line == entry.line else len(text)
                end = max(end, start + 1)
                underline = "^" * max(1, _width(text[start:end]))
                out.append(f"{' ' * gutter} {bar} {_pad(text[:start])}{style(underline, BOLD, RED)}")
        out.append(f"{' ' * gutter} {bar}")
    out.extend(_help(entry.fix, entry.code))
    return "\n".join(out) + "\n"


def full(items: Sequence[Item], lines_of: Lines, style: Style) -> str:
    return "\n".join(full_entry(entry, lines_of(entry), style) for entry in items)


def statistics(items: Sequence[Item], output_format: str = "text") -> str:
    """Findings per code, most first: count, code, ``[*]`` when fix resolves some safely, name."""
    counts = Counter(entry.code for entry in items)
    by_kind: dict[str, Counter[str]] = {code: Counter() for code in counts}
    for entry in items:
        if entry.fix is not None:
            by_kind[entry.code][entry.fix.applicability.value] += 1
    rows = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    if output_format == "json":
        table = []
        for code, count in rows:
            rule = rule_by_code(code)
            table.append({"code": code, "name": rule.name if rule else None, "count": count,
                          "fixable": by_kind[code]["safe"] > 0,
                          "safe": by_kind[code]["safe"], "unsafe": by_kind[code]["unsafe"],
                          "none": by_kind[code]["none"]})
        return json.dumps(table, indent=2) + "\n"
    width = len(str(rows[0][1])) if rows else 1
    lines = []
    for code, count in rows:
        rule = rule_by_code(code)
        mark = SAFE_MARK if by_kind[code]["safe"] else "[ ]"
        unsafe = by_kind[code]["unsafe"]
        extra = f" ({unsafe} with --unsafe-fixes)" if unsafe else ""
        lines.append(f"{str(count).rjust(width)}\t{code}\t{mark} {rule.name if rule else ''}{extra}")
    return "".join(line + "\n" for line in lines)
