"""Submitting the v1 configs other than ScriptRunConfig and Pipeline (AML001).

``experiment.submit(config)`` also takes a HyperDriveConfig, an AutoMLConfig or
an estimator.  Each config is migrated by its own rule into a v2 job (a sweep,
an AutoML job, a command); the submit then hands that job to
``ml_client.jobs.create_or_update``.  ``show_output=`` is a submit option only
these configs take: ``False`` is v2's behaviour, ``True`` waited and printed the
run's output, which ``ml_client.jobs.stream`` does.  The run these submits
return has methods v2 has no object for; they are named in the refusal.
"""

from __future__ import annotations

import ast

from ..engine.findings import line_ref
from ..engine.fixing import listedit, statements
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.names import Instance
from ..rules.aml009_estimator import ESTIMATORS
from ..rules.aml083_tuning_run_results import REPLACEMENTS
from ._common import workspace_binding
from .submission import experiment_parts

HYPERDRIVE_CONFIG = "azureml.train.hyperdrive.HyperDriveConfig"
AUTOML_CONFIG = "azureml.train.automl.AutoMLConfig"
KINDS = {HYPERDRIVE_CONFIG: "HyperDriveConfig", AUTOML_CONFIG: "AutoMLConfig",
         "azureml.train.automl.AutoMLImageConfig": "AutoMLConfig",
         **{e: e.rsplit(".", 1)[1] for e in ESTIMATORS}}
# Submit options these configs take and the migrated submit drops (it writes them out itself).
DROPPED_AT_SUBMIT = ("show_output",)

# What an AutoMLRun's own register_model / model_id do: register or name the best child's model.
_AUTOML_MODEL = "the parent job's MLflow tag automl_best_child_run_id names the best child, whose model is registered"


def _left(kind: str) -> dict[str, str]:
    """Methods of the run a submit returns that v2 has no object for (AML083), by config kind."""
    if kind == "AutoMLConfig":
        return {**REPLACEMENTS, "register_model": _AUTOML_MODEL, "model_id": _AUTOML_MODEL}
    return REPLACEMENTS


def config_kind(config: ast.expr | None, ctx: FixContext) -> str | None:
    """The class name of a HyperDriveConfig, AutoMLConfig or estimator being submitted."""
    if isinstance(config, ast.Name):
        binding = ctx.binding_of(config)
        value = binding.value if binding is not None else None
        return KINDS.get(value.type) if isinstance(value, Instance) else None
    if isinstance(config, ast.Call):
        return KINDS.get(ctx.callee(config) or "")
    return None


def submit(call: ast.Call, values: dict[str, ast.expr], unit: Rewrite, ctx: FixContext) -> bool:
    """Take over the submit when it sends one of these configs; False otherwise.
    Raises ValueError with the reason when the submit cannot be migrated."""
    config = values.get("config")
    kind = config_kind(config, ctx)
    if kind is None:
        return False
    extra = sorted(set(values) - {"config", "tags", *DROPPED_AT_SUBMIT})
    if extra:
        raise ValueError(f"submit({kind}, {', '.join(extra)}=): migrate it by hand")
    if isinstance(config, ast.Name):
        unit.consumes.append(config)
    else:
        unit.requires.append(config)  # type: ignore[arg-type]
    _positional_job(call, unit, ctx)
    _run_uses(call, kind, ctx)
    _show_output(call, values.get("show_output"), unit, ctx)
    unit.description = f"experiment.submit({kind}) -> ml_client.jobs.create_or_update()"
    return True


def _positional_job(call: ast.Call, unit: Rewrite, ctx: FixContext) -> None:
    """``submit(config=job)``: v2's create_or_update names its first parameter ``job``."""
    for keyword in call.keywords:
        if keyword.arg == "config":
            start = ctx.locator.start(keyword)
            unit.edits.append(Edit(start, ctx.locator.start(keyword.value), ""))


def _run_uses(call: ast.Call, kind: str, ctx: FixContext) -> None:
    run = ctx.assigned_binding(call)
    for use in run.uses if run is not None else []:
        parent = ctx.parent(use)
        left = _left(kind)
        if isinstance(parent, ast.Attribute) and parent.attr in left:
            raise ValueError(f"`{use.id}.{parent.attr}` ({line_ref(use.lineno)}) has no v2 {kind} run object; "
                             f"use {left[parent.attr]}")


def _show_output(call: ast.Call, flag: ast.expr | None, unit: Rewrite, ctx: FixContext) -> None:
    if flag is None:
        return
    if not isinstance(flag, ast.Constant) or not isinstance(flag.value, bool):
        raise ValueError("show_output= is not True or False")
    sg_call = ctx.locator.sg(call, "call")
    if sg_call is None:
        raise ValueError("ast-grep could not locate the call")
    container = sg_call.field("arguments")
    unit.edits.extend(listedit.delete_many(ctx.text, container,
                                           [e for e in listedit.elements(container) if e.keyword == "show_output"]))
    if not flag.value:
        return
    run = ctx.assigned_binding(call)
    if run is None:
        raise ValueError("submit(show_output=True) whose run is not assigned to a variable")
    client = ctx.counterpart(_workspace(call, ctx))  # type: ignore[arg-type]
    unit.edits.append(statements.insert_after(ctx.locator, ctx.statement_of(call), [f"{client}.jobs.stream({run.name}.name)"]))


def _workspace(call: ast.Call, ctx: FixContext) -> object:
    """The Workspace binding behind ``experiment.submit`` (AML001 has checked the experiment)."""
    receiver = call.func.value  # type: ignore[attr-defined]
    experiment = receiver
    if isinstance(receiver, ast.Name):
        binding = ctx.binding_of(receiver)
        experiment = binding.node.value  # type: ignore[union-attr]
    workspace, _ = experiment_parts(experiment, ctx)  # type: ignore[arg-type]
    return workspace_binding(ctx, workspace)
