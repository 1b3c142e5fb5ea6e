"""AML057: ``EstimatorStep`` runs a v1 estimator in a pipeline."""

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
    fix_safety=FixSafety.UNSAFE,  # a rewrite the reference gives (or does not rule out), not built yet
    detect=calls_to("azureml.pipeline.steps.EstimatorStep"),
    why=(
        "Estimators have no v2 form, so the step becomes a command component called in the "
        "pipeline function. The estimator's entry script and script parameters go into the "
        "command string, and its implicit framework image becomes an explicit environment."
    ),
    example=(
        "step = EstimatorStep(name='fit', estimator=est, estimator_entry_script_arguments=args,\n"
        "                     compute_target=cluster)"
    ),
    use_instead=(
        "fit = command(display_name='fit', code='./src', command='python fit.py --epochs 5',\n"
        "              environment=env)"
    ),
)
