"""AML076: ``LocalWebservice`` runs a v1 web service on the local Docker engine."""

from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML076",
    name="local-webservice",
    family=Family.DEPLOY,
    v1="LocalWebservice.deploy_configuration()",
    v2="ml_client.online_endpoints.begin_create_or_update(endpoint, local=True)",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.webservice.LocalWebservice", members=True),
    message=(
        "LocalWebservice is Azure ML SDK v1; use a local endpoint: "
        "ml_client.online_endpoints.begin_create_or_update(endpoint, local=True)"
    ),
    why=(
        "v2 debugs deployments locally with local=True on the endpoint and deployment "
        "operations. It still needs Docker, and it uses the same ManagedOnlineDeployment "
        "definition that later goes to the cloud."
    ),
    example="deploy_config = LocalWebservice.deploy_configuration(port=6789)",
    use_instead=(
        "ml_client.online_endpoints.begin_create_or_update(endpoint, local=True)\n"
        "ml_client.online_deployments.begin_create_or_update(deployment, local=True)"
    ),
)
