"""The migration for AML012: ``run.log(name, value)`` logs a v1 metric."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.findings import RefusalKind
from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import (
    refuse_if_metrics_read,
    LOG_HELPER,
    bind,
    delete_argument,
    describe,
    drop,
    make_keyword,
    may_repeat,
    new_unit,
    refuse_rejected_name,
    rename_call,
    rename_keyword,
    run_calls,
    use_log_helper,
)
from .._todo import add_todo
from .values import BOOL, NUMBER, STRING, value_kind

SIGNATURE = ["name", "value", "description", "step"]
REPEATED_TAG_TODO = ("a value logged under {name} that is not a number becomes a tag, each replacing the one logged "
                     "before it (v1 kept every value): log such values with mlflow.log_dict")
_NOT_A_METRIC = (ast.List, ast.Tuple, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)


def _read_back_as_float(ctx: FixContext, value: ast.expr) -> bool:
    """An int or a bool (by its looks, or a command-line option parsed as one), which MLflow gives
    back as a float (see _metric_tables)."""
    from .._metric_tables import non_float_kind  # (it imports the launchers' side)

    return non_float_kind(value, ctx.model.tree) is not None


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    """Edit the call in place: rename it, drop the description, spell step= out."""
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    values = bound.values
    name, value, step = values.get("name"), values.get("value"), values.get("step")
    if name is None or value is None:
        unit.refuse("run.log() without both a name and a value")
        return
    if refuse_rejected_name(ctx, unit, name):
        return
    drop(unit, bound, "description")
    kind = value_kind(ctx, value)
    name_keyword = "key"
    repeats = may_repeat(ctx, call, name)
    if kind == STRING:
        if step is not None:
            unit.refuse("a string logged with step=: an MLflow tag keeps one value, not a series")
            return
        if repeats is not None:
            unit.refuse(f"a string may be logged under this name more than once ({repeats}): v1 kept every value, "
                        "an MLflow tag keeps only the last")
            return
        if refuse_if_metrics_read(ctx, unit, "a tag", name):
            return
        unit.description = "run.log() of a string -> mlflow.set_tag()"
        function = "mlflow.set_tag"
    elif isinstance(value, _NOT_A_METRIC) or (isinstance(value, ast.Constant) and kind is None):
        unit.refuse(f"the value {describe(ctx, value)} is not a number: log it with log_dict or log_text by hand",
                    RefusalKind.IMPOSSIBLE)
        return
    elif kind in (NUMBER, BOOL):  # MLflow logs a bool as 1.0 or 0.0, a metric like v1's
        if _read_back_as_float(ctx, value) and refuse_if_metrics_read(ctx, unit, "a float", name, by_key_only=True):
            return  # (v1 gave the reader the int or bool back: range(metrics["epochs"]) would fail)
        function = "mlflow.log_metric"
    else:
        if refuse_if_metrics_read(ctx, unit, "a tag when it is not a number", name):
            return
        if not use_log_helper(ctx, unit):
            return
        function, name_keyword = LOG_HELPER, "name"
        unit.description = f"run.log() -> {LOG_HELPER}(): a metric or a tag, decided at run time"
        unit.notes.append(f"the kind of {describe(ctx, value)} is not known, so a helper logs a number as a "
                          "metric and anything else as a tag")
        if repeats is not None:  # the loss is in the code, not only in the run's output: a TODO says so
            unit.notes.append(f"{repeats}: a value that is not a number replaces the tag logged before it, "
                              "where v1 kept every value")
            add_todo(ctx, unit, ctx.statement_of(call), "AML012", REPEATED_TAG_TODO.format(name=describe(ctx, name)))
    elements = rename_call(ctx, unit, call, function)
    if elements is None:
        return
    for parameter, node in values.items():
        start = ctx.locator.start(node)
        element = next(e for e in elements if e.start <= start < e.end)
        if parameter == "description":
            delete_argument(ctx, unit, call, element)
        elif parameter == "name" and element.keyword is not None:
            rename_keyword(unit, element, name_keyword)
        elif parameter == "step" and element.keyword is None:
            make_keyword(unit, element, "step")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log(name, value[, description][, step=s])`` -> ``mlflow.log_metric(name,
    value[, step=s])``; a value known to be a string -> ``mlflow.set_tag(name, value)``."""
    for site in run_calls(ctx, "log"):
        unit = new_unit(ctx, site, "AML012", "run.log() -> mlflow.log_metric()")
        _rewrite(ctx, unit, site.node)
        yield unit


