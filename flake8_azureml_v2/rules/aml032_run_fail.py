"""AML032: ``run.fail()`` marks a v1 run as failed."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

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
    fixer=fixer("injob.run_fail"),
)
