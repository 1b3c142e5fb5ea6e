"""The migration for AML021: the v1 ``Environment`` class and its factories (from_conda_specification, get, ...)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, constant_str, py_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.names import Ref
from ._common import workspace_binding

# The base image v1 used when none was given (mapping.md 4.3: azureml-core 1.61's
# default CPU image family); v2 requires one to be spelled out.
DEFAULT_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"

ENVIRONMENT = "azureml.core.Environment"


def _from_conda(call: ast.Call, unit: Rewrite, ctx: FixContext) -> str:
    bound = bind_arguments(call, ["name", "file_path"])
    if isinstance(bound, str) or set(bound.values) - {"name", "file_path"} or "file_path" not in bound.values:
        raise ValueError("from_conda_specification() needs name and file_path only")
    name = bound.values.get("name")
    if name is not None:
        unit.notes.append(f"dropped name={ctx.locator.text(name)}: an inline v2 environment is anonymous")
    return f"{ctx.symbol('azure.ai.ml.entities', 'Environment')}(image={py_str(DEFAULT_IMAGE)}, conda_file={ctx.locator.text(bound.values['file_path'])})"


def _get(call: ast.Call, unit: Rewrite, ctx: FixContext) -> str:
    bound = bind_arguments(call, ["workspace", "name", "version", "label"])
    if isinstance(bound, str) or "label" in bound.values or set(bound.values) - {"workspace", "name", "version"}:
        raise ValueError("Environment.get() with a label or unknown arguments: migrate it by hand")
    workspace = bound.values.get("workspace")
    if workspace is None or workspace_binding(ctx, workspace) is None:
        raise ValueError("Environment.get()'s workspace is not a Workspace variable this fix migrates")
    name = constant_str(bound.values.get("name"))
    if name is None:
        raise ValueError("Environment.get() with a name that is not a literal")
    unit.consumes.append(workspace)  # type: ignore[arg-type]
    version = bound.values.get("version")
    if version is None:
        return py_str(f"{name}@latest")
    if isinstance(version, ast.Constant) and isinstance(version.value, (str, int)):
        return py_str(f"{name}:{version.value}")
    raise ValueError("Environment.get() with a version that is not a literal")


_BUILDERS = {"from_conda_specification": _from_conda, "get": _get}


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``Environment.from_conda_specification(name, file)`` -> ``Environment(image=..., conda_file=file)``;
    ``Environment.get(ws, name[, version])`` -> ``"name@latest"`` / ``"name:version"``."""
    for site in ctx.model.calls:
        callee = site.callee
        if not isinstance(callee, Ref) or not callee.qualname.startswith(ENVIRONMENT + "."):
            continue
        member = callee.qualname[len(ENVIRONMENT) + 1:]
        builder = _BUILDERS.get(member)
        if builder is None:
            continue
        unit = Rewrite("AML021", site.node, f"Environment.{member}() -> v2 environment",
                       binding=ctx.assigned_binding(site.node))
        unit.counterpart = unit.binding.name if unit.binding is not None else None
        try:
            if unit.binding is None:
                _consumed_inline(site.node, unit, ctx)
            unit.edits.append(statements.replace(ctx.locator, site.node, builder(site.node, unit, ctx)))
        except ValueError as reason:
            unit.refuse(str(reason), RefusalKind.DATA_FLOW)
        yield unit


def _consumed_inline(call: ast.Call, unit: Rewrite, ctx: FixContext) -> None:
    """An environment built inline is rewritten only together with the call it is
    passed to: a v2 environment handed to a v1 constructor would break it."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.keyword):
        parent = ctx.parent(parent)
    if isinstance(parent, ast.Call) and parent.func is not call:
        unit.requires.append(parent)
        return
    raise ValueError("the environment is not assigned to a variable or passed to a call this fix migrates")


