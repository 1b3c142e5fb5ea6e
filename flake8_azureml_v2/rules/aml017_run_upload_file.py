"""AML017: ``run.upload_file(name, path)`` uploads a file to the v1 run."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import RUN

RULE = Rule(
    code="AML017",
    name="run-upload-file",
    family=Family.IN_JOB,
    v1="run.upload_file()",
    v2="mlflow.log_artifact(path, artifact_path=os.path.dirname(name) or None)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "upload_file"),
    why=(
        "v1 stores the file under the name you give; MLflow keeps the local file name and "
        "only lets you choose the folder. The artifact ends up at the same place only when "
        "both names end the same way. Streams cannot be logged: write them to a file first."
    ),
    example="run.upload_file('outputs/model.pkl', 'model.pkl')",
    use_instead="mlflow.log_artifact('model.pkl', artifact_path='outputs')",
    fixer=fixer("injob.run_upload_file"),
)
