"""Source text with the position arithmetic the adapters need.

``ast`` and flake8 count columns in UTF-8 bytes; ast-grep and editors count
code points.  Findings carry both so no adapter has to convert.
"""

from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from dataclasses import dataclass, field

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class SourceError(Exception):
    """The file cannot be analysed: undecodable bytes or a syntax error."""


@dataclass(frozen=True)
class Encoding:
    """How a file's bytes became text, so a rewrite can turn text back into bytes."""

    name: str
    bom: bool

    def encode(self, text: str) -> bytes:
        return ("\ufeff" + text if self.bom else text).encode(self.name)


def decode_file(data: bytes) -> tuple[str, Encoding]:
    """Decode Python source the way the interpreter does (BOM, coding cookie)."""
    try:
        name, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot detect the encoding: {exc}") from None
    try:
        text = data.decode(name)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(f"cannot decode as {name}: {exc.reason if hasattr(exc, 'reason') else exc}") from None
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
        name = "utf-8" if name == "utf-8-sig" else name
    return text, Encoding(name, bom)


def decode(data: bytes) -> str:
    return decode_file(data)[0]


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse`` that raises :class:`SourceError` with a one-line reason."""
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as exc:
        where = f" (line {exc.lineno}" + (f", column {exc.offset})" if exc.offset else ")") if exc.lineno else ""
        raise SourceError(f"syntax error: {exc.msg}{where}") from None
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"cannot parse: {exc}") from None


@dataclass
class SourceText:
    text: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        # Only the line breaks Python itself counts: str.splitlines would also
        # split on form feeds and other separators and shift every line number.
        self.lines = [line for line in _LINE.findall(self.text) if line]

    def line(self, lineno: int) -> str:
        """Physical line ``lineno`` (1-based), or '' past the end."""
        return self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""

    def char_col(self, lineno: int, byte_col: int) -> int:
        """Convert a UTF-8 byte column on ``lineno`` to a code-point column."""
        line = self.line(lineno)
        if line.isascii():
            return byte_col
        return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def offset(self, lineno: int, char_col: int) -> int:
        """Absolute code-point offset of (line, code-point column); the line starts are
        computed once, so a lookup costs the same on line 10 and on line 100,000."""
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = self.__dict__["_starts"] = list(itertools.accumulate((len(line) for line in self.lines), initial=0))
        return starts[min(max(lineno - 1, 0), len(starts) - 1)] + char_col
