"""The service handle (AML078, AML079): what a v1 web service's methods become on its endpoint.

mapping-extension.md 7.5.  The migrated deploy leaves the endpoint entity in
the service's variable; each method reads the live endpoint through the
workspace's client.  ``service.run`` keeps v1's contract (the raw body POSTed
with the key, the reply's JSON returned), ``get_keys`` its tuple;
``wait_for_deployment`` waits on the deployment's poller and then routes the
traffic.  ``service.state`` has a different set of values in v2: a TODO.
"""

from __future__ import annotations

import ast

from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import MethodSpec, apply_method_spec
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding
from ._todo import add_todo

DEPLOYMENT_NAME = "blue"
RUN_HELPER = "v1_service_run"
KEYS_HELPER = "v1_service_keys"
_REQUESTS = symbol("requests")
_HELPERS = {
    RUN_HELPER: f'''def {RUN_HELPER}(ml_client, endpoint_name, input_data):
    """service.run(input_data) as v1 did it: the raw body POSTed with the endpoint's key, the JSON reply returned."""
    scoring_uri = ml_client.online_endpoints.get(endpoint_name).scoring_uri
    keys = ml_client.online_endpoints.get_keys(endpoint_name)
    secret = getattr(keys, "primary_key", None) or keys.access_token
    headers = {{"Content-Type": "application/json", "Authorization": f"Bearer {{secret}}"}}
    response = {_REQUESTS}.post(scoring_uri, data=input_data, headers=headers)
    response.raise_for_status()
    return response.json()
''',
    KEYS_HELPER: f'''def {KEYS_HELPER}(ml_client, endpoint_name):
    """service.get_keys() as v1 returned it: (primary key, secondary key)."""
    keys = ml_client.online_endpoints.get_keys(endpoint_name)
    return keys.primary_key, keys.secondary_key
''',
}
_STATE_TODO = ("v2's provisioning_state values (Succeeded, Failed, Updating, ...) differ from v1's service states "
               "(Healthy, Unhealthy, Transitioning, ...)")
_ENDPOINT = "{client}.online_endpoints.get({receiver}.name)"

SERVICE_METHODS: tuple[MethodSpec, ...] = (
    MethodSpec("scoring_uri", template=f"{_ENDPOINT}.scoring_uri", finding="AML079", attribute=True),
    MethodSpec("swagger_uri", template=f"{_ENDPOINT}.openapi_uri", finding="AML079", attribute=True),
    MethodSpec("state", template=f"{_ENDPOINT}.provisioning_state", finding="AML079", attribute=True),
    MethodSpec("get_logs", ("num_lines",), finding="AML079", accepts=lambda values: "num_lines" in values,
               template=f'{{client}}.online_deployments.get_logs(name="{DEPLOYMENT_NAME}", '
                        "endpoint_name={receiver}.name, lines={num_lines})"),
    MethodSpec("get_logs", finding="AML079",  # v1's default num_lines=5000; v2 requires lines=
               template=f'{{client}}.online_deployments.get_logs(name="{DEPLOYMENT_NAME}", '
                        "endpoint_name={receiver}.name, lines=5000)"),
    MethodSpec("get_keys", template=f"{KEYS_HELPER}({{client}}, {{receiver}}.name)", finding="AML079",
               helpers={KEYS_HELPER: _HELPERS[KEYS_HELPER]}),
    MethodSpec("run", ("input_data",), template=f"{RUN_HELPER}({{client}}, {{receiver}}.name, {{input_data}})",
               finding="AML079", helpers={RUN_HELPER: _HELPERS[RUN_HELPER]}),
    MethodSpec("delete", template="{client}.online_endpoints.begin_delete(name={receiver}.name).result()",
               finding="AML079", statement_only=True),
)


_HANDLE_CODES = {"wait_for_deployment": "AML078", **{spec.method: "AML079" for spec in SERVICE_METHODS},
                 "update": "AML079", "reload": "AML079", "get_token": "AML079", "regen_key": "AML079",
                 "serialize": "AML079"}


def handle_findings(service: Binding | None, ctx: FixContext) -> list[tuple[str, ast.AST]]:
    """The findings on the service's uses (AML078/AML079), so that a refused deploy explains them too."""
    found: list[tuple[str, ast.AST]] = []
    for use in service.uses if service is not None else []:
        attribute = ctx.parent(use)
        if not isinstance(attribute, ast.Attribute) or attribute.attr not in _HANDLE_CODES:
            continue
        call = ctx.parent(attribute)
        node = call if isinstance(call, ast.Call) and call.func is attribute else attribute
        found.append((_HANDLE_CODES[attribute.attr], node))
    return found


def traffic_lines(endpoint: str, poller: str, client: str, timeout: str, indent: str = "    ") -> list[str]:
    """Wait for the deployment, then send all traffic to it.  A poller's ``result(timeout=)``
    returns when the time is up, done or not; v1 raised, and so does the new code."""
    waited = [f"{poller}.result({timeout})"]
    if timeout:
        waited += [f"if not {poller}.done():", f'{indent}raise TimeoutError("the deployment did not finish in time")']
    return [
        *waited,
        f'{endpoint}.traffic = {{"{DEPLOYMENT_NAME}": 100}}',
        f"{client}.online_endpoints.begin_create_or_update({endpoint}).result()",
    ]


def translate_service_uses(service: Binding, poller: str, client: str, rewrite: Rewrite, ctx: FixContext) -> int:
    """Translate what v2 can express on the endpoint; returns how many waits were translated.
    The other uses stay untranslated (the planner then refuses the deploy with them)."""
    waits = 0
    for use in service.uses:
        if _wait(use, poller, client, rewrite, ctx):
            waits += 1
            continue
        if any(apply_method_spec(spec, use, rewrite, ctx, {"client": client}) for spec in SERVICE_METHODS):
            parent = ctx.parent(use)
            if isinstance(parent, ast.Attribute) and parent.attr == "state":
                add_todo(ctx, rewrite, ctx.statement_of(use), "AML079", _STATE_TODO)
            continue
        parent = ctx.parent(use)
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "print":
            rewrite.own_uses.add(id(use))  # displaying it works on the endpoint too
    return waits


def _wait(use: ast.Name, poller: str, client: str, rewrite: Rewrite, ctx: FixContext) -> bool:
    """``service.wait_for_deployment(show_output, timeout_sec)`` as a statement."""
    attribute = ctx.parent(use)
    call = ctx.parent(attribute) if isinstance(attribute, ast.Attribute) else None
    statement = ctx.parent(call) if call is not None else None
    if (not isinstance(attribute, ast.Attribute) or attribute.attr != "wait_for_deployment"
            or not isinstance(call, ast.Call) or call.func is not attribute or not isinstance(statement, ast.Expr)):
        return False
    bound = bind_arguments(call, ["show_output", "timeout_sec"])
    if isinstance(bound, str):
        return False
    timeout = bound.values.get("timeout_sec")
    text = f"timeout={ctx.locator.text(timeout)}" if timeout is not None else ""
    lines = traffic_lines(use.id, poller, client, text, ctx.indent_unit)
    newline = ctx.locator.newline + ctx.locator.indentation(statement)
    rewrite.edits.append(statements.replace(ctx.locator, statement, newline.join(lines)))
    rewrite.findings.append(("AML078", call))
    rewrite.own_uses.add(id(use))
    return True
