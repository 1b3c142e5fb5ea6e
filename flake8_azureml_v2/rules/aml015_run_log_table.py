"""AML015: ``run.log_table(name, value)`` logs a v1 table."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML015",
    name="run-log-table",
    family=Family.IN_JOB,
    v1="run.log_table()",
    v2="mlflow.log_dict(value, f'{name}.json')",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "log_table"),
    why=(
        "The dict of columns becomes a JSON artifact instead of a table metric, so it no "
        "longer shows up among the run's metrics. Pass the dict itself: log_dict given a "
        "JSON string stores a quoted string. mlflow.log_table exists but needs pandas."
    ),
    example="run.log_table('scores', {'k': [1, 2], 'auc': [0.7, 0.8]})",
    use_instead="mlflow.log_dict({'k': [1, 2], 'auc': [0.7, 0.8]}, 'scores.json')",
    fixer=fixer("injob.run_log_table"),
)
