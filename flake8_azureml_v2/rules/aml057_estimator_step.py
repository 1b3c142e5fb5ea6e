"""AML057: ``EstimatorStep`` runs a v1 estimator in a pipeline."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML057",
    name="estimator-step",
    family=Family.ADVANCED,
    v1="EstimatorStep()",
    v2="a command component",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.steps.EstimatorStep"),
    why=(
        "Estimators have no v2 form: the estimator becomes a command, and the pipeline function "
        "calls it as a node. The step's arguments join the entry script in the command string, "
        "its data become inputs and outputs, allow_reuse becomes is_deterministic, and the "
        "estimator's implicit image becomes an explicit environment."
    ),
    example=(
        "step = EstimatorStep(name='fit', estimator=est, estimator_entry_script_arguments=args,\n"
        "                     compute_target=cluster)"
    ),
    use_instead=(
        "fit = command(display_name='fit', code='./src', command='python fit.py --epochs 5',\n"
        "              environment=env)"
    ),
    fixer=fixer("estimator_step"),
)
