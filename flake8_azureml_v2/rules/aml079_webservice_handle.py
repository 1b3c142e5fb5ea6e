"""AML079: the methods and attributes of a v1 web service (``service.run``, ``scoring_uri``, ...)."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ._matchers import attribute_reads, method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit

WEBSERVICE = "azureml.core.Webservice"
METHODS = ("run", "get_keys", "get_logs", "delete", "update", "reload", "get_token", "regen_key", "serialize")
ATTRIBUTES = ("scoring_uri", "swagger_uri", "state")
_CALLS = method_calls(WEBSERVICE, *METHODS)
_READS = attribute_reads(WEBSERVICE, *ATTRIBUTES)


def detect(ctx: Context) -> Iterator[Hit]:
    """Calls and reads on a value known to be a Webservice (what Model.deploy returns)."""
    for node in _CALLS(ctx):
        yield node, f"service.{node.func.attr}() is Azure ML SDK v1; use the online endpoint through ml_client"  # type: ignore[union-attr]
    for node in _READS(ctx):
        yield node, f"service.{node.attr} is Azure ML SDK v1; read it from ml_client.online_endpoints.get(name)"  # type: ignore[union-attr]


RULE = Rule(
    code="AML079",
    name="webservice-handle",
    family=Family.DEPLOY,
    v1="service.run() / service.scoring_uri / service.get_keys() / service.get_logs() / service.delete()",
    v2="ml_client.online_endpoints.get(name).scoring_uri, get_keys(name), online_deployments.get_logs(...), "
       "begin_delete(name=...)",
    article="migrate-to-v2-deploy-endpoints",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "A v1 web service object answered for itself; in v2 the endpoint is read through MLClient. The "
        "scoring URI comes from ml_client.online_endpoints.get(name), the keys from get_keys(name), the logs "
        "from ml_client.online_deployments.get_logs(name=deployment, endpoint_name=name, lines=n), and "
        "deleting is begin_delete(name=...). service.run() POSTed the body with the key and returned the "
        "JSON reply; the endpoint's scoring URI takes the same request."
    ),
    example=(
        "service = Model.deploy(ws, 'churn-svc', [model], inference_config, aci_config)\n"
        "print(service.scoring_uri)\n"
        "result = service.run(json.dumps({'data': rows}))"
    ),
    use_instead=(
        "print(ml_client.online_endpoints.get('churn-svc').scoring_uri)\n"
        "keys = ml_client.online_endpoints.get_keys('churn-svc')"
    ),
    sg_rule={"any": [_CALLS.sg_rule, _READS.sg_rule]},  # type: ignore[attr-defined]
    fixed_with="AML071",
)
