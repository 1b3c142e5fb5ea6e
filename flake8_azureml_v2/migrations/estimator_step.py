"""The migration for AML057: an ``EstimatorStep`` becomes its estimator's command, called as a node.

mapping-extension.md 8.4: the estimator itself becomes ``command(...)`` (AML009,
``estimators``).  When a step runs it, that command also takes what the step
adds: its arguments (appended to the entry script's, as v1 did), its data as
typed inputs and outputs, its name as ``display_name`` and ``allow_reuse`` as
``is_deterministic``.  The step's statement then goes, and the pipeline function
(AML004) calls the estimator's command like any other component.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Refused
from ..engine.names import Binding
from . import commandline
from ._common import bound_step, is_empty, sole_use_as_argument
from ._once import read_once
from .pipelines import StepPlan, assigned_plainly, compute_source, plan_once, step_rewrites

CODE = "AML057"
ESTIMATOR_STEP = "azureml.pipeline.steps.EstimatorStep"
# v1's order; positions after the third are refused, since sources disagree on them
SIGNATURE = ["name", "estimator", "estimator_entry_script_arguments", "runconfig_pipeline_params", "inputs",
             "outputs", "compute_target", "allow_reuse", "version"]
_POSITIONAL = 3


@dataclass
class StepArguments:
    """What a step adds to its estimator's command."""

    call: ast.Call
    values: dict[str, ast.expr]
    items: list[ast.expr]  # the entry script's arguments
    data: commandline.PipelineStep  # the data the step lists
    edits: list[Edit] = field(default_factory=list)  # list variables absorbed into the step


def run_by(binding: Binding | None, ctx: FixContext) -> ast.Call | None:
    """The EstimatorStep that runs the estimator ``binding`` holds, when that is its only use."""
    return sole_use_as_argument(ctx, binding, ESTIMATOR_STEP, "estimator", 1)


def step_arguments(call: ast.Call, ctx: FixContext) -> StepArguments:
    """The step's arguments and data, read once per pass; raises :class:`Refused`."""
    return read_once(ctx, "estimator_steps", call, lambda: _read(call, ctx))


def _read(call: ast.Call, ctx: FixContext) -> StepArguments:
    values = bound_step(call, "EstimatorStep", SIGNATURE, _POSITIONAL)
    if not is_empty(values.get("runconfig_pipeline_params")):
        raise Refused("runconfig_pipeline_params= has no v2 equivalent")
    data, edits = commandline.step_data(values.get("inputs"), values.get("outputs"), ctx)
    items: list[ast.expr] = []
    if "estimator_entry_script_arguments" in values:
        items, more = commandline.argument_items(values["estimator_entry_script_arguments"], ctx)
        edits.extend(more)
    return StepArguments(call, values, items, data, edits)


def command_settings(call: ast.Call, ctx: FixContext) -> list[str]:
    """What the step sets on its estimator's command: its name and its reuse."""
    values = step_arguments(call, ctx).values
    text = ctx.locator.text
    settings = [f"display_name={text(values['name'])}"] if "name" in values else []
    if "allow_reuse" in values:
        settings.append(f"is_deterministic={text(values['allow_reuse'])}")
    return settings


def plan_estimator_step(call: ast.Call, ctx: FixContext) -> StepPlan:
    """The step's node: the estimator's command; raises ValueError with the reason."""
    return plan_once("estimator_step_plans", _plan, call, ctx)


def _plan(call: ast.Call, ctx: FixContext) -> StepPlan:
    from .estimators import estimator_line

    binding = assigned_plainly(call, ctx)
    try:
        arguments = step_arguments(call, ctx)
    except Refused as reason:
        raise ValueError(str(reason)) from None
    values = arguments.values
    estimator = values.get("estimator")
    estimator_binding = ctx.binding_of(estimator) if isinstance(estimator, ast.Name) else None
    if estimator_binding is None or run_by(estimator_binding, ctx) is not call:
        raise ValueError("estimator= is not an estimator variable used only by this step")
    statement = estimator_binding.node
    if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
        raise ValueError("the estimator is not built by one plain assignment")
    try:
        line = estimator_line(statement.value, ctx)
    except Refused as reason:
        raise ValueError(str(reason)) from None
    if "compute_target" not in values:
        raise ValueError("the step has no compute_target")
    consumes: list[ast.Name] = [estimator]  # type: ignore[list-item]
    compute = compute_source(values["compute_target"], ctx, consumes)
    _same_compute(statement.value, values["compute_target"], ctx)
    notes = [f"{name}= has no v2 equivalent and was dropped" for name in ("version",) if name in values]
    plan = StepPlan(call, binding, estimator_binding.name, binding.name, line, compute,
                    consumes=consumes + line.consumes, notes=notes, resolves=list(line.resolves),
                    imports=set(line.imports))
    plan.edits.extend(arguments.edits)
    plan.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
    return plan


def _same_compute(estimator: ast.Call, step_compute: ast.expr, ctx: FixContext) -> None:
    """The node runs where the estimator's command says; v1 ran it where the step said."""
    for keyword in estimator.keywords:
        if keyword.arg == "compute_target" and ctx.locator.text(keyword.value) != ctx.locator.text(step_compute):
            raise ValueError("the estimator and its step name different compute targets")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Each EstimatorStep goes; its estimator's command is the node the pipeline (AML004) calls."""
    return step_rewrites(ctx, ESTIMATOR_STEP, CODE, "EstimatorStep() -> the estimator's command as a pipeline node",
                         plan_estimator_step)
