"""AML010: a v1 ``azureml`` import inside a training script."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ._matchers import IN_JOB_CALL, V1_IMPORT, v1_import_sites
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit
from ._training import training_evidence


def detect(ctx: Context) -> Iterator[Hit]:
    """Training scripts get AML010 for their v1 imports; other files get AML099."""
    sites = v1_import_sites(ctx)
    if not sites:
        return
    evidence = training_evidence(ctx)
    if evidence is None:
        return
    for site in sites:
        yield site.node, (
            f"azureml import in a training script ({evidence}); "
            "remove azureml from in-job code and log with MLflow"
        )


RULE = Rule(
    code="AML010",
    name="training-script-import",
    family=Family.IN_JOB,
    v1="import azureml.* in a training script",
    v2="no azureml import; mlflow for logging",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    removes_unused_imports=True,
    detect=detect,
    why=(
        "Code that runs inside a v2 job should not depend on azureml at all. The job "
        "passes data paths as arguments and MLflow is already configured, so the script "
        "also runs locally. A file is a training script when it calls Run.get_context(), "
        "matches the configured training-script patterns, or is named by script=, "
        "script_name= or entry_script= in an orchestration file of the same project. "
        "The fix removes an import once the in-job rewrites leave its names unused."
    ),
    example=(
        "from azureml.core import Run\n"
        "run = Run.get_context()\n"
        "run.log('accuracy', acc)"
    ),
    use_instead=(
        "import mlflow\n"
        "mlflow.log_metric('accuracy', acc)"
    ),
    sg_rule={**V1_IMPORT, "inside": {"kind": "module", "stopBy": "end", "has": IN_JOB_CALL}},
)
