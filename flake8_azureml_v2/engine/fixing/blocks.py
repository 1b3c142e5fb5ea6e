"""Which statements run whenever another did: the order of blocks within one function.

An import that a later one binds again is unused only if the later one always runs, or if
every read of the name comes after it in its own block.
"""

from __future__ import annotations

import ast

from ..nodes import all_nodes, parent_of


def reads_follow(tree: ast.Module, name: str, first: ast.stmt, again: ast.stmt) -> bool:
    """Does every read of ``name`` below ``first`` come after ``again`` in its own block (or in a
    block nested there), so that no read can reach ``first``'s binding when ``again`` did not run?"""
    for node in all_nodes(tree):
        if node.__class__ is ast.Name and node.id == name and isinstance(node.ctx, ast.Load) \
                and node.lineno > first.lineno and not _after_in_block(tree, again, node):
            return False
    return True


def _after_in_block(tree: ast.Module, statement: ast.stmt, node: ast.AST) -> bool:
    """Is ``node`` in a statement that follows ``statement`` in ``statement``'s block?"""
    current = node
    while True:
        parent = parent_of(tree, current)
        if parent is None or isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return False
        for slot in ("body", "orelse", "finalbody"):
            block = getattr(parent, slot, None)
            if isinstance(block, list) and any(s is current for s in block):
                positions = {id(s): index for index, s in enumerate(block)}
                if id(statement) in positions:
                    return positions[id(statement)] < positions[id(current)]
        current = parent


def runs_after(tree: ast.Module, first: ast.stmt, second: ast.stmt) -> bool:
    """Does ``second`` run whenever ``first`` did: is it in the block that holds ``first``, or in
    one that encloses it (within one function)?"""
    current: ast.AST = first
    while True:
        parent = parent_of(tree, current)
        if parent is None:
            return False
        for slot in ("body", "orelse", "finalbody"):
            block = getattr(parent, slot, None)
            if isinstance(block, list) and any(s is current for s in block) and any(s is second for s in block):
                return True
        if isinstance(parent, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
        current = parent
