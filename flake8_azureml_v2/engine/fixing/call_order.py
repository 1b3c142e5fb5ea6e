"""Module-level calls of a module's own functions that read a global bound only further down.

pyflakes checks a function's body after the whole module, so it cannot see that
``helper()`` called at line 5 reads ``os`` that ``import os`` binds only at line
40 (a later notebook cell): the call raises NameError.  The fixer writes helpers
and removes imports, so both can create exactly this; the check below finds it
for the verification step to compare before and after.

It is deliberately an under-approximation: a name bound anywhere in a module-level
loop counts as bound for the whole loop, every name a function assigns anywhere
(nested scopes included) counts as its own, and a star import ends the check.
"""

from __future__ import annotations

import ast
import builtins
from collections import Counter
from collections.abc import Iterator

_BUILTINS = frozenset(dir(builtins))
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def late_reads(tree: ast.Module) -> Counter[tuple[str, str]]:
    """(function, global name) for each module-level call of a function of this module that
    reads, directly or through another of its functions, a global no earlier statement binds."""
    functions = _functions(tree)
    if not functions:
        return Counter()
    bound_anywhere: frozenset[str] | None = None  # made only when a read is not bound yet (rare)
    reads = _Reads(functions)
    found: Counter[tuple[str, str]] = Counter()
    bound: set[str] = set()
    checking_every_call = False
    for statement, loop_bindings in _in_order(tree.body):
        if statement is None:  # a star import: anything may be bound from here on
            return found
        bound |= loop_bindings
        for call in _calls_outside_scopes(statement):
            if isinstance(call.func, ast.Name) and call.func.id in functions and call.func.id in bound:
                if not checking_every_call:
                    # the first call: when every global any function reads is bound already, so it
                    # is at every later call (nothing unbinds), and the rest of the module need not
                    # be walked (a helper the fix writes at the top, reading the imports above it)
                    if all(name in bound or name in _BUILTINS for function in functions for name in reads.of(function)):
                        return found
                    checking_every_call = True
                for name in sorted(reads.of(call.func.id)):
                    if name in bound or name in _BUILTINS:
                        continue
                    if bound_anywhere is None:
                        bound_anywhere = _bound_at_module_level(tree.body)
                    if name in bound_anywhere:
                        found[(call.func.id, name)] += 1
        bound |= _bound_by(statement)
    return found


class _Reads:
    """The globals each module function reads, with those of the module functions it calls."""

    def __init__(self, functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]) -> None:
        self.functions = functions
        self.direct = {name: set().union(*(_free_names(d) for d in defs)) for name, defs in functions.items()}
        self.memo: dict[str, frozenset[str]] = {}

    def of(self, name: str) -> frozenset[str]:
        found = self.memo.get(name)
        if found is None:
            seen, stack, names = {name}, [name], set()
            while stack:
                current = stack.pop()
                for read in self.direct[current]:
                    names.add(read)
                    if read in self.functions and read not in seen:
                        seen.add(read)
                        stack.append(read)
            found = self.memo[name] = frozenset(names)
        return found


def _functions(tree: ast.Module) -> dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]:
    found: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for statement in _statements(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.setdefault(statement.name, []).append(statement)
    return found


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements in source order, compound ones before their blocks (never into a def or class body)."""
    for statement in body:
        yield statement
        if not isinstance(statement, _SCOPES):
            for block in _blocks(statement):
                yield from _statements(block)


def _in_order(body: list[ast.stmt], loop_bindings: frozenset[str] = frozenset()
              ) -> Iterator[tuple[ast.stmt | None, frozenset[str]]]:
    """:func:`_statements`, each with the names its enclosing loops bind; None for a star import."""
    for statement in body:
        if isinstance(statement, ast.ImportFrom) and any(a.name == "*" for a in statement.names):
            yield None, loop_bindings
            return
        inner = loop_bindings
        if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
            inner = loop_bindings | _bound_at_module_level([statement])
        yield statement, inner
        if not isinstance(statement, _SCOPES):
            for block in _blocks(statement):
                yield from _in_order(block, inner)


def _blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    for field in ("body", "orelse", "finalbody"):
        block = getattr(statement, field, None)
        if isinstance(block, list):
            yield block
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


def _own_parts(statement: ast.stmt) -> Iterator[ast.AST]:
    """What a statement itself evaluates (its blocks aside)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield from statement.decorator_list
        return
    for field, value in ast.iter_fields(statement):
        if field in ("body", "orelse", "finalbody", "handlers", "cases"):
            continue
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value if isinstance(item, ast.AST))


def _calls_outside_scopes(statement: ast.stmt) -> Iterator[ast.Call]:
    stack = list(_own_parts(statement))
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _bound_by(statement: ast.stmt) -> set[str]:
    """Names a module-level statement binds by itself (its blocks come as their own statements)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in statement.names}
    found: set[str] = set()
    for part in _own_parts(statement):
        found |= _stored_names(part)
    for handler in getattr(statement, "handlers", ()):
        if handler.name:
            found.add(handler.name)
    return found


def _bound_at_module_level(body: list[ast.stmt]) -> frozenset[str]:
    found: set[str] = set()
    for statement in _statements(body):
        found |= _bound_by(statement)
    return frozenset(found)


def _stored_names(node: ast.AST) -> set[str]:
    found: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            if not isinstance(child.ctx, ast.Load):
                found.add(child.id)
        elif isinstance(child, (ast.MatchAs, ast.MatchStar)) and child.name:
            found.add(child.name)
    return found


def _free_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names the function's body reads that nothing in it binds (nested scopes count as its own)."""
    loads: set[str] = set()
    own: set[str] = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    for node in (n for statement in function.body for n in ast.walk(statement)):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else own).add(node.id)
        elif isinstance(node, ast.arg):
            own.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            own.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            own.add(node.name)
    return loads - own  # a global the function also assigns may be its own write first: not counted
