"""AML063: ``AdlaStep`` runs a Data Lake Analytics U-SQL job in a v1 pipeline."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML063",
    name="adla-step",
    family=Family.ADVANCED,
    v1="AdlaStep()",
    v2="no v2 equivalent",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.MANUAL,
    detect=calls_to("azureml.pipeline.steps.AdlaStep"),
    why=(
        "Azure ML v2 has no step for Azure Data Lake Analytics U-SQL jobs. The job has to run "
        "outside Azure ML, or its logic has to be rewritten, for example as a spark or "
        "command component."
    ),
    example=(
        "step = AdlaStep(name='usql', script_name='query.usql',\n"
        "                compute_target=adla_compute)"
    ),
    use_instead="# no v2 step type: rewrite the U-SQL logic as a spark or command component",
    message="AdlaStep() is Azure ML SDK v1 and has no v2 equivalent; rewrite the U-SQL job or run it outside the pipeline",
)
