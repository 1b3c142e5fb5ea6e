"""What every call of one of the module's functions passes to a parameter.

A fix may treat a parameter as the value its callers hand it, and change what
each call passes, only when it sees every call of the module: the function is a
plain ``def`` of this module, defined once, reached by nothing but direct calls
(not decorated, not passed on, not imported by another module, not read where
the fix cannot see, not named in the module's strings as ``globals()["train"]``
or a doctest would), and each call names the parameter's argument without ``*``
or ``**``.  Other files are the caller's to rule out (see :mod:`..importers`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..findings import line_ref
from ..names import Binding
from ..nodes import all_nodes
from . import reaching, verify
from .rewrite import FixContext

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass
class Parameter:
    binding: Binding  # the parameter's binding in the function's own scope
    function: ast.FunctionDef | ast.AsyncFunctionDef
    node: ast.arg
    passed: list[tuple[ast.Call, ast.expr]]  # each call of the function, and what it passes here


def passed_arguments(ctx: FixContext, binding: Binding) -> Parameter | str | None:
    """The calls of ``binding``'s function and what each passes it, when ``binding`` is a
    parameter whose every call this module shows; else why not (None: not a parameter)."""
    function = binding.node
    if not isinstance(function, _FUNCTIONS) or binding.name == function.name:
        return None
    located = _parameter(function, binding.name)
    if located is None:
        return None
    if function.decorator_list:
        return "the function is decorated, and the decorator may call it as it likes"
    node, position = located
    defined = _the_only_definition(ctx, function)
    if defined is None:
        return ("the function is a method, is defined more than once or in a block, or code this fix cannot see "
                "may call it")
    if _declared_or_listed(ctx, function, binding.name):
        return ("the function assigns the parameter or reads its own locals(), or the module reads frames or walks "
                "its own names (inspect, __globals__)")
    if _named_in_strings(ctx, function.name):
        return "the module may reach the function by its name as text (globals(), getattr, a doctest)"
    passed = []
    for use in _references(ctx, function):
        call = ctx.parent(use)
        if not (isinstance(call, ast.Call) and call.func is use):
            return f"the function is handed on at {line_ref(use.lineno)}, so something else may call it"
        argument = _argument(call, binding.name, position)
        if argument is None:
            return f"the call at {line_ref(call.lineno)} unpacks its arguments or leaves the parameter out"
        passed.append((call, argument))
    return Parameter(binding, function, node, passed) if passed else "nothing calls the function"


def _references(ctx: FixContext, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Name]:
    """Every read of the function's name anywhere in the module, the bodies the name model skips
    (those that mention nothing of the old API) included: a call from there is a call too."""
    return _name_reads(ctx).get(function.name, [])


def _name_reads(ctx: FixContext) -> dict[str, list[ast.Name]]:
    """The module's reads of each name, found once a pass."""
    if "parameters:names" not in ctx.cache:
        reads: dict[str, list[ast.Name]] = {}
        for node in all_nodes(ctx.model.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                reads.setdefault(node.id, []).append(node)
        ctx.cache["parameters:names"] = reads
    return ctx.cache["parameters:names"]  # type: ignore[return-value]


def _parameter(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> tuple[ast.arg, int | None] | None:
    """The parameter's node and its position (None: keyword-only)."""
    args = function.args
    for index, arg in enumerate([*args.posonlyargs, *args.args]):
        if arg.arg == name:
            return arg, index
    for arg in args.kwonlyargs:
        if arg.arg == name:
            return arg, None
    return None


def _the_only_definition(ctx: FixContext, function: ast.FunctionDef | ast.AsyncFunctionDef) -> Binding | None:
    """The binding of the function's name, when nothing else in its scope binds that name and
    nothing outside this module's view reaches it."""
    defined = next((b for b in ctx.bindings_at(function) if b.name == function.name), None)
    if defined is None or defined.scope.kind == "class" or defined.conditional:
        return None
    if any(b is not defined and b.scope is defined.scope for b in ctx.bindings_named(function.name)):
        return None
    if ctx.is_imported_elsewhere(defined) or reaching.unseen_uses(ctx, defined):
        return None
    if any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
           for node in all_nodes(ctx.model.tree)):
        return None  # ``from helpers import *`` (in a ``try`` too) may bind the name again
    return defined


# What reads a function's frame or finds the module's functions by walking its names (a smoke test
# calling every ``step_*``): anywhere in the module, the frame read may be a helper's ``f_back``.
_REFLECTION = frozenset({"currentframe", "_getframe", "getargvalues", "getframeinfo", "f_back", "f_locals",
                         "__globals__", "getmembers", "getmodule"})


def _declared_or_listed(ctx: FixContext, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """The function assigns the parameter or lets a function inside declare it ``nonlocal``/``global``
    (``for run in [run, *others]``: the calls on it may be on something else), reads its own scope
    (``locals()``, ``vars()``), or the module reflects on frames or on its own names
    (``inspect.currentframe().f_back``, ``__globals__``, ``inspect.getmembers``), or takes
    ``locals``/``vars`` without calling them (``L = locals``)."""
    for node in ast.walk(function):
        if isinstance(node, (ast.Nonlocal, ast.Global)) and name in node.names:
            return True
        if isinstance(node, ast.Name) and (node.id in ("locals", "vars") or (
                node.id == name and not isinstance(node.ctx, ast.Load))):
            return True
    if _reflects(ctx):
        return True
    reads = _name_reads(ctx)
    return any(not (isinstance(ctx.parent(use), ast.Call) and ctx.parent(use).func is use)  # type: ignore[union-attr]
               for scope_reader in ("locals", "vars") for use in reads.get(scope_reader, []))


def _reflects(ctx: FixContext) -> bool:
    if "parameters:reflects" not in ctx.cache:
        ctx.cache["parameters:reflects"] = any(
            (isinstance(node, ast.Attribute) and node.attr in _REFLECTION)
            or (isinstance(node, ast.Name) and node.id in _REFLECTION)
            or (isinstance(node, ast.alias) and node.name in _REFLECTION) for node in all_nodes(ctx.model.tree))
    return bool(ctx.cache["parameters:reflects"])


def _named_in_strings(ctx: FixContext, name: str) -> bool:
    """The module may reach the function by its name as text: ``getattr(module, "train")``,
    ``__all__``, a dotted name a framework resolves (``"__main__.train"``), a doctest calling ``train(...)``; or it reads names by strings at all
    (``globals()``, ``sys.modules``, ``import __main__``, ``eval``: see :func:`.verify.dynamic_reads`)."""
    if "parameters:strings" not in ctx.cache:
        texts = [n.value for n in all_nodes(ctx.model.tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        ctx.cache["parameters:strings"] = (texts, verify.dynamic_reads(ctx.model.tree, ctx.text))
    texts, dynamic = ctx.cache["parameters:strings"]  # type: ignore[misc]
    if "*" in dynamic or name in dynamic:
        return True
    called = re.compile(rf"\b{re.escape(name)}\s*\(")
    dotted = re.compile(rf"(?:[\w.]*[.:])?{re.escape(name)}")  # "train", "__main__.train", "pkg.train:train"
    return any(dotted.fullmatch(text.strip()) or called.search(text) for text in texts)


def _argument(call: ast.Call, name: str, position: int | None) -> ast.expr | None:
    """What ``call`` passes to the parameter, or None (unpacked arguments, or not passed)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    if position is not None and position < len(call.args):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)
