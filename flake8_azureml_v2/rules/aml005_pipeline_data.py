"""AML005: ``PipelineData`` declares intermediate data between v1 steps."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

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
    fixer=fixer("pipeline_data"),
)
