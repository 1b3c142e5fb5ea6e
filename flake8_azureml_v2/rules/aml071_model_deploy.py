"""AML071: ``Model.deploy(...)`` deploys v1 models to a web service."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML071",
    name="model-deploy",
    family=Family.DEPLOY,
    v1="Model.deploy()",
    v2="ManagedOnlineEndpoint + ManagedOnlineDeployment via ml_client.begin_create_or_update",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.Model.deploy"),
    why=(
        "v2 splits a web service into an endpoint (name, auth) and one or more deployments "
        "(model, environment, scoring code, VM size and count), then routes traffic between "
        "deployments. ACI-only features such as no-auth or custom DNS have no equivalent, "
        "and CPU/memory requests must be turned into an instance type."
    ),
    example="service = Model.deploy(ws, 'churn-svc', [model], inference_config, deploy_config)",
    use_instead=(
        "endpoint = ManagedOnlineEndpoint(name='churn-svc', auth_mode='key')\n"
        "ml_client.begin_create_or_update(endpoint).result()\n"
        "deployment = ManagedOnlineDeployment(name='blue', endpoint_name='churn-svc', model=model,\n"
        "    environment=env, code_configuration=CodeConfiguration(code='./src', scoring_script='score.py'),\n"
        "    instance_type='Standard_DS3_v2', instance_count=1)\n"
        "ml_client.begin_create_or_update(deployment).result()"
    ),
    fixer=fixer("deployment", "fix_deploy"),
)
