"""The migration for AML040: the v1 ``Experiment(...)`` constructor."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing import statements
from ..engine.fixing.rewrite import FixContext, Rewrite
from .submission import experiment_parts

EXPERIMENT = "azureml.core.Experiment"


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``experiment = Experiment(ws, 'x')`` is deleted; its submits carry the name."""
    for site in ctx.model.calls_to(EXPERIMENT):
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue  # an inline Experiment(...).submit() is rewritten with its submit (AML001)
        unit = Rewrite("AML040", site.node, "Experiment() removed: its name moves to experiment_name=", binding=binding)
        try:
            workspace, name = experiment_parts(site.node, ctx)
        except ValueError as reason:
            yield unit.refuse(str(reason))
            continue
        unit.consumes.append(workspace)
        unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
        # Kept alive for code that still needs the v1 experiment (get_runs, RunDetails...):
        # the statement stays as it is and the migrated submits carry the name.
        unit.alive_edits = []
        unit.alive_description = "Experiment kept for the v1 code that still uses it"
        unit.counterpart = unit.alive_counterpart = ctx.locator.text(name)
        for use in binding.uses:
            parent = ctx.parent(use)
            if isinstance(parent, ast.Attribute) and parent.attr == "name" and not isinstance(ctx.parent(parent), ast.Call):
                unit.edits.append(statements.replace(ctx.locator, parent, ctx.locator.text(name)))
                unit.own_uses.add(id(use))
        yield unit


