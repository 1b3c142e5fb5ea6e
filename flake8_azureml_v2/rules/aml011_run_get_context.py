"""AML011: ``Run.get_context()`` fetches the v1 run inside a job."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML011",
    name="run-get-context",
    family=Family.IN_JOB,
    v1="Run.get_context()",
    v2="nothing: call mlflow directly (the v2 job's MLflow run is already active)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.Run.get_context"),
    message=(
        "Run.get_context() is Azure ML SDK v1; drop it and call mlflow directly "
        "(a v2 job already has an active MLflow run)"
    ),
    why=(
        "A v2 job sets the MLflow tracking URI and names its run (MLFLOW_RUN_ID) before the "
        "script begins, so the first MLflow call logs to the job's run: there is no run object "
        "to fetch and no mlflow.start_run() to call. Removing the call is only correct once every "
        "use of the returned run has been rewritten to MLflow, hence the fix is unsafe. The fix "
        "deletes the variable together with the rewrites of its uses (run.id becomes "
        "(mlflow.active_run() or mlflow.start_run()).info.run_id, as active_run() is None before "
        "the first MLflow call); a use it cannot translate, such as run.input_datasets, keeps the "
        "run for that use. A parameter of the script's own functions that every call hands this run "
        "is the run too: its calls move to MLflow, and once nothing in the function needs it the calls "
        "pass None in its place (the parameter stays for callers the fix cannot see). It writes one "
        "TODO: the job's environment needs mlflow and azureml-mlflow."
    ),
    example=(
        "from azureml.core import Run\n"
        "run = Run.get_context()\n"
        "run.log('accuracy', 0.91)"
    ),
    use_instead=(
        "import mlflow\n"
        "mlflow.log_metric('accuracy', 0.91)"
    ),
    fixer=fixer("injob.run_get_context"),
)
