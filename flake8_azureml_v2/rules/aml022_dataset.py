"""AML022: the v1 ``Dataset`` factories (Dataset.File.from_files, Dataset.Tabular.*, get_by_name)."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

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


# Datasets the fixer can turn into Input(type=..., path=...): one literal path or a registered name.


RULE = Rule(
    code="AML022",
    name="dataset",
    family=Family.ASSETS,
    v1="Dataset.File.from_files()",
    v2=_DEFAULT_V2,
    article="migrate-to-v2-assets-data",
    fix_safety=FixSafety.UNSAFE,
    detect=member_calls(DATASET, _v2_form),
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
