"""The migration for AML007: ``RunConfiguration`` holds v1 run settings."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite

RUN_CONFIGURATION = "azureml.core.RunConfiguration"


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Only the simplest form is automated: ``rc = RunConfiguration()`` whose one setting is
    ``rc.environment = env``; a step that takes ``runconfig=rc`` gets ``environment=env``
    (AML003) and both statements go. Anything richer is left for a human."""
    for site in ctx.model.calls_to(RUN_CONFIGURATION):
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue
        unit = Rewrite("AML007", site.node, "RunConfiguration() folded into the components' environment=",
                    binding=binding)
        if site.node.args or site.node.keywords:
            yield unit.refuse("RunConfiguration(...) with arguments: migrate it by hand")
            continue
        unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
        for use in binding.uses:
            target = ctx.parent(use)
            statement = ctx.parent(target) if target is not None else None
            if (isinstance(target, ast.Attribute) and target.attr == "environment"
                    and isinstance(statement, ast.Assign) and statement.targets == [target]):
                unit.edits.append(ctx.delete(statement))
                unit.own_uses.add(id(use))
        yield unit


