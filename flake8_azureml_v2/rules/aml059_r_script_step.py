"""AML059: ``RScriptStep`` is a v1 pipeline step running an R script."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML059",
    name="r-script-step",
    family=Family.ADVANCED,
    v1="RScriptStep()",
    v2="a command component running Rscript",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,  # a rewrite the reference gives (or does not rule out), not built yet
    detect=calls_to("azureml.pipeline.steps.RScriptStep"),
    why=(
        "v2 has no R-specific step: a command component runs the script with Rscript in an "
        "environment whose image has R installed, and the step's inputs and outputs become "
        "component inputs and outputs."
    ),
    example="step = RScriptStep(script_name='model.R', source_directory='./r', runconfig=rc)",
    use_instead="model = command(code='./r', command='Rscript model.R', environment=r_env)",
)
