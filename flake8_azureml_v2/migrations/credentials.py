"""v1's authentication objects -> azure.identity credentials (mapping.md 12, "Auth").

``Workspace.from_config(auth=...)`` and friends take a v1 authentication; MLClient takes a
credential.  The classes map one to one; a credential is built from the same arguments.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, constant_str
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.specs import Refused
from ..engine.fixing.symbols import symbol
from ._common import call_binding
from .injob._shared import is_pure
from .injob.run_get_context import runs_in_a_job, what_runs_it

_AUTH = "azureml.core.authentication."
# v1 class -> (credential, v1 signature, v1 parameter -> credential keyword, parameters that go)
CREDENTIALS: dict[str, tuple[str, list[str], dict[str, str], set[str]]] = {
    _AUTH + "InteractiveLoginAuthentication": (
        "InteractiveBrowserCredential", ["force", "tenant_id", "cloud"], {"tenant_id": "tenant_id"}, {"force"}),
    _AUTH + "ServicePrincipalAuthentication": (
        "ClientSecretCredential", ["tenant_id", "service_principal_id", "service_principal_password", "cloud",
                                   "_enable_caching"],
        {"tenant_id": "tenant_id", "service_principal_id": "client_id", "service_principal_password": "client_secret"},
        {"_enable_caching"}),
    _AUTH + "MsiAuthentication": ("ManagedIdentityCredential", ["identity_config", "cloud"], {}, set()),
    _AUTH + "AzureCliAuthentication": ("AzureCliCredential", ["cloud"], {}, set()),
}


def default_credential() -> str:
    return f"{symbol('azure.identity', 'DefaultAzureCredential')}()"


def _copyable(value: ast.expr, ctx: FixContext) -> bool:
    """Written again elsewhere, ``value`` gives what it gave in the v1 call: it calls nothing
    (a second getpass() would ask again) and reads only names bound once, unconditionally."""
    if not is_pure(value):
        return False
    for node in ast.walk(value):
        if isinstance(node, ast.Name):
            bindings = ctx.bindings_named(node.id)
            if len(bindings) > 1 or any(b.conditional for b in bindings):
                return False
    return True


def credential_source(call: ast.Call, ctx: FixContext, copy: bool = False) -> str:
    """The credential a v1 authentication call becomes; raises Refused.  ``copy``: the text is
    written somewhere else than the call, beside a v1 authentication that stays."""
    callee = ctx.callee(call)
    if callee not in CREDENTIALS:
        raise Refused(f"auth=`{snippet(ctx.locator, call)}` is not a v1 authentication this fix maps",
                      RefusalKind.DATA_FLOW)
    name, signature, renames, dropped = CREDENTIALS[callee]
    bound = bind_arguments(call, signature)
    if isinstance(bound, str) or set(bound.values) - set(signature):
        raise Refused(f"{callee.rsplit('.', 1)[1]}() with arguments this fix does not follow", RefusalKind.DATA_FLOW)
    cloud = bound.values.get("cloud")
    if cloud is not None and constant_str(cloud) not in ("AzureCloud", None):
        raise Refused("a sovereign cloud needs the credential's authority set by hand")
    arguments = []
    for parameter, value in bound.values.items():
        if parameter in renames:
            if copy and not _copyable(value, ctx):
                raise Refused(f"{parameter}=`{snippet(ctx.locator, value)}` would be evaluated a second time, "
                              "beside the v1 authentication that stays, and might not give the same value",
                              RefusalKind.DATA_FLOW)
            arguments.append(f"{renames[parameter]}={ctx.locator.text(value)}")
        elif parameter == "cloud" or (parameter in dropped and is_pure(value)):
            continue
        else:
            raise Refused(f"{parameter}= of {callee.rsplit('.', 1)[1]}() has no credential equivalent")
    return f"{symbol('azure.identity', name)}({', '.join(arguments)})"


def credential(node: ast.expr | None, unit: Rewrite, ctx: FixContext) -> tuple[str, str | None, str]:
    """``auth=`` as a credential where the workspace is replaced (a migrated variable's counterpart)
    and where a client is added beside a workspace that stays (written out; None when the
    authentication's arguments cannot be evaluated a second time: the workspace then cannot
    stay beside a client, and is migrated whole or not at all), with why not; raises Refused."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return default_credential(), default_credential(), ""
    binding = call_binding(ctx, node, *CREDENTIALS, in_place=True)
    if binding is not None:
        try:
            written: str | None = credential_source(binding.node.value, ctx, copy=True)  # type: ignore[attr-defined]
            why = ""
        except Refused as reason:
            credential_source(binding.node.value, ctx)  # type: ignore[attr-defined]  # (what no copy fixes)
            written, why = None, str(reason)
        unit.consumes.append(node)  # type: ignore[arg-type]
        return ctx.counterpart(binding), written, why
    if isinstance(node, ast.Call):
        written = credential_source(node, ctx)
        return written, written, ""
    raise Refused(f"auth=`{snippet(ctx.locator, node)}` is not a v1 authentication this fix can follow",
                  RefusalKind.DATA_FLOW)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``auth = InteractiveLoginAuthentication(...)`` -> ``auth = InteractiveBrowserCredential(...)``;
    beside a v1 authentication that stays, the credential is written where it is needed."""
    for site in ctx.model.calls_to(*CREDENTIALS):
        binding = ctx.assigned_binding(site.node)
        if binding is None or (binding.conditional and not ctx.settled_in_its_block(binding)):
            continue
        unit = Rewrite("AML020", site.node, "v1 authentication -> azure.identity credential", binding=binding)
        unit.findings = []
        if not binding.uses and ctx.callee(site.node) == _AUTH + "InteractiveLoginAuthentication":
            # v1 signed in when the object was made; a credential signs in when a token is first
            # asked for, and nothing here ever asks: the sign-in would silently not happen.
            yield unit.refuse("nothing uses it: v1 signed in when it was made, a credential only signs in "
                              "when something asks it for a token")
            continue
        if runs_in_a_job(ctx):  # (as for the workspace it would sign in to)
            runner = what_runs_it(ctx)
            yield unit.refuse(f"this script runs inside a {runner}, whose environment need not install azure-identity, "
                              f"nor give a credential an identity to sign in with: connect from the {runner} by hand")
            continue
        try:
            text = credential_source(site.node, ctx)
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        unit.edits.append(statements.replace(ctx.locator, site.node, text))
        unit.counterpart = binding.name
        try:  # its consumers write the credential out beside a v1 object that stays
            unit.alive_counterpart = credential_source(site.node, ctx, copy=True)
            unit.alive_edits = []
        except Refused as reason:  # it cannot stay beside a copy: migrated whole or not at all
            for use in binding.uses:  # (a use that stays says why nothing is written beside it)
                ctx.why_not.setdefault(id(use), str(reason))
        unit.must_keep_alive = ctx.is_imported_elsewhere(binding)
        yield unit
