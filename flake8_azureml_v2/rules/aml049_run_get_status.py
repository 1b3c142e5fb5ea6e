"""AML049: ``run.get_status()`` on a v1 run."""

from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML049",
    name="run-get-status",
    family=Family.RUNS,
    v1="run.get_status()",
    v2="ml_client.jobs.get(job_name).status",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML001",
    detect=method_calls("azureml.core.Run", "get_status"),
    why=(
        "The status is an attribute of the job entity. The object returned at submission is "
        "a snapshot that does not refresh itself, so fetch the job again with "
        "ml_client.jobs.get(name) whenever the current status is needed."
    ),
    example="if run.get_status() == 'Completed':",
    use_instead="if ml_client.jobs.get(returned_job.name).status == 'Completed':",
)
