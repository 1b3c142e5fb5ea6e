"""The migration for AML014: ``run.log_row(name, **cols)`` logs a v1 table row."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ...engine.names import Const
from .._todo import add_todo
from ._shared import (
    ROW_HELPER,
    describe,
    file_name,
    is_pure,
    keep_order,
    new_unit,
    refuse_if_metrics_read,
    refuse_rejected_name,
    rename_call,
    replace,
    run_calls,
    text,
    use_log_helper,
)
from .values import BOOL, NUMBER, STRING, value_kind

_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _loop_around(ctx: FixContext, node: ast.AST) -> bool:
    current = ctx.parent(node)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        if isinstance(current, _LOOPS):
            return True
        current = ctx.parent(current)
    return False


def _in_function(ctx: FixContext, node: ast.AST) -> bool:
    current = ctx.parent(node)
    while current is not None and not isinstance(current, ast.Module):
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return True
        current = ctx.parent(current)
    return False


REPEATED_ROWS_TODO = ("a column that is not a number becomes a tag, which the next row of this name replaces "
                      "(v1's table kept every row): log such rows with mlflow.log_table or mlflow.log_dict")


def _logged_again(ctx: FixContext, call: ast.Call, name: ast.expr) -> bool:
    """The row may be logged more than once under its name: in a loop, in a function (which
    may be called again), or by another ``log_row`` of the file that spells the same name."""
    if _loop_around(ctx, call) or _in_function(ctx, call):
        return True
    for site in run_calls(ctx, "log_row"):
        other = site.node
        named = other.args[0] if other.args else next((k.value for k in other.keywords if k.arg == "name"), None)
        if other is not call and named is not None and _same_name(ctx, named, name):
            return True
    return False


def _same_name(ctx: FixContext, one: ast.expr, other: ast.expr) -> bool:
    """Two row names that are the same string (however quoted, or held in a variable) or the
    same expression."""
    first, second = _string(ctx, one), _string(ctx, other)
    if first is not None and second is not None:
        return first == second
    return text(ctx, one) == text(ctx, other)


def _string(ctx: FixContext, node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    value = ctx.value_of_argument(node)
    return value.value if isinstance(value, Const) else None


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
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
    if refuse_rejected_name(ctx, unit, name, "metric name"):
        return
    if not is_pure(description):
        unit.refuse("description= is computed by a call; dropping it would skip that call")
    keep_order(unit, [name, *(k.value for k in columns)])
    kinds = [value_kind(ctx, column.value) for column in columns]
    if STRING in kinds:
        unit.refuse("a column is a string, which mlflow.log_metrics rejects")
        return
    if any(kind not in (NUMBER, BOOL) for kind in kinds):
        # a column that may not be a number: a helper decides per value at run time
        if use_log_helper(ctx, unit, row=True) and rename_call(ctx, unit, call, ROW_HELPER) is not None:
            unit.description = f"run.log_row() -> {ROW_HELPER}(): one metric (or tag) per column"
            unit.notes.append("the kind of some columns is not known, so a helper logs numbers as metrics "
                              "and anything else as a tag")
            if _logged_again(ctx, call, name):  # (audit 56: a text column of a table logged row by row)
                # the loss is in the code, not only in the run's output (audit 59w)
                add_todo(ctx, unit, ctx.statement_of(call), "AML014", REPEATED_ROWS_TODO)
        return
    entries = []
    for column in columns:
        key = file_name(ctx, name, f".{column.arg}")
        if key is None:
            unit.refuse(f"the row name {describe(ctx, name)} is not a literal or a variable")
            return
        entries.append(f"{key}: {text(ctx, column.value)}")
    if _logged_again(ctx, call, name):
        unit.notes.append("each repeated row is logged at step 0; pass step= to mlflow.log_metrics to keep rows apart")
    replace(ctx, unit, call, f"mlflow.log_metrics({{{', '.join(entries)}}})")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_row('fold', auc=a)`` -> ``mlflow.log_metrics({'fold.auc': a})``."""
    for site in run_calls(ctx, "log_row"):
        unit = new_unit(ctx, site, "AML014", "run.log_row() -> mlflow.log_metrics() with '<name>.<column>' keys")
        if not refuse_if_metrics_read(ctx, unit, "metrics named '<name>.<column>'"):
            _rewrite(ctx, unit, site.node)
        yield unit


