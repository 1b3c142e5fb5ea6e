"""AML045: the v1 ``PipelineEndpoint`` class and what its instances do."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ._matchers import calls_to, method_calls, sg_calls, sg_method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit

_CLASS = calls_to("azureml.pipeline.core.PipelineEndpoint", members=True)
_METHODS = method_calls("azureml.pipeline.core.PipelineEndpoint", "submit", "add_default", "add", "set_default",
                        "get_pipeline", "disable", "enable")


def detect(ctx: Context) -> Iterator[Hit]:
    """``PipelineEndpoint.publish()/get()`` and the methods of the endpoint they return."""
    yield from _CLASS(ctx)
    for node in _METHODS(ctx):
        yield node, (f"pipeline_endpoint.{node.func.attr}() is Azure ML SDK v1; use ml_client.batch_endpoints "  # type: ignore[union-attr]
                     "(invoke, or a deployment set as the endpoint's default)")

RULE = Rule(
    code="AML045",
    name="pipeline-endpoint",
    family=Family.RUNS,
    v1="PipelineEndpoint",
    v2="a BatchEndpoint with a PipelineComponentBatchDeployment",
    article="migrate-to-v2-deploy-pipelines",
    fix_safety=FixSafety.UNSAFE,  # a rewrite the reference gives (or does not rule out), not built yet
    detect=detect,
    message="PipelineEndpoint is Azure ML SDK v1; use a BatchEndpoint with a PipelineComponentBatchDeployment",
    why=(
        "A batch endpoint plays the role of the pipeline endpoint: each pipeline version "
        "becomes a deployment, the default deployment takes the calls, and jobs are started "
        "with ml_client.batch_endpoints.invoke(endpoint_name, deployment_name=, inputs=)."
    ),
    example="endpoint = PipelineEndpoint.get(workspace=ws, name='scoring')",
    use_instead="endpoint = ml_client.batch_endpoints.get('scoring')",
    sg_rule={"any": [sg_calls("PipelineEndpoint", "PipelineEndpoint.publish", "PipelineEndpoint.get"),
                     sg_method_calls("add_default", "set_default")]},
)
