"""The migration for AML006: ``OutputFileDatasetConfig`` declares a v1 job output."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from .data_bindings import providers


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """An output used only as a job argument becomes an Output of that job
    (AML002/AML003 declare it); the v1 variable is then deleted."""
    yield from providers(ctx, "AML006", "OutputFileDatasetConfig() -> Output(...)")
