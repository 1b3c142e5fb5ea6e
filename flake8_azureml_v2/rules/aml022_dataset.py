"""AML022: the v1 ``Dataset`` factories (Dataset.File.from_files, Dataset.Tabular.*, get_by_name)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.context import Context
from ..engine.nodes import parent_of
from ..migrations import fixer
from ._matchers import attribute_reads, member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit
from ._shared import WORKSPACE

DATASET = "azureml.core.Dataset"
_DEFAULT_V2 = 'Input(type="uri_file"/"uri_folder"/"mltable", path=...) or ml_client.data'
_REGISTERED = ('an "azureml:<name>@latest" input path or ml_client.data.get(name, label="latest") '
               '(":<version>" or version=str(v) for a given version)')


def _v2_form(member: str) -> str:
    if member.startswith("File."):
        return 'Input(type="uri_file" or "uri_folder", path=...)'
    if member.startswith("Tabular."):
        return 'Input(type="mltable", path=<folder with an MLTable file>)'
    if member in ("get_by_name", "get_by_id"):
        return _REGISTERED
    return _DEFAULT_V2


_FACTORIES = member_calls(DATASET, _v2_form)
_LISTED = attribute_reads(WORKSPACE, "datasets")
_ALL_REGISTERED = "ml_client.data.list() (the names), then ml_client.data.get(name, label=\"latest\")"


def detect(ctx: Context) -> Iterator[Hit]:
    """The Dataset factories and look-ups, and the workspace's registered datasets: ``ws.datasets[name]``
    and ``ws.datasets.get(name)`` (which fix migrates: audit i, check did not show them), or the whole
    dictionary."""
    yield from _FACTORIES(ctx)
    for node in _LISTED(ctx):
        above = parent_of(ctx.model.tree, node)
        call = parent_of(ctx.model.tree, above) if isinstance(above, ast.Attribute) else None
        if isinstance(above, ast.Subscript) and above.value is node:
            yield above, f"ws.datasets[...] is Azure ML SDK v1; use {_REGISTERED}"
        elif isinstance(above, ast.Attribute) and above.attr == "get" and isinstance(call, ast.Call):
            yield call, f"ws.datasets.get() is Azure ML SDK v1; use {_REGISTERED}"
        else:
            yield node, f"ws.datasets is Azure ML SDK v1; use {_ALL_REGISTERED}"


detect.sg_rule = {"any": [_FACTORIES.sg_rule, _LISTED.sg_rule]}  # type: ignore[attr-defined]


RULE = Rule(
    code="AML022",
    name="dataset",
    family=Family.ASSETS,
    v1="Dataset.File.from_files()",
    v2=_DEFAULT_V2,
    article="migrate-to-v2-assets-data",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "v2 has no dataset objects: a job input is a typed URI. A FileDataset becomes a "
        "uri_folder (uri_file for one file), a TabularDataset becomes an mltable, which needs "
        "an MLTable file. Several paths or globs have no single-input equivalent. Registered v1 "
        "datasets can still be consumed as 'azureml:<name>:<version>'."
    ),
    example="ds = Dataset.File.from_files(path='https://example.blob.core.windows.net/data/titanic.csv')",
    use_instead='titanic = Input(type="uri_file", path="https://example.blob.core.windows.net/data/titanic.csv")',
    fixer=fixer("dataset"),
)
