"""AML055: ``AutoMLStep`` runs v1 AutoML in a pipeline."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML055",
    name="automl-step",
    family=Family.ADVANCED,
    v1="AutoMLStep()",
    v2="an automl node inside the pipeline",
    article="migrate-to-v2-execution-pipeline",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.pipeline.steps.AutoMLStep"),
    why=(
        "A v2 pipeline calls an azure.ai.ml.automl task factory such as "
        "automl.classification() inside the @dsl.pipeline function, which makes it a node. "
        "Its configuration follows the AutoMLConfig migration, and the training data must be "
        "an MLTable input."
    ),
    example="automl_step = AutoMLStep(name='automl', automl_config=cfg, outputs=[best_model])",
    use_instead=(
        "@dsl.pipeline(default_compute='cpu-cluster')\n"
        "def automl_pipeline(table):\n"
        "    node = automl.classification(training_data=table, target_column_name='label',\n"
        "                                 primary_metric='accuracy')"
    ),
    fixer=fixer("automl_step"),
)
