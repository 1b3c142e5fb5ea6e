"""Turn a v1 ``arguments=[...]`` list into a v2 command string plus inputs and outputs.

v1 passed argv without a shell; v2 runs the command through bash.  So string
literals are quoted for bash, numbers are written as v1 wrote them (``str()``),
named datasets become ``${{inputs.x}}`` with an ``Input`` of the right type and
mode, and ``OutputFileDatasetConfig('y')`` becomes ``${{outputs.y}}``.  In a
pipeline step, ``out.as_input('z')`` (or a ``PipelineData`` the step lists in
``inputs=``) becomes ``${{inputs.z}}`` bound to the producing step's output.
Anything whose value cannot be known statically is refused (mapping.md 4.2).
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass, field

from ..engine.fixing.arguments import constant_str, known_str, py_str
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, snippet
from ..engine.fixing.symbols import symbol
from ..engine.names import Instance
from ..v1api import is_subtype
from ._common import workspace_binding

DATASET = "azureml.core.Dataset"
OUTPUT_CONFIG = "azureml.data.OutputFileDatasetConfig"
PIPELINE_DATA = "azureml.pipeline.core.PipelineData"
FROM_FILES = "azureml.core.Dataset.File.from_files"
TABULAR_FILES = tuple(
    f"azureml.core.Dataset.Tabular.{m}" for m in ("from_delimited_files", "from_parquet_files", "from_json_lines_files")
)
GET_BY_NAME = "azureml.core.Dataset.get_by_name"
_GLOB = re.compile(r"[*?\[]")
INPUT = symbol("azure.ai.ml", "Input")
OUTPUT = symbol("azure.ai.ml", "Output")


class Refused(Exception):
    pass


@dataclass(frozen=True)
class DatasetInput:
    kind: str  # uri_file, uri_folder or mltable
    mode: str | None  # None (ro_mount, the default) or "download"
    path: str  # Python source of the data path
    origin: int  # id of the dataset's binding or expression: one pipeline input per dataset
    origin_name: str  # a name for that pipeline input

    def declaration(self, with_path: bool) -> str:
        path = f", path={self.path}" if with_path else ""
        mode = f', mode="{self.mode}"' if self.mode else ""
        return f'{INPUT}(type="{self.kind}"{path}{mode})'


@dataclass(frozen=True)
class UpstreamInput:
    origin: int  # id of the output object's binding: matched with the producing step
    mode: str | None = None


@dataclass(frozen=True)
class ParameterInput:
    """A ``PipelineParameter`` passed as an argument: a typed input of the component,
    bound to a parameter (with its default) of the pipeline function."""

    kind: str  # integer, number, string or boolean
    default: str  # Python source of the default value
    origin: int  # id of the PipelineParameter's binding


@dataclass
class CommandLine:
    tokens: list[str] = field(default_factory=list)
    datasets: dict[str, DatasetInput] = field(default_factory=dict)
    parameters: dict[str, ParameterInput] = field(default_factory=dict)
    upstream: dict[str, UpstreamInput] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # name -> Output(...) source
    produces: dict[int, str] = field(default_factory=dict)  # output object id -> output name
    consumes: list[ast.Name] = field(default_factory=list)
    resolves: list[tuple[str, ast.AST]] = field(default_factory=list)  # findings this absorbs
    notes: list[str] = field(default_factory=list)
    imports: set[tuple[str, str]] = field(default_factory=set)

    def command(self, script: str) -> str:
        return " ".join(["python", shlex.quote(script), *self.tokens])

    def input_declarations(self, with_paths: bool) -> dict[str, str]:
        found = {k: v.declaration(with_paths) for k, v in self.datasets.items()}
        for key, parameter in self.parameters.items():
            found[key] = f'{INPUT}(type="{parameter.kind}")'
        for key, up in self.upstream.items():
            mode = f', mode="{up.mode}"' if up.mode else ""
            found[key] = f'{INPUT}(type="uri_folder"{mode})'
        return found


def identifier(name: str) -> str:
    """A valid v2 input/output name: [A-Za-z_][A-Za-z0-9_]*."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return "_" + cleaned if not cleaned or cleaned[0].isdigit() else cleaned


def translate(items: list[ast.expr], ctx: FixContext, pipeline: PipelineStep | None = None) -> CommandLine:
    """Raises :class:`Refused` with the reason when an item cannot be translated."""
    line = CommandLine()
    previous: str | None = None
    for item in items:
        line.tokens.append(_token(item, previous, ctx, line, pipeline))
        previous = known_str(ctx, item)
    return line


@dataclass
class PipelineStep:
    """What a pipeline step says about its data, for objects passed bare in arguments."""

    inputs: set[int] = field(default_factory=set)  # ids of bindings listed in inputs=[...]
    outputs: set[int] = field(default_factory=set)  # ids of bindings listed in outputs=[...]


def _number(item: ast.expr) -> str | None:
    if isinstance(item, ast.Constant) and isinstance(item.value, (int, float)) and not isinstance(item.value, complex):
        return str(item.value)
    if (
        isinstance(item, ast.UnaryOp)
        and isinstance(item.op, ast.USub)
        and isinstance(item.operand, ast.Constant)
        and isinstance(item.operand.value, (int, float))
        and not isinstance(item.operand.value, bool)
    ):
        return "-" + str(item.operand.value)
    return None


def _token(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine, pipeline: PipelineStep | None) -> str:
    literal = known_str(ctx, item)
    if literal is not None:
        return shlex.quote(literal)
    number = _number(item)
    if number is not None:
        return number
    for translate_use in (_dataset_use, _output_use, _parameter_use):
        token = translate_use(item, previous, ctx, line, pipeline)
        if token is not None:
            return token
    raise Refused(f"argument `{snippet(ctx.locator, item)}` has a type or value this fix cannot know")


PIPELINE_PARAMETER = "azureml.pipeline.core.PipelineParameter"
_KINDS = {bool: "boolean", int: "integer", float: "number", str: "string"}


def _parameter_use(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine, pipeline: PipelineStep | None) -> str | None:
    """``PipelineParameter(name='lr', default_value=0.1)`` in a step's arguments."""
    if pipeline is None or not isinstance(item, ast.Name):
        return None
    call, origin, _ = _origin(item, ctx, PIPELINE_PARAMETER)
    if call is None or ctx.callee(call) != PIPELINE_PARAMETER:
        return None
    values = dict(zip(("name", "default_value"), call.args))
    values.update({k.arg: k.value for k in call.keywords if k.arg})
    name, default = known_str(ctx, values.get("name")), values.get("default_value")
    if set(values) != {"name", "default_value"} or name is None:
        raise Refused("PipelineParameter() without a literal name and a default_value")
    if not isinstance(default, ast.Constant) or type(default.value) not in _KINDS:
        raise Refused(f"the default of PipelineParameter {name!r} is not a literal number, string or bool")
    key = identifier(name)
    line.parameters[key] = ParameterInput(_KINDS[type(default.value)], ctx.locator.text(default), origin)
    line.consumes.append(item)
    return "${{inputs.%s}}" % key


def _flag_name(previous: str | None) -> str | None:
    if previous and previous.startswith("-") and previous.strip("-"):
        return identifier(previous.lstrip("-"))
    return None


def _method_chain(item: ast.expr) -> tuple[ast.expr, list[ast.Call]]:
    """Split ``x.a(...).b(...)`` into ``x`` and the calls, innermost first."""
    calls: list[ast.Call] = []
    current = item
    while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
        calls.append(current)
        current = current.func.value
    return current, list(reversed(calls))




def _origin(base: ast.expr, ctx: FixContext, wanted: str) -> tuple[ast.Call | None, int, str | None]:
    """The constructing call behind a variable or inline expression of type ``wanted``."""
    if isinstance(base, ast.Name):
        binding = ctx.binding_of(base)
        if binding is None or not isinstance(binding.value, Instance) or not is_subtype(binding.value.type, wanted):
            return None, 0, None
        statement = binding.node
        call = statement.value if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call) else None
        if call is None or binding.conditional:
            raise Refused(f"`{base.id}` is not built by one plain assignment")
        return call, id(binding), base.id
    if isinstance(base, ast.Call):
        return base, id(base), None
    return None, 0, None


def _dataset_use(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine, pipeline: PipelineStep | None) -> str | None:
    base, calls = _method_chain(item)
    call, origin, origin_name = _origin(base, ctx, DATASET)
    if call is None:
        return None
    name: str | None = None
    mode: str | None = "direct"
    for link in calls:
        method = link.func.attr  # type: ignore[union-attr]
        if method == "as_named_input":
            name = constant_str(link.args[0]) if len(link.args) == 1 and not link.keywords else None
            if name is None:
                raise Refused("as_named_input() needs one literal name")
        elif method in ("as_mount", "as_download"):
            if link.args or link.keywords:
                raise Refused(f"{method}() with a path on compute: migrate it by hand")
            mode = None if method == "as_mount" else "download"
        else:
            raise Refused(f"dataset method .{method}() in arguments: migrate it by hand")
    path, kind = _dataset_source(call, ctx, line, direct=mode == "direct")
    name = name or _flag_name(previous)
    if name is None:
        raise Refused("an unnamed dataset input with no preceding --flag to name it")
    key = identifier(name)
    entry = DatasetInput(kind, None if mode == "direct" else mode, path, origin, origin_name or key)
    if line.datasets.get(key, entry) != entry:
        raise Refused(f"two different inputs would both be named {key!r}")
    line.datasets[key] = entry
    if isinstance(base, ast.Name):
        line.consumes.append(base)
    else:
        line.resolves.append(("AML022", base))
    return "${{inputs.%s}}" % key


def _dataset_source(call: ast.Call, ctx: FixContext, line: CommandLine, direct: bool) -> tuple[str, str]:
    """(path source, v2 type) for a dataset built from one literal path or a registered name."""
    callee = ctx.callee(call)
    if callee == GET_BY_NAME:
        return _registered(call, ctx, line, direct)
    if callee not in (FROM_FILES, *TABULAR_FILES):
        raise Refused(f"dataset built with {(callee or '?').rsplit('.', 1)[-1]}(): migrate it by hand")
    if direct and callee == FROM_FILES:
        raise Refused("a FileDataset passed without as_mount()/as_download(): v2 has no direct mode")
    path = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "path"), None)
    if path is None or any(k.arg not in ("path", "validate") for k in call.keywords) or len(call.args) > 1:
        raise Refused("a dataset built with options other than one path: migrate it by hand")
    text, value = _single_path(path, ctx)
    if _GLOB.search(value):
        raise Refused(f"the dataset path {value!r} is a glob: v2 has no single Input for it")
    last = value.rstrip("/").rsplit("/", 1)[-1]
    if callee in TABULAR_FILES:
        if value.endswith("/") or "." not in last.strip("."):
            raise Refused("a tabular dataset over a folder needs an MLTable file: migrate it by hand")
        line.notes.append(f"the tabular dataset {value!r} becomes a uri_file input: read it with pandas in the script")
        return text, "uri_file"
    if value.endswith("/"):
        return text, "uri_folder"
    if "." in last.strip("."):
        return text, "uri_file"
    raise Refused(f"cannot tell whether the dataset path {value!r} is a file or a folder")


def _registered(call: ast.Call, ctx: FixContext, line: CommandLine, direct: bool) -> tuple[str, str]:
    """``Dataset.get_by_name(ws, name[, version])``: v2 reads v1 registered data as azureml:name:version."""
    args = dict(zip(("workspace", "name", "version"), call.args))
    args.update({k.arg: k.value for k in call.keywords if k.arg})
    if set(args) - {"workspace", "name", "version"} or workspace_binding(ctx, args.get("workspace")) is None:
        raise Refused("Dataset.get_by_name() with arguments this fix cannot follow")
    name = known_str(ctx, args.get("name"))
    version = args.get("version")
    if name is None or (version is not None and not (isinstance(version, ast.Constant) and isinstance(version.value, (int, str)))):
        raise Refused("Dataset.get_by_name() with a name or version that is not a literal")
    suffix = "@latest" if version is None or version.value == "latest" else f":{version.value}"  # type: ignore[union-attr]
    kind = "mltable" if direct else "uri_folder"
    line.notes.append(f"registered dataset {name!r} is read as a {kind} input")
    return py_str(f"azureml:{name}{suffix}"), kind


def _single_path(path: ast.expr, ctx: FixContext) -> tuple[str, str]:
    literal = constant_str(path)
    if literal is not None:
        return ctx.locator.text(path), literal
    if isinstance(path, (ast.List, ast.Tuple)) and len(path.elts) == 1 and constant_str(path.elts[0]) is not None:
        return ctx.locator.text(path.elts[0]), constant_str(path.elts[0])  # type: ignore[return-value]
    if isinstance(path, ast.Name):
        binding = ctx.binding_of(path)
        statement = binding.node if binding is not None and not binding.conditional else None
        value = statement.value if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
        if constant_str(value) is not None:
            return path.id, constant_str(value)  # type: ignore[return-value]
        if isinstance(value, (ast.List, ast.Tuple)) and len(value.elts) == 1 and constant_str(value.elts[0]) is not None:
            return f"{path.id}[0]", constant_str(value.elts[0])  # type: ignore[return-value]
    raise Refused("the dataset path is not one literal path: migrate it by hand")


def _output_use(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine, pipeline: PipelineStep | None) -> str | None:
    base, calls = _method_chain(item)
    config, origin, _ = _origin(base, ctx, OUTPUT_CONFIG)
    kind = OUTPUT_CONFIG
    if config is None:
        config, origin, _ = _origin(base, ctx, PIPELINE_DATA)
        kind = PIPELINE_DATA
    if config is None or ctx.callee(config) != kind:
        return None
    name = _output_name(config, previous)
    consumed_as: str | None = None
    mode = ""
    for link in calls:
        method = link.func.attr  # type: ignore[union-attr]
        if method == "as_input" and pipeline is not None and len(link.args) + len(link.keywords) <= 1:
            given = link.args[0] if link.args else (link.keywords[0].value if link.keywords else None)
            consumed_as = constant_str(given) if given is not None else name
            if consumed_as is None:
                raise Refused("as_input() with a name that is not a literal")
        elif method == "as_upload" and not link.args and not link.keywords:
            mode = ', mode="upload"'
        elif method == "as_mount" and not link.args and not link.keywords:
            mode = ""
        else:
            raise Refused(f"{snippet(ctx.locator, link)} in arguments: migrate it by hand")
    if consumed_as is None and kind == PIPELINE_DATA:
        if pipeline is None or origin not in (pipeline.inputs | pipeline.outputs):
            raise Refused("a PipelineData in arguments that the step lists in neither inputs= nor outputs=")
        if origin in pipeline.inputs:
            consumed_as = name
    if isinstance(base, ast.Name):
        line.consumes.append(base)
    else:
        line.resolves.append(("AML006" if kind == OUTPUT_CONFIG else "AML005", base))
    if consumed_as is not None:
        key = identifier(consumed_as)
        line.upstream[key] = UpstreamInput(origin)
        return "${{inputs.%s}}" % key
    key = identifier(name)
    text = f'{OUTPUT}(type="uri_folder"{mode})'
    if line.outputs.get(key, text) != text:
        raise Refused(f"two different outputs would both be named {key!r}")
    line.outputs[key] = text
    line.produces[origin] = key
    return "${{outputs.%s}}" % key


def _output_name(config: ast.Call, previous: str | None) -> str:
    extra = [k.arg for k in config.keywords if k.arg != "name"]
    if len(config.args) > 1 or extra:
        raise Refused("an output with a destination, source or other options: migrate it by hand")
    node = config.args[0] if config.args else next((k.value for k in config.keywords if k.arg == "name"), None)
    name = constant_str(node) if node is not None else _flag_name(previous)
    if name is None:
        raise Refused("an output without a literal name")
    return name


def argument_items(arguments: ast.expr, ctx: FixContext) -> tuple[list[ast.expr], list[Edit]]:
    """The items of ``arguments=[...]``, or of ``args = [...]`` used only there (then
    the variable's statement is deleted)."""
    if isinstance(arguments, (ast.List, ast.Tuple)):
        return list(arguments.elts), []
    if isinstance(arguments, ast.Name):
        binding = ctx.binding_of(arguments)
        statement = binding.node if binding is not None else None
        if (
            binding is not None and not binding.conditional and len(binding.uses) == 1
            and isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.value, (ast.List, ast.Tuple))
        ):
            return list(statement.value.elts), [ctx.delete(statement)]
        raise Refused(f"arguments=`{arguments.id}` is not a list literal used only here")
    raise Refused("arguments= is not a literal list")


def dict_source(entries: dict[str, str]) -> str:
    return "{" + ", ".join(f"{py_str(k)}: {v}" for k, v in entries.items()) + "}"
