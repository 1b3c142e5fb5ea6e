"""A finding: one rule hit at one place, with both column conventions."""

from __future__ import annotations

from dataclasses import dataclass


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

    @property
    def text(self) -> str:
        """The flake8 message: code, space, message."""
        return f"{self.code} {self.message}"
