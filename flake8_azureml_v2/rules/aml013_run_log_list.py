"""AML013: ``run.log_list(name, values)`` logs a v1 list metric."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML013",
    name="run-log-list",
    family=Family.IN_JOB,
    v1="run.log_list()",
    v2="mlflow.log_metric(name, v, step=i) for each (i, v) in enumerate(values)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "log_list"),
    why=(
        "MLflow has no list metric. Log each element as its own value of one metric and "
        "give it the element's index as the step; without a step every value lands on "
        "step 0. The elements must be numbers."
    ),
    example="run.log_list('losses', [0.9, 0.5, 0.3])",
    use_instead=(
        "for i, v in enumerate([0.9, 0.5, 0.3]):\n"
        "    mlflow.log_metric('losses', v, step=i)"
    ),
    fixer=fixer("injob.run_log_list"),
)
