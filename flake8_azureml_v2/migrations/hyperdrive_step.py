"""The migration for AML054: a ``HyperDriveStep`` becomes a sweep node of the pipeline function.

mapping-extension.md 8.1: inside ``@dsl.pipeline`` the node is the trial command
called with its data and the search space, then swept.  A sweep node must be
built inside the pipeline function, so the HyperDriveConfig (AML050) becomes
the sweep's settings, kept where it was built (``hd = dict(sampling_algorithm=...,
primary_metric=..., ...)``), and the pipeline body builds
``hd_step = trial(data=..., **space).sweep(**hd)``.  The trial's command (AML002)
declares the step's data as inputs the pipeline binds.

Left for people: a step's ``outputs=`` and ``metrics_output=`` (a sweep node's
outputs are its best trial's: the trial must write them itself), arguments on
the step rather than on the trial, and ``allow_reuse=False``.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator

from ..engine.findings import RefusalKind, line_ref
from ..engine.fixing.arguments import bind_arguments
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Refused
from ..engine.names import Binding
from . import commandline
from ._common import bound_step, is_empty, sole_use_as_argument
from ._once import read_once
from .pipelines import StepPlan, assigned_plainly, compute_source, plan_once, step_rewrites

CODE = "AML054"
HYPERDRIVE_STEP = "azureml.pipeline.steps.HyperDriveStep"
HYPERDRIVE_CONFIG = "azureml.train.hyperdrive.HyperDriveConfig"
SCRIPT_RUN_CONFIG = "azureml.core.ScriptRunConfig"
SIGNATURE = ["name", "hyperdrive_config", "estimator_entry_script_arguments", "inputs", "outputs",
             "metrics_output", "allow_reuse", "version"]
_POSITIONAL = 2


@dataclasses.dataclass
class StepArguments:
    values: dict[str, ast.expr]
    data: commandline.PipelineStep  # what the step lists in inputs=
    edits: list[Edit]  # an inputs= list variable absorbed into the step


def run_by(binding: Binding | None, ctx: FixContext) -> ast.Call | None:
    """The HyperDriveStep that runs the HyperDriveConfig ``binding`` holds, its only use."""
    return sole_use_as_argument(ctx, binding, HYPERDRIVE_STEP, "hyperdrive_config", 1)


def trial_data(binding: Binding | None, ctx: FixContext) -> commandline.PipelineStep | None:
    """The data a HyperDriveStep lists for the trial ``binding`` holds, when that trial is
    only ``run_config=`` of a HyperDriveConfig that only the step runs; raises
    :class:`Refused` when the step cannot be migrated."""
    config = sole_use_as_argument(ctx, binding, HYPERDRIVE_CONFIG, "run_config")
    step = run_by(ctx.assigned_binding(config), ctx) if config is not None else None
    if step is None:
        return None
    try:
        return step_arguments(step, ctx).data
    except Refused as reason:
        raise Refused(f"the HyperDriveStep at {line_ref(step.lineno)} that runs it: {reason}", reason.kind) from None


def step_arguments(call: ast.Call, ctx: FixContext) -> StepArguments:
    """Read once per pass; raises :class:`Refused` with what a person must do."""
    return read_once(ctx, "hyperdrive_steps", call, lambda: _read(call, ctx))


def _read(call: ast.Call, ctx: FixContext) -> StepArguments:
    values = bound_step(call, "HyperDriveStep", SIGNATURE, _POSITIONAL)
    if not is_empty(values.get("outputs")):
        raise Refused("outputs= of a HyperDriveStep: a v2 sweep node's outputs are its best trial's, which the "
                      "trial script must write to a named output; migrate it by hand")
    if not is_empty(values.get("metrics_output")):
        raise Refused("metrics_output= has no v2 equivalent", RefusalKind.IMPOSSIBLE)
    if not is_empty(values.get("estimator_entry_script_arguments")):
        raise Refused("estimator_entry_script_arguments= on the step: give the trial its arguments by hand")
    reuse = values.get("allow_reuse")
    if reuse is not None and not (isinstance(reuse, ast.Constant) and reuse.value is True):
        raise Refused("allow_reuse= other than True: set is_deterministic on the trial command by hand")
    data, edits = commandline.step_data(values.get("inputs"), None, ctx)
    return StepArguments(values, data, edits)


def plan_hyperdrive_step(call: ast.Call, ctx: FixContext) -> StepPlan:
    """The sweep node; raises ValueError with the reason."""
    return plan_once("hyperdrive_step_plans", _plan, call, ctx)


def _plan(call: ast.Call, ctx: FixContext) -> StepPlan:
    from . import hyperdrive, script_run_config

    binding = assigned_plainly(call, ctx)
    try:
        arguments = step_arguments(call, ctx)
        config_node = arguments.values.get("hyperdrive_config")
        config = _built_by(config_node, HYPERDRIVE_CONFIG, ctx, "hyperdrive_config=")
        if run_by(config, ctx) is not call:
            raise Refused("hyperdrive_config= is also used outside this step")
        config_call = config.node.value  # type: ignore[attr-defined]
        given = {k.arg: k.value for k in config_call.keywords}
        if "estimator" in given and "run_config" not in given:  # (audit, stop 63, b M4: the message named run_config=)
            raise Refused("the HyperDriveConfig's trial is an estimator=: a sweep node over an estimator's command is "
                          "not migrated yet; give the HyperDriveConfig a ScriptRunConfig as run_config= first")
        trial = _built_by(given.get("run_config"), SCRIPT_RUN_CONFIG, ctx, "the HyperDriveConfig's run_config=")
        _, line, _ = script_run_config.command_line(trial.node.value, ctx)  # type: ignore[attr-defined]
        sampling = given.get("hyperparameter_sampling", config_call.args[0] if config_call.args else None)
        if sampling is None:
            raise Refused("the HyperDriveConfig has no hyperparameter_sampling=")
        space = hyperdrive.search_space(sampling, ctx)
    except Refused as reason:
        raise ValueError(str(reason)) from None
    trial_arguments = bind_arguments(trial.node.value, list(script_run_config.SPEC.signature))  # type: ignore[attr-defined]
    compute = trial_arguments.values.get("compute_target") if not isinstance(trial_arguments, str) else None
    if compute is None:
        raise ValueError("the trial has no compute_target= of its own")
    consumes: list[ast.Name] = [config_node]  # type: ignore[list-item]
    compute_text = compute_source(compute, ctx, consumes)
    searched = {name for name, p in line.parameters.items() if p.origin == hyperdrive.SEARCHED}
    node_line = dataclasses.replace(line, parameters={k: v for k, v in line.parameters.items() if k not in searched})
    plan = StepPlan(call, binding, trial.name, binding.name, node_line, compute_text, consumes=consumes)
    plan.spread = [f"**{space.binding.name if space.binding is not None else space.text}"]
    plan.suffix = f".sweep(**{config.name})"
    if "name" in arguments.values:
        plan.after.append(f"{binding.name}.display_name = {ctx.locator.text(arguments.values['name'])}")
    if "version" in arguments.values:
        plan.notes.append("version= has no v2 equivalent and was dropped")
    plan.edits.extend(arguments.edits)
    plan.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
    return plan


def _built_by(node: ast.expr | None, callee: str, ctx: FixContext, what: str) -> Binding:
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    statement = binding.node if binding is not None else None
    if (binding is None or binding.conditional or not isinstance(statement, ast.Assign)
            or ctx.callee(statement.value) != callee):
        raise Refused(f"{what} is not a {callee.rsplit('.', 1)[1]} variable built by one plain assignment")
    return binding


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Each HyperDriveStep goes; the pipeline (AML004) builds its sweep node.  The trial's
    data, findings and TODO comments belong to the trial's rewrite (AML002)."""
    return step_rewrites(ctx, HYPERDRIVE_STEP, CODE, "HyperDriveStep() -> a sweep node in the pipeline function",
                         plan_hyperdrive_step)
