"""AML023: ``Datastore.register_azure_blob_container(...)`` becomes
``ml_client.create_or_update(AzureBlobDatastore(...))`` (mapping.md 7, mapping.json DS-006).

What v1 did, read from its source (``_DatastoreClient``): the credential is the account key
when one is given (an empty one counts as none), else the SAS token, else none at all; the
service checks it with the storage account unless ``skip_validation=True``; a datastore of
the same name already there makes the call raise unless ``overwrite=True``; a name with
capital letters is stored in lower case.  v2's ``create_or_update`` replaces an existing
datastore and checks nothing, so unless the call already said ``overwrite=True`` (and
``skip_validation=True`` where there is a credential) one TODO says what changed.
``create_if_not_exists=True`` (v1 created the container), ``grant_workspace_access``,
``blob_cache_timeout`` and the storage account's subscription and resource group have no
v2 equivalent: such a call stays.

The datastore is not an asset (mapping.md's "v2 assets cannot be used in v1" is about data):
v1 and v2 read the workspace's one list of datastores, so code that looks it up by name reads
it either way.  The variable then holds v2's datastore entity, which answers ``.name`` and the
other attributes both SDKs' blob datastores share.  A use that the datasets' rewrites take
away (they name the store by the name it was registered under) goes with them; any other use
keeps the v1 call as it is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import known_str
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Argument, Build, CallSpec, Keep, Refused, apply_call_spec
from ..engine.names import Binding, Ref
from ._common import kept_as_is, not_a_workspace, workspace_binding
from ._todo import add_todo

CODE = "AML023"
REGISTER = "azureml.core.Datastore.register_azure_blob_container"
SIGNATURE = ("workspace", "datastore_name", "container_name", "account_name", "sas_token", "account_key", "protocol",
             "endpoint", "overwrite", "create_if_not_exists", "skip_validation", "blob_cache_timeout",
             "grant_workspace_access", "subscription_id", "resource_group")
_ENTITIES = "azure.ai.ml.entities"
# Parameters v2 has no equivalent for, and why: the call stays unless each is None or False (does nothing).
_WHY_NOT = {
    "create_if_not_exists": "create_if_not_exists=True: v1 created the blob container when it was missing, and v2 "
                            "only registers it (create the container with azure-storage-blob first)",
    "grant_workspace_access": "grant_workspace_access= gave the workspace's identity a role on the storage "
                              "account, which v2's datastore does not do",
    "blob_cache_timeout": "blob_cache_timeout= has no v2 equivalent",
    "subscription_id": "subscription_id= of the storage account has no place on v2's datastore",
    "resource_group": "resource_group= of the storage account has no place on v2's datastore",
}


def registrations(ctx: FixContext) -> Iterator[tuple[ast.Call, Binding | None]]:
    """Each ``store = Datastore.register_azure_blob_container(...)`` (or the call as a statement)."""
    for site in ctx.model.calls:
        if isinstance(site.callee, Ref) and site.callee.qualname == REGISTER:
            yield site.node, ctx.assigned_binding(site.node)


def translate(call: ast.Call, binding: Binding | None, ctx: FixContext) -> Rewrite:
    """The rewrite of one registration; the v1 call stays as it is while v1 code uses its result."""
    unit = Rewrite(CODE, call, "Datastore.register_azure_blob_container() -> ml_client.create_or_update("
                               "AzureBlobDatastore(...))", binding=binding)
    kept_as_is(unit, "the registration stays v1 for the code that still uses the datastore")
    unit.released_by_replacers = True
    unit.must_keep_alive = binding is not None and ctx.is_imported_elsewhere(binding)  # (v1's object for them)
    if binding is None and not isinstance(ctx.parent(call), ast.Expr):
        return unit.refuse(ctx.unassigned_reason(call, "registered datastore"), RefusalKind.DATA_FLOW)
    state: dict[str, object] = {}
    try:
        apply_call_spec(_spec(state), call, unit, ctx)
    except Refused as reason:
        return unit.refuse(str(reason), reason.kind)
    start, end = ctx.locator.start(call), ctx.locator.end(call)
    unit.edits += [Edit(start, start, f"{state['client']}.create_or_update("), Edit(end, end, ")")]
    changes = []
    if not state.get("overwrite"):
        changes.append("v1 raised when a datastore of this name was already registered (overwrite=False), and "
                       "create_or_update replaces it")
    if state.get("credential") and not state.get("skip_validation"):
        changes.append("v1 had the service check the credential with the storage account first, and v2 does not")
    if changes:
        add_todo(ctx, unit, ctx.statement_of(call), CODE, "; ".join(changes))
    return unit


def _spec(state: dict[str, object]) -> CallSpec:
    """The call's spec; what its arguments decide for the TODO and the client goes in ``state``."""
    def workspace(argument: Argument) -> list[str]:
        if workspace_binding(argument.ctx, argument.node) is None:
            raise Refused(not_a_workspace(argument.ctx, argument.node, "the datastore's"), RefusalKind.DATA_FLOW)
        argument.rewrite.consumes.append(argument.node)  # type: ignore[arg-type]
        state["client"] = argument.ctx.counterpart(workspace_binding(argument.ctx, argument.node))  # type: ignore[arg-type]
        return []

    def name(argument: Argument) -> str:
        known = known_str(argument.ctx, argument.node)
        if known is None:
            raise Refused("the datastore's name is not a known string: v1 stored a name with capital letters in "
                          "lower case, and this one's letters are not known here", RefusalKind.DATA_FLOW)
        if known != known.lower():
            raise Refused(f"v1 stored the name {known!r} in lower case: write it in lower case first",
                          RefusalKind.DATA_FLOW)
        return argument.text

    def switch(parameter: str) -> Build:
        def build(argument: Argument) -> list[str]:
            value = _constant(argument.node)
            if value is not None and not isinstance(value, bool):
                raise Refused(f"{parameter}= is not True or False", RefusalKind.DATA_FLOW)
            state[parameter] = bool(value)
            return []
        return Build(build)

    def inert(parameter: str) -> Build:
        def build(argument: Argument) -> list[str]:
            value = _constant(argument.node)
            if not (value is None or value is False):
                kind = RefusalKind.NOT_YET if parameter == "create_if_not_exists" else RefusalKind.IMPOSSIBLE
                raise Refused(_WHY_NOT[parameter], kind)
            return []
        return Build(build)

    def string(parameter: str) -> Build:
        def build(argument: Argument) -> list[str]:
            if _constant(argument.node) is None:  # v1's None: https and core.windows.net, v2's defaults
                return []
            if known_str(argument.ctx, argument.node) is None:
                raise Refused(f"{parameter}= is not a known string", RefusalKind.DATA_FLOW)
            return [f"{parameter}={argument.text}"]
        return Build(build)

    def credentials(argument: Argument) -> list[str]:
        """``credentials=`` where the key stands (else the token), so a comment on its line stays;
        the other of the two goes."""
        key, sas = argument.siblings.get("account_key"), argument.siblings.get("sas_token")
        if argument.name == "sas_token" and key is not None:
            return []
        built = _credentials(key, sas, argument.ctx)
        state["credential"] = built is not None
        return [] if built is None else [f"credentials={built}"]

    return CallSpec(
        old=REGISTER,
        signature=SIGNATURE,
        new=(_ENTITIES, "AzureBlobDatastore"),
        params={
            "workspace": Build(workspace),
            "datastore_name": Build(lambda argument: [f"name={name(argument)}"]),
            "container_name": Keep("container_name"),
            "account_name": Keep("account_name"),
            "account_key": Build(credentials),
            "sas_token": Build(credentials),
            "protocol": string("protocol"),
            "endpoint": string("endpoint"),
            "overwrite": switch("overwrite"),
            "skip_validation": switch("skip_validation"),
            **{parameter: inert(parameter) for parameter in _WHY_NOT},
        },
        required=("workspace", "datastore_name", "container_name", "account_name"),
    )


def _constant(node: ast.expr) -> object:
    """The value of a literal (``True``, ``None``, a string...), else a marker no literal has."""
    return node.value if isinstance(node, ast.Constant) else _UNKNOWN


_UNKNOWN = object()


def _credentials(key: Argument | None, sas: Argument | None, ctx: FixContext) -> str | None:
    """v1's choice: the account key when it is truthy, else the SAS token when it is, else none
    (both truthy, v1 stored the token as a key).  A value known here decides now; a variable
    decides when the program runs, as in v1."""
    given = []
    for argument, entity, keyword in ((key, "AccountKeyConfiguration", "account_key"),
                                      (sas, "SasTokenConfiguration", "sas_token")):
        if argument is None or _constant(argument.node) is None:
            continue
        known = known_str(ctx, argument.node)
        if known == "":
            continue  # v1 read an empty one as none
        if known is None and _constant(argument.node) is not _UNKNOWN:
            raise Refused(f"{keyword}= is not a string", RefusalKind.DATA_FLOW)
        given.append((argument, f"{ctx.symbol(_ENTITIES, entity)}({keyword}={argument.text})", known))
    if not given:
        return None
    if len(given) == 2:
        raise Refused("account_key= and sas_token= both given: v1 registered the SAS token as an account key "
                      "when the key was not empty", RefusalKind.DATA_FLOW)
    argument, entity, known = given[0]
    if known is not None:
        return entity
    if not isinstance(argument.node, ast.Name | ast.Attribute):
        raise Refused(f"{argument.name}= is computed where it is passed: v1 registered no credential when it "
                      "was empty, which the new code tests on a variable (assign it to one first)",
                      RefusalKind.DATA_FLOW)
    return f"{entity} if {argument.text} else None"
