"""What a fix run produced: the new text, what was fixed and what was left, and why.

Kept apart from the driver so that readers of outcomes (the CLI, notebooks) do not
load the fixer machinery until a fix really runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..findings import Finding, Refusal, RefusalKind, render_lines


class FixError(Exception):
    """The fixer refused to produce output for this file."""


@dataclass(frozen=True)
class Fixed:
    code: str
    line: int  # 1-based, in the text the fix was applied to
    description: str
    notes: tuple[str, ...] = ()
    col: int = 0  # 0-based, UTF-8 bytes (as flake8 counts); printed 1-based
    todos: tuple[str, ...] = ()  # the TODO comments the fix wrote
    offset: int = field(default=0, compare=False, repr=False)  # code-point offset, for position mapping


@dataclass(frozen=True)
class Left:
    finding: Finding  # positions in the fixed text
    refusal: Refusal  # its line references are lines of the fixed text

    @property
    def reason(self) -> str:
        return render_lines(self.refusal.detail)

    def reason_in(self, line: Callable[[int], int]) -> str:
        """The reason with its line references mapped by ``line`` (for instance to the input)."""
        return render_lines(self.refusal.detail, line)

    @property
    def kind(self) -> RefusalKind:
        return self.refusal.kind


@dataclass
class FixOutcome:
    text: str
    fixed: list[Fixed] = field(default_factory=list)  # positions in the input text
    left: list[Left] = field(default_factory=list)  # positions in the fixed text
    passes: int = 0
    # (line, UTF-8 byte column) of the fixed text -> the same place in the input text
    to_input: Callable[[int, int], tuple[int, int]] = field(default=lambda line, col: (line, col), repr=False)

    def input_line(self, line: int) -> int:
        return self.to_input(line, 0)[0]

    @property
    def changed(self) -> bool:
        return bool(self.fixed)
