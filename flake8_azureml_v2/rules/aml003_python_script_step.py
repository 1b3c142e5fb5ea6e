"""AML003: ``PythonScriptStep`` is a v1 pipeline step."""

from __future__ import annotations

from collections.abc import Iterator

from ..migrations.pipelines import PYTHON_SCRIPT_STEP, plan_step
from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import calls_to
from ._rule import AmlRule as Rule, Family, FixSafety


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Each step becomes a ``command`` component; the pipeline fixer (AML004) calls it."""
    for site in ctx.model.calls_to(PYTHON_SCRIPT_STEP):
        unit = Rewrite("AML003", site.node, "PythonScriptStep() -> command component")
        unit.binding = ctx.assigned_binding(site.node)  # so that a refusal explains its users too
        try:
            plan = plan_step(site.node, ctx)
        except ValueError as reason:
            yield unit.refuse(str(reason))
            continue
        unit.binding = plan.binding
        unit.edits.extend(plan.edits)
        unit.consumes.extend(plan.consumes)
        unit.imports |= plan.line.imports
        unit.findings.extend(plan.line.resolves)
        unit.notes.extend(plan.notes)
        yield unit


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
    fixer=fix,
)
