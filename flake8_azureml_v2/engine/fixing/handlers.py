"""The ``try`` statements around old code, and whether their handlers expect its failures.

A rewrite inside ``try:`` changes what fails there.  Where a handler catches the old
code's failure (an old-API exception, one of another library the old API lets through,
``KeyError`` from one of its mappings), the new code must fail the same way or the handler
stops running; where the new code only names what the old code looked up, it fails nowhere.
"""

from __future__ import annotations

import ast

from ..findings import line_ref
from ..names import Instance, Ref
from ..nodes import all_nodes
from .edits import Edit
from .rewrite import FixContext, snippet

# What a subscript raises for a missing key, and the builtins a handler catches it by.
_MISSING_KEY = frozenset({"KeyError", "LookupError"})
# The builtins an ``except`` clause catches every error by (as a bare ``except:`` does).
_EVERYTHING = frozenset({"Exception", "BaseException"})


def enclosing_tries(node: ast.AST, ctx: FixContext) -> list[ast.Try]:
    """The ``try`` statements whose body holds ``node``, innermost first, within its function."""
    found = []
    current: ast.AST | None = node
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                            ast.Lambda, ast.Module)):
        parent = ctx.parent(current)
        if isinstance(parent, (ast.Try, getattr(ast, "TryStar", ast.Try))) and any(current is s for s in parent.body):
            found.append(parent)
        current = parent
    return found


def caught(handler: ast.ExceptHandler) -> list[ast.expr]:
    """The exception classes an ``except`` clause names (none for a bare ``except:``)."""
    kind = handler.type
    if kind is None:
        return []
    return list(kind.elts) if isinstance(kind, ast.Tuple) else [kind]


def expects_old_failure(kind: ast.expr, node: ast.AST, ctx: FixContext) -> bool:
    """Does ``except <kind>`` catch a failure of the old code at ``node`` that the new code
    raises otherwise?"""
    if ctx.reference(kind) is not None or _imported_name(kind, ctx) in ctx.model.surface.foreign_exceptions:
        return True
    return (isinstance(node, ast.Subscript) and isinstance(kind, ast.Name) and kind.id in _MISSING_KEY
            and ctx.binding_of(kind) is None)


def guarded_old_calls(ctx: FixContext) -> list[ast.Call]:
    """The calls of the old API inside a ``try:`` body that has handlers: a rewrite that
    replaces one changes what fails there, though the rewrite may be reported elsewhere
    (a datastore's migration rewrites each ``store.upload(...)`` of it)."""
    if not any(node.__class__ is ast.ExceptHandler for node in all_nodes(ctx.model.tree)):
        return []
    surface = ctx.model.surface
    found = []
    for site in ctx.model.calls:
        callee, receiver = site.callee, site.receiver
        old = (isinstance(callee, Ref) and surface.is_target(callee.qualname)) or isinstance(receiver, Instance)
        if old and any(t.handlers for t in enclosing_tries(site.node, ctx)):
            found.append(site.node)
    return found


def replaced_calls(calls: list[ast.Call], edits: list[Edit], ctx: FixContext) -> list[ast.Call]:
    """The ``calls`` whose callee (``store.upload`` of ``store.upload(...)``) an edit rewrites or
    removes: the call no longer runs as it did (an edit inside its arguments leaves it as it is)."""
    found = []
    for call in calls:
        start, end = ctx.locator.start(call.func), ctx.locator.end(call.func)
        if any(edit.start < end and start < max(edit.end, edit.start + 1) for edit in edits):
            found.append(call)
    return found


def clause(handler: ast.ExceptHandler, ctx: FixContext) -> str:
    """The handler as a message quotes it: ``except`` or ``except ValueError``."""
    return "except" if handler.type is None else f"except {snippet(ctx.locator, handler.type)}"


def lookup_no_longer_fails(node: ast.AST, ctx: FixContext) -> str | None:
    """Why a lookup at ``node`` may not become a mere reference: a handler around it runs when
    the lookup fails, and a reference is resolved later, so that handler would never run."""
    for try_node in enclosing_tries(node, ctx):
        if try_node.handlers:
            handler = try_node.handlers[0]
            return (f"it runs inside `try:` with `{clause(handler, ctx)}` ({line_ref(handler.lineno)}), which runs when the "
                    "lookup fails; the new code only names what it looked up, so that handler would never run")
    return None


def _imported_name(node: ast.expr, ctx: FixContext) -> str | None:
    """The qualified name ``HttpOperationError`` or ``msrest.exceptions.HttpOperationError`` names."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.insert(0, node.attr)
        node = node.value
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    value = getattr(binding, "value", None)
    return ".".join([value.qualname, *attributes]) if isinstance(value, Ref) else None


def catch_all_handler(offset: int, ctx: FixContext) -> ast.ExceptHandler | None:
    """The handler that catches every error (``except:``, ``except Exception``) of the innermost
    ``try:`` whose body holds ``offset`` and has one, or None."""
    spans = ctx.cache.get("catch_all_spans")
    if spans is None:
        spans = []
        for node in all_nodes(ctx.model.tree):
            if isinstance(node, ast.Try) and node.body:
                handler = next((h for h in node.handlers if _catches_everything(h, ctx)), None)
                if handler is not None:
                    spans.append((ctx.locator.start(node.body[0]), ctx.locator.end(node.body[-1]), handler))
        ctx.cache["catch_all_spans"] = spans
    inside = [span for span in spans if span[0] <= offset < span[1]]  # type: ignore[attr-defined]
    return max(inside, key=lambda span: span[0])[2] if inside else None


def _catches_everything(handler: ast.ExceptHandler, ctx: FixContext) -> bool:
    kinds = caught(handler)
    return not kinds or any(isinstance(kind, ast.Name) and kind.id in _EVERYTHING and ctx.binding_of(kind) is None
                            for kind in kinds)
