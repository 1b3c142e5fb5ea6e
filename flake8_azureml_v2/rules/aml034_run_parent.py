"""AML034: ``run.parent`` reaches the v1 parent run."""

from ._matchers import attribute_reads
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML034",
    name="run-parent",
    family=Family.IN_JOB,
    v1="run.parent",
    v2="mlflow.get_parent_run(mlflow.active_run().info.run_id), then run_id= on the mlflow call",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.MANUAL,
    message=(
        "run.parent is Azure ML SDK v1; get the parent with "
        "mlflow.get_parent_run(mlflow.active_run().info.run_id) and pass its run_id to the mlflow call"
    ),
    detect=attribute_reads(RUN, "parent"),
    why=(
        "MLflow has no parent object to call methods on. Look the parent up by the active "
        "run's id and pass its run_id explicitly to each logging call. What the parent is "
        "(a pipeline job, a sweep) also changes in v2, so check that the parent is still "
        "where the value belongs."
    ),
    example="run.parent.log('best_auc', auc)",
    use_instead=(
        "parent = mlflow.get_parent_run(mlflow.active_run().info.run_id)\n"
        "mlflow.log_metric('best_auc', auc, run_id=parent.info.run_id)"
    ),
)
