"""The migration for AML006: ``OutputFileDatasetConfig`` declares a v1 job output."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._common import absorbed_bindings

OUTPUT_CONFIG = "azureml.data.OutputFileDatasetConfig"


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """An output used only as a job argument becomes an Output of that job
    (AML002 declares it); the v1 variable is then deleted."""
    yield from absorbed_bindings(ctx, OUTPUT_CONFIG, "AML006", "OutputFileDatasetConfig() -> Output(...)")


