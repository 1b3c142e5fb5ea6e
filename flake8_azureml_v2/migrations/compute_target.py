"""The migration for AML024: ``ComputeTarget(...)`` and ``ComputeTarget.create(...)`` get or create v1 compute."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, constant_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.names import Binding, Ref
from ._common import workspace_binding

COMPUTE_TARGET = "azureml.core.ComputeTarget"

GETTERS = (COMPUTE_TARGET, "azureml.core.compute.AmlCompute")
CREATE = COMPUTE_TARGET + ".create"
PROVISIONING = "azureml.core.compute.AmlCompute.provisioning_configuration"
EXCEPTION = "azureml.exceptions.ComputeTargetException"
# AmlCompute.provisioning_configuration -> azure.ai.ml.entities.AmlCompute (mapping.md 5.4).
# v1's defaults that differ from v2's are written out explicitly.
_RENAMES = {
    "vm_size": "size", "min_nodes": "min_instances", "max_nodes": "max_instances",
    "idle_seconds_before_scaledown": "idle_time_before_scale_down", "tags": "tags", "description": "description",
}
_V1_DEFAULTS = {"idle_time_before_scale_down": "1800"}
_TIERS = {"lowpriority": "low_priority", "dedicated": "dedicated"}
_PROVISIONING_SIGNATURE = ["vm_size", "vm_priority", "min_nodes", "max_nodes", "idle_seconds_before_scaledown"]


def _get_parts(call: ast.Call, ctx: FixContext) -> tuple[ast.Name, ast.expr]:
    bound = bind_arguments(call, ["workspace", "name"])
    if isinstance(bound, str) or set(bound.values) != {"workspace", "name"}:
        raise ValueError("ComputeTarget(...) needs exactly workspace and name")
    workspace = bound.values["workspace"]
    if workspace_binding(ctx, workspace) is None:
        raise ValueError("the compute's workspace is not a Workspace variable this fix migrates")
    return workspace, bound.values["name"]  # type: ignore[return-value]


def _amlcompute(call: ast.Call, name: ast.expr, unit: Rewrite, ctx: FixContext) -> str:
    bound = bind_arguments(call, _PROVISIONING_SIGNATURE)
    if isinstance(bound, str):
        raise ValueError(bound)
    arguments = [f"name={ctx.locator.text(name)}"]
    seen = set()
    for key, value in bound.values.items():
        text = ctx.locator.text(value)
        if key == "vm_priority":
            tier = _TIERS.get(constant_str(value) or "")
            if tier is None:
                raise ValueError("vm_priority= is not 'dedicated' or 'lowpriority'")
            arguments.append(f'tier="{tier}"')
        elif key in _RENAMES:
            arguments.append(f"{_RENAMES[key]}={text}")
            seen.add(_RENAMES[key])
        else:
            raise ValueError(f"provisioning_configuration({key}=...) has no mechanical v2 equivalent")
    for key, default in _V1_DEFAULTS.items():
        if key not in seen:
            arguments.append(f"{key}={default}")
            unit.notes.append(f"{key}={default} keeps v1's default (v2's is 120)")
    if "max_instances" not in seen:
        unit.notes.append("max_nodes was not given: v2 uses max_instances=4")
    return f"{ctx.symbol('azure.ai.ml.entities', 'AmlCompute')}({', '.join(arguments)})"


def _waits(binding: Binding, unit: Rewrite, ctx: FixContext) -> None:
    """``x.wait_for_completion(...)`` statements: v2's ``.result()`` already waited."""
    for use in binding.uses:
        method = ctx.parent(use)
        call = ctx.parent(method) if method is not None else None
        if (
            isinstance(method, ast.Attribute) and method.attr == "wait_for_completion"
            and isinstance(call, ast.Call) and call.func is method and isinstance(ctx.parent(call), ast.Expr)
        ):
            unit.edits.append(ctx.delete(ctx.parent(call)))  # type: ignore[arg-type]
            unit.own_uses.add(id(use))


def _simple_get(site_call: ast.Call, ctx: FixContext) -> Rewrite:
    unit = Rewrite("AML024", site_call, "ComputeTarget() -> ml_client.compute.get()", binding=ctx.assigned_binding(site_call))
    workspace, name = _get_parts(site_call, ctx)
    unit.consumes.append(workspace)
    client = ctx.counterpart(ctx.binding_of(workspace))  # type: ignore[arg-type]
    unit.edits.append(statements.replace(ctx.locator, site_call, f"{client}.compute.get({ctx.locator.text(name)})"))
    return unit


def _get_or_create(try_node: ast.Try, get_call: ast.Call, ctx: FixContext) -> Rewrite:
    """The v1 get-or-create block (mapping.md 5.4), rewritten as one piece."""
    unit = Rewrite("AML024", get_call, "ComputeTarget get-or-create -> ml_client.compute.get / begin_create_or_update")
    get_binding = ctx.assigned_binding(get_call)
    workspace, name = _get_parts(get_call, ctx)
    client = ctx.counterpart(ctx.binding_of(workspace))  # type: ignore[arg-type]
    if get_binding is None or len(try_node.handlers) != 1 or try_node.orelse or try_node.finalbody:
        raise ValueError("the compute block is not a plain try/except around ComputeTarget(...)")
    handler = try_node.handlers[0]
    if handler.name or handler.type is None or ctx.reference(handler.type) != EXCEPTION:
        raise ValueError("the except clause does not catch just ComputeTargetException")
    creates = [s for s in handler.body if isinstance(s, ast.Assign) and isinstance(s.value, ast.Call)
               and ctx.callee(s.value) == CREATE]
    if len(creates) != 1:
        raise ValueError("the except clause does not create the compute with one ComputeTarget.create(...)")
    create = creates[0].value
    assert isinstance(create, ast.Call)
    bound = bind_arguments(create, ["workspace", "name", "provisioning_configuration"])
    if isinstance(bound, str) or set(bound.values) != {"workspace", "name", "provisioning_configuration"}:
        raise ValueError("ComputeTarget.create(...) needs workspace, name and provisioning_configuration")
    if ctx.locator.text(bound.values["name"]) != ctx.locator.text(name):
        raise ValueError("the created compute's name differs from the one looked up")
    config = bound.values["provisioning_configuration"]
    create_binding = ctx.assigned_binding(create)
    if create_binding is None or create_binding.name != get_binding.name:
        raise ValueError("the created compute is not assigned to the same variable")
    provisioning = _provisioning(config, unit, ctx)
    unit.edits.append(statements.replace(ctx.locator, get_call, f"{client}.compute.get({ctx.locator.text(name)})"))
    unit.edits.append(statements.replace(
        ctx.locator, handler.type, ctx.symbol("azure.core.exceptions", "ResourceNotFoundError")))
    unit.findings.append(("AML026", handler.type))
    unit.edits.append(statements.replace(ctx.locator, provisioning, _amlcompute(provisioning, name, unit, ctx)))
    unit.findings.append(("AML025", provisioning))
    unit.edits.append(statements.replace(
        ctx.locator, create, f"{client}.compute.begin_create_or_update({ctx.locator.text(config)}).result()"
    ))
    unit.findings.append(("AML024", create))
    unit.consumes.append(workspace)
    created_in = bound.values["workspace"]
    if isinstance(created_in, ast.Name) and ctx.binding_of(created_in) is not None:
        if ctx.binding_of(created_in) is not ctx.binding_of(workspace):
            raise ValueError("the compute is created in another workspace than the one it is looked up in")
        unit.consumes.append(created_in)
    elif not isinstance(created_in, ast.Name):
        raise ValueError("the compute is created in a workspace this fix cannot follow")
    # else: a name bound nowhere (v1 would have raised NameError here); v2 takes no workspace
    unit.binding = create_binding
    unit.extra_bindings.append(get_binding)
    if isinstance(config, ast.Name):
        config_binding = ctx.binding_of(config)
        if config_binding is not None:
            unit.extra_bindings.append(config_binding)
            unit.own_uses.add(id(config))
    for binding in (create_binding, get_binding):
        _waits(binding, unit, ctx)
    return unit


def _provisioning(config: ast.expr, unit: Rewrite, ctx: FixContext) -> ast.Call:
    if isinstance(config, ast.Name):
        binding = ctx.binding_of(config)
        statement = binding.node if binding is not None else None
        config = statement.value if isinstance(statement, ast.Assign) else config
    if not isinstance(config, ast.Call) or ctx.callee(config) != PROVISIONING:
        raise ValueError("the provisioning configuration is not AmlCompute.provisioning_configuration(...)")
    return config


def _enclosing_try(node: ast.AST, ctx: FixContext) -> ast.Try | None:
    statement = ctx.parent(node)
    parent = ctx.parent(statement) if statement is not None else None
    return parent if isinstance(parent, ast.Try) and statement in parent.body else None


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``ComputeTarget(ws, name)`` -> ``ml_client.compute.get(name)``, and the whole
    get-or-create block -> ``get`` / ``except ResourceNotFoundError`` /
    ``begin_create_or_update(AmlCompute(...)).result()``."""
    for site in ctx.model.calls:
        if not isinstance(site.callee, Ref) or site.callee.qualname not in GETTERS:
            continue
        call = site.node
        block = _enclosing_try(call, ctx)
        try:
            unit = _get_or_create(block, call, ctx) if block is not None else _simple_get(call, ctx)
        except ValueError as reason:
            unit = Rewrite("AML024", call, "ComputeTarget() -> ml_client.compute").refuse(str(reason))
        yield unit


