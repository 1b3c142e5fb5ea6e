"""AML067: ``StepSequence`` orders v1 steps without data between them."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML067",
    name="step-sequence",
    family=Family.ADVANCED,
    v1="StepSequence()",
    v2="data dependencies between pipeline nodes",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.MANUAL,
    detect=calls_to("azureml.pipeline.core.StepSequence"),
    why=(
        "v2 pipelines order nodes only through data: a node runs after another when it "
        "consumes one of its outputs. There are no control-only edges, so add an output to "
        "the earlier step and pass it to the later one."
    ),
    example=(
        "sequence = StepSequence(steps=[prep_step, fit_step])\n"
        "pipeline = Pipeline(workspace=ws, steps=sequence)"
    ),
    use_instead=(
        "@dsl.pipeline(default_compute='cpu-cluster')\n"
        "def ordered():\n"
        "    prep_node = prep()\n"
        "    fit(ready=prep_node.outputs.done)  # the data edge orders the nodes"
    ),
    message="StepSequence() is Azure ML SDK v1; v2 has no control-only edges: order nodes through data dependencies",
)
