"""AML039: ``run.log_confusion_matrix(...)`` and v1's other evaluation logs (accuracy table,
predictions, residuals)."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

METHODS = ("log_confusion_matrix", "log_accuracy_table", "log_predictions", "log_residuals")

RULE = Rule(
    code="AML039",
    name="run-log-evaluation",
    family=Family.IN_JOB,
    v1="run.log_confusion_matrix() / log_accuracy_table() / log_predictions() / log_residuals()",
    v2="mlflow.log_dict(value, f'{name}.json')",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, *METHODS),
    why=(
        "v1 kept these dicts as run metrics that the studio drew as charts; MLflow has no such "
        "metric kind, so each becomes a JSON artifact named after it. Pass the dict itself: "
        "log_dict given a JSON string stores a quoted string."
    ),
    example="run.log_confusion_matrix('cm', {'schema_type': 'confusion_matrix', 'data': cm})",
    use_instead="mlflow.log_dict({'schema_type': 'confusion_matrix', 'data': cm}, 'cm.json')",
    fixer=fixer("injob.run_log_evaluation"),
)
