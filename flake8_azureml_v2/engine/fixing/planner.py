"""Decide which units to apply: all-or-nothing per group of dependent units."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from ..findings import Finding
from ..rule import FixSafety
from .units import FixContext, Unit, describe_use, snippet

# Given a finding, why it may not be fixed (noqa, not selected), or None.
Permission = Callable[[Finding], "str | None"]


@dataclass
class Decision:
    accepted: list[list[Unit]]  # groups, each applied whole
    left: list[tuple[Unit, str]]  # units not applied, with the reason


def _union_find(units: list[Unit]) -> tuple[Callable[[Unit], int], Callable[[Unit, Unit], None]]:
    index = {id(u): i for i, u in enumerate(units)}
    parent = list(range(len(units)))

    def find(unit: Unit) -> int:
        i = index[id(unit)]
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: Unit, b: Unit) -> None:
        parent[find(a)] = find(b)

    return find, union


def _enclosing(units: list[Unit], node: ast.AST, ctx: FixContext) -> Unit | None:
    """A refused unit whose own construct contains ``node``: its reason explains the use."""
    offset = ctx.locator.start(node)
    for unit in units:
        if unit.refusal is not None and ctx.locator.start(unit.node) <= offset < ctx.locator.end(unit.node):
            return unit
    return None


def decide(units: list[Unit], ctx: FixContext, permission: Permission, unsafe: bool) -> Decision:
    by_binding = {id(b): u for u in units for b in u.bindings}
    by_node = {id(u.node): u for u in units}
    consumer = {id(name): u for u in units for name in u.consumes}
    find, union = _union_find(units)

    for unit in units:
        for binding in unit.bindings:
            for use in binding.uses:
                if id(use) in unit.own_uses:
                    continue
                taker = consumer.get(id(use)) or _enclosing(units, use, ctx)
                if taker is None:
                    unit.refuse(
                        f"`{binding.name}` is also used at {describe_use(ctx.locator, ctx, use)}, "
                        "which this fix cannot translate"
                    )
                else:
                    union(unit, taker)
        for name in unit.consumes:
            binding = ctx.binding_of(name)
            owner = by_binding.get(id(binding)) if binding is not None else None
            if owner is None:
                unit.refuse(f"`{name.id}` (line {name.lineno}) holds something this fix cannot migrate")
            else:
                union(unit, owner)
        for node in unit.requires:
            needed = by_node.get(id(node))
            if needed is None:
                unit.refuse(f"line {node.lineno} (`{snippet(ctx.locator, node)}`) is not something this fix can migrate")  # type: ignore[attr-defined]
            else:
                union(unit, needed)

    groups: dict[int, list[Unit]] = {}
    for unit in units:
        groups.setdefault(find(unit), []).append(unit)

    decision = Decision([], [])
    for group in groups.values():
        reason = _group_blocker(group, ctx, permission, unsafe)
        if reason is None:
            decision.accepted.append(group)
        else:
            decision.left.extend((unit, unit.refusal or reason) for unit in group)
    return decision


def _group_blocker(group: list[Unit], ctx: FixContext, permission: Permission, unsafe: bool) -> str | None:
    for unit in group:
        if unit.refusal is not None:
            return f"depends on line {unit.node.lineno}: {unit.refusal}"  # type: ignore[attr-defined]
    for unit in group:
        if unit.safety is FixSafety.UNSAFE and not unsafe:
            return "unsafe fix (may change runtime behaviour): enable it with --unsafe-fixes"
        if unit.safety is FixSafety.MANUAL:
            return "no automatic fix: migrate by hand"
    for unit in group:
        for code, node in unit.findings:
            for finding in ctx.findings_at(node):
                if finding.code != code:
                    continue
                blocked = permission(finding)
                if blocked is not None:
                    return f"line {finding.line}: {blocked}"
    return None
