"""How an AML rule is declared: its identity, message, v2 equivalent and fix safety are data."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..engine.findings import RefusalKind
from ..engine.rule import FixSafety, Hit, Rule

__all__ = ["ARTICLE_BASE", "AmlRule", "Family", "FixSafety", "Hit", "RefusalKind", "Rule"]

ARTICLE_BASE = "https://learn.microsoft.com/azure/machine-learning/"


class Family(enum.Enum):
    JOBS = "Jobs and pipelines"
    IN_JOB = "In-job (training script) code"
    ASSETS = "Workspace, data, compute and environment assets"
    RUNS = "Experiments and submitted runs"
    ADVANCED = "HyperDrive, AutoML, parallel and other steps"
    DEPLOY = "Models and deployment"
    CATCH_ALL = "Everything else"


@dataclass(frozen=True, kw_only=True)
class AmlRule(Rule):
    family: Family
    v1: str  # the v1 construct, as users write it
    v2: str  # its v2 (or MLflow) equivalent
    article: str  # slug of the Microsoft migration article
    why: str
    example: str
    use_instead: str
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
