"""AML045: the v1 ``PipelineEndpoint`` class."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML045",
    name="pipeline-endpoint",
    family=Family.RUNS,
    v1="PipelineEndpoint",
    v2="a BatchEndpoint with a PipelineComponentBatchDeployment",
    article="migrate-to-v2-deploy-pipelines",
    fix_safety=FixSafety.MANUAL,
    detect=calls_to("azureml.pipeline.core.PipelineEndpoint", members=True),
    why=(
        "A batch endpoint plays the role of the pipeline endpoint: each pipeline version "
        "becomes a deployment, the default deployment takes the calls, and jobs are started "
        "with ml_client.batch_endpoints.invoke(endpoint_name, deployment_name=, inputs=)."
    ),
    example="endpoint = PipelineEndpoint.get(workspace=ws, name='scoring')",
    use_instead="endpoint = ml_client.batch_endpoints.get('scoring')",
)
