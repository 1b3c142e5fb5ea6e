"""Reading call arguments and literals the way a rewrite needs them."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .rewrite import FixContext

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
