"""Helpers that several fixers share: argument binding, names, literals."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..names import Binding, Instance
from ..v1api import is_subtype
from .units import FixContext, Unit

WORKSPACE = "azureml.core.Workspace"
CLIENT_NAME = "ml_client"


@dataclass
class BoundArguments:
    values: dict[str, ast.expr]
    positional: dict[str, int]  # parameter -> position, for arguments passed positionally


def bind_arguments(call: ast.Call, signature: list[str]) -> BoundArguments | str:
    """Map a call's arguments onto parameter names, or say why that is impossible."""
    values: dict[str, ast.expr] = {}
    positional: dict[str, int] = {}
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return "it passes *arguments, whose contents are unknown"
        if index >= len(signature):
            return "it passes more positional arguments than the v1 signature takes"
        values[signature[index]] = arg
        positional[signature[index]] = index
    for keyword in call.keywords:
        if keyword.arg is None:
            return "it passes **keyword arguments, whose contents are unknown"
        if keyword.arg in values:
            return f"{keyword.arg} is passed twice"
        values[keyword.arg] = keyword.value
    return BoundArguments(values, positional)


def client_name(ctx: FixContext, workspace: Binding) -> str:
    """The name the migrated workspace variable gets: ``ml_client`` when that is free."""
    if workspace.name == CLIENT_NAME:
        return CLIENT_NAME
    if CLIENT_NAME in ctx.names_in_module or len(ctx.bindings_named(workspace.name)) != 1:
        return workspace.name
    return CLIENT_NAME


def workspace_binding(ctx: FixContext, node: ast.expr | None) -> Binding | None:
    """The Workspace variable an argument names, when it is one."""
    if not isinstance(node, ast.Name):
        return None
    binding = ctx.binding_of(node)
    if binding is None or not isinstance(binding.value, Instance) or not is_subtype(binding.value.type, WORKSPACE):
        return None
    return binding


def py_str(value: str) -> str:
    """A Python string literal for ``value``, double-quoted where possible."""
    literal = repr(value)
    if literal.startswith("'") and '"' not in value:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def constant_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def known_str(ctx: FixContext, node: ast.expr | None) -> str | None:
    """A literal string, or a variable that certainly holds one where it is read."""
    literal = constant_str(node)
    if literal is not None or not isinstance(node, ast.Name):
        return literal
    binding = ctx.binding_of(node)
    if binding is None or binding.conditional or len(ctx.bindings_named(node.id)) != 1:
        return None
    statement = binding.node
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        return constant_str(statement.value)
    return None


def visible(ctx: FixContext, at: ast.AST, binding: Binding) -> bool:
    """True when ``binding.name`` still means ``binding`` at the call site ``at``."""
    for call in ctx.model.calls:
        if call.node is at:
            return call.scope.lookup(binding.name) is binding
    return False


def absorbed_bindings(ctx: FixContext, qualname: str | tuple[str, ...], code: str, description: str) -> list[Unit]:
    """Units that delete ``x = <call of qualname>(...)`` once every use of ``x`` has
    been taken over by another rewrite (a dataset or output inlined into a command)."""
    from ..names import Ref

    wanted = (qualname,) if isinstance(qualname, str) else qualname
    units = []
    for site in ctx.model.calls:
        if not isinstance(site.callee, Ref) or site.callee.qualname not in wanted:
            continue
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue
        unit = Unit(code, site.node, description, binding=binding)
        unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
        for argument in [*site.node.args, *(k.value for k in site.node.keywords)]:
            if workspace_binding(ctx, argument) is not None:
                unit.consumes.append(argument)  # type: ignore[arg-type]
        units.append(unit)
    return units
