"""AML043: ``pipeline.submit(experiment_name)`` on a v1 Pipeline."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML043",
    name="pipeline-submit",
    family=Family.RUNS,
    v1="pipeline.submit(experiment_name)",
    v2="ml_client.jobs.create_or_update(pipeline_job, experiment_name=...)",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls("azureml.pipeline.core.Pipeline", "submit"),
    why=(
        "A v2 pipeline is a job returned by calling a @dsl.pipeline function, submitted like "
        "any other job. pipeline_parameters become arguments of that call; "
        "regenerate_outputs=True becomes settings.force_rerun and continue_on_step_failure "
        "moves to the pipeline settings too."
    ),
    example="pipeline_run = pipeline.submit('train-score-eval')",
    use_instead=(
        "pipeline_job = ml_client.jobs.create_or_update(pipeline_job,\n"
        "                                               experiment_name='train-score-eval')"
    ),
    fixer=fixer("pipeline_submit"),
)
