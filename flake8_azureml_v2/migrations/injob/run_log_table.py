"""The migration for AML015: ``run.log_table(name, value)`` logs a v1 table."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import (
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


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name, value = bound.values.get("name"), bound.values.get("value")
    if name is None or value is None:
        unit.refuse("run.log_table() without both a name and a table")
        return
    if is_string(ctx, value):
        unit.refuse("the table is a string: mlflow.log_dict would store it as one quoted JSON string")
        return
    artifact = file_name(ctx, name, ".json")
    if artifact is None:
        unit.refuse(f"the table name {describe(ctx, name)} is not a literal or a variable")
        return
    drop(unit, bound, "description")
    keep_order(unit, [value, name])
    replace(ctx, unit, call, f"mlflow.log_dict({text(ctx, value)}, {artifact})")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_table(name, columns)`` -> ``mlflow.log_dict(columns, f'{name}.json')``."""
    for site in run_calls(ctx, "log_table"):
        unit = new_unit(ctx, site, "AML015", "run.log_table() -> mlflow.log_dict() as '<name>.json'")
        _rewrite(ctx, unit, site.node)
        yield unit

