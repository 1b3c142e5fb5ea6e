"""AML080: ``run.cancel()`` on a v1 run."""

from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML080",
    name="run-cancel",
    family=Family.RUNS,
    v1="run.cancel()",
    v2="ml_client.jobs.begin_cancel(job_name).result()",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML001",
    detect=method_calls("azureml.core.Run", "cancel"),
    why=(
        "A v2 job is cancelled through MLClient by its name. begin_cancel returns a poller; "
        "call .result() to wait until the service has accepted the cancellation, as v1's "
        "cancel() did before returning."
    ),
    example="run.cancel()",
    use_instead="ml_client.jobs.begin_cancel(returned_job.name).result()",
)
