"""v1 datasets and the way a job reads them -> a v2 ``Input`` (mapping-extension.md 4.2, 4.4).

``Dataset.File.from_files`` becomes a ``uri_file``/``uri_folder`` path,
``Dataset.Tabular.from_delimited_files`` an MLTable folder written at submit
time (a documented default: the script must read it with ``mltable``), a
registered dataset ``azureml:<name>@latest`` typed by how it is read.
``as_named_input(n)`` names the input, ``.as_mount()``/``.as_download()`` give
its mode and ``path_on_compute`` its mount point.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass, replace

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import bind_arguments, known_str, py_str
from ..engine.fixing.rewrite import FixContext
from ..engine.fixing.symbols import symbol, without_counterparts
from ._common import not_a_workspace, workspace_binding
from ._tabular import READ_DELIMITED, mltable_call, path_kind, read_delimited_options
from .data_refs import (
    CONSUMPTION,
    DATASET,
    DELIMITED,
    FROM_FILES,
    GET_BY_NAME,
    OTHER_TABULAR,
    Refused,
    Taken,
    followed,
    is_typed,
    kind_of_path,
    locations,
    where,
    workspace_item,
)

MLTABLE_TODO = ("AML022 the script must read this input with mltable.load(<path>).to_pandas_dataframe(); "
                "add 'mltable' to the job's environment")
_FROM_FILES = ["path", "validate", "partition_format", "is_file"]
_DELIMITED = ["path", "validate", "include_path", "infer_column_types", "set_column_types", "separator", "header",
              "partition_format", "support_multi_line", "empty_as_string", "encoding"]
_TRANSPARENT = {"register"}
# azure-ai-ml 1.35 fails job validation on Input/Output(path_on_compute=...) (KeyError 'base_path'):
# the mount point is left to Azure ML, a documented default.
_ON_COMPUTE = ("{code} v1 put this {what} at {path}; v2 chooses the mount point (azure-ai-ml rejects "
               "path_on_compute=): the script must take the path from its arguments")  # a registered dataset reads the same data


@dataclass(frozen=True)
class Source:
    kind: str | None  # uri_file, uri_folder or mltable; None: a registered dataset, typed by its use
    path: str  # Python source of the v2 path
    origin: int  # id of the dataset's binding (or call): one pipeline input per dataset
    name: str  # a name for that pipeline input
    widened: bool = False  # several v1 paths, read as their common parent folder
    whole_store: bool = False  # ... which is the whole datastore


@dataclass(frozen=True)
class Consumed:
    source: Source
    name: str | None  # as_named_input(name): the input's name, and v1's environment variable
    mode: str  # "ro_mount", "download" or "direct"
    path_on_compute: str | None = None


def is_dataset_variable(node: ast.expr, ctx: FixContext) -> bool:
    if not isinstance(node, ast.Name):
        return False
    if is_typed(ctx, node, DATASET, CONSUMPTION):
        return True
    binding = ctx.binding_of(node)
    statement = binding.node if binding is not None else None
    return isinstance(statement, ast.Assign) and (registered_item(statement.value, ctx) is not None
                                                  or dataset_registration(statement.value) is not None
                                                  or ctx.callee(statement.value) == UPLOAD_DIRECTORY)


UPLOAD_DIRECTORY = "azureml.core.Dataset.File.upload_directory"
_UPLOAD = ["src_dir", "target", "pattern", "overwrite", "show_progress"]


def _uploaded(call: ast.Call, ctx: FixContext, taken: Taken, top: bool) -> Source:
    """``Dataset.File.upload_directory(src_dir, target=(store, "p"))`` uploads a folder and
    returns the dataset of where it went: the job reads that folder.  The upload itself
    stays (data_bindings keeps it), so the data is there before the job is submitted."""
    bound = bind_arguments(call, _UPLOAD)
    if isinstance(bound, str) or "target" not in bound.values:
        raise Refused("upload_directory() with arguments this fix cannot follow")
    if "pattern" in bound.values:
        raise Refused("upload_directory(pattern=...): the dataset holds only the matching files; migrate it by hand",
                      RefusalKind.NOT_YET)
    place = where(locations(bound.values["target"], ctx, taken, top), taken, is_file=False)
    return Source("uri_folder", place.path, id(call), "dataset")


# ``AbstractDataset.register``'s parameters, in order
REGISTER_SIGNATURE = ["workspace", "name", "description", "tags", "create_new_version"]


def dataset_registration(node: ast.expr) -> tuple[ast.expr, ast.expr] | None:
    """(workspace, name) of ``ds.register(workspace=ws, name="n", ...)``: a dataset's
    ``register`` by its keywords (a model's or an environment's takes others), whatever
    built ``ds`` (an open dataset, a helper this fix cannot see into)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "register"):
        return None
    keywords = {k.arg: k.value for k in node.keywords}
    if (node.args or None in keywords or not {"workspace", "name"} <= set(keywords)
            or set(keywords) - set(REGISTER_SIGNATURE)):
        return None
    return keywords["workspace"], keywords["name"]


def consumed(node: ast.expr, ctx: FixContext, taken: Taken, top: bool = True) -> Consumed | None:
    """How ``node`` hands a dataset to a job, or None when it is no dataset."""
    if isinstance(node, ast.Name):
        if not is_dataset_variable(node, ctx):
            return None
        binding, value = followed(node, ctx, taken if top else None)
        inner = consumed(value, ctx, taken, top=False)
        if inner is None:
            raise Refused(f"`{node.id}` holds a dataset this fix cannot follow")
        if inner.source.origin == id(value) or inner.source.name == "dataset":
            inner = replace(inner, source=replace(inner.source, origin=id(binding), name=binding.name))
        return inner
    registered = registered_item(node, ctx)
    if registered is not None:
        return Consumed(_registered(registered, node, None, ctx, taken, top, registered_workspace(node)), None, "direct")
    if not isinstance(node, ast.Call):
        return None
    callee = ctx.callee(node)
    if callee in (FROM_FILES, DELIMITED, GET_BY_NAME, *OTHER_TABULAR):
        if top:
            taken.resolves.append(("AML022", node))
        return Consumed(_source(node, callee, ctx, taken, top), None, "direct")  # type: ignore[arg-type]
    if callee == CONSUMPTION:
        return _consumption_config(node, ctx, taken, top)
    if callee == UPLOAD_DIRECTORY:
        return Consumed(_uploaded(node, ctx, taken, top), None, "direct")
    func = node.func
    if not isinstance(func, ast.Attribute):
        return None
    inner = consumed(func.value, ctx, taken, top)
    if inner is None:
        registration = dataset_registration(node) if not top else None
        if registration is None:
            return None
        # the registration stays and runs first: the job reads what it registered
        workspace, name = registration
        return Consumed(_registered(name, node, None, ctx, taken, top, workspace), None, "direct")
    return _method(inner, func.attr, node, ctx, top)


def _method(inner: Consumed, method: str, call: ast.Call, ctx: FixContext, top: bool) -> Consumed:
    if method == "as_named_input":
        name = known_str(ctx, call.args[0]) if len(call.args) == 1 and not call.keywords else None
        if name is None:
            raise Refused("as_named_input() needs one literal name")
        return replace(inner, name=name)
    if method in ("as_mount", "as_download"):
        bound = bind_arguments(call, ["path_on_compute"])
        target = bound.values.get("path_on_compute") if not isinstance(bound, str) else None
        if isinstance(bound, str) or set(bound.values) - {"path_on_compute"}:
            raise Refused(f"{method}() with arguments this fix cannot follow")
        on_compute = known_str(ctx, target) if target is not None else None
        if target is not None and on_compute is None:
            raise Refused(f"{method}(path_on_compute=...) is not a literal")
        return replace(inner, mode="ro_mount" if method == "as_mount" else "download", path_on_compute=on_compute)
    if method in _TRANSPARENT and not top:
        return inner
    raise Refused(f"dataset method .{method}() here: migrate it by hand")


def _consumption_config(call: ast.Call, ctx: FixContext, taken: Taken, top: bool) -> Consumed:
    """``DatasetConsumptionConfig(name, dataset, mode="direct", path_on_compute=None)``."""
    bound = bind_arguments(call, ["name", "dataset", "mode", "path_on_compute"])
    if isinstance(bound, str) or "dataset" not in bound.values:
        raise Refused("DatasetConsumptionConfig() with arguments this fix cannot follow")
    values = bound.values
    name, mode = known_str(ctx, values.get("name")), known_str(ctx, values["mode"]) if "mode" in values else "direct"
    inner = consumed(values["dataset"], ctx, taken, top)
    if inner is None or name is None or mode not in ("direct", "mount", "download"):
        raise Refused("DatasetConsumptionConfig() over something other than a dataset this fix can follow")
    on_compute = known_str(ctx, values.get("path_on_compute")) if "path_on_compute" in values else None
    return replace(inner, name=name, mode="ro_mount" if mode == "mount" else mode, path_on_compute=on_compute)


def source_of(call: ast.Call, ctx: FixContext, taken: Taken) -> Source:
    """Where the dataset ``call`` builds lives, for a consumer that reads it its own way."""
    return _source(call, ctx.callee(call) or "", ctx, taken, top=True)


def _source(call: ast.Call, callee: str, ctx: FixContext, taken: Taken, top: bool) -> Source:
    if callee == GET_BY_NAME:
        bound = bind_arguments(call, ["workspace", "name", "version"])
        if isinstance(bound, str) or set(bound.values) - {"workspace", "name", "version"}:
            raise Refused("Dataset.get_by_name() with arguments this fix cannot follow")
        return _registered(bound.values.get("name"), call, bound.values.get("version"), ctx, taken, top,
                           bound.values.get("workspace"))
    if callee in OTHER_TABULAR:
        raise Refused(f"a tabular dataset from {callee.rsplit('.', 1)[1]}(): migrate it by hand", RefusalKind.NOT_YET)
    bound = bind_arguments(call, _FROM_FILES if callee == FROM_FILES else _DELIMITED)
    if isinstance(bound, str) or "path" not in bound.values:
        raise Refused(f"the dataset call: {bound if isinstance(bound, str) else 'it has no path'}")
    values = bound.values
    for unsupported in ("partition_format", "set_column_types"):
        if unsupported in values:
            raise Refused(f"{unsupported}= has no mechanical v2 equivalent: migrate it by hand", RefusalKind.NOT_YET)
    found = locations(values["path"], ctx, taken, top)
    if callee == FROM_FILES:
        is_file = _literal(values.get("is_file"), "is_file") if "is_file" in values else None
        place = where(found, taken, is_file=is_file)
        return Source(kind_of_path(place, taken), place.path, id(call), "dataset", place.widened, place.whole_store)
    return _tabular(found, values, ctx, taken, call)


def _literal(node: ast.expr | None, what: str) -> object:
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, str, int)):
        return node.value
    raise Refused(f"{what}= is not a literal")


def _tabular(found: list, values: dict[str, ast.expr], ctx: FixContext, taken: Taken, call: ast.Call) -> Source:
    """An MLTable folder describing the delimited files, written when the job is submitted."""
    given = {p: _literal(values[p], p) for p in READ_DELIMITED if p in values}
    if not isinstance(given.get("header", True), bool):
        raise Refused("header= other than True/False: migrate it by hand", RefusalKind.NOT_YET)
    paths = []
    for location in found:
        text = location.path
        if location.store is None:
            paths.append((path_kind(text), py_str(text)))
        else:
            clean = text.lstrip("./") if not text.startswith("../") else text
            uri = location.store.long_uri(clean)
            if uri is None:
                raise Refused("an MLTable file needs the datastore's full azureml://subscriptions/... URI, and the "
                              "datastore's workspace is not one this fix follows", RefusalKind.DATA_FLOW)
            paths.append((path_kind(text), uri))
    stem = re.sub(r"\W", "_", found[0].path.rstrip("/").rsplit("/", 1)[-1].split(".")[0]) or "data"
    # (the content names the client by its stand-in, an object's identity: made the same run after run,
    # audit, stop 63, f)
    stable = [(kind, without_counterparts(uri)) for kind, uri in paths]
    folder = py_str(_own_folder(f"_v1_mltable_{stem}", repr((paths, sorted(given.items()))),
                                repr((stable, sorted(given.items()))), ctx))
    taken.todos.append(MLTABLE_TODO)
    if len(found) > 1 or any(kind == "pattern" for kind, _ in paths):
        taken.notes.append("the tabular dataset's paths are listed in its MLTable file")
    path = mltable_call(folder, paths, read_delimited_options(given), taken.helpers)
    return Source("mltable", path, id(call), "dataset")



def _own_folder(name: str, content: str, stable: str, ctx: FixContext) -> str:
    """``./<name>``, made unique when another dataset of the program already writes its MLTable
    there (audit i: ``train/data.csv`` and ``test/data.csv`` shared one folder, and the train input
    read the test file): a short hash of what the MLTable file holds is added, then a count.
    ``content`` tells two files apart (two workspaces' clients too); ``stable``, the same text
    without what differs from one run of the tool to the next, makes the name."""
    used: dict[str, str] = ctx.cache.setdefault("data_inputs:mltable folders", {})  # type: ignore[assignment]
    if used.get(name, content) != content or (name not in used and f"./{name}" in ctx.text):
        base = name = f"{name}_{hashlib.sha256(stable.encode()).hexdigest()[:8]}"
        count = 2
        while used.get(name, content) != content:
            name, count = f"{base}_{count}", count + 1
    used[name] = content
    return f"./{name}"


def registered_item(node: ast.expr, ctx: FixContext) -> ast.expr | None:
    """The name node of ``ws.datasets[name]`` / ``ws.datasets.get(name)``."""
    return workspace_item(node, ctx, "datasets")


def registered_workspace(node: ast.expr) -> ast.expr:
    """The workspace of ``ws.datasets[...]`` (its caller checked the shape)."""
    owner = node.value if isinstance(node, ast.Subscript) else node.func.value  # type: ignore[attr-defined]
    return owner.value  # type: ignore[no-any-return]


def _registered(name_node: ast.expr | None, call: ast.expr, version: ast.expr | None, ctx: FixContext, taken: Taken,
                top: bool, workspace: ast.expr | None = None) -> Source:
    """v2 reads a v1 registered dataset as ``azureml:<name>@latest`` or ``:<version>``."""
    name = known_str(ctx, name_node)
    if name is None:
        raise Refused("the registered dataset's name is not a literal")
    if version is not None and not (isinstance(version, ast.Constant) and isinstance(version.value, (int, str))):
        raise Refused("the registered dataset's version is not a literal")
    label = "@latest" if version is None or version.value == "latest" else f":{version.value}"  # type: ignore[union-attr]
    if workspace_binding(ctx, workspace) is None:
        raise Refused(not_a_workspace(ctx, workspace, "the dataset's"))
    if top:
        taken.consumes.append(workspace)  # type: ignore[arg-type]
    return Source(None, py_str(f"azureml:{name}{label}"), id(call), re.sub(r"\W", "_", name))


def input_kind(used: Consumed, taken: Taken, read_as_table: bool = False) -> str:
    """The v2 type: a registered dataset is typed by how the job reads it (``read_as_table``:
    its script reads it only with ``to_pandas_dataframe()``, so it is tabular)."""
    if used.mode == "download" and used.source.whole_store:
        raise Refused("the dataset's paths share no folder but the datastore's root, and v2 would download all of "
                      "it (v1 downloaded only the paths listed): migrate it by hand", RefusalKind.NOT_YET)
    if used.path_on_compute is not None:
        taken.todos.append(_ON_COMPUTE.format(code="AML022", what="input", path=used.path_on_compute))
    if used.source.kind is not None:
        if used.source.kind != "mltable" and used.mode == "direct":
            raise Refused("a file dataset read directly (no as_mount()/as_download()): the script decides what v2 "
                          "input fits; migrate it by hand", RefusalKind.NOT_YET)
        return used.source.kind
    if used.mode == "direct" and read_as_table:  # (mapping-extension.md 4.4, direct mode: tabular)
        taken.todos.append(MLTABLE_TODO)
        return "mltable"
    if used.mode == "direct":
        raise Refused("a registered dataset read directly (no as_mount()/as_download()) may be a file or a tabular "
                      "dataset, and the script decides what v2 input fits; migrate it by hand", RefusalKind.NOT_YET)
    taken.notes.append("the registered dataset is mounted or downloaded, so it is read as a folder (uri_folder)")
    return "uri_folder"


def declaration(used: Consumed, kind: str, with_path: bool = True) -> str:
    """``Input(type=..., path=..., mode=..., path_on_compute=...)``."""
    parts = [f'type="{kind}"']
    if with_path:
        parts.append(f"path={used.source.path}")
    if used.mode == "download":
        parts.append('mode="download"')
    return f"{symbol('azure.ai.ml', 'Input')}({', '.join(parts)})"
