"""AML031: ``run.complete()`` closes a v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import method_calls
from ._rule import AmlRule as Rule, Family, FixSafety
from ._injob import is_pure, new_unit, remove_statement, run_calls
from ._shared import RUN


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

RULE = Rule(
    code="AML031",
    name="run-complete",
    family=Family.IN_JOB,
    v1="run.complete()",
    v2="nothing in a v2 job (the job ends the MLflow run); mlflow.end_run() after mlflow.start_run()",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "complete"),
    message=(
        "run.complete() is Azure ML SDK v1; remove it in a v2 job (the job ends the MLflow "
        "run), or use mlflow.end_run() for a run started with mlflow.start_run()"
    ),
    why=(
        "Inside a submitted job the call did nothing in v1 and the v2 job closes its MLflow "
        "run itself, so it can go. A run opened interactively with start_logging() is "
        "different: it becomes mlflow.start_run() and must be closed with mlflow.end_run(). "
        "The rule cannot always tell the two apart, so the fix is unsafe."
    ),
    example=(
        "run = Run.get_context()\n"
        "...\n"
        "run.complete()"
    ),
    use_instead="# nothing: the v2 job ends the MLflow run",
    fixer=fix,
)
