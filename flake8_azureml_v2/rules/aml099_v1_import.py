"""AML099: any remaining Azure ML SDK v1 import (the catch-all)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.context import Context
from ..v1api import is_v1
from ._matchers import IN_JOB_CALL, V1_IMPORT, v1_import_sites
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit
from ._training import training_evidence


def detect(ctx: Context) -> Iterator[Hit]:
    """Every v1 import outside training scripts (those get AML010 instead)."""
    sites = v1_import_sites(ctx)
    if not sites or training_evidence(ctx) is not None:
        return
    for site in sites:
        yield site.node, (
            f"import of {_module(site.node, site.v1_modules)} (Azure ML SDK v1); "
            "use azure.ai.ml (azure-ai-ml) and MLflow instead"
        )


def _module(node: ast.Import | ast.ImportFrom, v1_modules: tuple[str, ...]) -> str:
    if isinstance(node, ast.ImportFrom) and node.module and is_v1(node.module):
        return node.module
    return v1_modules[0]


RULE = Rule(
    code="AML099",
    name="v1-import",
    family=Family.CATCH_ALL,
    v1="import azureml.* (SDK v1)",
    v2="azure.ai.ml (azure-ai-ml) and MLflow",
    article="how-to-migrate-from-v1",
    fix_safety=FixSafety.SAFE,
    removes_unused_imports=True,
    detect=detect,
    why=(
        "SDK v1 reached end of support on 2026-06-30. This catch-all flags every v1 "
        "import so that a CI gate blocks new v1 code even where no specific rule "
        "applies. v2-era packages under the azureml namespace (azureml.rag, "
        "azureml.fsspec, azureml.mlflow and others) are not flagged. The fix removes "
        "an import only once nothing uses the names it binds."
    ),
    example="from azureml.core import Workspace",
    use_instead="from azure.ai.ml import MLClient",
    sg_rule={**V1_IMPORT, "not": {"any": [V1_IMPORT["not"], {"inside": {"kind": "module", "stopBy": "end", "has": IN_JOB_CALL}}]}},
)
