"""AML078: ``service.wait_for_deployment()`` on a v1 web service."""

from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML078",
    name="service-wait-for-deployment",
    family=Family.DEPLOY,
    v1="service.wait_for_deployment()",
    v2="poller.result(timeout=...) on the poller of ml_client.online_deployments.begin_create_or_update(deployment)",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls("azureml.core.Webservice", "wait_for_deployment"),
    why=(
        "A v2 deployment is created by a long-running operation: "
        "ml_client.online_deployments.begin_create_or_update returns a poller, and waiting for "
        "the deployment is .result() on that poller (timeout_sec becomes timeout=). The v1 "
        "service object returned by Model.deploy has no counterpart to wait on."
    ),
    example="service = Model.deploy(ws, 'churn-svc', [model], inference_config, aci_config)\n"
            "service.wait_for_deployment(show_output=True)",
    use_instead="poller = ml_client.online_deployments.begin_create_or_update(deployment)\npoller.result()",
    fixed_with="AML071",
)
