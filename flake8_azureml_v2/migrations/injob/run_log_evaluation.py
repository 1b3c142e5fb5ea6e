"""The migration for AML039: v1's evaluation logs (confusion matrix, accuracy table,
predictions, residuals) become JSON artifacts (mapping.md 6)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ...rules.aml039_run_log_evaluation import METHODS
from ._shared import bind, describe, drop, file_name, is_string, keep_order, new_unit, replace, run_calls, text

SIGNATURE = ["name", "value", "description"]


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call, method: str) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name, value = bound.values.get("name"), bound.values.get("value")
    if name is None or value is None:
        unit.refuse(f"run.{method}() without both a name and a value")
        return
    if is_string(ctx, value):
        unit.refuse("the value is a JSON string: mlflow.log_dict would store it as one quoted string; pass the dict")
        return
    artifact = file_name(ctx, name, ".json")
    if artifact is None:
        unit.refuse(f"the name {describe(ctx, name)} is not a literal or a variable")
        return
    drop(unit, bound, "description")
    keep_order(unit, [value, name])
    replace(ctx, unit, call, f"mlflow.log_dict({text(ctx, value)}, {artifact})")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_confusion_matrix(name, value)`` (and the like) -> ``mlflow.log_dict(value, f'{name}.json')``."""
    for method in METHODS:
        for site in run_calls(ctx, method):
            unit = new_unit(ctx, site, "AML039", f"run.{method}() -> mlflow.log_dict() as '<name>.json'")
            _rewrite(ctx, unit, site.node, method)
            yield unit
