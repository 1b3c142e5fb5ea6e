"""Which uses of a name may see a binding's value.

The name model gives each use to the binding of its name that the walk saw last.
That is exact in straight-line code, but after ``if c: x = A`` / ``else: x = B`` (or
``x = A`` followed by ``try: x = B``) a use may see either value while the model
gives it to the later binding only.  A rewrite that changes what its binding holds
must hear of those uses too, or it may hand code meant for the old object a new one.

A later binding stops counting where a statement is met that rebinds the name on
every path (an assignment, an if/else or try/except that assigns it in every
branch): uses past that statement see the new value, whatever ran before.  In a
loop, the uses before a binding see it the next time round.

A module-level value that nothing reads before the next statement of its block
replaces it is written for code that runs without that statement: a notebook's
cells that bind the same name are often alternatives ("use the existing cluster" /
"only if you have none, create it"), of which people run one.  The uses of the
replacing binding count as the first one's too, so both are rewritten alike or
neither is.

Some uses cannot be listed at all (:func:`unseen_uses`): a class attribute is read
through the class, a ``global`` name from other functions, and a caller may name
what lines the engine does not parse read (a notebook's magics).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ..names import Binding
from ..nodes import all_nodes

if TYPE_CHECKING:
    from .rewrite import FixContext

Position = tuple[int, int]


def position(node: ast.AST) -> Position:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _end(node: ast.AST) -> Position:
    return getattr(node, "end_lineno", 0), getattr(node, "end_col_offset", 0)


def _names_bound(target: ast.expr) -> set[str]:
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_names_bound(e) for e in target.elts)) if target.elts else set()
    if isinstance(target, ast.Starred):
        return _names_bound(target.value)
    return set()


def _block_binds(block: list[ast.stmt], name: str) -> bool:
    return any(binds_always(statement, name) for statement in block)


def binds_always(statement: ast.stmt, name: str) -> bool:
    """Every path through ``statement`` that carries on after it binds ``name``."""
    if isinstance(statement, ast.Assign):
        return any(name in _names_bound(t) for t in statement.targets)
    if isinstance(statement, ast.AnnAssign):
        return statement.value is not None and name in _names_bound(statement.target)
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return statement.name == name
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return any((alias.asname or alias.name.split(".")[0]) == name for alias in statement.names)
    if isinstance(statement, ast.If):
        return _block_binds(statement.body, name) and _block_binds(statement.orelse, name)
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return (any(i.optional_vars is not None and name in _names_bound(i.optional_vars) for i in statement.items)
                or _block_binds(statement.body, name))
    if isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
        handlers = statement.handlers  # type: ignore[attr-defined]
        return _block_binds(statement.finalbody, name) or (  # type: ignore[attr-defined]
            _block_binds(statement.body, name) and all(_block_binds(h.body, name) for h in handlers))  # type: ignore[attr-defined]
    return False


def rebound_between(ctx: FixContext, binding: Binding, end: Position) -> bool:
    """Another binding of the name in the binding's scope lies after it, up to ``end``."""
    start = position(binding.node)
    return any(other is not binding and other.scope is binding.scope and start < position(other.node) <= end
               for other in ctx.bindings_named(binding.name))


def sees_only(ctx: FixContext, binding: Binding, use: ast.Name) -> bool:
    """``use`` runs after the binding in the same block, with no other binding of the name
    between: it can see this binding's value and no other."""
    return runs_after_in_block(ctx, ctx.statement_of(binding.node), use) and not rebound_between(ctx, binding, position(use))


def runs_after_in_block(ctx: FixContext, statement: ast.stmt, node: ast.AST) -> bool:
    """``node`` lies in a later statement of ``statement``'s block, or nested in one."""
    found = ctx.place_in_block(statement)
    if found is None:
        return False
    block, index = found
    current = ctx.statement_of(node)
    while True:
        where = ctx.place_in_block(current)
        if where is not None and where[0] is block:
            return where[1] > index
        parent = ctx.parent(current)
        if parent is None or isinstance(parent, ast.Module):
            return False
        current = parent if isinstance(parent, ast.stmt) else ctx.statement_of(parent)


def _horizon(ctx: FixContext, statement: ast.stmt, name: str) -> Position | None:
    """The end of the first statement after ``statement`` (in its block or an enclosing
    one) that rebinds ``name`` on every path: no use past it sees ``statement``'s value."""
    best: Position | None = None
    current: ast.AST = statement
    while True:
        found = ctx.place_in_block(current)
        if found is not None:
            block, index = found
            for later in block[index + 1:]:
                if binds_always(later, name):
                    end = _end(later)
                    best = end if best is None or end < best else best
                    break
        parent = ctx.parent(current)
        if parent is None or isinstance(parent, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef,
                                                 ast.ClassDef, ast.Lambda)):
            return best
        current = parent if isinstance(parent, ast.stmt) else ctx.statement_of(parent)


def uses_reaching(ctx: FixContext, binding: Binding) -> list[ast.Name]:
    """``binding.uses`` and the uses given to a later binding of the same name, in another
    block of the same scope, that may still see ``binding``'s value."""
    later = [other for other in ctx.bindings_named(binding.name)
             if other is not binding and other.scope is binding.scope
             and position(other.node) > position(binding.node)]
    home = ctx.statement_of(binding.node)
    if not later and not binding.conditional:  # (a binding in a loop is conditional)
        return binding.uses
    horizon = _horizon(ctx, home, binding.name) if later else None
    extra: list[ast.Name] = []
    for other in later:
        there = ctx.statement_of(other.node)
        if ctx.block_of(there) is ctx.block_of(home):
            if not binding.uses and binding.scope.kind == "module" and not extra:
                extra.extend(other.uses)  # a value nothing reads, replaced: see the module's docstring
            continue  # a later assignment in the same block replaces the value for good
        extra.extend(use for use in other.uses
                     if (horizon is None or position(use) < horizon) and not runs_after_in_block(ctx, there, use))
    extra.extend(_loop_carried(ctx, binding, home, later))
    return [*binding.uses, *extra] if extra else binding.uses


def _loop_carried(ctx: FixContext, binding: Binding, home: ast.stmt, later: list[Binding]) -> list[ast.Name]:
    """Uses earlier in a loop that holds the binding: the next time round they see its value."""
    found: list[ast.Name] = []
    start = position(home)
    node: ast.AST | None = ctx.parent(home)
    while node is not None and not isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef,
                                                     ast.ClassDef, ast.Lambda)):
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            first, last = position(node), _end(node)
            for other in ctx.bindings_named(binding.name):
                if other is binding or other in later or other.scope is not binding.scope:
                    continue
                found.extend(use for use in other.uses if first <= position(use) < start and position(use) <= last)
        node = ctx.parent(node)
    return found


def _declared(function: ast.AST, name: str) -> bool:
    """``global name`` / ``nonlocal name`` in ``function``'s own body (not in a nested function)."""
    work = list(ast.iter_child_nodes(function))
    while work:
        node = work.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            work.extend(ast.iter_child_nodes(node))
    return False


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    args = function.args
    return {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a is not None}


def _nonlocal_below(function: ast.AST, name: str) -> bool:
    """A function nested in ``function`` declares ``nonlocal name``: it reads and may set the variable."""
    return any(isinstance(node, ast.Nonlocal) and name in node.names for node in ast.walk(function))


def rebound_elsewhere(ctx: FixContext, binding: Binding) -> Binding | None:
    """Another assignment of the same variable from a function that declares it ``global`` or
    ``nonlocal`` (``def setup(): global run; run = Stub()``): after a call of that function the
    variable may hold its value, at uses the name model gives to ``binding``."""
    for other in ctx.bindings_named(binding.name):
        if other is binding or other.scope is binding.scope:
            continue
        function = _enclosing_function(ctx, other.node)
        if function is not None and _declared(function, binding.name):
            return other
    return None


def _enclosing_function(ctx: FixContext, node: ast.AST) -> ast.AST | None:
    """The function (or lambda) whose body holds the statement of ``node``."""
    function = ctx.parent(ctx.statement_of(node))
    while function is not None and not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        function = ctx.parent(function)
    return function


def unseen_uses(ctx: FixContext, binding: Binding) -> str:
    """Why ``binding`` may have uses the name model cannot list ("" when it has none):
    a class attribute is read through the class or its instances, and a name declared
    ``global`` (or ``nonlocal``) is read and set from other functions."""
    if binding.scope.kind == "class":
        return f"`{binding.name}` is a class attribute: code this fix cannot follow may read it through the class"
    if binding.scope.kind == "function":
        function: ast.AST | None = binding.node  # a parameter's binding is its function
        if not (isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                and binding.name in _parameters(function)):
            function = _enclosing_function(ctx, binding.node)
        if function is not None and _declared(function, binding.name):
            return f"`{binding.name}` is declared global here: code this fix cannot follow may read it"
        if function is not None and _nonlocal_below(function, binding.name):
            return f"a function inside declares `{binding.name}` nonlocal: it may set it where this fix does not look"
        return ""
    if binding.scope.kind == "module" and (binding.name in ctx.hidden or "*" in ctx.hidden):
        return f"`{binding.name}` is read where this fix cannot see it (a line it does not parse)"
    if binding.scope.kind == "module" and binding.name in _globals_declared(ctx):
        return f"a function declares `{binding.name}` global: code this fix cannot follow may set it"
    return ""


def _globals_declared(ctx: FixContext) -> frozenset[str]:
    found = ctx.cache.get("globals declared")
    if found is None:
        found = frozenset(name for node in all_nodes(ctx.model.tree) if isinstance(node, ast.Global) for name in node.names)
        ctx.cache["globals declared"] = found
    return found  # type: ignore[return-value]
