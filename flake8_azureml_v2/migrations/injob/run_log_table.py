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
        shadowed = any(not _imports_json(binding.node) for binding in ctx.bindings_named("json"))
        unit.refuse(f"the {what} {describe(ctx, value)} may be JSON text, which v1 parsed and mlflow.log_dict would "
                    "store as one quoted string: " + ("`json` names a variable of this program, which would hide the "
                                                      "json module json.loads is read from" if shadowed else
                                                      "assign it to a variable first"))
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


def _parsed(ctx: FixContext, value: ast.expr) -> str | None:
    """The object v1 logged for ``value``, which it parsed when it was a string (audit g: a
    confusion matrix given as ``json.dumps(cm)`` was stored as one quoted string): ``json.dumps(x)``
    gives ``x`` while its import stays used, a string ``json.loads`` of it, a variable a test of its
    kind; None when a call's result would be evaluated twice, or ``json`` names something else."""
    if (isinstance(value, ast.Call) and ctx.callee(value) == "json.dumps" and len(value.args) == 1
            and not value.keywords and not isinstance(value.args[0], ast.Starred) and _used_elsewhere(value.func, ctx)):
        return text(ctx, value.args[0])  # (json.loads(json.dumps(x)) is x for what JSON holds)
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return text(ctx, value)
    if any(not _imports_json(binding.node) for binding in ctx.bindings_named("json")):
        return None  # (a local ``json`` would shadow the module where the new code reads it: review)
    loads = f"{symbol('json')}.loads"
    if is_string(ctx, value) or (isinstance(value, ast.Call) and ctx.callee(value) == "json.dumps"):
        return f"{loads}({text(ctx, value)})"
    if isinstance(value, ast.Name):
        return f"{loads}({value.id}) if isinstance({value.id}, str) else {value.id}"
    return None


def _used_elsewhere(function: ast.expr, ctx: FixContext) -> bool:
    """The import ``json.dumps`` is read through stays in use once this call goes (review: an
    unwrapped call left ``import json`` unused)."""
    root = function
    while isinstance(root, ast.Attribute):
        root = root.value
    binding = ctx.binding_of(root) if isinstance(root, ast.Name) else None
    return binding is not None and len(binding.uses) > 1


def _imports_json(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Import) and any(alias.name == "json" and alias.asname in (None, "json")
                                                for alias in node.names)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_table(name, columns)`` -> ``mlflow.log_dict(columns, f'{name}.json')``."""
    for site in run_calls(ctx, "log_table"):
        unit = new_unit(ctx, site, "AML015", "run.log_table() -> mlflow.log_dict() as '<name>.json'")
        if not refuse_if_metrics_read(ctx, unit, "an artifact '<name>.json'"):
            as_json_artifact(ctx, unit, site.node, "table")
        yield unit
