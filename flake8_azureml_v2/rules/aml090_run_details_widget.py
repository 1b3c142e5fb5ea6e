"""AML090: the v1 ``RunDetails(run).show()`` notebook widget."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML090",
    name="run-details-widget",
    family=Family.RUNS,
    v1="RunDetails(run).show()",
    v2="returned_job.studio_url or ml_client.jobs.stream(returned_job.name)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML001",
    detect=calls_to("azureml.widgets.RunDetails", members=True),
    why=(
        "The azureml-widgets notebook widget is part of SDK v1 and has no v2 counterpart. "
        "Open the job in Azure ML studio through its studio_url, or stream its log into the "
        "notebook with ml_client.jobs.stream."
    ),
    example="RunDetails(run).show()",
    use_instead="print(returned_job.studio_url)",
)
