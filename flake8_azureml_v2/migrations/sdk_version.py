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


# Calls that show a value: the version's number does not matter there.
_SHOWING = frozenset({"print", "display", "info", "debug", "warning", "error", "critical", "log"})
# Calls that make text of it, which is then asked about in turn (shown, or written into a pin?).
_TEXT_OF = frozenset({"str", "repr", "format"})
# Nodes a shown value passes through on its way to the statement (text made of it, a collection of it).
_PASSING = (ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.Tuple, ast.List, ast.Dict, ast.keyword, ast.Starred)


def _other_than_shown(read: ast.expr, ctx: FixContext, depth: int = 0) -> ast.AST | None:
    """The expression that uses ``read`` for more than its text, or None: a comparison
    (``VERSION >= "1.35"``), a method of it (``VERSION.split(".")``), an argument of a call that is
    not one that shows it (``Version(VERSION)``, ``f.write(...)`` of a pin), a value returned, stored
    in a table or unpacked; the same of a variable it is copied to.  azure-ai-ml's version numbers
    are not azureml-core's, so only a shown value may change from one to the other."""
    node: ast.AST = read
    parent = ctx.parent(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call):
            func = parent.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if node is func or called not in _SHOWING | _TEXT_OF or _writes(parent):
                return parent  # (``print(pin, file=requirements)`` writes it)
            if called in _SHOWING:
                return None
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
    targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target] if isinstance(
        parent, ast.AnnAssign) else []
    if targets and node is parent.value and all(isinstance(t, ast.Name) for t in targets):  # type: ignore[union-attr]
        if depth >= _COPIES:
            return parent
        copies = [binding for binding in ctx.bindings_at(parent) if any(t.id == binding.name for t in targets)]  # type: ignore[attr-defined]
        if len(copies) != len(targets):
            return parent
        return next(filter(None, (_other_than_shown(use, ctx, depth + 1) for copy in copies for use in copy.uses)), None)
    if isinstance(parent, ast.Assign) and node is parent.value and len(parent.targets) == 1 and isinstance(
            parent.targets[0], ast.Subscript):
        return _stored_for_show(parent.targets[0], ctx)
    return parent  # returned to a caller, stored on an object, unpacked, ...


def _stored_for_show(target: ast.Subscript, ctx: FixContext) -> ast.AST | None:
    """``output["SDK Version"] = VERSION`` in a table that is only filled and shown, as the AutoML
    notebooks do (``pd.DataFrame(data=output, index=[""])``, then ``outputDf.T`` displayed): None;
    otherwise the use of the table that does more."""
    table = ctx.binding_of(target.value) if isinstance(target.value, ast.Name) else None
    made = table.node.value if table is not None and isinstance(table.node, ast.Assign) else None
    if not (isinstance(made, ast.Dict) or (isinstance(made, ast.Call) and getattr(made.func, "id", None) == "dict")):
        return target  # (a table made here: not a parameter, nor another name for one: ``env = os.environ``)
    for use in table.uses:
        parent = ctx.parent(use)
        if isinstance(parent, ast.Subscript) and parent.value is use and isinstance(parent.ctx, ast.Store):
            continue  # filled
        call = ctx.parent(parent) if isinstance(parent, ast.keyword) else parent
        if not isinstance(call, ast.Call) or use is call.func:
            return parent
        called = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
        if called in _SHOWING and not _writes(call):
            continue
        if called != "DataFrame" or _frame_shown(call, ctx) is not None:
            return call
    return None


def _writes(call: ast.Call) -> bool:
    """``print(..., file=f)``: it writes the text somewhere (a pin), rather than showing it."""
    return any(keyword.arg == "file" for keyword in call.keywords)


def _frame_shown(frame: ast.Call, ctx: FixContext) -> ast.AST | None:
    """None when the table made by ``frame`` is only displayed (a bare expression of it or of an
    attribute of it, ``outputDf.T``, or shown by a call); otherwise the use that does more."""
    if _displayed(frame, ctx) is None:
        return None
    made = ctx.assigned_binding(frame)
    if made is None:
        return frame
    return next(filter(None, (_displayed(use, ctx) for use in made.uses)), None)


def _displayed(value: ast.expr, ctx: FixContext) -> ast.AST | None:
    """None when ``value``, or an attribute of it (``frame.T``), is a bare expression or shown by a
    call; otherwise what it is used in."""
    node, parent = value, ctx.parent(value)
    while isinstance(parent, ast.Attribute) and parent.value is node:
        node, parent = parent, ctx.parent(parent)
    shown = isinstance(parent, ast.Expr) or (isinstance(parent, ast.Call) and node in parent.args and not _writes(parent)
                                             and (getattr(parent.func, "id", None) in _SHOWING
                                                  or getattr(parent.func, "attr", None) in _SHOWING))
    return None if shown else parent


_COPIES = 5  # how far copies of a copy are followed


def _free_quote(read: ast.expr, ctx: FixContext) -> str:
    """The quote the package's name can take where ``read`` is: inside an f-string, the one its
    string does not use (before Python 3.12 the same quote would end the string)."""
    taken = set()
    node = ctx.parent(read)
    while node is not None and not isinstance(node, ast.stmt):
        if isinstance(node, ast.JoinedStr):  # (every enclosing one: ``f"{f'{VERSION}'}"``)
            taken.add(ctx.locator.text(node).lstrip("rRfFbBuU")[:1])
        node = ctx.parent(node)
    return next((quote for quote in ('"', "'") if quote not in taken), '"')


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
            yield rewrite.refuse(f"this script runs inside a {run_get_context.what_runs_it(ctx)}, whose environment need not install azure-ai-ml "
                                 "(importlib.metadata would raise PackageNotFoundError): remove the print by hand")
            continue
        used = next(filter(None, (_other_than_shown(read, ctx) for read in
                                  [reference.node, *copies.get(id(ctx.statement_of(reference.node)), [])])), None)
        while used is not None and not hasattr(used, "lineno"):  # (``[c for c in VERSION]``: its comprehension)
            used = ctx.parent(used)
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
        quote = _free_quote(reference.node, ctx)
        rewrite.edits.append(statements.replace(ctx.locator, reference.node, f'{version}({quote}azure-ai-ml{quote})'))
        statement = ctx.statement_of(reference.node)
        rewrite.edits.extend(statements.insert_before(ctx.locator, statement, [TODO]))
        rewrite.todos.append(TODO)
        yield rewrite
