"""The migration for AML022: the v1 ``Dataset`` factories (Dataset.File.from_files, Dataset.Tabular.*, get_by_name)."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._common import absorbed_bindings

# Datasets the fixer can turn into Input(type=..., path=...): one literal path or a registered name.
DATASET_SOURCES = (
    "azureml.core.Dataset.File.from_files",
    "azureml.core.Dataset.Tabular.from_delimited_files",
    "azureml.core.Dataset.Tabular.from_parquet_files",
    "azureml.core.Dataset.Tabular.from_json_lines_files",
    "azureml.core.Dataset.get_by_name",
)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """A file dataset used only as a job argument is inlined there as an Input
    (AML002 builds the Input); the v1 variable is then deleted."""
    yield from absorbed_bindings(ctx, DATASET_SOURCES, "AML022", "dataset inlined as Input(...) where it is used")


