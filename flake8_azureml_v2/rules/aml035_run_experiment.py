"""AML035: ``run.experiment`` reaches the v1 experiment (and its workspace) from a run."""

from ._matchers import attribute_reads
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, RefusalKind
from ._shared import RUN

RULE = Rule(
    code="AML035",
    name="run-experiment",
    family=Family.IN_JOB,
    v1="run.experiment",
    v2="mlflow.get_experiment(mlflow.active_run().info.experiment_id); for the workspace, an MLClient",
    article="migrate-to-v2-resource-workspace",
    fix_safety=FixSafety.MANUAL,
    manual_kind=RefusalKind.NOT_YET,  # the reference neither rules a rewrite out nor gives one this tool can check
    message=(
        "run.experiment is Azure ML SDK v1; the job's MLflow experiment is "
        "mlflow.get_experiment(mlflow.active_run().info.experiment_id) (its name: .name), and a v2 job "
        "has no in-job workspace object: build an MLClient (azure.ai.ml) from the job's settings"
    ),
    detect=attribute_reads(RUN, "experiment"),
    why=(
        "v1 scripts often reached the workspace through run.experiment.workspace to read "
        "datasets or register models. A v2 job gives the script no such object: data comes "
        "in as job inputs, and anything that really needs the workspace builds an MLClient "
        "with a credential and the workspace's subscription, resource group and name."
    ),
    example=(
        "ws = run.experiment.workspace\n"
        "data = Dataset.get_by_name(ws, 'sales')"
    ),
    use_instead=(
        "ml_client = MLClient(credential, subscription_id, resource_group, workspace_name)\n"
        "data = ml_client.data.get('sales', label='latest')"
    ),
)
