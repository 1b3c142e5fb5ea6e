"""AML004: ``Pipeline`` builds a v1 pipeline from steps."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML004",
    name="pipeline",
    family=Family.JOBS,
    v1="Pipeline()",
    v2="a @dsl.pipeline function that calls the components",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.core.Pipeline"),
    why=(
        "v2 has no pipeline object built from a list of steps. A function decorated with "
        "@dsl.pipeline calls each component, and the data passed between the calls defines "
        "the graph. Calling the function returns the PipelineJob to submit with "
        "ml_client.jobs."
    ),
    example="pipeline = Pipeline(workspace=ws, steps=[train_step, score_step])",
    use_instead=(
        "@dsl.pipeline(default_compute='cpu-cluster')\n"
        "def train_and_score(data):\n"
        "    trained = train(training_data=data)\n"
        "    score(model_input=trained.outputs.model_output)\n"
        "\n"
        "pipeline_job = train_and_score(data=Input(type='uri_folder', path=url))"
    ),
    fixer=fixer("pipeline"),
)
