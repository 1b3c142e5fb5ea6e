"""What an import does beyond binding its names: it loads modules.

``import xml`` alone does not load ``xml.dom``; ``xml.dom.minidom`` works only once some
import (``from xml.dom import Node``) has.  pyflakes calls such an import unused when nothing
reads ``Node``, and removing it would make the attribute read fail.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection

from ..nodes import all_nodes, parent_of

_IMPORTS = frozenset({ast.Import, ast.ImportFrom})


def loads_read_submodule(node: ast.Import | ast.ImportFrom, tree: ast.Module, text: str | None = None,
                         leaving: Collection[int] = ()) -> tuple[str, str, int] | None:
    """(submodule, attribute chain, line) when this import is what loads a submodule the module
    reads as an attribute of a plain ``import package`` (``xml.dom.minidom`` after ``import
    xml`` works only once some import has loaded ``xml.dom``).  None when no such read
    exists, or another import that runs before the read, and stays, loads it too (``leaving``
    holds the ids of the import statements that go).

    An import from the same package may load any of its submodules on the way (v1's
    ``azureml.core`` loads ``azureml._restclient``), so a read of a submodule that no
    kept import names (the submodule's text ends in ``?``) keeps it too."""
    loaded_parts = [parts for parts in _loaded(node) if len(parts) > 1]
    if not loaded_parts:
        return None
    if text is not None and not any(_plain_import(package).search(text) for package in {p[0] for p in loaded_parts}):
        return None  # (``text`` is ``tree``'s: no plain import of the package, no walk of the tree)
    chains, covering = _package_chains(tree)
    for chain, line, deferred in chains:
        if line < node.lineno and not deferred:
            continue  # read before this import runs: something else loaded it
        for parts in loaded_parts:
            shared = _shared_prefix(parts, chain)
            if shared >= 2 and not any(
                    _shared_prefix(other, chain) >= shared and at < line and statement not in leaving
                    and statement != id(node) for other, statement, at in covering):
                return ".".join(chain[:shared]), ".".join(chain), line
        if any(chain[0] == parts[0] for parts in loaded_parts) and not chain[1].startswith("__") and not any(
                _shared_prefix(other, chain) >= 2 and at < line and statement not in leaving
                and statement != id(node) for other, statement, at in covering):
            return ".".join(chain[:2]) + "?", ".".join(chain), line
    return None


def _loaded(node: ast.Import | ast.ImportFrom) -> list[tuple[str, ...]]:
    """The dotted modules an import statement loads (a ``from`` import's names may be modules)."""
    if isinstance(node, ast.Import):
        return [tuple(alias.name.split(".")) for alias in node.names]
    if node.level or not node.module:
        return []
    return [tuple(f"{node.module}.{a.name}".split(".")) if a.name != "*" else tuple(node.module.split("."))
            for a in node.names] + [tuple(node.module.split("."))]


def _plain_import(package: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*import[ \t][^\n#]*\b{re.escape(package)}\b", re.MULTILINE)


_CHAINS = "_azureml_v2_package_chains"  # kept on the tree, as nodes.py keeps its index


def _package_chains(tree: ast.Module) -> tuple[list[tuple[tuple[str, ...], int, bool]],
                                                list[tuple[tuple[str, ...], int, int]]]:
    """The attribute chains read through a name a plain ``import package`` binds (outermost
    only, with their lines, and whether a function reads them, at a time its line does not
    tell), and the dotted modules every import statement loads, with the statement's id and
    line (``import package.sub as alias`` loads ``package.sub`` too)."""
    kept = getattr(tree, _CHAINS, None)
    if kept is not None:
        return kept
    nodes = all_nodes(tree)
    covering = [(parts, id(node), node.lineno) for node in nodes if node.__class__ in _IMPORTS
                for parts in _loaded(node)]  # type: ignore[arg-type]
    roots = {alias.name.split(".")[0] for node in nodes if node.__class__ is ast.Import
             for alias in node.names if alias.asname is None}
    chains: list[tuple[tuple[str, ...], int, bool]] = []
    if roots:
        inner: set[int] = set()
        for node in nodes:
            if node.__class__ is ast.Attribute and node.value.__class__ is ast.Attribute:
                inner.add(id(node.value))
        for node in nodes:
            if node.__class__ is not ast.Attribute or id(node) in inner:
                continue
            parts: list[str] = []
            current: ast.expr = node
            while isinstance(current, ast.Attribute):
                parts.append(current.attr)
                current = current.value
            if isinstance(current, ast.Name) and current.id in roots and isinstance(current.ctx, ast.Load):
                chains.append(((current.id, *reversed(parts)), node.lineno, _in_a_function(tree, node)))
    found = (chains, covering)
    setattr(tree, _CHAINS, found)
    return found


def _in_a_function(tree: ast.Module, node: ast.AST) -> bool:
    current = parent_of(tree, node)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        current = parent_of(tree, current)
    return current is not None


def _shared_prefix(one: tuple[str, ...], other: tuple[str, ...]) -> int:
    count = 0
    for a, b in zip(one, other):
        if a != b:
            break
        count += 1
    return count
