"""v1 job outputs -> a v2 ``Output`` (mapping-extension.md 4.5).

``OutputFileDatasetConfig(name, destination=(store, "p/{run-id}"))`` and
``PipelineData(name, datastore=store, output_mode=...)`` become
``Output(type="uri_folder", path=..., mode=..., name=<asset>)``.  v1's default
destination is written out (``workspaceblobstore`` under
``dataset/{run-id}/{output-name}``); ``{run-id}``/``{output-name}`` become
``${{name}}``/``${{output_name}}``, never inside an f-string.  ``.as_input(n)``
and ``.read_delimited_files()`` are how a later step reads the output.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import bind_arguments, known_str, py_str
from ..engine.fixing.rewrite import FixContext
from ..engine.fixing.symbols import symbol
from .data_refs import Refused, StoreName, Taken, followed, is_typed, store_name

OUTPUT_CONFIG = "azureml.data.OutputFileDatasetConfig"
PIPELINE_DATA = "azureml.pipeline.core.PipelineData"
_CONFIG_SIGNATURE = ["name", "destination", "source", "partition_format"]
_DATA_SIGNATURE = ["name", "datastore", "output_name", "output_mode", "output_path_on_compute", "output_overwrite",
                   "data_type", "is_directory", "pipeline_output_name", "training_output"]
_PLACEHOLDERS = {"{run-id}": "${{name}}", "{output-name}": "${{output_name}}"}
V1_DEFAULT_STORE = StoreName("workspaceblobstore", '"workspaceblobstore"')
_TABULAR_READS = {"read_delimited_files": "from_delimited_files", "parse_delimited_files": "from_delimited_files",
                  "read_parquet_files": "from_parquet_files", "parse_parquet_files": "from_parquet_files"}


@dataclass(frozen=True)
class Produced:
    name: str | None  # the v1 output name (also v1's environment variable)
    path: str | None  # Python source of the v2 path; None: v2's default location
    origin: int  # id of the output's binding (or call): matches its producer and consumers
    code: str  # AML006 or AML005
    variable: str | None = None
    mode: str | None = None  # "upload"; None: rw_mount, the default
    asset: str | None = None  # register_on_complete(name)
    on_compute: str | None = None
    read_as: str | None = None  # as_input(name): a later step reads it under this name
    input_mode: str | None = None  # ... mounted or downloaded
    read_with: str | None = None  # the mltable reader a consumer needs (read_delimited_files)
    pipeline_name: str | None = None  # PipelineData(pipeline_output_name=): the pipeline's output of that name

    def declaration(self, key: str) -> str:
        parts = ['type="uri_folder"']
        if self.path is not None:
            parts.append(f"path={self.path}")
        if self.mode:
            parts.append(f'mode="{self.mode}"')
        if self.asset:
            parts.append(f"name={py_str(self.asset)}")
        return f"{symbol('azure.ai.ml', 'Output')}({', '.join(parts)})"


def is_output_variable(node: ast.expr, ctx: FixContext) -> bool:
    return isinstance(node, ast.Name) and is_typed(ctx, node, OUTPUT_CONFIG, PIPELINE_DATA)


def produced(node: ast.expr, ctx: FixContext, taken: Taken, top: bool = True) -> Produced | None:
    """The output ``node`` declares or reads, or None when it is none."""
    if isinstance(node, ast.Name):
        if not is_output_variable(node, ctx):
            return None
        binding, value = followed(node, ctx, taken if top else None)
        inner = produced(value, ctx, taken, top=False)
        if inner is None:
            raise Refused(f"`{node.id}` holds an output this fix cannot follow")
        if inner.origin == id(value) or inner.variable is None:
            inner = replace(inner, origin=id(binding), variable=binding.name)
        return inner
    if not isinstance(node, ast.Call):
        return None
    callee = ctx.callee(node)
    if callee in (OUTPUT_CONFIG, PIPELINE_DATA):
        built = _constructed(node, callee, ctx, taken, top)
        if top:
            taken.resolves.append((built.code, node))
        return built
    func = node.func
    if not isinstance(func, ast.Attribute):
        return None
    inner = produced(func.value, ctx, taken, top)
    return None if inner is None else _method(inner, func.attr, node, ctx, taken)


def _constructed(call: ast.Call, callee: str, ctx: FixContext, taken: Taken, top: bool) -> Produced:
    config = callee == OUTPUT_CONFIG
    bound = bind_arguments(call, _CONFIG_SIGNATURE if config else _DATA_SIGNATURE)
    if isinstance(bound, str):
        raise Refused(f"the output: {bound}")
    values = {k: v for k, v in bound.values.items() if not (isinstance(v, ast.Constant) and v.value is None)}
    name = known_str(ctx, values.get("output_name", values.get("name"))) if values.get("name") is not None else None
    if "name" in values and name is None:
        raise Refused("the output's name is not a literal")
    code = "AML006" if config else "AML005"
    for option in ("source", "partition_format", "output_overwrite", "training_output"):
        if option in values:
            raise Refused(f"{option}= has no mechanical v2 equivalent: migrate it by hand", RefusalKind.NOT_YET)
    if config:
        path = _destination(values["destination"], ctx, taken, top) if "destination" in values \
            else V1_DEFAULT_STORE.uri("dataset/", "${{name}}/${{output_name}}/")
        return Produced(name, path, id(call), code)
    path = None
    if "datastore" in values:  # v2 writes to the default store's azureml/<job>/<output> too
        store = store_name(values["datastore"], ctx, taken, top, default_only=True)
        path = None if store.default else store.uri("azureml/", "${{name}}/${{output_name}}/")
    mode = known_str(ctx, values.get("output_mode")) if "output_mode" in values else "mount"
    if mode not in ("mount", "upload"):
        raise Refused("output_mode= is not 'mount' or 'upload'")
    on_compute = known_str(ctx, values.get("output_path_on_compute")) if "output_path_on_compute" in values else None
    if "output_path_on_compute" in values and on_compute is None:
        raise Refused("output_path_on_compute= is not a literal")
    if on_compute is not None:
        from .data_inputs import _ON_COMPUTE

        taken.todos.append(_ON_COMPUTE.format(code="AML005", what="output", path=on_compute))
    pipeline_name = None
    if "pipeline_output_name" in values:  # -> the key of the dict the pipeline function returns (mapping.md 5.2)
        pipeline_name = known_str(ctx, values["pipeline_output_name"])
        if pipeline_name is None or not pipeline_name.isidentifier():
            raise Refused("pipeline_output_name= is not a literal Python name, as a v2 pipeline output's is")
        if path is not None:  # (returned, its ${{name}} would name the pipeline job, not the step's run)
            raise Refused("pipeline_output_name= on an output with a datastore path: returned by the pipeline, its "
                          "path's ${{name}} would name the pipeline job instead of the step's run", RefusalKind.NOT_YET)
    return Produced(name, path, id(call), code, mode="upload" if mode == "upload" else None, on_compute=on_compute,
                    pipeline_name=pipeline_name)


def _destination(node: ast.expr, ctx: FixContext, taken: Taken, top: bool) -> str:
    """``destination=(store, "p/{run-id}")`` -> the output's azureml:// path."""
    if not (isinstance(node, ast.Tuple) and len(node.elts) == 2):
        raise Refused("destination= is not a (datastore, path) tuple")
    path = known_str(ctx, node.elts[1])
    if path is None:
        raise Refused("the destination path is not a literal")
    store = store_name(node.elts[0], ctx, taken, top)
    path = path.lstrip("/")
    start = min((path.find(p) for p in _PLACEHOLDERS if p in path), default=len(path))
    head, tail = path[:start], path[start:]
    for placeholder, v2 in _PLACEHOLDERS.items():
        tail = tail.replace(placeholder, v2)
    if re.search(r"(?<!\$)\{[^{}]*\}", tail.replace("${{name}}", "").replace("${{output_name}}", "")) or "{" in head:
        raise Refused("the destination path has placeholders other than {run-id} and {output-name}")
    return store.uri(head, tail)


def _method(inner: Produced, method: str, call: ast.Call, ctx: FixContext, taken: Taken) -> Produced:
    arguments = bind_arguments(call, ["first", "second", "third"])
    if isinstance(arguments, str):
        raise Refused(f".{method}(): {arguments}")
    values = {k: v for k, v in arguments.values.items() if not (isinstance(v, ast.Constant) and v.value in (None, False))}
    if method == "as_dataset" and not values:
        return inner
    if method == "as_input" and inner.read_as is None:
        given = values.get("first", values.get("name"))
        name = known_str(ctx, given) if given is not None else inner.name
        if name is None or set(values) - {"first", "name"}:
            raise Refused("as_input() without a literal name")
        return replace(inner, read_as=name)
    if inner.read_as is not None:
        if method in ("as_mount", "as_download") and not values:
            return replace(inner, input_mode="download" if method == "as_download" else None)
    elif method == "register_on_complete" and inner.asset is None:
        name = known_str(ctx, values.get("first", values.get("name")))
        if name is None or set(values) - {"first", "name"}:
            raise Refused("register_on_complete() with a description, tags or a name that is not a literal",
                          RefusalKind.NOT_YET)
        return replace(inner, asset=name)  # (a table read before: as_produced_here says what v2 registers)
    elif inner.read_with is None:
        if method == "as_upload" and not values:
            return replace(inner, mode="upload")
        if method == "as_mount" and not values:
            return replace(inner, mode=None)
        if method in _TABULAR_READS:
            return _tabular_read(inner, method, values, ctx, taken)
    given = [ctx.locator.text(a) for a in call.args] + [f"{k.arg}={ctx.locator.text(k.value)}" if k.arg else
                                                         ctx.locator.text(k) for k in call.keywords]
    if values and method in ("as_upload", "as_mount", "as_download"):  # (the bare forms map: these do not)
        raise Refused(f"output method .{method}({', '.join(given)}): the reference maps only .{method}() with "
                      "no arguments; migrate it by hand", RefusalKind.NOT_YET)
    raise Refused(f"output method .{method}() here: migrate it by hand", RefusalKind.NOT_YET)


_READ_AS_TABLE = "the reading script must load this folder"


def as_produced_here(made: Produced, taken: Taken) -> None:
    """``made`` is the output of the step at hand, not read there: the table read's TODO is its
    readers'; what a registration of it now registers is the producer's to say."""
    if made.read_with is None:
        return
    read = [todo for todo in taken.todos if todo.startswith(f"{made.code} {_READ_AS_TABLE}")]
    taken.todos[:] = [todo for todo in taken.todos if todo not in read]
    if made.asset is not None and read:
        taken.todos.append(read[0].replace(_READ_AS_TABLE, f"v1 registered {made.asset!r} as a tabular dataset; v2 "
                                                          "registers this folder (uri_folder), and its readers must load it", 1))


def _tabular_read(inner: Produced, method: str, values: dict[str, ast.expr], ctx: FixContext, taken: Taken) -> Produced:
    """A later step read the output as a table: it stays a folder, and the script reads
    it with mltable (a documented default)."""
    if set(values) - {"first", "include_path", "second", "separator"}:
        raise Refused(f".{method}() with options this fix does not translate", RefusalKind.NOT_YET)
    reader = _TABULAR_READS[method]
    options = ""
    if reader == "from_delimited_files":
        separator = known_str(ctx, values.get("second", values.get("separator"))) if ("second" in values or "separator" in values) else ","
        options = f", delimiter={separator!r}"
    taken.todos.append(f"{inner.code} {_READ_AS_TABLE} with "
                       f"mltable.{reader}(paths=[{{'folder': <path>}}]{options}).to_pandas_dataframe(); "
                       "add 'mltable' to its environment")
    return replace(inner, read_with=reader)
