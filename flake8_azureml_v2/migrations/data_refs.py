"""Where v1 data lives, written the way SDK v2 reads it (mapping-extension.md 4.1, 4.2).

A v1 dataset is built from datastore paths (``(store, "p")``, ``store.path("p")``),
URLs, or a registered name; v2 has no dataset objects, only typed URIs.  This
module follows a data expression through the program's variables back to where
it was built and gives the v2 ``path`` and ``type`` of the ``Input`` that
replaces it.  A datastore whose name is only known at run time gives an
``azureml://`` URI built in code from ``store.name`` (a v1 datastore and its v2
counterpart both have it).  What cannot be known statically is refused.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass, field

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import bind_arguments, known_str, py_str
from ..engine.fixing.rewrite import FixContext, snippet
from ..engine.names import Binding, Instance
from ..v1api import is_subtype
from ._common import workspace_binding

DATASET = "azureml.core.Dataset"
DATASTORE = "azureml.core.Datastore"
WORKSPACE = "azureml.core.Workspace"
CONSUMPTION = "azureml.data.dataset_consumption_config.DatasetConsumptionConfig"
FROM_FILES = "azureml.core.Dataset.File.from_files"
DELIMITED = "azureml.core.Dataset.Tabular.from_delimited_files"
OTHER_TABULAR = ("azureml.core.Dataset.Tabular.from_parquet_files", "azureml.core.Dataset.Tabular.from_json_lines_files")
GET_BY_NAME = "azureml.core.Dataset.get_by_name"
DATA_PATH = "azureml.data.datapath.DataPath"
# Registrations of datastores that hold files; what they return is read by its name.
REGISTERED = tuple(f"{DATASTORE}.register_azure_{kind}" for kind in (
    "blob_container", "file_share", "data_lake_gen2", "data_lake"))
_GLOB = re.compile(r"[*?\[]")


class Refused(Exception):
    """The data cannot be followed or has no v2 form; ``kind`` says which."""

    def __init__(self, reason: str, kind: RefusalKind = RefusalKind.DATA_FLOW) -> None:
        super().__init__(reason)
        self.kind = kind


@dataclass
class Taken:
    """What translating data expressions takes over from the program."""

    consumes: list[ast.Name] = field(default_factory=list)  # uses of migrated variables, now translated
    resolves: list[tuple[str, ast.AST]] = field(default_factory=list)  # findings of inline v1 calls that go
    notes: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)  # TODO comments the consumer writes before itself
    widened: list[str] = field(default_factory=list)  # those of them on what the path covers (an asset's too)
    helpers: dict[str, str] = field(default_factory=dict)
    references: list[Binding] = field(default_factory=list)  # variables the new text names

    def absorb(self, other: Taken) -> None:
        self.consumes.extend(other.consumes)
        self.resolves.extend(other.resolves)
        self.notes.extend(n for n in other.notes if n not in self.notes)
        self.todos.extend(t for t in other.todos if t not in self.todos)
        self.widened.extend(t for t in other.widened if t not in self.widened)
        self.helpers.update(other.helpers)
        self.references.extend(other.references)


def followed(name: ast.Name, ctx: FixContext, taken: Taken | None) -> tuple[Binding, ast.expr]:
    """The binding of a data variable and the expression that built it; the use is
    consumed (``taken``) when the caller translates it."""
    binding = ctx.binding_of(name)
    statement = binding.node if binding is not None else None
    if (binding is None or not isinstance(statement, ast.Assign)
            or len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name)
            or (binding.conditional and not _registers_itself(statement, ctx))):
        raise Refused(f"`{name.id}` is not built by one plain assignment")
    if taken is not None:
        taken.consumes.append(name)
    return binding, statement.value


def _registers_itself(statement: ast.Assign, ctx: FixContext) -> bool:
    """``ds = ds.register(...)`` on a dataset: registering returns the same data, so
    whether a branch ran it or not, ``ds`` reads the same files or table afterwards."""
    target, value = statement.targets[0], statement.value
    if not (isinstance(target, ast.Name) and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            and value.func.attr == "register" and isinstance(value.func.value, ast.Name)):
        return False
    receiver = value.func.value
    return receiver.id == target.id and is_typed(ctx, receiver, DATASET)


def is_typed(ctx: FixContext, node: ast.expr, *types: str) -> bool:
    """The name model says the variable ``node`` holds one of ``types``."""
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    value = binding.value if binding is not None else None
    return isinstance(value, Instance) and any(is_subtype(value.type, t) for t in types)


def is_store(ctx: FixContext, node: ast.expr) -> bool:
    """A datastore variable, or a call that returns a datastore handle."""
    if isinstance(node, ast.Name):
        if is_typed(ctx, node, DATASTORE):
            return True
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None else None
        node = statement.value if isinstance(statement, ast.Assign) else None  # type: ignore[assignment]
        if not isinstance(node, (ast.Subscript, ast.Call)):
            return False
    try:
        return store_expression(node, ctx) is not None
    except Refused:
        return True


# -- datastores --------------------------------------------------------------------


@dataclass(frozen=True)
class StoreName:
    """A datastore's name: ``literal`` when the program spells it, else ``text``, the
    Python expression that gives it at run time."""

    literal: str | None
    text: str
    default: bool = False  # the workspace's default datastore
    client: str | None = None  # the MLClient of the store's workspace, where the program names it

    def long_uri(self, path: str) -> str | None:
        """Source of ``azureml://subscriptions/.../workspaces/<ws>/datastores/<name>/paths/<path>``,
        the only datastore URI an MLTable file keeps (mltable reads the short form as a path
        relative to the MLTable file: mapping-extension.md 4.2); None without the client."""
        if self.client is None:
            return None
        name = self.literal.replace("{", "{{").replace("}", "}}") if self.literal is not None else f"{{{self.text}}}"
        escaped = path.replace("{", "{{").replace("}", "}}")
        client = self.client
        return (f'f"azureml://subscriptions/{{{client}.subscription_id}}/resourcegroups/{{{client}.resource_group_name}}'
                f'/workspaces/{{{client}.workspace_name}}/datastores/{name}/paths/{escaped}"')

    def uri(self, path: str, tail: str = "") -> str:
        """Source of ``azureml://datastores/<name>/paths/<path>``; ``tail`` is appended
        as a plain string (it may hold ``${{...}}``, which an f-string would break)."""
        if self.literal is not None:
            return py_str(f"azureml://datastores/{self.literal}/paths/{path}{tail}")
        escaped = path.replace("{", "{{").replace("}", "}}")
        head = f'f"azureml://datastores/{{{self.text}}}/paths/{escaped}"'
        return f"{head} + {py_str(tail)}" if tail else head


def _store_call_name(call: ast.Call, ctx: FixContext) -> tuple[str | None, ast.expr | None] | None:
    """(literal name or None for the default store, workspace argument) of a datastore
    handle call; None when ``call`` is not one."""
    callee = ctx.callee(call)
    func = call.func
    if callee in ("azureml.core.Datastore.get", "azureml.core.Datastore"):
        bound = bind_arguments(call, ["workspace", "datastore_name"] if callee.endswith("get") else ["workspace", "name"])
        if isinstance(bound, str):
            raise Refused(f"Datastore(): {bound}")
        values = bound.values
        if "name" in values and "datastore_name" not in values and callee.endswith("get"):
            values["datastore_name"] = values.pop("name")
        name = known_str(ctx, values.get("datastore_name", values.get("name")))
        if name is None or set(values) - {"workspace", "datastore_name", "name"}:
            raise Refused("the datastore is named by something other than a literal")
        return name, values.get("workspace")
    if callee in REGISTERED:  # the registration stays v1; it has made the store of that name
        given = call.args[1] if len(call.args) > 1 else next(
            (k.value for k in call.keywords if k.arg == "datastore_name"), None)  # every register_* names it second
        name = known_str(ctx, given)
        if name is None:
            raise Refused("the datastore is registered under a name that is not a literal")
        return name.lower(), None  # (v1 stored a name with capital letters in lower case)
    if callee == "azureml.core.Datastore.get_default":
        return None, call.args[0] if call.args else next((k.value for k in call.keywords), None)
    if (isinstance(func, ast.Attribute) and func.attr == "get_default_datastore" and not call.args
            and not call.keywords and workspace_binding(ctx, func.value) is not None):  # type: ignore[arg-type]
        return None, func.value
    name = _datastores_item(call, ctx)
    return (name, func.value.value) if name is not None else None  # type: ignore[attr-defined]


def workspace_item(node: ast.expr, ctx: FixContext, collection: str) -> ast.expr | None:
    """The key node of ``ws.<collection>[key]`` / ``ws.<collection>.get(key)`` on a Workspace."""
    if isinstance(node, ast.Subscript):
        owner, key = node.value, node.slice
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
          and len(node.args) == 1 and not node.keywords):
        owner, key = node.func.value, node.args[0]
    else:
        return None
    if isinstance(owner, ast.Attribute) and owner.attr == collection and workspace_binding(ctx, owner.value) is not None:  # type: ignore[arg-type]
        return key  # type: ignore[return-value]
    return None


def _datastores_item(node: ast.expr, ctx: FixContext) -> str | None:
    """``ws.datastores["n"]`` / ``ws.datastores.get("n")``: the literal name."""
    key = workspace_item(node, ctx, "datastores")
    return known_str(ctx, key) if key is not None else None


def store_expression(node: ast.expr, ctx: FixContext) -> tuple[str | None, ast.expr | None] | None:
    """(literal name or None, workspace node) when ``node`` builds a datastore handle."""
    if isinstance(node, ast.Subscript):
        name = _datastores_item(node, ctx)
        return (name, node.value.value) if name is not None else None  # type: ignore[attr-defined]
    if isinstance(node, ast.Call):
        return _store_call_name(node, ctx)
    return None


def registered_store(binding: Binding, ctx: FixContext) -> bool:
    """``store = Datastore.register_azure_*(ws, "name", ...)``: the registration stays v1, and
    new code names the store by its literal name, so its variable is not taken over."""
    statement = binding.node
    return (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
            and ctx.callee(statement.value) in REGISTERED)


def store_name(node: ast.expr, ctx: FixContext, taken: Taken, top: bool, default_only: bool = False) -> StoreName:
    """The name of the datastore ``node`` holds; ``top``: the caller translates this very
    expression (its variable uses and inline v1 calls are taken over).  ``default_only``:
    the caller only needs to know that it is the workspace's default store."""
    if isinstance(node, ast.Name):
        binding, value = followed(node, ctx, None)
        found = store_expression(value, ctx)
        if found is None:
            raise Refused(f"`{node.id}` is a datastore this fix cannot follow")
        if top and not registered_store(binding, ctx):
            taken.consumes.append(node)  # a registered store is named by its literal name: it stays as it is
        if not (default_only and found[0] is None):
            taken.references.append(binding)
        return StoreName(found[0], f"{node.id}.name", default=found[0] is None, client=_client(found[1], ctx))
    found = store_expression(node, ctx)
    if found is None:
        raise Refused(f"`{snippet(ctx.locator, node)}` is not a datastore this fix can follow")
    if isinstance(node, ast.Call) and ctx.callee(node) in REGISTERED:
        raise Refused("the datastore is registered inside the expression that is rewritten: assign it to a variable first")
    literal, workspace = found
    if literal is not None:
        if top:
            _take_inline_store(node, workspace, ctx, taken)
        return StoreName(literal, py_str(literal), client=_client(workspace, ctx))
    ws = workspace_binding(ctx, workspace)
    if default_only:
        if top:
            _take_inline_store(node, workspace, ctx, taken)
        return StoreName(None, "", default=True)
    if ws is None:
        raise Refused("the default datastore's name is only known at run time here: name it in a variable first")
    if top:  # (the expression is translated where it stands; otherwise where its variable is used: audit 2e)
        _take_inline_store(node, workspace, ctx, taken)
    client = ctx.counterpart(ws)
    return StoreName(None, f"{client}.datastores.get_default().name", default=True, client=client)


def _client(workspace: ast.expr | None, ctx: FixContext) -> str | None:
    """The MLClient new code names for the Workspace variable ``workspace``, when it is one
    (its migration must then be applied: the name is filled in from it)."""
    ws = workspace_binding(ctx, workspace)
    return ctx.counterpart(ws) if ws is not None else None


def datastore_client(store: ast.Name, ctx: FixContext) -> str | None:
    """The MLClient of the workspace the datastore variable ``store`` came from, or None."""
    binding = ctx.binding_of(store)
    statement = binding.node if binding is not None and not binding.conditional else None
    if not isinstance(statement, ast.Assign) or len(ctx.bindings_named(store.id)) != 1:
        return None
    found = store_expression(statement.value, ctx)
    return _client(found[1], ctx) if found is not None else None


def _take_inline_store(node: ast.expr, workspace: ast.expr | None, ctx: FixContext, taken: Taken) -> None:
    if isinstance(workspace, ast.Name) and workspace_binding(ctx, workspace) is not None:
        taken.consumes.append(workspace)
    for code in ("AML023", "AML028"):
        if ctx.findings_for(node, code):
            taken.resolves.append((code, node))


# -- paths -------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """One v1 path: on a datastore (``store``) or a URL/local path (``store`` None)."""

    store: StoreName | None
    path: str


def locations(node: ast.expr, ctx: FixContext, taken: Taken, top: bool) -> list[Location]:
    """The paths a dataset's ``path=`` names: a string, a (store, path) tuple,
    ``store.path(p)``, ``DataPath(store, p)``, or a list of those."""
    if isinstance(node, ast.Name) and known_str(ctx, node) is None:
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None and not binding.conditional else None
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.value, (ast.List, ast.Tuple, ast.Call))):
            return locations(statement.value, ctx, taken, False)
        raise Refused(f"the dataset path `{node.id}` is not a literal this fix can read")
    literal = known_str(ctx, node)
    if literal is not None:
        return [Location(None, literal)]
    if isinstance(node, ast.Tuple) and len(node.elts) == 2 and known_str(ctx, node.elts[1]) is not None \
            and is_store(ctx, node.elts[0]):
        return [Location(store_name(node.elts[0], ctx, taken, top), known_str(ctx, node.elts[1]))]  # type: ignore[arg-type]
    if isinstance(node, (ast.List, ast.Tuple)):
        found = [loc for element in node.elts for loc in locations(element, ctx, taken, top)]
        if not found:
            raise Refused("the dataset has no path")
        return found
    if isinstance(node, ast.Call):
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "path" and len(node.args) + len(node.keywords) == 1
                and is_store(ctx, func.value)):
            path = known_str(ctx, node.args[0] if node.args else node.keywords[0].value)
            if path is None or (node.keywords and node.keywords[0].arg != "path"):
                raise Refused("store.path() with a path that is not a literal")
            return [Location(store_name(func.value, ctx, taken, top), path)]
        if ctx.callee(node) == DATA_PATH:
            bound = bind_arguments(node, ["datastore", "path_on_datastore", "name"])
            if isinstance(bound, str) or "datastore" not in bound.values:
                raise Refused("DataPath() with arguments this fix cannot follow")
            path = known_str(ctx, bound.values.get("path_on_datastore"))
            if path is None:
                raise Refused("DataPath() with a path that is not a literal")
            return [Location(store_name(bound.values["datastore"], ctx, taken, top), path)]
    raise Refused(f"the dataset path `{snippet(ctx.locator, node)}` is not one this fix can read")


def _clean(path: str) -> str:
    while path.startswith(("./", "/")):
        path = path[2:] if path.startswith("./") else path[1:]
    return "" if path == "." else path


def _looks_like_file(path: str) -> bool:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return not path.endswith("/") and "." in last.strip(".")


@dataclass(frozen=True)
class Where:
    """Where an input points: its path source, whether it names a file, and what it means."""

    path: str
    is_file: bool
    shown: str  # the path as people read it, for messages
    widened: bool = False  # several paths taken as their common parent folder
    whole_store: bool = False  # ... and that parent is the datastore's (or the host's) root


def where(found: list[Location], taken: Taken, code: str = "AML022", is_file: bool | None = None) -> Where:
    """One v2 path for the v1 paths: the path itself, or their common parent folder
    (a documented default with a TODO).  Globs and paths on different stores are refused."""
    for location in found:
        if _GLOB.search(location.path):
            raise Refused(f"the dataset path {location.path!r} is a glob: v2 inputs have no globs "
                          "(an MLTable with a pattern needs the script to read through mltable)", RefusalKind.IMPOSSIBLE)
    stores = {(loc.store.literal, loc.store.text) if loc.store else None for loc in found}
    if len(stores) > 1:
        raise Refused("the dataset's paths are on different datastores: v2 has no multi-path input", RefusalKind.IMPOSSIBLE)
    store = found[0].store
    if store is None:
        urls = [loc.path for loc in found]
        roots = {url.split("://", 1)[0] + "://" + url.split("://", 1)[1].split("/", 1)[0] if "://" in url else "" for url in urls}
        if len(roots) > 1:
            raise Refused("the dataset's URLs are on different hosts: v2 has no multi-path input", RefusalKind.IMPOSSIBLE)
        if len(urls) == 1:
            file = _looks_like_file(urls[0]) if is_file is None else is_file
            return Where(py_str(urls[0]), file, urls[0])
        root = roots.pop()
        if _is_web_server(root):
            raise Refused(f"the dataset lists several files on {root}: a v2 folder input is a storage folder, and a "
                          "web server's folder cannot be listed (v1 fetched each URL)", RefusalKind.IMPOSSIBLE)
        parent = posixpath.commonpath([u[len(root):] or "/" for u in urls]) if root else posixpath.commonpath(urls)
        folder = (root + parent).rstrip("/") + "/"
        _several(urls, folder, taken, code)
        return Where(py_str(folder), False, folder, widened=True, whole_store=bool(root) and parent.strip("/") == "")
    paths = [_clean(loc.path) for loc in found]
    if len(paths) == 1:
        file = _looks_like_file(found[0].path) if is_file is None else is_file
        return Where(store.uri(paths[0]), file, f"({store.literal or store.text}, {found[0].path!r})")
    parent = posixpath.commonpath(["/" + p for p in paths]).lstrip("/")
    folder = parent + "/" if parent else ""
    _several([loc.path for loc in found], folder or "/", taken, code)
    return Where(store.uri(folder), False, folder or "/", widened=True, whole_store=not parent)


# Hosts of http(s) URLs that are storage a v2 folder input can list.
_STORAGE_HOSTS = (".blob.core.windows.net", ".dfs.core.windows.net")


def _is_web_server(root: str) -> bool:
    """An http(s) URL root outside Azure storage: a folder there is not something to list."""
    scheme, _, host = root.partition("://")
    return scheme.lower() in ("http", "https") and not host.lower().split(":")[0].endswith(_STORAGE_HOSTS)


def _several(paths: list[str], folder: str, taken: Taken, code: str) -> None:
    listed = ", ".join(paths)
    todo = f"{code} v1 read only {listed}; v2 takes their common parent {folder}, and with it whatever else that folder holds"
    taken.todos.append(todo)
    taken.widened.append(todo)


def kind_of_path(found: Where, taken: Taken, code: str = "AML022") -> str:
    """uri_file for a path that names a file; a path with no extension is taken for a folder, and
    the program says so where people look (v1 took either; a v2 folder input over a file fails)."""
    if found.is_file:
        return "uri_file"
    if not found.shown.rstrip("')").endswith("/"):
        todo = (f"{code} the dataset path {found.shown} has no file extension and is read as a folder "
                "(uri_folder); if it names one file, make its type uri_file")
        if todo not in taken.todos:
            taken.todos.append(todo)
            taken.widened.append(todo)  # about what the path covers: a registered asset's too
    return "uri_folder"
