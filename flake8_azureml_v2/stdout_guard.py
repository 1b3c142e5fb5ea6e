"""Standard output for a command line that a closed pipe must not crash, and any file name can go through.

A reader that closes standard output early (``azureml-v2 check . | head -1``)
ends the output quietly, as in ruff: :class:`StdoutGuard` stands in for
``sys.stdout``; ``fix`` keeps going (it still rewrites every file), the other
commands stop.  A file name that is not UTF-8 is printed with its odd bytes as
``\\xe9`` by the encoding error handler registered here.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Callable, Sequence

_ESCAPE_ERRORS = "azureml-v2-escape"


def _escape_undecodable(error: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: a file name's undecodable byte (a lone surrogate) as ``\\xe9``."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    shown = []
    for char in error.object[error.start:error.end]:
        point = ord(char)
        shown.append(f"\\x{point - 0xDC00:02x}" if 0xDC80 <= point <= 0xDCFF else f"\\u{point:04x}")
    return "".join(shown), error.end


codecs.register_error(_ESCAPE_ERRORS, _escape_undecodable)


class StdoutGuard:
    """Stands in for ``sys.stdout`` and keeps a closed pipe from ending the run with a traceback.

    On the first ``BrokenPipeError`` standard output is pointed at the null
    device (so that nothing, not even the interpreter's last flush, can fail on
    it again).  With ``keep_going`` the failed write is dropped and the run goes
    on; without it the error goes up to :func:`main`, which ends quietly."""

    def __init__(self, stream: io.TextIOBase, keep_going: bool) -> None:
        self.stream = stream
        self._keep_going = keep_going
        self.broken = False
        self.buffer = _BinaryGuard(self)

    @classmethod
    def install(cls, keep_going: bool) -> StdoutGuard:
        stream = sys.stdout
        if stream is None:  # started with standard output closed
            stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=_ESCAPE_ERRORS)
        if isinstance(sys.stderr, io.TextIOWrapper):
            sys.stderr.reconfigure(errors=_ESCAPE_ERRORS)
        guard = cls(stream, keep_going)
        sys.stdout = guard  # type: ignore[assignment]
        return guard

    def discard(self) -> None:
        """Send whatever standard output still receives to the null device."""
        self.broken = True
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, self.stream.fileno())
        except (OSError, ValueError):
            pass  # not a real file: the writes below are dropped anyway
        finally:
            os.close(null)

    def guarded(self, action: Callable[[], object]) -> object:
        if self.broken:
            try:
                return action()
            except BrokenPipeError:
                return None
        try:
            return action()
        except BrokenPipeError:
            self.discard()
            if not self._keep_going:
                raise
            return None

    def write(self, text: str) -> int:
        self.guarded(lambda: self.stream.write(text))
        return len(text)

    def writelines(self, lines: Sequence[str]) -> None:
        self.guarded(lambda: self.stream.writelines(lines))

    def flush(self) -> None:
        self.guarded(self.stream.flush)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


class _BinaryGuard:
    """``sys.stdout.buffer`` behind the same guard."""

    def __init__(self, guard: StdoutGuard) -> None:
        self._guard = guard

    def write(self, data: bytes) -> int:
        self._guard.guarded(lambda: self._guard.stream.buffer.write(data))  # type: ignore[attr-defined]
        return len(data)

    def flush(self) -> None:
        self._guard.guarded(self._guard.stream.buffer.flush)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._guard.stream.buffer, name)  # type: ignore[attr-defined]
