"""The migration for AML081: ``azureml.core.VERSION`` -> the installed azure-ai-ml version.

A documented default: the value changes from the v1 SDK's version to the v2
SDK's, so the statement gets a TODO that says so.  It is made only in a program
that uses azure-ai-ml already (a later pass sees what this run's other fixes
imported): elsewhere it would make a v1 program need the v2 SDK to print a version.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ..engine.findings import line_ref
from ..engine.fixing import statements
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from .injob import run_get_context

VERSION = "azureml.core.VERSION"
TODO = "# TODO(azureml-v2): AML081 this is the azure-ai-ml version now; v1 reported azureml-core's"


_AZURE_AI_ML = re.compile(r"^[ \t]*(?:from[ \t]+azure\.ai\.ml\b|import[ \t]+azure\.ai\.ml\b)", re.MULTILINE)


def _uses_azure_ai_ml(text: str) -> bool:
    """The program imports azure-ai-ml already (another fix of this run may have added it)."""
    return _AZURE_AI_ML.search(text) is not None


def _assigned_from(read: ast.Name, ctx: FixContext) -> ast.Assign | ast.AnnAssign | None:
    """The assignment whose value ``read`` reads (``pin = azureml.core.VERSION``, then
    ``print(pin)``), through any chain of plain copies; None for a name an import binds."""
    statement = None
    seen: set[int] = set()
    while id(read) not in seen:
        seen.add(id(read))
        binding = ctx.binding_of(read)
        node = binding.node if binding is not None else None
        if not isinstance(node, (ast.Assign, ast.AnnAssign)):
            return statement
        statement = node
        if not isinstance(node.value, ast.Name):
            break
        read = node.value
    return statement


# Calls that only show a value (or turn it into text to show): the version's number does not matter there.
_SHOWING = frozenset({"print", "str", "repr", "display", "format", "info", "debug", "warning", "error",
                      "critical", "log", "write"})
# Nodes a shown value passes through on its way to the statement (text made of it, a collection of it).
_PASSING = (ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.Tuple, ast.List, ast.Dict, ast.keyword, ast.Starred)


def _other_than_shown(read: ast.expr, ctx: FixContext, depth: int = 0) -> ast.AST | None:
    """The expression that uses ``read`` for more than its text, or None: a comparison
    (``VERSION >= "1.35"``), a method of it (``VERSION.split(".")``), an argument of a call that is
    not one that shows it (``Version(VERSION)``), a value returned or tested; the same of a variable
    it is copied to.  azure-ai-ml's version numbers are not azureml-core's, so only a shown value
    may change from one to the other."""
    node: ast.AST = read
    parent = ctx.parent(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call):
            func = parent.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if node is func or called not in _SHOWING:
                return parent
        elif isinstance(parent, ast.Attribute):
            outer = ctx.parent(parent)  # (``VERSION.split(".")``: the whole call, as a reason shows it)
            return outer if isinstance(outer, ast.Call) and outer.func is parent else parent
        elif not isinstance(parent, _PASSING):
            return parent  # a comparison, an item of it, a condition ...
        node, parent = parent, ctx.parent(parent)
    if isinstance(parent, ast.Expr):
        return None  # shown (a notebook displays a bare expression)
    if isinstance(parent, (ast.If, ast.While)) and node is parent.test:
        return None  # tested for being set: both SDKs' versions are non-empty strings
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and node is parent.value:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if not any(isinstance(target, ast.Name) for target in targets):
            return None  # stored in a table or on an object, as a notebook gathers what it shows
        copy = ctx.assigned_binding(node)
        if copy is None or depth >= _COPIES:
            return parent
        return next(filter(None, (_other_than_shown(use, ctx, depth + 1) for use in copy.uses)), None)
    return parent  # returned to a caller, tested, ...


_COPIES = 5  # how far copies of a copy are followed


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    in_job = run_get_context.runs_in_a_job(ctx)
    references = [reference for reference in ctx.model.references if reference.qualname == VERSION]
    # A read of a variable assigned the version is not rewritten: it reads what its assignment,
    # rewritten, now gives (and, rebound in a branch or a loop, whatever else it holds there).
    copies: dict[int, list[ast.Name]] = {}
    for reference in references:
        if isinstance(reference.node, ast.Name):
            statement = _assigned_from(reference.node, ctx)
            if statement is not None:
                copies.setdefault(id(statement), []).append(reference.node)
    copied = {id(read) for reads in copies.values() for read in reads}
    for reference in references:
        if id(reference.node) in copied:
            continue
        rewrite = Rewrite("AML081", reference.node, 'azureml.core.VERSION -> importlib.metadata.version("azure-ai-ml")')
        rewrite.findings.extend(("AML081", read) for read in copies.get(id(ctx.statement_of(reference.node)), []))
        if in_job:
            yield rewrite.refuse("this script runs inside a job, whose environment need not install azure-ai-ml "
                                 "(importlib.metadata would raise PackageNotFoundError): remove the print by hand")
            continue
        used = next(filter(None, (_other_than_shown(read, ctx) for read in
                                  [reference.node, *copies.get(id(ctx.statement_of(reference.node)), [])])), None)
        if used is not None:
            yield rewrite.refuse(f"{line_ref(used.lineno)} (`{snippet(ctx.locator, used)}`) uses the version for more "  # type: ignore[attr-defined]
                                 "than showing it, and azure-ai-ml's version numbers are not azureml-core's: "
                                 "migrate that use by hand")
            continue
        if not _uses_azure_ai_ml(ctx.text):
            yield rewrite.refuse("nothing else in this program uses azure-ai-ml yet, so importlib.metadata would "
                                 "need it installed only to print its version: print it once the program uses it")
            continue
        version = ctx.symbol("importlib.metadata", "version")
        rewrite.edits.append(statements.replace(ctx.locator, reference.node, f'{version}("azure-ai-ml")'))
        statement = ctx.statement_of(reference.node)
        rewrite.edits.extend(statements.insert_before(ctx.locator, statement, [TODO]))
        rewrite.todos.append(TODO)
        yield rewrite
