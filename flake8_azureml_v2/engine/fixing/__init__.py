"""The fixer: rules build units of edits, the planner applies them whole or not at all."""

from .driver import Fixed, FixError, FixOutcome, Left, fix_text

__all__ = ["FixError", "FixOutcome", "Fixed", "Left", "fix_text"]
