"""What the engine needs of a rule: a code, a detector, a message and a fix safety.

Projects declare their rules as data on top of this (see ``rules/_rule.py``);
the engine reads only these fields.  A rule module builds one rule and names a
``detect`` function; its ``fixer`` builds rewrites for what it detected.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from .findings import RefusalKind

if TYPE_CHECKING:
    from .context import Context

# A detector yields the node to report at, optionally with a message of its own.
Hit = Union[ast.AST, tuple[ast.AST, str]]
Detector = Callable[["Context"], Iterable[Hit]]


class FixSafety(enum.Enum):
    """Ruff's meaning: an unsafe fix may change what the program does at run time."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    MANUAL = "manual"  # no sound automatic rewrite: the finding names the manual step


@dataclass(frozen=True, kw_only=True)
class Rule:
    code: str
    name: str
    fix_safety: FixSafety
    detect: Detector
    message: str = ""  # the default one-line message, without the code
    fixer: Callable[..., object] | None = None  # builds the rewrites, where one exists
    # The rule's fix is the import clean-up: removing the imports it reports
    # once nothing uses them.
    removes_unused_imports: bool = False
    # Why a MANUAL rule's findings are left: the reference rules a rewrite out
    # (IMPOSSIBLE), or it gives none this tool can make soundly (NOT_YET).
    manual_kind: RefusalKind = RefusalKind.IMPOSSIBLE
    # The rule whose fix also rewrites this construct, with the object it is used on
    # (a submitted run's calls go with the submit).
    fixed_with: str | None = None

    @property
    def default_message(self) -> str:
        return self.message
