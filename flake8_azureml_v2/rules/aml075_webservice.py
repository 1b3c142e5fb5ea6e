"""AML075: the v1 ``Webservice`` class (getting or listing existing services)."""

from ._matchers import member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety
from ._shared import SERVICE_LOOKUP, service_v2_forms

_V2_FORMS = service_v2_forms()

RULE = Rule(
    code="AML075",
    name="webservice",
    family=Family.DEPLOY,
    v1="Webservice()",
    v2="ml_client.online_endpoints.get(name)",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=member_calls("azureml.core.Webservice", lambda member: _V2_FORMS.get(member, SERVICE_LOOKUP)),
    message=(
        "Webservice is Azure ML SDK v1; use ml_client.online_endpoints.get(name) "
        "(or .list() for all endpoints)"
    ),
    why=(
        "Existing services are online endpoints in v2, read with "
        "ml_client.online_endpoints.get(name) or listed with .list(). Calling one takes a "
        "request file: ml_client.online_endpoints.invoke(endpoint_name, request_file=...), and "
        "deleting it is ml_client.online_endpoints.begin_delete(name=...). The fixer moves a look-up "
        "of a service that the same program deploys, with the deploy: v1 would not see the v2 endpoint."
    ),
    example="service = Webservice(workspace=ws, name='churn-svc')",
    use_instead="endpoint = ml_client.online_endpoints.get('churn-svc')",
)
