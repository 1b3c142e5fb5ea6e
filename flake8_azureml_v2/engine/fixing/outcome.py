"""What a fix run produced: the new text, what was fixed and what was left, and why.

Kept apart from the driver so that readers of outcomes (the CLI, notebooks) do not
load the fixer machinery until a fix really runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding


class FixError(Exception):
    """The fixer refused to produce output for this file."""


@dataclass(frozen=True)
class Fixed:
    code: str
    line: int  # 1-based, in the text the fix was made in
    description: str
    notes: tuple[str, ...] = ()
    col: int = 0  # 0-based, UTF-8 bytes (ast's and flake8's column); reports print it 1-based


@dataclass(frozen=True)
class Left:
    finding: Finding
    reason: str


@dataclass
class FixOutcome:
    text: str
    fixed: list[Fixed] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    passes: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.fixed)
