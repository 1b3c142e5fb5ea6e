"""Do no harm: what a rewritten module broke that the original did not have.

Before anything is written, the fixed text must parse, keep every comment and
its encoding declaration,
keep the module-level names other files import, call none of its own functions
before a global they read is bound (:mod:`.call_order`) nor with arguments they do
not take (:mod:`.call_arity`), and add no problem that
pyflakes finds (an undefined name, an unbound local, a redefinition, an unused
local, an ``is`` comparison with a literal).  pyflakes' binding model runs in
process on both texts and the two sets of problems are compared.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

from pyflakes import checker, messages

from ..nodes import all_nodes, parent_of
from ..source import declared_encoding, deep_recursion
from . import call_arity, call_order, statements

# pyflakes message -> how a refusal names it (the ruff codes the gate counts:
# F821, F823, F822, F811, F841, F632).
_HARMS: dict[type[messages.Message], str] = {
    messages.UndefinedName: "adds the undefined name `{}`",
    messages.UndefinedLocal: "makes `{}` an unbound local",
    messages.UndefinedExport: "exports the undefined name `{}`",
    messages.RedefinedWhileUnused: "redefines `{}` before it is used",
    messages.UnusedVariable: "leaves the local variable `{}` unused",
    messages.IsLiteral: "compares with a literal using `is`",
}


@dataclass
class Snapshot:
    """What the checks need of one text, computed once."""

    text: str
    tree: ast.Module

    @cached_property
    def pyflakes(self) -> list[messages.Message]:
        with deep_recursion():
            found = checker.Checker(self.tree, filename="<fix>")
        messages = found.messages
        # pyflakes' checker and scopes are reference cycles that hold the whole tree; emptied,
        # reference counting frees them at once instead of the cyclic collector, walking it all
        for scope in found.deadScopes:
            scope.clear()
        found.__dict__.clear()
        return messages

    @cached_property
    def problems(self) -> Counter[tuple[type, str]]:
        found: Counter[tuple[type, str]] = Counter()
        for message in self.pyflakes:
            if type(message) in _HARMS:
                name = str(message.message_args[0]) if message.message_args else ""
                found[(type(message), name)] += 1
        return found

    @cached_property
    def comments(self) -> Counter[str]:
        return Counter(c.strip() for c in statements.comments(self.text, self.tree))

    @cached_property
    def declared_encoding(self) -> str | None:
        return declared_encoding(self.text)

    @cached_property
    def module_reads(self) -> dict[str, tuple[tuple[int, int], bool]]:
        """Name -> (where its last read is, whether any read is inside a function or lambda)."""
        found: dict[str, tuple[tuple[int, int], bool]] = {}
        tree = self.tree
        for node in all_nodes(tree):
            if node.__class__ is not ast.Name or node.ctx.__class__ is not ast.Load:  # type: ignore[attr-defined]
                continue
            deferred = False
            parent = parent_of(tree, node)
            while parent is not None and parent is not tree:
                if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    deferred = True
                    break
                parent = parent_of(tree, parent)
            last, earlier = found.get(node.id, ((0, 0), False))  # type: ignore[attr-defined]
            found[node.id] = (max(last, (node.lineno, node.col_offset)), earlier or deferred)  # type: ignore[attr-defined]
        return found

    @cached_property
    def late_reads(self) -> Counter[tuple[str, str]]:
        return call_order.late_reads(self.tree)

    @cached_property
    def mismatched_calls(self) -> Counter[tuple[str, str]]:
        return call_arity.mismatched_calls(self.tree)

    @cached_property
    def dynamic_reads(self) -> frozenset[str]:
        return dynamic_reads(self.tree, self.text)

    @cached_property
    def module_imports(self) -> Counter[str]:
        """How many module-level imports bind each name."""
        return Counter((a.asname or a.name.split(".")[0]) for node in _module_level(self.tree)
                       if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names if a.name != "*")

    @cached_property
    def module_names(self) -> frozenset[str]:
        """Names bound at module level (what ``from module import name`` can reach)."""
        found: set[str] = set()
        for node in _module_level(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                found.update((a.asname or a.name.split(".")[0]) for a in node.names if a.name != "*")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                found.add(node.id)
        return frozenset(found)


def dynamic_reads(tree: ast.Module, text: str) -> frozenset[str]:
    """Module-level names read where pyflakes does not look: ``*`` (any of them) when the module
    may read a name from a string (``eval``, ``exec``, ``globals()``, ``locals()``, ``vars()``,
    even under another name or through ``builtins``, a frame's ``f_globals``, ``sys.modules``,
    ``import __main__``); the names a doctest in one of its strings uses (audits 58x and 58b)."""
    found: set[str] = set()
    functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    in_functions = {id(inner) for node in all_nodes(tree) if isinstance(node, functions)
                    for inner in ast.walk(node) if _scope_reader(inner)} if "locals" in text or "vars" in text else set()
    modules = _module_names(tree if "builtins" in text or "sys" in text else None)
    for node in all_nodes(tree):
        if _reads_by_name(node, modules) and id(node) not in in_functions:  # (a function's locals(): its own names)
            return frozenset({"*"})
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ">>>" in node.value:
            for line in node.value.splitlines():
                example = line.strip()
                if example.startswith((">>>", "...")):
                    found.update(_IDENTIFIER.findall(example[3:]))
    return frozenset(found)


_DYNAMIC = frozenset({"eval", "exec", "globals"})  # read anywhere, called or not (``run = eval``)
_SCOPE_READERS = frozenset({"locals", "vars"})  # called without arguments: the scope's names
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def _module_names(tree: ast.AST | None) -> dict[str, set[str]]:
    """The names ``builtins`` and ``sys`` are imported under (``import os, sys as _sys``); without a
    tree (a text that names neither), their own names."""
    found: dict[str, set[str]] = {"builtins": {"builtins"}, "sys": {"sys"}}
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in found:
                    found[alias.name].add(alias.asname or alias.name)
    return found


def _reads_by_name(node: ast.AST, modules: dict[str, set[str]]) -> bool:
    """May ``node`` read a variable by a name held in a string?"""
    if isinstance(node, ast.Name):
        return (node.id in _DYNAMIC or node.id == "__builtins__") and isinstance(node.ctx, ast.Load)
    if isinstance(node, ast.Attribute):  # builtins.eval and sys.modules (under any name of the module), a frame's dicts
        receiver = node.value.id if isinstance(node.value, ast.Name) else None
        return (node.attr in ("f_globals", "f_locals") or (node.attr in _DYNAMIC and receiver in modules.get("builtins", ()))
                or (node.attr == "modules" and receiver in modules.get("sys", ())))
    if isinstance(node, ast.ImportFrom):  # from builtins import eval as evaluate; from sys import modules
        return node.module == "__main__" or (node.module in ("builtins", "sys", "inspect") and any(
            alias.name in (*_DYNAMIC, "modules", "currentframe", "_getframe") for alias in node.names))
    if isinstance(node, ast.Import):  # import __main__: the running script's names, as attributes
        return any(alias.name == "__main__" for alias in node.names)
    if not isinstance(node, ast.Call):
        return False
    called = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else ""
    if called in ("__import__", "import_module"):  # __import__("__main__"), import_module(__name__)
        return any((isinstance(a, ast.Constant) and a.value == "__main__") or (isinstance(a, ast.Name) and a.id == "__name__")
                   for a in node.args)
    return _scope_reader(node)


def _scope_reader(node: ast.AST) -> bool:
    """``locals()`` or ``vars()``: the names of the scope it is called in."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SCOPE_READERS
            and not node.args and not node.keywords)


def _module_level(tree: ast.Module) -> list[ast.AST]:
    """Nodes that bind at module level: statements outside functions and classes,
    including those nested in if/try/for/with blocks, and their targets."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.stmt, ast.expr, ast.excepthandler, ast.withitem, ast.match_case)):
                stack.append(child)
    return found


def snapshot(text: str) -> Snapshot | str:
    """The snapshot of ``text``, or why it cannot be checked."""
    try:
        with deep_recursion():
            tree = ast.parse(text)
    except SyntaxError as exc:
        return f"the fixed code would not parse (line {exc.lineno}: {exc.msg})"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"the fixed code cannot be checked ({type(exc).__name__})"
    return Snapshot(text, tree)


def harm(before: Snapshot, after_text: str, protected: Collection[str] = (), hidden: Collection[str] = ()) -> str | None:
    """Why ``after_text`` is worse than ``before``, or None when it is not.

    ``protected`` names module-level bindings that other files import (or code the engine
    does not see reads); ``hidden``, the names that unseen code reads, wherever it runs: every
    import of one stays (the one left may bind it only after that code has run)."""
    return judge(before, after_text, protected, hidden)[0]


def unused_locals_added(before: Snapshot, after: Snapshot) -> frozenset[str]:
    """The local variables that ``after`` leaves unused and ``before`` did not."""
    try:
        added = after.problems - before.problems if after.problems else after.problems
    except RecursionError:
        return frozenset()
    return frozenset(name for kind, name in added if kind is messages.UnusedVariable)


def judge(before: Snapshot, after_text: str, protected: Collection[str] = (),
          hidden: Collection[str] = ()) -> tuple[str | None, Snapshot | None]:
    """``harm``, and the snapshot of ``after_text`` when it could be made (a later
    pass starts from it)."""
    if after_text == before.text:
        return None, before
    after = snapshot(after_text)
    if isinstance(after, str):
        return after, None
    return _harm(before, after, protected, hidden), after


def guarded(before: Snapshot, protected: Collection[str]) -> set[str]:
    """The module's names that must stay bound: those another module imports or code this fix
    cannot see reads (``protected``), and those read by name at run time (all of them, for a star)."""
    dynamic = before.dynamic_reads
    names = before.module_names if "*" in protected or "*" in dynamic else {*protected, *dynamic}
    return {name for name in names if name in before.module_names}


def must_stay_defined(before: Snapshot, names: Sequence[str]) -> str:
    """Why removing ``names`` (guarded ones) would harm, for a message."""
    dynamic = before.dynamic_reads
    shown = ", ".join(f"`{name}`" for name in names)
    return (f"{shown} must stay defined: another module of the project imports {'it' if len(names) == 1 else 'them'}, "
            f"or code this fix cannot see reads {'it' if len(names) == 1 else 'them'}"
            + (" (eval, exec, globals() or a doctest)" if "*" in dynamic or any(name in dynamic for name in names) else ""))


def _harm(before: Snapshot, after: Snapshot, protected: Collection[str], hidden: Collection[str] = ()) -> str | None:
    lost = before.comments - after.comments
    if lost:
        return f"it would drop the comment {next(iter(lost))!r}"
    if after.declared_encoding != before.declared_encoding:
        # a deletion at the top can bring a comment up to line 1 or 2, where Python reads it
        return f"it would change the encoding Python reads the file in ({after.declared_encoding or 'none declared'})"
    gone = sorted(name for name in guarded(before, protected) if name not in after.module_names)
    if gone:
        return must_stay_defined(before, [gone[0]])
    fewer = sorted(name for name in hidden if after.module_imports[name] < before.module_imports[name])
    if fewer:  # (audit 58x: a notebook cell this fix cannot parse read it before its second import ran)
        return f"code this fix cannot see reads `{fewer[0]}`, perhaps before the import of it that would be left"
    try:
        # pyflakes on the text as read only when the fixed text has a problem to compare
        added = after.problems - before.problems if after.problems else after.problems
    except RecursionError:
        return "the fixed code is too deeply nested to check"
    if added:
        (kind, name), _ = sorted(added.items(), key=lambda item: (item[0][0].__name__, item[0][1]))[0]
        return "it " + _HARMS[kind].format(name)
    late = after.late_reads - before.late_reads if after.late_reads else after.late_reads
    if late:
        function, name = sorted(late)[0]
        return f"it makes `{function}()` read `{name}` before the statement that binds `{name}` has run"
    mismatched = after.mismatched_calls - before.mismatched_calls if after.mismatched_calls else after.mismatched_calls
    if mismatched:
        function, why = sorted(mismatched)[0]
        return f"it calls `{function}()` with arguments that do not bind ({why})"
    return None
