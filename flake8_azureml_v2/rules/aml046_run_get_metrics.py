"""AML046: ``run.get_metrics()`` on a v1 run."""

from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML046",
    name="run-get-metrics",
    family=Family.RUNS,
    v1="run.get_metrics()",
    v2="mlflow.get_run(job_name).data.metrics",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML001",
    detect=method_calls("azureml.core.Run", "get_metrics"),
    why=(
        "v2 metrics live in MLflow, and the job name is the MLflow run id. Point MLflow at "
        "the workspace first (mlflow.set_tracking_uri with the workspace's "
        "mlflow_tracking_uri). data.metrics holds the latest value of each metric, whereas "
        "v1 returned lists for metrics logged several times."
    ),
    example="metrics = run.get_metrics()",
    use_instead="metrics = mlflow.get_run(returned_job.name).data.metrics",
)
