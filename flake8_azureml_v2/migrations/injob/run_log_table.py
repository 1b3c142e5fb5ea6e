"""The migration for AML015: ``run.log_table(name, value)`` logs a v1 table."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import (
    refuse_if_metrics_read,
    bind,
    describe,
    drop,
    file_name,
    is_string,
    keep_order,
    new_unit,
    replace,
    run_calls,
    text,
)

SIGNATURE = ["name", "value", "description"]


def as_json_artifact(ctx: FixContext, unit: Rewrite, call: ast.Call, what: str) -> None:
    """``run.<method>(name, value[, description])`` -> ``mlflow.log_dict(value, f'{name}.json')``:
    a dict v1 kept on the run (a table, a confusion matrix...) becomes a JSON artifact; ``what``
    names the value in reasons."""
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name, value = bound.values.get("name"), bound.values.get("value")
    if name is None or value is None:
        unit.refuse(f"run.{call.func.attr}() without both a name and a {what}")  # type: ignore[attr-defined]
        return
    if is_string(ctx, value):
        unit.refuse(f"the {what} is a string: mlflow.log_dict would store it as one quoted JSON string")
        return
    artifact = file_name(ctx, name, ".json")
    if artifact is None:
        unit.refuse(f"the {what} name {describe(ctx, name)} is not a literal or a variable")
        return
    drop(unit, bound, "description")
    keep_order(unit, [value, name])
    replace(ctx, unit, call, f"mlflow.log_dict({text(ctx, value)}, {artifact})")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_table(name, columns)`` -> ``mlflow.log_dict(columns, f'{name}.json')``."""
    for site in run_calls(ctx, "log_table"):
        unit = new_unit(ctx, site, "AML015", "run.log_table() -> mlflow.log_dict() as '<name>.json'")
        if not refuse_if_metrics_read(ctx, unit, "an artifact '<name>.json'"):
            as_json_artifact(ctx, unit, site.node, "table")
        yield unit

