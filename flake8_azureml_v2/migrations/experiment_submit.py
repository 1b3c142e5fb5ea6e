"""The migration for AML001: ``Experiment.submit`` submits a v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing import listedit, statements
from ..engine.fixing.arguments import bind_arguments
from ..engine.findings import RefusalKind
from ..engine.fixing.edits import Edit
from ..engine.fixing.specs import Refused
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.names import Binding, Instance
from ..rules.aml001_experiment_submit import INVOKE, PUBLISHED, detect
from . import job_kinds
from ._common import workspace_binding
from .pipelines import MOVED_FROM_SUBMIT
from .submission import experiment_parts, holds_at, translate_run_uses

SCRIPT_RUN_CONFIG = "azureml.core.ScriptRunConfig"
PIPELINE = "azureml.pipeline.core.Pipeline"


def _experiment(receiver: ast.expr, unit: Rewrite, ctx: FixContext) -> ast.Call:
    """The ``Experiment(...)`` call behind a submit's receiver; ValueError if unknown."""
    if isinstance(receiver, ast.Name):
        binding = ctx.binding_of(receiver)
        statement = binding.node if binding is not None else None
        if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
            raise ValueError(f"`{receiver.id}` is not an Experiment(...) this fix can follow")
        unit.consumes.append(receiver)
        return statement.value
    if isinstance(receiver, ast.Call):
        workspace, _ = experiment_parts(receiver, ctx)
        unit.consumes.append(workspace)
        unit.findings.append(("AML040", receiver))
        return receiver
    raise ValueError("the experiment is not a variable or an Experiment(...) call")


def _job(call: ast.Call, unit: Rewrite, ctx: FixContext, client: str) -> bool:
    """Check what is submitted; True when a specialised job kind took the submit over."""
    bound = bind_arguments(call, ["config", "tags"])
    if isinstance(bound, str):
        raise ValueError(bound)
    config = bound.values.get("config")
    if _specialised(call, bound.values, unit, ctx):
        return True
    published = _published(config, ctx)
    if published is not None:  # (before its options: the reason is what is submitted, not how)
        raise Refused(*published)
    is_pipeline = _is_pipeline(config, ctx)
    moved = set(MOVED_FROM_SUBMIT) if is_pipeline else set()
    if "show_output" in bound.values:
        _show_output(call, config, bound.values["show_output"], unit, ctx, client)
        moved.add("show_output")
    extra = sorted(set(bound.values) - {"config", "tags"} - moved)
    if extra:
        raise ValueError(f"submit() with {', '.join(extra)}=: migrate it by hand")
    if is_pipeline:
        unit.consumes.append(config)  # type: ignore[arg-type]
        unit.description = "experiment.submit(pipeline) -> ml_client.jobs.create_or_update()"
        _drop_settings(call, unit, ctx)
        return False
    if isinstance(config, ast.Name):
        binding = ctx.binding_of(config)
        if binding is None or binding.value != Instance(SCRIPT_RUN_CONFIG):
            raise ValueError(f"`{config.id}` is not a ScriptRunConfig or Pipeline this fix migrates")
        unit.consumes.append(config)
    elif isinstance(config, ast.Call):
        unit.requires.append(config)
    else:
        raise ValueError("the submitted configuration is not a variable or a ScriptRunConfig(...) call")
    return False


def _published(config: ast.expr | None, ctx: FixContext) -> tuple[str, RefusalKind] | None:
    """Why a submitted published pipeline or pipeline endpoint stays, else None (not one)."""
    binding = ctx.binding_of(config) if isinstance(config, ast.Name) else None
    value = getattr(binding.node, "value", None) if binding is not None else None
    listed = (isinstance(value, ast.Subscript) and isinstance(value.value, ast.ListComp)
              and any(isinstance(g.iter, ast.Call) and ctx.callee(g.iter) == f"{PUBLISHED[0]}.list"
                      for g in value.value.generators))
    if not listed and not (isinstance(config, ast.Name) and any(_holds(ctx, config, kind) for kind in PUBLISHED)):
        return None
    assert isinstance(config, ast.Name)
    if listed or (isinstance(value, ast.Call) and ctx.callee(value) == f"{PUBLISHED[0]}.get"):
        # (mapping-extension 9.1: a published pipeline looked up by id has no v2 object to find)
        return (f"`{config.id}` is a published pipeline looked up in the workspace, which has no v2 counterpart to "
                f"find: publish the pipeline as a v2 batch endpoint and use {INVOKE}", RefusalKind.IMPOSSIBLE)
    return (f"`{config.id}` is a published pipeline, which v2 runs through its batch endpoint: {INVOKE}",
            RefusalKind.NOT_YET)


def submits_this_files_publish(call: ast.Call, ctx: FixContext) -> bool:
    """``experiment.submit(published)`` where ``published = pipeline.publish(...)`` here: the
    publish's rewrite takes the submit (publish.py)."""
    config = call.args[0] if call.args else None
    binding = ctx.binding_of(config) if isinstance(config, ast.Name) else None
    value = getattr(binding.node, "value", None) if binding is not None else None
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "publish"
            and _holds(ctx, config, PUBLISHED[0]))  # type: ignore[arg-type]


def _is_pipeline(config: ast.expr | None, ctx: FixContext) -> bool:
    return isinstance(config, ast.Name) and _holds(ctx, config, PIPELINE)


def _submits_pipeline(call: ast.Call, ctx: FixContext) -> bool:
    bound = bind_arguments(call, ["config", "tags"])
    return not isinstance(bound, str) and _is_pipeline(bound.values.get("config"), ctx)


def _submits_automl(call: ast.Call, ctx: FixContext) -> bool | None:
    """Does the submit start an AutoML run (an AutoMLRun in v1, with its own wait)?  None when
    it does on some paths only (``cfg`` built as an AutoMLConfig in one branch, as another in the other)."""
    bound = bind_arguments(call, ["config", "tags"])
    config = None if isinstance(bound, str) else bound.values.get("config")
    binding = ctx.binding_of(config) if isinstance(config, ast.Name) else None
    if binding is None:
        return False
    alike = [other for other in ctx.bindings_named(binding.name) if other.scope == binding.scope]
    paths = alike if any(other.conditional for other in alike) else [binding]
    kinds = {any(other.value == Instance(kind) for kind in AUTOML_RUNS) for other in paths}
    return None if len(kinds) > 1 else kinds.pop()


def _waited_for(run: Binding, ctx: FixContext) -> bool:
    return any(isinstance(ctx.parent(use), ast.Attribute) and ctx.parent(use).attr == "wait_for_completion"  # type: ignore[union-attr]
               for use in run.uses)


# The configurations whose v1 submit returns an AutoMLRun.
AUTOML_RUNS = ("azureml.train.automl.AutoMLConfig", "azureml.train.automl.AutoMLImageConfig")


def _specialised(call: ast.Call, values: dict[str, ast.expr], unit: Rewrite, ctx: FixContext) -> bool:
    """HyperDriveConfig, AutoMLConfig and estimators: their rules build the v2 job (job_kinds)."""
    return job_kinds.submit(call, values, unit, ctx)


# The configurations whose v1 submit takes show_output=: v1 raises TypeError for the others.
SHOWS_OUTPUT = ("azureml.train.automl.AutoMLConfig",)


def _show_output(call: ast.Call, config: ast.expr | None, shown: ast.expr, unit: Rewrite, ctx: FixContext,
                 client: str) -> None:
    """``submit(automl_config, show_output=True)`` -> the job is streamed right after it is created."""
    value = ctx.binding_of(config).value if isinstance(config, ast.Name) and ctx.binding_of(config) else None
    if value == Instance(SCRIPT_RUN_CONFIG):
        raise Refused("submit(show_output=...) only exists for AutoML submits; v1 raises TypeError for a "
                      "ScriptRunConfig", RefusalKind.IMPOSSIBLE)
    if not isinstance(value, Instance):  # (a HyperDriveConfig's submit takes any keyword)
        raise Refused("submit(show_output=...) of a configuration this fix cannot know: it exists only for "
                      "AutoML submits", RefusalKind.DATA_FLOW)
    if not any(value == Instance(kind) for kind in SHOWS_OUTPUT):
        raise Refused(f"submit(show_output=...) of a {value.type.rsplit('.', 1)[-1]} has no documented v2 form")
    if not (isinstance(shown, ast.Constant) and isinstance(shown.value, bool)):
        raise ValueError("show_output= is not True or False")
    statement = ctx.parent(call)
    run = ctx.assigned_binding(call)
    if shown.value and run is None:
        raise ValueError("submit(show_output=True) whose run is not assigned to a variable")
    if shown.value:
        unit.edits.extend(statements.insert_after(ctx.locator, statement, [f"{client}.jobs.stream({run.name}.name)"]))  # type: ignore[arg-type, union-attr]
    sg_call = ctx.locator.sg(call, "call")
    container = sg_call.field("arguments")  # type: ignore[union-attr]
    unit.edits.extend(listedit.delete_many(ctx.text, container, [e for e in listedit.elements(container)
                                                                 if e.keyword == "show_output"]))


def _holds(ctx: FixContext, name: ast.Name, qualname: str) -> bool:
    binding = ctx.binding_of(name)
    return binding is not None and binding.value == Instance(qualname)


def _drop_settings(call: ast.Call, unit: Rewrite, ctx: FixContext) -> None:
    """Pipeline settings move to the @dsl.pipeline decorator (AML004 writes them there)."""
    sg_call = ctx.locator.sg(call, "call")
    if sg_call is None:
        raise ValueError("ast-grep could not locate the call")
    container = sg_call.field("arguments")
    doomed = [e for e in listedit.elements(container) if e.keyword in MOVED_FROM_SUBMIT]
    unit.edits.extend(listedit.delete_many(ctx.text, container, doomed))


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run = experiment.submit(config)`` -> ``ml_client.jobs.create_or_update(config,
    experiment_name=...)``; the run's portal URL, wait and id are translated too."""
    flagged = {id(hit[0] if isinstance(hit, tuple) else hit) for hit in detect(ctx)}  # type: ignore[arg-type]
    for site in ctx.model.calls:
        call = site.node
        if id(call) not in flagged or submits_this_files_publish(call, ctx):
            continue
        unit = Rewrite("AML001", call, "experiment.submit() -> ml_client.jobs.create_or_update()")
        try:
            experiment = _experiment(call.func.value, unit, ctx)  # type: ignore[attr-defined]
            workspace_node, name = experiment_parts(experiment, ctx)
            workspace = workspace_binding(ctx, workspace_node)
            assert workspace is not None
            specialised = _job(call, unit, ctx, ctx.counterpart(workspace))
        except ValueError as reason:
            yield unit.refuse(str(reason))
            continue
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        if not ctx.holds_at(call, workspace):  # (a notebook may connect again in a later cell)
            yield unit.refuse(f"`{workspace.name}` may hold another workspace where the job is submitted")
            continue
        changed = holds_at(name, call, ctx)
        if changed is not None and ctx.binding_of(changed) is not None and ctx.holds_at(call, ctx.binding_of(changed)):
            yield unit.refuse(f"the experiment name reads an item of `{changed.id}`, which code between the "
                              "Experiment() and the submit may change: read it into a variable first",
                              RefusalKind.DATA_FLOW)
            continue
        if changed is not None:
            yield unit.refuse(f"the experiment name `{changed.id}` is not visible where the job is submitted"
                              if changed is name else f"the experiment name reads `{changed.id}`, which is not "
                              "visible where the job is submitted")
            continue
        client = ctx.counterpart(workspace)
        unit.edits.append(statements.replace(ctx.locator, call.func, f"{client}.jobs.create_or_update"))
        sg_call = ctx.locator.sg(call, "call")
        if sg_call is None:
            yield unit.refuse("ast-grep could not locate the call")
            continue
        extra = [f"experiment_name={ctx.locator.text(name)}"]
        run = ctx.assigned_binding(call)
        automl = _submits_automl(call, ctx)
        if run is not None and automl is None and _waited_for(run, ctx):
            yield unit.refuse("the submitted configuration is an AutoMLConfig on some paths only, and the two runs wait "
                              "differently (an AutoML run's wait never raised for a failure)", RefusalKind.DATA_FLOW)
            continue
        if run is not None:
            unit.binding = run
            translate_run_uses(run, client, unit, ctx, workspace, call, extra, pipeline=_submits_pipeline(call, ctx),
                               automl=bool(automl))
        elif not isinstance(ctx.parent(call), ast.Expr):
            unit.refuse("the submitted run is used as a value this fix cannot follow")
        container = sg_call.field("arguments")
        kept = [e for e in listedit.elements(container)
                if e.keyword not in (*MOVED_FROM_SUBMIT, *job_kinds.DROPPED_AT_SUBMIT, "show_output")]
        for element in [] if specialised else kept:
            if element.keyword == "config":  # v2's create_or_update names it job
                name = element.node.field("name")
                unit.edits.append(Edit(name.range().start.index, name.range().end.index, "job"))
        unit.edits.extend(listedit.append(ctx.text, container, extra, ctx.locator.newline, kept))
        yield unit


