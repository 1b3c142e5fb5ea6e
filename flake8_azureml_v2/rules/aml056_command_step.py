"""AML056: ``CommandStep`` is a v1 pipeline step running a shell command."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML056",
    name="command-step",
    family=Family.ADVANCED,
    v1="CommandStep()",
    v2="a command component",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,  # a rewrite the reference gives (or does not rule out), not built yet
    detect=calls_to("azureml.pipeline.steps.CommandStep"),
    why=(
        "A v2 command component already runs a shell command: the step's command, "
        "source_directory and runconfig become command(command=..., code=..., "
        "environment=...), and its inputs and outputs are declared on the component and bound "
        "in the pipeline body."
    ),
    example=(
        "step = CommandStep(name='prep', command='python prep.py', source_directory='./src',\n"
        "                   compute_target=cluster)"
    ),
    use_instead=(
        "prep = command(display_name='prep', code='./src', command='python prep.py',\n"
        "               environment=env)"
    ),
)
