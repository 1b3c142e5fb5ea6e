"""AML077: the v1 ``Model(...)`` constructor, which looks up a registered model, and ``Model.list()``."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ..migrations import fixer
from ._matchers import sg_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit

LOOKUP = "ml_client.models.get(name, version=...) or ml_client.models.get(name, label='latest')"
LISTING = "ml_client.models.list(name=...), or ml_client.models.list() for every model"
MODEL = "azureml.core.Model"


def detect(ctx: Context) -> Iterator[Hit]:
    """``Model(ws, name)`` (the rule's own message) and ``Model.list(ws)``.  Model.register (AML070),
    Model.deploy (AML071) and Model.get_model_path (AML037) have their own rules."""
    calls = ctx.model.calls_by_callee
    for call in calls.get(MODEL, ()):
        yield call.node
    for call in calls.get(MODEL + ".list", ()):
        yield call.node, f"Model.list() is Azure ML SDK v1; use {LISTING}"


detect.sg_rule = sg_calls("Model", "Model.list")  # type: ignore[attr-defined]

RULE = Rule(
    code="AML077",
    name="model",
    family=Family.DEPLOY,
    v1="Model()",  # (Model.list() findings carry their own message)
    v2=LOOKUP,
    article="migrate-to-v2-assets-model",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "A registered model is read with ml_client.models.get. v2 asks for an explicit "
        "version or label (label='latest'), whereas v1's Model(ws, name) picked the latest "
        "version on its own."
    ),
    example="model = Model(ws, name='churn')",
    use_instead="model = ml_client.models.get('churn', label='latest')",
    fixer=fixer("models", "fix_lookup"),
)
