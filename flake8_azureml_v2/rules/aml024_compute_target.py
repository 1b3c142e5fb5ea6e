"""AML024: ``ComputeTarget(...)`` and ``ComputeTarget.create(...)`` get or create v1 compute."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

COMPUTE_TARGET = "azureml.core.ComputeTarget"
_DEFAULT_V2 = "ml_client.compute (get, begin_create_or_update, list)"

_V2_FORMS = {
    "": "ml_client.compute.get(name)",
    "create": "ml_client.compute.begin_create_or_update(compute).result()",
}
# AmlCompute.provisioning_configuration -> azure.ai.ml.entities.AmlCompute (mapping.md 5.4).
# v1's defaults that differ from v2's are written out explicitly.


RULE = Rule(
    code="AML024",
    name="compute-target",
    family=Family.ASSETS,
    v1="ComputeTarget()",
    v2="ml_client.compute.get(name) / ml_client.compute.begin_create_or_update(...).result()",
    article="migrate-to-v2-resource-compute",
    fix_safety=FixSafety.UNSAFE,
    detect=member_calls(COMPUTE_TARGET, lambda member: _V2_FORMS.get(member, _DEFAULT_V2)),
    why=(
        "Compute is managed through ml_client.compute. Looking up an existing cluster raises "
        "azure.core.exceptions.ResourceNotFoundError when it is missing. Creation returns a "
        "poller: call .result() to wait, as v1's wait_for_completion did. A job then refers "
        "to the compute by its name."
    ),
    example=(
        "cluster = ComputeTarget(workspace=ws, name='cpu-cluster')\n"
        "cluster = ComputeTarget.create(ws, 'cpu-cluster', config)"
    ),
    use_instead=(
        "cluster = ml_client.compute.get('cpu-cluster')\n"
        "cluster = ml_client.compute.begin_create_or_update(cluster_spec).result()"
    ),
    fixer=fixer("compute_target"),
)
