"""AML044: ``pipeline.publish(...)`` and the v1 ``PublishedPipeline`` class."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ..migrations import fixer
from ._matchers import attribute_reads, calls_to, method_calls, sg_calls, sg_method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit

_PUBLISHED = calls_to("azureml.pipeline.core.PublishedPipeline", members=True)
_HANDLE_CALLS = method_calls("azureml.pipeline.core.PublishedPipeline", "submit", "enable", "disable")
_HANDLE_READS = attribute_reads("azureml.pipeline.core.PublishedPipeline", "endpoint")
_V2 = "a pipeline component (pipeline_job.component) deployed to a batch endpoint"


def detect(ctx: Context) -> Iterator[Hit]:
    """``Pipeline.publish`` on a known Pipeline, and calls of ``PublishedPipeline`` members."""
    for call in ctx.model.method_calls("azureml.pipeline.core.Pipeline", "publish"):
        yield call.node, f"pipeline.publish() is Azure ML SDK v1; use {_V2}"
    for node in _PUBLISHED(ctx):
        yield node, f"PublishedPipeline is Azure ML SDK v1; use {_V2}"
    for call in ctx.model.method_calls("azureml.pipeline.core.PipelineRun", "publish_pipeline"):
        yield call.node, f"pipeline_run.publish_pipeline() is Azure ML SDK v1; use {_V2}"
    for node in _HANDLE_CALLS(ctx):
        yield node, "published_pipeline.submit() is Azure ML SDK v1; use ml_client.batch_endpoints.invoke(...)"
    for node in _HANDLE_READS(ctx):
        yield node, ("published_pipeline.endpoint is Azure ML SDK v1's REST endpoint; callers use the batch "
                     "endpoint's contract (ml_client.batch_endpoints.invoke)")


RULE = Rule(
    code="AML044",
    name="pipeline-publish",
    family=Family.RUNS,
    v1="pipeline.publish()",
    v2=_V2,
    article="migrate-to-v2-deploy-pipelines",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "Published pipelines are replaced by batch endpoints. The pipeline job's component is "
        "registered, deployed with PipelineComponentBatchDeployment under a BatchEndpoint, and "
        "triggered with ml_client.batch_endpoints.invoke. The REST contract changes, so "
        "callers must change too."
    ),
    example="published = pipeline.publish(name='nightly-training')",
    use_instead=(
        "endpoint = BatchEndpoint(name='nightly-training')\n"
        "ml_client.batch_endpoints.begin_create_or_update(endpoint).result()\n"
        "deployment = PipelineComponentBatchDeployment(name='v1', endpoint_name=endpoint.name,\n"
        "                                              component=pipeline_job.component)\n"
        "ml_client.batch_deployments.begin_create_or_update(deployment).result()"
    ),
    sg_rule={"any": [sg_method_calls("publish", "publish_pipeline"),
                     sg_calls("PublishedPipeline", "PublishedPipeline.get", "PublishedPipeline.list")]},
    fixer=fixer("publish"),
)
