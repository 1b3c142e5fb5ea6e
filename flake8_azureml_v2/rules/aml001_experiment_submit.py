"""AML001: ``Experiment.submit`` submits a v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.context import Context
from ..engine.fixing import listedit, statements
from ..engine.fixing.common import (
    bind_arguments,
    client_name,
    visible,
    workspace_binding,
)
from ..engine.fixing.pipelines import SUBMIT_SETTINGS
from ..engine.fixing.units import FixContext, Unit
from ..engine.matchers import sg_method_calls
from ..engine.names import Binding, Instance, Local
from ..engine.rule import Family, FixSafety, Hit, Rule
from ..engine.v1api import is_subtype
from ._shared import EXPERIMENT, SUBMITTABLE
from .aml040_experiment import parts as experiment_parts

SCRIPT_RUN_CONFIG = "azureml.core.ScriptRunConfig"
PIPELINE = "azureml.pipeline.core.Pipeline"


def detect(ctx: Context) -> Iterator[Hit]:
    """Flag ``x.submit(...)`` only with evidence: ``x`` is an Experiment, or the
    argument is a v1 config.  ``executor.submit(fn)`` is never a finding."""
    for call in ctx.model.calls:
        if call.method != "submit":
            continue
        receiver = call.receiver
        if isinstance(receiver, Instance):
            if is_subtype(receiver.type, EXPERIMENT):
                yield call.node
            continue
        if isinstance(receiver, Local):
            continue
        _, config = call.argument(0, "config")
        if isinstance(config, Instance) and config.type in SUBMITTABLE:
            yield call.node


def _experiment(receiver: ast.expr, unit: Unit, ctx: FixContext) -> ast.Call:
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


def _job(call: ast.Call, unit: Unit, ctx: FixContext) -> None:
    bound = bind_arguments(call, ["config", "tags"])
    if isinstance(bound, str):
        raise ValueError(bound)
    config = bound.values.get("config")
    is_pipeline = isinstance(config, ast.Name) and _holds(ctx, config, PIPELINE)
    moved = set(SUBMIT_SETTINGS) if is_pipeline else set()
    extra = sorted(set(bound.values) - {"config", "tags"} - moved)
    if extra:
        raise ValueError(f"submit() with {', '.join(extra)}=: migrate it by hand")
    if is_pipeline:
        unit.consumes.append(config)  # type: ignore[arg-type]
        unit.description = "experiment.submit(pipeline) -> ml_client.jobs.create_or_update()"
        _drop_settings(call, unit, ctx)
        return
    if isinstance(config, ast.Name):
        binding = ctx.binding_of(config)
        if binding is None or binding.value != Instance(SCRIPT_RUN_CONFIG):
            raise ValueError(f"`{config.id}` is not a ScriptRunConfig or Pipeline this fix migrates")
        unit.consumes.append(config)
    elif isinstance(config, ast.Call):
        unit.requires.append(config)
    else:
        raise ValueError("the submitted configuration is not a variable or a ScriptRunConfig(...) call")


def _holds(ctx: FixContext, name: ast.Name, qualname: str) -> bool:
    binding = ctx.binding_of(name)
    return binding is not None and binding.value == Instance(qualname)


def _drop_settings(call: ast.Call, unit: Unit, ctx: FixContext) -> None:
    """Pipeline settings move to the @dsl.pipeline decorator (AML004 writes them there)."""
    sg_call = ctx.locator.sg(call, "call")
    if sg_call is None:
        raise ValueError("ast-grep could not locate the call")
    container = sg_call.field("arguments")
    for element in listedit.elements(container):
        if element.keyword in SUBMIT_SETTINGS:
            unit.edits.extend(listedit.delete(ctx.text, container, element))


def _tags_at_submit(call: ast.Call, submit: ast.Call, ctx: FixContext) -> bool:
    """``run.set_tags(d)`` right after a submit can become ``tags=d`` on the submit,
    when ``d`` is already defined there and the submit sets no tags itself."""
    if len(call.args) != 1 or call.keywords or len(submit.args) > 1 or any(k.arg == "tags" for k in submit.keywords):
        return False
    if not isinstance(ctx.parent(call), ast.Expr):
        return False
    for node in ast.walk(call.args[0]):
        if isinstance(node, ast.Name):
            binding = ctx.binding_of(node)
            if binding is not None and (binding.conditional or getattr(binding.node, "lineno", 0) >= submit.lineno):
                return False
        elif isinstance(node, (ast.Call, ast.NamedExpr, ast.Await, ast.Yield)):
            return False
    return True


def _run_uses(run: Binding, client: str, unit: Unit, ctx: FixContext, workspace: Binding,
              submit: ast.Call, extra: list[str] | None) -> None:
    """Translate what v2 can express on the returned job; the rest blocks the fix."""
    for use in run.uses:
        parent = ctx.parent(use)
        outer = ctx.parent(parent) if parent is not None else None
        if isinstance(parent, ast.Attribute) and isinstance(outer, ast.Call) and outer.func is parent:
            if (parent.attr == "set_tags" and extra is not None and not any(e.startswith("tags=") for e in extra)
                    and _tags_at_submit(outer, submit, ctx)):
                extra.append(f"tags={ctx.locator.text(outer.args[0])}")
                unit.edits.append(statements.delete(ctx.locator, ctx.parent(outer)))  # type: ignore[arg-type]
                unit.findings.append(("AML030", outer))
                unit.own_uses.add(id(use))
            elif parent.attr == "get_portal_url" and not outer.args and not outer.keywords:
                unit.edits.append(statements.replace(ctx.locator, outer, f"{use.id}.studio_url"))
                unit.findings.append(("AML042", outer))
                unit.own_uses.add(id(use))
            elif parent.attr == "wait_for_completion" and _is_statement(outer, ctx) and _raises(outer):
                if not visible(ctx, outer, workspace):
                    continue
                unit.edits.append(statements.replace(ctx.locator, outer, f"{client}.jobs.stream({use.id}.name)"))
                unit.findings.append(("AML041", outer))
                unit.own_uses.add(id(use))
        elif isinstance(parent, ast.Attribute) and parent.attr == "id" and not (
            isinstance(outer, ast.Call) and outer.func is parent
        ):
            unit.edits.append(statements.replace(ctx.locator, parent, f"{use.id}.name"))
            unit.own_uses.add(id(use))
        elif isinstance(parent, ast.Expr) or (
            isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "print"
        ):
            unit.own_uses.add(id(use))  # displaying the job works the same way


def _is_statement(call: ast.Call, ctx: FixContext) -> bool:
    return isinstance(ctx.parent(call), ast.Expr)


def _raises(call: ast.Call) -> bool:
    """v2's stream always raises on failure: only v1's default raise_on_error=True maps."""
    for keyword in call.keywords:
        if keyword.arg == "raise_on_error":
            return isinstance(keyword.value, ast.Constant) and keyword.value.value is True
        if keyword.arg not in ("show_output", "wait_post_processing"):
            return False
    return len(call.args) <= 2


def fix(ctx: FixContext) -> Iterator[Unit]:
    """``run = experiment.submit(config)`` -> ``ml_client.jobs.create_or_update(config,
    experiment_name=...)``; the run's portal URL, wait and id are translated too."""
    flagged = {id(node) for node in detect(ctx)}  # type: ignore[arg-type]
    for site in ctx.model.calls:
        call = site.node
        if id(call) not in flagged:
            continue
        unit = Unit("AML001", call, "experiment.submit() -> ml_client.jobs.create_or_update()")
        try:
            experiment = _experiment(call.func.value, unit, ctx)  # type: ignore[attr-defined]
            workspace_node, name = experiment_parts(experiment, ctx)
            _job(call, unit, ctx)
        except ValueError as reason:
            yield unit.refuse(str(reason))
            continue
        workspace = workspace_binding(ctx, workspace_node)
        assert workspace is not None
        if not visible(ctx, call, workspace):
            yield unit.refuse(f"`{workspace.name}` is not the same variable where the job is submitted")
            continue
        if isinstance(name, ast.Name):
            named = ctx.binding_of(name)
            if named is None or not visible(ctx, call, named):
                yield unit.refuse(f"the experiment name `{name.id}` is not visible where the job is submitted")
                continue
        client = client_name(ctx, workspace)
        unit.edits.append(statements.replace(ctx.locator, call.func, f"{client}.jobs.create_or_update"))
        sg_call = ctx.locator.sg(call, "call")
        if sg_call is None:
            yield unit.refuse("ast-grep could not locate the call")
            continue
        extra = [f"experiment_name={ctx.locator.text(name)}"]
        run = ctx.assigned_binding(call)
        if run is not None:
            unit.binding = run
            _run_uses(run, client, unit, ctx, workspace, call, extra)
        elif not isinstance(ctx.parent(call), ast.Expr):
            unit.refuse("the submitted run is used as a value this fix cannot follow")
        container = sg_call.field("arguments")
        kept = [e for e in listedit.elements(container) if e.keyword not in SUBMIT_SETTINGS]
        unit.edits.extend(listedit.append(ctx.text, container, extra, ctx.locator.newline, kept))
        yield unit


RULE = Rule(
    code="AML001",
    name="experiment-submit",
    family=Family.JOBS,
    v1="Experiment.submit()",
    v2="MLClient.jobs.create_or_update(job, experiment_name=...)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "SDK v2 has no Experiment object: a job is submitted through MLClient and the "
        "experiment is just a name on the job. Without experiment_name, v2 files the job "
        "under the current folder's name."
    ),
    example=(
        "experiment = Experiment(workspace=ws, name='day1')\n"
        "run = experiment.submit(config)"
    ),
    use_instead=(
        "returned_job = ml_client.jobs.create_or_update(job, experiment_name='day1')"
    ),
    fixer=fix,
    sg_rule=sg_method_calls("submit"),
)
