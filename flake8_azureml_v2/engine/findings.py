"""The diagnostic model: a finding, and what became of it when fixing.

A finding is one rule hit at one place, with both column conventions.  When
the fixer runs, each finding ends either fixed (by a rewrite) or left with a
:class:`Refusal`: a kind that says what sort of obstacle it is, a detail for
people, and the related lines.  Nothing downstream parses the detail.
"""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

# A line number inside a message, written where the message is made and rendered
# once the positions of the file on disk are known (a fix pass moves lines).
_LINE_REF = re.compile("\ue005([0-9]+)\ue006")


def line_ref(line: int) -> str:
    """``line N`` in a message, as a reference the driver maps back to the file on disk."""
    return f"line \ue005{line}\ue006"


def render_lines(text: str, original_line: Callable[[int], int] = lambda n: n) -> str:
    return _LINE_REF.sub(lambda m: str(original_line(int(m.group(1)))), text) if "\ue005" in text else text


_WHOLE_REF = re.compile("line \ue005([0-9]+)\ue006")


def render_places(text: str, place: Callable[[int], str]) -> str:
    """The message with each ``line N`` reference replaced by ``place(N)`` whole: a caller
    whose lines are not the user's (a notebook's joined cells) names them its own way."""
    if "\ue005" not in text:
        return text
    return render_lines(_WHOLE_REF.sub(lambda m: place(int(m.group(1))), text))


@dataclass(frozen=True, order=True)
class Finding:
    line: int  # 1-based
    col: int  # 0-based, UTF-8 bytes (ast and flake8)
    code: str
    message: str  # one line, without the code
    end_line: int
    end_col: int
    char_col: int  # 0-based, code points (ast-grep, editors)
    char_end_col: int
    # The node the rule reported; fixes refer to findings through it, never by position.
    node: ast.AST | None = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        """The flake8 message: code, space, message."""
        return f"{self.code} {self.message}"


class RefusalKind(enum.Enum):
    """Why a finding was left, in the terms a migration report groups by."""

    IMPOSSIBLE = "impossible"  # the reference says there is no sound rewrite
    NOT_YET = "not yet supported"  # a rewrite exists but this tool does not make it yet
    DATA_FLOW = "data-flow limit"  # a value or use the fix cannot follow
    BLOCKED = "blocked"  # it depends on another construct that stays as it is
    UNSAFE = "unsafe fix not enabled"  # needs --unsafe-fixes
    SUPPRESSED = "suppressed"  # a noqa comment, or not selected
    HARM = "refused by a safety check"  # the rewrite would break the program


@dataclass(frozen=True)
class Refusal:
    kind: RefusalKind
    detail: str  # one line for people
    related: tuple[int, ...] = ()  # lines of the constructs it depends on
    cause: RefusalKind | None = None  # for BLOCKED: the kind of the refusal it depends on

    @property
    def root(self) -> RefusalKind:
        """The kind that decides: what blocks a BLOCKED refusal, else its own kind."""
        return self.cause if self.kind is RefusalKind.BLOCKED and self.cause is not None else self.kind

    def blocking(self, line: int) -> Refusal:
        """The refusal of a construct that depends on the one refused here, at ``line``."""
        if self.kind is RefusalKind.BLOCKED:
            return self
        if self.kind in (RefusalKind.SUPPRESSED, RefusalKind.UNSAFE):  # the detail already says where and why
            return Refusal(RefusalKind.BLOCKED, self.detail, self.related, self.kind)
        return Refusal(RefusalKind.BLOCKED, f"depends on {line_ref(line)}: {self.detail}", (line, *self.related),
                       self.kind)

    def rendered(self, original_line: Callable[[int], int]) -> Refusal:
        """This refusal with its line references turned into lines of the file on disk."""
        return replace(self, detail=render_lines(self.detail, original_line),
                       related=tuple(original_line(n) for n in self.related))

    def __str__(self) -> str:
        return render_lines(self.detail)
