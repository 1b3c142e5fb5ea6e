"""AML084: a v1 run looked up by its id (``Run(experiment, run_id)``, ``Run.get(ws, run_id)``)."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML084",
    name="run-lookup",
    family=Family.RUNS,
    v1="Run(experiment, run_id) / Run.get(ws, run_id)",
    v2="ml_client.jobs.get(run_id), or mlflow.get_run(run_id) for its metrics, params and tags",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to(
        "azureml.core.Run", "azureml.core.Run.get", "azureml.core.ScriptRun",
        "azureml.pipeline.core.PipelineRun", "azureml.pipeline.core.PipelineRun.get",
        "azureml.train.hyperdrive.HyperDriveRun", "azureml.train.automl.run.AutoMLRun",
    ),
    message=(
        "a run looked up by id is Azure ML SDK v1; use ml_client.jobs.get(run_id), "
        "or mlflow.get_run(run_id) for its metrics, params and tags"
    ),
    why=(
        "A v1 run is a v2 job of the same name, which is also its MLflow run id. The job itself "
        "(status, compute, outputs, studio link) comes from ml_client.jobs.get(run_id); what the run "
        "logged comes from MLflow with mlflow.get_run(run_id) once the tracking URI points at the "
        "workspace. The runs of pipelines, sweeps and AutoML are jobs too, looked up the same way. "
        "The fix takes Run and PipelineRun lookups whose every use it can translate."
    ),
    example="train_run = Run(experiment, run_id)",
    use_instead="train_job = ml_client.jobs.get(run_id)",
    fixer=fixer("run_lookup"),
)
