"""The migration for AML030: ``run.set_tags(tags)`` tags the v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import bind, new_unit, refuse_if_tags_read, rename_call, run_calls


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, ["tags"])
    if bound is None:
        return
    tags = bound.values.get("tags")
    if tags is None:
        unit.refuse("run.set_tags() without tags")
        return
    if refuse_if_tags_read(ctx, unit, call):
        return
    rename_call(ctx, unit, call, "mlflow.set_tags")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.set_tags(d)`` on the job's own run -> ``mlflow.set_tags(d)`` (a submitted
    run's set_tags is folded into the submit by AML001 instead)."""
    for site in run_calls(ctx, "set_tags"):
        unit = new_unit(ctx, site, "AML030", "run.set_tags() -> mlflow.set_tags()")
        _rewrite(ctx, unit, site.node)
        yield unit

