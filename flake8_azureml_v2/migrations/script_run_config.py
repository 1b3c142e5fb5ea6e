"""The migration for AML002: ``ScriptRunConfig`` configures a v1 script run."""

from __future__ import annotations

import ast
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from ..engine.findings import line_ref
from ..engine.fixing import listedit, statements
from ..engine.fixing.arguments import bind_arguments, constant_str, known_str, py_str
from ..engine.fixing.edits import Edit, apply_edits
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.names import Binding, Const, Instance, Value
from ..migrations import commandline
from ..v1api import is_subtype

SCRIPT_RUN_CONFIG = "azureml.core.ScriptRunConfig"
# ScriptRunConfig.__init__ in positional order (mapping.md 3): compute_target is 6th.
SIGNATURE = [
    "source_directory", "script", "arguments", "run_config", "_telemetry_values",
    "compute_target", "environment", "distributed_job_config", "resume_from",
    "max_run_duration_seconds", "command", "docker_runtime_config",
]
V1_DEFAULT_TIMEOUT = 2592000
_BY_HAND = {
    "run_config": "run_config= holds a RunConfiguration: decompose it by hand (AML007)",
    "_telemetry_values": "_telemetry_values= is private to v1",
    "distributed_job_config": "distributed_job_config= needs a v2 distribution and instance_count: migrate it by hand",
    "resume_from": "resume_from= has no v2 equivalent",
    "docker_runtime_config": "docker_runtime_config= maps to shm_size=/docker_args= by hand",
}
_FOLDED = {"environment": "environment", "target": "compute_target"}


@dataclass
class _Fold:
    """``config.run_config.<field> = value`` after construction."""

    parameter: str
    value: ast.expr
    resolved: Value
    statement: ast.Assign


def _folds(binding: Binding, unit: Rewrite, ctx: FixContext) -> list[_Fold]:
    found = []
    for use in binding.uses:
        run_config = ctx.parent(use)
        target = ctx.parent(run_config) if run_config is not None else None
        statement = ctx.parent(target) if target is not None else None
        if (
            isinstance(run_config, ast.Attribute) and run_config.attr == "run_config"
            and isinstance(target, ast.Attribute) and target.attr in _FOLDED
            and isinstance(statement, ast.Assign) and statement.targets == [target]
        ):
            resolved = next((a.value for a in ctx.model.attribute_assignments if a.target is target), None)
            found.append(_Fold(_FOLDED[target.attr], statement.value, resolved, statement))
            unit.own_uses.add(id(use))
    return found


def _compute(expr: ast.expr, value: Value, ctx: FixContext) -> str:
    text = ctx.locator.text(expr)
    if isinstance(value, Const):
        return text
    if isinstance(value, Instance) and is_subtype(value.type, "azureml.core.ComputeTarget"):
        return f"{text}.name"
    raise ValueError(f"compute_target `{snippet(ctx.locator, expr)}` has a type this fix cannot know")


def _environment(expr: ast.expr, value: Value, unit: Rewrite, ctx: FixContext) -> str:
    if isinstance(value, Const):
        return ctx.locator.text(expr)
    if isinstance(value, Instance) and value.type == "azureml.core.Environment":
        if isinstance(expr, ast.Name):
            unit.consumes.append(expr)
        elif isinstance(expr, ast.Call):
            unit.requires.append(expr)
        else:
            raise ValueError("the environment expression is too complex to follow")
        return ctx.locator.text(expr)
    raise ValueError(f"environment `{snippet(ctx.locator, expr)}` has a type this fix cannot know")


def _command_text(values: dict[str, ast.expr], unit: Rewrite, ctx: FixContext) -> tuple[str, commandline.CommandLine]:
    script, arguments, v1_command = values.get("script"), values.get("arguments"), values.get("command")
    if v1_command is not None:
        if script is not None or arguments is not None:
            raise ValueError("command= together with script=/arguments= is invalid in v1")
        if constant_str(v1_command) is not None:
            return constant_str(v1_command), commandline.CommandLine()  # type: ignore[return-value]
        if isinstance(v1_command, (ast.List, ast.Tuple)) and all(constant_str(e) is not None for e in v1_command.elts):
            return shlex.join(constant_str(e) for e in v1_command.elts), commandline.CommandLine()  # type: ignore[misc]
        raise ValueError("command= is not a literal string or list")
    script_name = known_str(ctx, script)
    if script_name is None:
        raise ValueError("script= is not a known file name" if script is not None else "no script= to run")
    line = commandline.CommandLine()
    if arguments is not None:
        try:
            items, edits = commandline.argument_items(arguments, ctx)
            line = commandline.translate(items, ctx)
        except commandline.Refused as reason:
            raise ValueError(str(reason)) from None
        unit.edits.extend(edits)
    unit.consumes.extend(line.consumes)
    unit.findings.extend(line.resolves)
    unit.imports |= line.imports
    unit.notes.extend(line.notes)
    return line.command(script_name), line


def _translate(call: ast.Call, site_values: dict[str, Value], binding: Binding | None, unit: Rewrite, ctx: FixContext) -> None:
    bound = bind_arguments(call, SIGNATURE)
    if isinstance(bound, str):
        raise ValueError(bound)
    for parameter in bound.values:
        if parameter in _BY_HAND:
            raise ValueError(_BY_HAND[parameter])
        if parameter not in SIGNATURE:
            raise ValueError(f"unknown parameter {parameter}=")
    folds = _folds(binding, unit, ctx) if binding is not None else []
    folded = {f.parameter for f in folds}
    if folded & set(bound.values):
        raise ValueError("a run_config field is set both in the call and after it")
    has_environment = "environment" in bound.values or "environment" in folded
    if not has_environment:
        raise ValueError("v1 ran with its default environment; v2 needs environment=... (add it, then re-run)")
    command, line = _command_text(bound.values, unit, ctx)

    sg_call = ctx.locator.sg(call, "call")
    if sg_call is None:
        raise ValueError("ast-grep could not locate the call")
    container = sg_call.field("arguments")
    elements = listedit.elements(container)
    edits: list[Edit] = [statements.replace(ctx.locator, call.func, ctx.symbol("azure.ai.ml", "command"))]
    removed: list[listedit.Element] = []
    command_written = False
    for index, element in enumerate(elements):
        parameter = element.keyword or SIGNATURE[index]
        value_node = bound.values[parameter]
        value = site_values.get(parameter)
        if parameter in ("script", "command"):
            edits.append(Edit(element.start, element.end, f"command={py_str(command)}"))
            command_written = True
        elif parameter == "arguments":
            removed.append(element)
        elif parameter == "source_directory":
            edits.append(_keyword(element, "code"))
        elif parameter == "compute_target":
            edits.append(_keyword(element, "compute"))
            new_value = _compute(value_node, value, ctx)
            if new_value != ctx.locator.text(value_node):
                edits.append(Edit(element.value.range().start.index, element.value.range().end.index, new_value))
        elif parameter == "environment":
            _environment(value_node, value, unit, ctx)
            if element.keyword is None:
                edits.append(_keyword(element, "environment"))
        elif parameter == "max_run_duration_seconds":
            if isinstance(value_node, ast.Constant) and value_node.value == V1_DEFAULT_TIMEOUT:
                removed.append(element)
            else:
                edits.append(_keyword(element, "timeout"))
    assert command_written
    edits.extend(listedit.delete_many(ctx.text, container, removed))
    extra: list[str] = []
    if line.datasets:
        extra.append(f"inputs={commandline.dict_source(line.input_declarations(with_paths=True))}")
    if line.outputs:
        extra.append(f"outputs={commandline.dict_source(line.outputs)}")
    move = False
    for fold in folds:
        if fold.parameter == "environment":
            extra.append(f"environment={_environment(fold.value, fold.resolved, unit, ctx)}")
        else:
            extra.append(f"compute={_compute(fold.value, fold.resolved, ctx)}")
        move = move or _defined_later(fold.value, call, ctx)
    kept = [e for e in elements if e not in removed]
    edits.extend(listedit.append(ctx.text, container, extra, ctx.locator.newline, kept))
    if move:
        assert binding is not None
        edits = _move_statement(binding, folds, edits, ctx)
    else:
        edits.extend(ctx.delete(fold.statement) for fold in folds)
    unit.edits.extend(edits)


def _keyword(element: listedit.Element, name: str) -> Edit:
    if element.keyword is None:
        return Edit(element.start, element.start, f"{name}=")
    name_node = element.node.field("name")
    return Edit(name_node.range().start.index, name_node.range().end.index, name)


def _defined_later(value: ast.expr, call: ast.Call, ctx: FixContext) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.Name):
            binding = ctx.binding_of(node)
            if binding is not None and getattr(binding.node, "lineno", 0) > call.lineno:
                return True
    return False


def _move_statement(binding: Binding, folds: list[_Fold], edits: list[Edit], ctx: FixContext) -> list[Edit]:
    """Rebuild the config where its last run_config assignment was, because the
    values it now takes are defined after the original statement."""
    statement = binding.node
    last = max(folds, key=lambda f: f.statement.lineno).statement
    if not isinstance(statement, ast.Assign) or ctx.parent(statement) is not ctx.parent(last):
        raise ValueError("the run_config assignment is in another block than the ScriptRunConfig")
    fold_ids = {id(f.statement) for f in folds}
    for use in binding.uses:
        owner = ctx.statement_of(use)
        if id(owner) not in fold_ids and statement.lineno < use.lineno < last.lineno:
            raise ValueError(f"`{binding.name}` is used at {line_ref(use.lineno)}, before its run_config is complete")
    locator = ctx.locator
    start, end = locator.line_start(locator.start(statement)), locator.line_end(locator.end(statement))
    moved = apply_edits(ctx.text[start:end], [Edit(e.start - start, e.end - start, e.text) for e in edits])
    last_start, last_end = locator.line_start(locator.start(last)), locator.line_end(locator.end(last))
    kept_comments = statements.comments(ctx.text[locator.start(last):last_end])
    indent = locator.indentation(last)
    newline = locator.newline
    prefix = "".join(f"{indent}{comment}{newline}" for comment in kept_comments)
    result = [Edit(start, end, ""), Edit(last_start, last_end, prefix + moved)]
    result.extend(ctx.delete(f.statement) for f in folds if f.statement is not last)
    return result


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``ScriptRunConfig(...)`` -> ``command(...)``, argument by argument (mapping.md 4.1)."""
    for site in ctx.model.calls_to(SCRIPT_RUN_CONFIG):
        call = site.node
        unit = Rewrite("AML002", call, "ScriptRunConfig() -> command()")
        binding = ctx.assigned_binding(call)
        if binding is None and not _submitted_inline(call, ctx):
            yield unit.refuse("the ScriptRunConfig is neither assigned to a variable nor submitted directly")
            continue
        unit.binding = binding
        values = {p: site.args[i] for i, p in enumerate(SIGNATURE[: len(site.args)])}
        values.update(site.kwargs)
        try:
            _translate(call, values, binding, unit, ctx)
        except ValueError as reason:
            unit.refuse(str(reason))
        yield unit


def _submitted_inline(call: ast.Call, ctx: FixContext) -> bool:
    parent = ctx.parent(call)
    return isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr == "submit"


