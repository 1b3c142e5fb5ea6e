"""Does a migrated ``run.get_metrics()`` still give what its reader reads?

v1's ``get_metrics()`` returned a script's strings and tables (``run.log_row``, ``log_table``,
images and evaluation logs) beside its numbers, and its ints as ints.  MLflow's metrics hold
floats only, so ``_v1_get_metrics`` returns no such entry (a reader of one would fail with
KeyError) and an int as a float (``range(metrics["max_iter"])`` would fail).  A job script of
this program that logs one keeps the reader v1, unless the reader only reads, by literal key, values that
are floats.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ..engine import project
from ..engine.fixing.rewrite import FixContext
from ..engine.source import tree_if_mentioned
from ..rules.aml039_run_log_evaluation import METHODS as EVALUATION_METHODS
from . import commandline

_TABLE_CALL = re.compile(
    r"\.(?:" + "|".join(("log_row", "log_table", "log_image", *EVALUATION_METHODS)) + r")"
    r"\(\s*(?:name\s*=\s*)?(?:(['\"])(.*?)\1)?")
_UNKNOWN = None  # a table whose name is not a literal: any key may be it
_DEPLOYMENTS = ("azureml.core.model.", "azureml.core.image.")


def reads_only_floats(call: ast.Call, ctx: FixContext) -> bool:
    """``call`` (a ``get_metrics()``) gives its reader what v1 gave, as far as this program's job
    scripts show: they log floats only, or every read of the result is a literal key none of them
    logs anything else under."""
    tables = _tables(ctx)
    if not tables:
        return True
    if _UNKNOWN in tables:
        return False
    keys = _literal_keys(call, ctx)
    return keys is not None and not keys & tables


def _literal_keys(call: ast.Call, ctx: FixContext) -> set[str] | None:
    """The keys read from the result (``m["loss"]`` of ``m = run.get_metrics()``, or the call
    subscripted at once), or None when any use of it is something else."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.Subscript):
        key = parent.slice
        return {key.value} if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    binding = ctx.assigned_binding(call)
    if binding is None or len(ctx.bindings_named(binding.name)) != 1:
        return None
    keys: set[str] = set()
    for use in binding.uses:
        read = ctx.parent(use)
        if not (isinstance(read, ast.Subscript) and read.value is use and isinstance(read.slice, ast.Constant)
                and isinstance(read.slice.value, str)):
            return None
        keys.add(read.slice.value)
    return keys


def _tables(ctx: FixContext) -> set[str | None]:
    """The names the program's job scripts log a non-float under (None: one not known here), once a pass."""
    if "metric_tables" not in ctx.cache:
        found: set[str | None] = set()
        here = Path(getattr(ctx.analysis.context, "path", None) or "-")
        for folder, script, reference in project.script_references(ctx.model, here):
            if reference.launcher is None or reference.launcher.startswith(_DEPLOYMENTS):
                continue
            text = _text(ctx, None if folder is None or folder.startswith(project.UNKNOWN_FOLDER) else folder, script)
            found.update(match.group(2) if match.group(1) else _UNKNOWN for match in _TABLE_CALL.finditer(text or ""))
            found.update(_non_floats_logged(text or ""))
        ctx.cache["metric_tables"] = found
    return ctx.cache["metric_tables"]  # type: ignore[return-value]


def _non_floats_logged(text: str) -> set[str | None]:
    """The names ``run.log(name, value)`` logs a string, an int or a bool under, as far as the script
    shows (a literal, an f-string, ``str(...)``, ``int(...)``, ``len(...)``, an argparse option of
    ``type=int``): v1 returned a string among the metrics and an int as an int; MLflow's metrics
    hold neither (the script's own fix keeps a string v1 while its metrics are read back)."""
    tree = tree_if_mentioned(text, ".log(")
    if tree is None:
        return set()
    options = _int_options(tree)
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "log"):
            continue
        values = dict(zip(("name", "value"), node.args))
        values.update({k.arg: k.value for k in node.keywords if k.arg in ("name", "value")})
        value, name = values.get("value"), values.get("name")
        if value is not None and _not_a_float(value, options):
            found.add(name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else _UNKNOWN)
    return found


_CONVERTERS = {"str", "int", "len", "round"}  # (round() of one argument gives an int)


def _not_a_float(value: ast.expr, options: set[str]) -> bool:
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.Constant):
        return isinstance(value.value, (str, int))  # (a bool too: v1 returned True, MLflow 1.0)
    if isinstance(value, ast.Call):
        func = value.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        return called in _CONVERTERS and (called != "round" or len(value.args) == 1)
    return isinstance(value, ast.Attribute) and value.attr in options


def _int_options(tree: ast.AST) -> set[str]:
    """The destinations of ``parser.add_argument("--max_iter", type=int)`` options."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument"):
            continue
        kind = next((k.value for k in node.keywords if k.arg == "type"), None)
        if not (isinstance(kind, ast.Name) and kind.id == "int"):
            continue
        dest = next((k.value for k in node.keywords if k.arg == "dest"), None)
        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if isinstance(dest, ast.Constant) and isinstance(dest.value, str):
            found.add(dest.value)
        elif flags:
            long = next((f for f in flags if f.startswith("--")), flags[0])
            found.add(long.lstrip("-").replace("-", "_"))
    return found


def _text(ctx: FixContext, folder: str | None, script: str) -> str | None:
    try:
        return commandline.script_text(ctx, folder, script)
    except commandline.Refused:
        return None  # (the job's own fix refuses then)
