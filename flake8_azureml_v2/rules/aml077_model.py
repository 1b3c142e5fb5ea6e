"""AML077: the v1 ``Model(...)`` constructor, which looks up a registered model."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML077",
    name="model",
    family=Family.DEPLOY,
    v1="Model()",
    v2="ml_client.models.get(name, version=...) or ml_client.models.get(name, label='latest')",
    article="migrate-to-v2-assets-model",
    fix_safety=FixSafety.UNSAFE,
    # Not members=True: Model.register (AML070) and Model.deploy (AML071) have their own rules.
    detect=calls_to("azureml.core.Model"),
    why=(
        "A registered model is read with ml_client.models.get. v2 asks for an explicit "
        "version or label (label='latest'), whereas v1's Model(ws, name) picked the latest "
        "version on its own."
    ),
    example="model = Model(ws, name='churn')",
    use_instead="model = ml_client.models.get('churn', label='latest')",
    fixer=fixer("models", "fix_lookup"),
)
