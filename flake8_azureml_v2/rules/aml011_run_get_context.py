"""AML011: ``Run.get_context()`` fetches the v1 run inside a job."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import calls_to
from ..engine.names import Ref
from ._rule import AmlRule as Rule, Family, FixSafety
from ._injob import MLFLOW, RUN_GET_CONTEXT, is_pure, remove_statement, replace

RUN_ID = "mlflow.active_run().info.run_id"


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


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Delete ``run = Run.get_context()`` (or the bare call).  The unit owns the
    ``run`` variable: every other use must be rewritten by another in-job fix,
    or nothing in the group is applied."""
    for site in ctx.model.calls_to(RUN_GET_CONTEXT):
        call = site.node
        statement = ctx.parent(call)
        binding = ctx.assigned_binding(call)
        if not isinstance(statement, ast.Expr) and binding is None:
            continue  # inline ``Run.get_context().log(...)``: the call's own unit removes it
        unit = Rewrite("AML011", call, "removed Run.get_context(): the v2 job's MLflow run is already active")
        if not all(is_pure(a) for a in [*call.args, *(k.value for k in call.keywords)]):
            unit.refuse("its arguments are computed by calls")
        unit.binding = binding
        remove_statement(ctx, unit, statement)  # type: ignore[arg-type]
        if binding is not None:
            _run_id_reads(ctx, unit)
        yield unit


RULE = Rule(
    code="AML011",
    name="run-get-context",
    family=Family.IN_JOB,
    v1="Run.get_context()",
    v2="nothing: call mlflow directly (the v2 job's MLflow run is already active)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.Run.get_context"),
    message=(
        "Run.get_context() is Azure ML SDK v1; drop it and call mlflow directly "
        "(a v2 job already has an active MLflow run)"
    ),
    why=(
        "A v2 job sets the MLflow tracking URI and starts the run before the script "
        "begins, so there is no run object to fetch and no mlflow.start_run() to call. "
        "Removing the call is only correct once every use of the returned run has been "
        "rewritten to MLflow, hence the fix is unsafe. The fix deletes the variable only "
        "together with the rewrites of all its uses (run.id becomes "
        "mlflow.active_run().info.run_id); one use it cannot translate, such as "
        "run.input_datasets, leaves the whole script as it was."
    ),
    example=(
        "from azureml.core import Run\n"
        "run = Run.get_context()\n"
        "run.log('accuracy', 0.91)"
    ),
    use_instead=(
        "import mlflow\n"
        "mlflow.log_metric('accuracy', 0.91)"
    ),
    fixer=fix,
)
