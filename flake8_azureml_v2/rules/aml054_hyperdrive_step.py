"""AML054: ``HyperDriveStep`` runs a v1 hyperparameter search in a pipeline."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML054",
    name="hyperdrive-step",
    family=Family.ADVANCED,
    v1="HyperDriveStep()",
    v2="node.sweep(...) inside the pipeline",
    article="migrate-to-v2-execution-hyperdrive",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.steps.HyperDriveStep"),
    why=(
        "In a v2 pipeline a command node is called with sweep expressions as inputs and then "
        ".sweep() is called on the node. Its trial outputs are read as <node>.outputs.<name>; "
        "TrainingOutput has no equivalent."
    ),
    example="tune = HyperDriveStep(name='tune', hyperdrive_config=hd, inputs=[data])",
    use_instead=(
        "@dsl.pipeline(default_compute='cpu-cluster')\n"
        "def tuned(data):\n"
        "    trial = fit(data=data, lr=Choice(values=[0.01, 0.1]))\n"
        "    tune = trial.sweep(primary_metric='accuracy', goal='Maximize',\n"
        "                       sampling_algorithm='random')"
    ),
    fixer=fixer("hyperdrive_step"),
)
