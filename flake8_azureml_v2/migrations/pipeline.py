"""The migration for AML004: ``Pipeline`` builds a v1 pipeline from steps."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from .pipelines import plan_pipeline

PIPELINE = "azureml.pipeline.core.Pipeline"


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``p = Pipeline(ws, steps=[...])`` -> a ``@dsl.pipeline`` function and its call."""
    for site in ctx.model.calls_to(PIPELINE):
        unit = Rewrite("AML004", site.node, "Pipeline() -> @dsl.pipeline function")
        unit.binding = ctx.assigned_binding(site.node)  # so that a refusal explains its users too
        try:
            plan = plan_pipeline(site.node, ctx)
        except ValueError as reason:
            yield unit.refuse(str(reason))
            continue
        unit.binding = plan.binding
        unit.edits.extend(plan.edits)
        unit.consumes.extend(plan.consumes)
        unit.requires.extend(plan.requires)
        yield unit


