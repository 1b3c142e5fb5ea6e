"""Reading call arguments and literals the way a rewrite needs them."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..names import Binding
from ..nodes import declared_outside
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


def is_none(node: ast.expr | None) -> bool:
    """The literal ``None`` (an argument given as a parameter's own default, often)."""
    return isinstance(node, ast.Constant) and node.value is None


def constant_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


MAX_FOLD_DEPTH = 8  # how many variables and operators a known string is followed through


def known_str(ctx: FixContext, node: ast.expr | None, depth: int = 0) -> str | None:
    """A string whose value the program fixes where it is read: a literal, ``a + b`` and
    f-strings of known strings, or a variable assigned one of those exactly once."""
    literal = constant_str(node)
    if literal is not None or node is None or depth > MAX_FOLD_DEPTH:
        return literal
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = known_str(ctx, node.left, depth + 1)
        right = known_str(ctx, node.right, depth + 1) if left is not None else None
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        return _known_fstring(ctx, node, depth)
    value = _assigned_once(ctx, node)
    return known_str(ctx, value, depth + 1) if value is not None else None


def _assigned_once(ctx: FixContext, node: ast.expr) -> ast.expr | None:
    """What the variable ``node`` reads was assigned where only that assignment reaches it, or None."""
    if not isinstance(node, ast.Name):
        return None
    binding = ctx.binding_of(node)
    if binding is None or binding.conditional:
        return None
    if len(ctx.bindings_named(node.id)) != 1 and not seen_alone(ctx, binding, node):
        return None
    statement = binding.node
    return statement.value if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None


def known_int(ctx: FixContext, node: ast.expr | None) -> int | None:
    """An integer the program fixes where it is read: a literal, or a variable assigned one
    exactly once (as :func:`known_str` follows a string)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, int) and not isinstance(node.value, bool) else None
    value = _assigned_once(ctx, node) if node is not None else None
    return known_int(ctx, value) if isinstance(value, ast.Constant) else None


def seen_alone(ctx: FixContext, binding: Binding, use: ast.Name) -> bool:
    """A name bound again elsewhere whose read, where it runs, can see this binding only: later in
    its block with no other binding between, not inside a function or class body, which may run
    after one, and not in a loop another binding of the name inside it carries a value round
    (audit y: a notebook that sets ``script_name`` again for its second job)."""
    from . import reaching

    if binding.conditional or not reaching.sees_only(ctx, binding, use):
        return False
    if declared_outside(ctx.model.tree, binding.name):
        return False  # a function may bind it again, called anywhere between (review: global script_name)
    home = ctx.statement_of(binding.node)
    others = [other for other in ctx.bindings_named(binding.name) if other is not binding]
    current: ast.AST | None = use
    while current is not None and current is not home:
        current = ctx.parent(current)
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                                ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return False
        if isinstance(current, (ast.For, ast.AsyncFor, ast.While)):
            first, last = reaching.position(current), (current.end_lineno, current.end_col_offset)
            if any(first <= reaching.position(other.node) <= last for other in others):
                return False
        if isinstance(current, ast.Module):
            break
    return True


def _known_fstring(ctx: FixContext, node: ast.JoinedStr, depth: int) -> str | None:
    """An f-string whose placeholders are known strings, shown as they are (no ``!r``, no format)."""
    parts: list[str] = []
    for value in node.values:
        if isinstance(value, ast.FormattedValue):
            if value.conversion not in (-1, ord("s")) or value.format_spec is not None:
                return None
            found = known_str(ctx, value.value, depth + 1)
        else:
            found = constant_str(value)
        if found is None:
            return None
        parts.append(found)
    return "".join(parts)
