"""The migration for AML017: ``run.upload_file(name, path)`` uploads a file to the v1 run."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator

from ...engine.fixing.arguments import py_str
from ...engine.fixing.rewrite import FixContext, Rewrite
from ._shared import (
    artifact_folder,
    bind,
    literal_str,
    new_unit,
    replace,
    run_calls,
    text,
)

SIGNATURE = ["name", "path_or_stream", "datastore_name"]


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name_node, path_node = bound.values.get("name"), bound.values.get("path_or_stream")
    if "datastore_name" in bound.values:
        unit.refuse("datastore_name= has no MLflow counterpart")
        return
    name, path = literal_str(ctx, name_node), literal_str(ctx, path_node)
    if name is None or path is None or path_node is None:
        unit.refuse("the artifact name and the local path are not both known strings "
                    "(a stream must be written to a file first)")
        return
    if posixpath.basename(name) != posixpath.basename(path.replace("\\", "/")):
        unit.refuse(f"MLflow keeps the local file name, so {path!r} cannot be stored as {name!r}: "
                    "rename the file or change the artifact name by hand")
        return
    folder = artifact_folder(name)
    arguments = text(ctx, path_node) + (f", artifact_path={py_str(folder)}" if folder else "")
    replace(ctx, unit, call, f"mlflow.log_artifact({arguments})")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.upload_file('outputs/m.pkl', 'm.pkl')`` -> ``mlflow.log_artifact('m.pkl',
    artifact_path='outputs')``, only when the file names agree."""
    for site in run_calls(ctx, "upload_file"):
        unit = new_unit(ctx, site, "AML017", "run.upload_file() -> mlflow.log_artifact() in the same folder")
        _rewrite(ctx, unit, site.node)
        yield unit

