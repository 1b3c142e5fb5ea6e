"""AML018: ``run.upload_folder(name, path)`` uploads a folder to the v1 run."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
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
    fixer=fixer("injob.run_upload_folder"),
)
