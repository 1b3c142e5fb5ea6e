"""AML031: ``run.complete()`` closes a v1 run."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

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
    fixer=fixer("injob.run_complete"),
)
