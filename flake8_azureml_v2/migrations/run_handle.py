"""The run a submitting program got back from SDK v1, on the job v2 returns
(mapping-extension.md 6).

A v1 run cannot stay alive after a v2 submit, so every use of it is translated
or the submit is not migrated.  Control-plane reads go through ``ml_client.jobs``;
what v1 read from run history (metrics, file names, downloads) is read from
MLflow, where the job name is the run id.  Where v1's behaviour needs more than
one call (metric history as lists, ``download_file``'s target rules, a silent
wait) a small helper is written once into the migrated file: the program keeps
no dependency on this package.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from ..engine.findings import Refusal, RefusalKind, line_ref
from ..engine.fixing import statements
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.arguments import bind_arguments
from ..engine.fixing.edits import Edit
from ..engine.fixing.specs import Argument, CallSpec, Drop, Keep, Map, MethodSpec, Refused, apply_call_spec, apply_method_spec
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding
from ._common import is_call_to, printed
from ._metric_tables import non_float_read
from ._v1_readers import MODEL as MODEL_ASSET, v1_reader
from .injob._shared import is_pure

RUN_DETAILS = "azureml.widgets.RunDetails"
TODO = "# TODO(azureml-v2):"
MLFLOW_NOTE = ("MLflow reads the run's metrics and files: the submitting machine needs azureml-mlflow "
               "for the workspace's azureml:// tracking URI")

_MLFLOW = symbol("mlflow")
_OS = symbol("os")
# What every MLflow read of a job starts with: the workspace's tracking store.
_TRACKING = f'''def _v1_tracking(ml_client):
    """MLflow pointed at the workspace, where SDK v1 read a run's metrics and files from.
    The azureml:// tracking URI needs the azureml-mlflow package on this machine."""
    uri = ml_client.workspaces.get(ml_client.workspace_name).mlflow_tracking_uri
    if {_MLFLOW}.get_tracking_uri() != uri:
        {_MLFLOW}.set_tracking_uri(uri)
    return {symbol("mlflow.tracking", "MlflowClient")}()
'''
_GET_METRICS = '''def _v1_get_metrics(ml_client, run_id, name=None):
    """run.get_metrics() as SDK v1 returned it: a value per metric, a list for one logged several times."""
    client = _v1_tracking(ml_client)
    metrics = {}
    for key in [name] if name is not None else client.get_run(run_id).data.metrics:
        history = sorted(client.get_metric_history(run_id, key), key=lambda m: (m.step, m.timestamp))
        if history:
            metrics[key] = history[0].value if len(history) == 1 else [m.value for m in history]
    return metrics
'''
_GET_FILE_NAMES = '''def _v1_get_file_names(ml_client, run_id):
    """run.get_file_names(): the path of every file the run stored, folders walked."""
    client = _v1_tracking(ml_client)

    def walk(path):
        names = []
        for item in client.list_artifacts(run_id, path):
            names += walk(item.path) if item.is_dir else [item.path]
        return names

    return walk(None)
'''
_DOWNLOAD_FILE = f'''def _v1_download_file(ml_client, run_id, name, output_file_path=None):
    """run.download_file(): to the file's base name here when no path is given,
    into a folder that exists, or else to the exact path given."""
    _v1_tracking(ml_client)
    target = output_file_path or {_OS}.path.basename(name)
    if {_OS}.path.isdir(target):
        target = {_OS}.path.join(target, {_OS}.path.basename(name))
    {_OS}.makedirs({_OS}.path.dirname(target) or ".", exist_ok=True)  # as v1 did
    with {symbol("tempfile")}.TemporaryDirectory() as folder:
        downloaded = {_MLFLOW}.artifacts.download_artifacts(run_id=run_id, artifact_path=name, dst_path=folder)
        {symbol("shutil")}.copyfile(downloaded, target)
'''
_DOWNLOAD_FILES = f'''def _v1_download_files(ml_client, run_id, prefix=None, output_directory=None, append_prefix=True):
    """run.download_files(): every file in the folder prefix names (v1 read it as a folder: outputs2.txt
    is not under prefix "outputs"), into output_directory (here by default) under its full path; below
    prefix only when append_prefix=False names an output_directory."""
    _v1_tracking(ml_client)
    under = (prefix or "").replace("\\\\", "/")
    under = under if not under or under.endswith("/") else under + "/"
    strip = bool(under) and not append_prefix and output_directory is not None
    for path in _v1_get_file_names(ml_client, run_id):
        if under and not path.startswith(under):
            continue
        target = {_OS}.path.join(output_directory or ".", path[len(under):] if strip else path)
        {_OS}.makedirs({_OS}.path.dirname(target) or ".", exist_ok=True)
        with {symbol("tempfile")}.TemporaryDirectory() as folder:
            downloaded = {_MLFLOW}.artifacts.download_artifacts(run_id=run_id, artifact_path=path, dst_path=folder)
            {symbol("shutil")}.copyfile(downloaded, target)
'''
_WAIT = f'''def _v1_wait(ml_client, name, raise_on_error=True, poll_seconds=10, post_processing=False):
    """run.wait_for_completion() without output: poll while the job runs, as v1 did (through
    NotResponding and Paused too, and through Finalizing and CancelRequested only when it waited
    for post-processing); like v1, raise only when it failed."""
    ended = ("Completed", "Failed", "Canceled") + (() if post_processing else ("Finalizing", "CancelRequested"))
    while (job := ml_client.jobs.get(name)).status not in ended:
        {symbol("time")}.sleep(poll_seconds)
    if raise_on_error and job.status == "Failed":
        raise RuntimeError(f"job {{name}} failed: {{job.studio_url}}")
    return job
'''
_GET_RUNS = f'''def _v1_get_runs(ml_client, experiment_name, include_children=False):
    """experiment.get_runs(): the experiment's runs, newest first; child runs only when asked for."""
    _v1_tracking(ml_client)
    runs = {_MLFLOW}.search_runs(experiment_names=[experiment_name], output_format="list")
    return runs if include_children else [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
'''
_TRACKED = {"_v1_tracking": _TRACKING}
# What the workspace's azureml:// tracking URI needs, which no import of the migrated code shows.
TRACKING_NEEDS = {"_v1_tracking": "azureml-mlflow where this runs (MLflow reaches the workspace through it)"}
GET_RUNS_HELPERS = {"_v1_get_runs": _GET_RUNS, **_TRACKED}
_START_LOGGING = f'''def _v1_start_logging(ml_client, experiment_name):
    """experiment.start_logging(): an MLflow run in the workspace, under the experiment's name."""
    _v1_tracking(ml_client)
    {_MLFLOW}.set_experiment(experiment_name)
    return {_MLFLOW}.start_run()
'''
START_LOGGING_HELPERS = {"_v1_start_logging": _START_LOGGING, **_TRACKED}
_BEST_TRIAL = '''def _v1_best_trial(ml_client, sweep_job):
    """run.get_best_run_by_primary_metric() of a HyperDrive run: the sweep's trial (a child run,
    whatever its status) with the best value of the primary metric, as an MLflow run; None
    when no trial logged it.  Like v1, each trial counts with the best value it logged, not its last."""
    client = _v1_tracking(ml_client)
    objective = sweep_job.objective
    best = max if str(objective.goal).lower() == "maximize" else min
    trials = client.search_runs([client.get_run(sweep_job.name).info.experiment_id],
                                filter_string=f"tags.mlflow.parentRunId = '{sweep_job.name}'")
    scored = []
    for trial in trials:
        history = [m.value for m in client.get_metric_history(trial.info.run_id, objective.primary_metric)]
        if history:
            scored.append((best(history), trial))
    return best(scored, key=lambda pair: pair[0])[1] if scored else None
'''
BEST_TRIAL_HELPERS = {"_v1_best_trial": _BEST_TRIAL, **_TRACKED}


def _not_counted(call: ast.Call, ctx: FixContext) -> str | None:
    """``len(list(run.get_children()))``: v2 lists jobs, not runs (no get_metrics(), an ARM id), so
    the children map only where they are counted."""
    owner = ctx.parent(call)
    if is_call_to(owner, "list") and owner.args == [call]:  # type: ignore[union-attr]
        call, owner = owner, ctx.parent(owner)  # type: ignore[assignment]
    if is_call_to(owner, "len") and owner.args == [call]:  # type: ignore[union-attr]
        return None
    return "v2 lists the child jobs, not v1 runs: only their count, or a plain `for child in ...` loop, maps"


def _literal(values: dict[str, ast.expr], name: str, *allowed: object) -> bool:
    """The parameter is left out, or passed as one of the allowed literals."""
    node = values.get(name)
    return node is None or (isinstance(node, ast.Constant) and node.value in allowed and
                            type(node.value) in {type(a) for a in allowed})


def _streams(values: dict[str, ast.expr]) -> bool:
    """``show_output=True`` with v1's default ``raise_on_error=True``: ``jobs.stream`` does both."""
    shown = values.get("show_output")
    return isinstance(shown, ast.Constant) and shown.value is True and _literal(values, "raise_on_error", True)


def _polls(values: dict[str, ast.expr]) -> bool:
    """Any other literal combination: the silent polling helper, raising as v1 would."""
    return not _streams(values) and _literal(values, "show_output", True, False) and _literal(
        values, "wait_post_processing", True, False) and all(is_pure(v) for v in values.values())


def _plain_metrics(values: dict[str, ast.expr]) -> bool:
    return _literal(values, "recursive", False) and _literal(values, "run_type", None) and is_pure(values.get("name"))


def _no_filters(values: dict[str, ast.expr]) -> bool:
    return set(values) <= {"recursive", "_rehydrate_runs"} and _literal(values, "recursive", False)


_WAIT_SIGNATURE = ("show_output", "wait_post_processing", "raise_on_error")


def _wait_specs(signature: tuple[str, ...], streams: Callable[[dict[str, ast.expr]], bool],
                polls: Callable[[dict[str, ast.expr]], bool],
                post_processing: Callable[[dict[str, ast.expr]], bool]) -> tuple[MethodSpec, ...]:
    """``wait_for_completion`` as ``jobs.stream`` where it showed the output and raised on failure,
    else as the silent polling helper (passing ``raise_on_error`` on when the call gave it, and
    ``post_processing=True`` where v1 waited for it too)."""
    return (
        MethodSpec("wait_for_completion", signature, template="{client}.jobs.stream({run_id})",
                   finding="AML041", statement_only=True, accepts=streams),
        *(MethodSpec("wait_for_completion", signature, template="_v1_wait({client}, {run_id}" + raising + waiting + ")",
                     finding="AML041", statement_only=True, helpers={"_v1_wait": _WAIT},
                     accepts=lambda v, raising=raising, waiting=waiting: (
                         polls(v) and ("raise_on_error" in v) == bool(raising) and post_processing(v) == bool(waiting)))
          for raising in ("", ", raise_on_error={raise_on_error}") for waiting in ("", ", post_processing=True")),
    )


def _waits_for_post_processing(values: dict[str, ast.expr]) -> bool:
    """``wait_post_processing=True``: v1 also waited through Finalizing and CancelRequested."""
    given = values.get("wait_post_processing")
    return isinstance(given, ast.Constant) and given.value is True


_METRICS_SIGNATURE = ("name", "recursive", "run_type", "populate")
_FILE_SIGNATURE = ("name", "output_file_path", "_validate_checksum")
_METRIC_HELPERS = {"_v1_get_metrics": _GET_METRICS, **_TRACKED}
_FILE_HELPERS = {"_v1_download_file": _DOWNLOAD_FILE, **_TRACKED}

# ``{client}`` is the workspace's MLClient, ``{run_id}`` the job's name (the MLflow run id).
RUN_METHODS: tuple[MethodSpec, ...] = (
    MethodSpec("get_portal_url", template="{receiver}.studio_url", finding="AML042"),
    *_wait_specs(_WAIT_SIGNATURE, _streams, _polls, _waits_for_post_processing),
    MethodSpec("get_status", template="{client}.jobs.get({run_id}).status", finding="AML049"),
    MethodSpec("cancel", template="{client}.jobs.begin_cancel({run_id}).result()", finding="AML080"),
    MethodSpec("get_children", ("recursive", "tags", "properties", "type", "status", "_rehydrate_runs"),
               template="{client}.jobs.list(parent_job_name={run_id})", accepts=_no_filters,
               refuses_use=_not_counted),
    MethodSpec("get_metrics", _METRICS_SIGNATURE, template="_v1_get_metrics({client}, {run_id})", finding="AML046",
               accepts=lambda v: "name" not in v and _plain_metrics(v), helpers=_METRIC_HELPERS,
               refuses_use=non_float_read),
    MethodSpec("get_metrics", _METRICS_SIGNATURE, template="_v1_get_metrics({client}, {run_id}, name={name})",
               finding="AML046", accepts=lambda v: "name" in v and _plain_metrics(v), helpers=_METRIC_HELPERS,
               refuses_use=non_float_read),
    MethodSpec("get_file_names", template="_v1_get_file_names({client}, {run_id})",
               helpers={"_v1_get_file_names": _GET_FILE_NAMES, **_TRACKED}),
    MethodSpec("download_file", _FILE_SIGNATURE, template="_v1_download_file({client}, {run_id}, {name})",
               finding="AML048", accepts=lambda v: set(v) <= {"name", "_validate_checksum"} and "name" in v,
               helpers=_FILE_HELPERS),
    MethodSpec("download_file", _FILE_SIGNATURE,
               template="_v1_download_file({client}, {run_id}, {name}, output_file_path={output_file_path})",
               finding="AML048", accepts=lambda v: "name" in v and "output_file_path" in v, helpers=_FILE_HELPERS),
    MethodSpec("download_files", ("prefix", "output_directory", "output_paths", "batch_size", "append_prefix",
                                  "timeout_seconds"),
               template="_v1_download_files({client}, {run_id}, prefix={prefix}, output_directory={output_directory}, "
                        "append_prefix={append_prefix})",
               finding="AML048", accepts=lambda v: "output_paths" not in v,
               helpers={"_v1_download_files": _DOWNLOAD_FILES, "_v1_get_file_names": _GET_FILE_NAMES, **_TRACKED},
               defaults={"prefix": "None", "output_directory": "None", "append_prefix": "True"}),
    MethodSpec("id", template="{run_id}", attribute=True),
)
# A PipelineRun waits with its own signature and shows its output by default (mapping.md 3):
# ``wait_for_completion(show_output=True, timeout_seconds=sys.maxsize, raise_on_error=True)``.
_PIPELINE_WAIT_SIGNATURE = ("show_output", "timeout_seconds", "raise_on_error")


def _pipeline_streams(values: dict[str, ast.expr]) -> bool:
    return "timeout_seconds" not in values and _literal(values, "show_output", True) and _literal(
        values, "raise_on_error", True)


def _pipeline_polls(values: dict[str, ast.expr]) -> bool:
    shown = values.get("show_output")
    return ("timeout_seconds" not in values and isinstance(shown, ast.Constant) and shown.value is False
            and _literal(values, "raise_on_error", True, False))


PIPELINE_RUN_METHODS: tuple[MethodSpec, ...] = (
    # (a pipeline's wait lasts until the pipeline has ended)
    *_wait_specs(_PIPELINE_WAIT_SIGNATURE, _pipeline_streams, _pipeline_polls, lambda values: True),
    *(spec for spec in RUN_METHODS if spec.method != "wait_for_completion"),
)
# An AutoMLRun waits with its own signature, ``wait_for_completion(show_output=False,
# wait_post_processing=False)``, and never raises for a failed run: it returns the details.
_AUTOML_WAIT_SIGNATURE = ("show_output", "wait_post_processing")


def _automl_streams(values: dict[str, ast.expr]) -> bool:
    return set(values) <= set(_AUTOML_WAIT_SIGNATURE) and _streams(values)  # (v1 raised TypeError for others)


def _automl_polls(values: dict[str, ast.expr]) -> bool:
    return set(values) <= set(_AUTOML_WAIT_SIGNATURE) and not _streams(values) and _literal(
        values, "show_output", True, False) and _literal(values, "wait_post_processing", True, False)


_AUTOML_STREAM = f'''def _v1_show_automl_run(ml_client, name):
    """automl_run.wait_for_completion(show_output=True): show the job's output until it ends and,
    as v1's AutoMLRun did, go on when it failed (jobs.stream raises JobException then)."""
    try:
        ml_client.jobs.stream(name)
    except {symbol("azure.ai.ml.exceptions", "JobException")} as failure:
        print(failure)
'''
AUTOML_RUN_METHODS: tuple[MethodSpec, ...] = (
    MethodSpec("wait_for_completion", _AUTOML_WAIT_SIGNATURE, template="_v1_show_automl_run({client}, {run_id})",
               finding="AML041", statement_only=True, accepts=_automl_streams,
               helpers={"_v1_show_automl_run": _AUTOML_STREAM}),
    *(MethodSpec("wait_for_completion", _AUTOML_WAIT_SIGNATURE,
                 template="_v1_wait({client}, {run_id}, raise_on_error=False" + waiting + ")",
                 finding="AML041", statement_only=True, helpers={"_v1_wait": _WAIT},
                 accepts=lambda v, waiting=waiting: _automl_polls(v) and _waits_for_post_processing(v) == bool(waiting))
      for waiting in ("", ", post_processing=True")),
    *(spec for spec in RUN_METHODS if spec.method != "wait_for_completion"),
)
# Methods whose v2 form needs the workspace's client where the run is used.
NEEDS_CLIENT = {spec.method for spec in RUN_METHODS if "{client}" in spec.template} | {
    "get_details", "register_model"}

# run.get_details()[key] -> the same value on the v2 job (an attribute of it).
_DETAILS = {
    "status": ".status",
    "target": ".compute",
    "properties": ".properties",
    "submittedBy": ".creation_context.created_by",
    "inputDatasets": ".inputs",
    "outputDatasets": ".outputs",
    "runId": ".name",
}
_TIMES = {"startTimeUtc": "start_time", "endTimeUtc": "end_time"}
# register_model parameters that v2's Model has no field for (mapping-extension.md 7.1).
_MODEL_DROPPED = ("model_framework", "model_framework_version", "datasets", "sample_input_dataset",
                  "sample_output_dataset", "resource_configuration")
REGISTER_SIGNATURE = ["model_name", "model_path", "tags", "properties", *_MODEL_DROPPED[:2], "description",
                      *_MODEL_DROPPED[2:]]
# What may be read from a registered v2 model where v1 code read it from the v1 one.
MODEL_READS = {"name", "version", "id", "description", "tags", "properties"}


def v1_model_id(use: ast.Name, ctx: FixContext) -> Edit | None:
    """``model.id`` read as v1 gave it, ``"name:version"`` (v2's id is the ARM resource id);
    None inside an f-string, where the quotes of the new one would clash before Python 3.12."""
    read = ctx.parent(use)
    node: ast.AST | None = read
    while node is not None and not isinstance(node, ast.stmt):
        if isinstance(node, ast.JoinedStr):
            return None
        node = ctx.parent(node)
    return statements.replace(ctx.locator, read, f'f"{{{use.id}.name}}:{{{use.id}.version}}"')  # type: ignore[arg-type]


def v1_model_version(use: ast.Name, ctx: FixContext) -> Edit | None:
    """``model.version`` as v1 gave it, an int (v2's is a string), where the difference shows:
    None where it is only rendered as text (printed, in an f-string, formatted), which reads the same."""
    read = ctx.parent(use)
    owner = ctx.parent(read) if read is not None else None
    formatted = isinstance(owner, ast.Call) and isinstance(owner.func, ast.Attribute) and owner.func.attr == "format"
    if isinstance(owner, ast.FormattedValue) or printed(read, ctx) or (
            (is_call_to(owner, "str") or formatted) and read in owner.args):  # type: ignore[union-attr]
        return None
    return statements.replace(ctx.locator, read, f"int({use.id}.version)")  # type: ignore[arg-type]


@dataclass
class RunNames:
    """How the translated code names things around one run."""

    client: str  # the workspace's MLClient
    run_id: str  # the job name as an expression
    pipeline: bool = False  # the run of a submitted pipeline (a PipelineRun in v1)
    automl: bool = False  # the run of a submitted AutoML configuration (an AutoMLRun in v1)


def translate_use(use: ast.Name, names: RunNames, unit: Rewrite, ctx: FixContext, job: bool = True,
                  submitted: bool = True) -> bool:
    """Translate one use of the run; False when it is none of the forms v2 can express.
    ``job``: the variable holds the v2 job; otherwise an MLflow run (from ``get_runs``),
    which has no studio link.  ``submitted=False``: an interactive MLflow run (``start_logging``),
    which is no job, so nothing asks ``ml_client.jobs`` about it."""
    values = {"client": names.client, "run_id": names.run_id}
    methods = PIPELINE_RUN_METHODS if names.pipeline else AUTOML_RUN_METHODS if names.automl else RUN_METHODS
    specs = [s for s in methods if (job or "{receiver}" not in s.template)
             and (submitted or (".jobs." not in s.template and "_v1_wait" not in s.helpers))]
    if any(apply_method_spec(spec, use, unit, ctx, values) for spec in specs):
        if any(name in unit.helpers for name in _TRACKED):
            _note(unit, MLFLOW_NOTE)
            unit.silent_needs.update(TRACKING_NEEDS)
        return True
    return (_details(use, names, unit, ctx) or _register_model(use, names, unit, ctx)
            or (job and (_widget(use, names, unit, ctx) or _experiment_name(use, unit, ctx)
                         or _children_loop(use, names, unit, ctx))))


def _children_loop(use: ast.Name, names: RunNames, unit: Rewrite, ctx: FixContext) -> bool:
    """``for child in run.get_children():`` -> ``for child in ml_client.jobs.list(parent_job_name=...)``
    (mapping-extension 6, BP), when every use of ``child`` has a v2 form on a job named ``child.name``
    (audit, stop 63, a M1: such a loop kept the whole pipeline v1)."""
    call = _method_call(use, "get_children", ctx)
    loop = ctx.parent(call) if call is not None else None
    if (call is None or call.args or call.keywords or not isinstance(loop, ast.For) or loop.iter is not call
            or not isinstance(loop.target, ast.Name)):
        return False
    made = ctx.bindings_at(loop)
    child = made[0] if len(made) == 1 else None
    if child is None or len(ctx.bindings_named(loop.target.id)) != 1:
        return False
    waited = next((u for u in child.uses if _method_call(u, "wait_for_completion", ctx) is not None), None)
    if waited is not None:  # (a pipeline's step job cannot be streamed: jobs.stream raises for it; review, stop 63)
        ctx.why_not[id(use)] = (f"the child run `{loop.target.id}` is waited for at {line_ref(waited.lineno)}, "
                                "which v2's jobs.stream does not do for a pipeline's step jobs")
        return False
    stuck = untranslated(child, RunNames(names.client, f"{loop.target.id}.name"), unit, ctx)
    if stuck is not None:
        read = ctx.parent(stuck)
        ctx.why_not[id(use)] = (f"the child run `{loop.target.id}` is read at {line_ref(stuck.lineno)} "
                                f"(`{snippet(ctx.locator, read if isinstance(read, ast.Attribute) else stuck)}`), "
                                "which has no v2 form on the child job")
        return False
    unit.edits.append(statements.replace(ctx.locator, call, f"{names.client}.jobs.list(parent_job_name={names.run_id})"))
    unit.own_uses.add(id(use))
    return True


def _experiment_name(use: ast.Name, unit: Rewrite, ctx: FixContext) -> bool:
    """``run.experiment.name`` -> the job's ``experiment_name``, the name it was submitted under
    (audit 2b: the in-job MLflow form was offered, which fails where no run is active)."""
    experiment = ctx.parent(use)
    read = ctx.parent(experiment) if experiment is not None else None
    if not (isinstance(experiment, ast.Attribute) and experiment.attr == "experiment" and isinstance(read, ast.Attribute)
            and read.attr == "name" and isinstance(read.ctx, ast.Load)):
        return False
    unit.edits.append(statements.replace(ctx.locator, read, f"{use.id}.experiment_name"))
    unit.findings.append(("AML035", experiment))
    unit.own_uses.add(id(use))
    return True


def translate_all(binding: Binding, names: RunNames, unit: Rewrite, ctx: FixContext, job: bool = True) -> bool:
    """Translate every use of a run variable, or none (False): a v1 run cannot stay beside v2."""
    return untranslated(binding, names, unit, ctx, job) is None


def untranslated(binding: Binding, names: RunNames, unit: Rewrite, ctx: FixContext, job: bool = True) -> ast.Name | None:
    """``translate_all``, naming why not: the first use of the run variable that has no v2
    form (and ``unit`` is left as it was), or None when every use was translated into it."""
    trial = Rewrite(unit.code, unit.node, unit.description)
    for use in binding.uses:
        if not (translate_use(use, names, trial, ctx, job) or _displayed(use, ctx)):
            return use
    unit.edits.extend(trial.edits)
    unit.findings.extend(f for f in trial.findings if f != (trial.code, trial.node))
    unit.helpers.update(trial.helpers)
    unit.silent_needs.update(trial.silent_needs)
    unit.todos.extend(trial.todos)
    unit.notes.extend(n for n in trial.notes if n not in unit.notes)
    unit.extra_bindings.append(binding)
    unit.own_uses.update(id(use) for use in binding.uses)
    return None


def _displayed(use: ast.Name, ctx: FixContext) -> bool:
    """``run`` alone as a statement (a notebook shows it), or printed."""
    return isinstance(ctx.parent(use), ast.Expr) or printed(use, ctx)


def _method_call(use: ast.Name, method: str, ctx: FixContext) -> ast.Call | None:
    parent = ctx.parent(use)
    outer = ctx.parent(parent) if parent is not None else None
    if isinstance(parent, ast.Attribute) and parent.attr == method and isinstance(outer, ast.Call) and outer.func is parent:
        return outer
    return None


def _note(unit: Rewrite, note: str) -> None:
    if note not in unit.notes:
        unit.notes.append(note)


def _todo(unit: Rewrite, ctx: FixContext, node: ast.AST, text: str) -> None:
    comment = f"{TODO} {text}"
    unit.edits.extend(statements.insert_before(ctx.locator, ctx.statement_of(node), [comment]))
    unit.todos.append(comment)


def _details(use: ast.Name, names: RunNames, unit: Rewrite, ctx: FixContext) -> bool:
    """``run.get_details()[key]`` key by key, also through a variable only read by key; the
    whole dict only where it is displayed (D+T)."""
    call = _method_call(use, "get_details", ctx)
    if call is None or call.args or call.keywords:
        return False
    job = f"{names.client}.jobs.get({names.run_id})"
    outer = ctx.parent(call)
    details = ctx.assigned_binding(call)
    if details is not None:
        reads = [_key_read(u, ctx) for u in details.uses]
        if not details.uses or any(r is None for r in reads):
            return False
        unit.edits.append(statements.replace(ctx.locator, call, job))
        for read, key in reads:  # type: ignore[misc]
            _field(read, key, details.name, f"{details.name}.name", names.client, unit, ctx)
        unit.extra_bindings.append(details)
        unit.own_uses.update(id(u) for u in details.uses)
    elif _key_read(call, ctx) is not None:
        read, key = _key_read(call, ctx)  # type: ignore[misc]
        _field(read, key, job, names.run_id, names.client, unit, ctx)
    elif isinstance(outer, ast.Expr) or printed(call, ctx):
        unit.edits.append(statements.replace(ctx.locator, call, job))
        _todo(unit, ctx, call, "AML047 v2 shows the job entity, not v1's details dictionary")
    else:
        return False
    unit.findings.append(("AML047", call))
    unit.own_uses.add(id(use))
    return True


def _key_read(node: ast.AST, ctx: FixContext) -> tuple[ast.Subscript, str] | None:
    """``node["key"]`` read, for a key v2 can answer."""
    outer = ctx.parent(node)
    if not (isinstance(outer, ast.Subscript) and outer.value is node and isinstance(outer.ctx, ast.Load)):
        return None
    key = outer.slice.value if isinstance(outer.slice, ast.Constant) else None
    return (outer, key) if key in _DETAILS or key in _TIMES else None  # type: ignore[return-value]


def _field(read: ast.Subscript, key: str, job: str, run_id: str, client: str, unit: Rewrite, ctx: FixContext) -> None:
    if key == "runId":
        text = run_id
    elif key in _DETAILS:
        text = job + _DETAILS[key]
    else:
        # (through the workspace's tracking store, as every other MLflow read here: audit 59w)
        text = f"_v1_tracking({client}).get_run({run_id}).info.{_TIMES[key]}"
        unit.helpers.update(_TRACKED)
        unit.silent_needs.update(TRACKING_NEEDS)
        _note(unit, MLFLOW_NOTE)
        _todo(unit, ctx, read, f"AML047 v1's {key} was an ISO string; MLflow gives epoch milliseconds")
    unit.edits.append(statements.replace(ctx.locator, read, text))


def _widget(use: ast.Name, names: RunNames, unit: Rewrite, ctx: FixContext) -> bool:
    """``RunDetails(run).show()`` -> the studio link, printed (D+T: no widget in v2)."""
    widget = ctx.parent(use)
    if isinstance(widget, ast.keyword) and widget.arg == "run_instance":  # ``RunDetails(run_instance=run)``
        widget = ctx.parent(widget)
    if not isinstance(widget, ast.Call) or ctx.callee(widget) != RUN_DETAILS:
        return False
    bound = bind_arguments(widget, ["run_instance"])
    if isinstance(bound, str) or bound.values.get("run_instance") is not use:
        return False
    show = ctx.parent(widget)
    call = ctx.parent(show) if show is not None else None
    if not (isinstance(show, ast.Attribute) and show.attr == "show" and isinstance(call, ast.Call)
            and call.func is show and not call.args and not call.keywords and isinstance(ctx.parent(call), ast.Expr)):
        return False
    unit.edits.append(statements.replace(ctx.locator, call, f"print({use.id}.studio_url)"))
    _todo(unit, ctx, call, f"AML090 no RunDetails widget in v2: open the studio link, or follow the log with "
                           f"{names.client}.jobs.stream({names.run_id})")
    unit.findings.append(("AML090", widget))
    unit.own_uses.add(id(use))
    return True


def _register_model(use: ast.Name, names: RunNames, unit: Rewrite, ctx: FixContext) -> bool:
    """``run.register_model(name, path, ...)`` -> the job's output registered as a v2 model.
    The call is edited in place, so that uses of the run inside its arguments are translated too."""
    call = _method_call(use, "register_model", ctx)
    if call is None:
        return False
    bound = bind_arguments(call, REGISTER_SIGNATURE)
    if isinstance(bound, str) or set(bound.values) - set(REGISTER_SIGNATURE) or "model_name" not in bound.values:
        return False
    path = _job_path(bound.values.get("model_path"), names, ctx)
    if path is None or not _model_result_is_read_only(call, ctx):
        return False
    reader = v1_reader(MODEL_ASSET, bound.values["model_name"], ctx)
    if reader is not None:  # v1 reads the model back (see _v1_readers): the registration stays v1
        ctx.why_not[id(use)] = f"{reader} reads the model with v1, which cannot use a model registered with v2"
        ctx.left_why[id(call)] = Refusal(RefusalKind.DATA_FLOW, ctx.why_not[id(use)] + ": migrate that reader first")
        return False
    spec = CallSpec(old="register_model", signature=tuple(REGISTER_SIGNATURE), new=("azure.ai.ml.entities", "Model"),
                    params={"model_name": Keep("name"), "model_path": Map("path", lambda a: path),
                            **{p: Drop(when=_dropped) for p in _MODEL_DROPPED}},
                    finish=lambda *_: [f"type={symbol('azure.ai.ml.constants', 'AssetTypes')}.CUSTOM_MODEL"])
    trial = Rewrite(unit.code, call, "")
    try:
        apply_call_spec(spec, call, trial, ctx)
    except Refused:
        return False
    start, end = ctx.locator.start(call), ctx.locator.end(call)
    unit.edits += [*trial.edits, Edit(start, start, f"{names.client}.models.create_or_update("), Edit(end, end, ")")]
    registered = ctx.assigned_binding(call)
    for model in registered.uses if registered is not None else []:
        read = ctx.parent(model)
        owner = ctx.parent(read) if read is not None else None
        if not isinstance(read, ast.Attribute) or isinstance(owner, ast.Call) and owner.func is read:
            continue
        edit = {"id": v1_model_id, "version": v1_model_version}.get(read.attr, lambda *_: None)(model, ctx)
        if edit is not None:
            unit.edits.append(edit)
    unit.notes.extend(trial.notes)
    unit.findings.append(("AML036", call))
    unit.own_uses.add(id(use))
    return True


def _dropped(argument: Argument) -> bool:
    if not is_pure(argument.node):
        raise Refused(f"{argument.name}= is computed by a call")
    argument.rewrite.notes.append(f"register_model: {argument.name}= dropped (v2's Model has no such field)")
    return True


def _job_path(node: ast.expr | None, names: RunNames, ctx: FixContext) -> str | None:
    """The job's output path as an f-string (a literal path, or a plain variable), normalised
    as v1 did before it looked the path up among the run's files (``./outputs/m.pkl`` is
    ``outputs/m.pkl``)."""
    prefix = f"azureml://jobs/{{{names.run_id}}}/outputs/artifacts/paths/"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        tail = posixpath.normpath(node.value).replace("{", "{{").replace("}", "}}")
    elif isinstance(node, ast.Name):
        tail = f"{{{symbol('posixpath')}.normpath({node.id})}}"
    else:
        return None
    text = prefix + tail
    if '"' in text or "\\" in text or "\n" in text:
        return None
    return f'f"{text}"'


def _model_result_is_read_only(call: ast.Call, ctx: FixContext) -> bool:
    """The v1 model the call returned is only displayed or read (name, version...), never handed on."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.Expr):
        return True
    binding = ctx.assigned_binding(call)
    if binding is None:
        return False
    for use in binding.uses:
        read = ctx.parent(use)
        outer = ctx.parent(read) if read is not None else None
        if isinstance(read, ast.Attribute) and read.attr in MODEL_READS and not (
                isinstance(outer, ast.Call) and outer.func is read):
            if read.attr == "id" and v1_model_id(use, ctx) is None:
                return False  # (see _register_model: the read becomes v1's "name:version")
            continue
        if printed(use, ctx):
            continue
        return False
    return True
