"""The migration for AML031: ``run.complete()`` closes a v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import is_pure, new_unit, remove_statement, run_calls


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.complete()`` on the job's own run is deleted: the v2 job ends its MLflow run.
    A run from ``experiment.start_logging()`` is not the job's run and is left alone."""
    for site in run_calls(ctx, "complete"):
        call = site.node
        unit = new_unit(ctx, site, "AML031", "removed run.complete(): the v2 job ends its MLflow run", mlflow=False)
        statement = ctx.parent(call)
        if not isinstance(statement, ast.Expr):
            unit.refuse("the result of run.complete() is used")
        elif not all(is_pure(a) for a in [*call.args, *(k.value for k in call.keywords)]):
            unit.refuse("its arguments are computed by calls")
        else:
            remove_statement(ctx, unit, statement)
        yield unit

