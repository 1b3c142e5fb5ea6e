"""AML042: ``run.get_portal_url()`` on a v1 run."""

from ._matchers import IN_V1_FILE, method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML042",
    name="run-get-portal-url",
    family=Family.RUNS,
    v1="run.get_portal_url()",
    v2="returned_job.studio_url",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML001",
    detect=method_calls("azureml.core.Run", "get_portal_url"),
    why=(
        "The job object returned by ml_client.jobs.create_or_update carries its Azure ML "
        "studio link as the studio_url property (not a method). It is None until the service "
        "has accepted the job. Inside a training script there is no equivalent."
    ),
    example="print(run.get_portal_url())",
    use_instead="print(returned_job.studio_url)",
    sg_rule={"pattern": "$RUN.get_portal_url()", **IN_V1_FILE},
    sg_fix="$RUN.studio_url",
)
