"""AML017: ``run.upload_file(name, path)`` uploads a file to the v1 run."""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator

from ..engine.fixing.arguments import py_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import method_calls
from ._rule import AmlRule as Rule, Family, FixSafety
from ._injob import (
    artifact_folder,
    bind,
    literal_str,
    new_unit,
    replace,
    run_calls,
    text,
)
from ._shared import RUN

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

RULE = Rule(
    code="AML017",
    name="run-upload-file",
    family=Family.IN_JOB,
    v1="run.upload_file()",
    v2="mlflow.log_artifact(path, artifact_path=os.path.dirname(name) or None)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "upload_file"),
    why=(
        "v1 stores the file under the name you give; MLflow keeps the local file name and "
        "only lets you choose the folder. The artifact ends up at the same place only when "
        "both names end the same way. Streams cannot be logged: write them to a file first."
    ),
    example="run.upload_file('outputs/model.pkl', 'model.pkl')",
    use_instead="mlflow.log_artifact('model.pkl', artifact_path='outputs')",
    fixer=fix,
)
