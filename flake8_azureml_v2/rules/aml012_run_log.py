"""AML012: ``run.log(name, value)`` logs a v1 metric."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.context import Context
from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import sg_method_calls
from ..engine.names import Const
from ._rule import AmlRule as Rule, Family, FixSafety, Hit
from ._injob import (
    bind,
    delete_argument,
    describe,
    drop,
    make_keyword,
    new_unit,
    rename_call,
    rename_keyword,
    run_calls,
    LOG_HELPER,
    use_log_helper,
)
from ._shared import RUN
from ._values import BOOL, NUMBER, STRING, value_kind
from ..engine.findings import RefusalKind

SIGNATURE = ["name", "value", "description", "step"]
_NOT_A_METRIC = (ast.List, ast.Tuple, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)


def detect(ctx: Context) -> Iterator[Hit]:
    """Every ``run.log(...)``; a literal string value gets a message of its own,
    because ``mlflow.log_metric`` rejects strings."""
    for call in ctx.model.method_calls(RUN, "log"):
        _, value = call.argument(1, "value")
        if isinstance(value, Const):
            yield call.node, (
                "run.log() of a string is Azure ML SDK v1; use mlflow.set_tag(name, value) "
                "(mlflow.log_metric accepts numbers only)"
            )
        else:
            yield call.node


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
    drop(unit, bound, "description")
    kind = value_kind(ctx, value)
    name_keyword = "key"
    if kind == STRING:
        if step is not None:
            unit.refuse("a string logged with step=: an MLflow tag keeps one value, not a series")
            return
        unit.description = "run.log() of a string -> mlflow.set_tag()"
        function = "mlflow.set_tag"
    elif isinstance(value, _NOT_A_METRIC) or (isinstance(value, ast.Constant) and kind is None):
        unit.refuse(f"the value {describe(ctx, value)} is not a number: log it with log_dict or log_text by hand",
                    RefusalKind.IMPOSSIBLE)
        return
    elif kind in (NUMBER, BOOL):  # MLflow logs a bool as 1.0 or 0.0, a metric like v1's
        function = "mlflow.log_metric"
    else:
        if not use_log_helper(ctx, unit):
            return
        function, name_keyword = LOG_HELPER, "name"
        unit.description = f"run.log() -> {LOG_HELPER}(): a metric or a tag, decided at run time"
        unit.notes.append(f"the kind of {describe(ctx, value)} is not known, so a helper logs a number as a "
                          "metric and anything else as a tag")
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


RULE = Rule(
    code="AML012",
    name="run-log",
    family=Family.IN_JOB,
    v1="run.log()",
    v2="mlflow.log_metric(name, value) (numbers only; v1's 3rd positional is a description, drop it)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "MLflow records metrics against the run the v2 job starts. mlflow.log_metric "
        "takes numbers only: a string raises and a bool is stored as 1.0 or 0.0, so the "
        "rewrite is safe only for numeric values. The third positional argument of v1 "
        "run.log is a description, not the step; pass step= by keyword. The fix logs a "
        "value known to be a string (a literal, or a variable assigned one) as a tag "
        "instead, refuses lists, dicts and None, and assumes any other value is a number."
    ),
    example=(
        "run.log('loss', loss, 'training loss')\n"
        "run.log('epoch_loss', loss, step=epoch)"
    ),
    use_instead=(
        "mlflow.log_metric('loss', loss)\n"
        "mlflow.log_metric('epoch_loss', loss, step=epoch)"
    ),
    sg_rule=sg_method_calls("log"),
    fixer=fix,
)
