"""Baseline files: accept today's findings, fail CI only on new ones.

A finding is remembered by its file, its code and a fingerprint of the
construct's tokens (comments, line breaks, indentation, trailing commas and
quote style ignored), never by its line number: lines added above it, a
reformatted file or another finding fixed do not make it new.  Identical
constructs in one file are counted, so a second copy of a baselined call is new.

The file is JSON with one finding per line, sorted, so it diffs well in review.
A path with bytes that are not UTF-8 is kept exactly: its surrogate-escaped
characters are written as ``\\udcXX`` JSON escapes, which read back to the same
``str``.  A file that is not such a document, or that has a finding of the wrong
shape, is a :class:`BaselineError` naming the first problem.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import tokenize
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .engine import Finding, SourceText

FORMAT_KEY = "azureml-v2-baseline"
VERSION = 1
_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
_CLOSERS = {")", "]", "}"}
_WHITESPACE = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ROW_FIELDS = {"path": str, "code": str, "fingerprint": str}


class BaselineError(Exception):
    """The baseline file is missing or is not one this tool wrote."""


Key = tuple[str, str, str]  # (path, code, fingerprint)


@dataclass(frozen=True)
class Entry:
    path: str
    code: str
    fingerprint: str
    construct: str


def _normal_token(kind: int, text: str) -> str:
    if kind == tokenize.STRING:
        try:
            return repr(ast.literal_eval(text))  # 'x' and "x" are the same construct
        except (ValueError, SyntaxError):
            return text
    return text


def normalise(code: str) -> str:
    """The construct's tokens joined by single spaces, without layout or comments."""
    try:
        tokens = [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(code.strip()).readline)
                  if t.type not in _SKIPPED]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return _WHITESPACE.sub(" ", code).strip()
    kept = [
        _normal_token(kind, text) for n, (kind, text) in enumerate(tokens)
        if not (text == "," and n + 1 < len(tokens) and tokens[n + 1][1] in _CLOSERS)
    ]
    return " ".join(kept)


def construct_text(finding: Finding, source: SourceText) -> str:
    start = source.offset(finding.line, finding.char_col)
    end = source.offset(finding.end_line, finding.char_end_col)
    return source.text[start:end] if end > start else source.line(finding.line)


def entry(path: str, finding: Finding, source: SourceText) -> Entry:
    import hashlib  # loaded only when a baseline is read or written, not on every check

    construct = normalise(construct_text(finding, source))
    digest = hashlib.sha256(f"{finding.code}\0{construct}".encode()).hexdigest()[:20]
    return Entry(path, finding.code, digest, construct[:80])


def path_key(path: str | os.PathLike[str] | None, display: str, base: Path) -> str:
    """Paths relative to the baseline file's folder, with forward slashes, so any cwd works."""
    if path is None:
        return display
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    return Path(relative).as_posix()


def render(entries: Iterable[Entry]) -> str:
    counts = Counter(entries)
    rows = sorted(
        ({"path": e.path, "code": e.code, "fingerprint": e.fingerprint, "count": n, "construct": e.construct}
         for e, n in counts.items()),
        key=lambda row: (row["path"], row["code"], row["fingerprint"]),
    )
    lines = [_json_line(row) for row in rows]
    body = ",\n    ".join(lines)
    findings = f"[\n    {body}\n  ]" if lines else "[]"
    return f'{{\n  "{FORMAT_KEY}": {VERSION},\n  "findings": {findings}\n}}\n'


def _json_line(row: dict[str, object]) -> str:
    """One row as JSON: readable non-ASCII text, lone surrogates as (valid) ``\\udcXX`` escapes."""
    text = json.dumps(row, sort_keys=True, ensure_ascii=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def load(file: Path) -> Counter[Key]:
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline {file} does not exist; create it with --write-baseline") from None
    except (OSError, ValueError, RecursionError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BaselineError(f"cannot read baseline {file}: {reason}") from None
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != VERSION:
        raise BaselineError(f"{file} is not an azureml-v2 baseline (version {VERSION})")
    rows = document.get("findings", [])
    if not isinstance(rows, list):
        raise BaselineError(f"{file}: \"findings\" must be a list")
    counts: Counter[Key] = Counter()
    for number, row in enumerate(rows, 1):
        problem = _row_problem(row)
        if problem:
            raise BaselineError(f"{file}: finding {number} {problem}; write the file again with --write-baseline")
        counts[(row["path"], row["code"], row["fingerprint"])] += row.get("count", 1)
    return counts


def _row_problem(row: object) -> str | None:
    """Why a row of the findings list is not one this tool wrote, or None."""
    if not isinstance(row, dict):
        return "is not an object"
    for name, kind in _ROW_FIELDS.items():
        if name not in row:
            return f"has no \"{name}\""
        if not isinstance(row[name], kind):
            return f"has a \"{name}\" that is not a string"
    count = row.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        return "has a \"count\" that is not a positive integer"
    return None


class Filter:
    """Lets through only findings beyond what the baseline accepted, in file order."""

    def __init__(self, accepted: Counter[Key]) -> None:
        self.remaining = Counter(accepted)

    def is_new(self, path: str, finding: Finding, source: SourceText) -> bool:
        found = entry(path, finding, source)
        key = (found.path, found.code, found.fingerprint)
        if self.remaining[key] > 0:
            self.remaining[key] -= 1
            return False
        return True
