"""AML030: ``run.set_tags(tags)`` tags the v1 run."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML030",
    name="run-set-tags",
    family=Family.IN_JOB,
    v1="run.set_tags()",
    v2="mlflow.set_tags(tags)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "set_tags"),
    why=(
        "mlflow.set_tags takes the same dict. Like run.tag, it acts on the active MLflow "
        "run, which is the job's run only inside a v2 job; run elsewhere, MLflow starts a "
        "local run, so the rewrite is marked unsafe."
    ),
    example="run.set_tags({'team': 'vision', 'data': 'v3'})",
    use_instead="mlflow.set_tags({'team': 'vision', 'data': 'v3'})",
    fixer=fixer("injob.run_set_tags"),
)
