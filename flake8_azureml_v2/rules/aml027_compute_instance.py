"""AML027: v1 ``ComputeInstance`` (constructor and provisioning_configuration)."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML027",
    name="compute-instance",
    family=Family.ASSETS,
    v1="ComputeInstance.provisioning_configuration()",
    v2="azure.ai.ml.entities.ComputeInstance(name=..., size=...)",
    article="migrate-to-v2-resource-compute",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML024",
    detect=calls_to("azureml.core.compute.ComputeInstance", members=True),
    message=(
        "ComputeInstance from azureml.core.compute is Azure ML SDK v1; use "
        "azure.ai.ml.entities.ComputeInstance(name=..., size=...) with ml_client.compute"
    ),
    why=(
        "A v2 compute instance is an entity created with "
        "ml_client.compute.begin_create_or_update(...), and looked up with "
        "ml_client.compute.get(name). The poller does not wait unless you call .result(). "
        "The idle shutdown setting takes an integer number of minutes."
    ),
    example=(
        "config = ComputeInstance.provisioning_configuration(vm_size='STANDARD_DS3_V2')\n"
        "instance = ComputeTarget.create(ws, 'dev-box', config)"
    ),
    use_instead=(
        "instance = ComputeInstance(name='dev-box', size='STANDARD_DS3_V2')\n"
        "ml_client.compute.begin_create_or_update(instance).result()"
    ),
)
