"""AML018: ``run.upload_folder(name, path)`` uploads a folder to the v1 run."""

from ..engine.matchers import method_calls
from ..engine.rule import Family, FixSafety, Rule
from ._shared import RUN

RULE = Rule(
    code="AML018",
    name="run-upload-folder",
    family=Family.IN_JOB,
    v1="run.upload_folder()",
    v2="mlflow.log_artifacts(path, artifact_path=name)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "upload_folder"),
    why=(
        "mlflow.log_artifacts uploads a local folder's contents under an artifact path. "
        "Note the argument order flips: the local folder comes first in MLflow, the "
        "destination name first in v1. v1's datastore_name has no MLflow counterpart."
    ),
    example="run.upload_folder('plots', './plots')",
    use_instead="mlflow.log_artifacts('./plots', artifact_path='plots')",
)
