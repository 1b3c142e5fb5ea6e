"""The migration for AML003: ``PythonScriptStep`` is a v1 pipeline step."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from .pipelines import PYTHON_SCRIPT_STEP, plan_step, step_rewrites


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Each step becomes a ``command`` component; the pipeline fixer (AML004) calls it."""
    return step_rewrites(ctx, PYTHON_SCRIPT_STEP, "AML003", "PythonScriptStep() -> command component", plan_step)
