"""The migration for AML005: ``PipelineData`` declares intermediate data between v1 steps."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from .data_bindings import providers


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """A PipelineData passed between steps becomes a step output bound in the pipeline
    body (AML003/AML004 do that); the v1 variable is then deleted."""
    yield from providers(ctx, "AML005", "PipelineData() -> Output(...)")
