"""The migration for AML013: ``run.log_list(name, values)`` logs a v1 list metric."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from .._todo import PREFIX as TODO_PREFIX
from ._shared import (
    LOG_HELPER,
    bind,
    describe,
    drop,
    fresh_name,
    indent_unit,
    is_pure,
    new_unit,
    owns_its_lines,
    refuse_if_metrics_read,
    refuse_rejected_name,
    replace,
    run_calls,
    text,
    use_log_helper,
)
from .values import BOOL, NUMBER, STRING, element_kinds, holds_one_value

SIGNATURE = ["name", "value", "description"]
UNKNOWN_KINDS_TODO = ("values that are not numbers become one tag, each replacing the one before "
                      "(v1 kept the whole list): log such a list with mlflow.log_dict")


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name, values = bound.values.get("name"), bound.values.get("value")
    statement = ctx.parent(call)
    if name is None or values is None:
        unit.refuse("run.log_list() without both a name and a list")
        return
    if refuse_rejected_name(ctx, unit, name, "metric name"):
        return
    if not isinstance(statement, ast.Expr) or not owns_its_lines(ctx, statement):
        unit.refuse("run.log_list() is not a statement of its own, so it cannot become a loop")
        return
    if not is_pure(name):
        unit.refuse("the name is computed by a call, which the loop would repeat")
        return
    if holds_one_value(ctx, values):  # a loop would log a string character by character
        unit.refuse(f"{describe(ctx, values)} holds one value, not a list: migrate it by hand")
        return
    kinds = element_kinds(ctx, values)
    if STRING in kinds or BOOL in kinds:
        unit.refuse(f"{describe(ctx, values)} holds strings, which mlflow.log_metric rejects")
        return
    drop(unit, bound, "description")
    function = "mlflow.log_metric"
    todo = ""
    newline, indentation = ctx.locator.newline, ctx.locator.indentation(statement)
    if any(kind != NUMBER for kind in kinds):
        if refuse_if_metrics_read(ctx, unit, "a tag when it is not a number", name):
            return
        if not use_log_helper(ctx, unit):
            return
        function = LOG_HELPER
        unit.notes.append(f"the kind of the values in {describe(ctx, values)} is not known, so a helper logs "
                          "numbers as metrics and anything else as a tag; each value that is not a number "
                          "replaces the tag before it, where v1 kept the whole list")
        # the loss is in the code, not only in the run's output
        comment = f"# {TODO_PREFIX} AML013 {UNKNOWN_KINDS_TODO}"
        unit.todos.append(comment)
        todo = f"{comment}{newline}{indentation}"
    step, value = fresh_name(ctx, "step"), fresh_name(ctx, "value")
    inner = indentation + indent_unit(ctx)
    loop = (
        f"{todo}for {step}, {value} in enumerate({text(ctx, values)}):{newline}"
        f"{inner}{function}({text(ctx, name)}, {value}, step={step})"
    )
    replace(ctx, unit, statement, loop)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_list(name, values)`` -> a loop logging each value at its index as the step."""
    for site in run_calls(ctx, "log_list"):
        unit = new_unit(ctx, site, "AML013", "run.log_list() -> mlflow.log_metric() for each value, step = index")
        _rewrite(ctx, unit, site.node)
        yield unit


