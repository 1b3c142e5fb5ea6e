"""AML032: ``run.fail()`` marks a v1 run as failed."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import method_calls
from ._rule import AmlRule as Rule, Family, FixSafety
from ._injob import new_unit, replace, run_calls
from ._shared import RUN


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


RULE = Rule(
    code="AML032",
    name="run-fail",
    family=Family.IN_JOB,
    v1="run.fail()",
    v2='mlflow.end_run(status="FAILED")',
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "fail"),
    why=(
        "MLflow ends the active run with a FAILED status. Error details passed to v1 "
        "have no MLflow counterpart; log them as a tag or text artifact if they matter. "
        "Check whether the script should also raise or exit non-zero, so that the job "
        "itself is reported as failed."
    ),
    example="if frame.empty:\n    run.fail()",
    use_instead='if frame.empty:\n    mlflow.end_run(status="FAILED")',
    fixer=fix,
)
