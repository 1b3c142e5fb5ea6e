"""Calls of a module's own functions whose arguments cannot bind to the function's parameters.

A rewrite may call a helper it writes, or change the arguments of a call it keeps;
a positional argument too many, a keyword the function does not take or a required
parameter left out raises TypeError when the call runs, and neither parsing nor
pyflakes sees it.  The check below does, for the verification step to compare
before and after.

It is deliberately an under-approximation: only functions defined once, undecorated,
by a module-level ``def`` whose name nothing else in the module binds are checked,
and only calls by that bare name.  What a call spreads (``*args``, ``**kwargs``)
may bind anything: only what can be counted is checked.
"""

from __future__ import annotations

import ast
from collections import Counter

from ..nodes import all_nodes

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def mismatched_calls(tree: ast.Module) -> Counter[tuple[str, str]]:
    """(function, why the arguments do not bind) for each call that would raise TypeError."""
    functions = _checked_functions(tree)
    found: Counter[tuple[str, str]] = Counter()
    if not functions:
        return found
    for node in all_nodes(tree):
        if node.__class__ is ast.Call and node.func.__class__ is ast.Name and node.func.id in functions:  # type: ignore[attr-defined]
            reason = _mismatch(functions[node.func.id].args, node)
            if reason is not None:
                found[(node.func.id, reason)] += 1
    return found


def _checked_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module-level functions whose name means that function wherever it is called."""
    defined: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for statement in tree.body:
        if isinstance(statement, _DEFS) and not statement.decorator_list:
            defined[statement.name] = statement
    if not defined:
        return defined
    bound = Counter(name for name in _bindings(tree) if name in defined)
    return {name: function for name, function in defined.items() if bound[name] == 1}


# The node classes that bind a name by their ``name`` field (those of ``ast.parse``'s trees are
# exactly these classes: a whole-tree walk tests them by identity, not by isinstance chains).
_NAMED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs,
                    ast.MatchStar})


def _bindings(tree: ast.Module) -> list[str]:
    """Every name the module binds, anywhere, once per binding."""
    names: list[str] = []
    for node in all_nodes(tree):
        kind = node.__class__
        if kind is ast.Name:
            if node.ctx.__class__ is not ast.Load:  # type: ignore[attr-defined]
                names.append(node.id)  # type: ignore[attr-defined]
        elif kind is ast.arg:
            names.append(node.arg)  # type: ignore[attr-defined]
        elif kind is ast.alias:
            names.append((node.asname or node.name).split(".")[0])  # type: ignore[attr-defined]
        elif kind in _NAMED:
            if node.name:  # type: ignore[attr-defined]
                names.append(node.name)  # type: ignore[attr-defined]
        elif kind is ast.Global or kind is ast.Nonlocal:
            names.extend(node.names)  # type: ignore[attr-defined]
        elif kind is ast.MatchMapping and node.rest:  # type: ignore[attr-defined]
            names.append(node.rest)  # type: ignore[attr-defined]
    return names


def _mismatch(parameters: ast.arguments, call: ast.Call) -> str | None:
    positional = [p.arg for p in (*parameters.posonlyargs, *parameters.args)]
    keyword_only = [p.arg for p in parameters.kwonlyargs]
    spread = any(isinstance(a, ast.Starred) for a in call.args)
    spread_keywords = any(k.arg is None for k in call.keywords)
    given = len(call.args)
    if not spread and given > len(positional) and parameters.vararg is None:
        return f"{given} positional arguments where it takes {len(positional)}"
    by_keyword = positional[len(parameters.posonlyargs):]
    for keyword in call.keywords:
        name = keyword.arg
        if name is None or name in keyword_only:
            continue
        if name in by_keyword:
            if not spread and positional.index(name) < given:
                return f"two values for {name}"
        elif parameters.kwarg is None:
            return f"no parameter named {name}"
    if spread or spread_keywords:
        return None
    named = {k.arg for k in call.keywords}
    required = positional[:len(positional) - len(parameters.defaults)]
    missing = [p for p in required[given:] if p not in named]
    missing += [p.arg for p, default in zip(parameters.kwonlyargs, parameters.kw_defaults)
                if default is None and p.arg not in named]
    return f"no value for {missing[0]}" if missing else None
