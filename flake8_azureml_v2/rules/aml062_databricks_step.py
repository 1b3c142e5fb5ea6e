"""AML062: ``DatabricksStep`` runs a Databricks notebook, script or JAR in a v1 pipeline."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML062",
    name="databricks-step",
    family=Family.ADVANCED,
    v1="DatabricksStep()",
    v2="no v2 equivalent",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.MANUAL,
    detect=calls_to("azureml.pipeline.steps.DatabricksStep"),
    why=(
        "Azure ML v2 pipelines have no Databricks step type. Run the work as a Databricks job "
        "outside the pipeline and exchange data through storage, or port it to a command or "
        "spark component."
    ),
    example=(
        "step = DatabricksStep(name='etl', notebook_path='/Shared/etl',\n"
        "                      compute_target=databricks)"
    ),
    use_instead=(
        "# no v2 step type: run the notebook as a Databricks job\n"
        "# and read its result as Input(type='uri_folder', path='azureml://...')"
    ),
    message="DatabricksStep() is Azure ML SDK v1 and has no v2 equivalent; move the work out of the pipeline or into a command/spark component",
)
