"""AML014: ``run.log_row(name, **cols)`` logs a v1 table row."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML014",
    name="run-log-row",
    family=Family.IN_JOB,
    v1="run.log_row()",
    v2="mlflow.log_metrics({f'{name}.{k}': v for k, v in cols.items()})",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "log_row"),
    why=(
        "MLflow has no table rows; each column becomes a metric of its own, named after "
        "the row and the column. That works only for numeric columns, and repeated rows "
        "need a step to stay apart."
    ),
    example="run.log_row('fold', auc=0.81, f1=0.74)",
    use_instead="mlflow.log_metrics({'fold.auc': 0.81, 'fold.f1': 0.74})",
    fixer=fixer("injob.run_log_row"),
)
