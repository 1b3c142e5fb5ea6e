"""AML064: ``AzureBatchStep`` runs an Azure Batch job in a v1 pipeline."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML064",
    name="azure-batch-step",
    family=Family.ADVANCED,
    v1="AzureBatchStep()",
    v2="no v2 equivalent",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.MANUAL,
    detect=calls_to("azureml.pipeline.steps.AzureBatchStep"),
    why=(
        "Azure ML v2 pipelines cannot submit Azure Batch jobs. Run the executable in a "
        "command component on Azure ML compute, or keep the Azure Batch job outside the "
        "pipeline."
    ),
    example=(
        "step = AzureBatchStep(name='batch', create_pool=True, executable='run.exe',\n"
        "                      compute_target=batch_compute)"
    ),
    use_instead=(
        "# no v2 step type: run the executable in a command component\n"
        "run_tool = command(code='./bin', command='./run.sh', environment=env)"
    ),
    message="AzureBatchStep() is Azure ML SDK v1 and has no v2 equivalent; run the executable in a command component or outside the pipeline",
)
