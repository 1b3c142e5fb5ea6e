"""Pipeline step kinds other than PythonScriptStep, each planned by its own module.

The pipeline planner (``pipelines``) asks :func:`plan` for a step it does not
build itself; the answer is the same :class:`~.pipelines.StepPlan` a
PythonScriptStep gets (a component, its inputs and outputs, the edits), so
the pipeline function calls it like any other node.
"""

from __future__ import annotations

import ast
import importlib
from typing import TYPE_CHECKING

from ..engine.fixing.rewrite import FixContext

if TYPE_CHECKING:
    from .pipelines import StepPlan

# step class -> (migrations module, planner function)
OTHER_STEPS = {
    "azureml.pipeline.steps.ParallelRunStep": ("parallel", "plan_parallel_step"),
    "azureml.pipeline.steps.EstimatorStep": ("estimator_step", "plan_estimator_step"),
    "azureml.pipeline.steps.HyperDriveStep": ("hyperdrive_step", "plan_hyperdrive_step"),
    "azureml.pipeline.steps.AutoMLStep": ("automl_step", "plan_automl_step"),
}


def plan(callee: str, call: ast.Call, ctx: FixContext) -> StepPlan:
    """Raises ValueError with the reason when the step cannot be planned."""
    module, function = OTHER_STEPS[callee]
    planner = getattr(importlib.import_module(f"{__package__}.{module}"), function)
    return planner(call, ctx)  # type: ignore[no-any-return]
