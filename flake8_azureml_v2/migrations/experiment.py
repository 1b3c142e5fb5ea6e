"""The migration for AML040: the v1 ``Experiment(...)`` constructor.

v2 has no experiment object: submits carry its name (AML001), a run looked up in
it (``Run(experiment, run_id)``) is the job ``ml_client.jobs.get(run_id)`` (AML084,
``run_lookup``), and ``experiment.get_runs()`` lists its MLflow runs (mapping-extension.md 6).  An
experiment still needed by v1 code stays as it is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, known_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.names import Binding
from ..rules._shared import RUN
from .injob._shared import is_pure
from .injob._shared import start_logging_call
from .run_handle import (GET_RUNS_HELPERS, MLFLOW_NOTE, START_LOGGING_HELPERS, TRACKING_NEEDS, RunNames, translate_all,
                         translate_use)
from .submission import experiment_parts

EXPERIMENT = "azureml.core.Experiment"
GET_RUNS_SIGNATURE = ["type", "tags", "properties", "include_children"]


def _get_runs(use: ast.Name, client: str, name: str | None, unit: Rewrite, ctx: FixContext) -> bool:
    """``for r in experiment.get_runs():`` -> the MLflow runs, newest first, children left out as in v1."""
    method = ctx.parent(use)
    call = ctx.parent(method) if method is not None else None
    loop = ctx.parent(call) if call is not None else None
    if not (isinstance(method, ast.Attribute) and method.attr == "get_runs" and isinstance(call, ast.Call)
            and call.func is method and isinstance(loop, ast.For) and loop.iter is call
            and isinstance(loop.target, ast.Name) and name is not None):
        return False
    bound = bind_arguments(call, GET_RUNS_SIGNATURE)
    if isinstance(bound, str) or set(bound.values) - {"include_children"} or not is_pure(
            bound.values.get("include_children")):
        return False
    run = next((b for b in ctx.bindings_at(loop) if b.node is loop and b.name == loop.target.id), None)
    if run is None or not translate_all(run, RunNames(client, f"{run.name}.info.run_id"), unit, ctx, job=False):
        return False
    children = bound.values.get("include_children")
    extra = f", include_children={ctx.locator.text(children)}" if children is not None else ""
    unit.edits.append(statements.replace(ctx.locator, call, f"_v1_get_runs({client}, {name}{extra})"))
    unit.helpers.update(GET_RUNS_HELPERS)
    unit.silent_needs.update(TRACKING_NEEDS)
    if MLFLOW_NOTE not in unit.notes:
        unit.notes.append(MLFLOW_NOTE)
    return True


SNAPSHOT_TODO = ("# TODO(azureml-v2): AML040 v1's start_logging() also snapshotted {folder} into the "
                 "run{outputs}; MLflow has no snapshot")
OUTPUTS_TODO = "# TODO(azureml-v2): AML040 v1's start_logging() also uploaded ./outputs when the block ended"


def _start_logging_todo(snapshot: ast.expr | None, in_with: bool, ctx: FixContext) -> str | None:
    """What v1's start_logging() did beside starting a run: snapshot_directory (default ".") was
    copied into the run unless it was falsy, and a ``with`` block uploaded ./outputs at its end."""
    if isinstance(snapshot, ast.Constant) and not snapshot.value:
        return OUTPUTS_TODO if in_with else None
    folder = "the current folder"
    if isinstance(snapshot, ast.Constant) and isinstance(snapshot.value, str) and snapshot.value not in (".", "./"):
        folder = f"the folder {snapshot.value!r}"
    elif snapshot is not None and not isinstance(snapshot, ast.Constant):
        folder = f"the folder `{ctx.locator.text(snapshot)}` names"
    return SNAPSHOT_TODO.format(folder=folder, outputs=" and uploaded ./outputs when the block ended" if in_with else "")


def _started_runs(binding: Binding, workspace: ast.Name, name: ast.expr, ctx: FixContext) -> Iterator[Rewrite]:
    """``run = experiment.start_logging()`` (or ``with ... as run``) -> an MLflow run in the workspace.
    The run's logging calls are the in-job fixes' (AML012...); what it reads back is run_handle's."""
    client = ctx.counterpart(ctx.binding_of(workspace))  # type: ignore[arg-type]
    experiment = _name_here(name, ctx)
    for use in binding.uses:
        method = ctx.parent(use)
        call = ctx.parent(method) if method is not None else None
        if not (isinstance(method, ast.Attribute) and method.attr == "start_logging" and isinstance(call, ast.Call)
                and call.func is method):
            continue
        statement = ctx.statement_of(call)
        run = next((b for b in ctx.bindings_at(statement) if start_logging_call(ctx, b) is call), None)
        if run is None:
            continue
        unit = Rewrite("AML040", call, "experiment.start_logging() -> an MLflow run in the workspace", binding=run)
        unit.findings = []
        bound = bind_arguments(call, ["outputs", "snapshot_directory"])
        if experiment is None:
            yield unit.refuse("the experiment name is not a known string here")
            continue
        if isinstance(bound, str) or "outputs" in bound.values or not all(is_pure(v) for v in bound.values.values()):
            yield unit.refuse("start_logging() with outputs= or computed arguments: migrate it by hand")
            continue
        unit.consumes.append(use)
        unit.edits.append(statements.replace(ctx.locator, call, f"_v1_start_logging({client}, {experiment})"))
        todo = _start_logging_todo(bound.values.get("snapshot_directory"), isinstance(statement, ast.With), ctx)
        if todo is not None:
            unit.edits.extend(statements.insert_before(ctx.locator, statement, [todo]))
            unit.todos.append(todo)
        unit.helpers.update(START_LOGGING_HELPERS)
        unit.silent_needs.update(TRACKING_NEEDS)
        unit.notes.append(MLFLOW_NOTE)
        names = RunNames(client, f"{run.name}.info.run_id")
        for run_use in run.uses:
            parent = ctx.parent(run_use)
            if isinstance(parent, ast.Attribute) and parent.attr == "id" and not isinstance(ctx.parent(parent), ast.Call):
                unit.edits.append(statements.replace(ctx.locator, parent, names.run_id))
                unit.own_uses.add(id(run_use))
            elif isinstance(parent, ast.Attribute) and parent.attr != "get_portal_url":
                translate_use(run_use, names, unit, ctx, job=False, submitted=False)
        yield unit


def _name_here(name: ast.expr, ctx: FixContext) -> str | None:
    """The experiment name, where a use can repeat it: a literal, or a variable holding a known one."""
    return ctx.locator.text(name) if known_str(ctx, name) is not None else None


def _translate(binding: Binding, workspace: ast.Name, name: ast.expr, unit: Rewrite, ctx: FixContext) -> bool:
    """Rewrite the uses this fix translates itself; whether a use (one of these, or a submit
    that another fix takes) needs the workspace's client: ``.name`` reads repeat the name."""
    client = ctx.counterpart(ctx.binding_of(workspace))  # type: ignore[arg-type]
    needs_client = False
    for use in binding.uses:
        parent = ctx.parent(use)
        outer = ctx.parent(parent) if parent is not None else None
        if (isinstance(parent, ast.Attribute) and parent.attr == "name" and isinstance(name, (ast.Constant, ast.Name))
                and not (isinstance(outer, ast.Call) and outer.func is parent)):
            unit.edits.append(statements.replace(ctx.locator, parent, ctx.locator.text(name)))
            unit.own_uses.add(id(use))
        else:  # (a run looked up in it is AML084's: that lookup takes the use over)
            needs_client = True
            if _get_runs(use, client, _name_here(name, ctx), unit, ctx):
                unit.own_uses.add(id(use))
    return needs_client


# v1's Experiment(ws, name) makes the experiment in the workspace when it is missing.
CREATES_IT = ("Experiment(...) makes the experiment in the workspace, and no job or run of this program is in it: "
              "v2 makes an experiment only when a job names it")


def _only_named(binding: Binding, ctx: FixContext) -> bool:
    """Nothing but ``.name`` reads the experiment (or nothing at all), and no job takes the name as
    its ``experiment_name=``: no job, run or look-up of the program is in it, so v1's
    ``Experiment(...)`` was what made it in the workspace."""
    for use in binding.uses:
        read = ctx.parent(use)
        if not (isinstance(read, ast.Attribute) and read.attr == "name" and isinstance(read.ctx, ast.Load)):
            return False
        owner = ctx.parent(read)
        if (isinstance(owner, ast.Call) and owner.func is read) or (
                isinstance(owner, ast.keyword) and owner.arg == "experiment_name"):
            return False
    return True


def _named_by_another(call: ast.Call, name: ast.expr, ctx: FixContext) -> bool:
    """Another ``Experiment(...)`` of the module that something uses names the same experiment (a
    notebook that makes it again before it submits): the unused one may go, the other's jobs make it."""
    here = known_str(ctx, name)
    if here is None:
        return False
    for site in ctx.model.calls_to(EXPERIMENT):
        if site.node is call:
            continue
        try:
            _, other = experiment_parts(site.node, ctx)
        except ValueError:
            continue
        other_binding = ctx.assigned_binding(site.node)
        if known_str(ctx, other) == here and (other_binding is None or other_binding.uses):
            return True
    return False


def _looks_up_a_run(use: ast.Name, ctx: FixContext) -> bool:
    """``Run(experiment, run_id)``: the experiment only says where v1 looked the run up."""
    call = ctx.parent(use)
    if isinstance(call, ast.keyword) and call.arg == "experiment":
        call = ctx.parent(call)
    return isinstance(call, ast.Call) and ctx.callee(call) == RUN and use is not call.func


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``experiment = Experiment(ws, 'x')`` is deleted; its submits carry the name."""
    for site in ctx.model.calls_to(EXPERIMENT):
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue  # an inline Experiment(...).submit() is rewritten with its submit (AML001)
        unit = Rewrite("AML040", site.node, "Experiment() removed: its name moves to experiment_name=", binding=binding)
        try:
            workspace, name = experiment_parts(site.node, ctx)
        except ValueError as reason:
            yield unit.refuse(str(reason))
            continue
        unit.consumes.append(workspace)
        unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
        # Kept alive for code that still needs the v1 experiment (RunDetails, start_logging...):
        # the statement stays as it is and the migrated submits carry the name.
        unit.alive_edits = []
        unit.alive_description = "Experiment kept for the v1 code that still uses it"
        unit.counterpart = unit.alive_counterpart = ctx.locator.text(name)
        if _only_named(binding, ctx) and not _named_by_another(site.node, name, ctx):
            yield unit.refuse(CREATES_IT, RefusalKind.NOT_YET)
            continue
        if not binding.uses:  # nothing takes the name: v2 makes an experiment with the first job that names it
            unit.description = "removed the unused Experiment(): v2 makes an experiment when a job names it"
        elif all(_looks_up_a_run(use, ctx) for use in binding.uses):
            unit.description = "Experiment() removed: v2 gets a run by its id alone (ml_client.jobs.get), without it"
        if not _translate(binding, workspace, name, unit, ctx):  # no use needs the workspace's client
            unit.uses_counterpart = unit.use_has_effect = False
        yield unit
        yield from _started_runs(binding, workspace, name, ctx)
