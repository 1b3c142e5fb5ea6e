"""Every node of a syntax tree, listed once per tree.

``ast.walk`` builds a generator per node; the fixer asks for the same tree's
nodes many times per pass (imports, fresh names, parents, blocks), so the list
and the parent map are made in one walk and kept on the tree, which nothing
mutates once parsed.
"""

from __future__ import annotations

import ast

_NODES = "_azureml_v2_nodes"
_PARENTS = "_azureml_v2_parents"


def _index(tree: ast.AST) -> tuple[list[ast.AST], dict[int, ast.AST]]:
    nodes: list[ast.AST] = [tree]
    parents: dict[int, ast.AST] = {}
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
    setattr(tree, _NODES, nodes)
    setattr(tree, _PARENTS, parents)
    return nodes, parents


def all_nodes(tree: ast.AST) -> list[ast.AST]:
    """``list(ast.walk(tree))``, computed once."""
    cached = getattr(tree, _NODES, None)
    return cached if cached is not None else _index(tree)[0]


def parents(tree: ast.AST) -> dict[int, ast.AST]:
    """``id(node)`` -> its parent, for every node under ``tree``."""
    cached = getattr(tree, _PARENTS, None)
    return cached if cached is not None else _index(tree)[1]
