"""AML051: ``AutoMLConfig`` (and ``AutoMLImageConfig``) configures a v1 AutoML run."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML051",
    name="automl-config",
    family=Family.ADVANCED,
    v1="AutoMLConfig()",
    v2="azure.ai.ml.automl.<task>(...)",
    article="migrate-to-v2-execution-automl",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.train.automl.AutoMLConfig", "azureml.train.automl.AutoMLImageConfig"),
    why=(
        "In v2 each AutoML task has its own factory such as automl.classification(). Limits, "
        "training and featurization settings move to set_limits(), set_training() and "
        "set_featurization(), several parameters are renamed, and tabular training data must "
        "be an MLTable input."
    ),
    example=(
        "cfg = AutoMLConfig(task='classification', training_data=ds,\n"
        "                   label_column_name='label', primary_metric='accuracy')"
    ),
    use_instead=(
        "job = automl.classification(training_data=Input(type='mltable', path=url),\n"
        "                            target_column_name='label', primary_metric='accuracy',\n"
        "                            compute='cpu-cluster')"
    ),
    fixer=fixer("automl"),
)
