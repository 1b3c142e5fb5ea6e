"""The migration for AML022: v1 datasets (Dataset.File.from_files, Dataset.Tabular.*, get_by_name, register)."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from .data_bindings import providers, registrations


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """A dataset variable goes once the jobs that read it carry its path in their own
    ``Input`` (AML002/AML003 do that); ``register()`` becomes a data asset."""
    yield from providers(ctx, "AML022", "dataset -> the Input(...) of the jobs that read it")
    yield from registrations(ctx)
