"""AML020: ``Workspace`` (from_config, get, create, constructor) connects to a workspace with SDK v1."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

WORKSPACE = "azureml.core.Workspace"
_CLIENT = "MLClient(credential, subscription_id, resource_group_name, workspace_name)"

# The v2 form to name for each way of getting a v1 Workspace.
_V2_FORMS = {
    "": _CLIENT,
    "from_config": "MLClient.from_config(DefaultAzureCredential())",
    "get": _CLIENT,
    "create": "ml_client.workspaces.begin_create(Workspace(name=..., location=...))",
}


# v1 Workspace attribute -> the MLClient expression that gives the same value.


RULE = Rule(
    code="AML020",
    name="workspace",
    family=Family.ASSETS,
    v1="Workspace.from_config()",
    v2="MLClient.from_config(DefaultAzureCredential())",
    article="migrate-to-v2-resource-workspace",
    fix_safety=FixSafety.UNSAFE,
    detect=member_calls(WORKSPACE, lambda member: _V2_FORMS.get(member, "MLClient and its ml_client.workspaces operations")),
    why=(
        "In SDK v2 every operation goes through an MLClient, which takes an azure.identity "
        "credential explicitly. Workspace.get and Workspace(...) become MLClient(...), but the "
        "parameters are renamed and the first positional argument is the credential, not the "
        "name. Workspace.create becomes a Workspace entity passed to "
        "ml_client.workspaces.begin_create, with no exist_ok."
    ),
    example="ws = Workspace.from_config()",
    use_instead="ml_client = MLClient.from_config(DefaultAzureCredential())",
    fixer=fixer("workspace"),
)
