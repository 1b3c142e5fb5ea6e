"""All import edits in one place: add the v2 imports a rewrite needs, once, and
remove v1 names that nothing uses any more.

A name counts as used when any ``Name`` node anywhere in the module spells it,
so a name that is still used is never removed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from ..names import Model, Ref
from ..v1api import is_v1
from . import listedit, statements
from .edits import Edit
from .locate import Locator


class ImportClash(Exception):
    """A v2 name to import is already bound to something else."""


@dataclass
class ImportChanges:
    edits: list[Edit] = field(default_factory=list)
    removed: list[tuple[int, str]] = field(default_factory=list)  # (line, dotted name)


def _bound_name(alias: ast.alias) -> str:
    return alias.asname or alias.name.split(".")[0]


def _loaded_names(tree: ast.Module) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Store)}


def unused_v1_aliases(model: Model, dead: set[str] = frozenset()) -> list[tuple[ast.Import | ast.ImportFrom, ast.alias, str]]:
    """v1 aliases nothing uses; ``dead`` names were used only by rewritten v1 code."""
    used = _loaded_names(model.tree) - set(dead)
    found = []
    for site in model.imports:
        node = site.node
        for alias in node.names:
            if alias.name == "*":
                continue
            dotted = alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
            if is_v1(dotted) and _bound_name(alias) not in used:
                found.append((node, alias, dotted))
    return found


def plan(
    model: Model,
    locator: Locator,
    required: set[tuple[str, str]],
    may_remove: Callable[[ast.stmt], bool],
    dead: set[str],
) -> ImportChanges:
    changes = ImportChanges()
    removals: dict[int, tuple[ast.Import | ast.ImportFrom, list[ast.alias]]] = {}
    for node, alias, dotted in unused_v1_aliases(model, dead):
        if not may_remove(node):
            continue
        removals.setdefault(id(node), (node, []))[1].append(alias)
        changes.removed.append((node.lineno, dotted))
    parents = {id(child): parent for parent in ast.walk(model.tree) for child in ast.iter_child_nodes(parent)}
    for node, aliases in removals.values():
        changes.edits.extend(_remove_aliases(locator, node, aliases, parents))
    additions = _additions(model, locator, required, dead)
    for added in additions:
        # The new imports take the place of a deleted v1 import: that deletion must
        # not also swallow the blank line after it, or the spacing below shrinks.
        for index, edit in enumerate(changes.edits):
            own_end = locator.line_end(edit.start) if edit.start < len(locator.source.text) else edit.end
            if edit.start == added.start and not edit.text and edit.end > own_end:
                removed = locator.source.text[edit.start:edit.end]
                if not removed[own_end - edit.start:].strip():
                    changes.edits[index] = Edit(edit.start, own_end, "")
    changes.edits.extend(additions)
    return changes


def _remove_aliases(locator: Locator, node: ast.Import | ast.ImportFrom, aliases: list[ast.alias],
                    parents: dict[int, ast.AST]) -> list[Edit]:
    if len(aliases) == len(node.names):
        return [statements.delete(locator, node, statements.is_alone(node, parents.get(id(node))))]
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
    for element in listedit.elements(container):
        node_text = element.node.text()
        if element.node.kind() == "aliased_import":
            key = (element.node.field("name").text(), element.node.field("alias").text())
        elif element.node.kind() == "dotted_name":
            key = (node_text, None)
        else:
            continue
        if key in wanted and element.node in names:
            edits.extend(listedit.delete(locator.source.text, container, element))
    return edits


def _module_level_imports(model: Model) -> list[ast.stmt]:
    return [s for s in model.tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]


def _insertion_point(model: Model, locator: Locator) -> int:
    body = model.tree.body
    for statement in body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            names = [a.name if isinstance(statement, ast.Import) else f"{statement.module}" for a in statement.names]
            if any(n and is_v1(n if isinstance(statement, ast.Import) else n) for n in names):
                return locator.line_start(locator.start(statement))
    imports = _module_level_imports(model)
    if imports:
        return locator.line_end(locator.end(imports[-1]))
    first = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        return locator.line_end(locator.end(body[0]))
    return first


def _additions(model: Model, locator: Locator, required: set[tuple[str, str]], dead: set[str]) -> list[Edit]:
    """``(module, name)`` adds ``from module import name``; ``(module, "")`` adds ``import module``."""
    missing: dict[str, list[str]] = {}
    plain: list[str] = []
    for module, name in sorted(required):
        if not name:
            top = module.split(".")[0]
            binding = model.module_scope.names.get(top)
            if binding is not None and isinstance(binding.value, Ref) and binding.value.qualname in (top, module):
                if top == module or any(module in site.modules for site in model.imports):
                    continue
            elif binding is not None:
                raise ImportClash(f"`{top}` is already bound at line {binding.node.lineno}")  # type: ignore[attr-defined]
            plain.append(module)
            continue
        binding = model.module_scope.names.get(name)
        if binding is not None:
            if isinstance(binding.value, Ref) and binding.value.qualname == f"{module}.{name}":
                continue
            if name not in dead and not _is_unused_v1(model, name):
                raise ImportClash(f"`{name}` is already bound at line {binding.node.lineno}")  # type: ignore[attr-defined]
        missing.setdefault(module, []).append(name)
    if not missing and not plain:
        return []
    at = _insertion_point(model, locator)
    newline = locator.newline
    lines = "".join(f"import {module}{newline}" for module in plain)
    lines += "".join(f"from {module} import {', '.join(names)}{newline}" for module, names in sorted(missing.items()))
    return [Edit(at, at, lines)]


def _is_unused_v1(model: Model, name: str) -> bool:
    return any(_bound_name(alias) == name for _, alias, _ in unused_v1_aliases(model))
