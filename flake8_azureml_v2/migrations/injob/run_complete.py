"""The migration for AML031: ``run.complete()`` closes a v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing import statements
from ...engine.fixing.rewrite import FixContext, Rewrite
from ...engine.fixing.symbols import symbol
from ._shared import is_pure, new_unit, remove_statement, run_calls, start_logging_call


COMPLETE = "_v1_complete"
_COMPLETE_SOURCE = f'''def {COMPLETE}():
    """run.complete() of experiment.start_logging(): v1 uploaded ./outputs, then ended the run."""
    if {symbol("os")}.path.isdir("outputs"):
        mlflow.log_artifacts("outputs", artifact_path="outputs")
    mlflow.end_run()
'''


def _started_here(ctx: FixContext, receiver: ast.expr) -> bool:
    binding = ctx.binding_of(receiver) if isinstance(receiver, ast.Name) else None
    return binding is not None and start_logging_call(ctx, binding) is not None


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.complete()`` on the job's own run is deleted: the v2 job ends its MLflow run.
    A run from ``experiment.start_logging()`` ends its MLflow run, after v1's upload of ./outputs."""
    for site in run_calls(ctx, "complete"):
        call = site.node
        started = _started_here(ctx, call.func.value)  # type: ignore[attr-defined]
        description = ("run.complete() -> ./outputs logged, mlflow.end_run()" if started
                       else "removed run.complete(): the v2 job ends its MLflow run")
        unit = new_unit(ctx, site, "AML031", description, mlflow=started)
        statement = ctx.parent(call)
        if not isinstance(statement, ast.Expr):
            unit.refuse("the result of run.complete() is used")
        elif not all(is_pure(a) for a in [*call.args, *(k.value for k in call.keywords)]):
            unit.refuse("its arguments are computed by calls")
        elif started:
            unit.edits.append(statements.replace(ctx.locator, call, f"{COMPLETE}()"))
            unit.helpers[COMPLETE] = _COMPLETE_SOURCE
        else:
            remove_statement(ctx, unit, statement)
        yield unit

