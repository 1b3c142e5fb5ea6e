"""All import edits in one place: name the symbols new code needs, import them
once, and remove old-API imports that nothing uses any more.

"Nothing uses" is pyflakes' binding analysis of the rewritten module: an
import is removed only when pyflakes reports that binding as unused, so a name
bound twice (a re-import in a later notebook cell, a ``try/except
ImportError`` fallback, an import inside ``if``) keeps every import that a use
may reach.  Imports are only ever removed when the caller's ``may_remove``
allows it (``# noqa``, ``--select``, ``__init__.py``).
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pyflakes import messages

from ..nodes import all_nodes, parent_of
from ..findings import line_ref
from ..source import SourceText, deep_recursion
from ..suppression import codes_on_line
from . import blocks, listedit, statements, submodules
from .edits import Edit
from .locate import Locator
from .symbols import Symbol
from .verify import Snapshot


class ImportClash(Exception):
    """A name written literally by a rewrite is already bound to something else."""


@dataclass
class ImportPlan:
    edits: list[Edit] = field(default_factory=list)  # on the staged text
    chosen: dict[str, str] = field(default_factory=dict)  # stand-in identifier -> local name
    removed: list[tuple[ast.stmt, list[str]]] = field(default_factory=list)  # statement, dotted names


# The code pyflakes-based linters (flake8, ruff) give an unused import: a noqa comment naming it
# says the import is meant to stay unused (a re-export, a side effect).
UNUSED_IMPORT_CODE = "F401"
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def import_handlers(node: ast.stmt, tree: ast.Module) -> tuple[ast.Try | None, list[ast.ExceptHandler]]:
    """The ``try`` whose body holds the import ``node``, and its handlers that catch the
    ImportError (a program that runs on without the package), or (None, [])."""
    parent = parent_of(tree, node)
    if not (isinstance(parent, ast.Try) and any(node is s for s in parent.body)):
        return None, []
    catching = []
    for handler in parent.handlers:
        caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(c is None or (isinstance(c, ast.Name) and c.id in _IMPORT_ERRORS) for c in caught):
            catching.append(handler)
    return (parent, catching) if catching else (None, [])


def kept_on_purpose(node: ast.stmt, source: SourceText, tree: ast.Module) -> str | None:
    """Why an import nothing reads is there anyway, or None: it tests that a package is installed
    (the body of a ``try`` whose handler catches ImportError), it binds an attribute of a class
    (``Config.Workspace``, read from anywhere), or its ``# noqa: F401`` says so."""
    scope = scope_of(node, tree)
    if isinstance(scope, ast.ClassDef):
        return "it makes an attribute of the class, which code anywhere may read through the class"
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("locals", "vars")
            and not call.args for call in ast.walk(scope)):
        return "its function reads its own names with locals() or vars()"
    guard, handlers = import_handlers(node, tree)
    if guard is not None:
        names = {alias.asname or alias.name.split(".")[0] for alias in node.names}  # type: ignore[attr-defined]
        # a fallback that only binds the same names (``Run = None``) says nothing the import does not
        tells = not all(_binds_only(s, names) for s in guard.body)
        if any(tells or not all(_binds_only(s, names) for s in handler.body) for handler in handlers):
            return (f"it tests that the package is installed (the `try` at {line_ref(guard.lineno)} catches "
                    "the ImportError): drop the check by hand once nothing needs the package")
    codes = codes_on_line(source.line(node.lineno))
    if codes and UNUSED_IMPORT_CODE in codes:
        return "its `# noqa: F401` says it is imported on purpose"
    return None


def scope_of(node: ast.AST, tree: ast.Module) -> ast.AST | None:
    """The function, class or module whose names ``node`` binds (an ``if`` or ``try`` is no scope)."""
    scope = parent_of(tree, node)
    while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
        scope = parent_of(tree, scope)
    return scope


def _binds_only(statement: ast.stmt, names: set[str]) -> bool:
    """``pass``, an import, or an assignment of a constant to some of ``names``: nothing else happens."""
    if isinstance(statement, (ast.Pass, ast.Import, ast.ImportFrom)):
        return True
    return (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
            and all(isinstance(t, ast.Name) and t.id in names for t in statement.targets))


def dotted_name(statement: ast.Import | ast.ImportFrom, alias: ast.alias) -> str:
    """The qualified name an alias imports (relative imports keep their dots)."""
    if isinstance(statement, ast.Import):
        return alias.name
    module = "." * statement.level + (f"{statement.module}." if statement.module else "")
    return f"{module}{alias.name}"


def _pyflakes_spelling(statement: ast.Import | ast.ImportFrom, alias: ast.alias) -> str:
    """How pyflakes names an import binding in its 'imported but unused' message."""
    if isinstance(statement, ast.Import):
        return f"{alias.name} as {alias.asname}" if alias.asname else alias.name
    module = "." * statement.level + (statement.module or "")
    full = f"{module}.{alias.name}" if statement.module else f"{module}{alias.name}"
    return f"{full} as {alias.asname}" if alias.asname else full


# The classes whole-tree walks test with ``is`` and ``in``, not a chain of isinstance calls per
# node: twice as fast, and the same on trees ``ast.parse`` made, whose nodes are of these very classes.
_IMPORTS = frozenset({ast.Import, ast.ImportFrom})
_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})


def _bound_name(alias: ast.alias) -> str:
    return alias.asname or alias.name.split(".")[0]


def unused_imports(staged: Snapshot, wanted: Callable[[str], bool] = lambda dotted: True) -> dict[int, set[str]]:
    """Import statement (by ``id``) -> pyflakes spellings of its unused bindings, for
    the imports whose qualified name is ``wanted``.

    Two sound sources: every import of a name that nothing in the module reads
    (pyflakes says nothing about an import that a later ``Run = None`` fallback
    rebinds, though no use can reach it), and the bindings pyflakes reports unused
    or redefined before any use (a notebook that imports the same name in two cells,
    the first cell's use migrated).
    pyflakes runs only when a wanted name that is read is also bound twice: a name
    bound once and read somewhere is used."""
    by_position: dict[tuple[int, int], ast.Import | ast.ImportFrom] = {}
    loaded: set[str] = set()
    strings: set[str] = set()
    exported: set[str] = set()
    lists_exports = "__all__" in staged.text
    bindings: dict[str, int] = {}
    bare: set[int] = set()  # strings that are statements of their own (docstrings): no name is read there
    for node in all_nodes(staged.tree):
        kind = node.__class__  # (see _IMPORTS)
        if kind is ast.Expr and node.value.__class__ is ast.Constant:  # type: ignore[attr-defined]
            bare.add(id(node.value))  # type: ignore[attr-defined]  (met before the string: breadth first)
        elif kind is ast.Name:
            if isinstance(node.ctx, ast.Store):
                bindings[node.id] = bindings.get(node.id, 0) + 1
            else:
                loaded.add(node.id)
        elif kind in _IMPORTS:
            by_position[(node.lineno, node.col_offset)] = node
            for alias in node.names:
                bindings[_bound_name(alias)] = bindings.get(_bound_name(alias), 0) + 1
        elif kind in _DEFINITIONS:
            bindings[node.name] = bindings.get(node.name, 0) + 1
        elif kind is ast.Constant and isinstance(node.value, str) and len(node.value) < 200 and id(node) not in bare:
            strings.update(node.value.replace(".", " ").replace("[", " ").split())  # __all__, string annotations
        elif kind is ast.Call and lists_exports:
            exported.update(_exported_by_call(node))  # pyflakes reads only `__all__ =` and `+=`
    found: dict[int, set[str]] = {}
    ambiguous = False
    for statement in by_position.values():
        for alias in statement.names:
            if alias.name == "*" or not wanted(dotted_name(statement, alias)):
                continue
            name = _bound_name(alias)
            if name not in strings and (name not in loaded or (
                    bindings.get(name, 0) > 1 and _read_only_before(staged, statement, name))):
                found.setdefault(id(statement), set()).add(_pyflakes_spelling(statement, alias))
            elif name not in loaded or bindings.get(name, 0) > 1:
                ambiguous = True  # named in a string (__all__, an annotation?) or bound twice
    if not ambiguous:
        return found
    with deep_recursion():
        reported = staged.pyflakes
    for message in reported:
        if isinstance(message, messages.UnusedImport):
            statement = by_position.get((message.lineno, message.col))
            spelling = str(message.message_args[0])
            if statement is not None and not any(_bound_name(a) in exported for a in statement.names
                                                 if _pyflakes_spelling(statement, a) == spelling):
                found.setdefault(id(statement), set()).add(spelling)
        elif isinstance(message, messages.RedefinedWhileUnused):
            # bound again before anything read it: the earlier import is unused too, when the
            # import that binds it again runs whenever it did (not only in an `if` or a `try`)
            name, line = str(message.message_args[0]), message.message_args[1]
            again = by_position.get((message.lineno, message.col))
            if again is None:
                continue
            for (at, _), statement in by_position.items():
                if at != line or not (blocks.runs_after(staged.tree, statement, again)
                                      or blocks.reads_follow(staged.tree, name, statement, again)):
                    continue
                for alias in statement.names:
                    if _bound_name(alias) == name and alias.name != "*" and wanted(dotted_name(statement, alias)):
                        found.setdefault(id(statement), set()).add(_pyflakes_spelling(statement, alias))
    return found


def _read_only_before(staged: Snapshot, statement: ast.Import | ast.ImportFrom, name: str) -> bool:
    """Every read of ``name`` runs before ``statement`` (an import among the module's own
    statements): each is in module code above it, none in a function or lambda, which may run
    later.  Its binding is then never read: a notebook's later cell that imports again a name an
    earlier one used (pyflakes passes an earlier use on to the import that rebinds it)."""
    body = staged.tree.body
    if "*" in staged.dynamic_reads or not any(s is statement for s in body):
        return False
    reads = staged.module_reads.get(name)
    if reads is None or reads[1] or reads[0] >= (statement.lineno, statement.col_offset):
        return False
    # and the name keeps the same object without it: an import above binds it to the same name, and
    # nothing but imports of it binds the name (a module that imports it from this one gets the same)
    dotted = {dotted_name(statement, a) for a in statement.names if _bound_name(a) == name}
    earlier = [dotted_name(s, a) for s in body[:body.index(statement)] if isinstance(s, (ast.Import, ast.ImportFrom))
               for a in s.names if _bound_name(a) == name]
    nodes = all_nodes(staged.tree)
    everywhere = {dotted_name(s, a) for s in nodes if s.__class__ in _IMPORTS for a in s.names  # type: ignore[attr-defined]
                  if _bound_name(a) == name}
    stores = any((node.__class__ is ast.Name and node.id == name and node.ctx.__class__ is not ast.Load)  # type: ignore[attr-defined]
                 or (node.__class__ in _DEFINITIONS and node.name == name) for node in nodes)  # type: ignore[attr-defined]
    return len(dotted) == 1 and bool(earlier) and set(earlier) == dotted == everywhere and not stores


def exported_names(tree: ast.Module) -> dict[str, int]:
    """The names the module lists in ``__all__`` (assigned, added to, extended), with the line."""
    found: dict[str, int] = {}
    for node in tree.body:
        value: ast.expr | None = None
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = node.value
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and _exported_by_call(node.value):
            value = node.value.args[0]
        values = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value] if value is not None else []
        for item in values:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                found.setdefault(item.value, node.lineno)
    return found


def _exported_by_call(call: ast.Call) -> list[str]:
    """The names ``__all__.extend([...])`` or ``__all__.append("...")`` exports."""
    method = call.func
    if not (method.__class__ is ast.Attribute and method.value.__class__ is ast.Name  # type: ignore[attr-defined]
            and method.value.id == "__all__" and method.attr in ("extend", "append") and call.args):  # type: ignore[attr-defined]
        return []
    argument = call.args[0]
    values = argument.elts if isinstance(argument, (ast.List, ast.Tuple)) else [argument]
    return [v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)]


def bound_names(tree: ast.Module, star_exports: Mapping[str, Iterable[str]] | None = None) -> dict[str, list[ast.AST]]:
    """Every name bound anywhere in the module, with the nodes that bind it; a star import
    binds what ``star_exports`` lists for its module."""
    found: dict[str, list[ast.AST]] = {}

    def add(name: str, node: ast.AST) -> None:
        found.setdefault(name, []).append(node)

    for node in all_nodes(tree):
        kind = node.__class__  # (see _IMPORTS)
        if kind is ast.Name:
            if not isinstance(node.ctx, ast.Load):
                add(node.id, node)
        elif kind in _DEFINITIONS:
            add(node.name, node)
        elif kind is ast.arg:
            add(node.arg, node)
        elif kind in _IMPORTS:
            for alias in node.names:
                if alias.name != "*":
                    add(_bound_name(alias), node)
                elif kind is ast.ImportFrom and not node.level and star_exports and node.module in star_exports:
                    for name in star_exports[node.module]:
                        add(name, node)
        elif kind is ast.Global or kind is ast.Nonlocal:
            for name in node.names:
                add(name, node)
        elif kind is ast.ExceptHandler or kind is ast.MatchAs or kind is ast.MatchStar:
            if node.name:
                add(node.name, node)
        elif kind is ast.MatchMapping and node.rest:
            add(node.rest, node)
    return found


def plan(
    staged: Snapshot,
    locator: Locator,
    stand_ins: dict[str, Symbol],
    literal: set[tuple[str, str]],
    may_remove: Callable[[ast.stmt], bool],
    is_target: Callable[[str], bool],
    written: Sequence[tuple[int, int]] = (),
    star_exports: Mapping[str, Iterable[str]] | None = None,
    installs: Mapping[str, int] | None = None,
    parts: Sequence[int] = (),
    removable: Callable[[str], bool] | None = None,
) -> ImportPlan:
    """The import edits for the staged text: removals, then additions for every
    symbol the rewrites wrote (``stand_ins``) and every name they wrote
    literally (``literal``, as ``(module, name)``).  A name a star import binds
    (``star_exports``: a module's exported names) is taken: an import added above the star
    import would be rebound by it.  ``installs``: where the text installs a package on its way
    (a notebook's ``!pip install``): a new import of it goes below that, if its first use allows.
    ``parts``: where each part of the text that may run on its own begins (a notebook's cells):
    a part that imported its own old names imports the new ones it needs.  ``removable``: which
    unused imports may go, where that differs from ``is_target``."""
    result = ImportPlan()
    tree = staged.tree
    removable = removable or is_target  # (what may go; ``is_target`` also places the new imports)
    unused = unused_imports(staged, removable)
    removed_aliases: set[int] = set()
    doomed_by_statement: list[tuple[ast.Import | ast.ImportFrom, list[ast.alias]]] = []
    candidates = [
        (node, [a for a in node.names
                if a.name != "*" and _pyflakes_spelling(node, a) in unused[id(node)] and removable(dotted_name(node, a))])
        for node in (all_nodes(tree) if unused else ())  # in the tree's order, when any import is unused
        if id(node) in unused  # (its keys are this tree's import statements)
    ]
    leaving = {id(node) for node, doomed in candidates if doomed and len(doomed) == len(node.names)}
    for node, doomed in candidates:
        if id(node) in leaving and submodules.loads_read_submodule(node, tree, staged.text, leaving) is not None:
            continue  # the statement goes with its last name, and the submodule it loads with it
        if doomed and may_remove(node):
            removed_aliases.update(id(a) for a in doomed)
            result.removed.append((node, [dotted_name(node, a) for a in doomed]))
            doomed_by_statement.append((node, doomed))
    for node, doomed in doomed_by_statement:
        result.edits.extend(_remove_aliases(locator, node, doomed, parent_of(tree, node)))
    if not stand_ins and not literal:
        return result
    taken = bound_names(tree, star_exports)
    for statement, doomed in doomed_by_statement:
        for alias in doomed:
            name = _bound_name(alias)
            kept = [a for a in statement.names if id(a) not in removed_aliases and _bound_name(a) == name]
            if not kept:  # the statement no longer binds this name
                taken[name] = [n for n in taken.get(name, []) if n is not statement]
    existing = _module_imports(tree, removed_aliases)

    def reusable(key: tuple[str, str], first_use: int | None) -> str | None:
        """The local name of an existing import of ``key`` that runs before the new code's
        first use of it: one further down (a later notebook cell) would bind it too late
        for a helper called earlier, which no check of the module's own order sees."""
        found = existing.get(key)
        if found is None:
            return None
        local, statement = found
        return local if first_use is None or locator.start(statement) < first_use else None

    chosen_names: set[str] = set()
    additions: dict[tuple[str, str], str] = {}  # (module, name) -> local name to import it as
    first_uses: dict[tuple[str, str], int | None] = {}
    for stand_in, wanted in sorted(stand_ins.items(), key=lambda item: item[1]):
        at = staged.text.find(stand_in)
        local = reusable((wanted.module, wanted.name), at if at >= 0 else None)
        if local is None:
            local = _free_name(wanted.wanted, taken, chosen_names, stand_ins)
            additions[(wanted.module, wanted.name)] = local
            first_uses[(wanted.module, wanted.name)] = at if at >= 0 else None
        chosen_names.add(local)
        result.chosen[stand_in] = local
    for module, name in sorted(literal):
        local = name or module.split(".")[0]
        first_use = _first_use(staged.text, written, local)
        if reusable((module, name), first_use) is not None:
            continue
        holders = [n for n in taken.get(local, []) if not _imports_exactly(n, module, name)]
        if holders:
            line = getattr(holders[0], "lineno", None)
            raise ImportClash(f"`{local}` is already bound" + (f" at {line_ref(line)}" if line else ""))
        additions[(module, name)] = local
        first_uses[(module, name)] = first_use
    top = _insertion_point(tree, locator, is_target)
    beside = _beside_their_package(tree, locator, additions, first_uses, top, leaving)
    if installs:
        beside.update(_after_their_install(tree, locator, staged.text, additions, result.chosen, stand_ins, written,
                                           installs, top, beside))
    replaced = _where_replaced(tree, locator, staged.text, additions, result.chosen, stand_ins, written,
                               doomed_by_statement, top, beside, parts)
    for at in set(replaced.values()):
        _take_place(at, result.edits, locator)
    beside.update(replaced)
    at_top = {key: local for key, local in additions.items() if key not in beside}
    result.edits.extend(_additions(tree, locator, at_top, result.edits, is_target))
    groups = _grouped(beside, additions)
    uses = _uses(staged.text, written, result.chosen, additions)
    again = _repeated(tree, locator, additions, doomed_by_statement, result.edits, uses, is_target,
                      {key: at for key, at in beside.items() if key not in replaced}, replaced, parts)
    for at, wanted in again.items():
        groups.setdefault(at, {}).update(wanted)
    for at, wanted in groups.items():
        result.edits.append(Edit(at, at, _import_lines(wanted, locator.newline)))
    return result


def _where_replaced(tree: ast.Module, locator: Locator, text: str, additions: dict[tuple[str, str], str],
                    chosen: dict[str, str], stand_ins: dict[str, Symbol], written: Sequence[tuple[int, int]],
                    doomed: list[tuple[ast.Import | ast.ImportFrom, list[ast.alias]]], top: int,
                    placed: dict[tuple[str, str], int], parts: Sequence[int]) -> dict[tuple[str, str], int]:
    """Where each new import goes when the code that first runs it is in a later part of the
    program (``parts``: where each part that may run on its own begins, as a notebook's cells do)
    than the top, in a part that imported its own old names: in the first of those imports' places,
    so the part still runs without the ones above it (audit w: a tutorial's optional first cell
    got every cell's new imports)."""
    if not parts:
        return {}
    removed = _removed_by_part(tree, locator, doomed, parts, top)
    if not removed:
        return {}
    functions = [(locator.start(s), locator.end(s), s.name) for s in tree.body
                 if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    found: dict[tuple[str, str], int] = {}
    for key, local in additions.items():
        if key in placed:
            continue
        spellings = [stand_in for stand_in, name in chosen.items() if name == local and stand_in in stand_ins] or [local]
        use = _first_run(text, written, spellings, functions)
        if use is None:
            continue
        part = _part_of(use, parts)
        start = removed.get(part)
        if part != _part_of(top, parts) and start is not None and start <= use:
            found[key] = start
    return found


def _part_of(offset: int, parts: Sequence[int]) -> int:
    """The index of the part holding ``offset`` (0: before the first mark)."""
    return bisect.bisect_right(parts, offset)


def _removed_by_part(tree: ast.Module, locator: Locator, doomed: list[tuple[ast.Import | ast.ImportFrom, list[ast.alias]]],
                     parts: Sequence[int], top: int) -> dict[int, int]:
    """Each part's first module-level import the fix removes names from, below ``top``: part -> where its line starts."""
    module_level = {id(statement) for statement in tree.body}
    found: dict[int, int] = {}
    for node, _ in doomed:
        start = locator.line_start(locator.start(node))
        if id(node) in module_level and start > top:
            part = _part_of(start, parts)
            found[part] = min(found.get(part, start), start)
    return found


def _beside_their_package(tree: ast.Module, locator: Locator, additions: dict[tuple[str, str], str],
                          first_uses: dict[tuple[str, str], int | None], top: int, leaving: set[int]) -> dict[tuple[str, str], int]:
    """Where each new import of a package the module already imports further down goes instead of
    the top: right after the first module-level import of that package, when that runs before the new
    code first needs it.  The package may not be importable until there (a notebook that installs
    it in an earlier cell: review 88, ``from mlflow.tracking import ...`` above ``!pip install mlflow``)."""
    anchors: dict[str, ast.stmt] = {}
    for statement in tree.body:
        if id(statement) in leaving:
            continue
        if isinstance(statement, (ast.Try, ast.If)):  # (``try: import mlflow`` / ``except ImportError: %pip ...``)
            inner = [node for node in ast.walk(statement) if isinstance(node, (ast.Import, ast.ImportFrom))]
        else:
            inner = [statement]
        for node in inner:
            if isinstance(node, ast.Import):
                packages = [_package(alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                packages = [_package(node.module)]
            else:
                continue
            for package in packages:
                anchors.setdefault(package, statement)
    found: dict[tuple[str, str], int] = {}
    for key in additions:
        anchor = anchors.get(_package(key[0]))
        use = first_uses.get(key)
        if anchor is None or use is None:
            continue
        after = locator.line_end(locator.end(anchor))
        if top < after <= use:
            found[key] = after
    return found


def _after_their_install(tree: ast.Module, locator: Locator, text: str, additions: dict[tuple[str, str], str],
                         chosen: dict[str, str], stand_ins: dict[str, Symbol], written: Sequence[tuple[int, int]],
                         installs: Mapping[str, int], top: int, placed: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Where each new import of a package the text installs on its way goes: right below the line
    that installs it, when nothing runs it sooner (audit g: ``import mlflow`` went into a notebook's
    first cell, above its ``!pip install mlflow`` cell).  A use inside a module-level function runs
    when the function is called, so its first call counts instead."""
    functions = [(locator.start(s), locator.end(s), s.name) for s in tree.body
                 if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
    found: dict[tuple[str, str], int] = {}
    for key, local in additions.items():
        installed = installs.get(_package(key[0]))
        if installed is None or installed <= top or locator.line_start(installed) != installed:
            continue  # (an install inside a block: an import below its line would end the block)
        spellings = [stand_in for stand_in, name in chosen.items() if name == local and stand_in in stand_ins] or [local]
        use = _first_run(text, written, spellings, functions)
        after = locator.line_end(installed)
        if use is not None and max(placed.get(key, 0), after) <= use:
            found[key] = max(placed.get(key, 0), after)
    return found


def _first_run(text: str, written: Sequence[tuple[int, int]], spellings: list[str],
               functions: list[tuple[int, int, str]], depth: int = 0) -> int | None:
    """Where the new code first runs one of ``spellings``: a use in a module-level function's body
    runs where the function is first called (as far as two calls deep; None beyond)."""
    spans = written if depth == 0 else [(0, len(text))]  # (a helper may be called by the program's own code)
    patterns = [re.compile(rf"(?<![\w.]){re.escape(spelling)}(?!\w)") for spelling in spellings]
    uses = sorted({m.start() for pattern in patterns for start, end in spans for m in pattern.finditer(text, start, end)})
    first: int | None = None
    for at in uses:
        holder = next((f for f in functions if f[0] <= at < f[1]), None)
        if holder is not None and holder[2] in spellings:
            continue  # the function's own definition
        if holder is None:
            return at if first is None else min(first, at)
        if depth >= 2:
            return None
        called = _first_run(text, written, [holder[2]], functions, depth + 1)
        if called is None:
            return None
        first = called if first is None else min(first, called)
    return first


def _package(module: str) -> str:
    """What one installation brings: the top-level package, or under the ``azure`` namespace the
    distribution's own part (``azure.ai.ml``, ``azure.identity``)."""
    parts = module.split(".")
    if parts[0] != "azure" or len(parts) == 1:
        return parts[0]
    return ".".join(parts[:3] if parts[1] == "ai" else parts[:2])


def _grouped(places: dict[tuple[str, str], int], additions: dict[tuple[str, str], str]) -> dict[int, dict[tuple[str, str], str]]:
    grouped: dict[int, dict[tuple[str, str], str]] = {}
    for key, at in places.items():
        grouped.setdefault(at, {})[key] = additions[key]
    return grouped


def _uses(text: str, written: Sequence[tuple[int, int]], chosen: dict[str, str],
          additions: dict[tuple[str, str], str]) -> dict[str, list[int]]:
    """Where the new code names each added import's local name (a stand-in, or a name it wrote literally)."""
    found: dict[str, list[int]] = {local: [] for local in additions.values()}
    for stand_in, local in chosen.items():
        if local in found:
            found[local].extend(m.start() for m in re.finditer(re.escape(stand_in), text))
    for local, places in found.items():
        pattern = re.compile(rf"(?<![\w.]){re.escape(local)}\b")
        places.extend(m.start() for start, end in written for m in pattern.finditer(text, start, end)
                      if not _on_comment_line(text, m.start()))
    return found


def _on_comment_line(text: str, at: int) -> bool:
    """Is ``at`` on a line that is a comment (a TODO a rewrite wrote that names the package)?  Such a
    mention is no use: counted as one, it had an import written twice, the first unused (audit e)."""
    return text[max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1:at].lstrip().startswith("#")


def _repeated(tree: ast.Module, locator: Locator, additions: dict[tuple[str, str], str],
              doomed: list[tuple[ast.Import | ast.ImportFrom, list[ast.alias]]], removals: list[Edit],
              uses: dict[str, list[int]], is_target: Callable[[str], bool],
              elsewhere: Mapping[tuple[str, str], int], replaced: Mapping[tuple[str, str], int],
              parts: Sequence[int]) -> dict[int, dict[tuple[str, str], str]]:
    """The new imports again where an old import that goes starts code that may run on its own: the
    first in a later part of the program (``parts``), or, without parts, one that imports names
    again (a later notebook cell).  Written again are those the code names both before it (so the
    earlier import is not left unused there) and after it (in its part, when there are parts).  Two
    old imports in one part, or in a row, get them once.  A new import written beside its package
    or its install (``elsewhere``) is not written again; one written in an old import's place
    (``replaced``) counts as written there.  Returns where each group goes."""
    first = _insertion_point(tree, locator, is_target)
    written_at = {local: replaced.get(key, first) for key, local in additions.items() if key not in elsewhere}
    again: dict[int, dict[tuple[str, str], str]] = {}
    bound_before: set[str] = set()
    repeats = {id(node) for node, aliases in doomed if len(aliases) == len(node.names)}
    starts = _removed_by_part(tree, locator, doomed, parts, first) if parts else {}
    for statement in tree.body:
        if not isinstance(statement, (ast.Import, ast.ImportFrom)):
            continue
        names = {_bound_name(a) for a in statement.names}
        start = locator.line_start(locator.start(statement))
        if parts:
            part = _part_of(start, parts)
            opens = starts.get(part) == start
            end = parts[part] if part < len(parts) else len(locator.source.text)
        else:
            opens = id(statement) in repeats and start > first and bool(names & bound_before)
            end = len(locator.source.text)
        bound_before |= names
        if not opens:
            continue
        wanted = {key: local for key, local in additions.items()
                  if local in written_at and written_at[local] < start and (not parts or _part_of(written_at[local], parts) < part)
                  and any(written_at[local] < p < start for p in uses[local]) and any(start < p < end for p in uses[local])}
        written_at.update({local: start for local in wanted.values()})
        if wanted:
            _take_place(start, removals, locator)
            again.setdefault(start, {}).update(wanted)
    return again


def _imports_exactly(node: ast.AST, module: str, name: str) -> bool:
    if isinstance(node, ast.ImportFrom) and not name:
        return False
    if isinstance(node, ast.ImportFrom):
        return node.module == module and any(a.name == name for a in node.names)
    if isinstance(node, ast.Import):
        return any(a.name == module or a.name.startswith(module + ".") for a in node.names) and not name
    return False


def _module_imports(tree: ast.Module, removed: set[int]) -> dict[tuple[str, str], tuple[str, ast.stmt]]:
    """(module, name) -> (local name, the first statement importing it), for module-level imports that stay."""
    found: dict[tuple[str, str], tuple[str, ast.stmt]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and not statement.level and statement.module:
            for alias in statement.names:
                if alias.name != "*" and id(alias) not in removed:
                    found.setdefault((statement.module, alias.name), (alias.asname or alias.name, statement))
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if id(alias) in removed:
                    continue
                if alias.asname:
                    found.setdefault((alias.name, ""), (alias.asname, statement))
                elif "." not in alias.name:
                    found.setdefault((alias.name, ""), (alias.name, statement))
    return found


def _first_use(text: str, written: Sequence[tuple[int, int]], name: str) -> int | None:
    """Where the new code (the ``written`` spans of ``text``) first names ``name``."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    starts = [m.start() for start, end in written if (m := pattern.search(text, start, end)) is not None]
    return min(starts) if starts else None


def _free_name(wanted: str, taken: dict[str, list[ast.AST]], chosen: set[str], stand_ins: dict[str, Symbol]) -> str:
    """``wanted`` when no other binding uses it anywhere in the module, else an alias."""
    def free(name: str) -> bool:
        return not taken.get(name) and name not in chosen and name not in stand_ins

    if free(wanted):
        return wanted
    suffix = "V2" if wanted[:1].isupper() else "_v2"
    candidate = f"{wanted}{suffix}"
    number = 2
    while not free(candidate):
        candidate = f"{wanted}{suffix}_{number}"
        number += 1
    return candidate


def _remove_aliases(locator: Locator, node: ast.Import | ast.ImportFrom, aliases: list[ast.alias],
                    parent: ast.AST | None) -> list[Edit]:
    if len(aliases) == len(node.names):
        return [statements.delete(locator, node, statements.is_alone(node, parent))]
    kind = "import_statement" if isinstance(node, ast.Import) else "import_from_statement"
    statement = locator.sg(node, kind)
    if statement is None:
        return []
    names = statement.field_children("name")
    edits: list[Edit] = []
    wanted = {(a.name, a.asname) for a in aliases}
    container = names[0].parent() if names else None
    if container is None:
        return []
    doomed = []
    for element in listedit.elements(container):
        node_text = element.node.text()
        if element.node.kind() == "aliased_import":
            key = (element.node.field("name").text(), element.node.field("alias").text())
        elif element.node.kind() == "dotted_name":
            key = (node_text, None)
        else:
            continue
        if key in wanted and element.node in names:
            doomed.append(element)
    edits.extend(listedit.delete_many(locator.source.text, container, doomed))
    return edits


def _insertion_point(tree: ast.Module, locator: Locator, is_target: Callable[[str], bool]) -> int:
    """Before the first module-level import of the old API, else after the last
    module-level import, else after the docstring."""
    body = tree.body
    for statement in body:
        if isinstance(statement, ast.Import) and any(is_target(a.name) for a in statement.names):
            return locator.line_start(locator.start(statement))
        if isinstance(statement, ast.ImportFrom) and statement.module and not statement.level and (
                is_target(statement.module)  # (``from <package> import <old module>`` too: audit 2f)
                or any(is_target(f"{statement.module}.{alias.name}") for alias in statement.names)):
            return locator.line_start(locator.start(statement))
    imports = [s for s in body if isinstance(s, (ast.Import, ast.ImportFrom))]
    if imports:
        return locator.line_end(locator.end(imports[-1]))
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        return locator.line_end(locator.end(body[0]))
    return 0


def _import_lines(wanted: dict[tuple[str, str], str], newline: str) -> str:
    plain = sorted((module, local) for (module, name), local in wanted.items() if not name)
    grouped: dict[str, list[str]] = {}
    for (module, name), local in sorted(wanted.items()):
        if name:
            grouped.setdefault(module, []).append(name if local == name else f"{name} as {local}")
    lines = "".join(f"import {module}{'' if local == module.split('.')[0] else f' as {local}'}{newline}"
                    for module, local in plain)
    return lines + "".join(f"from {module} import {', '.join(names)}{newline}" for module, names in sorted(grouped.items()))


def _additions(tree: ast.Module, locator: Locator, wanted: dict[tuple[str, str], str], removals: list[Edit],
               is_target: Callable[[str], bool]) -> list[Edit]:
    if not wanted:
        return []
    at = _insertion_point(tree, locator, is_target)
    _take_place(at, removals, locator)
    return [Edit(at, at, _import_lines(wanted, locator.newline))]


def _take_place(at: int, removals: list[Edit], locator: Locator) -> None:
    """New imports written at ``at`` take the place of a deleted import there: that deletion
    must not also swallow the blank line after it, or the spacing below shrinks."""
    for index, edit in enumerate(removals):
        own_end = locator.line_end(edit.start) if edit.start < len(locator.source.text) else edit.end
        if edit.start == at and not edit.text and edit.end > own_end:
            if not locator.source.text[own_end:edit.end].strip():
                removals[index] = Edit(edit.start, own_end, "")
