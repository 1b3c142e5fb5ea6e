"""The migration for AML019: ``run.tag(key, value)`` tags the v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import (
    append_argument,
    bind,
    new_unit,
    refuse_if_tags_read,
    refuse_rejected_name,
    rename_call,
    replace,
    run_calls,
)

SIGNATURE = ["key", "value"]


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    key, value = bound.values.get("key"), bound.values.get("value")
    if key is None:
        unit.refuse("run.tag() without a key")
        return
    if refuse_rejected_name(ctx, unit, key, "tag name"):
        return
    if refuse_if_tags_read(ctx, unit, call):
        return
    if isinstance(value, ast.Constant) and value.value is None:
        replace(ctx, unit, value, '""')
    if rename_call(ctx, unit, call, "mlflow.set_tag") is not None and value is None:
        append_argument(ctx, unit, call, '""')


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.tag(key[, value])`` -> ``mlflow.set_tag(key, value or "")``."""
    for site in run_calls(ctx, "tag"):
        unit = new_unit(ctx, site, "AML019", "run.tag() -> mlflow.set_tag()")
        _rewrite(ctx, unit, site.node)
        yield unit

