"""Tabular data for jobs that read it as MLTable (AutoML, mapping-extension.md 8.2).

v2 AutoML takes its training data only as an ``mltable`` input.  A v1
registered dataset is read by name (behaviour-preserving).  A dataset built from
delimited files, or a DataFrame registered with ``register_pandas_dataframe``,
becomes a local folder holding an MLTable file (and the CSV), which v2 uploads
when the job is submitted: a documented default with a TODO.  The helper that
writes MLTable files is defined here once, for every migration that needs one.
"""

from __future__ import annotations

import ast
import re

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import bind_arguments, constant_str, known_str, py_str
from ..engine.fixing.rewrite import FixContext
from ..engine.fixing.specs import Argument, Refused
from ..engine.fixing.symbols import symbol
from ._todo import add_todo
from .data_refs import StoreName, datastore_client

GET_BY_NAME = "azureml.core.Dataset.get_by_name"
DELIMITED = "azureml.core.Dataset.Tabular.from_delimited_files"
PANDAS = (
    "azureml.core.Dataset.Tabular.register_pandas_dataframe",
    "azureml.data.dataset_factory.TabularDatasetFactory.register_pandas_dataframe",
    "azureml.data.TabularDatasetFactory.register_pandas_dataframe",
)
# Datasets another migration deletes once every use is taken over (dataset.py).
_ABSORBED = (GET_BY_NAME, DELIMITED)

_OS = symbol("os")
# The one writer of MLTable files: every tabular input v2 reads from a local folder.
MLTABLE_HELPER = "_v1_mltable"
MLTABLE_SOURCE = f'''def {MLTABLE_HELPER}(folder, paths, transformation, options):
    """Write the MLTable file that describes what a v1 TabularDataset read; return its folder."""
    {_OS}.makedirs(folder, exist_ok=True)
    lines = ["paths:"]
    lines += [f"  - {{kind}}: {{{symbol("json")}.dumps(uri)}}" for kind, uri in paths]
    lines += ["transformations:", f"  - {{transformation}}:"]
    lines += [f"      {{key}}: {{{symbol("json")}.dumps(value)}}" for key, value in options.items()]
    with open({_OS}.path.join(folder, "MLTable"), "w", encoding="utf-8") as handle:
        handle.write("\\n".join(lines) + "\\n")
    return folder
'''
# from_delimited_files parameter -> (MLTable read_delimited key, v1 default)
READ_DELIMITED = {"separator": ("delimiter", ","), "header": ("header", True), "encoding": ("encoding", "utf8"),
                  "infer_column_types": ("infer_column_types", True), "include_path": ("include_path_column", False),
                  "support_multi_line": ("support_multi_line", False), "empty_as_string": ("empty_as_string", False)}


def read_delimited_options(given: dict[str, object]) -> dict[str, object]:
    """The MLTable's read_delimited options for v1's ``from_delimited_files`` parameters
    ``given`` (literal values, header a bool), v1's defaults for the others."""
    options = {}
    for parameter, (key, default) in READ_DELIMITED.items():
        value = given.get(parameter, default)
        options[key] = ("all_files_same_headers" if value else "no_header") if parameter == "header" else value
    return options


def _options_source(options: dict[str, object]) -> str:
    return "{" + ", ".join(f"{py_str(k)}: {py_str(v) if isinstance(v, str) else repr(v)}"
                           for k, v in options.items()) + "}"


def path_kind(text: str) -> str:
    """How an MLTable lists a path: a glob is a pattern, a trailing slash a folder."""
    return "pattern" if re.search(r"[*?\[]", text) else "folder" if text.endswith("/") else "file"


def mltable_call(folder: str, paths: list[tuple[str, str]], options: dict[str, object],
                 helpers: dict[str, str]) -> str:
    """The call that writes the MLTable folder when the program runs (the writer goes into
    ``helpers``): ``paths`` are (kind, Python source of the URI)."""
    helpers[MLTABLE_HELPER] = MLTABLE_SOURCE
    listed = ", ".join(f"({py_str(kind)}, {source})" for kind, source in paths)
    return f'{MLTABLE_HELPER}({folder}, [{listed}], "read_delimited", {_options_source(options)})'


FRAME_HELPER = "v1_dataframe_mltable"
_DEFAULTS = _options_source(read_delimited_options({}))
FRAME_HELPERS = {
    FRAME_HELPER: f'''def {FRAME_HELPER}(dataframe, folder):
    """A DataFrame that v1 registered as a dataset, as v2 reads it: a CSV file and an MLTable file."""
    {_OS}.makedirs(folder, exist_ok=True)
    dataframe.to_csv({_OS}.path.join(folder, "data.csv"), index=False)
    return {MLTABLE_HELPER}(folder, [("file", "./data.csv")], "read_delimited", {_DEFAULTS})
''',
    MLTABLE_HELPER: MLTABLE_SOURCE,
}
_FILES_TODO = ("v1's TabularDataset became an MLTable file written next to the program (comma-separated, "
               "headers in every file); check the delimiter and header")
_FRAME_TODO = ("the DataFrame is written as CSV with an MLTable file next to the program and uploaded at submit; "
               "v1 registered it as a dataset")


def mltable_input(argument: Argument, code: str) -> str:
    """``training_data=ds`` -> ``Input(type="mltable", path=...)``; raises :class:`Refused`."""
    ctx, node = argument.ctx, argument.node
    call, binding = _source(argument)
    callee = ctx.callee(call)
    statement = argument.statement
    if callee == GET_BY_NAME:
        path = _registered(call, argument)
    elif callee == DELIMITED:
        path = _delimited(call, argument, _folder(argument, binding))
        add_todo(ctx, argument.rewrite, statement, code, _FILES_TODO)
    elif callee in PANDAS:
        path = _dataframe(call, argument, _folder(argument, binding))
        add_todo(ctx, argument.rewrite, statement, code, _FRAME_TODO)
    else:
        raise Refused(f"{argument.name}= is a dataset this fix cannot turn into an MLTable input", RefusalKind.DATA_FLOW)
    if binding is not None and callee in _ABSORBED and _only_here(binding, argument):
        argument.rewrite.consumes.append(node)  # type: ignore[arg-type]
    return f'{ctx.symbol("azure.ai.ml", "Input")}(type="mltable", path={path})'


def _source(argument: Argument) -> tuple[ast.Call, object]:
    node, ctx = argument.node, argument.ctx
    if isinstance(node, ast.Call):
        return node, None
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    statement = binding.node if binding is not None else None
    if (binding is None or binding.conditional or len(ctx.bindings_named(binding.name)) != 1
            or not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call)):
        raise Refused(f"{argument.name}= is not a dataset built by one plain assignment", RefusalKind.DATA_FLOW)
    return statement.value, binding


def _only_here(binding: object, argument: Argument) -> bool:
    ctx = argument.ctx
    call = ctx.parent(argument.node)
    owner = ctx.parent(call) if isinstance(call, ast.keyword) else call
    start, end = ctx.locator.start(owner), ctx.locator.end(owner)  # type: ignore[arg-type]
    return all(start <= ctx.locator.start(use) < end for use in binding.uses)  # type: ignore[attr-defined]


def _folder(argument: Argument, binding: object) -> str:
    name = getattr(binding, "name", None) or argument.name
    return py_str(f"{name}_mltable")


def _registered(call: ast.Call, argument: Argument) -> str:
    bound = bind_arguments(call, ["workspace", "name", "version"])
    if isinstance(bound, str) or set(bound.values) - {"workspace", "name", "version"}:
        raise Refused("Dataset.get_by_name() with arguments this fix cannot follow", RefusalKind.DATA_FLOW)
    name = known_str(argument.ctx, bound.values.get("name"))
    version = bound.values.get("version")
    if name is None:
        raise Refused("Dataset.get_by_name() with a name that is not a literal", RefusalKind.DATA_FLOW)
    if version is None or constant_str(version) == "latest":
        return py_str(f"azureml:{name}@latest")
    if isinstance(version, ast.Constant) and isinstance(version.value, (int, str)):
        return py_str(f"azureml:{name}:{version.value}")
    raise Refused("Dataset.get_by_name() with a version that is not a literal", RefusalKind.DATA_FLOW)


def _delimited(call: ast.Call, argument: Argument, folder: str) -> str:
    bound = bind_arguments(call, ["path", "validate", "include_path", "infer_column_types", "set_column_types",
                                  "separator", "header"])
    if isinstance(bound, str) or set(bound.values) - {"path", "validate", "separator"} or "path" not in bound.values:
        raise Refused("from_delimited_files() with options other than path, validate and separator", RefusalKind.NOT_YET)
    separator = bound.values.get("separator")
    if separator is not None and constant_str(separator) is None:
        raise Refused("from_delimited_files(separator=) is not a literal", RefusalKind.DATA_FLOW)
    return delimited_files(folder, bound.values["path"], separator, argument.ctx, argument.rewrite.helpers)


def delimited_files(folder: str, path: ast.expr, separator: ast.expr | None, ctx: FixContext,
                    helpers: dict[str, str]) -> str:
    """The MLTable folder v2 reads for ``Dataset.Tabular.from_delimited_files(path)``: the
    helper call that writes it (the helper goes into ``helpers``); raises :class:`Refused`."""
    given = {"separator": constant_str(separator)} if separator is not None else {}
    return mltable_call(folder, _paths(path, ctx), read_delimited_options(given), helpers)


def _paths(node: ast.expr, ctx: FixContext) -> list[tuple[str, str]]:
    """Each path's kind and Python source of its URI string: a literal URL, or a datastore path."""
    elements = node.elts if isinstance(node, (ast.List, ast.Tuple)) and not _datastore_pair(node) else [node]
    found = []
    for element in elements:
        literal = known_str(ctx, element)
        if literal is not None and "://" in literal:
            source = ctx.locator.text(element) if constant_str(element) else element.id  # type: ignore[attr-defined]
            found.append((path_kind(literal), source))
            continue
        pair = _datastore_pair(element)
        if pair is not None:
            store, path = pair
            client = datastore_client(store, ctx)
            if client is None:
                raise Refused("an MLTable file needs the datastore's full azureml://subscriptions/... URI, and the "
                              f"workspace of `{store.id}` is not one this fix follows", RefusalKind.DATA_FLOW)
            uri = StoreName(None, f"{store.id}.name", client=client).long_uri(path.lstrip("/"))
            found.append((path_kind(path), uri))
            continue
        raise Refused("a tabular dataset path that is not a literal URL or a (datastore, 'path') pair",
                      RefusalKind.DATA_FLOW)
    return found


def _datastore_pair(node: ast.expr) -> tuple[ast.Name, str] | None:
    """``(datastore, "p")`` or ``datastore.path("p")`` with a literal path."""
    if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Name):
        path = constant_str(node.elts[1])
        if path is not None and "{" not in path and "}" not in path:
            return node.elts[0], path
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "path"
            and isinstance(node.func.value, ast.Name) and len(node.args) == 1 and not node.keywords):
        path = constant_str(node.args[0])
        if path is not None and "{" not in path and "}" not in path:
            return node.func.value, path
    return None


def _dataframe(call: ast.Call, argument: Argument, folder: str) -> str:
    bound = bind_arguments(call, ["dataframe", "target", "name", "description", "tags", "show_progress",
                                  "row_group_size", "make_target_path_unique"])
    frame = bound.values.get("dataframe") if not isinstance(bound, str) else None
    if not isinstance(frame, ast.Name):
        raise Refused("register_pandas_dataframe() without a DataFrame variable", RefusalKind.DATA_FLOW)
    ctx = argument.ctx
    frames = ctx.bindings_named(frame.id)
    if len(frames) != 1 or frames[0].conditional or ctx.binding_of(frame) is not frames[0]:
        raise Refused(f"the DataFrame `{frame.id}` is rebound, so its value where the job is built is unknown",
                      RefusalKind.DATA_FLOW)
    argument.rewrite.helpers.update(FRAME_HELPERS)
    return f"{FRAME_HELPER}({frame.id}, {folder})"
