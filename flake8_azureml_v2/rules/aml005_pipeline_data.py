"""AML005: ``PipelineData`` declares intermediate data between v1 steps."""

from __future__ import annotations

from collections.abc import Iterator

from ..migrations._common import absorbed_bindings
from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import calls_to
from ._rule import AmlRule as Rule, Family, FixSafety


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """A PipelineData passed between steps becomes a step output bound in the pipeline
    body (AML003/AML004 do that); the v1 variable is then deleted."""
    yield from absorbed_bindings(ctx, "azureml.pipeline.core.PipelineData", "AML005", "PipelineData() -> Output(...)")


RULE = Rule(
    code="AML005",
    name="pipeline-data",
    family=Family.JOBS,
    v1="PipelineData()",
    v2="an Output(type='uri_folder') of the producing step",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.core.PipelineData"),
    why=(
        "In v2 the producing component declares an Output(type='uri_folder') and consumers "
        "receive producer.outputs.<name> in the pipeline body. output_mode becomes the "
        "output's mode and a datastore becomes an azureml:// path or the pipeline's "
        "default_datastore."
    ),
    example="prepared = PipelineData('prepared', datastore=store)",
    use_instead=(
        "prep = command(..., outputs={'prepared': Output(type='uri_folder')})\n"
        "# in the pipeline: train(data=prep_step.outputs.prepared)"
    ),
    fixer=fix,
)
