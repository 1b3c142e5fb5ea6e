"""AML015: ``run.log_table(name, value)`` logs a v1 table."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import method_calls
from ._rule import AmlRule as Rule, Family, FixSafety
from ._injob import (
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
from ._shared import RUN

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

RULE = Rule(
    code="AML015",
    name="run-log-table",
    family=Family.IN_JOB,
    v1="run.log_table()",
    v2="mlflow.log_dict(value, f'{name}.json')",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "log_table"),
    why=(
        "The dict of columns becomes a JSON artifact instead of a table metric, so it no "
        "longer shows up among the run's metrics. Pass the dict itself: log_dict given a "
        "JSON string stores a quoted string. mlflow.log_table exists but needs pandas."
    ),
    example="run.log_table('scores', {'k': [1, 2], 'auc': [0.7, 0.8]})",
    use_instead="mlflow.log_dict({'k': [1, 2], 'auc': [0.7, 0.8]}, 'scores.json')",
    fixer=fix,
)
