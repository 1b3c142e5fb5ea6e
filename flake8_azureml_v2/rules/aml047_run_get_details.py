"""AML047: ``run.get_details()`` on a v1 run."""

from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML047",
    name="run-get-details",
    family=Family.RUNS,
    v1="run.get_details()",
    v2="ml_client.jobs.get(job_name)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML001",
    detect=method_calls("azureml.core.Run", "get_details"),
    why=(
        "ml_client.jobs.get returns the job entity with typed attributes (status, compute, "
        "inputs, outputs, studio_url) instead of v1's details dictionary, so code that "
        "indexes the dict by key has to be rewritten."
    ),
    example="details = run.get_details()",
    use_instead="job = ml_client.jobs.get(returned_job.name)",
)
