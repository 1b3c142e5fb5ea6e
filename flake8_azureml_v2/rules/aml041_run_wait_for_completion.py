"""AML041: ``run.wait_for_completion()`` on a submitted v1 run."""

from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML041",
    name="run-wait-for-completion",
    family=Family.RUNS,
    v1="run.wait_for_completion()",
    v2="ml_client.jobs.stream(returned_job.name)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML001",
    # Only runs (PipelineRun included); compute targets have their own wait_for_completion.
    detect=method_calls("azureml.core.Run", "wait_for_completion"),
    why=(
        "ml_client.jobs.stream follows the job's log until it ends and raises on failure, "
        "like v1's default raise_on_error=True. It always prints, returns None instead of a "
        "details dict, and has no timeout: for a silent wait, poll "
        "ml_client.jobs.get(name).status."
    ),
    example="run.wait_for_completion(show_output=True)",
    use_instead="ml_client.jobs.stream(returned_job.name)",
)
