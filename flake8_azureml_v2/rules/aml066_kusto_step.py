"""AML066: ``KustoStep`` runs a Kusto (Azure Data Explorer) query in a v1 pipeline."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML066",
    name="kusto-step",
    family=Family.ADVANCED,
    v1="KustoStep()",
    v2="no v2 equivalent",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.MANUAL,
    detect=calls_to("azureml.pipeline.steps.KustoStep"),
    why=(
        "Azure ML v2 pipelines have no Kusto step. Run the query from a command component "
        "with a Kusto client library, or export the data outside the pipeline and pass it in "
        "as an input."
    ),
    example=(
        "step = KustoStep(name='query', compute_target=kusto, database_name='db',\n"
        "                 query_directory='./kql', output=result)"
    ),
    use_instead=(
        "# no v2 step type: query Kusto from a command component's script\n"
        "query = command(code='./kql', command='python query.py --out ${{outputs.result}}', ...)"
    ),
    message="KustoStep() is Azure ML SDK v1 and has no v2 equivalent; run the query from a command component or outside the pipeline",
)
