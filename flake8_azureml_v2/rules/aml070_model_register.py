"""AML070: ``Model.register(...)`` registers a v1 model."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML070",
    name="model-register",
    family=Family.DEPLOY,
    v1="Model.register()",
    v2="ml_client.models.create_or_update(Model(path=..., name=..., type=...))",
    article="migrate-to-v2-assets-model",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.Model.register"),
    why=(
        "Models are registered through ml_client.models with an azure.ai.ml.entities.Model "
        "entity. v1 takes the workspace, then model_path, then model_name: keep path and name "
        "straight when rewriting positional calls. The v2 entity also wants a type such as "
        "AssetTypes.CUSTOM_MODEL or MLFLOW_MODEL."
    ),
    example="model = Model.register(ws, model_path='outputs/model.pkl', model_name='churn')",
    use_instead=(
        "model = ml_client.models.create_or_update(\n"
        "    Model(path='outputs/model.pkl', name='churn', type=AssetTypes.CUSTOM_MODEL))"
    ),
    fixer=fixer("models"),
)
