"""The migration for AML032: ``run.fail()`` marks a v1 run as failed."""

from __future__ import annotations

from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import new_unit, replace, run_calls


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.fail()`` on the job's own run -> ``mlflow.end_run(status="FAILED")``.
    Error details have no MLflow counterpart, so a call that passes them is left."""
    for site in run_calls(ctx, "fail"):
        call = site.node
        unit = new_unit(ctx, site, "AML032", 'run.fail() -> mlflow.end_run(status="FAILED")')
        if call.args or call.keywords:
            unit.refuse("run.fail() passes error details, which MLflow cannot record this way: migrate it by hand")
        else:
            replace(ctx, unit, call, 'mlflow.end_run(status="FAILED")')
        yield unit


