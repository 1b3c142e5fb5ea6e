"""The v1 call behind an argument: written inline, or in a variable made for it."""

from __future__ import annotations

import ast

from ..engine.findings import RefusalKind
from ..engine.fixing.rewrite import FixContext
from ..engine.fixing.specs import Refused
from ..engine.names import Binding


def single_use_call(node: ast.expr | None, ctx: FixContext, what: str) -> tuple[ast.Call, Binding | None]:
    """``f(x=Cls(...))`` or ``x = Cls(...)`` used only in ``f(x=x)``: the call, and the variable
    (None inline).  A call like that can be rewritten in place for its one user; raises
    :class:`Refused` (``what`` names the argument) otherwise."""
    if isinstance(node, ast.Call):
        return node, None
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    statement = binding.node if binding is not None else None
    if (binding is None or binding.conditional or len(binding.uses) != 1 or len(ctx.bindings_named(binding.name)) != 1
            or not isinstance(statement, ast.Assign) or len(statement.targets) != 1
            or not isinstance(statement.value, ast.Call)):
        raise Refused(f"{what} is not built by one call used only here", RefusalKind.DATA_FLOW)
    return statement.value, binding


def result_binding(call: ast.Call, ctx: FixContext, what: str) -> Binding | None:
    """``x = call(...)`` -> x; ``call(...)`` as a statement of its own -> None; raises
    :class:`Refused` when the result is used some other way."""
    binding = ctx.assigned_binding(call)
    statement = ctx.statement_of(call)
    if binding is None and not (isinstance(statement, ast.Expr) and statement.value is call):
        raise Refused(f"the {what} is used as a value this fix cannot follow", RefusalKind.DATA_FLOW)
    return binding
