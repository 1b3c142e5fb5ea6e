"""The migration for AML039: v1's evaluation logs (confusion matrix, accuracy table,
predictions, residuals) become JSON artifacts (mapping.md 6), as a logged table does."""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ...rules.aml039_run_log_evaluation import METHODS
from ._shared import new_unit, refuse_if_metrics_read, run_calls
from .run_log_table import as_json_artifact


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_confusion_matrix(name, value)`` (and the like) -> ``mlflow.log_dict(value, f'{name}.json')``."""
    for method in METHODS:
        for site in run_calls(ctx, method):
            unit = new_unit(ctx, site, "AML039", f"run.{method}() -> mlflow.log_dict() as '<name>.json'")
            if not refuse_if_metrics_read(ctx, unit, "an artifact '<name>.json'"):
                as_json_artifact(ctx, unit, site.node, "value", parses_json=True)  # (v1 parsed a string)
            yield unit
