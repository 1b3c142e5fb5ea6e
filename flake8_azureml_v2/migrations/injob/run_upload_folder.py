"""The migration for AML018: ``run.upload_folder(name, path)`` uploads a folder to the v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import bind, keep_order, literal_str, new_unit, replace, run_calls, text

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

