"""How a rule is declared: its identity, message, v2 equivalent and fix safety are data.

A rule module builds one :class:`Rule` and names a ``detect`` function.  The
common shapes (calls to a v1 class, method calls on a v1 instance, attribute
reads, references) are provided by :mod:`.matchers`, so most rules are only data.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from .context import Context

ARTICLE_BASE = "https://learn.microsoft.com/azure/machine-learning/"

# A detector yields the node to report at, optionally with a message of its own.
Hit = Union[ast.AST, tuple[ast.AST, str]]
Detector = Callable[["Context"], Iterable[Hit]]


class FixSafety(enum.Enum):
    """Ruff's meaning: an unsafe fix may change what the program does at run time."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    MANUAL = "manual"  # no sound automatic rewrite: the finding names the manual step


class Family(enum.Enum):
    JOBS = "Jobs and pipelines"
    IN_JOB = "In-job (training script) code"
    ASSETS = "Workspace, data, compute and environment assets"
    RUNS = "Experiments and submitted runs"
    ADVANCED = "HyperDrive, AutoML, parallel and other steps"
    DEPLOY = "Models and deployment"
    CATCH_ALL = "Everything else"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    family: Family
    v1: str  # the v1 construct, as users write it
    v2: str  # its v2 (or MLflow) equivalent
    article: str  # slug of the Microsoft migration article
    fix_safety: FixSafety
    detect: Detector
    why: str
    example: str
    use_instead: str
    message: str = ""  # defaults to "<v1> is Azure ML SDK v1; use <v2>"
    fixer: Callable[..., object] | None = None  # the automatic rewrite, where one exists
    # The ast-grep rule for `ast-grep scan` / `ast-grep lsp` users (rules/<code>.yml);
    # the shared matchers provide one, custom detectors declare their own.
    sg_rule: dict[str, object] | None = None
    sg_fix: str | None = None  # an ast-grep fix template, where one can express the rewrite

    @property
    def ast_grep_rule(self) -> dict[str, object] | None:
        return self.sg_rule or getattr(self.detect, "sg_rule", None)

    @property
    def default_message(self) -> str:
        return self.message or f"{self.v1} is Azure ML SDK v1; use {self.v2}"

    @property
    def url(self) -> str:
        return ARTICLE_BASE + self.article
