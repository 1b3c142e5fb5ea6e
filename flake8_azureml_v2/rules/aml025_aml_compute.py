"""AML025: v1 ``AmlCompute`` (provisioning_configuration and other members) configures a cluster."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML025",
    name="aml-compute",
    family=Family.ASSETS,
    v1="AmlCompute.provisioning_configuration()",
    v2="azure.ai.ml.entities.AmlCompute(name=..., size=..., max_instances=..., idle_time_before_scale_down=...)",
    article="migrate-to-v2-resource-compute",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML024",
    detect=calls_to("azureml.core.compute.AmlCompute", members=True),
    message=(
        "AmlCompute from azureml.core.compute is Azure ML SDK v1; use "
        "azure.ai.ml.entities.AmlCompute(name=..., size=..., max_instances=..., "
        "idle_time_before_scale_down=...)"
    ),
    why=(
        "The v2 AmlCompute entity carries the cluster's name and settings together: vm_size "
        "becomes size, min_nodes/max_nodes become min_instances/max_instances. The idle "
        "timeout default differs (v1 1800 s, v2 120 s), so write the v1 value explicitly, and "
        "vm_priority='lowpriority' becomes tier='low_priority'."
    ),
    example="config = AmlCompute.provisioning_configuration(vm_size='STANDARD_DS12_V2', max_nodes=4)",
    use_instead=(
        "cluster = AmlCompute(name='cpu-cluster', size='STANDARD_DS12_V2', max_instances=4,\n"
        "                     idle_time_before_scale_down=1800)"
    ),
)
