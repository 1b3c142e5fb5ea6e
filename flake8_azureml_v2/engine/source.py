"""Source text with the position arithmetic the adapters need.

``ast`` and flake8 count columns in UTF-8 bytes; ast-grep and editors count
code points.  Findings carry both so no adapter has to convert.
"""

from __future__ import annotations

import ast
import gc
import io
import re
import sys
import tokenize
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


# tokenize's own patterns: an encoding declaration, and a first line after which line 2 may hold one
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
_BLANK_OR_COMMENT = re.compile(r"^[ \t\f]*(?:[#\r\n]|$)", re.ASCII)


def declared_encoding(text: str) -> str | None:
    """The PEP 263 declaration Python reads from ``text``'s first two lines, as ``tokenize`` finds it."""
    for number, line in enumerate(text.splitlines()[:2]):
        found = _COOKIE.match(line)
        if found:
            return found.group(1)
        if number == 0 and not _BLANK_OR_COMMENT.match(line):
            return None  # line 2 counts only after a blank or comment line 1
    return None


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


# Deeply nested expressions (a 500-term ``+`` chain) are valid Python that
# recursive tree walks, ours and pyflakes', cannot visit under the default limit.
DEEP_RECURSION_LIMIT = 20_000


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Raise the recursion limit for a tree walk; what ``ast.parse`` can build, the
    walks can visit (Python-to-Python calls do not grow the C stack on 3.11+)."""
    previous = sys.getrecursionlimit()
    if previous < DEEP_RECURSION_LIMIT:
        sys.setrecursionlimit(DEEP_RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around one file's work: its trees and models
    are allocated in bulk and freed by reference counting, and a collection pass over
    a large heap costs more than the work itself (half the time on a 10k-line file)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse`` that raises :class:`SourceError` with a one-line reason."""
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as exc:
        where = f" (line {exc.lineno}" + (f", column {exc.offset})" if exc.offset else ")") if exc.lineno else ""
        raise SourceError(f"syntax error: {exc.msg}{where}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        reason = "too deeply nested" if isinstance(exc, RecursionError) else str(exc)
        raise SourceError(f"cannot parse: {reason}") from None


def tree_if_mentioned(text: str, marker: str) -> ast.Module | None:
    """The tree of ``text`` when it holds ``marker`` and parses, else None: a scan of another
    program for one kind of call, which most texts skip unparsed."""
    if marker not in text:
        return None
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def without_comments(text: str) -> str:
    """``text`` with each comment blanked out (same length and lines), so that a search of it
    finds code only; unchanged when it does not tokenize (a search of it then counts comments too)."""
    lines = text.splitlines(keepends=True)
    blanked: dict[int, list[tuple[int, int]]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                blanked.setdefault(token.start[0] - 1, []).append((token.start[1], token.end[1]))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return text
    for index, spans in blanked.items():
        line = lines[index]
        for start, end in spans:
            line = line[:start] + " " * (end - start) + line[end:]
        lines[index] = line
    return "".join(lines)


def line_start(text: str, position: int) -> int:
    """Start of the line holding ``position`` (LF, CRLF and CR all end lines).

    Each search stops at the nearest break: a search for a CR that the text does not
    hold would otherwise run to the start of the text, for every edit of a large file."""
    after_lf = text.rfind("\n", 0, position) + 1
    return max(after_lf, text.rfind("\r", after_lf, position) + 1)


def line_break(text: str, position: int) -> int:
    """Where the line holding ``position`` ends: its line break, or the end of the text."""
    lf = text.find("\n", position)
    stop = lf if lf >= 0 else len(text)
    cr = text.find("\r", position, stop)
    return cr if cr >= 0 else stop


@dataclass
class SourceText:
    text: str
    lines: list[str] = field(init=False)
    starts: list[int] = field(init=False, repr=False)  # offset of each line, then len(text)

    def __post_init__(self) -> None:
        # Only the line breaks Python itself counts (LF, CRLF and CR): str.splitlines
        # would also split on form feeds and other separators and shift line numbers.
        self.lines = [line for line in _LINE.findall(self.text) if line]
        self.starts = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line)
        self.starts.append(offset)

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
        """Absolute code-point offset of (line, code-point column)."""
        return self.starts[min(max(lineno, 1), len(self.starts)) - 1] + char_col

    def line_of(self, offset: int) -> int:
        """The 1-based line holding code-point ``offset``."""
        return max(bisect_right(self.starts, offset) - 1, 0) + 1 if self.lines else 1

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, code-point column) of ``offset``."""
        line = self.line_of(offset)
        return line, offset - self.starts[line - 1]
