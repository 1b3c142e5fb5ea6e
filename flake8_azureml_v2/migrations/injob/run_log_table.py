"""The migration for AML015: ``run.log_table(name, value)`` logs a v1 table."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ...engine.fixing.symbols import symbol
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


def as_json_artifact(ctx: FixContext, unit: Rewrite, call: ast.Call, what: str, parses_json: bool = False) -> None:
    """``run.<method>(name, value[, description])`` -> ``mlflow.log_dict(value, f'{name}.json')``:
    a dict v1 kept on the run (a table, a confusion matrix...) becomes a JSON artifact; ``what``
    names the value in reasons.  ``parses_json``: v1 read a string value as JSON text (its evaluation
    logs did), which log_dict would store as one quoted string."""
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name, value = bound.values.get("name"), bound.values.get("value")
    if name is None or value is None:
        unit.refuse(f"run.{call.func.attr}() without both a name and a {what}")  # type: ignore[attr-defined]
        return
    logged = _parsed(ctx, value) if parses_json else text(ctx, value)
    if logged is None:
        unit.refuse(f"the {what} {describe(ctx, value)} may be JSON text, which v1 parsed and mlflow.log_dict would "
                    "store as one quoted string: assign it to a variable first")
        return
    if not parses_json and is_string(ctx, value):
        unit.refuse(f"the {what} is a string: mlflow.log_dict would store it as one quoted JSON string")
        return
    artifact = file_name(ctx, name, ".json")
    if artifact is None:
        unit.refuse(f"the {what} name {describe(ctx, name)} is not a literal or a variable")
        return
    drop(unit, bound, "description")
    keep_order(unit, [value, name])
    replace(ctx, unit, call, f"mlflow.log_dict({logged}, {artifact})")


# json.dumps's keywords that change only how the text is laid out, not the object it holds
_LAYOUT_ONLY = frozenset({"indent", "separators", "ensure_ascii"})


def _parsed(ctx: FixContext, value: ast.expr) -> str | None:
    """The object v1 logged for ``value``, which it parsed when it was a string (audit g: a
    confusion matrix given as ``json.dumps(cm)`` was stored as one quoted string): ``json.dumps(x)``
    gives ``x``, a string ``json.loads`` of it, a variable of unknown kind a test of it; None
    when a call's result would be evaluated twice."""
    if (isinstance(value, ast.Call) and ctx.callee(value) == "json.dumps" and len(value.args) == 1
            and not isinstance(value.args[0], ast.Starred) and all(k.arg in _LAYOUT_ONLY for k in value.keywords)):
        return text(ctx, value.args[0])
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return text(ctx, value)
    loads = f"{symbol('json')}.loads"
    if is_string(ctx, value):
        return f"{loads}({text(ctx, value)})"
    if isinstance(value, ast.Name):
        return f"{loads}({value.id}) if isinstance({value.id}, str) else {value.id}"
    return None


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_table(name, columns)`` -> ``mlflow.log_dict(columns, f'{name}.json')``."""
    for site in run_calls(ctx, "log_table"):
        unit = new_unit(ctx, site, "AML015", "run.log_table() -> mlflow.log_dict() as '<name>.json'")
        if not refuse_if_metrics_read(ctx, unit, "an artifact '<name>.json'"):
            as_json_artifact(ctx, unit, site.node, "table")
        yield unit

