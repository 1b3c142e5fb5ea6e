"""AML014: ``run.log_row(name, **cols)`` logs a v1 table row."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.units import FixContext, Unit
from ..engine.matchers import method_calls
from ..engine.rule import Family, FixSafety, Rule
from ._injob import (
    describe,
    file_name,
    is_pure,
    is_string,
    keep_order,
    new_unit,
    replace,
    run_calls,
    text,
)
from ._shared import RUN


def _loop_around(ctx: FixContext, node: ast.AST) -> bool:
    current = ctx.parent(node)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        if isinstance(current, (ast.For, ast.AsyncFor, ast.While)):
            return True
        current = ctx.parent(current)
    return False


def _rewrite(ctx: FixContext, unit: Unit, call: ast.Call) -> None:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        unit.refuse("it passes *arguments or **columns, whose names are unknown")
        return
    if len(call.args) > 2:
        unit.refuse("it passes more positional arguments than the v1 signature takes")
        return
    named = {k.arg: k.value for k in call.keywords}
    name = call.args[0] if call.args else named.pop("name", None)
    description = call.args[1] if len(call.args) > 1 else named.pop("description", None)
    columns = [k for k in call.keywords if k.arg not in ("name", "description")]
    if name is None or not columns:
        unit.refuse("run.log_row() without a name or without columns")
        return
    if not is_pure(description):
        unit.refuse("description= is computed by a call; dropping it would skip that call")
    keep_order(unit, [name, *(k.value for k in columns)])
    for column in columns:
        if is_string(ctx, column.value):
            unit.refuse(f"column {column.arg} is a string, which mlflow.log_metrics rejects")
            return
    entries = []
    for column in columns:
        key = file_name(ctx, name, f".{column.arg}")
        if key is None:
            unit.refuse(f"the row name {describe(ctx, name)} is not a literal or a variable")
            return
        entries.append(f"{key}: {text(ctx, column.value)}")
    if _loop_around(ctx, call):
        unit.notes.append("each repeated row is logged at step 0; pass step= to mlflow.log_metrics to keep rows apart")
    replace(ctx, unit, call, f"mlflow.log_metrics({{{', '.join(entries)}}})")


def fix(ctx: FixContext) -> Iterator[Unit]:
    """``run.log_row('fold', auc=a)`` -> ``mlflow.log_metrics({'fold.auc': a})``."""
    for site in run_calls(ctx, "log_row"):
        unit = new_unit(ctx, site, "AML014", "run.log_row() -> mlflow.log_metrics() with '<name>.<column>' keys")
        _rewrite(ctx, unit, site.node)
        yield unit


RULE = Rule(
    code="AML014",
    name="run-log-row",
    family=Family.IN_JOB,
    v1="run.log_row()",
    v2="mlflow.log_metrics({f'{name}.{k}': v for k, v in cols.items()})",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "log_row"),
    why=(
        "MLflow has no table rows; each column becomes a metric of its own, named after "
        "the row and the column. That works only for numeric columns, and repeated rows "
        "need a step to stay apart."
    ),
    example="run.log_row('fold', auc=0.81, f1=0.74)",
    use_instead="mlflow.log_metrics({'fold.auc': 0.81, 'fold.f1': 0.74})",
    fixer=fix,
)
