"""AML074: ``AksWebservice`` (deploy_configuration and other members) targets Kubernetes."""

from ..migrations import fixer
from ._matchers import member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import service_v2_forms

_DEPLOY_CONFIG = "KubernetesOnlineEndpoint + KubernetesOnlineDeployment on an attached Kubernetes compute"
_V2_FORMS = service_v2_forms(_DEPLOY_CONFIG)

RULE = Rule(
    code="AML074",
    name="aks-webservice",
    family=Family.DEPLOY,
    v1="AksWebservice.deploy_configuration()",
    v2="KubernetesOnlineEndpoint + KubernetesOnlineDeployment",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=member_calls("azureml.core.webservice.AksWebservice", lambda member: _V2_FORMS.get(member, _DEPLOY_CONFIG)),
    message=(
        "AksWebservice is Azure ML SDK v1; use KubernetesOnlineEndpoint + "
        "KubernetesOnlineDeployment on an attached Kubernetes compute"
    ),
    why=(
        "Kubernetes deployments in v2 are online endpoints on an attached Kubernetes compute: "
        "a KubernetesOnlineEndpoint with one or more KubernetesOnlineDeployment objects. "
        "Resource requests, autoscaling and auth settings need to be carried over by hand."
    ),
    example="deploy_config = AksWebservice.deploy_configuration(cpu_cores=2, memory_gb=4)",
    use_instead=(
        "endpoint = KubernetesOnlineEndpoint(name='churn-svc', compute='k8s-compute')\n"
        "deployment = KubernetesOnlineDeployment(name='blue', endpoint_name='churn-svc', model=model,\n"
        "                                        environment=env, code_configuration=code_config)"
    ),
    fixer=fixer("deployment", "fix_aks_config"),
)
