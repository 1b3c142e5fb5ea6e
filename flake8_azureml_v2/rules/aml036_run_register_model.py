"""AML036: ``run.register_model(...)`` registers a model from a v1 run."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ._matchers import sg_method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit, RefusalKind
from ._shared import RUN
from ._training import training_evidence


def detect(ctx: Context) -> Iterator[Hit]:
    """Every ``run.register_model(...)``.  Outside a training script the run is a
    submitted one, and the v2 route is MLClient rather than MLflow."""
    in_job = training_evidence(ctx) is not None
    for call in ctx.model.method_calls(RUN, "register_model"):
        if in_job:
            yield call.node
        else:
            yield call.node, (
                "run.register_model() is Azure ML SDK v1; use ml_client.models.create_or_update("
                "Model(path='azureml://jobs/<job name>/outputs/artifacts/paths/<model path>', ...))"
            )


RULE = Rule(
    code="AML036",
    name="run-register-model",
    family=Family.IN_JOB,
    v1="run.register_model()",
    v2="mlflow.<flavor>.log_model(...) + mlflow.register_model(f'runs:/{run_id}/<path>', name)",
    article="migrate-to-v2-assets-model",
    fix_safety=FixSafety.MANUAL,
    # the reference classes the submitting side's register_model behaviour-preserving (it moves with
    # its submit, and is left only when what uses the model stays v1); in a job, the flavor is a person's call
    manual_kind=RefusalKind.NOT_YET,
    detect=detect,
    why=(
        "In a v2 job the script logs the model with the MLflow flavor that fits it and then "
        "registers the logged artifact by its runs:/ URI. Picking the flavor, and the "
        "artifact path, needs a person. Outside a training script (a submitted run), the "
        "model is registered with MLClient from the job's output path instead."
    ),
    example="run.register_model(model_name='churn', model_path='outputs/model.pkl')",
    use_instead=(
        "mlflow.sklearn.log_model(model, 'model')\n"
        "run_id = mlflow.active_run().info.run_id\n"
        "mlflow.register_model(f'runs:/{run_id}/model', 'churn')"
    ),
    sg_rule=sg_method_calls("register_model"),
)
