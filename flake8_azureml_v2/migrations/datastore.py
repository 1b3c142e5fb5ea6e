"""The migrations for AML023 and AML028: datastore handles (mapping-extension.md 4.1, 4.3).

``ws.get_default_datastore()`` / ``Datastore.get_default(ws)`` become
``ml_client.datastores.get_default()``; ``Datastore.get(ws, n)``,
``Datastore(ws, n)`` and ``ws.datastores[n]`` become
``ml_client.datastores.get(n)``.  Both SDKs' datastores have ``.name``, so code
that builds ``azureml://`` paths from it works with either: a datastore that v1
code still needs stays as it is.  ``store.upload()``/``upload_files()`` become a
helper that does what v1 did with azure-storage-blob (existing blobs skipped
unless ``overwrite``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import (
    Argument,
    Build,
    CallSpec,
    Keep,
    MethodSpec,
    Refused,
    apply_call_spec,
    apply_method_spec,
)
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding
from . import datastore_registration
from ._common import workspace_binding
from .data_refs import Refused as DataRefused
from .data_refs import REGISTERED, store_expression

# Attributes both SDKs' blob datastores have: reading them needs no change.
SHARED_ATTRIBUTES = {"name", "container_name", "account_name", "protocol", "endpoint"}


def _workspace(argument: Argument) -> list[str]:
    """The workspace goes: the client that replaces it does the call."""
    if workspace_binding(argument.ctx, argument.node) is None:
        raise Refused("the datastore's workspace is not a Workspace variable", RefusalKind.DATA_FLOW)
    argument.rewrite.consumes.append(argument.node)  # type: ignore[arg-type]
    return []


_GET = CallSpec(old="azureml.core.Datastore.get", signature=("workspace", "datastore_name"),
                new="{client}.datastores.get", params={"workspace": Build(_workspace), "datastore_name": Keep("name")})
_CONSTRUCTOR = CallSpec(old="azureml.core.Datastore", signature=("workspace", "name"),
                        new="{client}.datastores.get", params={"workspace": Build(_workspace), "name": Keep()})
_GET_DEFAULT = CallSpec(old="azureml.core.Datastore.get_default", signature=("workspace",),
                        new="{client}.datastores.get_default", params={"workspace": Build(_workspace)})
SPECS = {spec.old: spec for spec in (_GET, _CONSTRUCTOR, _GET_DEFAULT)}
DEFAULT_DATASTORE = MethodSpec("get_default_datastore", template="{client}.datastores.get_default()", finding="AML028")

_BLOB_HELPER = "_v1_blob_upload"
_BLOB_SOURCE = f'''def {_BLOB_HELPER}(ml_client, store_name, pairs, overwrite, show_progress):
    """Upload (local file, blob name) pairs to a blob datastore as SDK v1 did: with the
    datastore's own key or SAS token (else your identity), skipping existing blobs
    unless overwrite is true."""
    store = ml_client.datastores.get(store_name, include_secrets=True)
    if not hasattr(store, "container_name"):
        raise NotImplementedError(f"{{store_name}} is not a blob datastore: upload to it by hand")
    credential = getattr(store.credentials, "account_key", None) or getattr(store.credentials, "sas_token", None)
    if not credential:
        credential = {symbol("azure.identity", "DefaultAzureCredential")}()
    container = {symbol("azure.storage.blob", "ContainerClient")}(
        account_url=f"{{store.protocol}}://{{store.account_name}}.blob.{{store.endpoint}}",
        container_name=store.container_name, credential=credential)
    for source, target in pairs:
        blob = container.get_blob_client(target)
        if not overwrite and blob.exists():
            if show_progress:
                print(f"Target already exists. Skipping upload for {{target}}")
            continue
        with open(source, "rb") as data:
            blob.upload_blob(data, overwrite=True)
        if show_progress:
            print(f"Uploaded {{source}} to {{target}}")
'''
_TARGET_HELPER = "_v1_blob_name"
_TARGET_SOURCE = f'''def {_TARGET_HELPER}(target_path, relative):
    """The blob name SDK v1 gave a file: target_path without its leading "/", "./" or "../" parts
    (v1's _sanitize_regex), joined to the file's relative path as os.path.join joined them."""
    prefix = target_path or ""
    while prefix.lstrip(".")[:1] in ("/", "\\\\"):
        prefix = prefix.lstrip(".")[1:]
    if not prefix:
        return relative
    return prefix + relative if prefix.endswith("/") else f"{{prefix}}/{{relative}}"
'''
_UPLOAD = "_v1_datastore_upload"
_UPLOAD_SOURCE = f'''def {_UPLOAD}(ml_client, store_name, src_dir, target_path=None, overwrite=False, show_progress=True):
    """datastore.upload() of SDK v1: every file under src_dir goes to target_path/<its relative path>;
    a src_dir that is not a folder fails before anything is uploaded, as in v1."""
    if not {symbol("os")}.path.isdir(src_dir.rstrip("/\\\\")):
        raise ValueError("src_path must be a directory.")
    pairs = []
    for root, _, names in {symbol("os")}.walk(src_dir):
        for name in names:
            path = {symbol("os")}.path.join(root, name)
            relative = {symbol("os")}.path.relpath(path, src_dir).replace({symbol("os")}.sep, "/")
            pairs.append((path, {_TARGET_HELPER}(target_path, relative)))
    {_BLOB_HELPER}(ml_client, store_name, pairs, overwrite, show_progress)
'''
_UPLOAD_FILES = "_v1_datastore_upload_files"
_UPLOAD_FILES_SOURCE = f'''def {_UPLOAD_FILES}(
        ml_client, store_name, files, relative_root=None, target_path=None, overwrite=False, show_progress=True):
    """datastore.upload_files() of SDK v1: each file goes to target_path/<its path under relative_root>
    (by default the folder the files have in common)."""
    os_path = {symbol("os")}.path
    root = os_path.abspath(relative_root or os_path.commonpath([os_path.dirname(os_path.abspath(f)) for f in files]))
    for path in files:  # v1 checked every file before it uploaded one
        if relative_root and relative_root != "/" and relative_root not in path:
            raise ValueError(f"relative_root: '{{relative_root}}' is not part of the file_path: '{{path}}'.")
        if not os_path.isfile(path):
            raise ValueError(f"'{{path}}' does not point to a file.")
    pairs = []
    for path in files:
        if relative_root == "/":  # v1 kept the path as given, without its leading slashes
            relative = path.replace({symbol("os")}.sep, "/").lstrip("/")
        else:
            relative = os_path.relpath(os_path.abspath(path), root).replace({symbol("os")}.sep, "/")
        pairs.append((path, {_TARGET_HELPER}(target_path, relative)))
    {_BLOB_HELPER}(ml_client, store_name, pairs, overwrite, show_progress)
'''
_UPLOADS = {"upload": (_UPLOAD, _UPLOAD_SOURCE, {"src_dir", "target_path", "overwrite", "show_progress"}),
            "upload_files": (_UPLOAD_FILES, _UPLOAD_FILES_SOURCE,
                             {"files", "relative_root", "target_path", "overwrite", "show_progress"})}


def fix_default(ctx: FixContext) -> Iterator[Rewrite]:
    """AML028: ``store = ws.get_default_datastore()``."""
    for statement, binding, value in _handles(ctx):
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "get_default_datastore":
            yield _provider("AML028", statement, binding, value, ctx)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """AML023: ``Datastore.get(ws, n)``, ``Datastore(ws, n)``, ``Datastore.get_default(ws)``, ``ws.datastores[n]``,
    and registrations of blob containers."""
    for statement, binding, value in _handles(ctx):
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and value.func.attr == "get_default_datastore"):
            yield _provider("AML023", statement, binding, value, ctx)
    for call, binding in datastore_registration.registrations(ctx):
        unit = datastore_registration.translate(call, binding, ctx)
        if unit.refusal is None and binding is not None:
            _take_uses(unit, binding, ctx)
        yield unit


def _handles(ctx: FixContext) -> list[tuple[ast.Assign, Binding, ast.expr]]:
    """The datastore handles of the program, found once a pass: both datastore fixers ask."""
    found = ctx.cache.get("datastore:handles")
    if found is None:
        found = ctx.cache["datastore:handles"] = list(_find_handles(ctx))
    return found  # type: ignore[return-value]


def _find_handles(ctx: FixContext) -> Iterator[tuple[ast.Assign, Binding, ast.expr]]:
    for binding in ctx.model.bindings:
        statement = binding.node
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1 \
                or not isinstance(statement.targets[0], ast.Name) or statement.targets[0].id != binding.name:
            continue
        if isinstance(statement.value, ast.Call) and ctx.callee(statement.value) in REGISTERED:
            continue  # a registration: it stays v1 (AML023 reports it); readers use its name
        try:
            found = store_expression(statement.value, ctx)
        except DataRefused:
            found = ("?", None)
        if found is not None:
            yield statement, binding, statement.value


def _provider(code: str, statement: ast.Assign, binding: Binding, value: ast.expr, ctx: FixContext) -> Rewrite:
    unit = Rewrite(code, value, "datastore handle -> ml_client.datastores", binding=binding)
    unit.counterpart = unit.alive_counterpart = binding.name
    unit.alive_edits = []  # both SDKs' datastores have .name: code that only reads it works either way
    unit.alive_description = "datastore kept for the v1 code that still uses it"
    unit.must_keep_alive = ctx.is_imported_elsewhere(binding)
    try:
        _handle(unit, value, ctx)
    except (Refused, DataRefused) as reason:
        return unit.refuse(str(reason), getattr(reason, "kind", RefusalKind.NOT_YET))
    _take_uses(unit, binding, ctx)
    return unit


def _take_uses(unit: Rewrite, binding: Binding, ctx: FixContext) -> None:
    """The uses both SDKs' datastores answer alike (``.name``...), and uploads, which the helper does."""
    for use in binding.uses:
        parent = ctx.parent(use)
        if isinstance(parent, ast.Attribute) and parent.attr in SHARED_ATTRIBUTES:
            outer = ctx.parent(parent)
            if not (isinstance(outer, ast.Call) and outer.func is parent):
                unit.own_uses.add(id(use))
        elif isinstance(parent, ast.Attribute) and parent.attr in _UPLOADS:
            _upload(unit, use, parent, ctx)


def _handle(unit: Rewrite, value: ast.expr, ctx: FixContext) -> None:
    """The handle itself, through the workspace's client."""
    if isinstance(value, ast.Subscript):  # ws.datastores["name"]
        owner = value.value.value  # type: ignore[attr-defined]
        client = _client(owner, unit, ctx)
        unit.edits.append(statements.replace(ctx.locator, value, f"{client}.datastores.get({ctx.locator.text(value.slice)})"))
        return
    assert isinstance(value, ast.Call)
    callee = ctx.callee(value)
    if callee in SPECS:
        bound_workspace = value.args[0] if value.args else next((k.value for k in value.keywords if k.arg == "workspace"), None)
        client = _client(bound_workspace, None, ctx)
        apply_call_spec(SPECS[callee], value, unit, ctx, names={"client": client})
        return
    if isinstance(value.func, ast.Attribute) and value.func.attr == "get_default_datastore":
        use = value.func.value
        client = _client(use, unit, ctx)
        if not apply_method_spec(DEFAULT_DATASTORE, use, unit, ctx, {"client": client}):  # type: ignore[arg-type]
            raise Refused("get_default_datastore() with arguments")
        unit.own_uses.discard(id(use))
        return
    if isinstance(value.func, ast.Attribute) and value.func.attr == "get":  # ws.datastores.get("name")
        owner = value.func.value.value  # type: ignore[attr-defined]
        client = _client(owner, unit, ctx)
        unit.edits.append(statements.replace(ctx.locator, value.func, f"{client}.datastores.get"))
        return
    raise Refused("a datastore handle this fix cannot translate")


def _client(node: ast.expr | None, unit: Rewrite | None, ctx: FixContext) -> str:
    workspace = workspace_binding(ctx, node)
    if workspace is None:
        raise Refused("the datastore's workspace is not a Workspace variable", RefusalKind.DATA_FLOW)
    if unit is not None:
        unit.consumes.append(node)  # type: ignore[arg-type]
    return ctx.counterpart(workspace)


def _upload(unit: Rewrite, use: ast.Name, attribute: ast.Attribute, ctx: FixContext) -> None:
    """``store.upload(...)`` as a statement -> the helper that uploads as v1 did."""
    call = ctx.parent(attribute)
    if not isinstance(call, ast.Call) or call.func is not attribute or not isinstance(ctx.parent(call), ast.Expr):
        return
    name, source, parameters = _UPLOADS[attribute.attr]
    if any(k.arg not in parameters for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return
    client = _workspace_client_of(unit, ctx)
    if client is None:
        return
    opening = ctx.text.index("(", ctx.locator.end(attribute))
    unit.edits.append(statements.replace(ctx.locator, attribute, name))
    after = ctx.text[opening + 1:].lstrip(" \t")
    if not call.args and not call.keywords:
        leading = f"{client}, {use.id}.name"
    elif after.startswith(("\n", "\r")):  # the arguments hang on the next lines: the new ones join them
        first = min((*call.args, *(k.value for k in call.keywords)), key=ctx.locator.start)
        start = ctx.locator.start(first) if first in call.args else ctx.locator.start(
            next(k for k in call.keywords if k.value is first))
        indent = ctx.text[ctx.locator.line_start(start):start]
        leading = f"{ctx.locator.newline}{indent}{client}, {use.id}.name,"
    elif after.startswith("#"):  # a comment after the bracket: no trailing blank
        leading = f"{client}, {use.id}.name,"
    else:
        leading = f"{client}, {use.id}.name, "
    unit.edits.append(Edit(opening + 1, opening + 1, leading))
    unit.helpers.update({_BLOB_HELPER: _BLOB_SOURCE, _TARGET_HELPER: _TARGET_SOURCE, name: source})
    unit.notes.append(f"{attribute.attr}() is done with azure-storage-blob, as v1 did (blob datastores only)")
    unit.own_uses.add(id(use))


def _workspace_client_of(unit: Rewrite, ctx: FixContext) -> str | None:
    for consumed in unit.consumes:
        workspace = workspace_binding(ctx, consumed)
        if workspace is not None:
            return ctx.counterpart(workspace)
    return None
