"""AML019: ``run.tag(key, value)`` tags the v1 run."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML019",
    name="run-tag",
    family=Family.IN_JOB,
    v1="run.tag()",
    v2="mlflow.set_tag(key, value) (mlflow.set_tag(key, '') for a tag without value)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "tag"),
    why=(
        "The call itself translates one to one, but it tags whatever MLflow run is active: "
        "the job's run inside a v2 job, while outside a job MLflow starts a local run of "
        "its own instead of v1's offline run. The rewrite is therefore marked unsafe. "
        "v1's value-less tag becomes an empty string."
    ),
    example="run.tag('stage', 'tuning')",
    use_instead="mlflow.set_tag('stage', 'tuning')",
    fixer=fixer("injob.run_tag"),
)
