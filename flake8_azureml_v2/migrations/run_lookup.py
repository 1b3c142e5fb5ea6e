"""The migration for AML084: a v1 run looked up by its id (mapping-extension.md 6).

``r = Run(experiment, run_id)``, ``r = Run.get(ws, run_id)`` and their pipeline forms are
the job ``ml_client.jobs.get(run_id)``: a job's name is its run id, unique in the
workspace, so the experiment is not needed.  Every use of ``r`` is translated with the
lookup, as a submitted run's uses are, or the lookup stays v1.  The experiment itself
may stay for other v1 code: the lookup only reads its workspace.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments
from ..engine.fixing.rewrite import FixContext, Rewrite, describe_use
from ..engine.names import Binding
from ._common import not_a_workspace, workspace_binding
from .injob._shared import is_pure
from .run_handle import RunNames, untranslated
from .submission import experiment_parts

EXPERIMENT = "azureml.core.Experiment"
# callee -> (the run of a pipeline?, looked up in a workspace rather than an experiment?)
LOOKUPS = {
    "azureml.core.Run": (False, False),
    "azureml.core.Run.get": (False, True),
    "azureml.pipeline.core.PipelineRun": (True, False),
    "azureml.pipeline.core.PipelineRun.get": (True, True),
}
IN_EXPERIMENT = ["experiment", "run_id", "outer_run_id", "_run_dto"]
IN_WORKSPACE = ["workspace", "run_id"]


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    for callee, (pipeline, by_workspace) in LOOKUPS.items():
        for site in ctx.model.calls_to(callee):
            yield _lookup(site.node, pipeline, by_workspace, ctx)


def _lookup(call: ast.Call, pipeline: bool, by_workspace: bool, ctx: FixContext) -> Rewrite:
    unit = Rewrite("AML084", call, "run looked up by id -> ml_client.jobs.get(run_id)")
    signature = IN_WORKSPACE if by_workspace else IN_EXPERIMENT
    bound = bind_arguments(call, signature)
    if isinstance(bound, str):
        return unit.refuse(bound)
    if set(bound.values) != {signature[0], "run_id"}:
        return unit.refuse("a lookup with more than the experiment (or workspace) and the run id: migrate it by hand")
    run_id = bound.values["run_id"]
    if not is_pure(run_id):
        return unit.refuse("the run id is computed by a call: migrate it by hand")
    try:
        workspace = _workspace(bound.values[signature[0]], by_workspace, unit, ctx)
    except ValueError as reason:
        return unit.refuse(str(reason))
    if not ctx.holds_at(call, workspace):
        return unit.refuse(f"`{workspace.name}` may hold another workspace where the run is looked up")
    client = ctx.counterpart(workspace)
    run = ctx.assigned_binding(call)
    if run is None and not isinstance(ctx.parent(call), ast.Expr):
        return unit.refuse(ctx.unassigned_reason(call, "looked-up run"), RefusalKind.DATA_FLOW)
    if run is not None:
        stuck = untranslated(run, RunNames(client, f"{run.name}.name", pipeline=pipeline), unit, ctx)
        if stuck is not None:
            why = ctx.why_not.get(id(stuck))
            return unit.refuse(f"`{run.name}` is also used at {describe_use(ctx.locator, ctx, stuck)}, which this "
                               f"fix cannot translate{f' ({why})' if why else ''}", RefusalKind.DATA_FLOW)
    unit.edits.append(statements.replace(ctx.locator, call, f"{client}.jobs.get({ctx.locator.text(run_id)})"))
    unit.use_has_effect = False  # a lookup: the experiment it read keeps every effect it had
    return unit


def _workspace(node: ast.expr, by_workspace: bool, unit: Rewrite, ctx: FixContext) -> Binding:
    """The workspace the run is looked up in, its use taken over by ``unit``; ValueError if unknown.
    The experiment is a variable holding ``Experiment(ws, ...)``, that call itself, or
    ``ws.experiments[name]``."""
    if by_workspace:
        workspace = workspace_binding(ctx, node)
        if workspace is None:
            raise ValueError(not_a_workspace(ctx, node, "the run's"))
        unit.consumes.append(node)  # type: ignore[arg-type]
        return workspace
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "experiments":
        owner = node.value.value
        workspace = workspace_binding(ctx, owner)
        if workspace is None or not is_pure(node.slice):
            raise ValueError(not_a_workspace(ctx, owner, "the experiment's"))
        unit.consumes.append(owner)  # type: ignore[arg-type]
        return workspace
    experiment = node
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None and not ctx.may_hold_another_value(node) else None
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
                and ctx.callee(statement.value) == EXPERIMENT):
            raise ValueError(f"`{node.id}` is not an Experiment(...) this fix can follow")
        experiment = statement.value
    elif not (isinstance(node, ast.Call) and ctx.callee(node) == EXPERIMENT):
        raise ValueError("the experiment is not a variable or an Experiment(...) call")
    workspace_node, _ = experiment_parts(experiment, ctx)  # type: ignore[arg-type]
    workspace = workspace_binding(ctx, workspace_node)
    assert workspace is not None
    if experiment is node:  # the inline Experiment(...) goes with the lookup
        unit.consumes.append(workspace_node)
        unit.findings.append(("AML040", node))
    else:
        unit.consumes.append(node)  # type: ignore[arg-type]
    return workspace
