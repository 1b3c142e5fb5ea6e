"""AML073: ``AciWebservice`` (deploy_configuration and other members) targets Azure Container Instances."""

from ..migrations import fixer
from ._matchers import member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import service_v2_forms

_DEPLOY_CONFIG = "ManagedOnlineDeployment(instance_type=..., instance_count=...) on a managed online endpoint"
_V2_FORMS = service_v2_forms(_DEPLOY_CONFIG)

RULE = Rule(
    code="AML073",
    name="aci-webservice",
    family=Family.DEPLOY,
    v1="AciWebservice.deploy_configuration()",
    v2="ManagedOnlineDeployment(instance_type=..., instance_count=...)",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=member_calls("azureml.core.webservice.AciWebservice", lambda member: _V2_FORMS.get(member, _DEPLOY_CONFIG)),
    message=(
        "AciWebservice is Azure ML SDK v1; deploy to a managed online endpoint with "
        "ManagedOnlineDeployment(instance_type=..., instance_count=...)"
    ),
    why=(
        "Managed online endpoints replace ACI web services. cpu_cores and memory_gb have to "
        "be mapped to a VM SKU for instance_type, auth_enabled becomes the endpoint's "
        "auth_mode, and features such as no-auth endpoints or custom DNS are not available."
    ),
    example="deploy_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=2, auth_enabled=True)",
    use_instead=(
        "endpoint = ManagedOnlineEndpoint(name='churn-svc', auth_mode='key')\n"
        "deployment = ManagedOnlineDeployment(name='blue', endpoint_name='churn-svc', model=model,\n"
        "                                     instance_type='Standard_DS2_v2', instance_count=1)"
    ),
    fixer=fixer("deployment", "fix_aci_config"),
)
