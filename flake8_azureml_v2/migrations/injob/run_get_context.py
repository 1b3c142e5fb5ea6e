"""The migration for AML011: ``Run.get_context()`` fetches the v1 run inside a job."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from ... import notebooks
from ...engine import project
from ...engine.findings import RefusalKind, line_ref
from ...engine.fixing import statements
from ...engine.fixing.parameters import Parameter
from ...engine.fixing.imports import import_handlers
from ...engine.fixing.rewrite import FixContext, Rewrite, snippet
from ...engine.names import Binding, Ref
from ...rules._shared import RUN
from ._shared import (MLFLOW, MLFLOW_USES, RUN_GET_CONTEXT, is_pure, logging_hold, rejected_character,
                      remove_statement, replace)
from .passed_run import origins, passed_runs, receivers

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
        if not _is_id_read(ctx, read):
            continue
        if mlflow is not None and mlflow.value != Ref("mlflow"):
            continue
        replace(ctx, unit, read, RUN_ID)
        unit.own_uses.add(id(use))
        unit.imports.add(MLFLOW)


def _is_id_read(ctx: FixContext, read: ast.AST) -> bool:
    """``<run>.id`` read, not called."""
    if not (isinstance(read, ast.Attribute) and read.attr == "id" and isinstance(read.ctx, ast.Load)):
        return False
    owner = ctx.parent(read)
    return not (isinstance(owner, ast.Call) and owner.func is read)


def _inline_id(ctx: FixContext, call: ast.Call, read: ast.Attribute) -> Rewrite:
    """``Run.get_context().id`` -> the active MLflow run's id (mapping.md 6), as for ``run.id``
    (audit, stop 63, e M3)."""
    unit = Rewrite("AML011", call, "Run.get_context().id -> the active MLflow run's id")
    mlflow = ctx.model.module_scope.names.get("mlflow")
    reason = kept_reason(ctx, call, True) or logging_hold(ctx)
    if reason is None and mlflow is not None and mlflow.value != Ref("mlflow"):
        reason = "`mlflow` names something else in this module", RefusalKind.DATA_FLOW
    if reason is not None:
        return unit.refuse(*reason)
    replace(ctx, unit, read, RUN_ID)
    unit.imports.add(MLFLOW)
    if ENVIRONMENT_TODO not in ctx.text:
        unit.edits.extend(statements.insert_before(ctx.locator, ctx.statement_of(call), [ENVIRONMENT_TODO]))
        unit.todos.append(ENVIRONMENT_TODO)
    return unit


def _reads_its_id(ctx: FixContext, binding: Binding | None) -> bool:
    """``run.id`` read (not called): this unit turns it into MLflow's run id."""
    return binding is not None and any(_is_id_read(ctx, ctx.parent(use)) for use in binding.uses)


def _alone_on_its_lines(ctx: FixContext, statement: ast.stmt) -> bool:
    """Nothing but whitespace before and after the statement on its lines (no trailing comment)."""
    source = ctx.locator.source.text
    start, end = ctx.locator.start(statement), ctx.locator.end(statement)
    return not source[ctx.locator.line_start(start):start].strip() and not source[end:ctx.locator.line_end(end)].strip()


def _moves_to_mlflow(ctx: FixContext, use: ast.AST) -> bool:
    """A use of the run that becomes MLflow's: not a log or tag whose name MLflow rejects, which
    stays v1 (held-out audit e: a script logging only '# rows' was said to log with MLflow)."""
    read = ctx.parent(use)
    if not (isinstance(read, ast.Attribute) and read.attr in MLFLOW_USES):
        return False
    call = ctx.parent(read)
    if read.attr in _NAMED_FIRST and isinstance(call, ast.Call) and call.func is read:
        name = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("name", "key")), None)
        return name is None or rejected_character(ctx, name) is None
    return True


# The run's methods whose first argument names the metric, table or tag that MLflow is given.
_NAMED_FIRST = frozenset({"log", "log_list", "log_row", "log_table", "tag"})


def _logs(ctx: FixContext, binding: Binding) -> bool:
    """Something of the run moves to MLflow, here or in a function it is handed to."""
    return any(_moves_to_mlflow(ctx, use) for b in [binding, *(p.binding for p in receivers(ctx, binding))]
               for use in b.uses)


# Calls that make a program the one that submits jobs rather than one that runs in them: v1's
# experiments, configurations, estimators and sweeps, and v2's jobs (the form a migrated one takes).
_SUBMITTING = ("azureml.core.Experiment", "azureml.core.ScriptRunConfig", "azureml.pipeline.core.Pipeline",
               "azureml.pipeline.core.PipelineEndpoint", "azureml.pipeline.core.PipelineDraft",
               "azureml.pipeline.core.PublishedPipeline.submit",
               "azureml.train.", "azure.ai.ml.command", "azure.ai.ml.dsl.pipeline", "azure.ai.ml.automl.",
               "azure.ai.ml.sweep")
# ... but not the handles of runs that exist already (``AutoMLRun(experiment, run_id)`` looks one up).
_RUN_HANDLES = ("azureml.train.automl.run.AutoMLRun", "azureml.train.hyperdrive.HyperDriveRun",
                "azureml.train.hyperdrive.run.HyperDriveRun")


def _submitting(qualname: str) -> bool:
    """Is ``qualname`` one of _SUBMITTING or under it (``Pipeline`` and ``Pipeline.submit``, not
    ``PipelineRun``, which looks a run up: audit l)?"""
    return any(qualname == prefix or qualname.startswith(prefix if prefix.endswith(".") else prefix + ".")
               for prefix in _SUBMITTING)


def _submits(ctx: FixContext) -> str | None:
    """Where the program first submits (or configures) a job, or None.  Run there, ``Run.get_context()``
    is v1's offline run, whose logging only prints: MLflow would start a run of its own.  A v2 client
    alone submits nothing (a job script may register a model with one); ``<client>.jobs.create_or_update``
    does."""
    lines = [sites[0].node.lineno for qualname, sites in ctx.model.calls_by_callee.items()
             if sites and _submitting(qualname) and qualname not in _RUN_HANDLES]
    lines += [site.node.lineno for site in ctx.model.calls if _creates_a_job(site.node.func)]
    return line_ref(min(lines)) if lines else None


def _creates_a_job(func: ast.expr) -> bool:
    """``<anything>.jobs.create_or_update``: v2's submit, whatever the client is called."""
    return (isinstance(func, ast.Attribute) and func.attr in ("create_or_update", "begin_create_or_update")
            and isinstance(func.value, ast.Attribute) and func.value.attr == "jobs")


def outside_a_job(ctx: FixContext, logs: bool = True) -> str | None:
    """Why the program runs outside a job, where ``Run.get_context()`` is v1's offline run (whose
    logging only printed, and for which MLflow would start a run of its own), or None.  ``logs``:
    something moves to MLflow (a notebook's run fetched and never logged to may just go)."""
    if in_notebook_cells(ctx) and logs:
        return ("a notebook's cells run in a kernel, not in a job: there v1's run is an offline one that only "
                "printed what it logged, and MLflow would start a run of its own")
    submitting = _submits(ctx)
    if submitting is not None and launched_by_another_file(ctx):
        return (f"this program submits jobs ({submitting}) and another file of the project runs it as a job: "
                "where it runs alone, v1's run is an offline one that only printed what it logged, and MLflow "
                "would start a run of its own")
    if submitting is not None:
        return (f"this program also submits jobs ({submitting}), so it runs outside a job, where v1's offline "
                "run only printed what it logged and MLflow would start a run of its own")
    return None


def in_notebook_cells(ctx: FixContext) -> bool:
    """The program is a notebook's own cells, which run in a kernel, not in a job (the scripts
    it writes with ``%%writefile`` are programs of their own)."""
    return notebooks.is_notebook(getattr(ctx.analysis.context, "path", None))


def runs_in_a_job(ctx: FixContext) -> bool:
    """The program runs inside a job: it is a training script (its v1 imports are AML010
    findings, or a fix of its run left the environment TODO) that submits no job itself, or
    one another file of the project runs as a job (a pipeline step that submits jobs in turn).
    Its job's environment was made for SDK v1 and need not install azure-ai-ml.  Known once
    a pass: every rewrite that asks would otherwise scan the program's findings again."""
    if "runs_in_a_job" not in ctx.cache:
        training = any(f.code == "AML010" for f in ctx.analysis.findings) or ENVIRONMENT_TODO in ctx.text
        ctx.cache["runs_in_a_job"] = (training or _scoring_entry(ctx)) and not in_notebook_cells(ctx) and (
            _submits(ctx) is None or launched_by_another_file(ctx))
    return bool(ctx.cache["runs_in_a_job"])


def what_runs_it(ctx: FixContext) -> str:
    """What a program that :func:`runs_in_a_job` runs in, for a message: a scoring script's
    ``init()``/``run()`` run in a deployment (audit x: its message said a job)."""
    return "deployment" if _scoring_entry(ctx) else "job"


def _scoring_entry(ctx: FixContext) -> bool:
    """The module defines ``init()`` and ``run()``, a scoring script's entry points (audit 57): it
    runs in a deployment's container, whose environment was made for v1 (azureml-defaults brings
    no azure-ai-ml), whether or not a launcher of the project names it."""
    names = {node.name for node in ctx.model.tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return {"init", "run"} <= names


def launched_by_another_file(ctx: FixContext) -> bool:
    """Another file of the project names this one as a job's script (``script_name=`` of a
    step and the like), a notebook cell submits it as the script it wrote, or the configured
    training-script patterns name it."""
    context = ctx.analysis.context
    settings = getattr(context, "settings", None)
    if getattr(settings, "training_evidence", None):
        return True
    path = getattr(context, "path", None)
    if path is None or settings is None or not getattr(settings, "project_index", False):
        return False
    try:
        reference = project.index_for(Path(path), settings, ctx.model.surface).reference_to(Path(path))
    except (OSError, ValueError):
        return False
    return reference is not None and reference.orchestrator != Path(path)


def _optional_import(ctx: FixContext, call: ast.Call) -> ast.Try | None:
    """The ``try`` that imports the v1 name this call starts from and runs on when the import
    fails (its handler catches the ImportError without raising), or None.  Code that needs
    that run is then written for environments with and without azureml-core: migrated,
    its MLflow logging would still wait for azureml-core to import, which a v2 job's
    environment need not have, and nothing would say the metrics stopped."""
    root: ast.expr = call.func
    while isinstance(root, ast.Attribute):
        root = root.value
    binding = ctx.binding_of(root) if isinstance(root, ast.Name) else None
    if binding is None or not isinstance(binding.node, (ast.Import, ast.ImportFrom)):
        return None
    guard, handlers = import_handlers(binding.node, ctx.model.tree)
    if any(not (handler.body and isinstance(handler.body[-1], ast.Raise)) for handler in handlers):
        return guard
    return None


def _must_run_in_a_job(call: ast.Call) -> bool:
    """``Run.get_context(allow_offline=False)`` (or a value not known to be True): a guard that
    the script runs in a job, which removing the call would drop."""
    value = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "allow_offline"), None)
    return value is not None and not (isinstance(value, ast.Constant) and value.value is True)


def kept_reason(ctx: FixContext, call: ast.Call, logs: bool) -> tuple[str, RefusalKind] | None:
    """Why ``Run.get_context()`` stays as it is (and every use that needs it gone with it), or
    None; ``logs``: something of the run moves to MLflow."""
    if not all(is_pure(a) for a in [*call.args, *(k.value for k in call.keywords)]):
        return "its arguments are computed by calls", RefusalKind.NOT_YET
    if _must_run_in_a_job(call):
        return (("with allow_offline= other than True, v1 raised where no job runs the script; MLflow would "
                 "start a local run of its own there instead: keep that check by hand, then fix"), RefusalKind.NOT_YET)
    offline = _tests_offline(ctx, call)
    if offline is not None:
        return ((f"{line_ref(offline.lineno)} tells v1's offline run (`{snippet(ctx.locator, offline)}`) from a job's, "
                 "which no MLflow run can be: keep that branch by hand (a v2 job sets MLFLOW_RUN_ID), then fix"),
                RefusalKind.NOT_YET)
    guard = _optional_import(ctx, call)
    if guard is not None:
        return ((f"the program runs on without azureml-core (the `try` at {line_ref(guard.lineno)} catches the "
                 "ImportError), and the code that uses this run is written for both cases: migrated, its MLflow "
                 "logging would still wait for azureml-core to import, which a v2 job's environment need not "
                 "have; remove the check by hand, then fix"), RefusalKind.DATA_FLOW)
    unbound = _only_if_unbound(ctx, call)
    if unbound is not None:
        return ((f"{line_ref(unbound.lineno)} makes it only where `{unbound.test.left.value}` is not bound yet "  # type: ignore[attr-defined]
                 f"(`{snippet(ctx.locator, unbound.test)}`), so the run the code logs to may be another one (an "
                 "interactive run from start_logging()): remove that check by hand, then fix"), RefusalKind.NOT_YET)
    outside = outside_a_job(ctx, logs)
    return (outside, RefusalKind.NOT_YET) if outside is not None else None


def _only_if_unbound(ctx: FixContext, call: ast.Call) -> ast.If | None:
    """``if 'run' not in locals(): run = Run.get_context()``, where the program also binds ``run``
    otherwise: the run comes from v1 only where no other code bound the name first (audit w: a
    notebook's interactive run was told to be offline)."""
    statement = ctx.statement_of(call)
    guard = ctx.parent(statement)
    test = guard.test if isinstance(guard, ast.If) and statement in guard.body else None
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn)
            and isinstance(test.left, ast.Constant) and isinstance(test.left.value, str)):
        return None
    namespace = test.comparators[0]
    if (isinstance(namespace, ast.Call) and isinstance(namespace.func, ast.Name)
            and namespace.func.id in ("locals", "globals", "dir", "vars") and not namespace.args
            and len(ctx.bindings_named(test.left.value)) > 1):
        return guard  # type: ignore[return-value]
    return None


def _tests_offline(ctx: FixContext, call: ast.Call) -> ast.expr | None:
    """An expression over the run that names v1's offline run (``run.id.startswith("OfflineRun")``,
    ``type(run).__name__ == "_OfflineRun"``): outside a job v1 handed the script such a run, and
    the script takes another branch there."""
    binding = ctx.assigned_binding(call)
    handed = [p.binding for p in receivers(ctx, binding)] if binding is not None else []
    uses = [use for b in [binding, *handed] for use in b.uses] if binding is not None else [call]  # (inline: review)
    for use in uses:
        expression: ast.AST = use
        while isinstance(ctx.parent(expression), ast.expr):
            expression = ctx.parent(expression)  # type: ignore[assignment]
        if any(isinstance(node, ast.Constant) and isinstance(node.value, str) and "offline" in node.value.lower()
               for node in ast.walk(expression)):
            return expression  # type: ignore[return-value]
    return None


def held_run(ctx: FixContext, receiver: ast.expr) -> str | None:
    """Why the fix keeps the run ``receiver`` names (a variable bound to ``Run.get_context()``)
    as it is, taking the rewrites of its uses with it, or None."""
    binding = ctx.binding_of(receiver) if isinstance(receiver, ast.Name) else None
    if binding is None:
        return None  # the call itself: the use's own rewrite removes it
    for origin in origins(ctx, binding):  # (a parameter: the runs its callers hand it)
        value = origin.node.value if isinstance(origin.node, ast.Assign) else None
        if not isinstance(value, ast.Call):
            return "the run is not one a job hands the script"
        kept = kept_reason(ctx, value, _logs(ctx, origin))
        if kept is not None:
            return kept[0]
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
            if _is_id_read(ctx, statement):
                yield _inline_id(ctx, call, statement)  # type: ignore[arg-type]
            continue  # inline ``Run.get_context().log(...)``: the call's own unit removes it
        unused = binding is None or not binding.uses
        unit = Rewrite("AML011", call, "removed Run.get_context(), whose run nothing uses" if unused else
                       "removed Run.get_context(): the v2 job's MLflow run is already active")
        logs = binding is not None and _logs(ctx, binding)
        kept = kept_reason(ctx, call, logs)
        if kept is not None:
            unit.refuse(*kept)
        hold = logging_hold(ctx) if logs else None
        if hold is not None and _reads_its_id(ctx, binding):  # (this unit's own MLflow read: audit, stop 63, e M2)
            unit.refuse(*hold)
        unit.binding = binding
        # once per script, kept on a later run; none while a launcher holds the logging back
        todo = [] if ENVIRONMENT_TODO in ctx.text or not logs or hold is not None else \
            statements.insert_before(ctx.locator, statement, [ENVIRONMENT_TODO])  # type: ignore[arg-type]
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
    for parameter in passed_runs(ctx).values():
        yield _parameter_unit(ctx, parameter)


def _parameter_unit(ctx: FixContext, parameter: Parameter) -> Rewrite:
    """Once nothing in the function needs the v1 run (its logging moved to MLflow), the calls that
    handed it over pass ``None`` instead, and the run they passed can go.  The parameter itself
    stays: a caller this fix cannot see (another file, a framework resolving the function by name)
    may still pass one, and must not get a TypeError."""
    function = parameter.function
    unit = Rewrite("AML011", parameter.node, f"the calls of {function.name}() no longer hand it the job's v1 run",
                   binding=parameter.binding)
    unit.findings = []  # the calls on the run are the findings; this unit only clears their way
    unit.reported = False
    unit.alive_edits = []
    unit.alive_description = f"the parameter `{parameter.binding.name}` of {function.name}() kept for the v1 code that still uses it"
    for _, argument in parameter.passed:
        unit.edits.append(statements.replace(ctx.locator, argument, "None"))
        unit.consumes.append(argument)  # type: ignore[arg-type]
    annotation = parameter.node.annotation
    if annotation is not None and ctx.reference(annotation) == RUN and "#" not in ctx.locator.text(parameter.node):
        # ``run: Run`` would keep the v1 import alive (an annotation is evaluated where the function is
        # defined); one with a comment inside stays, and the import with it
        unit.edits.append(statements.replace(ctx.locator, parameter.node, parameter.node.arg))
    _run_id_reads(ctx, unit)
    return unit


