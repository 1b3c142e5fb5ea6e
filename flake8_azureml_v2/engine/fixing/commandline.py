"""Turn a v1 ``arguments=[...]`` list into a v2 command string plus inputs and outputs.

v1 passed argv without a shell; v2 runs the command through bash.  So string
literals are quoted for bash, numbers are written as v1 wrote them (``str()``),
named datasets become ``${{inputs.x}}`` with an ``Input`` of the right type and
mode, and ``OutputFileDatasetConfig('y')`` becomes ``${{outputs.y}}``.
Anything whose value cannot be known statically is refused (mapping.md 4.2).
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass, field

from ..names import Instance, Ref
from ..v1api import is_subtype
from .common import constant_str, known_str, py_str
from .units import FixContext, snippet

FILE_DATASET = "azureml.data.FileDataset"
OUTPUT_CONFIG = "azureml.data.OutputFileDatasetConfig"
FROM_FILES = "azureml.core.Dataset.File.from_files"
_GLOB = re.compile(r"[*?\[]")


class Refused(Exception):
    pass


@dataclass
class CommandLine:
    tokens: list[str] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # name -> Input(...) source
    outputs: dict[str, str] = field(default_factory=dict)  # name -> Output(...) source
    consumes: list[ast.Name] = field(default_factory=list)
    resolves: list[tuple[str, ast.AST]] = field(default_factory=list)  # findings this absorbs
    imports: set[tuple[str, str]] = field(default_factory=set)

    def command(self, script: str) -> str:
        return " ".join(["python", shlex.quote(script), *self.tokens])


def identifier(name: str) -> str:
    """A valid v2 input/output name: [A-Za-z_][A-Za-z0-9_]*."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return "_" + cleaned if not cleaned or cleaned[0].isdigit() else cleaned


def translate(items: list[ast.expr], ctx: FixContext) -> CommandLine:
    """Raises :class:`Refused` with the reason when an item cannot be translated."""
    line = CommandLine()
    previous: str | None = None
    for item in items:
        token = _token(item, previous, ctx, line)
        line.tokens.append(token)
        previous = constant_str(item)
    return line


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


def _token(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine) -> str:
    literal = known_str(ctx, item)
    if literal is not None:
        return shlex.quote(literal)
    number = _number(item)
    if number is not None:
        return number
    dataset = _dataset_use(item, previous, ctx, line)
    if dataset is not None:
        return dataset
    output = _output_use(item, previous, ctx, line)
    if output is not None:
        return output
    raise Refused(f"argument `{snippet(ctx.locator, item)}` has a type or value this fix cannot know")


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


def _dataset_use(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine) -> str | None:
    base, calls = _method_chain(item)
    methods = [c.func.attr for c in calls]  # type: ignore[union-attr]
    source = _file_dataset_source(base, ctx)
    if source is None:
        return None
    path_text, kind = source
    name: str | None = None
    mode: str | None = None
    for call, method in zip(calls, methods):
        if method == "as_named_input":
            name = constant_str(call.args[0]) if len(call.args) == 1 and not call.keywords else None
            if name is None:
                raise Refused("as_named_input() needs one literal name")
        elif method in ("as_mount", "as_download"):
            if call.args or call.keywords:
                raise Refused(f"{method}() with a path on compute: migrate it by hand")
            mode = method
        else:
            raise Refused(f"dataset method .{method}() in arguments: migrate it by hand")
    if mode is None:
        raise Refused("a FileDataset passed without as_mount()/as_download(): v2 has no direct mode")
    name = name or _flag_name(previous)
    if name is None:
        raise Refused("an unnamed dataset input with no preceding --flag to name it")
    key = identifier(name)
    mode_text = ', mode="download"' if mode == "as_download" else ""
    text = f'Input(type="{kind}", path={path_text}{mode_text})'
    if line.inputs.get(key, text) != text:
        raise Refused(f"two different inputs would both be named {key!r}")
    line.inputs[key] = text
    line.imports.add(("azure.ai.ml", "Input"))
    if isinstance(base, ast.Name):
        line.consumes.append(base)
    else:
        line.resolves.append(("AML022", base))
    return "${{inputs.%s}}" % key


def _file_dataset_source(base: ast.expr, ctx: FixContext) -> tuple[str, str] | None:
    """(path source text, uri_file or uri_folder) of a FileDataset built from one path."""
    call: ast.expr | None = base
    if isinstance(base, ast.Name):
        binding = ctx.binding_of(base)
        if binding is None or not isinstance(binding.value, Instance) or not is_subtype(binding.value.type, "azureml.core.Dataset"):
            return None
        statement = binding.node
        call = statement.value if isinstance(statement, ast.Assign) else None
    if not isinstance(call, ast.Call):
        return None
    callee = _callee(call, ctx)
    if callee is None:
        return None
    if callee != FROM_FILES:
        raise Refused(f"dataset built with {callee.rsplit('.', 1)[-1]}(): only Dataset.File.from_files with one path is migrated")
    path = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "path"), None)
    if path is None or any(k.arg not in ("path", "validate") for k in call.keywords) or len(call.args) > 1:
        raise Refused("Dataset.File.from_files() with options other than one path: migrate it by hand")
    text, value = _single_path(path, ctx)
    if _GLOB.search(value):
        raise Refused(f"the dataset path {value!r} is a glob: v2 has no single Input for it")
    if value.endswith("/"):
        return text, "uri_folder"
    last = value.rstrip("/").rsplit("/", 1)[-1]
    if "." in last.strip("."):
        return text, "uri_file"
    raise Refused(f"cannot tell whether the dataset path {value!r} is a file or a folder")


def _single_path(path: ast.expr, ctx: FixContext) -> tuple[str, str]:
    literal = constant_str(path)
    if literal is not None:
        return ctx.locator.text(path), literal
    if isinstance(path, (ast.List, ast.Tuple)) and len(path.elts) == 1 and constant_str(path.elts[0]) is not None:
        return ctx.locator.text(path.elts[0]), constant_str(path.elts[0])  # type: ignore[return-value]
    if isinstance(path, ast.Name):
        binding = ctx.binding_of(path)
        statement = binding.node if binding is not None else None
        value = statement.value if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
        if constant_str(value) is not None:
            return path.id, constant_str(value)  # type: ignore[return-value]
        if isinstance(value, (ast.List, ast.Tuple)) and len(value.elts) == 1 and constant_str(value.elts[0]) is not None:
            return f"{path.id}[0]", constant_str(value.elts[0])  # type: ignore[return-value]
    raise Refused("the dataset path is not one literal path: migrate it by hand")


def _callee(call: ast.Call, ctx: FixContext) -> str | None:
    for site in ctx.model.calls:
        if site.node is call:
            return site.callee.qualname if isinstance(site.callee, Ref) else None
    return None


def _output_use(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine) -> str | None:
    base, calls = _method_chain(item)
    config: ast.expr | None = base
    if isinstance(base, ast.Name):
        binding = ctx.binding_of(base)
        if binding is None or binding.value != Instance(OUTPUT_CONFIG):
            return None
        config = binding.node.value if isinstance(binding.node, ast.Assign) else None
    if not isinstance(config, ast.Call) or _callee(config, ctx) != OUTPUT_CONFIG:
        return None
    mode = ""
    for call in calls:
        method = call.func.attr  # type: ignore[union-attr]
        if method == "as_upload" and not call.args and not call.keywords:
            mode = ', mode="upload"'
        elif method == "as_mount" and not call.args and not call.keywords:
            mode = ""
        else:
            raise Refused(f"OutputFileDatasetConfig().{method}(...) in arguments: migrate it by hand")
    name_node = config.args[0] if config.args else next((k.value for k in config.keywords if k.arg == "name"), None)
    if len(config.args) > 1 or any(k.arg != "name" for k in config.keywords):
        raise Refused("OutputFileDatasetConfig with a destination or source: migrate it by hand")
    name = constant_str(name_node) if name_node is not None else _flag_name(previous)
    if name is None:
        raise Refused("an OutputFileDatasetConfig without a literal name")
    key = identifier(name)
    text = f'Output(type="uri_folder"{mode})'
    if line.outputs.get(key, text) != text:
        raise Refused(f"two different outputs would both be named {key!r}")
    line.outputs[key] = text
    line.imports.add(("azure.ai.ml", "Output"))
    if isinstance(base, ast.Name):
        line.consumes.append(base)
    else:
        line.resolves.append(("AML006", base))
    return "${{outputs.%s}}" % key


def dict_source(entries: dict[str, str]) -> str:
    return "{" + ", ".join(f"{py_str(k)}: {v}" for k, v in entries.items()) + "}"
