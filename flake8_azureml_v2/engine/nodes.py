"""Every node of a syntax tree, listed once per tree.

``ast.walk`` builds a generator per node; the fixer asks for the same tree's
nodes many times per pass (imports, fresh names, parents, blocks), so the list
and the parent map are made in one walk and kept on the tree, which nothing
mutates once parsed.  What is kept never refers to the tree itself: a tree that
held itself would be a reference cycle, freed (with everything else of its file)
only by the cyclic collector walking it all.
"""

from __future__ import annotations

import ast

_INDEX = "_azureml_v2_index"  # (nodes, parents, ids of top-level children): one attribute, one look-up


def _index(tree: ast.AST) -> tuple[list[ast.AST], dict[int, ast.AST], set[int]]:
    """The nodes below ``tree`` in ``ast.walk``'s order, the parent of each node whose
    parent is not ``tree``, and the ids of ``tree``'s own children."""
    nodes: list[ast.AST] = list(ast.iter_child_nodes(tree))
    parents: dict[int, ast.AST] = {}
    top = {id(child) for child in nodes}
    position = 0
    while position < len(nodes):  # breadth first, in ast.walk's order
        node = nodes[position]
        position += 1
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                nodes.append(value)
                parents[id(value)] = node
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        nodes.append(item)
                        parents[id(item)] = node
    setattr(tree, _INDEX, (nodes, parents, top))
    return nodes, parents, top


def _kept(tree: ast.AST) -> tuple[list[ast.AST], dict[int, ast.AST], set[int]]:
    return getattr(tree, _INDEX, None) or _index(tree)


def all_nodes(tree: ast.AST) -> list[ast.AST]:
    """``list(ast.walk(tree))``, the walk made once."""
    return [tree, *_kept(tree)[0]]


def declared_outside(tree: ast.AST, name: str) -> bool:
    """A ``global name`` or ``nonlocal name`` anywhere in ``tree``: a function may bind the name
    again, wherever it is called."""
    return any(isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names for node in all_nodes(tree))


def parent_of(tree: ast.AST, node: ast.AST) -> ast.AST | None:
    """The parent of ``node`` under ``tree`` (None for the tree itself and nodes not in it)."""
    _, parents, top = _kept(tree)
    return tree if id(node) in top else parents.get(id(node))


def same_tree(one: object, other: object) -> bool:
    """Two syntax trees with the same nodes and values, positions aside (what ``ast.dump``
    compares; ``ast.dump`` itself leaves a reference cycle behind on every call)."""
    if isinstance(one, ast.AST):
        return type(one) is type(other) and all(
            same_tree(getattr(one, name, None), getattr(other, name, None)) for name in one._fields)
    if isinstance(one, list):
        return isinstance(other, list) and len(one) == len(other) and all(map(same_tree, one, other))
    return one == other and type(one) is type(other)
