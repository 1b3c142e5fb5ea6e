"""AML018: ``run.upload_folder(name, path)`` uploads a folder to the v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import method_calls
from ._rule import AmlRule as Rule, Family, FixSafety
from ._injob import bind, keep_order, literal_str, new_unit, replace, run_calls, text
from ._shared import RUN

SIGNATURE = ["name", "path", "datastore_name"]


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name, path = bound.values.get("name"), bound.values.get("path")
    if "datastore_name" in bound.values:
        unit.refuse("datastore_name= has no MLflow counterpart")
        return
    if name is None or path is None:
        unit.refuse("run.upload_folder() without both a name and a folder")
        return
    keep_order(unit, [path, name])
    arguments = text(ctx, path)
    if literal_str(ctx, name) not in ("", "."):
        arguments += f", artifact_path={text(ctx, name)}"
    replace(ctx, unit, call, f"mlflow.log_artifacts({arguments})")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.upload_folder(name, folder)`` -> ``mlflow.log_artifacts(folder, artifact_path=name)``."""
    for site in run_calls(ctx, "upload_folder"):
        unit = new_unit(ctx, site, "AML018", "run.upload_folder() -> mlflow.log_artifacts() under the same name")
        _rewrite(ctx, unit, site.node)
        yield unit

RULE = Rule(
    code="AML018",
    name="run-upload-folder",
    family=Family.IN_JOB,
    v1="run.upload_folder()",
    v2="mlflow.log_artifacts(path, artifact_path=name)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "upload_folder"),
    why=(
        "mlflow.log_artifacts uploads a local folder's contents under an artifact path. "
        "Note the argument order flips: the local folder comes first in MLflow, the "
        "destination name first in v1. v1's datastore_name has no MLflow counterpart."
    ),
    example="run.upload_folder('plots', './plots')",
    use_instead="mlflow.log_artifacts('./plots', artifact_path='plots')",
    fixer=fix,
)
