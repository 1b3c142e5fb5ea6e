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

from ..engine.findings import RefusalKind, line_ref
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, known_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import MethodSpec, Refused, apply_method_spec
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding
from ._todo import add_todo
from ._v1_readers import located

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
_URI_TODO = ("a request to this URI needs the endpoint's key, which v1's ACI service did not ask for (and v1's keys "
             "do not carry over): send headers={{'Authorization': f'Bearer {{ml_client.online_endpoints.get_keys("
             "{service}.name).primary_key}}'}}")
_ENDPOINT = "{client}.online_endpoints.get({receiver}.name)"
_TRY_STATEMENTS = (ast.Try, getattr(ast, "TryStar", ast.Try))  # ``try/except*`` is Python 3.11+

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


def translate_service_uses(service: Binding, poller: str, client: str, rewrite: Rewrite, ctx: FixContext,
                           keyless: bool = True) -> int:
    """Translate what v2 can express on the endpoint; returns how many waits were translated.
    The other uses stay untranslated (the planner then refuses the deploy with them).  ``keyless``:
    v1's service took requests without a key, so a request to the endpoint's URI needs a TODO."""
    waits = 0
    for use in service.uses:
        if _wait(use, poller, client, rewrite, ctx):
            waits += 1
            continue
        if _method(use, client, rewrite, ctx, keyless):
            continue
        if _printed(use, ctx):
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
    rewrite.edits.append(statements.replace_statement(ctx.locator, statement, newline.join(lines)))
    rewrite.findings.append(("AML078", call))
    rewrite.own_uses.add(id(use))
    return True


def translate_lookups(lookups: list[ast.expr], deployed: ast.expr | None, workspace: Binding, client: str,
                      rewrite: Rewrite, ctx: FixContext, keyless: bool = True) -> None:
    """Each v1 look-up of the service this deploy creates, ``handle = Webservice(ws, name)`` or
    ``handle = ws.webservices[name]``, becomes ``client.online_endpoints.get(name)``, and the
    handle's methods follow (7.5); v1 would not see the v2 endpoint, so the look-ups move with
    the deploy or the deploy stays.  Raises :class:`Refused` for a look-up v2 cannot follow."""
    for lookup in lookups:
        where = located(lookup, ctx)
        if not looks_up(lookup, deployed, ctx):
            raise Refused(f"{where} looks the service up with v1, which does not see a v2 online endpoint: "
                          "migrate that lookup first", RefusalKind.DATA_FLOW)
        parts = _lookup_parts(lookup, ctx)
        assert parts is not None  # looks_up found them
        refusal = _lookup_refusal(lookup, parts[0], workspace, ctx)
        if refusal is not None:
            raise Refused(f"{where} looks the service up with v1 {refusal}", RefusalKind.DATA_FLOW)
        handle = ctx.assigned_binding(lookup)
        assert handle is not None  # _lookup_refusal checked the assignment
        for use in handle.uses:
            if _method(use, client, rewrite, ctx, keyless):
                continue
            if _printed(use, ctx):
                rewrite.own_uses.add(id(use))
            else:
                raise Refused(f"{where} looks the service up with v1, and {line_ref(use.lineno)} uses it in a way "
                              "the endpoint cannot answer", RefusalKind.DATA_FLOW)
        name = ctx.locator.text(parts[1])
        rewrite.edits.append(statements.replace(ctx.locator, lookup, f"{client}.online_endpoints.get({name})"))
        rewrite.consumes.append(parts[0])  # type: ignore[arg-type]
        if isinstance(lookup, ast.Call):
            rewrite.findings.append(("AML075", lookup))


def looks_up(lookup: ast.expr, deployed: ast.expr | None, ctx: FixContext) -> bool:
    """Does ``lookup`` name the service a deploy names with ``deployed``?"""
    parts = _lookup_parts(lookup, ctx)
    return parts is not None and deployed is not None and _same_name(parts[1], deployed, ctx)


def _lookup_parts(lookup: ast.expr, ctx: FixContext) -> tuple[ast.expr, ast.expr] | None:
    """(workspace, name) of ``Webservice(ws, name)``, ``ws.webservices[name]`` or
    ``ws.webservices.get(name)``; None for a listing of the services."""
    if isinstance(lookup, ast.Call) and isinstance(lookup.func, ast.Name | ast.Attribute) \
            and not (isinstance(lookup.func, ast.Attribute) and lookup.func.attr == "get"):
        bound = bind_arguments(lookup, ["workspace", "name"])
        if isinstance(bound, str) or not {"workspace", "name"} <= bound.values.keys():
            return None
        return bound.values["workspace"], bound.values["name"]
    if isinstance(lookup, ast.Subscript) and isinstance(lookup.value, ast.Attribute):
        return lookup.value.value, lookup.slice
    if isinstance(lookup, ast.Call) and isinstance(lookup.func, ast.Attribute) and len(lookup.args) == 1 \
            and not lookup.keywords and isinstance(lookup.func.value, ast.Attribute):
        return lookup.func.value.value, lookup.args[0]
    return None


def _same_name(looked_up: ast.expr, deployed: ast.expr, ctx: FixContext) -> bool:
    """The same known string, or the same variable holding one value (``name = "svc-" + uuid``)."""
    known = known_str(ctx, deployed)
    if known is not None:
        return known_str(ctx, looked_up) == known
    if not isinstance(looked_up, ast.Name) or not isinstance(deployed, ast.Name):
        return False
    binding = ctx.binding_of(deployed)
    return binding is not None and ctx.binding_of(looked_up) is binding and len(ctx.bindings_named(deployed.id)) == 1


def _lookup_refusal(lookup: ast.expr, workspace_used: ast.expr, workspace: Binding, ctx: FixContext) -> str | None:
    """Why this look-up cannot become ``online_endpoints.get``, or None."""
    if not any(use is workspace_used for use in workspace.uses):  # the deploy's own workspace variable
        return "through another workspace variable than the deploy's"
    if ctx.assigned_binding(lookup) is None:
        return "as a value this fix cannot follow: assign it to a variable first"
    node: ast.AST | None = lookup
    while node is not None:
        if isinstance(node, _TRY_STATEMENTS):  # v1 raised WebserviceException, v2 ResourceNotFoundError
            return "inside a try statement, whose handlers expect v1's exceptions"
        node = ctx.parent(node)
    return None


def _method(use: ast.Name, client: str, rewrite: Rewrite, ctx: FixContext, keyless: bool = True) -> bool:
    """A handle method of 7.5 on ``use``, translated; ``state`` gets its TODO, and so does
    ``scoring_uri`` used for a request when v1's service took one without a key (``keyless``).
    A ``state`` the program decides on stays: v2's values are others (audit s)."""
    attribute = ctx.parent(use)
    if isinstance(attribute, ast.Attribute) and attribute.attr == "state" and not _state_shown(attribute, ctx):
        ctx.why_not[id(use)] = ("v2's provisioning_state takes other values (Succeeded, Failed, Updating, ...) than the "
                                "v1 state this code reads (Healthy, Unhealthy, Transitioning, ...): change that check "
                                "by hand")
        return False
    if not any(apply_method_spec(spec, use, rewrite, ctx, {"client": client}) for spec in SERVICE_METHODS):
        return False
    if isinstance(attribute, ast.Attribute) and attribute.attr == "state":
        add_todo(ctx, rewrite, ctx.statement_of(use), "AML079", _STATE_TODO)
    if (keyless and isinstance(attribute, ast.Attribute) and attribute.attr == "scoring_uri"
            and not _only_shown(attribute, ctx)):
        add_todo(ctx, rewrite, ctx.statement_of(use), "AML079", _URI_TODO.format(service=use.id))
    return True


def _state_shown(state: ast.Attribute, ctx: FixContext) -> bool:
    """``service.state`` is only shown (printed, logged, or a notebook cell's value, formatted into
    a message or not), not compared or kept: a shown value may take v2's names with a TODO."""
    node: ast.AST = state
    parent = ctx.parent(node)
    while isinstance(parent, (ast.FormattedValue, ast.JoinedStr, ast.keyword)) or _formats(parent, node):
        node, parent = parent, ctx.parent(parent)  # (into the message it is formatted into)
    if isinstance(parent, ast.Expr):
        return True
    return (isinstance(parent, ast.Call) and parent.func is not node and isinstance(parent.func, ast.Name | ast.Attribute)
            and (parent.func.id if isinstance(parent.func, ast.Name) else parent.func.attr) in _SHOWING)


def _formats(parent: ast.AST | None, node: ast.AST) -> bool:
    """``parent`` formats ``node`` into a string: ``"{}".format(node)``, ``"%s" % node``, ``"s: " + node``."""
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr == "format":
        return parent.func is not node
    return isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Mod, ast.Add)) and any(
        isinstance(side, ast.Constant | ast.JoinedStr) for side in (parent.left, parent.right))


# Calls that show a value to people: print, a notebook's display, logging, a stream's write
_SHOWING = frozenset({"print", "display", "debug", "info", "warning", "error", "critical", "log", "write"})


def _only_shown(use: ast.expr, ctx: FixContext) -> bool:
    """The URI is printed, or is a statement of its own (a notebook displays it): no request is
    sent there, so the key's TODO goes on a read that may send one (audit l)."""
    return isinstance(ctx.parent(use), ast.Expr) or _printed(use, ctx)


def _printed(use: ast.expr, ctx: FixContext) -> bool:
    call = ctx.parent(use)
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print"
