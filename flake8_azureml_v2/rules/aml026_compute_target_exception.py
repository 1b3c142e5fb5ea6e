"""AML026: ``ComputeTargetException`` is the v1 "compute not found" error."""

from ._matchers import references
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML026",
    name="compute-target-exception",
    family=Family.ASSETS,
    v1="except ComputeTargetException",
    v2="azure.core.exceptions.ResourceNotFoundError",
    article="migrate-to-v2-resource-compute",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML024",
    detect=references("azureml.exceptions.ComputeTargetException"),
    message=(
        "ComputeTargetException is Azure ML SDK v1; catch "
        "azure.core.exceptions.ResourceNotFoundError from ml_client.compute.get(name)"
    ),
    why=(
        "ml_client.compute.get raises azure.core.exceptions.ResourceNotFoundError when the "
        "compute does not exist. ComputeTargetException also covered other v1 compute "
        "failures, so check what the handler was meant to catch before swapping the type."
    ),
    example=(
        "try:\n"
        "    cluster = ComputeTarget(workspace=ws, name='cpu-cluster')\n"
        "except ComputeTargetException:\n"
        "    cluster = ComputeTarget.create(ws, 'cpu-cluster', config)"
    ),
    use_instead=(
        "try:\n"
        "    cluster = ml_client.compute.get('cpu-cluster')\n"
        "except ResourceNotFoundError:\n"
        "    cluster = ml_client.compute.begin_create_or_update(cluster_spec).result()"
    ),
)
