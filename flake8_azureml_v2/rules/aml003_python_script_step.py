"""AML003: ``PythonScriptStep`` is a v1 pipeline step."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML003",
    name="python-script-step",
    family=Family.JOBS,
    v1="PythonScriptStep()",
    v2="a command component called inside a @dsl.pipeline function",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.steps.PythonScriptStep"),
    why=(
        "v2 pipelines are jobs built from components. Each step becomes a command(...) "
        "component that declares its inputs and outputs, and the pipeline function wires "
        "one step's outputs to the next step's inputs."
    ),
    example=(
        "train_step = PythonScriptStep(name='train', script_name='train.py',\n"
        "                              source_directory='./src', compute_target=cluster)"
    ),
    use_instead=(
        "train = command(display_name='train', code='./src', command='python train.py',\n"
        "                environment=env)\n\n"
        "@dsl.pipeline(default_compute='cpu-cluster')\n"
        "def pipeline():\n"
        "    train_step = train()"
    ),
    fixer=fixer("python_script_step"),
)
