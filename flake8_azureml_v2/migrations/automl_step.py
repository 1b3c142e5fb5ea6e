"""The migration for AML055: an ``AutoMLStep`` becomes an automl node of the pipeline function.

mapping-extension.md 8.2: ``AutoMLStep(name, automl_config)`` is an automl node in
``@dsl.pipeline``.  A node must be built inside the pipeline function, so the
AutoMLConfig (AML051) keeps the factory's arguments where it was built
(``cfg = dict(compute=..., training_data=..., ...)``), and the pipeline body builds
``step = automl.<task>(**{**cfg, "training_data": step_training_data})`` followed by the
setter calls that carry v1's limits, training and featurization settings (with v1's
defaults written out).  The data goes through inputs of the pipeline function, which the
pipeline's call fills from ``cfg``: given to the node itself, an ``Input`` is sent as its
string form (the node schema tries ``Str`` first).

Left for people: ``outputs=`` (v2's best model is the node's ``best_model`` MLflow
model, not v1's pickled model, so whatever reads it changes), ``inputs=``, and
``allow_reuse=False``, which has no setting on a v2 automl node.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Refused
from ..engine.names import Binding
from . import commandline
from ._common import bound_step, is_empty, sole_use_as_argument
from .pipelines import StepPlan, assigned_plainly, compute_source, plan_once, step_rewrites

CODE = "AML055"
AUTOML_STEP = "azureml.pipeline.steps.AutoMLStep"
AUTOML_CONFIG = "azureml.train.automl.AutoMLConfig"
SIGNATURE = ["name", "automl_config", "inputs", "outputs", "script_repl_params", "allow_reuse", "version",
             "hash_paths", "enable_default_model_output", "enable_default_metrics_output"]
_POSITIONAL = 2
_DATA = ("training_data", "validation_data", "test_data")  # AutoMLConfig's data, named alike in v2
# v1 defaults with nothing to say once no output of the step is read
_DROPPED = ("enable_default_model_output", "enable_default_metrics_output", "hash_paths", "version")


def run_by(binding: Binding | None, ctx: FixContext) -> ast.Call | None:
    """The AutoMLStep that runs the AutoMLConfig ``binding`` holds, its only use."""
    return sole_use_as_argument(ctx, binding, AUTOML_STEP, "automl_config", 1)


def plan_automl_step(call: ast.Call, ctx: FixContext) -> StepPlan:
    """The automl node; raises ValueError with the reason."""
    return plan_once("automl_step_plans", _plan, call, ctx)


def _plan(call: ast.Call, ctx: FixContext) -> StepPlan:
    from .automl import step_settings

    binding = assigned_plainly(call, ctx)
    try:
        values = bound_step(call, "AutoMLStep", SIGNATURE, _POSITIONAL)
    except Refused as reason:
        raise ValueError(str(reason)) from None
    _supported(values)
    config_node = values.get("automl_config")
    config = ctx.binding_of(config_node) if isinstance(config_node, ast.Name) else None
    statement = config.node if config is not None else None
    if (config is None or config.conditional or not isinstance(statement, ast.Assign)
            or ctx.callee(statement.value) != AUTOML_CONFIG or run_by(config, ctx) is not call):
        raise ValueError("automl_config= is not an AutoMLConfig variable built by one plain assignment for this "
                         "step only")
    settings = step_settings(statement.value, ctx)  # type: ignore[arg-type]
    if settings.rewrite.refusal is not None:
        raise ValueError(f"its AutoMLConfig: {settings.rewrite.refusal.detail}")
    compute = next(k.value for k in statement.value.keywords if k.arg == "compute_target")  # type: ignore[attr-defined]
    consumes: list[ast.Name] = [config_node]  # type: ignore[list-item]
    plan = StepPlan(call, binding, f"{ctx.symbol('azure.ai.ml', 'automl')}.{settings.factory}", binding.name,
                    commandline.CommandLine(), compute_source(compute, ctx, consumes), consumes=consumes)
    # An automl node's data must be an input of the pipeline function: an Input object given to
    # the node itself is sent as its string form.  The node reads the parameter; the call passes
    # the Input the settings built.
    data = [k.arg for k in statement.value.keywords if k.arg in _DATA]  # type: ignore[attr-defined]
    plan.inputs = {f"{binding.name}_{key}": f'{config.name}["{key}"]' for key in data}
    overrides = ", ".join(f'"{key}": {binding.name}_{key}' for key in data)
    plan.spread = [f"**{{**{config.name}, {overrides}}}" if data else f"**{config.name}"]
    plan.after = list(settings.setters)
    if "name" in values:
        plan.after.append(f"{binding.name}.display_name = {ctx.locator.text(values['name'])}")
    plan.notes.extend(f"{name}= was dropped: no output of the step is read" for name in _DROPPED if name in values)
    plan.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
    return plan


def _supported(values: dict[str, ast.expr]) -> None:
    for name in ("inputs", "outputs"):
        if not is_empty(values.get(name)):
            raise ValueError(f"{name}= of an AutoMLStep: a v2 automl node reads its data from its settings and "
                             "gives its best model as outputs.best_model (an MLflow model, not v1's pickle); "
                             "migrate it and its readers by hand")
    if not is_empty(values.get("script_repl_params")):
        raise ValueError("script_repl_params= has no v2 equivalent")
    reuse = values.get("allow_reuse")
    if reuse is not None and not (isinstance(reuse, ast.Constant) and reuse.value is True):
        raise ValueError("allow_reuse= other than True: a v2 automl node has no reuse setting; decide by hand "
                         "(force_rerun=True on the pipeline reruns every node)")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Each AutoMLStep goes; the pipeline (AML004) builds its automl node."""
    return step_rewrites(ctx, AUTOML_STEP, CODE, "AutoMLStep() -> an automl node in the pipeline function",
                         plan_automl_step)
