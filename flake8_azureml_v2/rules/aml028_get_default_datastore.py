"""AML028: ``ws.get_default_datastore()`` on a v1 Workspace."""

from ..migrations import fixer
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML028",
    name="get-default-datastore",
    family=Family.ASSETS,
    v1="ws.get_default_datastore()",
    v2="ml_client.datastores.get_default()",
    article="migrate-to-v2-resource-datastore",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls("azureml.core.Workspace", "get_default_datastore"),
    why=(
        "The default datastore is read through the MLClient's datastore operations. Where the "
        "v1 code only used the store to build a path, a v2 job can use the URI "
        "azureml://datastores/<name>/paths/<path> directly."
    ),
    example="store = ws.get_default_datastore()",
    use_instead="store = ml_client.datastores.get_default()",
    fixer=fixer("datastore", "fix_default"),
)
