"""The fixer: rules build rewrites, the planner decides what holds together, the driver applies and verifies.

``fix_text`` is imported on first use, so that checking never loads the fixer."""

from __future__ import annotations

from typing import Any

from .outcome import Fixed, FixError, FixOutcome, Left

__all__ = ["FixError", "FixOutcome", "Fixed", "Left", "fix_text"]


def __getattr__(name: str) -> Any:
    if name == "fix_text":
        from .driver import fix_text

        return fix_text
    raise AttributeError(name)
