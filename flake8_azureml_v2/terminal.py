"""Colour and a progress line, for people at a terminal and for no one else.

Colour follows the conventions CPython itself uses (``_colorize``): a non-empty
``NO_COLOR`` turns it off, a non-empty ``FORCE_COLOR`` turns it on (also in a
pipe, which is how tests and CI systems that render ANSI ask for it),
``TERM=dumb`` turns it off, and otherwise only a terminal gets colour, so a
pipe, a file or a CI log never sees an escape sequence.

The progress line goes to standard error, only when standard error is a
terminal (never with ``FORCE_COLOR`` alone: a log is not a terminal), and only
once a run has lasted about a second, so quick runs print nothing extra.  It is
rewritten in place with ``\\r`` and erased before anything else is printed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

RESET = "\x1b[0m"
BOLD, RED, GREEN, YELLOW, BLUE, CYAN = "1", "31", "32", "33", "34", "36"


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def colour_enabled(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


class Style:
    """Paints text when colour is on; the identity otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        return cls(colour_enabled(stream))

    def __call__(self, text: str, *codes: str) -> str:
        if not self.enabled or not text or not codes:
            return text
        return f"\x1b[{';'.join(codes)}m{text}{RESET}"

    def diff_line(self, line: str) -> str:
        """A line of a unified diff: headers bold, hunks cyan, removals red, additions green."""
        if not self.enabled:
            return line
        body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        if body.startswith(("+++", "---")):
            return self(body, BOLD) + end
        if body.startswith("@@"):
            return self(body, CYAN) + end
        if body.startswith("+"):
            return self(body, GREEN) + end
        if body.startswith("-"):
            return self(body, RED) + end
        return line


def _delay() -> float:
    """Seconds before the line appears: 1, or AZUREML_V2_PROGRESS_DELAY (tests set 0)."""
    try:
        return float(os.environ.get("AZUREML_V2_PROGRESS_DELAY", "1"))
    except ValueError:
        return 1.0


class Progress:
    """``azureml-v2: 120/615 files`` on a terminal's standard error, after ``delay`` seconds."""

    def __init__(self, total: int, stream: TextIO, what: str = "files", delay: float | None = None,
                 enabled: bool | None = None) -> None:
        self.total = total
        self.stream = stream
        self.what = what
        self.delay = delay if delay is not None else _delay()
        self.enabled = (is_terminal(stream) and os.environ.get("TERM") != "dumb") if enabled is None else enabled
        self.done = 0
        self._start = time.monotonic()
        self._drawn_at = 0.0
        self._shown = False

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < self.delay or now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        percent = 100 * self.done // self.total if self.total else 100
        self.stream.write(f"\r\x1b[2Kazureml-v2: {self.done}/{self.total} {self.what} ({percent}%)")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Erase the line (before other output, and at the end)."""
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False
            self._drawn_at = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()

    @contextlib.contextmanager
    def around_output(self) -> Iterator[None]:
        """While inside, anything printed to sys.stdout or sys.stderr first erases the line."""
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Clearing(sys.stdout, self), _Clearing(sys.stderr, self)  # type: ignore[assignment]
        try:
            yield
        finally:
            sys.stdout, sys.stderr = saved


class _Clearing:
    """A text stream that erases the progress line before each write."""

    def __init__(self, stream: TextIO, progress: Progress) -> None:
        self._stream = stream
        self._progress = progress

    def write(self, text: str) -> int:
        self._progress.clear()
        return self._stream.write(text)

    def writelines(self, lines: Iterable[str]) -> None:
        self._progress.clear()
        self._stream.writelines(lines)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
