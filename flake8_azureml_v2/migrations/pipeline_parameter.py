"""The migration for AML068: ``PipelineParameter`` declares a v1 pipeline parameter."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._common import absorbed_bindings


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """A PipelineParameter passed to steps becomes a parameter of the @dsl.pipeline
    function (AML003/AML004 do that); the v1 variable is then deleted."""
    yield from absorbed_bindings(ctx, "azureml.pipeline.core.PipelineParameter", "AML068",
                                 "PipelineParameter() -> a parameter of the pipeline function")


