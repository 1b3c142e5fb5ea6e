"""The migration for AML020: ``Workspace`` (from_config, get, create, constructor) connects to a workspace with SDK v1."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

from ..engine.findings import RefusalKind, line_ref
from ..engine.fixing import handlers, statements
from ..engine.fixing.arguments import bind_arguments, constant_str
from ..engine.fixing.specs import MethodSpec, Refused, apply_method_spec
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.symbols import plain_names
from ..engine.nodes import same_tree
from ..engine.names import Binding, Ref
from ..engine.rule import FixSafety
from . import credentials
from ._common import CLIENT_NAME, client_name, handed_client_site, handed_workspaces, workspace_names
from .credentials import credential, default_credential
from .datastore import SHARED_ATTRIBUTES
from .injob._shared import is_pure
from .injob.run_get_context import runs_in_a_job, what_runs_it

WORKSPACE = "azureml.core.Workspace"

# The v2 form to name for each way of getting a v1 Workspace.


# v1 Workspace attribute -> the MLClient expression that gives the same value.
_ATTRIBUTES = {
    "name": "{client}.workspace_name",
    "subscription_id": "{client}.subscription_id",
    "resource_group": "{client}.resource_group_name",
    "location": "{client}.workspaces.get({client}.workspace_name).location",
}
# v1 Workspace methods -> the MLClient expression that gives the same value.
_METHODS = (
    MethodSpec("get_mlflow_tracking_uri", template="{client}.workspaces.get({client}.workspace_name).mlflow_tracking_uri"),
)
# v1 Workspace dictionaries (name -> object) -> the same dictionary built from v2's list
# (mapping-extension 4.1 and 5), written where only their keys are read
_DICTIONARIES = {
    "compute_targets": "{{c.name: c for c in {client}.compute.list()}}",
    "datastores": "{{d.name: d for d in {client}.datastores.list()}}",
}
DETAILS_TODO = "# TODO(azureml-v2): AML020 v2 shows the Workspace entity, not v1's details dictionary"


def _keys_read(attribute: ast.Attribute, ctx: FixContext) -> bool:
    """Only the dictionary's keys are read: ``k in d``, ``k not in d``, ``for k in d``."""
    owner = ctx.parent(attribute)
    if isinstance(owner, ast.Compare):
        return any(c is attribute and isinstance(op, (ast.In, ast.NotIn)) for op, c in zip(owner.ops, owner.comparators))
    return isinstance(owner, (ast.For, ast.AsyncFor, ast.comprehension)) and owner.iter is attribute


def _bare_method_call(use: ast.Name, method: str, ctx: FixContext) -> ast.Call | None:
    """``ws.<method>()`` called without arguments on the workspace ``use`` names, or None."""
    attribute = ctx.parent(use)
    call = ctx.parent(attribute) if attribute is not None else None
    if (isinstance(attribute, ast.Attribute) and attribute.attr == method and isinstance(call, ast.Call)
            and call.func is attribute and not call.args and not call.keywords):
        return call
    return None


def _details(use: ast.Name, client: str, unit: Rewrite, ctx: FixContext) -> bool:
    """``ws.get_details()`` shown or printed (D+T): the v2 Workspace entity."""
    call = _bare_method_call(use, "get_details", ctx)
    if call is None:
        return False
    shown = ctx.parent(call)
    printed = (isinstance(shown, ast.Call) and isinstance(shown.func, ast.Name) and shown.func.id == "print"
               and call in shown.args)
    if not (isinstance(shown, ast.Expr) or printed):
        return False
    unit.edits.append(statements.replace(ctx.locator, call, f"{client}.workspaces.get({client}.workspace_name)"))
    unit.edits.extend(statements.insert_before(ctx.locator, ctx.statement_of(call), [DETAILS_TODO]))
    unit.todos.append(DETAILS_TODO)
    unit.own_uses.add(id(use))
    return True


def _default_store_attribute(use: ast.Name, client: str, unit: Rewrite, ctx: FixContext) -> bool:
    """``ws.get_default_datastore().name`` (or another attribute both SDKs' datastores have):
    read off v2's default datastore (mapping-extension 4.1)."""
    call = _bare_method_call(use, "get_default_datastore", ctx)
    if call is None:
        return False
    read = ctx.parent(call)
    if not (isinstance(read, ast.Attribute) and read.attr in SHARED_ATTRIBUTES and isinstance(read.ctx, ast.Load)):
        return False
    called = ctx.parent(read)
    if isinstance(called, ast.Call) and called.func is read:
        return False
    unit.edits.append(statements.replace(ctx.locator, call, f"{client}.datastores.get_default()"))
    unit.findings.append(("AML028", call))
    unit.own_uses.add(id(use))
    return True


_SIGNATURES = {
    "from_config": ["path", "auth", "_logger", "_file_name"],
    "get": ["name", "auth", "subscription_id", "resource_group", "location", "cloud", "id"],
    "": ["subscription_id", "resource_group", "workspace_name", "auth"],
}
_DROPPED = {"_logger", "location", "cloud"}  # no effect on looking a workspace up


def _client_call(member: str, call: ast.Call, unit: Rewrite, ctx: FixContext) -> tuple[str, str | None, str]:
    """The MLClient expression for a v1 workspace call, where the workspace is replaced and where
    a client is added beside it (None: it cannot be, see credentials.credential, with why not);
    raises ValueError (or Refused) with the reason."""
    bound = bind_arguments(call, _SIGNATURES[member])
    if isinstance(bound, str):
        raise ValueError(bound)
    values = bound.values
    args = {k: ctx.locator.text(v) for k, v in values.items()}
    for parameter in _DROPPED & set(values):
        if parameter == "cloud" and constant_str(values[parameter]) != "AzureCloud" or not is_pure(values[parameter]):
            raise ValueError(f"{parameter}= has no mechanical v2 equivalent")
        unit.notes.append(f"{parameter}= dropped: v2 looks the workspace up without it")
    extra = sorted(set(args) - {"path", "name", "subscription_id", "resource_group", "workspace_name", "auth",
                                "_file_name"} - _DROPPED)
    if extra:
        raise ValueError(f"{', '.join(extra)}= has no mechanical v2 equivalent")
    replaced, beside, why = credential(values.get("auth"), unit, ctx)
    client = ctx.symbol('azure.ai.ml', 'MLClient')
    if member == "from_config":
        where = "".join(f", {new}={args[old]}" for old, new in (("path", "path"), ("_file_name", "file_name"))
                        if old in args)
        return (f"{client}.from_config({replaced}{where})",
                None if beside is None else f"{client}.from_config({beside}{where})", why)
    name = args.get("name") or args.get("workspace_name")
    if "subscription_id" not in args or "resource_group" not in args or name is None:
        raise ValueError("v2 needs the subscription id, resource group and workspace name spelled out")
    rest = (f"subscription_id={args['subscription_id']}, resource_group_name={args['resource_group']}, "
            f"workspace_name={name})")
    return f"{client}({replaced}, {rest}", None if beside is None else f"{client}({beside}, {rest}", why


def _guarded_sign_in(member: str, call: ast.Call, ctx: FixContext) -> str | None:
    """Why a workspace made inside ``try:`` with a handler that catches everything stays: v1 signed
    in and looked the workspace up there, so a wrong secret or a missing workspace took the handler's
    path (another sign-in, a create); MLClient does neither until its first call, after the ``try:``
    (review 58 H2).  ``from_config()`` without ``auth=`` is left to migrate: what it guards against
    is a missing config file, which MLClient.from_config() reads at once too."""
    if member == "from_config" and not (len(call.args) > 1 or any(k.arg == "auth" for k in call.keywords)):
        return None
    handler = handlers.catch_all_handler(ctx.locator.start(call), ctx)
    if handler is None:
        return None
    return (f"it runs inside `try:` with `{handlers.clause(handler, ctx)}` ({line_ref(handler.lineno)}), where v1 signed in and looked the "
            "workspace up: MLClient does so only at its first call, after the `try:`, so a failure would no longer "
            "take that path")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``ws = Workspace.from_config()`` -> ``ml_client = MLClient.from_config(...)``.

    Attribute reads map to MLClient properties.  When other code still needs the
    v1 workspace (``ws.get_default_datastore()``, another module importing ``ws``),
    ``ws`` stays and ``ml_client`` is created beside it for the migrated code."""
    for site in ctx.model.calls:
        callee = site.callee
        if not isinstance(callee, Ref) or not callee.qualname.startswith(WORKSPACE):
            continue
        member = callee.qualname[len(WORKSPACE):].lstrip(".")
        if member not in _SIGNATURES:
            continue
        call = site.node
        binding = ctx.assigned_binding(call)
        unit = Rewrite("AML020", call, f"Workspace{'.' + member if member else ''}() -> MLClient")
        if binding is None:
            yield unit.refuse(ctx.unassigned_reason(call, "workspace"), RefusalKind.DATA_FLOW)
            continue
        if runs_in_a_job(ctx):
            runner = what_runs_it(ctx)
            yield unit.refuse(f"this script runs inside a {runner}, whose environment need not install azure-ai-ml and "
                              "azure-identity, nor give DefaultAzureCredential an identity to sign in with: connect "
                              f"from the {runner} by hand")
            continue
        guard = _guarded_sign_in(member, call, ctx)
        if guard is not None:
            yield unit.refuse(guard, RefusalKind.DATA_FLOW)
            continue
        unit.binding = binding
        try:
            client_call, beside_call, no_beside = _client_call(member, call, unit, ctx)
        except ValueError as reason:
            yield unit.refuse(str(reason), RefusalKind.IMPOSSIBLE)
            continue
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        made = _client_made_beside(binding, beside_call, ctx) if beside_call is not None else None
        client = made or client_name(ctx, binding)
        unit.counterpart = client
        if made:  # an earlier run kept the workspace and made this client; the workspace now goes
            unit.edits.append(ctx.delete(binding.node))
        else:
            unit.edits.append(statements.replace(ctx.locator, call, client_call))
        if client != binding.name and not made:
            target = binding.node.targets[0]  # type: ignore[attr-defined]
            unit.edits.append(statements.replace(ctx.locator, target, client))
        for use in binding.uses:
            if any(apply_method_spec(spec, use, unit, ctx, {"client": client}) for spec in _METHODS):
                continue
            parent = ctx.parent(use)
            if isinstance(parent, ast.Expr):  # a notebook cell shows the workspace: it shows the client
                unit.edits.append(statements.replace(ctx.locator, use, ctx.counterpart(binding)))
                unit.own_uses.add(id(use))
                continue
            if _details(use, client, unit, ctx) or _default_store_attribute(use, client, unit, ctx):
                continue
            if isinstance(parent, ast.Attribute) and parent.attr in _DICTIONARIES and _keys_read(parent, ctx):
                text = _DICTIONARIES[parent.attr].format(client=client)
                unit.edits.append(statements.replace(ctx.locator, parent, text))
                unit.own_uses.add(id(use))
                continue
            if isinstance(parent, ast.Attribute) and parent.attr in _ATTRIBUTES:
                owner = ctx.parent(parent)
                if isinstance(owner, ast.Call) and owner.func is parent:
                    continue
                text = _ATTRIBUTES[parent.attr].format(client=client)
                unit.edits.append(statements.replace(ctx.locator, parent, text))
                unit.own_uses.add(id(use))
        if beside_call is not None:
            _beside(unit, binding, beside_call, ctx)
        else:  # a use that stays says why no client is made beside the workspace
            for use in binding.uses:
                ctx.why_not.setdefault(id(use), no_beside)
        unit.must_keep_alive = ctx.is_imported_elsewhere(binding)
        yield unit
    yield from _handed_in(ctx)
    yield from credentials.fix(ctx)


HANDED_TODO = ("# TODO(azureml-v2): AML020 this MLClient signs in with DefaultAzureCredential; if the workspace "
               "it is made from signed in otherwise (a service principal), pass that identity instead")


def _handed_in(ctx: FixContext) -> Iterator[Rewrite]:
    """A workspace the program is handed (a parameter, a helper's result: see
    ``_common.handed_workspaces``) stays as it is, and migrated code gets a client made beside it
    from its subscription, resource group and name (mapping.md 4: ``Workspace(s, rg, name)`` is
    ``MLClient(credential, s, rg, name)``), signed in as the TODO says."""
    if runs_in_a_job(ctx):
        return
    for binding in handed_workspaces(ctx).values():
        statement = binding.node
        unit = Rewrite("AML020", statement, "MLClient made beside the workspace the program is handed", binding=binding)
        unit.findings = []  # the workspace's uses are the findings; this unit gives them a client
        unit.reported = False
        unit.safety = FixSafety.UNSAFE
        ws = binding.name
        client_call = (f"{ctx.symbol('azure.ai.ml', 'MLClient')}({default_credential()}, subscription_id={ws}.subscription_id, "
                       f"resource_group_name={ws}.resource_group, workspace_name={ws}.name)")
        unit.alive_description = f"`{ws}` kept as the program is handed it; an MLClient is made from it beside it"
        site = handed_client_site(binding, ctx)
        assert site is not None  # (a handed workspace has one)
        made = _client_first(site, client_call, ctx)
        alone = len(handed_workspaces(ctx)) == 1 and not workspace_names(ctx)
        # (two clients under one name would be one, the later overwriting or shadowing the other: review, stop 64)
        name = made or ctx.fresh_name(CLIENT_NAME if alone else f"{ws}_client")
        edits = [] if made else statements.insert_before(ctx.locator, site, [HANDED_TODO, f"{name} = {client_call}"])
        unit.counterpart = unit.alive_counterpart = name
        unit.counterpart_present = bool(made)
        unit.edits, unit.alive_edits = list(edits), list(edits)
        unit.todos = [HANDED_TODO] if edits else []
        unit.must_keep_alive = True
        yield unit


def _client_first(first: ast.stmt, client_call: str, ctx: FixContext) -> str | None:
    """The client an earlier run made as the function's first statement, when it is this one."""
    if not (isinstance(first, ast.Assign) and len(first.targets) == 1 and isinstance(first.targets[0], ast.Name)
            and isinstance(first.value, ast.Call)):
        return None
    return first.targets[0].id if same_tree(first.value, _client_tree(client_call)) else None


def _client_made_beside(binding: Binding, client_call: str, ctx: FixContext) -> str | None:
    """The name of the client an earlier run created right after the workspace's statement,
    when that statement makes the very client this fix would make."""
    statement = binding.node
    following = ctx.next_statement(statement) if isinstance(statement, ast.stmt) else None
    if not (isinstance(following, ast.Assign) and len(following.targets) == 1
            and isinstance(following.targets[0], ast.Name) and isinstance(following.value, ast.Call)):
        return None
    return following.targets[0].id if same_tree(following.value, _client_tree(client_call)) else None


@lru_cache(maxsize=64)
def _client_tree(client_call: str) -> ast.expr:
    """The client call as a tree, parsed once per spelling (only compared, never changed)."""
    return ast.parse(plain_names(client_call), mode="eval").body


def _beside(unit: Rewrite, binding: Binding, client_call: str, ctx: FixContext) -> None:
    """How the client is created next to a workspace that stays (once: a client
    created there by an earlier run is reused)."""
    statement = binding.node
    assert isinstance(statement, ast.stmt)
    unit.alive_description = "Workspace kept for the v1 code that still uses it; MLClient created beside it"
    made = _client_made_beside(binding, client_call, ctx)
    if made:
        unit.alive_counterpart = made
        unit.alive_edits = []
        unit.counterpart_present = True
        return
    if unit.counterpart != binding.name:
        name = unit.counterpart
    else:  # one client per workspace variable: two named alike would be one, the second overwriting the first
        name = ctx.fresh_name(CLIENT_NAME if workspace_names(ctx) == {binding.name} else f"{binding.name}_client")
    unit.alive_counterpart = name
    unit.alive_edits = statements.insert_after(ctx.locator, statement, [f"{name} = {client_call}"])


