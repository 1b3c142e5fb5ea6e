"""AML074: ``AksWebservice`` (deploy_configuration and other members) targets Kubernetes."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML074",
    name="aks-webservice",
    family=Family.DEPLOY,
    v1="AksWebservice.deploy_configuration()",
    v2="KubernetesOnlineEndpoint + KubernetesOnlineDeployment",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.webservice.AksWebservice", members=True),
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
