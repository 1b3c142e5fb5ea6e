"""AML061: ``SynapseSparkStep`` is a v1 Spark pipeline step."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML061",
    name="synapse-spark-step",
    family=Family.ADVANCED,
    v1="SynapseSparkStep()",
    v2="a spark node (azure.ai.ml.spark)",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,  # a rewrite the reference gives (or does not rule out), not built yet
    detect=calls_to("azureml.pipeline.steps.SynapseSparkStep"),
    why=(
        "v2 runs Spark code as a spark component created with azure.ai.ml.spark() and called "
        "inside the pipeline function. Driver and executor settings and the entry file move "
        "to its arguments."
    ),
    example=(
        "step = SynapseSparkStep(name='etl', file='etl.py', source_directory='./spark',\n"
        "                        compute_target=synapse, num_executors=2)"
    ),
    use_instead="etl = spark(code='./spark', entry={'file': 'etl.py'}, executor_instances=2, ...)",
)
