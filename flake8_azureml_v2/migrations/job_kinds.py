"""Submitting the v1 configs other than ScriptRunConfig and Pipeline (AML001).

``experiment.submit(config)`` also takes a HyperDriveConfig, an AutoMLConfig or
an estimator.  Each config is migrated by its own rule into a v2 job (a sweep,
an AutoML job, a command); the submit then hands that job to
``ml_client.jobs.create_or_update``.  ``show_output=`` is a submit option only an
AutoMLConfig's submit takes: ``False`` is v2's behaviour, ``True`` waited and printed the
run's output, which ``ml_client.jobs.stream`` does (a HyperDriveConfig's submit ignored it).
The run these submits return has methods v2 has no object for; they are named in the refusal.
"""

from __future__ import annotations

import ast

from ..engine.findings import line_ref
from ..engine.fixing import listedit, statements
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite, describe_use
from ..engine.names import Instance
from ..rules.aml009_estimator import ESTIMATORS
from ..rules.aml083_tuning_run_results import REPLACEMENTS
from ._common import workspace_binding
from .run_handle import BEST_TRIAL_HELPERS, TRACKING_NEEDS, RunNames, untranslated
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
    _run_uses(call, kind, unit, ctx)
    _show_output(call, values.get("show_output"), kind, unit, ctx)
    unit.description = f"experiment.submit({kind}) -> ml_client.jobs.create_or_update()"
    return True


def _positional_job(call: ast.Call, unit: Rewrite, ctx: FixContext) -> None:
    """``submit(config=job)``: v2's create_or_update names its first parameter ``job``."""
    for keyword in call.keywords:
        if keyword.arg == "config":
            start = ctx.locator.start(keyword)
            unit.edits.append(Edit(start, ctx.locator.start(keyword.value), ""))


def _run_uses(call: ast.Call, kind: str, unit: Rewrite, ctx: FixContext) -> None:
    run = ctx.assigned_binding(call)
    for use in run.uses if run is not None else []:
        parent = ctx.parent(use)
        left = _left(kind)
        if kind == "HyperDriveConfig" and _best_trial(call, use, unit, ctx):
            continue
        if isinstance(parent, ast.Attribute) and parent.attr in left:
            raise ValueError(f"`{use.id}.{parent.attr}` ({line_ref(use.lineno)}) has no v2 {kind} run object; "
                             f"use {left[parent.attr]}")


def _best_trial(submit: ast.Call, use: ast.Name, unit: Rewrite, ctx: FixContext) -> bool:
    """``best = hd_run.get_best_run_by_primary_metric()`` -> the sweep's best trial found with
    MLflow (mapping-extension.md 8.1, D+T), with every use of ``best`` on that MLflow run;
    False when it is not that form.  Raises ValueError when a use of ``best`` has no MLflow form."""
    method = ctx.parent(use)
    call = ctx.parent(method) if method is not None else None
    if not (isinstance(method, ast.Attribute) and method.attr == "get_best_run_by_primary_metric"
            and isinstance(call, ast.Call) and call.func is method):
        return False
    unit.findings.append(("AML083", call))  # fixed with the submit, or left with its reason
    best = ctx.assigned_binding(call)
    if call.args or call.keywords or best is None or best.conditional:
        raise ValueError(f"`{use.id}.get_best_run_by_primary_metric` ({line_ref(use.lineno)}) is not "
                         "`best = run.get_best_run_by_primary_metric()`: migrate it by hand")
    client = ctx.counterpart(_workspace(submit, ctx))  # type: ignore[arg-type]
    stuck = untranslated(best, RunNames(client, f"{best.name}.info.run_id"), unit, ctx, job=False)
    if stuck is not None:
        why = ctx.why_not.get(id(stuck))
        raise ValueError(f"the best run `{best.name}` is also used at {describe_use(ctx.locator, ctx, stuck)}, "
                         f"which an MLflow run cannot answer{f' ({why})' if why else ''}")
    unit.edits.append(statements.replace(ctx.locator, call, f"_v1_best_trial({client}, {use.id})"))
    comment = ("# TODO(azureml-v2): AML083 the best trial is searched in MLflow among the sweep's child runs, by "
               "the sweep's primary metric (v1 asked HyperDrive); this machine needs azureml-mlflow")
    unit.edits.extend(statements.insert_before(ctx.locator, ctx.statement_of(call), [comment]))
    unit.todos.append(comment)
    unit.helpers.update(BEST_TRIAL_HELPERS)
    unit.silent_needs.update(TRACKING_NEEDS)
    unit.own_uses.add(id(use))
    return True


def _show_output(call: ast.Call, flag: ast.expr | None, kind: str, unit: Rewrite, ctx: FixContext) -> None:
    """``show_output=True`` waited and printed for an AutoMLConfig only: v1's HyperDrive submit took any
    keyword and returned at once, and an estimator's submit raised TrainingException for it."""
    if flag is None:
        return
    if kind not in ("AutoMLConfig", "HyperDriveConfig"):
        raise ValueError(f"submit({kind}, show_output=...) raised TrainingException in v1 (an estimator's submit "
                         "takes only script_params, inputs and source_directory_data_store)")
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
    if kind == "HyperDriveConfig":
        unit.notes.append("show_output= dropped: v1's HyperDrive submit ignored it and returned at once")
        return
    run = ctx.assigned_binding(call)
    if run is None:
        raise ValueError("submit(show_output=True) whose run is not assigned to a variable")
    client = ctx.counterpart(_workspace(call, ctx))  # type: ignore[arg-type]
    unit.edits.extend(statements.insert_after(ctx.locator, ctx.statement_of(call), [f"{client}.jobs.stream({run.name}.name)"]))


def _workspace(call: ast.Call, ctx: FixContext) -> object:
    """The Workspace binding behind ``experiment.submit`` (AML001 has checked the experiment)."""
    receiver = call.func.value  # type: ignore[attr-defined]
    experiment = receiver
    if isinstance(receiver, ast.Name):
        binding = ctx.binding_of(receiver)
        experiment = binding.node.value  # type: ignore[union-attr]
    workspace, _ = experiment_parts(experiment, ctx)  # type: ignore[arg-type]
    return workspace_binding(ctx, workspace)
