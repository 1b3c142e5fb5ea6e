"""The migration for AML011: ``Run.get_context()`` fetches the v1 run inside a job."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.findings import line_ref
from ...engine.fixing import statements
from ...engine.fixing.rewrite import FixContext, Rewrite
from ...engine.names import Ref
from ._shared import MLFLOW, RUN_GET_CONTEXT, is_pure, remove_statement, replace

# mlflow.active_run() is None until the first MLflow call starts the job's run (from MLFLOW_RUN_ID),
# so a read of run.id before any logging starts it as that first call would.
RUN_ID = "(mlflow.active_run() or mlflow.start_run()).info.run_id"
# The script now logs through MLflow, whichever SDK launches it: say, where the run was
# fetched, what its job needs (mapping.md 6), once per script.
ENVIRONMENT_TODO = ("# TODO(azureml-v2): AML011 this script logs with MLflow: its job's environment needs mlflow "
                    "and azureml-mlflow")


def _run_id_reads(ctx: FixContext, unit: Rewrite) -> None:
    """``run.id`` (read, not called) is the active MLflow run's id."""
    assert unit.binding is not None
    mlflow = ctx.model.module_scope.names.get("mlflow")
    for use in unit.binding.uses:
        read = ctx.parent(use)
        if not isinstance(read, ast.Attribute) or read.attr != "id" or not isinstance(read.ctx, ast.Load):
            continue
        owner = ctx.parent(read)
        if isinstance(owner, ast.Call) and owner.func is read:
            continue
        if mlflow is not None and mlflow.value != Ref("mlflow"):
            continue
        replace(ctx, unit, read, RUN_ID)
        unit.own_uses.add(id(use))
        unit.imports.add(MLFLOW)


def _alone_on_its_lines(ctx: FixContext, statement: ast.stmt) -> bool:
    """Nothing but whitespace before and after the statement on its lines (no trailing comment)."""
    source = ctx.locator.source.text
    start, end = ctx.locator.start(statement), ctx.locator.end(statement)
    return not source[ctx.locator.line_start(start):start].strip() and not source[end:ctx.locator.line_end(end)].strip()


# The run's attributes whose migrations call MLflow (run.complete() just goes; input_datasets,
# parent and experiment have no MLflow form): only these make the environment TODO true.
_MLFLOW_USES = frozenset({"log", "log_list", "log_row", "log_table", "log_image", "log_accuracy_table",
                          "log_confusion_matrix", "log_predictions", "log_residuals", "tag", "set_tags",
                          "upload_file", "upload_files", "upload_folder", "fail", "id"})


def _moves_to_mlflow(ctx: FixContext, use: ast.AST) -> bool:
    read = ctx.parent(use)
    return isinstance(read, ast.Attribute) and read.attr in _MLFLOW_USES


# Calls that make a program the one that submits jobs rather than one that runs in them.
_SUBMITTING = ("azureml.core.Experiment", "azureml.core.ScriptRunConfig", "azureml.pipeline.core.Pipeline",
               "azureml.train.", "azure.ai.ml.MLClient", "azure.ai.ml.command")


def _submits(ctx: FixContext) -> str | None:
    """Where the program submits (or configures) a job, or None.  Run there, ``Run.get_context()``
    is v1's offline run, whose logging only prints: MLflow would start a run of its own."""
    for qualname, sites in ctx.model.calls_by_callee.items():
        if sites and qualname.startswith(_SUBMITTING):
            return line_ref(sites[0].node.lineno)
    return None


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Delete ``run = Run.get_context()`` (or the bare call).  The unit owns the
    ``run`` variable; the in-job fixes rewrite its calls to MLflow.  When a use
    has no MLflow form (``run.input_datasets``, ``run.parent``, ``run.experiment``),
    ``run`` stays for it and the other calls still move to MLflow: inside a v2 job
    MLflow's run is the job's run."""
    for site in ctx.model.calls_to(RUN_GET_CONTEXT):
        call = site.node
        statement = ctx.parent(call)
        binding = ctx.assigned_binding(call)
        if not isinstance(statement, ast.Expr) and binding is None:
            continue  # inline ``Run.get_context().log(...)``: the call's own unit removes it
        unit = Rewrite("AML011", call, "removed Run.get_context(): the v2 job's MLflow run is already active")
        if not all(is_pure(a) for a in [*call.args, *(k.value for k in call.keywords)]):
            unit.refuse("its arguments are computed by calls")
        submitting = _submits(ctx)
        if submitting is not None:
            unit.refuse(f"this program also submits jobs ({submitting}), so it runs outside a job, where v1's "
                        "offline run only printed what it logged and MLflow would start a run of its own")
        unit.binding = binding
        logs = binding is not None and any(_moves_to_mlflow(ctx, use) for use in binding.uses)
        todo = [] if ENVIRONMENT_TODO in ctx.text or not logs else [  # once per script, kept on a later run
            statements.insert_before(ctx.locator, statement, [ENVIRONMENT_TODO])]  # type: ignore[arg-type]
        unit.todos.extend([ENVIRONMENT_TODO] if todo else [])
        removal = Rewrite(unit.code, call, "")
        remove_statement(ctx, removal, statement)  # type: ignore[arg-type]
        if todo and _alone_on_its_lines(ctx, statement) and all(not e.text for e in removal.edits):  # type: ignore[arg-type]
            # the TODO takes the deleted statement's own line: the author's spacing around it stays
            unit.edits.append(statements.replace(ctx.locator, statement, ENVIRONMENT_TODO))
        else:
            unit.edits.extend([*removal.edits, *todo])
        if binding is not None:
            _run_id_reads(ctx, unit)
            unit.alive_edits = list(todo)
            unit.alive_description = "Run.get_context() kept for the v1 code that still uses it; its logging uses MLflow"
            unit.must_keep_alive = ctx.is_imported_elsewhere(binding)
        yield unit


