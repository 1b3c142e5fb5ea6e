"""AML001: ``Experiment.submit`` submits a v1 run."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ..engine.names import Instance, Local
from ..migrations import fixer
from ..v1api import is_subtype
from ._matchers import sg_method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit
from ._shared import EXPERIMENT, SUBMITTABLE


# A published pipeline or its endpoint runs in v2 through a batch endpoint (mapping-extension 9.1).
PUBLISHED = ("azureml.pipeline.core.PublishedPipeline", "azureml.pipeline.core.PipelineEndpoint")
INVOKE = "ml_client.batch_endpoints.invoke(endpoint_name=..., experiment_name=..., inputs=...)"
PUBLISHED_MESSAGE = f"Experiment.submit() of a published pipeline is Azure ML SDK v1; use {INVOKE}"


def detect(ctx: Context) -> Iterator[Hit]:
    """Flag ``x.submit(...)`` only with evidence: ``x`` is an Experiment, or the
    argument is a v1 config.  ``executor.submit(fn)`` is never a finding."""
    for call in ctx.model.calls:
        if call.method != "submit":
            continue
        receiver = call.receiver
        if isinstance(receiver, Instance):
            if is_subtype(receiver.type, EXPERIMENT):
                _, config = call.argument(0, "config")
                published = isinstance(config, Instance) and config.type in PUBLISHED
                yield (call.node, PUBLISHED_MESSAGE) if published else call.node
            continue
        if isinstance(receiver, Local):
            continue
        _, config = call.argument(0, "config")
        if isinstance(config, Instance) and config.type in SUBMITTABLE:
            yield call.node


RULE = Rule(
    code="AML001",
    name="experiment-submit",
    family=Family.JOBS,
    v1="Experiment.submit()",
    v2="MLClient.jobs.create_or_update(job, experiment_name=...)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "SDK v2 has no Experiment object: a job is submitted through MLClient and the "
        "experiment is just a name on the job. Without experiment_name, v2 files the job "
        "under the current folder's name."
    ),
    example=(
        "experiment = Experiment(workspace=ws, name='day1')\n"
        "run = experiment.submit(config)"
    ),
    use_instead=(
        "returned_job = ml_client.jobs.create_or_update(job, experiment_name='day1')"
    ),
    fixer=fixer("experiment_submit"),
    sg_rule=sg_method_calls("submit"),
)
