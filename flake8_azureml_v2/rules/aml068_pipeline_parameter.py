"""AML068: ``PipelineParameter`` declares a v1 pipeline parameter."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML068",
    name="pipeline-parameter",
    family=Family.ADVANCED,
    v1="PipelineParameter()",
    v2="a parameter (with default) of the @dsl.pipeline function",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.core.PipelineParameter"),
    why=(
        "A v2 pipeline's parameters are the arguments of the @dsl.pipeline function: the name "
        "becomes the parameter name and default_value its default. Values given at submit "
        "time in pipeline_parameters become keyword arguments of the function call."
    ),
    example="epochs = PipelineParameter(name='epochs', default_value=5)",
    use_instead=(
        "@dsl.pipeline(default_compute='cpu-cluster')\n"
        "def training(epochs: int = 5):\n"
        "    fit(epochs=epochs)"
    ),
    fixer=fixer("pipeline_parameter"),
)
