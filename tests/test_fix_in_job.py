"""The in-job migration, executed: each training-script fixture runs once as v1 code
against a stand-in ``Run`` that records what it was asked to log, and once, after
``azureml-v2 fix --unsafe-fixes``, against the real MLflow with a local file store.
Both runs must leave the same metrics (names, values, steps), tags and artifacts."""

from __future__ import annotations

import base64
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import TESTS, run
from .migrate_helpers import fix, no_v1, ruff_clean, write_notebook

CASES = TESTS / "fixtures" / "fix"
EXECUTED = ["inscript_logging_calls", "inscript_crlf_tabs_functions", "inscript_log_image_any_plot",
            "inscript_run_passed_to_functions", "inscript_evaluation_json_text"]
PNG = b"\x89PNG\r\n\x1a\n"

# A stand-in for azureml.core, put on sys.path of the v1 run only.  It records each
# call (and the bytes of every file handed over, at the time of the call).
FAKE_AZUREML_CORE = '''
import base64, io, json, os

_RECORD = os.environ["V1_RECORD_FILE"]


def _read(path):
    with open(path, "rb") as handle:
        return base64.b64encode(handle.read()).decode()


def _record(method, **fields):
    with open(_RECORD, "a", encoding="utf-8") as out:
        out.write(json.dumps({"method": method, **fields}) + "\\n")


class Run:
    id = "v1-offline-run"

    @classmethod
    def get_context(cls, allow_offline=True, **kwargs):
        return _RUN

    def log(self, name, value, description="", step=None):
        _record("log", name=name, value=value, step=step)

    def log_list(self, name, value, description=""):
        _record("log_list", name=name, value=list(value))

    def log_row(self, name, description=None, **kwargs):
        _record("log_row", name=name, columns=kwargs)

    def log_table(self, name, value, description=""):
        _record("log_table", name=name, value=value)

    def log_confusion_matrix(self, name, value, description=""):
        _record("log_confusion_matrix", name=name, value=json.loads(value) if isinstance(value, str) else value)

    def log_accuracy_table(self, name, value, description=""):
        _record("log_accuracy_table", name=name, value=json.loads(value) if isinstance(value, str) else value)

    def log_predictions(self, name, value, description=""):
        _record("log_predictions", name=name, value=json.loads(value) if isinstance(value, str) else value)

    def log_residuals(self, name, value, description=""):
        _record("log_residuals", name=name, value=json.loads(value) if isinstance(value, str) else value)

    def log_image(self, name, path=None, plot=None, description=""):
        if plot is not None:
            buffer = io.BytesIO()
            plot.savefig(buffer, format="png")
            _record("log_image", name=name, plot=base64.b64encode(buffer.getvalue()).decode())
        else:
            _record("log_image", name=name, path=path, data=_read(path))

    def upload_file(self, name, path_or_stream, datastore_name=None):
        _record("upload_file", name=name, data=_read(path_or_stream))

    def upload_folder(self, name, path, datastore_name=None):
        files = {}
        for folder, _, names in os.walk(path):
            for file_name in names:
                full = os.path.join(folder, file_name)
                files[os.path.relpath(full, path).replace(os.sep, "/")] = _read(full)
        _record("upload_folder", name=name, files=files)

    def tag(self, key, value=None):
        _record("tag", key=key, value=value)

    def set_tags(self, tags):
        _record("set_tags", tags=tags)

    def complete(self, _set_status=True):
        _record("complete")


_RUN = Run()
'''

# What a v2 job provides around the script: an active MLflow run.
MLFLOW_RUNNER = textwrap.dedent('''
    import runpy, sys
    import mlflow

    with mlflow.start_run() as active:
        runpy.run_path(sys.argv[1], run_name="__main__")
    with open(sys.argv[2], "w") as out:
        out.write(active.info.run_id)
''')


class Logged:
    """What a run ended up holding, in MLflow's terms."""

    def __init__(self) -> None:
        self.metrics: dict[str, list[tuple[int, float]]] = {}
        self.tags: dict[str, str] = {}
        self.artifacts: dict[str, bytes] = {}

    def metric(self, name: str, value: object, step: int | None) -> None:
        self.metrics.setdefault(name, []).append((step or 0, float(value)))  # type: ignore[arg-type]

    def comparable(self) -> tuple[dict, dict, dict]:
        metrics = {k: sorted(v) for k, v in self.metrics.items()}
        # figures are rendered twice, so only their kind is compared
        artifacts = {k: (PNG if v.startswith(PNG) and k.endswith(".png") else v) for k, v in self.artifacts.items()}
        return metrics, self.tags, artifacts


def expected_from_v1(records: list[dict]) -> Logged:
    """The MLflow state that carries what v1 was asked to log (mapping.md section 6)."""
    logged = Logged()
    for record in records:
        method, name = record["method"], record.get("name")
        if method == "log":
            if isinstance(record["value"], str):
                logged.tags[name] = record["value"]
            else:
                logged.metric(name, record["value"], record["step"])
        elif method == "log_list":
            for index, value in enumerate(record["value"]):
                logged.metric(name, value, index)
        elif method == "log_row":
            for column, value in record["columns"].items():
                logged.metric(f"{name}.{column}", value, None)
        elif method in ("log_table", "log_confusion_matrix", "log_accuracy_table", "log_predictions", "log_residuals"):
            logged.artifacts[f"{name}.json"] = json.dumps(record["value"]).encode()
        elif method == "log_image" and "plot" in record:
            logged.artifacts[f"{name}.png"] = base64.b64decode(record["plot"])
        elif method == "log_image":
            logged.artifacts[posixpath.basename(record["path"])] = base64.b64decode(record["data"])
        elif method == "upload_file":
            logged.artifacts[posixpath.normpath(name)] = base64.b64decode(record["data"])
        elif method == "upload_folder":
            for relative, data in record["files"].items():
                logged.artifacts[posixpath.join(name, relative)] = base64.b64decode(data)
        elif method == "tag":
            logged.tags[record["key"]] = "" if record["value"] is None else str(record["value"])
        elif method == "set_tags":
            logged.tags.update({k: str(v) for k, v in record["tags"].items()})
        else:
            assert method == "complete", method
    return logged


def _workdir(root: Path, name: str, script: Path) -> Path:
    folder = root / name
    folder.mkdir()
    shutil.copyfile(script, folder / "train.py")
    return folder


def run_v1(root: Path, script: Path) -> list[dict]:
    fake = root / "fake_azureml"
    (fake / "azureml" / "core").mkdir(parents=True)
    (fake / "azureml" / "__init__.py").write_text("")
    (fake / "azureml" / "core" / "__init__.py").write_text(FAKE_AZUREML_CORE)
    (fake / "azureml" / "core" / "run.py").write_text("from azureml.core import Run\n")
    folder = _workdir(root, "v1", script)
    record = root / "v1.jsonl"
    result = run([sys.executable, "train.py"], cwd=folder,
                 env={"PYTHONPATH": str(fake), "V1_RECORD_FILE": str(record), "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]


def run_mlflow(root: Path, script: Path) -> Logged:
    import mlflow

    folder = _workdir(root, "v2", script)
    (root / "runner.py").write_text(MLFLOW_RUNNER)
    store = f"file:{root / 'mlruns'}"
    env = {"MLFLOW_TRACKING_URI": store, "MLFLOW_ALLOW_FILE_STORE": "true", "MPLBACKEND": "Agg"}
    result = run([sys.executable, str(root / "runner.py"), "train.py", str(root / "run_id")], cwd=folder, env=env)
    assert result.returncode == 0, result.stderr
    run_id = (root / "run_id").read_text()

    previous = os.environ.get("MLFLOW_ALLOW_FILE_STORE")
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    try:
        client = mlflow.MlflowClient(tracking_uri=store)
        data = client.get_run(run_id).data
        logged = Logged()
        for key in data.metrics:
            logged.metrics[key] = [(m.step, m.value) for m in client.get_metric_history(run_id, key)]
        logged.tags = {k: v for k, v in data.tags.items() if not k.startswith("mlflow.")}
        download = Path(client.download_artifacts(run_id, "", str(root / "artifacts")))
    finally:
        if previous is None:
            os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)
        else:
            os.environ["MLFLOW_ALLOW_FILE_STORE"] = previous
    for path in sorted(download.rglob("*")):
        if path.is_file():
            logged.artifacts[path.relative_to(download).as_posix()] = path.read_bytes()
    return logged


def _normalise_json(artifacts: dict[str, bytes]) -> dict[str, bytes]:
    return {k: (json.dumps(json.loads(v), sort_keys=True).encode() if k.endswith(".json") else v) for k, v in artifacts.items()}


@pytest.mark.parametrize("case", EXECUTED)
def test_v1_and_migrated_scripts_log_the_same(case: str, tmp_path: Path) -> None:
    before = CASES / case / "before.py"
    expected = expected_from_v1(run_v1(tmp_path, before))

    script = tmp_path / "migrated" / "train.py"
    script.parent.mkdir()
    shutil.copyfile(before, script)
    (script.parent / "pyproject.toml").write_text("")  # a project root of its own
    report = fix(script)
    migrated = script.read_bytes()
    assert migrated == (CASES / case / "after.py").read_bytes(), report
    code = "".join(line for line in migrated.decode("utf-8").splitlines(True) if not line.lstrip().startswith("#"))
    assert no_v1(code) and "azureml" not in code  # the comments: the AML011 TODO on the job's environment
    # no run of its own: only the job's, started by the first MLflow call (or a read of run.id)
    assert "mlflow.start_run" not in migrated.decode("utf-8").replace("mlflow.active_run() or mlflow.start_run()", "")
    ruff_clean(script)
    second = fix(script)
    assert script.read_bytes() == migrated and "Fixed 0 findings" in second

    actual = run_mlflow(tmp_path, script)
    want_metrics, want_tags, want_artifacts = expected.comparable()
    got_metrics, got_tags, got_artifacts = actual.comparable()
    assert got_metrics == want_metrics
    assert got_tags == want_tags
    assert _normalise_json(got_artifacts) == _normalise_json(want_artifacts)


def test_the_fixtures_exercise_every_logging_call(tmp_path: Path) -> None:
    """The comparison above is only as good as what the fixtures log."""
    methods: set[str] = set()
    for index, case in enumerate(EXECUTED):
        folder = tmp_path / str(index)
        folder.mkdir()
        records = run_v1(folder, CASES / case / "before.py")
        methods |= {r["method"] for r in records}
        if case == "inscript_logging_calls":
            logged = expected_from_v1(records)
            assert logged.metrics["losses"] == [(0, 0.9), (1, 0.5), (2, 0.3)]
            assert logged.metrics["val_loss"] == [(2, 0.5)]  # v1's 4th positional is the step
            assert logged.metrics["converged"] == [(0, 1.0)]
            assert logged.tags["optimizer"] == "adam" and logged.tags["reviewed"] == ""
            assert {"outputs/model.pkl", "model.pkl", "reports/report.txt", "roc.png", "scores.json",
                    "loss_curve.png", "figure_object.png", "confusion.json", "residuals.json"} <= set(logged.artifacts)
    assert methods == {"log", "log_list", "log_row", "log_table", "log_image", "upload_file", "upload_folder",
                       "tag", "set_tags", "complete", "log_confusion_matrix", "log_accuracy_table",
                       "log_predictions", "log_residuals"}


def _fix_report(case: str, tmp_path: Path) -> tuple[str, bytes, bytes]:
    before = (CASES / case / "before.py").read_bytes()
    script = tmp_path / "train.py"
    script.write_bytes(before)
    return fix(script), before, script.read_bytes()


def test_input_datasets_keep_the_run_and_its_logging(tmp_path: Path) -> None:
    report, _, after = _fix_report("inscript_input_datasets", tmp_path)
    text = after.decode("utf-8")
    # only a v1 job fills run.input_datasets, and no launcher of the project runs the script: an unseen
    # v1 job does, so `run` stays, and its logging and complete() with it (set 24's capstone trials)
    assert 'frame = run.input_datasets["titanic"].to_pandas_dataframe()' in text
    assert 'run.log("rows", len(frame))' in text and "run.complete()" in text and "mlflow" not in text
    lines = report.splitlines()
    # no launcher in the project says how the input is handed over (issue 12: its mode decides)
    manual = next(line for line in lines if " AML033 left: " in line)
    assert "no launcher of this project that this fix can read runs this script" in manual
    kept = next(line for line in lines if " AML011 left: " in line)
    assert "depends on line 5: no launcher of this project that this fix can read runs this script" in kept
    for code in ("AML012", "AML031"):
        held = next(line for line in lines if f" {code} left: " in line)
        assert "its launcher is a v1 job this fix cannot see (it reads run.input_datasets, line 5" in held, held


def test_parent_run_and_workspace_are_reported_with_their_mlflow_forms(tmp_path: Path) -> None:
    report, _, after = _fix_report("inscript_parent_and_workspace", tmp_path)
    text = after.decode("utf-8")
    assert "ws = run.experiment.workspace" in text and 'run.parent.log("best_auc", 0.8)' in text
    assert 'mlflow.log_metric("auc", 0.8)' in text
    assert " AML035 left: " in report and "build an MLClient" in report
    assert "mlflow.get_experiment(mlflow.active_run().info.experiment_id)" in report
    assert " AML034 left: " in report and "mlflow.get_parent_run" in report
    [parent] = [line for line in report.splitlines() if " AML034 left: " in line]
    assert parent.endswith("[not yet supported]"), parent  # the reference: needs human, with a v2 form; not impossible


@pytest.mark.parametrize(("read", "field"), [
    ("run.parent.get_tags()", "data.tags"), ("run.parent.get_metrics()", "data.metrics"), ("run.parent.id", "info.run_id"),
    ('run.parent.log("auc", 0.8)', None),
])
def test_a_read_of_the_parent_run_says_where_mlflow_holds_it(tmp_path: Path, read: str, field: str | None) -> None:
    """Logging to the parent passes its run_id to the mlflow call; reading it reads the parent run."""
    script = tmp_path / "step.py"
    script.write_text(f"from azureml.core import Run\n\nrun = Run.get_context()\nvalue = {read}\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--output-format", "text", script.name],
                 cwd=tmp_path).stdout
    [message] = [line for line in report.splitlines() if " AML034 " in line]
    if field is None:
        assert message.endswith("and pass its run_id to the mlflow call"), message
    else:
        assert message.endswith(f"read it as mlflow.get_parent_run(mlflow.active_run().info.run_id).{field}"), message


def test_model_get_model_path_stays_while_the_logging_moves(tmp_path: Path) -> None:
    report, _, after = _fix_report("inscript_model_path_stays", tmp_path)
    text = after.decode("utf-8")
    assert 'Model.get_model_path("churn", version=3)' in text and "from azureml.core import Model\n" in text
    assert "mlflow.log_metric(" in text and "run" not in text.replace("churn", "")
    assert " AML037 left: outside a scoring script" in report and "as an input" in report


def test_a_value_mlflow_cannot_log_keeps_the_run_for_that_call(tmp_path: Path) -> None:
    report, _, after = _fix_report("inscript_list_value_left", tmp_path)
    text = after.decode("utf-8")
    assert 'mlflow.log_metric("accuracy", 0.9)' in text and 'run.log("classes", ["cat", "dog"])' in text
    assert "run = Run.get_context()" in text
    assert ':8:1: AML012 left: the value `["cat", "dog"]` is not a number' in report  # lines of the fixed file
    assert ":5:1: AML012 fixed" in report


def test_without_unsafe_fixes_nothing_in_a_training_script_changes(tmp_path: Path) -> None:
    before = (CASES / "inscript_safe_fixes_only" / "before.py").read_bytes()
    script = tmp_path / "train.py"
    script.write_bytes(before)
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", script.name], cwd=tmp_path)
    assert script.read_bytes() == before
    assert "3 more are held back for --unsafe-fixes" in result.stdout + result.stderr


def _project_script(tmp_path: Path, text: str, name: str = "train.py") -> Path:
    """``text`` as a script at the root of a project of its own (a pyproject.toml beside it)."""
    (tmp_path / "pyproject.toml").write_text("")
    script = tmp_path / name
    script.write_text(text)
    return script


def _run_in_a_job(folder: Path, *arguments: str) -> tuple[subprocess.CompletedProcess[str], str, dict[str, float]]:
    """Run the migrated folder/train.py as a v2 job does: MLFLOW_RUN_ID names a run of a local
    file store.  The result, that run's id and the metrics logged to it."""
    import mlflow

    store = f"file:{folder / 'mlruns'}"
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    try:
        client = mlflow.MlflowClient(tracking_uri=store)
        job_run = client.create_run(client.create_experiment("job")).info.run_id
        result = run([sys.executable, "train.py", *arguments], cwd=folder,
                     env={"MLFLOW_TRACKING_URI": store, "MLFLOW_RUN_ID": job_run, "MLFLOW_ALLOW_FILE_STORE": "true"})
        assert result.returncode == 0, result.stderr
        return result, job_run, client.get_run(job_run).data.metrics
    finally:
        os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)


@pytest.mark.parametrize(("program", "read", "metrics"), [
    ('from azureml.core import Run\n\nrun = Run.get_context()\nprint(run.id)\nrun.log("loss", 0.5)\n',
     "print((mlflow.active_run() or mlflow.start_run()).info.run_id)\n", {"loss": 0.5}),
    # the inline form (audit, stop 63, e M3: it was "not migrated automatically")
    ("from azureml.core import Run\n\nprint(Run.get_context().id)  # the job's run\n",
     "print((mlflow.active_run() or mlflow.start_run()).info.run_id)  # the job's run\n", {}),
])
def test_run_id_read_before_any_logging_is_the_jobs_run(tmp_path: Path, program: str, read: str,
                                                        metrics: dict[str, float]) -> None:
    """In a v2 job MLFLOW_RUN_ID names the job's run, but mlflow.active_run() is None until the
    first MLflow call: a read of run.id first is that call, and the run is the job's.  The script
    also gets one TODO about its environment, and a second fix changes nothing."""
    script = tmp_path / "train.py"
    script.write_text(program)
    (tmp_path / "pyproject.toml").write_text("")
    fix(script)
    text = script.read_text()
    assert text.count("# TODO(azureml-v2): AML011 this script logs with MLflow") == 1
    assert read in text
    fix(script)
    assert script.read_text() == text
    result, job_run, logged = _run_in_a_job(tmp_path)
    assert result.stdout.strip() == job_run
    assert logged == metrics


def test_an_inline_offline_test_of_the_run_id_stays(tmp_path: Path) -> None:
    """MLflow's run id never starts with "OfflineRun": the local branch would be lost (review, stop 63)."""
    script = tmp_path / "train.py"
    program = ("from azureml.core import Run\n\nif Run.get_context().id.startswith('OfflineRun'):\n"
               "    print('local')\n")
    script.write_text(program)
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert script.read_text() == program
    assert "AML011 left: line 3 tells v1's offline run" in report, report


@pytest.mark.parametrize(("given", "call", "char"), [
    ("k = 1", 'run.log("Accuracy @{}".format(k), 0.5)', "@"),
    ("k = 1", 'run.log(f"loss (fold {k})", 0.5)', "("),
    ("", 'run.log_list("scores, by fold", [0.5, 0.6])', ","),
    ("", 'run.tag("owner=team", "a")', "="),
    # set 29: the name reaches the call through a variable, a constant, an f-string over a
    # literal list or the keys of a literal dict
    ('name = "R^2"', "run.log(name, 0.8)", "^"),
    ('METRIC = "mse ridge(a=1)"', "run.log(METRIC, 0.8)", "("),
    ('models = ["ridge(a=1)", "lasso"]', 'for model in models:\n    run.log(f"mse {model}", 1.0)', "("),
    ('scores = {"R^2": 0.8}', "for key, value in scores.items():\n    run.log(key, value)", "^"),
    ("", 'for key in {"acc@1": 1}:\n    run.log_row(key, value=1.0)', "@"),
])
def test_a_name_mlflow_rejects_keeps_its_v1_call(tmp_path: Path, given: str, call: str, char: str) -> None:
    """MLflow accepts only letters, digits, _ - . / : and spaces in names; v1 took any text.  A
    name the program shows only through a variable is read through it."""
    import mlflow.utils.validation

    script = tmp_path / "train.py"
    script.write_text(f'from azureml.core import Run\n\nrun = Run.get_context()\n{given}\n{call}\nrun.log("kept", 1.0)\n')
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert f"MLflow rejects {char!r}" in report, report
    text = script.read_text()
    assert call in text and 'mlflow.log_metric("kept", 1.0)' in text, text
    assert not mlflow.utils.validation.validate_param_and_metric_name(f"x{char}")  # the rule it follows


@pytest.mark.parametrize(("call", "migrated"), [
    ('run.log_image(f"sample_Plot", plot=plt)', 'mlflow.log_figure(plt.gcf(), "sample_Plot.png")'),
    ('run.log_table(f"scores", {"a": [1, 2]})', 'mlflow.log_dict({"a": [1, 2]}, "scores.json")'),
    ('run.log_row(f"fold", a=1.0)', 'mlflow.log_metrics({"fold.a": 1.0})'),
    ('run.log(f"acc@1", 0.5)', None),  # a name MLflow rejects is read through the f-string too
])
def test_an_f_string_with_nothing_to_format_is_a_literal_name(tmp_path: Path, call: str, migrated: str | None) -> None:
    """``f"sample_Plot"`` is the string itself (audit 43): it names the artifact as a literal does,
    instead of keeping that one call with v1 beside the script's MLflow calls."""
    script = tmp_path / "train.py"
    script.write_text(f'import matplotlib.pyplot as plt\nfrom azureml.core import Run\n\nrun = Run.get_context()\n'
                      f'{call}\nrun.log("kept", 1.0)\n')
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    text = script.read_text()
    assert 'mlflow.log_metric("kept", 1.0)' in text, report
    if migrated is None:
        assert call in text and "MLflow rejects '@'" in report, report
    else:
        assert migrated in text and "not a literal or a variable" not in report, report


def test_a_name_from_another_loop_of_the_same_variable_does_not_hold_a_call(tmp_path: Path) -> None:
    """Only the loop that reaches the call gives its names: the valid keys here move to MLflow."""
    script = tmp_path / "train.py"
    script.write_text('from azureml.core import Run\n\nrun = Run.get_context()\nfor key in ["R^2"]:\n    print(key)\n'
                      'for key in {"accuracy": 1, "loss": 2}:\n    run.log(key, 1.0)\n')
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert "mlflow.log_metric(key, 1.0)" in script.read_text(), report


READ_BACK = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
env = Environment.from_conda_specification(name="env", file_path="conda.yml")
config = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=env)
run = Experiment(ws, "exp").submit(config)
run.wait_for_completion()
metrics = run.get_metrics()
print(metrics["accuracy"], metrics["data_version"])
"""


def _launched_script(tmp_path: Path, launcher: str, script: str) -> Path:
    """A project whose submit.py runs src/train.py in an environment with mlflow."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "submit.py").write_text(launcher)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(script)
    return tmp_path / "src" / "train.py"


@pytest.mark.parametrize(("call", "code"), [
    ('run.log("data_version", args.version)', "AML012"),  # of unknown kind: a tag when it is not a number
])
def test_a_value_moved_out_of_the_metrics_a_launcher_reads_keeps_its_v1_call(tmp_path: Path, call: str, code: str) -> None:
    """Sets 28 and 29: the launcher reads the job's metrics back; v1 returned these values among
    them, and the MLflow forms are not metrics, so the reader would lose them (a KeyError here).
    The numbers still move; a second run, with the launcher migrated, still sees the reader."""
    script = _launched_script(tmp_path, READ_BACK, "import argparse\nfrom azureml.core import Run\n"
                              "args = argparse.ArgumentParser().parse_args()\n"
                              f"run = Run.get_context()\nrun.log('accuracy', 0.9)\n{call}\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    text = script.read_text()
    assert "_v1_get_metrics(" in (tmp_path / "submit.py").read_text(), report
    assert call in text and "mlflow.log_metric('accuracy', 0.9)" in text, report
    assert re.search(rf"train.py:\d+:1: {code} left: ../submit.py:\d+ reads the run's metrics \(get_metrics\(\)\), "
                     "which held this value in v1", report), report
    again = run(command, cwd=tmp_path).stdout
    assert "Fixed 0 findings" in again and script.read_text() == text, again


@pytest.mark.parametrize(("folder", "held"), [
    ("src", False),  # the launcher runs src/train.py: this train.py is another project's
    ("other", True),
])
def test_a_reader_of_a_launched_script_holds_only_the_file_its_calls_place(tmp_path: Path, folder: str,
                                                                          held: bool) -> None:
    """Audit u: a reader naming ``train.py`` held every file of that name, though its job's call
    places the script in one folder; a train.py elsewhere logs a string that nothing reads back."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "submit.py").write_text(READ_BACK.replace('source_directory="src"', f'source_directory="{folder}"'))
    for placed in ("src", "other"):
        (tmp_path / placed).mkdir()
        (tmp_path / placed / "train.py").write_text(
            "from azureml.core import Run\nrun = Run.get_context()\nrun.log('data_version', 'v3')\n")
    script = tmp_path / "other" / "train.py"
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    if held:
        assert "other/train.py:3:1: AML012 left: " in report and "Run.get_context()" in script.read_text(), report
    else:
        text = script.read_text()
        assert "mlflow.set_tag('data_version', 'v3')" in text and "Run.get_context()" not in text, report


@pytest.mark.parametrize(("reads", "held"), [
    ("# metrics = run.get_metrics()\n", False),  # audit v: a commented-out reader reads nothing
    ("metrics = run.get_metrics()  # read back\n", True),
])
def test_only_a_reader_in_code_holds_what_a_script_logs(tmp_path: Path, reads: str, held: bool) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    launcher = READ_BACK.split("metrics = ")[0]
    (tmp_path / "submit.py").write_text(launcher + reads)
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "train.py"
    script.write_text("from azureml.core import Run\nrun = Run.get_context()\nrun.log('data_version', 'v3')\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    text = script.read_text()
    if held:
        assert "Run.get_context()" in text and "AML012 left: " in report, report
    else:
        assert "mlflow.set_tag('data_version', 'v3')" in text and "Run.get_context()" not in text, report
        assert (tmp_path / "submit.py").read_text().endswith(reads), report


@pytest.mark.parametrize(("copy", "reason"), [
    ('shutil.copy("train.py", "src")\n', "it reads 'data_version', which train.py logs as an int (its line 4)"),
    ("", "train.py, the job's script, is not found at src/train.py, so what it logs is not known"),
])
def test_a_reader_of_a_script_copied_where_its_job_runs_reads_what_it_logs(tmp_path: Path, copy: str,
                                                                           reason: str) -> None:
    """The launcher copies train.py into the folder its job runs from when it runs (audit 47): the
    copy's source tells what the script logs; a script not found at all may log anything."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    launcher = "import shutil\n" + copy + READ_BACK
    (tmp_path / "submit.py").write_text(launcher)
    (tmp_path / "train.py").write_text("from azureml.core import Run\nrows = [1, 2]\nrun = Run.get_context()\n"
                                       "run.log('data_version', len(rows))\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "submit.py"], cwd=tmp_path).stdout
    assert (tmp_path / "submit.py").read_text() == launcher, report
    assert f"`run.get_metrics()`), which this fix cannot translate ({reason}; MLflow's metrics hold floats only)" \
        in report, report


def test_a_script_found_only_from_a_folder_above_is_named_where_the_launcher_misses_it(tmp_path: Path) -> None:
    """Audit u: ``source_directory="./steps"`` in nb/submit.py, with steps/ at the project's root: the
    script's fix named the launcher as one that runs it, while the launcher's said the script was
    not found; the launcher now says where it is when the program runs from the folder above."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "nb").mkdir()
    (tmp_path / "steps").mkdir()
    (tmp_path / "nb" / "submit.py").write_text(READ_BACK.replace('source_directory="src"', 'source_directory="./steps"'))
    (tmp_path / "steps" / "train.py").write_text("from azureml.core import Run\nrun = Run.get_context()\n"
                                                 "run.log('accuracy', 0.5)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--diff", "."], cwd=tmp_path).stderr
    assert ("train.py, the job's script, is not found at ./steps/train.py (run from a folder above, it is "
            "../steps/train.py, but which folder the program runs from is not known here)") in report, report


@pytest.mark.parametrize(("call", "what"), [
    ('run.log("data_version", "v3")', "a string"),  # v1 returned it, MLflow's metrics hold floats only
    ('run.log("data_version", len(rows))', "an int"),  # v1 returned an int, MLflow a float
    ('run.log("data_version", True)', "a bool"),  # MLflow gives 1.0 back
    ('run.log_row("data_version", a=1.0)', "a table with `log_row`"),  # v1 returned a table
    ('run.log_table("data_version", {"a": [1.0]})', "a table with `log_table`"),
    # argparse keeps an untyped option's text: the script's own fix logs it as a tag at run time
    ('run.log("data_version", args.data_version)', "a string from the command-line option `data_version`"),
    ('run.log("data_version", args.data_version)', "an int from the command-line option `data_version`"),
    ('run.log("data_version", args.data_version)', "a bool from the command-line option `data_version`"),
])
def test_a_launcher_reading_back_what_mlflow_does_not_hold_keeps_the_job_v1(tmp_path: Path, call: str,
                                                                             what: str) -> None:
    """Audits 36 and 37: the launcher's get_metrics()["data_version"] would raise KeyError (or give
    a float) once read through MLflow, so the submit and its reader stay v1, and the script with them.
    The reason names the value and where the script logs it."""
    option = {"a string": "", "an int": ", type=int", "a bool": ", action='store_true'"}.get(what.split(" from")[0], "")
    body = ("import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
            f"parser.add_argument('--data-version'{option})\nargs = parser.parse_args()\nrows = [1, 2]\n"
            f"run = Run.get_context()\nrun.log('accuracy', 0.9)\n{call}\n")
    script = _launched_script(tmp_path, READ_BACK, body)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert (tmp_path / "submit.py").read_text() == READ_BACK, report
    assert ("submit.py:5:7: AML001 left: `run` is also used at line 7 (`run.get_metrics()`), which this fix cannot "
            f"translate (it reads 'data_version', which train.py logs as {what} (its line 9); MLflow's metrics "
            "hold floats only)") in report, report
    assert script.read_text() == body, report


LOOKED_UP = ("from azureml.core import Experiment, Run, Workspace\nws = Workspace.from_config()\n"
             "for listed in Experiment(ws, 'exp').get_runs():\n"
             "    run = Run.get(ws, run_id=listed.id)\n    metrics = run.get_metrics()\n"
             "    print(metrics['{key}'], metrics['accuracy'])\n")


@pytest.mark.parametrize(("key", "what"), [
    ("patients", "a list holding a string from the command-line option `patients` (its line 6)"),
    ("confusion", "a table with `log_confusion_matrix` (its line 8)"),
    ("loss", None),  # a float list: still among the metrics
])
def test_a_run_looked_up_by_id_keeps_its_reader_v1_when_a_script_logs_what_it_reads_as_a_non_float(
        tmp_path: Path, key: str, what: str | None) -> None:
    """The program names no job script: the run it reads comes from a listing, so any script of the
    project may have logged it.  A literal key that one of them logs as something MLflow's metrics
    do not hold keeps the reader v1 (audit 58w: ``log_list`` of a string option, then KeyError)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(
        "import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--patients', type=str)\nargs = parser.parse_args()\n"
        "Run.get_context().log_list('patients', [args.patients])\nrun = Run.get_context()\n"
        "run.log_confusion_matrix('confusion', {'schema_type': 'confusion_matrix'})\n"
        "run.log_list('loss', [0.5, 0.25])\nrun.log('accuracy', 0.9)\n")
    reader = LOOKED_UP.replace("{key}", key)
    (tmp_path / "read.py").write_text(reader)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "read.py"], cwd=tmp_path).stdout
    fixed = (tmp_path / "read.py").read_text()
    if what is None:
        assert "_v1_get_metrics(ml_client, " in fixed and f"metrics['{key}']" in fixed, report
    else:
        assert fixed == reader, report
        assert f"(it reads '{key}', which train.py logs as {what}; MLflow's metrics hold floats only)" in report, report


@pytest.mark.parametrize(("reader", "held"), [("notebooks/read.py", True), ("read.py", True),
                                             ("other/sample/read.py", False)])
def test_a_reader_by_key_counts_on_its_own_branch_of_the_project(tmp_path: Path, reader: str, held: bool) -> None:
    """``notebooks/`` beside ``src/`` reads the runs of ``src/train.py`` (audit 58e); a reader in
    another sample of the project reads other scripts' runs, and holds nothing here (it stays v1
    itself: nothing near it logs what it reads, so what the run holds is not known; review 88)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\nrun = Run.get_context()\n"
                                               "run.log('best_model', 'resnet')\nrun.log('accuracy', 0.9)\n")
    (tmp_path / reader).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / reader).write_text(LOOKED_UP.replace("{key}", "best_model"))
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert (tmp_path / reader).read_text() == LOOKED_UP.replace("{key}", "best_model"), report
    assert ("run.log('best_model', 'resnet')" in (tmp_path / "src" / "train.py").read_text()) is held, report
    assert ("it reads 'accuracy', which nothing near this program logs" in report) is not held, report


@pytest.mark.parametrize("call", ["run.log('patients', args.patients)", "run.log_list('patients', [args.patients])",
                                  "run.log('patients', args.count)", "run.log('patients', 12)"])
def test_a_value_a_reader_elsewhere_reads_by_key_stays_among_the_v1_metrics(tmp_path: Path, call: str) -> None:
    """The other side of the looked-up run: a value of unknown kind becomes a tag when it is not a
    number, and a file of the project that reads that key from a run's metrics (one it looks up by
    id, naming no script) would lose it; so the call stays v1 (audit 58w)."""
    (tmp_path / "pyproject.toml").write_text("")
    script = ("import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
              "parser.add_argument('--patients')\nparser.add_argument('--count', type=int)\nargs = parser.parse_args()\n"
              f"run = Run.get_context()\n{call}\nrun.log('accuracy', 0.9)\n")
    (tmp_path / "train.py").write_text(script)
    (tmp_path / "read.py").write_text(LOOKED_UP.replace("{key}", "patients"))
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "train.py"], cwd=tmp_path).stdout
    text = (tmp_path / "train.py").read_text()
    assert call in text and "mlflow.log_metric('accuracy', 0.9)" in text, report
    code = "AML013" if "log_list" in call else "AML012"
    kept = "a float" if "12)" in call else "a tag when it is not a number"
    assert f"train.py:10:1: {code} left: read.py:5 reads the run's metrics (get_metrics()), which held this value in " \
        f"v1; MLflow keeps it as {kept}, so that reader would not get it back as v1 gave it: change the reader by hand, " \
        "then fix" in report, report  # (line 10 of the fixed file)


OPTION_SCRIPT = ("import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
                 "parser.add_argument('--patients', type=str)\nargs = parser.parse_args()\nrun = Run.get_context()\n"
                 "{logs}\nrun.log('accuracy', 0.9)\n")
LOOKED_UP_ANY = ("from azureml.core import Experiment, Run, Workspace\nws = Workspace.from_config()\n"
                 "for listed in Experiment(ws, 'exp').get_runs():\n"
                 "    run = Run.get(ws, run_id=listed.id)\n    metrics = run.get_metrics()\n    {reads}\n")


@pytest.mark.parametrize(("logs", "reads"), [
    # a key held in a variable, and a loop over the options: the string is logged under a name the
    # reader spells, though the log call does not (review 58b, A5)
    ("KEY = 'patients'\nrun.log(KEY, args.patients)", "print(metrics['patients'], metrics['accuracy'])"),
    ("for key, value in vars(args).items():\n    run.log(key, value)", "print(metrics['patients'], metrics['accuracy'])"),
    # reads other than by subscript: .get() by key, and the whole listing (review 58b, A6)
    ("run.log('patients', args.patients)", "print(metrics.get('patients'), metrics['accuracy'])"),
    ("run.log('patients', args.patients)", "print(sorted(metrics.items()))"),
], ids=["key-in-a-variable", "loop-over-options", "get-by-key", "items"])
def test_a_string_a_run_looked_up_by_id_may_read_keeps_both_sides_v1(tmp_path: Path, logs: str, reads: str) -> None:
    """The reader and the script agree: neither moves, so the reader still finds the string among
    the metrics (a migrated reader raised KeyError or lost it, or the script's tag went missing from
    a reader left v1)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    script = OPTION_SCRIPT.format(logs=logs)
    (tmp_path / "src" / "train.py").write_text(script)
    reader = LOOKED_UP_ANY.format(reads=reads)
    (tmp_path / "read.py").write_text(reader)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert (tmp_path / "read.py").read_text() == reader, report
    text = (tmp_path / "src" / "train.py").read_text()
    assert logs in text and "mlflow.log_metric('accuracy', 0.9)" in text, report
    assert "reads the run's metrics (get_metrics()), which held this value in v1" in report, report


BY_ID = ("from azureml.core import Workspace, Run\n\nws = Workspace.from_config()\nrun = Run.get(ws, 'abc123')\n"
         "metrics = run.get_metrics()\n{reads}\n")


@pytest.mark.parametrize(("scripts", "reader", "reads"), [
    # an option spelled with a dash is logged under its destination, with an underscore
    ({"src/train.py": "import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
                      "parser.add_argument('--model-name', default='resnet')\nargs = parser.parse_args()\n"
                      "run = Run.get_context()\nfor key, value in vars(args).items():\n    run.log(key, value)\n"},
     "notebooks/read.py", "print(metrics['model_name'].upper())"),
    # the second of two scripts that log under names known only at run time is the one that spells the key
    ({"src/prep.py": "import json\nfrom azureml.core import Run\nrun = Run.get_context()\nsettings = json.load(open('s.json'))\n"
                     "num_epochs_hint = 3\n"
                     "for name, value in settings.items():\n    run.log(name, value)\n",
      "src/train.py": "import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
                      "parser.add_argument('--epochs', type=int, default=5)\nargs = parser.parse_args()\n"
                      "run = Run.get_context()\nfor key, value in vars(args).items():\n    run.log(key, value)\n"},
     "notebooks/read.py", "for epoch in range(metrics['epochs']):\n    print(epoch)"),
    # a table and a string logged under f-string names: any key may be one of them
    ({"src/train.py": "from azureml.core import Run\nrun = Run.get_context()\nfor split in ['train', 'test']:\n"
                      "    run.log_row(f'{split}_scores', fold=1, model=split)\n"},
     "notebooks/read.py", "print(metrics['train_scores']['model'])"),
    # a script in the project's root folder and a reader below it
    ({"train.py": "from azureml.core import Run\nrun = Run.get_context()\nrun.log('model_type', 'resnet')\n"},
     "notebooks/read.py", "print(metrics['model_type'].upper())"),
    # a script two folders down a sibling folder (review 62)
    ({"src/training/train.py": "from azureml.core import Run\nrun = Run.get_context()\nrun.log('model_type', 'resnet')\n"},
     "notebooks/read.py", "print(metrics['model_type'].upper())"),
    # options declared in a module the script imports: the loop may log any key (review 62)
    ({"src/options.py": "import argparse\n\n\ndef parse():\n    parser = argparse.ArgumentParser()\n"
                        "    parser.add_argument('--model-name', default='resnet')\n    return parser.parse_args()\n",
      "src/train.py": "from azureml.core import Run\nfrom options import parse\nargs = parse()\nrun = Run.get_context()\n"
                      "for key, value in vars(args).items():\n    run.log(key, value)\n"},
     "notebooks/read.py", "print(metrics['model_name'].upper())"),
], ids=["dash-option", "second-loop-script", "f-string-names", "root-script", "nested-script", "options-in-a-module"])
def test_a_reader_near_scripts_that_may_log_its_key_as_a_non_float_stays_v1(
        tmp_path: Path, scripts: dict[str, str], reader: str, reads: str) -> None:
    """Review 61: the scripts near a reader of a run looked up by id are every one that logs,
    whichever bytes it spells the key in, and whichever folder above or below the reader it is in."""
    (tmp_path / "pyproject.toml").write_text("")
    for name, text in {**scripts, reader: BY_ID.format(reads=reads)}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert (tmp_path / reader).read_text() == BY_ID.format(reads=reads), report


def test_a_string_a_reader_lists_through_a_global_stays_v1(tmp_path: Path) -> None:
    """Review 61: a reader that fills a module-level dict in a function (``global metrics``) and
    lists it reads any key: the script near it keeps its string among the v1 metrics."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "notebooks").mkdir()
    script = "from azureml.core import Run\nrun = Run.get_context()\nrun.log('model_type', 'resnet')\n"
    (tmp_path / "src" / "train.py").write_text(script)
    (tmp_path / "notebooks" / "read.py").write_text(
        "from azureml.core import Workspace, Run\n\nws = Workspace.from_config()\nmetrics = {}\n\n\n"
        "def load(run_id):\n    global metrics\n    metrics = Run.get(ws, run_id).get_metrics()\n\n\n"
        "load('abc123')\nfor name, value in metrics.items():\n    print(name, value)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert (tmp_path / "src" / "train.py").read_text() == script, report


@pytest.mark.parametrize("layout", ["beside", "two-levels", "package"])
def test_a_module_of_the_job_that_logs_what_the_launcher_reads_keeps_both_v1(tmp_path: Path, layout: str) -> None:
    """Review 62: a module the job script imports logs to the job's run too; the launcher that
    reads the run's metrics back, naming only the script, judges the module with it."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "notebooks").mkdir()
    utils = "from azureml.core import Run\n\n\ndef note():\n    Run.get_context().log('model_type', 'resnet')\n"
    logger = {"beside": "src/utils.py", "two-levels": "src/deep.py", "package": "src/helpers/describe.py"}[layout]
    (tmp_path / logger).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / logger).write_text(utils)
    if layout == "two-levels":  # (review 64: utils imports the module that logs)
        (tmp_path / "src" / "utils.py").write_text("from deep import note\n")
    imports = "from helpers.describe import note" if layout == "package" else "from utils import note"
    (tmp_path / "src" / "train.py").write_text(f"{imports}\nfrom azureml.core import Run\nnote()\n"
                                               "Run.get_context().log('loss', 0.5)\n")
    submit = ("from azureml.core import Workspace, Experiment, ScriptRunConfig\n\nws = Workspace.from_config()\n"
              "config = ScriptRunConfig(source_directory='../src', script='train.py', compute_target='cpu')\n"
              "run = Experiment(ws, 'exp').submit(config)\nrun.wait_for_completion()\n"
              "print(run.get_metrics()['model_type'].upper())\n")
    (tmp_path / "notebooks" / "submit.py").write_text(submit)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert (tmp_path / logger).read_text() == utils, report
    assert "run.get_metrics()['model_type']" in (tmp_path / "notebooks" / "submit.py").read_text(), report


@pytest.mark.parametrize(("notebook", "target", "reader"), [
    ("train.ipynb", "src/train.py", "read.py"),  # beside the notebook (review 62)
    ("notebooks/a/b/write.ipynb", "../../../train/train.py", "train/read.py"),  # where it is written to (review 64)
])
def test_a_written_script_keeps_a_string_a_reader_beside_its_notebook_reads(tmp_path: Path, notebook: str,
                                                                             target: str, reader: str) -> None:
    """Review 62: a ``%%writefile`` script not on disk yet is near the readers of its notebook, and
    of the folder it is written to."""
    (tmp_path / "pyproject.toml").write_text("")
    writer = tmp_path / notebook
    writer.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / reader).parent.mkdir(parents=True, exist_ok=True)
    write_notebook(writer, [f'%%writefile {target}\nfrom azureml.core import Run\n\nrun = Run.get_context()\n'
                            'run.log("model_type", "resnet")\n',
                            "from azureml.core import Workspace, Experiment, ScriptRunConfig\n\nws = Workspace.from_config()\n"
                            "config = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu')\n"
                            "run = Experiment(ws, 'exp').submit(config)\n"])
    (tmp_path / reader).write_text(BY_ID.format(reads="print(metrics['model_type'].upper())"))
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    cells = ["".join(cell["source"]) for cell in json.loads(writer.read_text())["cells"]]
    assert 'run.log("model_type", "resnet")' in cells[0], report


def test_a_notebook_an_earlier_run_migrated_still_reads_only_its_own_script(tmp_path: Path) -> None:
    """Review 62: migrated in two runs (first the notebook, then the scripts), the notebook's v2
    job still names its script (``command="python train.py"``): the sibling script moves."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\nrun = Run.get_context()\nrun.log('loss', 0.5)\n")
    (tmp_path / "src" / "score.py").write_text(
        "from azureml.core import Run\nrun = Run.get_context()\nrun.log('scored_by', 'batch')\n")
    (tmp_path / "notebooks" / "submit.py").write_text(
        "from azureml.core import Workspace, Experiment, ScriptRunConfig\n\nws = Workspace.from_config()\n"
        "config = ScriptRunConfig(source_directory='../src', script='train.py', compute_target='cpu')\n"
        "run = Experiment(ws, 'exp').submit(config)\nrun.wait_for_completion()\nmetrics = run.get_metrics()\n"
        "print(metrics)\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes"]
    first = run([*command, "notebooks/submit.py"], cwd=tmp_path).stdout
    assert "_v1_get_metrics(ml_client, run.name)" in (tmp_path / "notebooks" / "submit.py").read_text(), first
    report = run([*command, "src/score.py"], cwd=tmp_path).stdout
    assert "Run.get_context()" not in (tmp_path / "src" / "score.py").read_text(), report


INTERACTIVE = ("from azureml.core import Workspace, Experiment\nws = Workspace.from_config()\n"
               "experiment = Experiment(workspace=ws, name='diabetes-experiment')\nrun = experiment.start_logging()\n"
               "run.log('model_type', 'resnet')\nrun.complete()\n")


@pytest.mark.parametrize(("reads", "held"), [
    ("run = list(Experiment(ws, 'diabetes-experiment').get_runs())[0]\nprint(run.get_metrics())\n", True),
    ("print(Run.get(ws, 'abc').get_metrics())\n", True),
    # a chain of parents may end at the interactive run, and an interactive run may have children
    ("run = Run.get(ws, 'abc')\nwhile run.parent is not None:\n    run = run.parent\nprint(run.get_metrics())\n", True),
    ("print(Run.get(ws, 'abc').parent.get_metrics())\n", True),
    # runs of another experiment, named by a literal, are not this one (audit p M2); one whose name
    # differs only in letter case may be
    ("run = list(Experiment(ws, 'other-experiment').get_runs())[0]\nprint(run.get_metrics())\n", False),
    ("for r in ws.experiments['other-experiment'].get_runs():\n    print(r.get_metrics())\n", False),
    ("print(Run(Experiment(workspace=ws, name='other-experiment'), 'abc').get_metrics())\n", False),
    ("run = list(ws.experiments['Diabetes-Experiment'].get_runs())[0]\nprint(run.get_metrics())\n", True),
    ("name = input()\nrun = list(Experiment(ws, name).get_runs())[0]\nprint(run.get_metrics())\n", True),
    # a comprehension's runs come from its iterable, as a loop's do (audit s)
    ("print({r.id: r.get_metrics() for r in Experiment(ws, 'other-experiment').get_runs()})\n", False),
    ("print([r.get_metrics() for r in Experiment(ws, 'diabetes-experiment').get_runs()])\n", True),
], ids=["listing", "by-id", "parent-chain", "parent", "another-experiment", "another-experiment-subscript",
        "another-experiment-run", "same-experiment-in-other-case", "computed-experiment",
        "comprehension-of-another-experiment", "comprehension-of-this-experiment"])
def test_an_interactive_run_is_held_by_readers_of_looked_up_runs(tmp_path: Path, reads: str, held: bool) -> None:
    """Review 64: a value a program logs to its own interactive run (``start_logging``) may be read
    back by any reader near it that looks a run up (a filter by parents and experiments, tried in
    review 62, missed a chain of parents ending at it and the children ``submit_child`` gives it)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "experiment1.py").write_text(INTERACTIVE)
    (tmp_path / "read.py").write_text("from azureml.core import Workspace, Experiment, Run\nws = Workspace.from_config()\n"
                                      + reads)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "experiment1.py"],
                 cwd=tmp_path).stdout
    assert ("run.log('model_type', 'resnet')" in (tmp_path / "experiment1.py").read_text()) is held, report


@pytest.mark.parametrize(("scripts", "reader", "reads", "moves"), [
    # a notebook that prints the metrics of the run it submitted reads that run's script only
    ({"src/score.py": "import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
                      "parser.add_argument('--batch-size', type=int, default=32)\nargs = parser.parse_args()\n"
                      "run = Run.get_context()\nfor key, value in vars(args).items():\n    run.log(key, value)\n"
                      "run.log('scored_by', 'batch')\n",
      "src/train.py": "from azureml.core import Run\nrun = Run.get_context()\nrun.log('loss', 0.5)\n"},
     "notebooks/submit.py",
     "from azureml.core import Workspace, Experiment, ScriptRunConfig\n\nws = Workspace.from_config()\n"
     "config = ScriptRunConfig(source_directory='../src', script='train.py', compute_target='cpu')\n"
     "run = Experiment(ws, 'exp').submit(config)\nrun.wait_for_completion()\nprint(run.get_metrics())\n",
     "src/score.py"),
    # a key the script logs itself, and prints: not one its loop over options logs
    ({"src/train.py": "import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
                      "parser.add_argument('--epochs', type=int, default=5)\nargs = parser.parse_args()\n"
                      "run = Run.get_context()\nfor key, value in vars(args).items():\n    run.log(key, value)\n"
                      "print('accuracy', 0.9)\nrun.log('accuracy', 0.9)\n"},
     "notebooks/read.py", BY_ID.format(reads="print(metrics['accuracy'])"), "src/train.py"),
    # the children of an AutoML run log AutoML's metrics, not a script's near the reader
    ({"src/train.py": "from azureml.core import Run\nrun = Run.get_context()\nrun.log('model_type', 'resnet')\n"},
     "notebooks/automl.py",
     "from azureml.core import Workspace, Experiment\nfrom azureml.train.automl import AutoMLConfig\n\n"
     "ws = Workspace.from_config()\nconfig = AutoMLConfig(task='classification', primary_metric='accuracy')\n"
     "run = Experiment(ws, 'exp').submit(config)\nfor child in run.get_children():\n    print(child.get_metrics())\n",
     "src/train.py"),
    # a loop over literal names in a script that also uses an object's __dict__ elsewhere (review 64)
    ({"src/train.py": "import json\nfrom azureml.core import Run\nrun = Run.get_context()\ncfg = json.load(open('c.json'))\n"
                      "for key in ('lr', 'epochs'):\n    run.log(key, cfg[key])\n\n\nclass Options:\n"
                      "    def dump(self):\n        return dict(self.__dict__)\n"},
     "notebooks/read.py", BY_ID.format(reads="print(metrics['accuracy'])"), "src/train.py"),
], ids=["notebook-of-its-own-run", "printed-log-name", "automl-children", "unrelated-dict"])
def test_a_reader_that_cannot_read_a_value_does_not_hold_it(tmp_path: Path, scripts: dict[str, str], reader: str,
                                                            reads: str, moves: str) -> None:
    """Review 61 over-refusals: the script side asks the reader side's own analysis what each reader
    reads, and the reader side counts only the option names a loop over ``vars(args)`` logs."""
    (tmp_path / "pyproject.toml").write_text("")
    for name, text in {**scripts, reader: reads}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "Run.get_context()" not in (tmp_path / moves).read_text(), report


@pytest.mark.parametrize("reads", ["print(metrics['accuracy'])", "print(metrics.get('accuracy', 0.0))"])
def test_a_reader_of_other_keys_lets_a_string_it_does_not_read_move(tmp_path: Path, reads: str) -> None:
    """Only what the reader may read holds: a string logged under a key it never reads moves, and so does the reader."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(OPTION_SCRIPT.format(logs="run.log('patients', args.patients)"))
    reader = LOOKED_UP_ANY.format(reads=reads)
    (tmp_path / "read.py").write_text(reader)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "_v1_get_metrics(ml_client, " in (tmp_path / "read.py").read_text(), report
    assert "Run.get_context()" not in (tmp_path / "src" / "train.py").read_text(), report


@pytest.mark.parametrize(("option", "what"), [("'--data-version', action='store', type=int", "an int"),
                                               ("'--version-of-data', dest='data_version', type=str", "a string")])
def test_an_option_declared_with_its_default_action_or_a_dest_is_read_for_its_kind(tmp_path: Path, option: str,
                                                                                  what: str) -> None:
    """``action='store'`` is argparse's default: the option's ``type=`` still says what it holds."""
    body = ("import argparse\nfrom azureml.core import Run\nparser = argparse.ArgumentParser()\n"
            f"parser.add_argument({option})\nargs = parser.parse_args()\n"
            "run = Run.get_context()\nrun.log('accuracy', 0.9)\nrun.log('data_version', args.data_version)\n")
    _launched_script(tmp_path, READ_BACK, body)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert (tmp_path / "submit.py").read_text() == READ_BACK, report
    assert f"which train.py logs as {what} from the command-line option `data_version` (its line 8)" in report, report


@pytest.mark.parametrize(("reader", "why"), [
    ("print(run.get_metrics())", "train.py logs 'data_version' as a string (its line 3), and the result is read "
                                 "other than by literal key"),
    ("print(run.get_metrics()['accuracy'])", None),
])
def test_a_whole_metrics_reader_names_the_value_it_would_miss(tmp_path: Path, reader: str, why: str | None) -> None:
    """A reader of the whole dict reads every key: the string one too.  One that reads only a float,
    by key, moves."""
    launcher = READ_BACK.replace('metrics = run.get_metrics()\nprint(metrics["accuracy"], metrics["data_version"])',
                                 reader)
    _launched_script(tmp_path, launcher, "from azureml.core import Run\nrun = Run.get_context()\n"
                                         "run.log('data_version', 'v3')\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    fixed = (tmp_path / "submit.py").read_text()
    if why is None:
        assert "_v1_get_metrics(ml_client, run.name)['accuracy']" in fixed, report
    else:
        assert fixed == launcher and f"which this fix cannot translate ({why}; MLflow's metrics hold floats only)" \
            in report, report


@pytest.mark.parametrize("value", ["np.float(acc)", "np.float64(acc)", "data.shape[0]"])
def test_a_number_numpy_or_a_shape_gives_is_a_metric_a_reader_still_finds(tmp_path: Path, value: str) -> None:
    """Set 17's DP-100 labs read ``get_metrics()`` back in the program that logs ``np.float(acc)`` and
    ``data.shape[0]``: numbers, so ``mlflow.log_metric`` keeps them among the metrics."""
    script = _launched_script(tmp_path, READ_BACK, "import numpy as np\nfrom azureml.core import Run\n"
                              f"run = Run.get_context()\nrun.log('accuracy', {value})\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert f"mlflow.log_metric('accuracy', {value})" in script.read_text(), report


def test_a_string_logged_where_nothing_reads_the_metrics_becomes_a_tag(tmp_path: Path) -> None:
    script = _launched_script(tmp_path, READ_BACK.split("run.wait_for_completion()")[0],
                              "from azureml.core import Run\nrun = Run.get_context()\nrun.log('data_version', 'v3')\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "mlflow.set_tag('data_version', 'v3')" in script.read_text(), report


def test_an_interactive_run_whose_metrics_are_read_keeps_its_string_metric(tmp_path: Path) -> None:
    """Set 28: ``start_logging`` logs a string and the same program prints ``get_metrics()``."""
    script = tmp_path / "log_and_read.py"
    script.write_text('from azureml.core import Experiment, Workspace\nws = Workspace.from_config()\n'
                      'run = Experiment(ws, "interactive").start_logging()\nrun.log("data_version", "v3")\n'
                      'run.complete()\nprint(run.get_metrics())\n')
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert 'run.log("data_version", "v3")' in script.read_text(), report
    assert "AML012 left: line 6 reads the run's metrics (get_metrics())" in report, report


@pytest.mark.parametrize("values", ["args.patients", "patients", '"a,b"', "args.count"])
def test_log_list_of_one_value_keeps_its_v1_call(tmp_path: Path, values: str) -> None:
    """A loop over a string would log it character by character, each replacing the tag before
    it; a command-line option that collects nothing is one value (or None), never a list."""
    call = f"run.log_list('Patients', {values})"
    script = _project_script(tmp_path, (
        "import argparse\nfrom azureml.core import Run\n\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--patients', type=str)\nparser.add_argument('--count', action='count')\n"
        "parser.add_argument('--folds', nargs='+', type=float)\nargs = parser.parse_args()\n"
        f"patients = args.patients\nrun = Run.get_context()\n{call}\nrun.log_list('Folds', args.folds)\n"
        "names = [str(p) for p in 'a,b'.split(',')]\nrun.log_list('Names', names)\n"))
    report = fix(script)
    assert f"`{values}` holds one value, not a list: migrate it by hand" in report, report
    text = script.read_text()
    assert call in text
    # an option declared with nargs= is a list: it migrates, and the note says what a tag loses
    assert "for step, value in enumerate(args.folds):" in text
    assert "each value that is not a number replaces the tag before it, where v1 kept the whole list" in report
    # and the code says so where the loss happens
    assert ("# TODO(azureml-v2): AML013 values that are not numbers become one tag, each replacing the one before "
            "(v1 kept the whole list): log such a list with mlflow.log_dict\nfor step, value in enumerate(args.folds):"
            ) in text
    # a list whose source shows strings (here a comprehension of str()) would keep only its last one
    assert "`names` holds strings, which mlflow.log_metric rejects" in report
    again = fix(script)  # a second run changes nothing and says the same of the call it leaves
    assert script.read_text() == text
    assert f"`{values}` holds one value, not a list: migrate it by hand" in again


def test_log_list_of_a_list_filled_later_goes_by_what_is_added(tmp_path: Path) -> None:
    """An empty list says nothing of what it will hold: the values appended afterwards decide.
    Strings keep the v1 call (mlflow.log_metric would raise on the first one), numbers become
    metrics, and a list passed to a function that may fill it gets the helper that takes both."""
    warn = _project_script(tmp_path, "from azureml.core import Run\n\nrun = Run.get_context()\nwarnings = []\n"
                                     "warnings.append('classes might be imbalanced')\n"
                                     "run.log_list('warnings', warnings)\n", name="validate.py")
    script = _project_script(tmp_path, (
        "from azureml.core import Run\n\n\ndef fill(values):\n    values.append('late')\n\n\n"
        "run = Run.get_context()\nlosses = []\nfor i in range(3):\n    losses.append(i * 0.5)\n"
        "losses.extend([2, 3])\nlosses.sort()\nrun.log_list('losses', losses)\n"
        "mixed = [1.0]\nfill(mixed)\nrun.log_list('mixed', mixed)\n"))
    report = fix(warn)
    assert "`warnings` holds strings, which mlflow.log_metric rejects" in report, report
    assert "run.log_list('warnings', warnings)" in warn.read_text()
    report = fix(script)
    text = script.read_text()
    assert "for step, value in enumerate(losses):\n    mlflow.log_metric('losses', value, step=step)" in text
    assert "for step, value in enumerate(mixed):\n    _log_v1_value('mixed', value, step=step)" in text
    _, _, metrics = _run_in_a_job(tmp_path)
    assert metrics["losses"] == 3.0 and metrics["mixed"] == 1.0  # the last value of each, as MLflow keeps it
    fix(script)
    assert script.read_text() == text


def test_run_complete_stays_with_a_run_v1_code_goes_on_using(tmp_path: Path) -> None:
    """Where the job's run stays for v1 code (an ExplanationClient made from it, its id read after),
    its complete() stays too: deleting it would only take a call away from that run, and the
    reason says so (it said the v2 job ends its MLflow run, though nothing moved to MLflow)."""
    program = ("from azureml.core.run import Run\n"
               "from azureml.interpret import ExplanationClient\n\n"
               "run = Run.get_context()\nclient = ExplanationClient.from_run(run)\n"
               "# Complete the run\nrun.complete()\nprint(run.id)\n")
    script = _project_script(tmp_path, program)
    report = fix(script)
    assert script.read_text() == program, report
    assert ("AML031 left: `run` stays as it is for code that still needs it, and this call on it stays with it"
            in report)


def test_no_mlflow_todo_where_the_script_keeps_logging_with_v1(tmp_path: Path) -> None:
    """When every logging call stays v1 (here for a name MLflow rejects), deleting run.complete()
    writes no MLflow call, so the script gets no TODO saying it logs with MLflow."""
    script = _project_script(tmp_path, "from azureml.core import Run\n\nrun = Run.get_context()\n"
                                       "run.log('accuracy :', 0.9)\nrun.complete()\n")
    report = fix(script)
    # audit 53: the message no longer says the script has an MLflow run, as it logs with v1 still
    assert "AML031 fixed: removed run.complete(): a job ends its own run (in a submitted v1 run it did nothing)" in report, report
    text = script.read_text()
    assert text == "from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy :', 0.9)\n"
    fix(script)
    assert script.read_text() == text
    # with one call that does move to MLflow, the TODO is written, once
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy :', 0.9)\n"
                      "run.log('loss', 0.1)\nrun.complete()\n")
    fix(script)
    assert script.read_text().count("# TODO(azureml-v2): AML011 this script logs with MLflow") == 1


def test_a_workspace_opened_inside_a_job_stays_v1(tmp_path: Path) -> None:
    """MLClient in a script a job runs would need azure-ai-ml and azure-identity in the job's
    environment, made for v1, and an identity there: the workspace stays, with the reason, while
    the logging moves to MLflow; a program that also submits jobs still gets its MLClient."""
    script = _project_script(tmp_path, "from azureml.core import Run, Workspace\n\nws = Workspace.from_config()\n"
                                       "store = ws.get_default_datastore()\nrun = Run.get_context()\n"
                                       "run.log('rows', 10)\n")
    report = fix(script)
    assert "AML020 left: this script runs inside a job, whose environment need not install azure-ai-ml" in report
    text = script.read_text()
    assert "ws = Workspace.from_config()\nstore = ws.get_default_datastore()\n" in text
    assert "MLClient" not in text and "mlflow.log_metric('rows', 10)" in text
    fix(script)
    assert script.read_text() == text
    submitter = tmp_path / "submit.py"
    submitter.write_text("from azureml.core import Experiment, Run, Workspace\n\nws = Workspace.from_config()\n"
                         "store = ws.get_default_datastore()\nrun = Run.get_context()\nexp = Experiment(ws, 'x')\n"
                         "old = Run(exp, 'abc')\nprint(old.get_status())\n")
    assert "AML020 fixed" in fix(submitter)
    assert "ml_client = MLClient.from_config(DefaultAzureCredential())" in submitter.read_text()


DRIVER_STEP = """\
from azureml.core import Run, Workspace, Experiment, Environment, ScriptRunConfig
from azureml.core.authentication import ServicePrincipalAuthentication

run = Run.get_context()
secret = run.get_secret("clientSecret")
auth = ServicePrincipalAuthentication(tenant_id="t", service_principal_id="c", service_principal_password=secret)
ws = Workspace.get(name="ws", auth=auth, subscription_id="sub", resource_group="rg")
env = Environment.get(workspace=ws, name="sklearn-env")
config = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=env)
Experiment(ws, "inner").submit(config)
"""


@pytest.mark.parametrize("launched", [True, False])
def test_a_pipeline_step_that_submits_jobs_keeps_its_workspace(tmp_path: Path, launched: bool) -> None:
    """A step script that submits jobs itself still runs in the step's job, whose environment (made
    for v1) need not have azure-ai-ml or azure-identity (audit 34): it stays v1, with the reason.
    The same program that no file runs as a job is a driver, migrated."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("print('train')\n")
    driver = tmp_path / "src" / "launch.py"
    driver.write_text(DRIVER_STEP)
    if launched:
        (tmp_path / "pipeline.py").write_text(
            "from azureml.core import Workspace\nfrom azureml.pipeline.steps import PythonScriptStep\n"
            "ws = Workspace.from_config()\n"
            "step = PythonScriptStep(script_name='src/launch.py', compute_target='cpu-cluster')\n")
    report = fix(driver)
    text = driver.read_text()
    if launched:
        assert text == DRIVER_STEP, text
        assert "AML020 left: this script runs inside a job, whose environment need not install azure-ai-ml" in report
        assert "AML011 left: this program submits jobs (line 9) and another file of the project runs it" in report
    else:
        assert "from azure.ai.ml import" in text and "ml_client.jobs.create_or_update(" in text, text
    fix(driver)
    assert driver.read_text() == text


def test_a_colon_in_a_name_keeps_its_v1_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MLflow off Windows accepts ':' today, but MLflow on Windows (and before 2.16) raises, and a
    migrated notebook runs wherever its user runs it; so ``'Label:' + k`` stays v1, with the reason."""
    import mlflow.utils.validation

    script = tmp_path / "train.py"
    call = "run.log('Label:' + str(k), 0.5)"
    script.write_text(f'from azureml.core import Run\n\nrun = Run.get_context()\nk = 1\n{call}\n')
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert "MLflow rejects ':' in a metric or tag name on Windows and before 2.16" in report, report
    assert call in script.read_text()
    assert fix(script) == report  # a second run leaves it, and says the same
    monkeypatch.setattr(mlflow.utils.validation, "is_windows", lambda: True)
    assert not mlflow.utils.validation.validate_param_and_metric_name("Label:1")


def test_the_sdk_version_print_in_a_training_script_is_left(tmp_path: Path) -> None:
    """A job's environment need not install azure-ai-ml, so importlib.metadata.version("azure-ai-ml")
    would raise there; in a script that submits jobs the same print is migrated (with its TODO) once
    the program uses azure-ai-ml anyway, and not in one that would need it only for the print."""
    script = tmp_path / "train.py"
    script.write_text('import azureml.core\nfrom azureml.core import Run\n\nprint(azureml.core.VERSION)\n'
                      'run = Run.get_context()\nrun.log("a", 1.0)\n')
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert "AML081 left: this script runs inside a job" in report, report
    assert "print(azureml.core.VERSION)" in script.read_text() and "mlflow.log_metric(\"a\", 1.0)" in script.read_text()
    again = fix(script)
    assert "AML081 left: this script runs inside a job" in again
    submitter = tmp_path / "submit.py"
    submitter.write_text("import azureml.core\n\nprint(azureml.core.VERSION)\n")
    assert "AML081 left: nothing else in this program uses azure-ai-ml yet" in fix(submitter)
    assert "print(azureml.core.VERSION)" in submitter.read_text()
    submitter.write_text("import azureml.core\nfrom azureml.core import Workspace\n\nws = Workspace.from_config()\n"
                         "print(azureml.core.VERSION, ws.name)\n")
    assert "AML081 fixed" in fix(submitter)
    assert 'print(version("azure-ai-ml"), ml_client.workspace_name)' in submitter.read_text()


def test_a_string_that_may_be_logged_again_under_its_name_keeps_its_v1_call(tmp_path: Path) -> None:
    """v1 kept every value logged under a name; an MLflow tag keeps only the last.  A string
    logged in a loop, twice under one literal name, or in a function called from two places
    stays v1; a string logged once moves to a tag, and a number in the loop to a metric."""
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent('''\
        from azureml.core import Run

        run = Run.get_context()
        run.log("message", "data loaded")
        for epoch in range(3):
            run.log("phase", f"epoch {epoch} done")
            run.log("loss", epoch * 0.5)
        run.log("message", "training finished")


        def note(text):
            run.log("note", text + "!")


        note("a")
        note("b")
        run.log("other", "once")
        '''))
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    text = script.read_text()
    for kept in ('run.log("message", "data loaded")', 'run.log("phase", f"epoch {epoch} done")',
                 'run.log("message", "training finished")', 'run.log("note", text + "!")'):
        assert kept in text, text
    assert 'mlflow.log_metric("loss", epoch * 0.5)' in text and 'mlflow.set_tag("other", "once")' in text
    assert "(it runs in a loop at line 7)" in report and "(line 10 logs 'message' too)" in report  # lines of the fixed file
    assert "(the function it is in may be called more than once)" in report
    fix(script)
    assert script.read_text() == text


def test_an_option_that_may_be_none_is_logged_by_the_run_time_helper(tmp_path: Path) -> None:
    """argparse leaves an option off the command line as its default, None unless one is given:
    v1 logged None as a null metric, MLflow's log_metric raises on it.  Only a numeric default or
    required=True makes the value a number; the migrated script then runs without the option."""
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent('''\
        import argparse
        from azureml.core import Run

        parser = argparse.ArgumentParser()
        parser.add_argument("--max-depth", type=int)
        parser.add_argument("--lr", type=float, default="0.1")
        parser.add_argument("--n", type=int, required=True)
        args = parser.parse_args()
        run = Run.get_context()
        run.log("max_depth", args.max_depth)
        run.log("lr", args.lr)
        run.log("n", args.n)
        '''))
    (tmp_path / "pyproject.toml").write_text("")
    fix(script)
    text = script.read_text()
    assert '_log_v1_value("max_depth", args.max_depth)' in text
    assert 'mlflow.log_metric("lr", args.lr)' in text and 'mlflow.log_metric("n", args.n)' in text
    _, _, metrics = _run_in_a_job(tmp_path, "--n", "3")
    assert metrics == {"lr": 0.1, "n": 3.0}


def test_a_value_of_unknown_kind_logged_in_a_loop_gets_a_todo(tmp_path: Path) -> None:
    """v1 kept every value logged under one name; the helper makes a value that is not a number a
    tag, which the next call replaces.  The loss is written in the code, once, not only reported."""
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent('''\
        from azureml.core import Run

        run = Run.get_context()
        for stage in ["load", "fit", "score"]:
            run.log("stage", stage)
        run.log("status", "done")
        '''))
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    text = script.read_text()
    todo = ('    # TODO(azureml-v2): AML012 a value logged under `"stage"` that is not a number becomes a tag, each '
            "replacing the one logged before it (v1 kept every value): log such values with mlflow.log_dict\n"
            '    _log_v1_value("stage", stage)\n')
    assert todo in text, report + text
    assert text.count("TODO(azureml-v2): AML012") == 1  # the call logged once is a plain tag, with nothing lost
    import mlflow

    _, job_run, _ = _run_in_a_job(tmp_path)
    tags = mlflow.MlflowClient(tracking_uri=f"file:{tmp_path / 'mlruns'}").get_run(job_run).data.tags
    assert tags["stage"] == "score" and tags["status"] == "done"  # what MLflow keeps: the last value
    fix(script)
    assert script.read_text() == text


def test_a_program_that_submits_jobs_keeps_its_own_run_get_context(tmp_path: Path) -> None:
    """Outside a job Run.get_context() is v1's offline run, whose log() only prints; MLflow there
    would start a run of its own (or fail on its default sqlite store).  The submission still moves."""
    script = tmp_path / "submit.py"
    script.write_text(textwrap.dedent('''\
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        from azureml.core.run import Run

        run = Run.get_context()
        ws = Workspace.from_config()
        run.log(name="message", value="Starting run!")
        config = ScriptRunConfig(source_directory=".", script="train.py", compute_target="cpu-cluster")
        run = Experiment(ws, "exp").submit(config)
        '''))
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    text = script.read_text()
    assert "run = Run.get_context()" in text and 'run.log(name="message", value="Starting run!")' in text
    assert "import mlflow" not in text and "TODO(azureml-v2): AML011" not in text
    assert "ml_client.jobs.create_or_update(config, experiment_name=\"exp\")" in text
    assert "AML011 left: this program also submits jobs (line " in report


@pytest.mark.parametrize("other", [
    "from azureml.train.automl.run import AutoMLRun\n\nrun = Run.get_context()\n"
    "best = AutoMLRun(run.experiment, run_id=run.parent.id).get_best_child()\n",  # looks a run up
    "from azure.ai.ml import MLClient\nfrom azure.identity import DefaultAzureCredential\n\nrun = Run.get_context()\n"
    "client = MLClient.from_config(DefaultAzureCredential())\n",  # a v2 client, to register a model, say
])
def test_a_job_script_that_looks_runs_up_or_builds_a_client_still_runs_in_its_job(tmp_path: Path, other: str) -> None:
    """Only a submission (or a job's configuration) makes a program one that runs outside a job:
    a script that looks a run up, or builds a v2 client, logs through its job's run."""
    (tmp_path / "pyproject.toml").write_text("")
    script = tmp_path / "evaluate.py"
    script.write_text("from azureml.core import Run\n" + other + 'run.log("score", 0.9)\n')
    report = fix(script)
    assert 'mlflow.log_metric("score", 0.9)' in script.read_text(), report
    assert "also submits jobs" not in report, report


def test_a_run_nothing_uses_goes_without_the_environment_todo(tmp_path: Path) -> None:
    """The TODO says the script now logs with MLflow; a run that is fetched and only completed
    moves nothing to MLflow (run.complete() just goes), so it only goes."""
    script = tmp_path / "train.py"
    script.write_text("import os\n\nfrom azureml.core import Run\n\nrun = Run.get_context()\nprint(os.getcwd())\n"
                      "run.complete()\n")
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert "AML011 fixed" in report
    assert "Run.get_context" not in script.read_text() and "TODO" not in script.read_text()
    assert "complete" not in script.read_text() and "mlflow" not in script.read_text()


@pytest.mark.parametrize(("source", "message"), [
    ("run = Run.get_context()\nprint('ready')\n", "removed Run.get_context(), whose run nothing uses"),
    ("Run.get_context()\nprint('ready')\n", "removed Run.get_context(), whose run nothing uses"),
    ("run = Run.get_context()\nrun.log('a', 1.0)\n", "removed Run.get_context(): the v2 job's MLflow run is already active"),
])
def test_the_removal_of_a_run_says_why_it_goes(tmp_path: Path, source: str, message: str) -> None:
    """Audit 52: an interactive notebook fetched a run it never used; that it goes says nothing of a v2 job."""
    (tmp_path / "pyproject.toml").write_text("")
    script = tmp_path / "explore.py"
    script.write_text("from azureml.core import Run\n\n" + source)
    report = fix(script)
    assert "explore.py:3:" in report and f"AML011 fixed: {message}" in report, report
    assert "Run" not in script.read_text()


@pytest.mark.parametrize("tagging", ['run.tag("run_type", value="train")', 'run.set_tags({"run_type": "train"})'])
def test_a_tag_the_kept_run_reads_back_stays_v1(tmp_path: Path, tagging: str) -> None:
    """``run.tags`` is v1's cached copy of the run's tags, refreshed by run.tag/set_tags; an MLflow
    tag would not show there, so while the run stays (for run.parent here) the tag stays v1."""
    script = tmp_path / "train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\n"
                      f'run.log("alpha", 0.5)\nrun.parent.log("alpha", 0.5)\n{tagging}\nprint(run.tags)\n')
    report = fix(script)
    text = script.read_text()
    assert tagging in text and 'mlflow.log_metric("alpha", 0.5)' in text
    assert "(`run.tags`) reads the v1 run's tags, which an MLflow tag does not update" in report
    script.write_text(script.read_text().replace("print(run.tags)\n", ""))
    fix(script)
    assert tagging not in script.read_text() and "mlflow.set_tag" in script.read_text()


_OFFLINE = 'from azureml.core import Run\n\nrun = Run.get_context()\nif {}:\n    data = "./sample"\nrun.log("rows", 1.0)\n'
_STRICT = "from azureml.core import Run\n\nstrict = False\nrun = Run.get_context({})\nprint(run.id)\nrun.log('a', 1.0)\n"


@pytest.mark.parametrize(("source", "reason"), [
    # ``Run.get_context(allow_offline=False)`` raised in v1 where no job ran the script; with the call
    # removed, MLflow would start a local run there instead (seen in
    # godatadriven/azureml_experiment_tracking_tutorial, whose register step reads the run's id)
    *[(_STRICT.format(argument), "with allow_offline= other than True, v1 raised where no job runs the script")
      for argument in ("allow_offline=False", "False", "allow_offline=strict")],
    # set 29: outside a job v1 handed the script an ``OfflineRun`` and the script took its local
    # branch; an MLflow run id never looks like that, so the branch would be lost
    *[(_OFFLINE.format(test), f"line 4 tells v1's offline run (`{test}`) from a job's, which no MLflow run can be")
      for test in ('run.id.startswith("OfflineRun")', '"OfflineRun" in run.id', 'type(run).__name__ == "_OfflineRun"')],
])
def test_a_run_the_script_tells_from_a_job_s_keeps_its_check(tmp_path: Path, source: str, reason: str) -> None:
    script = tmp_path / "train.py"
    script.write_text(source)
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert f"AML011 left: {reason}" in report, report
    assert script.read_text() == source
    assert fix(script) == report


@pytest.mark.parametrize("argument", ["allow_offline=True", "True", ""])
def test_a_run_that_may_be_offline_still_migrates(tmp_path: Path, argument: str) -> None:
    """The default, and an explicit True, are what MLflow's local run stands in for."""
    script = tmp_path / "train.py"
    script.write_text(f"from azureml.core import Run\n\nrun = Run.get_context({argument})\nrun.log('a', 1.0)\n")
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(script)
    assert "AML011 fixed" in report, report
    assert "Run.get_context" not in script.read_text() and "mlflow.log_metric('a', 1.0)" in script.read_text()


# The launchers' environment file: once a launcher migrates, its script moves to MLflow only
# where the job's environment has it.
CONDA_WITH_MLFLOW = "dependencies:\n  - pip:\n    - azureml-defaults\n    - azureml-mlflow\n"
V1_LAUNCHER = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
env = Environment.from_conda_specification(name="env", file_path="conda.yml")
config = ScriptRunConfig(source_directory=".", script="a_train.py", compute_target="cpu-cluster", environment=env)
run = Experiment(ws, "exp").submit(config)
{after}
"""


@pytest.mark.parametrize(("after", "moves"), [
    ("", True),  # the launcher migrates in the same run: the script follows it
    ("print(run.get_details()['runDefinition'])", False),  # it stays v1 (its run is read as v1)
])
def test_a_script_moves_to_mlflow_only_with_its_launcher(tmp_path: Path, after: str, moves: bool) -> None:
    """A v1 launcher's environment was made without mlflow, so a script it still runs keeps
    logging with v1 (it would stop at ``import mlflow``); a launcher this run migrates is fixed
    first, and its script then moves with it, in one run that a second one leaves alone."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "submit.py").write_text(V1_LAUNCHER.format(after=after))
    script = tmp_path / "a_train.py"  # before submit.py in path order: fixed after it all the same
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    text = script.read_text()
    assert ("mlflow.log_metric('accuracy', 0.9)" in text) is moves, report
    assert ("config = command(" in (tmp_path / "submit.py").read_text()) is moves
    if not moves:
        assert ("AML012 left: its launcher submit.py:4 still runs it with v1 (whose environment may have no "
                "mlflow") in report
    again = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "Fixed 0 findings" in again and script.read_text() == text


@pytest.mark.parametrize(("after", "moves"), [("", True), ("print(run.get_details()['runDefinition'])", False)])
def test_a_script_that_only_reads_its_run_id_waits_for_its_launcher_too(tmp_path: Path, after: str,
                                                                       moves: bool) -> None:
    """Audit (stop 63, e M2): ``run.id`` became MLflow's run id, and ``import mlflow``, in a script
    a v1 launcher still ran in an environment without mlflow, and no TODO said so."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "submit.py").write_text(V1_LAUNCHER.format(after=after))
    script = tmp_path / "a_train.py"
    original = "from azureml.core import Run\n\nrun = Run.get_context()\nprint(run.id)\n"
    script.write_text(original)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    text = script.read_text()
    assert ("mlflow.active_run()" in text) is moves, report
    if not moves:
        assert text == original
        assert "a_train.py:3:7: AML011 left: its launcher submit.py:4 still runs it with v1" in report, report


MOUNTING_LAUNCHER = """\
from azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
ds = Dataset.File.from_files(path=(ws.get_default_datastore(), "raw/"))
src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster",
                      arguments=["--data", ds.as_named_input("data"){mode}])
run = Experiment(ws, "exp").submit(src)
"""


@pytest.mark.parametrize(("modes", "moves", "read"), [
    ((".as_mount()", ".as_download()"), True, 'run.input_datasets["data"]'),
    ((".as_mount()", ""), False, 'run.input_datasets["data"]'),
    # a read the script's fix does not move keeps the launchers waiting (review, stop 63)
    ((".as_mount()", ".as_mount()"), False, 'getattr(run, "input_datasets")["data"]'),
])
def test_a_script_two_launchers_run_moves_with_them_in_one_run_when_both_hand_paths(
        tmp_path: Path, modes: tuple[str, str], moves: bool, read: str) -> None:
    """Audit (stop 63, g): each launcher waited for the other while the script's own fix moved its
    read, so a second fix moved both.  Where both mount or download the input, the script reads what
    v1 and v2 jobs both set, and all three move at once; where one hands the dataset itself over,
    all three stay."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "train.py"
    script.write_text('import os\nfrom azureml.core import Run\n\nrun = Run.get_context()\n'
                      f'data_dir = {read}\nprint(os.listdir(data_dir))\n')
    for name, mode in zip(("submit_a.py", "submit_b.py"), modes):
        (tmp_path / name).write_text(MOUNTING_LAUNCHER.format(mode=mode))
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert ('data_dir = os.environ["data"]' in script.read_text()) is moves, report
    for name in ("submit_a.py", "submit_b.py"):
        assert ("export data=${{inputs.data}}" in (tmp_path / name).read_text()) is moves, report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_studio_checkpoint_copy_is_no_launcher(tmp_path: Path) -> None:
    """Audit (stop 63, g): the copy Azure ML studio autosaves in .ipynb_aml_checkpoints, which no
    fix touches, "still ran" the script with v1 and held it."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "train.py"
    script.write_text('import os\nfrom azureml.core import Run\n\nrun = Run.get_context()\n'
                      'print(os.listdir(run.input_datasets["data"]))\n')
    (tmp_path / "submit.py").write_text(MOUNTING_LAUNCHER.format(mode=".as_mount()"))
    (tmp_path / ".ipynb_aml_checkpoints").mkdir()
    write_notebook(tmp_path / ".ipynb_aml_checkpoints" / "submit-checkpoint.ipynb",
                   [MOUNTING_LAUNCHER.format(mode=".as_mount()")])
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert 'os.environ["data"]' in script.read_text() and "command(" in (tmp_path / "submit.py").read_text(), report
    assert "ipynb_aml_checkpoints" not in report, report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_launcher_that_logs_itself_is_fixed_before_its_script(tmp_path: Path) -> None:
    """Both files log through a v1 run, so both come after the other programs; the launcher
    names the script, so it is fixed (and written) first, and the script, though earlier in
    path order, follows it in the same run: a second run changes nothing."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "submit.py").write_text(V1_LAUNCHER.format(after="") + "from azureml.core import Run\n"
                                        "Run.get_context().log('submitted', 1)\n")
    script = tmp_path / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert "mlflow.log_metric('accuracy', 0.9)" in script.read_text(), report
    assert "config = command(" in (tmp_path / "submit.py").read_text()
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


@pytest.mark.parametrize("folder", [r"/Users/someone/code/project", r"C:\Users\someone\code\other", "/home/me/jobs"])
def test_a_launcher_naming_its_authors_checkout_still_holds_its_script(tmp_path: Path, folder: str) -> None:
    """``source_directory`` is the author's absolute path, not on this machine: the launcher
    means its own folder (or a project folder of that name, ``jobs`` here), so the script
    it runs with v1 keeps logging with v1."""
    (tmp_path / "pyproject.toml").write_text("")
    project = tmp_path / "project"
    (project / "jobs").mkdir(parents=True)
    (project / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    launcher = V1_LAUNCHER.format(after="print(run.get_details()['runDefinition'])")
    (project / "submit.py").write_text(launcher.replace('source_directory="."', f"source_directory=r{folder!r}"))
    script = (project / "jobs" if folder.endswith("jobs") else project) / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "run.log('accuracy', 0.9)" in script.read_text(), report
    where = "../submit.py" if folder.endswith("jobs") else "submit.py"
    assert f"AML012 left: its launcher {where}:4 still runs it with v1" in report, report


WRITING_NOTEBOOK_CELLS = [
    "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
    "ws = Workspace.from_config()\n"
    "env = Environment.from_conda_specification(name='env', file_path='conda.yml')",
    "%%writefile ./jobs/train.py\nfrom azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)",
    "config = ScriptRunConfig(source_directory='./jobs', script='train.py', compute_target={compute}, environment=env)\n"
    "run = Experiment(ws, 'exp').submit(config)",
]


@pytest.mark.parametrize(("compute", "moves"), [("'cpu-cluster'", True), ("cluster_made_elsewhere", False)])
def test_a_written_script_moves_to_mlflow_only_with_the_notebook_call_that_runs_it(
        tmp_path: Path, compute: str, moves: bool) -> None:
    """The notebook writes the script (not on disk yet) and submits it: its cells are fixed
    first, and the written script follows only a submit that left v1 in that fix."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    notebook = write_notebook(tmp_path / "train.ipynb",
                              [source.format(compute=compute) for source in WRITING_NOTEBOOK_CELLS])
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    written = json.loads(notebook.read_text())["cells"][1]["source"]
    assert ("mlflow.log_metric('accuracy', 0.9)" in "".join(written)) is moves, report
    if not moves:
        assert ("train.ipynb:cell 2:5:1: AML012 left: its launcher train.ipynb:cell 3:1 still runs it with v1 "
                "(whose environment may have no mlflow") in report, report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_written_script_keeps_v1_logging_while_the_migrated_cell_asks_for_mlflow(tmp_path: Path) -> None:
    """The notebook's submit migrates with an environment file that has no mlflow: its TODO asks
    for it, and the script the notebook writes keeps v1's logging (the job would stop at its import)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text("dependencies:\n  - pip:\n    - azureml-defaults\n")
    notebook = write_notebook(tmp_path / "train.ipynb",
                              [source.format(compute="'cpu-cluster'") for source in WRITING_NOTEBOOK_CELLS])
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    assert "run.log('accuracy', 0.9)" in cells[1] and "config = command(" in cells[2], report
    assert "# TODO(azureml-v2): AML002 train.py logs with MLflow once migrated" in cells[2]
    assert ("train.ipynb:cell 2:5:1: AML012 left: its launcher train.ipynb:cell 3:" in report
            and "runs it in an environment that may have no mlflow" in report), report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_written_script_s_folder_is_the_one_in_force_at_its_cell(tmp_path: Path) -> None:
    """``%%writefile $folder/train.py`` writes where ``folder`` points when the cell runs: a later
    cell that binds the name again (for a second experiment) does not move the script, which the
    v1 call of cell 4 still runs, so it keeps logging with v1."""
    (tmp_path / "pyproject.toml").write_text("")
    sources = ["from azureml.core import Experiment, ScriptRunConfig, Workspace\nws = Workspace.from_config()",
               "folder_name = 'exp-files'\nexperiment_folder = './' + folder_name",
               "%%writefile $folder_name/train.py\nfrom azureml.core import Run\nrun = Run.get_context()\n"
               "run.log('observations', 10)\nrun.complete()",
               "config = ScriptRunConfig(source_directory=experiment_folder, script='train.py')\n"
               "run = Experiment(ws, 'exp').submit(config)\nrun.get_details_with_logs()",
               "folder_name = 'other-files'"]
    notebook = write_notebook(tmp_path / "runs.ipynb", sources)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "run.log('observations', 10)" in "".join(json.loads(notebook.read_text())["cells"][2]["source"]), report
    assert "AML012 left: its launcher runs.ipynb:cell 4:1 still runs it with v1" in report, report


# A script that reads its input as a table, and a launcher that hands the registered dataset over directly
# (``extra``: a statement that keeps the launcher v1, or none).
TABLE_READER = ("from azureml.core import Run\n\nrun = Run.get_context()\n"
                "df = run.input_datasets['training_data'].to_pandas_dataframe()\nrun.log('rows', len(df))\n")
TABLE_LAUNCHER = ("from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n\n"
                  "ws = Workspace.from_config()\nenv = Environment.get(ws, 'aml-env')\n{extra}"
                  "ds = ws.datasets.get('diabetes')\n"
                  "src = ScriptRunConfig(source_directory='./src', script='train.py', compute_target='cpu',\n"
                  "                      arguments=['--data', ds.as_named_input('training_data')], environment=env)\n"
                  "run = Experiment(ws, 'exp').submit(config=src)\n")
KEEPS_V1 = "print(env.python.conda_dependencies.serialize_to_string())\n"  # reads the v1 environment


def test_a_tabular_input_waits_for_its_own_launcher_not_one_of_a_script_named_alike(tmp_path: Path) -> None:
    """Two train.py in two folders, each read its input as a table: the one whose launcher
    migrates follows it (mltable from the exported folder); the other, whose launcher stays v1
    (it prints the v1 environment's conda file), keeps reading the dataset v1 hands over."""
    (tmp_path / "pyproject.toml").write_text("")
    script = TABLE_READER
    for folder, extra in (("kept", KEEPS_V1), ("moved", "")):
        (tmp_path / folder / "src").mkdir(parents=True)
        (tmp_path / folder / "src" / "train.py").write_text(script)
        (tmp_path / folder / "launch.py").write_text(TABLE_LAUNCHER.format(extra=extra))
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "mltable.load(os.environ[\"training_data\"])" in (tmp_path / "moved" / "src" / "train.py").read_text(), report
    assert (tmp_path / "kept" / "src" / "train.py").read_text() == script, report
    assert "kept/src/train.py:4:6: AML033 left: " in report and "kept/src/train.py:4:6: AML033 fixed" not in report


@pytest.mark.parametrize(("options", "script", "why"), [
    (["--ignore", "AML033"], TABLE_READER, "its --select/--ignore leaves out AML033"),
    (["--select", "AML001,AML002,AML020,AML021,AML022,AML040"], TABLE_READER,
     "its --select/--ignore leaves out AML011, AML033, AML038"),
    ([], TABLE_READER.replace("to_pandas_dataframe()\n", "to_pandas_dataframe()  # noqa: AML03\n"), None),
    ([], "# flake8: noqa\n" + TABLE_READER, None),
])
def test_a_run_that_leaves_the_scripts_reads_v1_leaves_its_launcher_v1(tmp_path: Path, options: list[str],
                                                                       script: str, why: str | None) -> None:
    """The launcher's v2 job hands the data over as a path; only the script's own fix reads it so.
    A selection without that fix, or a # noqa on the read, keeps the launcher v1 too (audit 58z:
    ``--ignore AML033`` migrated the launcher alone, and its job read an empty run.input_datasets)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(script)
    launcher = TABLE_LAUNCHER.format(extra="")
    (tmp_path / "launch.py").write_text(launcher)
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", *options, "."]
    report = run(command, cwd=tmp_path).stdout
    assert (tmp_path / "launch.py").read_text() == launcher, report
    assert "run.input_datasets['training_data']" in (tmp_path / "src" / "train.py").read_text(), report
    if why is not None:
        assert ("launch.py:6:7: AML002 left: train.py reads run.input_datasets, which a v2 job does not fill, and this "
                f"run does not fix it ({why}): fix the script together with its launcher") in report, report
    else:  # a # noqa there (codes by prefix, or the file's) keeps the read: the script's own fix says so
        assert re.search(r"launch.py:6:7: AML002 left: the script it runs \(train.py:\d\) (keeps a read of its inputs "
                         r"\(or its run\) by a # noqa|is exempt from every fix)", report), report


def test_a_selection_without_the_table_read_fix_moves_a_script_that_reads_no_table(tmp_path: Path) -> None:
    """``--ignore AML038`` leaves out only the fix of ``.to_pandas_dataframe()``: a script that reads
    its input as a path moves with its launcher all the same (audit 58c)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(
        "import os\nfrom azureml.core import Run\n\nrun = Run.get_context()\n"
        "print(os.listdir(run.input_datasets['training_data']))\n")
    (tmp_path / "launch.py").write_text(TABLE_LAUNCHER.format(extra="").replace(
        "ds.as_named_input('training_data')", "ds.as_named_input('training_data').as_mount()"))
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--ignore", "AML038", "."]
    report = run(command, cwd=tmp_path).stdout
    assert "command(" in (tmp_path / "launch.py").read_text(), report
    assert "os.listdir(os.environ[\"training_data\"])" in (tmp_path / "src" / "train.py").read_text(), report


def test_a_selection_of_one_import_code_removes_only_the_imports_reported_under_it(tmp_path: Path) -> None:
    """A launcher's unused v1 import is AML099 (a training script's is AML010): ``fix --select AML010``
    leaves it, as ``check --select AML010`` does not report it (audit 58z)."""
    (tmp_path / "pyproject.toml").write_text("")
    launcher = "from azureml.core import Workspace\nfrom azureml.widgets import RunDetails\n\nprint(1)\n"
    (tmp_path / "launch.py").write_text(launcher)
    run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--select", "AML010", "."], cwd=tmp_path)
    assert (tmp_path / "launch.py").read_text() == launcher
    run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--select", "AML099", "."], cwd=tmp_path)
    assert (tmp_path / "launch.py").read_text() == "print(1)\n"


def test_a_tabular_input_a_v1_launcher_still_hands_over_stays_a_dataset(tmp_path: Path) -> None:
    """Another launcher still runs the script with v1, which hands the dataset over (not an MLTable
    folder): the read stays v1, and so does this launcher, whose v2 job would not fill
    run.input_datasets for it (audit 51; it used to move alone, and its job failed)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    script = TABLE_READER
    (tmp_path / "src" / "train.py").write_text(script)
    (tmp_path / "launch_v1.py").write_text(TABLE_LAUNCHER.format(extra=KEEPS_V1))
    (tmp_path / "launch_v2.py").write_text(TABLE_LAUNCHER.format(extra=""))
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert (tmp_path / "launch_v2.py").read_text() == TABLE_LAUNCHER.format(extra=""), report
    assert (tmp_path / "src" / "train.py").read_text() == script, report
    assert ("launch_v2.py:6:7: AML002 left: train.py reads run.input_datasets, which a v2 job does not fill, and "
            "launch_v1.py:7 runs it too") in report, report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout  # and a second run agrees


@pytest.mark.parametrize("other", [
    # a second call of the same file, which stays v1 (it reads the v1 environment)
    "kept = ScriptRunConfig(source_directory='./src', script='train.py', compute_target='cpu',\n"
    "                       arguments=['--data', ds.as_named_input('training_data')], environment=env)\n"
    "print(kept.run_config.environment.python.conda_dependencies.serialize_to_string())\n"
    "Experiment(ws, 'exp').submit(config=kept)\n",
    # a v1 CLI command of the project's workflow that runs a train.py
    None,
])
def test_a_launcher_whose_script_another_launcher_may_keep_v1_stays_with_it(tmp_path: Path, other: str | None) -> None:
    """The script's own fix holds it v1 while any launcher it finds may still run it with v1; the
    launcher that hands its data over as v2 does must then stay v1 too, wherever that other launcher
    is: in the same file (audit 58w: the second call moved, and its job read an empty
    run.input_datasets) or a v1 CLI command of the project (the launcher looked for calls only)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(TABLE_READER)
    launcher = TABLE_LAUNCHER.format(extra="") + (other or "")
    (tmp_path / "launch.py").write_text(launcher)
    if other is None:
        (tmp_path / "ops").mkdir()
        (tmp_path / "ops" / "train.sh").write_text("cd src\naz ml run submit-script -c remote -e exp train.py\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert (tmp_path / "launch.py").read_text() == launcher, report
    assert (tmp_path / "src" / "train.py").read_text() == TABLE_READER, report
    if other is not None:  # the two calls go together: the second stays v1, and so does the first
        assert "launch.py:6:7: AML002 left: depends on line 9: `kept` is also used at line 11" in report, report
    else:
        assert ("launch.py:6:7: AML002 left: train.py reads run.input_datasets, which a v2 job does not fill, and "
                "ops/train.sh:2 runs it too") in report, report  # by its path from the launcher's folder
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_launcher_elsewhere_that_names_its_script_at_run_time_is_said_to_maybe_run_it(tmp_path: Path) -> None:
    """A v1 pipeline in another folder whose step's script is named only when it runs may run this
    script: the launcher stays v1 with it, and the reason says *may*, naming that job by its path
    from here (held-out audit d: it said "publish.py:7 runs it too", a fact it cannot know, by a
    path the reader could not find)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "loan").mkdir()
    (tmp_path / "loan" / "src").mkdir()
    (tmp_path / "loan" / "src" / "train.py").write_text(TABLE_READER)
    (tmp_path / "loan" / "launch.py").write_text(TABLE_LAUNCHER.format(extra=""))
    (tmp_path / "luna" / "src").mkdir(parents=True)
    (tmp_path / "luna" / "src" / "publish.py").write_text(
        "import json\nimport os\n\nfrom azureml.core import Workspace\nfrom azureml.pipeline.core import Pipeline\n"
        "from azureml.pipeline.steps import PythonScriptStep\n\nws = Workspace.from_config()\n"
        "entry = json.load(open('luna.json'))['entry']\n"
        "step = PythonScriptStep(script_name=entry, source_directory=os.getcwd(), compute_target='cpu')\n"
        "Pipeline(ws, steps=[step]).publish(name='p')\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert (tmp_path / "loan" / "launch.py").read_text() == TABLE_LAUNCHER.format(extra=""), report
    assert ("loan/launch.py:6:7: AML002 left: train.py reads run.input_datasets, which a v2 job does not fill, and "
            "the v1 job at ../luna/src/publish.py:10 may run it too (its script is named only at run time): the "
            "script moves only once no launcher keeps it v1") in report, report


@pytest.mark.parametrize(("folder", "moves"), [
    ("os.path.join(os.getcwd(), 'src')", False),  # computed when it runs: the script is not read
    ("Path.cwd() / 'src'", False),
    # made from the program's own path: the launcher's folder, known here (review 86), so the script moves with it
    ("os.path.join(os.path.dirname(os.path.abspath(__file__)), 'src')", True),
    ("Path(__file__).parent / 'src'", True),
    ("'.\\\\src'", True),  # a Windows path, read as one: the script moves with it
])
def test_a_launcher_that_cannot_read_its_script_stays_v1_when_one_it_may_run_reads_its_inputs(
        tmp_path: Path, folder: str, moves: bool) -> None:
    """A folder computed at run time hides which train.py the job runs, and the script's own fix counts
    this call as a launcher that may run it: while a train.py of the project reads run.input_datasets,
    the launcher stays v1 (audit 58e: it moved, exported nothing, and its job read an empty
    run.input_datasets)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    script = ("import os\nfrom azureml.core import Run\n\nrun = Run.get_context()\n"
              "print(os.listdir(run.input_datasets['training_data']))\n")
    (tmp_path / "src" / "train.py").write_text(script)
    launcher = "import os\nfrom pathlib import Path\n" + TABLE_LAUNCHER.format(extra="").replace(
        "ds.as_named_input('training_data')", "ds.as_named_input('training_data').as_mount()").replace(
        "source_directory='./src'", f"source_directory={folder}")
    (tmp_path / "launch.py").write_text(launcher)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    fixed = (tmp_path / "launch.py").read_text()
    if moves:
        assert "command(" in fixed and "os.environ[\"training_data\"]" in (tmp_path / "src" / "train.py").read_text(), report
    else:
        # (the script's read of a mounted input may move: v1 exported its path as $training_data too)
        assert fixed == launcher, report
        assert "src/train.py reads run.input_datasets, which a v2 job does not fill" in report, report


def test_a_computed_folder_that_ends_in_a_name_is_not_any_folder(tmp_path: Path) -> None:
    """``str(prefix.joinpath("src"))`` (azureml-examples' job.py files) ends in ``src``: a train.py of
    another sample that reads run.input_datasets is not one this launcher may run, so it migrates
    (the first version of the rule above held all six of those job.py files)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "sample" / "src").mkdir(parents=True)
    (tmp_path / "sample" / "src" / "train.py").write_text("import sys\nprint(sys.argv)\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "train.py").write_text(
        "from azureml.core import Run\nprint(Run.get_context().input_datasets['raw'])\n")
    launcher = "from pathlib import Path\n" + TABLE_LAUNCHER.format(extra="").replace(
        "ds.as_named_input('training_data')", "ds.as_named_input('training_data').as_mount()").replace(
        "source_directory='./src'", "source_directory=str(Path(__file__).parent.joinpath('src'))")
    (tmp_path / "sample" / "launch.py").write_text(launcher)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "sample/launch.py"],
                 cwd=tmp_path).stdout
    assert "command(" in (tmp_path / "sample" / "launch.py").read_text(), report


def test_a_notebook_that_runs_its_own_written_file_holds_no_script_of_that_name_elsewhere(tmp_path: Path) -> None:
    """A notebook at the project's root writes ``job/train.py`` and runs it; the folder is made at run
    time, so any train.py may look like it, but the call runs the file its cells write: a launcher of
    ``projA/src/train.py`` and that script move together (audit 58c: the launcher stayed v1)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "projA" / "src").mkdir(parents=True)
    (tmp_path / "projA" / "src" / "train.py").write_text(
        "import os\nfrom azureml.core import Run\n\nrun = Run.get_context()\n"
        "print(os.listdir(run.input_datasets['training_data']))\n")
    (tmp_path / "projA" / "launch.py").write_text(TABLE_LAUNCHER.format(extra="").replace(
        "ds.as_named_input('training_data')", "ds.as_named_input('training_data').as_mount()"))
    write_notebook(tmp_path / "root.ipynb", [
        "import os\nfrom azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
        "ws = Workspace.from_config()\nos.makedirs('job', exist_ok=True)\n",
        "%%writefile job/train.py\nprint('hello')\n",
        "cfg = ScriptRunConfig(source_directory='job', script='train.py', compute_target='cpu',\n"
        "                      environment=Environment.get(ws, 'e'))\nprint(Experiment(ws, 'exp').submit(cfg).get_details())\n",
    ])
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "command(" in (tmp_path / "projA" / "launch.py").read_text(), report
    assert "os.environ[\"training_data\"]" in (tmp_path / "projA" / "src" / "train.py").read_text(), report


def test_two_calls_of_one_file_that_both_migrate_take_their_script_with_them(tmp_path: Path) -> None:
    """Two launches of one script that reads its inputs, in one file, both migratable: they move
    together, and the script with them (audit 58b: stop 50's first version kept all three v1)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(TABLE_READER)
    launcher = TABLE_LAUNCHER.format(extra="") + (
        "second = ScriptRunConfig(source_directory='./src', script='train.py', compute_target='gpu',\n"
        "                         arguments=['--data', ds.as_named_input('training_data')], environment=env)\n"
        "again = Experiment(ws, 'exp').submit(config=second)\n")
    (tmp_path / "launch.py").write_text(launcher)
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    fixed = (tmp_path / "launch.py").read_text()
    assert fixed.count("command(") == 2 and "ScriptRunConfig" not in fixed, report
    assert "mltable.load(os.environ[\"training_data\"])" in (tmp_path / "src" / "train.py").read_text(), report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_script_whose_logging_a_v1_launcher_holds_gets_no_mlflow_todo(tmp_path: Path) -> None:
    """The mounted input moves to the path v1 exported too; the logging stays v1 with its
    launcher, so nothing says the script now logs with MLflow."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "launch.py").write_text(
        "from azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace\n\nws = Workspace.from_config()\n"
        "ds = Dataset.File.from_files(path='https://acct.blob.core.windows.net/data/')\n"
        "src = ScriptRunConfig(source_directory='src', script='train.py', "
        "arguments=[ds.as_named_input('x').as_mount()], compute_target='cpu')\n"
        "run = Experiment(ws, 'exp').submit(src)\nrun.get_details_with_logs()\n")
    script = tmp_path / "src" / "train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\npath = run.input_datasets['x']\n"
                      "run.log('rows', 3)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    text = script.read_text()
    assert 'path = os.environ["x"]' in text and "run.log('rows', 3)" in text and "TODO" not in text, report


@pytest.mark.parametrize(("launch", "at"), [
    # the folder is computed at run time, and ends in the script's folder
    ("ScriptRunConfig(source_directory=Path(__file__).parents[1] / 'src', script='a_train.py', {rest})", "ops"),
    ("ScriptRunConfig(source_directory=os.path.join(os.getcwd(), 'src'), script='a_train.py', {rest})", "ops"),
    ("ScriptRunConfig(source_directory=src_path, script='a_train.py', {rest})", "ops"),  # src_path = ... / 'src' 
    # the launcher, above the script, copies it into a folder it then names
    ("shutil.copy('src/a_train.py', './staged'); ScriptRunConfig(source_directory='./staged', script='a_train.py', "
     "{rest})", ""),
])
def test_a_launcher_whose_folder_is_not_known_here_holds_a_script_of_that_name(tmp_path: Path, launch: str,
                                                                              at: str) -> None:
    """The launcher names ``a_train.py`` in a folder this run cannot place, but that may be the
    script's: the script of that name may be the one it runs with v1, so it keeps logging with v1."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    launcher = V1_LAUNCHER.format(after="print(run.get_details()['runDefinition'])").replace(
        'config = ScriptRunConfig(source_directory=".", script="a_train.py", compute_target="cpu-cluster", environment=env)',
        "config = " + launch.format(rest="compute_target='cpu-cluster', environment=env"))
    (tmp_path / at).mkdir(exist_ok=True)
    (tmp_path / at / "submit.py").write_text("import os\nimport shutil\nfrom pathlib import Path\n"
                                             "src_path = Path(__file__).parents[1] / 'src'\n" + launcher)
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "run.log('accuracy', 0.9)" in script.read_text(), report
    where = "../ops/submit.py" if at else "../submit.py"
    assert f"AML012 left: its launcher {where}:" in report, report


@pytest.mark.parametrize(("launch", "held"), [
    # a folder computed at run time may be any: the script's own (audit 54 found one in real code)
    ("ScriptRunConfig(source_directory=os.getcwd(), script='a_train.py', {rest})", True),
    ("ScriptRunConfig(source_directory='./staged', script='a_train.py', {rest})", False),  # not above the script
])
def test_a_launcher_of_an_unplaced_folder_elsewhere_holds_only_what_it_may_run(tmp_path: Path, launch: str,
                                                                              held: bool) -> None:
    """A launcher in another folder names a script of this name: in a folder computed at run time,
    which may be this script's, it may run it with v1, so the script keeps v1's logging; in a
    folder named that is no file and not above the script, nothing ties it to this script, which
    moves to MLflow."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    launcher = V1_LAUNCHER.format(after="print(run.get_details()['runDefinition'])").replace(
        'config = ScriptRunConfig(source_directory=".", script="a_train.py", compute_target="cpu-cluster", environment=env)',
        "config = " + launch.format(rest="compute_target='cpu-cluster', environment=env"))
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "submit.py").write_text("import os\n" + launcher)
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert ("mlflow.log_metric('accuracy', 0.9)" in script.read_text()) is not held, report
    if held:
        assert "src/a_train.py:4:1: AML012 left: its launcher ../ops/submit.py:" in report, report


@pytest.mark.parametrize(("named", "held"), [
    ("./source_dir/a_train.py", True),  # no such file: the launcher beside the script means it
    ("a_train.py", True),  # (the script itself, found as usual)
    ("./source_dir/other.py", False),  # another name
])
def test_a_launcher_beside_a_script_naming_it_in_a_folder_that_is_not_there_holds_it(
        tmp_path: Path, named: str, held: bool) -> None:
    """A HyperDrive notebook beside train.py runs ``./source_dir/train.py``, a folder the project no
    longer has (audit 43): it still runs that script with v1, so the script keeps its v1 logging."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "submit.py").write_text(V1_LAUNCHER.format(after="print(run.get_details()['runDefinition'])").replace(
        'script="a_train.py"', f'script="{named}"'))
    script = tmp_path / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert ("run.log('accuracy', 0.9)" in script.read_text()) is held, report
    if held:
        assert "a_train.py:4:1: AML012 left: its launcher submit.py:4 still runs it with v1" in report, report


def test_a_script_held_by_one_of_two_launchers_names_the_one_left_v1(tmp_path: Path) -> None:
    """The first call migrates; the second stays v1 (its run configuration is changed after it
    is made): the script is held, and the reason points at the call that still runs it with v1,
    at its line in the launcher as the run leaves it."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    launcher = tmp_path / "launch.py"
    launcher.write_text(
        'from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n\n'
        'ws = Workspace.from_config()\nenv = Environment.get(ws, "my-env")\nexp = Experiment(ws, "demo")\n'
        'src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu", environment=env)\n'
        'exp.submit(src)\n\n'
        'src2 = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu", environment=env)\n'
        'src2.run_config.node_count = 2\nexp.submit(src2)\n')
    shown = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--diff", "."], cwd=tmp_path)
    # --diff writes nothing: the line is the one of the launcher as it is
    [held] = re.findall(r"AML012 left: its launcher \.\./launch\.py:(\d+) still runs it with v1", shown.stderr)
    assert launcher.read_text().splitlines()[int(held) - 1].startswith("src2 = ScriptRunConfig("), held
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    lines = launcher.read_text().splitlines()
    assert "command(" in launcher.read_text() and "run.log('accuracy', 0.9)" in script.read_text(), report
    [held] = re.findall(r"AML012 left: its launcher \.\./launch\.py:(\d+) still runs it with v1", report)
    assert lines[int(held) - 1].startswith("src2 = ScriptRunConfig("), (held, lines)


def test_a_notebook_whose_later_cells_migrate_still_holds_the_script_an_earlier_cell_runs_with_v1(
        tmp_path: Path) -> None:
    """The notebook's second launcher migrates, and the imports and helpers it needs go into the
    first cell: the cell that still runs train.py with v1 moves down, and still holds it."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "train").mkdir()
    script = tmp_path / "train" / "train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    (tmp_path / "train" / "other.py").write_text("print('other')\n")
    cells = ["from azureml.core import Experiment, ScriptRunConfig, Workspace\n\nws = Workspace.from_config()\n"
             "folder = 'train'",
             "src = ScriptRunConfig(source_directory=folder, script='train.py', compute_target='cpu')\n"
             "run = Experiment(ws, 'e1').submit(src)",
             "run.get_details_with_logs()",
             "src2 = ScriptRunConfig(source_directory=folder, script='other.py', compute_target='cpu')\n"
             "run2 = Experiment(ws, 'e2').submit(src2)"]
    notebook = tmp_path / "launch.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None,
                                               "outputs": [], "source": cell} for cell in cells],
                                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1))
    for flags in (["--diff"], []):
        result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", *flags, "."], cwd=tmp_path)
        assert ("AML012 left: its launcher ../launch.ipynb:cell 2:1 still runs it with v1"
                in result.stdout + result.stderr), result.stdout + result.stderr
    assert "ml_client.jobs.create_or_update(src2" in notebook.read_text()
    assert "run.log('accuracy', 0.9)" in script.read_text()


def test_a_launcher_that_copies_its_script_holds_it_while_its_environment_may_lack_mlflow(tmp_path: Path) -> None:
    """The launcher copies a_train.py from its own folder into one it makes at run time, then
    runs it there.  It migrates; its environment file has no mlflow, so the new job carries the
    TODO that asks for it, and the script keeps v1's logging until that is done: the job would
    stop at ``import mlflow``.  Once the environment has it and the TODO is gone, the script moves."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text("dependencies:\n  - pip:\n    - azureml-defaults\n")
    script = tmp_path / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    submit = tmp_path / "submit.py"
    submit.write_text("import shutil\n" + V1_LAUNCHER.format(after="").replace(
        'config = ScriptRunConfig(source_directory="."', 'shutil.copy("a_train.py", "./staged")\n'
        'config = ScriptRunConfig(source_directory="./staged"'))
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    todo = "# TODO(azureml-v2): AML002 a_train.py logs with MLflow once migrated: add mlflow and azureml-mlflow"
    assert todo in submit.read_text() and "config = command(" in submit.read_text(), submit.read_text()
    assert "run.log('accuracy', 0.9)" in script.read_text(), report
    line = next(n for n, text in enumerate(submit.read_text().splitlines(), 1) if todo in text)
    assert (f"a_train.py:4:1: AML012 left: its launcher submit.py:{line} runs it in an environment that may have no "
            "mlflow (the TODO there): add mlflow and azureml-mlflow to that environment, "
            "delete the TODO, and fix this script again") in report, report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    submit.write_text("".join(line for line in submit.read_text().splitlines(keepends=True) if todo not in line))
    report = run(command, cwd=tmp_path).stdout
    assert "mlflow.log_metric('accuracy', 0.9)" in script.read_text(), report


@pytest.mark.parametrize("copy", ['shutil.copy("a_train.py", folder)', 'shutil.copytree(".", folder)'])
def test_a_script_copied_over_a_staged_copy_by_a_v1_launcher_stays_v1(tmp_path: Path, copy: str) -> None:
    """The launcher copies a_train.py into the folder it runs it from, where an older copy is
    checked in: the launcher stays v1, so both the staged copy and the one it is copied from
    keep logging with v1 (the job would stop at ``import mlflow``)."""
    (tmp_path / "pyproject.toml").write_text("")
    body = "from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n"
    (tmp_path / "staged").mkdir()
    (tmp_path / "staged" / "a_train.py").write_text(body)
    script = tmp_path / "a_train.py"
    script.write_text(body)
    (tmp_path / "submit.py").write_text(
        "import shutil\n\nfrom azureml.core import Experiment, ScriptRunConfig, Workspace\n\n"
        f'ws = Workspace.from_config()\nfolder = "./staged"\n{copy}\n'
        'src = ScriptRunConfig(source_directory=folder, script="a_train.py", compute_target="cpu")\n'
        'run = Experiment(ws, "exp").submit(src)\nrun.get_details_with_logs()\n')
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert script.read_text() == body == (tmp_path / "staged" / "a_train.py").read_text(), report
    assert "a_train.py:4:1: AML012 left: its launcher submit.py:8 still runs it with v1" in report, report


@pytest.mark.parametrize(("where", "text"), [
    (".github/workflows/train.yml", "jobs:\n  train:\n    steps:\n      - run: az ml run submit-script -c diabetes "
                                    "-e diabetes-exp --source-directory train a_train.py\n"),
    ("scripts/train.sh", "#!/bin/sh\naz ml run submit-script \\\n  -c diabetes -e exp \\\n  src/a_train.py\n"),
])
def test_a_script_the_v1_cli_runs_keeps_logging_with_v1(tmp_path: Path, where: str, text: str) -> None:
    """``az ml run submit-script`` in a workflow or a shell script runs the script with the v1
    CLI's run configuration, which this tool never migrates: the script stays with v1."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / where).parent.mkdir(parents=True)
    (tmp_path / where).write_text(text)
    (tmp_path / "train").mkdir()
    script = tmp_path / "train" / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "run.log('accuracy', 0.9)" in script.read_text(), report
    line = 4 if where.endswith(".yml") else 2
    assert (f"AML012 left: its launcher ../{where}:{line} (a v1 CLI command, which this tool does not migrate) "
            "still runs it with v1") in report, report


MODULE_SPEC = """\
name: Score Model
implementation:
  container:
    conda:
      dependencies:
      - python=3.6.8
      - pip:
        - azureml-core==1.0.43{more}
    command:
    - python
    - -m
    - {module}
"""


@pytest.mark.parametrize(("module", "more", "held"), [
    ("csmodel.score", "", True),
    ("other.score", "", False),  # another package's module of that name
    ("csmodel.score", "\n        - azureml-mlflow", False),  # the spec installs what the script needs
])
def test_a_script_a_v1_module_spec_runs_keeps_logging_with_v1(tmp_path: Path, module: str, more: str,
                                                              held: bool) -> None:
    """A designer module's YAML spec runs ``python -m csmodel.score`` in an environment pinned to
    v1 (audit 34): this tool never migrates it, and without mlflow there the migrated module would
    stop at ``import mlflow``; so the script keeps its v1 logging, and says which spec holds it."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "module_specs").mkdir()
    (tmp_path / "module_specs" / "score.yaml").write_text(MODULE_SPEC.format(module=module, more=more))
    (tmp_path / "csmodel").mkdir()
    script = tmp_path / "csmodel" / "score.py"
    body = "from azureml.core.run import Run\n\n\ndef evaluate(values):\n    run = Run.get_context()\n" \
           "    run.log('total', sum(values))\n"
    script.write_text(body)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    if held:
        assert script.read_text() == body, report
        assert ("AML012 left: its launcher ../module_specs/score.yaml:11 (a YAML spec, which this tool does not "
                "migrate) still runs it with v1, in an environment without mlflow: add mlflow and azureml-mlflow "
                "there") in report, report
    else:
        assert "mlflow.log_metric('total', sum(values))" in script.read_text(), report


RUN_CONFIGURATION = """\
script: train.py
target: cpu-cluster
framework: Python
environment:
  python:
    userManagedDependencies: false
    condaDependenciesFile: {conda}
  docker:
    baseImage: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04
"""


@pytest.mark.parametrize(("conda", "packages", "held"), [
    ("environment.yml", "azureml-sdk==1.37.0", True),  # the v1 SDK in the conda file the configuration names
    ("environment.yml", "scikit-learn", True),  # no mlflow there: the script's import mlflow would fail
    ("../environment.yml", "azureml-sdk==1.37.0", True),  # a folder above
    ("missing.yml", "", True),  # not found here: it may lack mlflow
    ("environment.yml", "azureml-mlflow", False),  # the configuration installs what the script needs
])
def test_a_script_a_v1_run_configuration_runs_keeps_logging_with_v1(tmp_path: Path, conda: str, packages: str,
                                                                   held: bool) -> None:
    """A v1 run configuration (``script: train.py``, submitted by a workflow's ``Azure/aml-run``
    action or ``RunConfiguration.load``) keeps its packages in the conda file it names (audit 43):
    without mlflow there the script keeps its v1 logging, and says which configuration holds it."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "code" / "train").mkdir(parents=True)
    folder = tmp_path / "code" if conda.startswith("..") else tmp_path / "code" / "train"
    (folder / "environment.yml").write_text(f"name: train-env\ndependencies:\n  - python=3.8\n  - pip:\n    - {packages}\n")
    (tmp_path / "code" / "train" / "run_config.yml").write_text(RUN_CONFIGURATION.format(conda=conda))
    script = tmp_path / "code" / "train" / "train.py"
    body = "from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n"
    script.write_text(body)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    if held:
        assert script.read_text() == body, report
        assert ("AML012 left: its launcher run_config.yml:1 (a YAML spec, which this tool does not migrate) still "
                "runs it with v1, in an environment without mlflow") in report, report
    else:
        assert "mlflow.log_metric('accuracy', 0.9)" in script.read_text(), report


@pytest.mark.parametrize(("spec", "extra", "held"), [
    ("code/train/run_config.yml", "", True),  # beside the script
    (".azureml/train.runconfig", "", True),  # a project's configuration folder: the project's scripts
    ("other/run_config.yml", "", False),  # another sample's configuration runs its own train.py (audit r)
    ("other/run_config.yml", "sourceDirectory: ../code/train\n", True),  # ... unless it names this folder
    ("other/run_config.yml", "sourceDirectory: $SRC\n", True),  # a folder not known here: it may be this one
])
def test_a_run_configuration_runs_the_script_of_its_own_folder(tmp_path: Path, spec: str, extra: str,
                                                               held: bool) -> None:
    """A run configuration's ``script: train.py`` is the one in the folder it runs from: its own
    folder, the project for one in ``.azureml``, or the ``sourceDirectory`` it names; a script of
    that name in another branch of the project is not run by it."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / spec).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / spec).write_text(extra + RUN_CONFIGURATION.format(conda="missing.yml"))
    script = tmp_path / ("code/train/train.py" if not spec.startswith(".azureml") else "train.py")
    script.parent.mkdir(parents=True, exist_ok=True)
    body = "from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n"
    script.write_text(body)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert (script.read_text() == body) is held, report
    if held:
        assert "(a YAML spec, which this tool does not migrate) still runs it with v1" in report, report


def test_a_cli_command_for_another_script_holds_nothing(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "run.sh").write_text("az ml run submit-script -c diabetes other.py  # a_train.py is not run here\n")
    script = tmp_path / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "mlflow.log_metric('accuracy', 0.9)" in script.read_text(), report


@pytest.mark.parametrize(("after", "moves"), [("", True), ("print(run.get_details()['runDefinition'])", False)])
def test_run_complete_goes_only_where_a_v2_job_ends_the_run(tmp_path: Path, after: str, moves: bool) -> None:
    """run.complete() is removed because a v2 job ends its MLflow run; a launcher that still
    runs the script with v1 keeps it (with the reason), as it keeps the script's logging."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "submit.py").write_text(V1_LAUNCHER.format(after=after))
    script = tmp_path / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\nrun.complete()\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert ("run.complete()" not in script.read_text()) is moves, report
    if not moves:
        assert "AML031 left: its launcher submit.py:4 still runs it with v1, so no v2 job ends the run for it" in report


@pytest.mark.parametrize("mode", [(), ("--diff",)])
def test_a_far_launcher_of_a_script_of_that_name_holds_nothing_once_its_own_migrates(tmp_path: Path, mode: tuple) -> None:
    """The script's own launcher migrates in the run; another project folder has a v1 launcher
    of some train.py in a folder it computes.  The project is read as the run found it, so the
    script's own launcher is known in either mode and the far one is never asked: it moves."""
    (tmp_path / "pyproject.toml").write_text("")
    own = tmp_path / "mine"
    own.mkdir()
    (own / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (own / "submit.py").write_text(V1_LAUNCHER.format(after=""))
    script = own / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    for index in range(30):  # enough files that the run forks workers, each wave in its own
        (tmp_path / f"filler_{index}.py").write_text("from azureml.core import Workspace\nprint(Workspace)\n")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "launch.py").write_text(
        "import os\nfrom azureml.core import Experiment, ScriptRunConfig, Workspace\nws = Workspace.from_config()\n"
        "src = ScriptRunConfig(source_directory=os.getcwd(), script='a_train.py', compute_target=target)\n"
        "run = Experiment(ws, 'x').submit(src)\n")
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", *mode, "."], cwd=tmp_path)
    report = result.stdout + result.stderr
    assert "mine/a_train.py:4:1: AML012 fixed" in report, report


def test_a_launcher_is_fixed_before_a_script_whose_name_has_spaces(tmp_path: Path) -> None:
    """``script="a my train.py"``: the launcher (which logs too, so both come late) is still
    fixed first, so one run moves both and a second changes nothing."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "submit.py").write_text(V1_LAUNCHER.format(after="").replace('script="a_train.py"', 'script="a my train.py"')
                                        + "from azureml.core import Run\nRun.get_context().log('submitted', 1)\n")
    script = tmp_path / "a my train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert "mlflow.log_metric('accuracy', 0.9)" in script.read_text(), report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_source_directory_relative_to_a_folder_above_the_launcher_names_the_script(tmp_path: Path) -> None:
    """``project/pipelines/build.py`` names ``./components/a_train.py``, a path from the folder
    it is run from (``project/``, above it): that launcher stays v1, so the script keeps v1's logging."""
    (tmp_path / "pyproject.toml").write_text("")
    project_dir = tmp_path / "project"
    (project_dir / "pipelines").mkdir(parents=True)
    (project_dir / "components").mkdir()
    (project_dir / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    launcher = V1_LAUNCHER.format(after="print(run.get_details()['runDefinition'])").replace(
        'source_directory="."', 'source_directory="./components"')
    (project_dir / "pipelines" / "build.py").write_text(launcher)
    script = project_dir / "components" / "a_train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "run.log('accuracy', 0.9)" in script.read_text(), report
    assert "AML012 left: its launcher ../pipelines/build.py:4 still runs it with v1" in report, report


@pytest.mark.parametrize("cells", [
    ["from azureml.core import Run", "run = Run.get_context()", 'run.log("rows", 10)', "run.complete()"],
    ["from azureml.core import Run", 'print("inline")', 'Run.get_context().log("rows", 10)'],
])
def test_a_notebook_that_logs_through_its_own_offline_run_stays_v1(tmp_path: Path, cells: list[str]) -> None:
    """A notebook's cells run in a kernel: ``Run.get_context()`` there is v1's offline run, whose
    ``log`` only printed, and MLflow would start (and leave open) a run of its own."""
    notebook = tmp_path / "explore.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None,
                                               "outputs": [], "source": cell} for cell in cells],
                                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1))
    before = notebook.read_text()
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert notebook.read_text() == before, result.stdout
    assert "AML011 left: a notebook's cells run in a kernel, not in a job" in result.stdout, result.stdout
    assert "explore.ipynb:cell 3:1:1: AML012 left: " in result.stdout, result.stdout


@pytest.mark.parametrize(("path", "script", "held"), [
    ("os.path.join(tmp_dir.name, 'train.py')", "train.py", True),  # the folder unknown, the name known
    ("tmp_dir.name + '/train.py'", "train.py", True),
    ("os.path.join(tmp_dir.name, 'train.py')", "score.py", False),  # the look-alike: the call runs another file
    ("os.path.join(tmp_dir.name, pick_name())", "score.py", True),  # no name known: any call may run it
])
def test_a_script_written_to_a_path_this_tool_cannot_resolve_follows_its_notebook_call(
        tmp_path: Path, path: str, script: str, held: bool) -> None:
    """``%%writefile $TRAIN_FILE`` with the file in a temporary folder: the v1 call that stays (its
    workspace is imported from another module) may run it, so it keeps logging with v1."""
    (tmp_path / "pyproject.toml").write_text("")
    sources = ["import os\nfrom tempfile import TemporaryDirectory\nfrom azureml.core import Experiment, ScriptRunConfig\n"
               "from helpers import pick_name, ws\ntmp_dir = TemporaryDirectory()\n"
               f"TRAIN_FILE = {path}",
               "%%writefile $TRAIN_FILE\nfrom azureml.core import Run\nrun = Run.get_context()\nrun.log('accuracy', 0.9)",
               f"config = ScriptRunConfig(source_directory=tmp_dir.name, script='{script}', compute_target='cpu')\n"
               "run = Experiment(ws, 'exp').submit(config)"]
    notebook = write_notebook(tmp_path / "runs.ipynb", sources)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    written = "".join(json.loads(notebook.read_text())["cells"][1]["source"])
    assert ("run.log('accuracy', 0.9)" in written) is held, report
    if held:
        assert "AML012 left: its launcher runs.ipynb:cell 3:1 still runs it with v1" in report, report


@pytest.mark.parametrize(("copied", "last", "held", "moves"), [
    # the cells copy the file they write into ./training, then a v1 HyperDrive that stays v1 runs it there
    (True, "print(hpo.get_children())", True, False),
    # the same with a launcher that migrates: its environment gets mlflow, and the written script moves with it
    (True, "best = hpo.get_best_run_by_primary_metric()\nprint(best.get_metrics())", False, True),
    # the look-alike: ./training holds a train.py of its own, nothing is copied over it, and the call runs that
    (False, "print(hpo.get_children())", False, False),
])
def test_a_written_script_the_notebook_copies_into_its_job_folder_goes_with_its_launcher(
        tmp_path: Path, copied: bool, last: str, held: bool, moves: bool) -> None:
    """Audit 52: ``%%writefile train.py``, then ``shutil.copy('train.py', './training')`` and a v1
    HyperDrive over ``ScriptRunConfig(source_directory='./training', script='train.py')``.  That call
    runs the written file: while it stays v1 the cell keeps v1's logging (HyperDrive ranks the v1
    run's metrics, and the v1 environment has no mlflow); once it migrates, the file moves with it."""
    (tmp_path / "pyproject.toml").write_text("")
    if not copied:
        (tmp_path / "training").mkdir()
        (tmp_path / "training" / "train.py").write_text("print('trained')\n")
    sources = ["%%writefile train.py\nfrom azureml.core.run import Run\nrun = Run.get_context()\nrun.log('Mean_AUC', 0.9)",
               "import shutil, os\nfrom azureml.core import Workspace, Experiment, ScriptRunConfig\n"
               "from azureml.train.hyperdrive import HyperDriveConfig, RandomParameterSampling, PrimaryMetricGoal, choice\n"
               "ws = Workspace.from_config()\nexp = Experiment(workspace=ws, name='p3')\n"
               "os.makedirs('training', exist_ok=True)\n" + ("shutil.copy('train.py', './training')\n" if copied else "") +
               "src = ScriptRunConfig(source_directory='./training', script='train.py', compute_target='cpu')\n"
               "hd = HyperDriveConfig(run_config=src, primary_metric_name='Mean_AUC', "
               "primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, "
               "hyperparameter_sampling=RandomParameterSampling({'--a': choice(1, 2)}), max_total_runs=2)\n"
               f"hpo = exp.submit(hd)\nhpo.wait_for_completion()\n{last}"]
    notebook = write_notebook(tmp_path / "hd.ipynb", sources)
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    assert ("exp.submit(hd)" in cells[1]) is not moves, report
    assert ("run.log('Mean_AUC', 0.9)" in cells[0]) is held, report
    assert ("mlflow.log_metric('Mean_AUC', 0.9)" in cells[0]) is not held, report
    if held:
        assert "AML012 left: its launcher hd.ipynb:cell 2:8 still runs it with v1" in report, report
    if moves:
        assert '"azureml-defaults", "mlflow", "azureml-mlflow"' in cells[1], cells[1]
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


@pytest.mark.parametrize(("body", "moves"), [
    # set 24's capstone: a HyperDrive trial script whose launcher is not in the repository
    ("train_df = run.input_datasets['train'].to_pandas_dataframe()\nrun.log('rows', float(len(train_df)))\n", False),
    # the look-alike: nothing in the script needs a v1 job
    ("run.log('rows', 3.0)\n", True),
])
def test_a_script_only_a_v1_job_can_run_keeps_its_v1_logging(tmp_path: Path, body: str, moves: bool) -> None:
    """``run.input_datasets`` is filled only by a v1 job: with no launcher in the project, an
    unseen v1 one runs the script, and its environment need not have mlflow."""
    script = _project_script(tmp_path, "from azureml.core import Run\n\nrun = Run.get_context()\n" + body)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "train.py"], cwd=tmp_path).stdout
    assert ("mlflow.log_metric('rows'" in script.read_text()) is moves, report
    if not moves:
        assert ("train.py:5:1: AML012 left: its launcher is a v1 job this fix cannot see (it reads "
                "run.input_datasets, line 4, which only a v1 job fills): its environment may have no mlflow") in report, report


UNNAMED_STEP = """\
import os
from azureml.core import Experiment, Workspace
from azureml.core.runconfig import RunConfiguration
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
step = PythonScriptStep(name="train", script_name=os.environ["TRAIN_SCRIPT"], source_directory={folder!r},
                        compute_target="cpu-cluster", runconfig=RunConfiguration())
Experiment(ws, "demo").submit(Pipeline(ws, [step]))
"""


@pytest.mark.parametrize(("folder", "held"), [
    ("src", True),  # the job's folder holds the script: the step may run it
    ("scoring", False),  # another folder: nothing ties the step to this script
])
def test_a_v1_step_naming_its_script_at_run_time_holds_the_scripts_it_may_run(tmp_path: Path, folder: str,
                                                                              held: bool) -> None:
    """MLOpsPython-style pipelines name each step's script from the environment: no script is
    named, yet the step runs one of its folder's with v1, in an environment made without mlflow."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pipeline.py").write_text(UNNAMED_STEP.format(folder=folder))
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('mse', 0.25)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    if held:
        assert "run.log('mse', 0.25)" in script.read_text(), report
        assert ("src/train.py:4:1: AML012 left: the v1 job at ../pipeline.py:8 may run it (its script is named only "
                "at run time) (whose environment may have no mlflow") in report, report
    else:
        assert "mlflow.log_metric('mse', 0.25)" in script.read_text(), report
    assert "script_name=os.environ" in (tmp_path / "pipeline.py").read_text()


@pytest.mark.parametrize(("script", "held"), [
    ('os.environ["TRAIN_SCRIPT"]', True),  # any file
    ("os.path.join(os.getcwd(), 'train.py')", True),  # a computed folder, this very file name
    ("os.path.join(os.getcwd(), 'train_tf.py')", False),  # audit s: another file name, spelt whole
    ("Path(os.getcwd()) / 'train_tf.py'", False),
    ("os.getcwd() + '/train_tf.py'", False),
    ("f\"{os.getcwd()}/train_tf.py\"", False),
    ("os.environ['PREFIX'] + '_tf.py'", True),  # a name computed in part may be this one
])
def test_a_step_whose_script_path_is_computed_runs_only_the_file_name_it_spells(tmp_path: Path, script: str,
                                                                                held: bool) -> None:
    """A step that computes its script's path but spells the file's name (``os.path.join(os.getcwd(),
    "train_tf.py")``) runs a file of that name only: another script of its folder moves to MLflow."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pipeline.py").write_text("from pathlib import Path\n" + UNNAMED_STEP.format(folder="src").replace(
        'os.environ["TRAIN_SCRIPT"]', script))
    (tmp_path / "src").mkdir()
    trained = tmp_path / "src" / "train.py"
    trained.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('mse', 0.25)\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert ("run.log('mse', 0.25)" in trained.read_text()) is held, report


ELSEWHERE_LAUNCHER = """\
import json
import os
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

settings = json.load(open("config/train.json"))
ws = Workspace.from_config()
env = Environment.from_conda_specification("train-env", file_path="conda.yml")
env.python.user_managed_dependencies = os.environ.get("ON_LOCAL", "false") == "true"
config = ScriptRunConfig(source_directory={folder}, script={script},
                         compute_target="cpu-cluster", environment=env)
run = Experiment(ws, "exp").submit(config)
run.wait_for_completion()
"""
LOGGING_SCRIPT = "from azureml.core import Run\n\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n"


@pytest.mark.parametrize(("folder", "script", "held"), [
    ("os.environ.get('SCRIPT_FOLDER')", "'train.py'", True),  # any folder: it may be scripts/
    ("os.getenv('SCRIPT_FOLDER', 'scripts')", "'train.py'", True),  # a default is no more than a default
    ("'scripts'", "settings['entry']", True),  # scripts/ from the root the launcher is run from
    ("os.environ.get('SCRIPT_FOLDER')", "'score.py'", False),  # another script's name
    ("os.path.join(os.environ['ROOT'], 'scoring')", "'train.py'", False),  # a folder spelled scoring/
    ("'scoring'", "settings['entry']", False),  # a folder that does not hold this script
])
def test_a_v1_launcher_in_another_folder_holds_the_script_it_may_run(tmp_path: Path, folder: str, script: str,
                                                                     held: bool) -> None:
    """Audit 54: the launcher sits in steps/, and the folder it runs the script from is computed at run
    time (an environment variable, a setting), or is relative to the folder it is run from, or it reads
    the script's name from a JSON file.  It stays v1 here, so the script keeps v1's logging: migrated,
    it would stop at ``import mlflow`` in the v1 job's environment, which has none."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text("name: e\ndependencies:\n  - python=3.8\n  - pip:\n      - azureml-defaults\n")
    (tmp_path / "steps").mkdir()
    launcher = tmp_path / "steps" / "launch.py"
    launcher.write_text(ELSEWHERE_LAUNCHER.format(folder=folder, script=script))
    (tmp_path / "scripts").mkdir()
    training = tmp_path / "scripts" / "train.py"
    training.write_text(LOGGING_SCRIPT)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert "ScriptRunConfig(" in launcher.read_text(), report  # (user_managed_dependencies keeps it v1)
    if held:
        assert training.read_text() == LOGGING_SCRIPT, report
        assert "scripts/train.py:4:1: AML012 left: " in report and "../steps/launch.py:9" in report, report
    else:
        assert "mlflow.log_metric('accuracy', 0.9)" in training.read_text(), report
    assert "Fixed 0 findings" in run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."],
                                     cwd=tmp_path).stdout


def test_a_migrated_launcher_whose_folder_is_computed_asks_for_mlflow(tmp_path: Path) -> None:
    """Audit 54: both migrate, and the job's environment is the launcher's conda file, which has no
    mlflow.  The launcher now finds the script it may run (any folder's train.py) and says, as it does
    for a script beside it, that its environment needs mlflow; the script keeps v1's logging until then."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text("name: e\ndependencies:\n  - python=3.8\n  - pip:\n      - azureml-defaults\n")
    (tmp_path / "steps").mkdir()
    launcher = tmp_path / "steps" / "launch.py"
    launcher.write_text("\n".join(line for line in ELSEWHERE_LAUNCHER.format(
        folder="os.environ.get('SCRIPT_FOLDER')", script="'train.py'").splitlines()
        if "user_managed" not in line and "json" not in line) + "\n")
    (tmp_path / "scripts").mkdir()
    training = tmp_path / "scripts" / "train.py"
    training.write_text(LOGGING_SCRIPT)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    migrated = launcher.read_text()
    assert "command(code=os.environ.get('SCRIPT_FOLDER')" in migrated, report
    assert ("# TODO(azureml-v2): AML002 train.py logs with MLflow once migrated: add mlflow and azureml-mlflow "
            "to this job's environment\n") in migrated, migrated
    assert training.read_text() == LOGGING_SCRIPT, report
    assert "the TODO there" in report, report
    ruff_clean(launcher)
    assert "Fixed 0 findings" in run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."],
                                     cwd=tmp_path).stdout


INPUT_LAUNCHER = """\
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
env = Environment.from_conda_specification("train-env", "conda.yml")
store = ws.get_default_datastore()
data = Dataset.File.from_files((store, "images/"))
config = ScriptRunConfig(source_directory="src", script="train.py",
                         arguments=["--data", data.as_named_input("raw").as_mount()],
                         compute_target="cpu-cluster", environment=env)
run = Experiment(ws, "x").submit(config)
"""
INPUT_SCRIPT = """\
import os
from azureml.core import Run

run = Run.get_context()
folder = run.input_datasets["raw"]
run.log("files", len(os.listdir(folder)))
"""


def test_a_run_kept_for_held_back_logging_gets_no_mlflow_todo(tmp_path: Path) -> None:
    """Audit 55: the launcher migrates with an environment this fix did not write (its TODO asks for
    mlflow), so the script's run.log() stays v1 until that is done, while its input moves to the
    path the v2 job exports.  The run stays for the logging, and no TODO says the script logs with
    MLflow: it does not (a reader who believed it could drop azureml-core from the environment)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text("name: e\ndependencies:\n  - python=3.8\n  - pip:\n      - azureml-defaults\n")
    (tmp_path / "submit.py").write_text(INPUT_LAUNCHER)
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "train.py"
    script.write_text(INPUT_SCRIPT)
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert "add mlflow and azureml-mlflow to this job's environment" in (tmp_path / "submit.py").read_text(), report
    assert script.read_text() == INPUT_SCRIPT.replace('run.input_datasets["raw"]', 'os.environ["raw"]'), report
    assert "AML012 left: its launcher ../submit.py:" in report, report
    ruff_clean(script)
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_a_job_script_keeps_its_v1_authentication(tmp_path: Path) -> None:
    """Inside a job, as for the workspace it would sign in to: its environment was made for v1 and
    need not install azure-identity."""
    (tmp_path / "register.py").write_text(
        "from azureml.core import Run\nfrom azureml.core.authentication import AzureCliAuthentication\n\n"
        "cli_auth = AzureCliAuthentication()\nrun = Run.get_context()\nws = run.experiment.workspace\nprint(ws.name)\n")
    report = fix(tmp_path / "register.py")
    text = (tmp_path / "register.py").read_text()
    assert "azure.identity" not in text and "cli_auth = AzureCliAuthentication()" in text, report


def test_a_written_script_keeps_what_a_later_cell_reads_back_from_its_metrics(tmp_path: Path) -> None:
    """Audit 37: the notebook writes the script (``%%writefile``), runs it and reads get_metrics()
    back in a later cell. A value of unknown kind (a tag when it is not a number) stays v1 in the
    written script, as it does for a reader in another file; the number moves."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    notebook = write_notebook(tmp_path / "exp.ipynb", [
        "import os\nfrom azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
        "ws = Workspace.from_config()\nos.makedirs('training', exist_ok=True)",
        "%%writefile training/train.py\nimport argparse\nfrom azureml.core import Run\n"
        "from solvers import parse_solver\n"
        "parser = argparse.ArgumentParser()\nparser.add_argument('--solver', type=parse_solver)\n"
        "args = parser.parse_args()\nrun = Run.get_context()\nrun.log('solver', args.solver)\nrun.log('alpha', 0.3)\n",
        "env = Environment.from_conda_specification(name='env', file_path='conda.yml')\n"
        "config = ScriptRunConfig(source_directory='training', script='train.py', arguments=['--solver', 'auto'],\n"
        "                         compute_target='cpu-cluster', environment=env)\n"
        "run = Experiment(ws, 'exp').submit(config)\nrun.wait_for_completion()",
        "metrics = run.get_metrics()\nprint(metrics['solver'], metrics['alpha'])",
    ])
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    assert "run.log('solver', args.solver)" in cells[1] and "mlflow.log_metric('alpha', 0.3)" in cells[1], report
    # (named in the notebook as written: the reading cell now starts with the helpers it calls)
    line = cells[3].splitlines().index("metrics = _v1_get_metrics(ml_client, run.name)") + 1
    assert f"exp.ipynb:cell 4:{line} reads the run's metrics (get_metrics())" in report, report


def test_a_written_script_that_reads_its_inputs_is_read_for_its_reader(tmp_path: Path) -> None:
    """The notebook's script reads run.input_datasets, which its own fix follows now that the cell
    is fixed with its job; so a later cell reading the metrics back is judged by what the script
    logs (an int, where MLflow keeps floats), and no internal error comes of it."""
    (tmp_path / "pyproject.toml").write_text("")
    notebook = write_notebook(tmp_path / "exp.ipynb", [
        "import os\nfrom azureml.core import Experiment, ScriptRunConfig, Workspace\n"
        "ws = Workspace.from_config()\nos.makedirs('training', exist_ok=True)",
        "%%writefile training/train.py\nfrom azureml.core import Run\nrun = Run.get_context()\n"
        "data = run.input_datasets['diabetes']\nrun.log('rows', 3)\n",
        "config = ScriptRunConfig(source_directory='training', script='train.py', compute_target='cpu-cluster')\n"
        "run = Experiment(ws, 'exp').submit(config)\nrun.wait_for_completion()",
        "metrics = run.get_metrics()\nprint(metrics['rows'])",
    ])
    before = notebook.read_text()
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert "internal error" not in result.stdout + result.stderr, result.stderr
    assert notebook.read_text() == before, result.stdout
    assert "it reads 'rows', which train.py logs as an int (its line 4); MLflow's metrics hold floats" in result.stdout


@pytest.mark.parametrize("call", ["run.log('rows', 3, snapshot_directory=None)", "run.log_list('xs', [1.0], unit='s')",
                                  "run.tag('stage', 'dev', overwrite=True)"])
def test_a_logging_call_with_a_keyword_v1_does_not_take_stays_as_it_is(tmp_path: Path, call: str) -> None:
    """Audit 39 (nilaychauhan/Loan-Prediction-Using-AzureML-SDK): v1's run.log() takes no
    snapshot_directory=, so the call fails there; an MLflow call with it would fail too (or do
    something else), so it is left for the author, and a call beside it still moves."""
    script = _project_script(tmp_path, f"from azureml.core import Run\nrun = Run.get_context()\n{call}\n"
                                       "run.log('loss', 0.5)\n")
    report = fix(script)
    text = script.read_text()
    assert call in text and "mlflow.log_metric('loss', 0.5)" in text, report
    assert "which v1 does not take (the call fails there): fix the v1 call first" in report, report


MODULE = "from azureml.core import Run\nrun = Run.get_context()\n\n\ndef evaluate(loss):\n    run.log('val_loss', float(loss))\n"
IMPORTING_SCRIPT = "from model import evaluate\n\nevaluate(0.25)\n"
MODULE_LAUNCHER = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
env = Environment.from_conda_specification("train-env", "train/env.yml")
config = ScriptRunConfig(source_directory="train", script="train.py", compute_target="gpu", environment=env)
run = Experiment(ws, "resnet").submit(config)
run.wait_for_completion()
{after}"""


@pytest.mark.parametrize(("after", "imported", "todo"), [
    ("print(run.get_details()['runDefinition'])\n", True, False),  # the launcher stays v1: so does the module
    ("", True, True),  # it migrates with the conda file as it is: its TODO asks for mlflow, and the module waits
    ("", False, False),  # the look-alike: nothing imports the module, which no job runs
])
def test_a_module_a_job_script_imports_goes_with_that_jobs_launcher(tmp_path: Path, after: str, imported: bool,
                                                                    todo: bool) -> None:
    """Audit 56 (found twice): train.py has no v1 logging of its own; model.py, which it imports,
    logs through the run.  The module's code runs in train.py's job, so it keeps v1's logging while
    a v1 launcher runs that job, or while a migrated one runs it where mlflow may be missing; and
    the migrated launcher asks for mlflow for train.py, whose job logs through the module."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "submit.py").write_text(MODULE_LAUNCHER.format(after=after))
    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "env.yml").write_text("name: e\ndependencies:\n  - python=3.8\n  - pip:\n      - azureml-defaults\n")
    module = tmp_path / "train" / "model.py"
    module.write_text(MODULE)
    (tmp_path / "train" / "train.py").write_text(IMPORTING_SCRIPT if imported else "print('trained')\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    launcher = (tmp_path / "submit.py").read_text()
    assert (module.read_text() == MODULE) is imported, report
    assert ("# TODO(azureml-v2): AML002 train.py logs with MLflow once migrated" in launcher) is todo, launcher
    if imported:
        runs = "still runs train.py, which imports it, with v1" if after else "runs train.py, which imports it, in an"
        assert "train/model.py:6:5: AML012 left: its launcher ../submit.py:" in report and runs in report, report
    else:
        assert "mlflow.log_metric('val_loss', float(loss))" in module.read_text(), report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


DATABRICKS_NOTEBOOK = """\
# Databricks notebook source
model_name = dbutils.widgets.get("model_name")
from azureml.core import Run

run = Run.get_context()
run.log("test-loss", 0.05)
"""


@pytest.mark.parametrize(("header", "moves"), [("", True), ("# Databricks notebook source\n", False)])
def test_a_databricks_notebook_keeps_its_v1_logging(tmp_path: Path, header: str, moves: bool) -> None:
    """Audit 56: a notebook exported from Databricks as source, which a v1 DatabricksStep runs on
    the cluster (its path is a Databricks one, so no launcher here names the file).  There
    Run.get_context() is the step's run, which v1's readers read, while MLflow logs to Databricks'
    own tracking: its logging stays v1, with no TODO.  The look-alike without the header moves."""
    body = DATABRICKS_NOTEBOOK.replace("# Databricks notebook source\n", header)
    script = _project_script(tmp_path, body)
    report = fix(script)
    text = script.read_text()
    assert ("mlflow.log_metric(\"test-loss\", 0.05)" in text) is moves, report
    if not moves:
        assert text == body and "AML012 left: a Databricks notebook (a v1 DatabricksStep runs it" in report, report


def test_an_exported_databricks_notebook_a_plain_job_runs_is_a_job_script(tmp_path: Path) -> None:
    """The same header, but the project runs the file with a ScriptRunConfig (audit l: a hackathon's
    exported notebook trained locally): its run is that job's, so its logging follows its launcher,
    which this run migrates, instead of being called a DatabricksStep's and impossible."""
    body = DATABRICKS_NOTEBOOK.replace('model_name = dbutils.widgets.get("model_name")\n', "")
    script = _project_script(tmp_path, body)
    (tmp_path / "submit.py").write_text(
        "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n\nws = Workspace.from_config()\n"
        'env = Environment.from_conda_specification(name="env", file_path="env.yml")\n'
        'src = ScriptRunConfig(source_directory=".", script="train.py", compute_target="cpu", environment=env)\n'
        'run = Experiment(ws, "exp").submit(src)\n')
    (tmp_path / "env.yml").write_text("name: env\ndependencies:\n  - python=3.10\n  - pip:\n    - mlflow\n"
                                      "    - azureml-mlflow\n")
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path)
    text = script.read_text()
    assert 'mlflow.log_metric("test-loss", 0.05)' in text, result.stdout
    assert "DatabricksStep" not in result.stdout, result.stdout


COPYING_NOTEBOOK = [
    "import os, shutil\nfrom azureml.core import Experiment, Workspace\nfrom azureml.train.sklearn import SKLearn\n"
    "ws = Workspace.from_config()\nos.makedirs('./train_sklearn', exist_ok=True)\n"
    "shutil.copy({source!r}, './train_sklearn')",
    "est = SKLearn(source_directory='./train_sklearn', entry_script='train.py', compute_target='cpu')\n"
    "run = Experiment(ws, 'rf').submit(est)\nprint(run.get_details()['runDefinition'])",
]


@pytest.mark.parametrize(("source", "held"), [
    ("../code/train.py", True),  # this script, from the notebook's folder: the v1 job runs it
    ("../other/train.py", False),  # another train.py: nothing ties the v1 job to this one
])
def test_a_script_a_notebook_copies_from_another_folder_goes_with_that_notebooks_job(tmp_path: Path, source: str,
                                                                                     held: bool) -> None:
    """Audit 56: azure/notebooks/HPO.ipynb copies ../code/train.py into the folder its v1 estimator
    runs train.py from.  The notebook is not in the script's folder or above it, yet its job runs
    this script: while it stays v1, the script keeps v1's logging (its trials would stop at
    ``import mlflow``, and a HyperDrive over them would rank nothing)."""
    (tmp_path / "pyproject.toml").write_text("")
    for folder in ("code", "other", "notebooks"):
        (tmp_path / folder).mkdir()
    script = tmp_path / "code" / "train.py"
    script.write_text("from azureml.core import Run\nrun = Run.get_context()\nrun.log('Accuracy', 0.9)\n")
    (tmp_path / "other" / "train.py").write_text("print('another')\n")
    write_notebook(tmp_path / "notebooks" / "HPO.ipynb", [cell.format(source=source) for cell in COPYING_NOTEBOOK])
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path).stdout
    assert ("run.log('Accuracy', 0.9)" in script.read_text()) is held, report
    if held:
        assert "code/train.py:3:1: AML012 left: its launcher ../notebooks/HPO.ipynb:cell 2:1 still runs it" in report


WRITTEN_READER = ("%%writefile training/train.py\nimport os\nfrom azureml.core import Run\nrun = Run.get_context()\n"
                  "{read}\nprint(len(data))\n")
WRITTEN_LAUNCHER = (
    "import os\nfrom azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace\n"
    "ws = Workspace.from_config()\nos.makedirs('training', exist_ok=True)\nstore = ws.get_default_datastore()\n"
    "{dataset}\n"
    "config = ScriptRunConfig(source_directory='training', script='train.py', arguments=['--data', {handed}], "
    "compute_target='cpu-cluster')\n{second}"
    "run = Experiment(ws, 'exp').submit(config)\n")


@pytest.mark.parametrize(("dataset", "handed", "read", "second", "expected"), [
    # a mounted folder: the path v1 also exported as $raw
    ("data = Dataset.File.from_files((store, 'images/'))", "data.as_named_input('raw').as_mount()",
     "data = os.listdir(run.input_datasets['raw'])", "", "data = os.listdir(os.environ['raw'])"),
    # a tabular dataset read directly: the MLTable folder, loaded (a documented default, with its TODO)
    ("data = Dataset.Tabular.from_delimited_files((store, 'iris.csv'))", "data.as_named_input('iris')",
     "data = run.input_datasets['iris'].to_pandas_dataframe()", "",
     "data = mltable.load(os.environ['iris']).to_pandas_dataframe()"),
    # the look-alike: a second call runs the written file too, and stays v1 (its run is read as v1)
    ("data = Dataset.File.from_files((store, 'images/'))", "data.as_named_input('raw').as_mount()",
     "data = os.listdir(run.input_datasets['raw'])",
     "other = ScriptRunConfig(source_directory='training', script='train.py', arguments=['--data', "
     "data.as_named_input('raw').as_download()], compute_target='cpu-cluster')\n"
     "print(Experiment(ws, 'exp2').submit(other).get_details()['runDefinition'])\n", None),
])
def test_a_written_script_that_reads_its_inputs_moves_with_its_call(tmp_path: Path, dataset: str, handed: str,
                                                                     read: str, second: str, expected: str | None) -> None:
    """The DP-100 labs' pattern: a ``%%writefile`` cell reads ``run.input_datasets[n]``, which a v2 job
    does not fill, and a later cell runs it with the dataset as a named input.  The cell is fixed
    after the notebook's calls, in the same run, so it reads what the migrated command exports; with
    a second call of the file (which may stay v1) the call stays v1, and the cell with it."""
    (tmp_path / "pyproject.toml").write_text("")
    notebook = write_notebook(tmp_path / "exp.ipynb", [
        WRITTEN_READER.format(read=read),
        WRITTEN_LAUNCHER.format(dataset=dataset, handed=handed, second=second),
    ])
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    if expected is None:
        assert read in cells[0] and "ScriptRunConfig(" in cells[1], report
        # the two calls go together (the other stays v1: its run is read as v1)
        assert "exp.ipynb:cell 2:7:10: AML002 left: depends on cell 2:9: the submitted run is used" in report, report
        return
    assert expected.replace("'", '"') in cells[0] and "run.input_datasets" not in cells[0], report
    assert "command(" in cells[1] and "export " in cells[1], report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_written_scripts_of_one_name_in_two_folders_move_each_with_its_own_call(tmp_path: Path) -> None:
    """The DP-100 compute lab writes ``$experiment_folder/train.py`` twice, the folder bound again in
    between, and runs each with its own call; the first call stays v1 (it reads the v1 environment).
    The second call and the file it runs move together, the first pair stays v1 (audit 58y: the
    second file was held for the first call, which does not run it, while its call moved, and
    its v2 job read an empty run.input_datasets)."""
    (tmp_path / "pyproject.toml").write_text("")
    reader = ("%%writefile $experiment_folder/train.py\nfrom azureml.core import Run\nrun = Run.get_context()\n"
              "df = run.input_datasets['training_data'].to_pandas_dataframe()\nrun.log('rows', len(df))\n")
    launch = ("cfg = ScriptRunConfig(source_directory=experiment_folder, script='train.py', compute_target='cpu',\n"
              "                      arguments=['--data', ds.as_named_input('training_data')], environment=env)\n"
              "run = Experiment(ws, 'exp').submit(cfg)\nrun.wait_for_completion()\n")
    notebook = write_notebook(tmp_path / "compute.ipynb", [
        "import os\nfrom azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
        "ws = Workspace.from_config()\nds = ws.datasets.get('diabetes')\n",
        "experiment_folder = 'logistic'\nos.makedirs(experiment_folder, exist_ok=True)\n",
        reader,
        "env = Environment.get(ws, 'aml-env')\nprint(env.python.conda_dependencies.serialize_to_string())\n" + launch,
        "experiment_folder = 'tree'\nos.makedirs(experiment_folder, exist_ok=True)\n",
        reader,
        "env = Environment.get(ws, 'aml-env')\n" + launch,
    ])
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    assert cells[2] == reader and "ScriptRunConfig(" in cells[3], report
    assert "run.input_datasets" not in cells[5] and 'mltable.load(os.environ["training_data"])' in cells[5], report
    assert "command(" in cells[6] and "export training_data=${{inputs.training_data}}" in cells[6], report
    assert "compute.ipynb:cell 3:4:6: AML033 left: its launcher compute.ipynb:cell 4:" in report, report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def test_written_scripts_of_one_name_in_two_folder_variables_are_each_read_for_their_own_call(
        tmp_path: Path) -> None:
    """The DP-100 data lab (audit, stop 63, d M1): ``$folder_a/train.py`` reads a table and
    ``$folder_b/train.py`` a downloaded folder; the first call was judged by the second file's text,
    and was left with contradictory reasons."""
    (tmp_path / "pyproject.toml").write_text("")
    table = ("%%writefile $folder_a/train.py\nfrom azureml.core import Run\n\nrun = Run.get_context()\n"
             "df = run.input_datasets['training_data'].to_pandas_dataframe()\nrun.log('rows', len(df))")
    files = ("%%writefile $folder_b/train.py\nimport os\nfrom azureml.core import Run\n\nrun = Run.get_context()\n"
             "path = run.input_datasets['training_files']\nrun.log('n', len(os.listdir(path)))")
    launch = ("env = Environment('e')\nenv.python.conda_dependencies = CondaDependencies.create(pip_packages=['mlflow', "
              "'azureml-mlflow', 'azureml-dataprep[pandas]'])\nds = ws.datasets.get('diabetes')\n"
              "src = ScriptRunConfig(source_directory={folder}, script='train.py', arguments=['--data', {input}], "
              "environment=env, compute_target='cpu')\nrun = Experiment(ws, 'exp').submit(src)")
    notebook = write_notebook(tmp_path / "data.ipynb", [
        "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
        "from azureml.core.conda_dependencies import CondaDependencies\nws = Workspace.from_config()",
        "folder_a = 'folder_a'", table, launch.format(folder="folder_a", input="ds.as_named_input('training_data')"),
        "folder_b = 'folder_b'", files,
        launch.format(folder="folder_b", input="ds.as_named_input('training_files').as_download()"),
    ])
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    assert 'mltable.load(os.environ["training_data"])' in cells[2], report
    assert "export training_data=${{inputs.training_data}}" in cells[3], report
    assert 'path = os.environ["training_files"]' in cells[5], report
    assert " left" not in report.replace("0 left", ""), report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


@pytest.mark.parametrize(("body", "todo"), [
    # a table's text column, row by row: each row's tag replaces the one before it
    ('stats = {"mean": 1.5, "std": 0.25}\nfor name, value in stats.items():\n    run.log_row("BMI", stat=name, value=value)\n',
     True),
    # the same row name logged twice (audit 59w), or in a function that may be called again
    ('stat, value = "mean", 1.5\nrun.log_row("BMI", stat=stat, value=value)\nrun.log_row(name="BMI", stat=stat, value=value)\n',
     True),
    ('def report(stat, value):\n    run.log_row("BMI", stat=stat, value=value)\n\n\nreport("mean", 1.5)\n', True),
    # the same name quoted otherwise, and rows logged in a comprehension (review 61)
    ('stat, value = "mean", 1.5\nrun.log_row("BMI", stat=stat, value=value)\nrun.log_row(\'BMI\', stat=stat, value=value)\n',
     True),
    ('stats = {"mean": 1.5}\n[run.log_row("BMI", stat=k, value=v) for k, v in stats.items()]\n', True),
    # the same name held in a variable (review 62)
    ('SUMMARY = "BMI"\nstat, value = "mean", 1.5\nrun.log_row(SUMMARY, stat=stat, value=value)\n'
     'run.log_row("BMI", stat=stat, value=value)\n', True),
    # one row, logged once: nothing is replaced
    ('stat, value = "mean", 1.5\nrun.log_row("BMI", stat=stat, value=value)\nrun.log_row("Age", stat=stat, value=value)\n',
     False),
])
def test_a_text_column_of_rows_logged_again_gets_a_todo_in_the_code(tmp_path: Path, body: str, todo: bool) -> None:
    """Audit 59w: where a row of the same name may be logged again, a column that is not a number
    becomes a tag the next row replaces, where v1 kept the table: the code says so, once per call."""
    script = _project_script(tmp_path, "from azureml.core import Run\n\nrun = Run.get_context()\n" + body)
    fix(script)
    text = script.read_text()
    assert "Run.get_context()" not in text and "_log_v1_row(" in text, text
    comments = text.count("# TODO(azureml-v2): AML014 a column that is not a number becomes a tag")
    assert comments == (text.count("_log_v1_row(") - 1 if todo else 0), text  # (one is the helper's definition)
    fix(script)
    assert script.read_text() == text  # the TODO is written once


@pytest.mark.parametrize(("body", "said"), [
    # a name made at run time (a data frame's columns): MLflow may reject it where v1 took it
    ('import pandas as pd\nframe = pd.DataFrame({"Amount (USD)": [1.0]})\nfor column in frame.columns:\n'
     '    run.log(column, frame[column].sum())\n',
     "the metric or tag name is known only at run time: MLflow rejects names with characters other than"),
])
def test_what_a_migration_cannot_see_at_fix_time_is_said(tmp_path: Path, body: str, said: str) -> None:
    """Audit 56: a log() whose name is known only at run time still moves (as log_list() does), and
    the fix says what may differ."""
    script = _project_script(tmp_path, "from azureml.core import Run\n\nrun = Run.get_context()\n" + body)
    report = fix(script)
    assert said in report, report
    text = script.read_text()
    assert "Run.get_context()" not in text and ("_log_v1_row(" in text or "_log_v1_value(" in text), text


SCORING = """\
import json
import os
import joblib
from azureml.core import Model, Workspace

ws = Workspace.from_config()


def init():
    global model, threshold
    model = joblib.load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl"))
    threshold = float(Model(ws, "mymodel").tags["threshold"])


def {run}(raw_data):
    return [p > threshold for p in model.predict(json.loads(raw_data)["data"])]
"""


@pytest.mark.parametrize(("entry", "stays"), [("run", True), ("predict", False)])
def test_a_scoring_script_no_launcher_names_keeps_its_v1_workspace(tmp_path: Path, entry: str, stays: bool) -> None:
    """Audit 57: ``init()`` and ``run()`` make a scoring script, which runs in a deployment's container
    whose environment was made for v1 (azureml-defaults brings no azure-ai-ml or azure-identity),
    though no launcher of the project names it: its workspace stays v1.  A module without those entry
    points (the look-alike) is a program of its own, whose workspace moves."""
    script = _project_script(tmp_path, SCORING.format(run=entry))
    report = fix(script)
    said = "AML020 left: this script runs inside a deployment, whose environment need not install azure-ai-ml"
    assert (said in report) is stays, report
    assert ("connect from the deployment by hand" in report) is stays, report  # (audit x: it said a job)
    assert "ws = Workspace.from_config()" in script.read_text()  # (the look-alike's for Model(ws, ...), which stays)


PASSED_RUN = """\
from azureml.core import Run


def train(data, run):
    run.log("rows", len(data))


def main():
    run = Run.get_context()
    train([1, 2], run)
{tail}

main()
"""


def test_a_run_handed_to_functions_moves_to_mlflow_and_its_callers_pass_none(tmp_path: Path) -> None:
    """Every call hands the job's run to the function, directly or through another function that
    took it the same way: the logging moves to MLflow, and the calls pass None in place of the run,
    which can then go.  The signatures stay (a caller the fix cannot see may still pass a run: review
    71 showed that dropping the parameter broke such callers with a TypeError), and so does the
    bare ``*``; an annotation naming the v1 class goes, or it would keep the v1 import."""
    script = _project_script(tmp_path, (
        "from azureml.core import Run\n\n\n"
        "def log_rows(count, run: Run, /):\n    run.log('rows', float(count))  # one number\n\n\n"
        "def train(data, *, run=None):\n    log_rows(len(data), run)\n    return run.id\n\n\n"
        "run = Run.get_context()\nprint(train([1, 2], run=run))\n"))
    report = fix(script)
    text = script.read_text()
    assert text == (
        "import mlflow\n\n\n"
        "def log_rows(count, run, /):\n    mlflow.log_metric('rows', float(count))  # one number\n\n\n"
        "def train(data, *, run=None):\n    log_rows(len(data), None)\n"
        "    return (mlflow.active_run() or mlflow.start_run()).info.run_id\n\n\n"
        "# TODO(azureml-v2): AML011 this script logs with MLflow: its job's environment needs mlflow and azureml-mlflow\n"
        "print(train([1, 2], run=None))\n"), report
    assert "Fixed 3 findings in 1 file; 0 left." in report
    ruff_clean(script)
    assert "Fixed 0 findings" in fix(script) and script.read_text() == text


@pytest.mark.parametrize(("tail", "why"), [
    ("    train([3], None)", "another call hands it something else"),
    ("    train([3], Run.get_context())", "another call hands it an expression"),
    ("    callbacks = [train]", "the function is handed on: something else may call it"),
    ("    train(*[[3], run])", "a call unpacks its arguments"),
])
def test_a_parameter_not_every_call_hands_the_run_keeps_its_logging(tmp_path: Path, tail: str, why: str) -> None:
    script = _project_script(tmp_path, PASSED_RUN.format(tail=tail))
    report = fix(script)
    text = script.read_text()
    assert 'def train(data, run):\n    run.log("rows", len(data))\n' in text, why
    assert "AML012 fixed" not in report and "run = Run.get_context()" in text, why


def test_a_decorated_or_imported_function_keeps_its_run_parameter(tmp_path: Path) -> None:
    """A decorator may call the function as it likes, and another module may call it with a run of
    its own: the parameter is then not known to be the job's run."""
    decorated = PASSED_RUN.format(tail="").replace("def train", "@staticmethod\ndef train")
    script = _project_script(tmp_path, decorated)
    assert "AML012 left" in fix(script) and script.read_text() == decorated
    script.write_text(PASSED_RUN.format(tail=""))
    (tmp_path / "other.py").write_text("from train import train\n")
    assert "AML012 left" in fix(script) and 'run.log("rows", len(data))' in script.read_text()


def test_a_parameter_the_function_still_needs_for_v1_stays_with_its_arguments(tmp_path: Path) -> None:
    """``run.parent`` has no MLflow form: the parameter and the run stay for it, the logging beside
    it moves, and the run is still defined wherever it is used (ruff finds no undefined name)."""
    program = PASSED_RUN.format(tail="").replace(
        '    run.log("rows", len(data))\n', '    run.log("rows", len(data))\n    run.parent.tag("seen")\n')
    script = _project_script(tmp_path, program)
    report = fix(script)
    text = script.read_text()
    assert "def train(data, run):\n    mlflow.log_metric(\"rows\", len(data))\n    run.parent.tag(\"seen\")\n" in text
    assert "    run = Run.get_context()\n    train([1, 2], run)\n" in text
    assert "AML034 left" in report
    # the run's own line says which use in the function keeps it (not "it stays for code that still needs it")
    assert "AML011 left: depends on line 5: `run` is also used at line 7 (`run.parent.tag(\"seen\")`), which stays" in report
    ruff_clean(script)
    assert "Fixed 0 findings" in fix(script) and script.read_text() == text


@pytest.mark.parametrize("change", [
    ("run = Run.get_context()", "run = Run.get_context(allow_offline=False)"),
    ('    run.log("rows", len(data))\n', '    if run.id.startswith("OfflineRun"):\n        return\n    run.log("rows", len(data))\n'),
])
def test_the_run_kept_for_its_own_reasons_keeps_the_functions_logging(tmp_path: Path, change: tuple[str, str]) -> None:
    """Where the run itself stays (v1 must raise outside a job; a function tells v1's offline run
    apart), nothing handed that run moves to MLflow either."""
    program = PASSED_RUN.format(tail="").replace(*change)
    script = _project_script(tmp_path, program)
    report = fix(script)
    assert script.read_text() == program, report
    assert "AML012 left" in report and "AML011 left" in report


@pytest.mark.parametrize("program", [
    ("from azureml.core import Run\n\n\n"
     "def make_callback(run):\n    def callback(env):\n        run.log('stage', 'epoch done')\n"
     "    return callback\n\n\n"
     "run = Run.get_context()\nfit(callbacks=[make_callback(run)])\n"),
    ("from azureml.core import Run\n\nrun = Run.get_context()\n\n\n"
     "def callback(env):\n    run.log('stage', 'epoch done')\n\n\nfit(callbacks=[callback])\n"),
])
def test_a_callback_handed_to_a_library_logs_a_string_with_v1(tmp_path: Path, program: str) -> None:
    """The library may call a callback any number of times: a string it logs would become one tag
    that each call replaces, where v1 kept every value, so that call stays (may_repeat counted the
    callback's one reference, handed on rather than called, as one call)."""
    script = _project_script(tmp_path, program)
    report = fix(script)
    assert "a string may be logged under this name more than once" in report, report
    assert "run.log('stage', 'epoch done')" in script.read_text()


@pytest.mark.parametrize(("program", "why"), [
    (PASSED_RUN.format(tail="    globals()['train']([3], run)"), "called through globals()"),
    (PASSED_RUN.format(tail="    import sys\n    getattr(sys.modules[__name__], 'train')([3], run)"), "looked up by its name"),
    (PASSED_RUN.format(tail="    import sys\n    sys.modules[__name__].train([3], run)"), "called through the module"),
    (PASSED_RUN.format(tail="    call({'_target_': '__main__.train', 'data': [3], 'run': run})"),
     "a framework resolves it from a dotted name (review 71)"),
    (PASSED_RUN.format(tail="") + "\n\ndef test_train():\n    fake = FakeRun()\n    train([3], fake)\n",
     "a function with nothing of v1 in it calls it with a stand-in (review 72)"),
    (PASSED_RUN.format(tail="") + "\n\ndef steps():\n    return [train]\n", "a function with nothing of v1 hands it on"),
    (PASSED_RUN.format(tail="") + "\nfrom helpers import *\n", "a star import may bind the name again (review 72)"),
    (PASSED_RUN.replace('    run.log("rows", len(data))\n',
                        '    run.log("rows", len(data))\n    print(inspect.getargvalues(inspect.currentframe()))\n')
     .format(tail=""), "the function reads its own frame (review 72)"),
    (PASSED_RUN.format(tail="") + "\ntry:\n    from helpers import *\nexcept ImportError:\n    pass\n",
     "a star import in a block (review 74)"),
    (PASSED_RUN.replace('    run.log("rows", len(data))\n',
                        '    for run in [run, Stub()]:\n        run.log("rows", len(data))\n').format(tail=""),
     "the function rebinds the parameter in a loop (review 74)"),
    (PASSED_RUN.replace('    run.log("rows", len(data))\n', '    run.log("rows", len(data))\n    describe_call()\n')
     .format(tail="") + "\n\ndef describe_call():\n    import inspect\n"
     "    print(inspect.getargvalues(inspect.currentframe().f_back))\n", "a helper reads the caller's frame (review 74)"),
    (PASSED_RUN.format(tail="") + "\n\ndef smoke_test():\n    for name, step in smoke_test.__globals__.items():\n"
     "        if name.startswith('tr'):\n            step([1], FakeRun())\n", "the module walks its own names (review 74)"),
    (PASSED_RUN.format(tail="    import __main__\n    __main__.train([3], run)"), "called through __main__"),
    ("import os\nfrom azureml.core import Run\n\n\nclass Stub:\n    def log(self, *values):\n        print(*values)\n\n\n"
     "def train(data, run):\n    run.log('rows', len(data))\n\n\nrun = Run.get_context()\n"
     "if os.environ.get('LOCAL'):\n    run = Stub()\ntrain([1, 2], run)\n", "a branch hands it a stand-in (review 68)"),
    ("import os\nfrom azureml.core import Run\n\n\ndef train(data, run):\n    run.log('rows', len(data))\n\n\n"
     "if os.environ.get('IN_JOB'):\n    run = Run.get_context()\ntry:\n    train([1, 2], run)\nexcept NameError:\n"
     "    print('no run')\n", "the run may be unbound where the call runs (review 70)"),
    ("from azureml.core import Run\n\n\nclass Stub:\n    def log(self, *values):\n        print(*values)\n\n\n"
     "def setup():\n    global run\n    run = Stub()\n\n\n"
     "def train(data, run):\n    run.log('rows', len(data))\n\n\nrun = Run.get_context()\nsetup()\ntrain([1, 2], run)\n",
     "a function sets it through `global` (review 69)"),
    (PASSED_RUN.replace('    run.log("rows", len(data))\n',
                        '    """>>> train([1], object())"""\n    run.log("rows", len(data))\n').format(tail=""),
     "a doctest calls it"),
    (PASSED_RUN.replace('    run.log("rows", len(data))\n',
                        '    def reset():\n        nonlocal run\n        run = None\n    run.log("rows", len(data))\n'
                        '    reset()\n').format(tail=""), "a nested function rebinds it"),
    (PASSED_RUN.replace('    run.log("rows", len(data))\n',
                        '    run.log("rows", len(data))\n    return sorted(locals())\n').format(tail=""),
     "locals() lists it"),
])
def test_a_function_reached_or_read_where_the_fix_cannot_see_keeps_its_parameter(tmp_path: Path, program: str,
                                                                                 why: str) -> None:
    """Review 67: dropping the parameter would break a caller the fix cannot see (``TypeError``), leave
    ``nonlocal run`` with nothing to bind (the module no longer compiles), or change what ``locals()`` gives."""
    script = _project_script(tmp_path, program)
    report = fix(script)
    text = script.read_text()
    assert "def train(data, run):" in text and "train([1, 2], run)" in text, why
    compile(text, "train.py", "exec")
    assert "AML012 fixed" not in report, why


@pytest.mark.parametrize("other", [
    "import importlib\n\nimportlib.import_module('train').train([2], None)\n",
    "import importlib\n\nname = 'train'\nimportlib.import_module(name).train([2], None)\n",
    "import importlib\n\nimportlib.import_module('tr' + 'ain').train([2], None)\n",
    "import runpy\n\nrunpy.run_path('train.py')['train']([2], None)\n",
    "namespace = {}\nexec(open('train.py').read(), namespace)\nnamespace['train']([2], None)\n",
    '"""\n>>> from train import train\n>>> train([2], None)\n"""\n',
    # review 69: more loaders, and an import written in a command the file runs
    "import importlib.util\n\nspec = importlib.util.find_spec('train')\nmodule = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\nmodule.train([2], None)\n",
    "import pydoc\n\npydoc.locate('train.train')([2], None)\n",
    "import pkgutil\n\npkgutil.resolve_name('train:train')([2], None)\n",
    "import subprocess\n\nsubprocess.run(\"python -c 'from train import train; train([2], None)'\", shell=True)\n",
    # review 70: loaders under other names
    "from importlib import import_module as load\n\nload('train').train([2], None)\n",
    "load = __import__\nload('train').train([2], None)\n",
    "namespace = {}\neval(compile(open('train.py').read(), 'train.py', 'exec'), namespace)\n",
    "import builtins\n\nnamespace = {}\ngetattr(builtins, 'exec')(open('train.py').read(), namespace)\n",
    "get_ipython().run_line_magic('run', '-n train.py')\ntrain([2], None)\n",
])
def test_a_module_another_file_may_load_by_name_keeps_its_run_parameters_v1(tmp_path: Path, other: str) -> None:
    """Another file that loads modules or runs files by a name (``import_module``, ``runpy``, ``exec``), or a
    doctest that imports the script, may call its functions with the run: their parameters stay (reviews 67
    and 68: the project's import scan read none of these)."""
    script = _project_script(tmp_path, PASSED_RUN.format(tail=""))
    (tmp_path / "other.py").write_text(other)
    report = fix(script)
    assert 'run.log("rows", len(data))' in script.read_text() and "AML012 fixed" not in report


def test_without_the_project_index_no_parameter_run_moves(tmp_path: Path) -> None:
    """``--no-project-index`` reads no other file, so no caller elsewhere is known not to exist
    (review 69: another file's ``train(2.0, run)`` broke)."""
    script = _project_script(tmp_path, PASSED_RUN.format(tail=""))
    report = fix(script, "--no-project-index")
    assert 'run.log("rows", len(data))' in script.read_text() and "AML012 fixed" not in report
    script.write_text(PASSED_RUN.format(tail=""))
    assert "AML012 fixed" in fix(script) and "train([1, 2], None)" in script.read_text()  # the same file, with the index


STUB_RUN = "from azureml.core import Run\n\n\nclass Stub:\n    def log(self, *values):\n        print(*values)\n\n\n"


@pytest.mark.parametrize("body", [
    # review 70: deleting the run left ``nonlocal run`` with nothing to bind (the module did not compile)
    "def main():\n    run = Run.get_context()\n\n    def setup():\n        nonlocal run\n        run = Stub()\n\n"
    "    setup()\n    run.log('loss', 1.0)\n\n\nmain()\n",
    # review 71: ``:=`` in a comprehension binds around it (PEP 572); the name model bound it inside, so the
    # call handed over the job's run as far as the fix knew.  (Written directly, ``run.log`` after it moves,
    # as after ``if local: run = Stub()``: a fallback.)
    "def train(data, run):\n    run.log('loss', data)\n\n\n"
    "run = Run.get_context()\n[run := Stub() for _ in range(1)]\ntrain(1.0, run)\n",
])
def test_a_run_a_stand_in_may_replace_keeps_its_logging(tmp_path: Path, body: str) -> None:
    """A function inside (``nonlocal``) or a comprehension (``:=``) may put a stand-in in the run's place."""
    program = STUB_RUN + body
    script = _project_script(tmp_path, program)
    report = fix(script)
    assert script.read_text() == program, report
    compile(script.read_text(), "train.py", "exec")


def test_a_run_parameter_the_fix_cannot_follow_says_why(tmp_path: Path) -> None:
    """The logging on a parameter that may hold the job's run says why it stays (it said "this form is not
    migrated automatically")."""
    script = _project_script(tmp_path, PASSED_RUN.format(tail="    callbacks = [train]"))
    report = fix(script)
    assert ("AML012 left: `run` is a parameter of train(), and the function is handed on at line 11, so something "
            "else may call it: the fix cannot tell that it always holds the job's run") in report, report


def test_a_tensor_stack_in_the_function_is_no_frame_read(tmp_path: Path) -> None:
    """Review 74: ``np.stack``/``torch.stack`` in a training function refused the fix as a read of frames."""
    script = _project_script(tmp_path, PASSED_RUN.replace(
        '    run.log("rows", len(data))\n', '    rows = np.stack(data)\n    run.log("rows", len(data))\n').format(tail=""))
    report = fix(script)
    assert "AML012 fixed" in report and "train([1, 2], None)" in script.read_text(), report


def test_a_noqa_on_the_functions_logging_keeps_the_run_its_calls_pass(tmp_path: Path) -> None:
    """``# noqa: AML012`` keeps the call in the function v1, so the parameter still needs the run and
    the call that hands it over stays as it is."""
    program = PASSED_RUN.replace('    run.log("rows", len(data))\n',
                                 '    run.log("rows", len(data))  # noqa: AML012\n').format(tail="")
    script = _project_script(tmp_path, program)
    report = fix(script)
    assert script.read_text() == program, report
    assert "AML011 left: line 5: AML012 is suppressed with # noqa" in report


def test_an_annotation_with_a_comment_inside_stays_with_the_import(tmp_path: Path) -> None:
    """Deleting ``run: (  # the job's run\\n Run)`` would drop the comment: the annotation (and the import
    it needs) stays, the rest of the fix goes ahead (review 72 found the whole fix refused)."""
    program = PASSED_RUN.replace("def train(data, run):", "def train(data, run: (  # the job's run\n        Run)):"
                                 ).format(tail="")
    script = _project_script(tmp_path, program)
    report = fix(script)
    text = script.read_text()
    assert "run: (  # the job's run\n        Run)):" in text and "from azureml.core import Run" in text, report
    assert "train([1, 2], None)" in text and "AML012 fixed" in report
    compile(text, "train.py", "exec")


# A v1 estimator that hands its script one tabular input, read directly, from src/prep.py.
SKLEARN_LAUNCHER = ("from azureml.core import Workspace, Experiment\nfrom azureml.train.sklearn import SKLearn\n\n"
                    "ws = Workspace.from_config()\n"
                    "est = SKLearn(entry_script='prep.py', source_directory='src',\n"
                    "              inputs=[ws.datasets['{name}.csv'].as_named_input('{name}')], "
                    "compute_target='cpu-cluster')\n"
                    "run = Experiment(ws, 'exp').submit(est)\n")


def _fix_tree(folder: Path) -> str:
    """``fix --unsafe-fixes`` of the whole folder; its report."""
    return run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=folder).stdout


def test_a_script_of_the_same_name_in_another_folder_is_not_run_by_a_migrated_estimator(tmp_path: Path) -> None:
    """The migrated estimator writes ``code=`` after ``command=``: its folder is still read, so
    the script of the same name elsewhere, which nothing in the project runs, keeps its reads
    (held-out audit e: one of its two reads moved, and the script could run under no launcher)."""
    (tmp_path / "pyproject.toml").write_text("")
    for folder in ("a/src", "b/src"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "a" / "src" / "prep.py").write_text(
        "from azureml.core import Run\n\nrun = Run.get_context()\n"
        "codes = run.input_datasets['codes'].to_pandas_dataframe()\nprint(len(codes))\n")
    orphan = ("from azureml.core import Run\n\nrun = Run.get_context()\n"
              "codes = run.input_datasets['codes'].to_pandas_dataframe()\n"
              "raw = run.input_datasets['raw'].to_pandas_dataframe()\nprint(len(codes), len(raw))\n")
    (tmp_path / "b" / "src" / "prep.py").write_text(orphan)
    (tmp_path / "a" / "launch.py").write_text(SKLEARN_LAUNCHER.format(name="codes"))
    report = _fix_tree(tmp_path)
    assert "code='src'" in (tmp_path / "a" / "launch.py").read_text(), report
    assert 'mltable.load(os.environ["codes"])' in (tmp_path / "a" / "src" / "prep.py").read_text(), report
    assert (tmp_path / "b" / "src" / "prep.py").read_text() == orphan, report
    assert "b/src/prep.py:4:9: AML033 left: no launcher of this project that this fix can read runs this script" in report, report


def test_a_script_whose_only_logging_mlflow_rejects_is_not_said_to_log_with_mlflow(tmp_path: Path) -> None:
    """Its one ``run.log`` names a metric MLflow rejects, so it stays v1: the script does not log
    with MLflow, and no TODO says it does (held-out audit e); its data read still moves."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "prep.py").write_text(
        "from azureml.core import Run\n\nrun = Run.get_context()\n"
        "df = run.input_datasets['rows'].to_pandas_dataframe()\nrun.log('# rows', len(df))\n")
    (tmp_path / "launch.py").write_text(SKLEARN_LAUNCHER.format(name="rows"))
    report = _fix_tree(tmp_path)
    script = (tmp_path / "src" / "prep.py").read_text()
    assert 'mltable.load(os.environ["rows"])' in script, report
    assert "run.log('# rows', len(df))" in script and "logs with MLflow" not in script, script
    assert "AML012 left: MLflow rejects '#' in a metric or tag name" in report, report


def test_a_step_script_that_looks_its_pipeline_run_up_submits_nothing(tmp_path: Path) -> None:
    """``PipelineRun(experiment, id)`` looks an existing run up; it is no ``Pipeline`` (whose name it
    starts with) and submits nothing, so the step script is not called a program that submits jobs
    (audit l): what keeps its run is the run's other use."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "build.py").write_text(
        "from azureml.core import Workspace, Experiment\nfrom azureml.pipeline.core import Pipeline\n"
        "from azureml.pipeline.steps import PythonScriptStep\n\nws = Workspace.from_config()\n"
        'step = PythonScriptStep(name="register", source_directory="pipelines/", script_name="register.py",\n'
        '                        compute_target="cpu-cluster", allow_reuse=False)\n'
        'pipeline = Pipeline(workspace=ws, steps=[step])\nrun = Experiment(ws, "exp").submit(pipeline)\n')
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "pipelines" / "register.py").write_text(
        "from azureml.core import Run\nfrom azureml.pipeline.core import PipelineRun\n\n"
        "current_run = Run.get_context()\nparent_run = current_run.parent\n"
        "pipeline_run = PipelineRun(parent_run.experiment, parent_run.id)\nprint(pipeline_run.id)\n")
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--diff", "."], cwd=tmp_path)
    left = next(line for line in result.stderr.splitlines() if "register.py:4:15: AML011 left" in line)
    assert "submits jobs" not in left and "`current_run` is also used at line 5" in left, left


def test_a_program_that_submits_to_a_pipeline_endpoint_runs_outside_a_job(tmp_path: Path) -> None:
    """``PipelineEndpoint.get(...).submit(...)`` submits a job, as a Pipeline does: the program runs
    outside one, where v1's run only printed what it logged (review 58b: an exact-name match had
    stopped counting it, and the offline run's logging moved to MLflow)."""
    script = _project_script(tmp_path, """\
from azureml.core import Run, Workspace
from azureml.pipeline.core import PipelineEndpoint

ws = Workspace.from_config()
run = Run.get_context()
endpoint = PipelineEndpoint.get(workspace=ws, name="nightly")
pipeline_run = endpoint.submit("nightly-exp")
run.log("submitted", 1)
""", name="prog.py")
    report = fix(script)
    assert 'run.log("submitted", 1)' in script.read_text(), report
    assert "AML011 left: this program also submits jobs (line 6)" in report, report


def test_a_launcher_of_a_script_of_the_same_name_elsewhere_may_run_it(tmp_path: Path) -> None:
    """Audit n: a notebook writes train.py into a folder a variable holds and assigns again, so the
    folder is not known here; another notebook runs a train.py of its own folder.  That one may be the
    same file, and the refusal says so, where it said the other notebook runs it."""
    (tmp_path / ".git").mkdir()
    writes = write_notebook(tmp_path / "writes.ipynb", [
        "from azureml.core import Workspace, Experiment, ScriptRunConfig, Dataset\nws = Workspace.from_config()\n",
        "folder = 'first'\n",
        "%%writefile $folder/train.py\nfrom azureml.core import Run\nrun = Run.get_context()\n"
        "print(run.input_datasets['training_data'])\n",
        "ds = Dataset.get_by_name(ws, 'd')\nsrc = ScriptRunConfig(source_directory=folder, script='train.py', "
        "arguments=['--in', ds.as_named_input('training_data')], compute_target='cpu')\nrun = Experiment(ws, 'e').submit(src)\n",
        "folder = 'second'\n"])
    write_notebook(tmp_path / "other.ipynb", [
        "from azureml.core import Workspace, Experiment, ScriptRunConfig\nws = Workspace.from_config()\n",
        "training_folder = 'elsewhere'\n",
        "src = ScriptRunConfig(source_directory=training_folder, script='train.py', compute_target='cpu')\n"
        "run = Experiment(ws, 'b').submit(src)\n"])
    report = fix(writes)
    assert ("writes.ipynb:cell 4:2:7: AML002 left: the train.py this notebook writes reads its data with "
            "run.input_datasets, which a v2 job does not set, and other.ipynb:cell 3:1 may run it too (it runs a file "
            "of that name in a folder this fix cannot tell apart from this one)") in report, report


@pytest.mark.parametrize(("other_folder", "held"), [
    ("training_folder = 'folder_b'\n", False),  # it writes and runs its own folder_b/train.py
    ("training_folder = 'folder_b'\nif True:\n    training_folder = 'folder_a'\n", True),  # its folder may be this one
    ("training_folder = 'folder_a'\n", True),  # the very same file
])
def test_a_notebook_that_writes_its_own_script_of_that_name_elsewhere_runs_only_that(
        tmp_path: Path, other_folder: str, held: bool) -> None:
    """Audit q: each notebook writes ``$folder/train.py`` into the one folder its code names and runs
    it from there; the other notebook's call runs its own file, so this notebook's launcher and
    script migrate together, where the refusal said the other one may run it too."""
    (tmp_path / ".git").mkdir()
    writes = write_notebook(tmp_path / "a.ipynb", [
        "from azureml.core import Workspace, Experiment, ScriptRunConfig, Dataset\nws = Workspace.from_config()\n",
        "experiment_folder = 'folder_a'\n",
        "%%writefile $experiment_folder/train.py\nimport os\nfrom azureml.core import Run\nrun = Run.get_context()\n"
        "print(os.listdir(run.input_datasets['training_files']))\n",
        "ds = Dataset.get_by_name(ws, 'd')\nsrc = ScriptRunConfig(source_directory=experiment_folder, script='train.py', "
        "arguments=['--in', ds.as_named_input('training_files').as_download()], compute_target='cpu')\n"
        "run = Experiment(ws, 'a').submit(src)\n"])
    write_notebook(tmp_path / "b.ipynb", [
        "from azureml.core import Workspace, Experiment, ScriptRunConfig\nws = Workspace.from_config()\n",
        other_folder,
        "%%writefile $training_folder/train.py\nprint('b')\n",
        "src = ScriptRunConfig(source_directory=training_folder, script='train.py', compute_target='cpu')\n"
        "run = Experiment(ws, 'b').submit(src)\n"])
    report = fix(writes)
    text = writes.read_text()
    assert ("ScriptRunConfig(" in text) is held, report
    if held:
        assert "b.ipynb:cell 4:1 " in report and "it too" in report, report
    else:
        assert 'os.environ[\\"training_files\\"]' in text and "export training_files=" in text, text
        assert fix(writes).count(" fixed") == 0  # a second run changes nothing


def test_a_launcher_that_copies_the_script_runs_it(tmp_path: Path) -> None:
    """Review of the 'may run it too' message: a launcher elsewhere that copies this very script into
    the folder it runs it from runs it for certain, though the folder it names is not the script's."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "ops").mkdir()
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\nrun = Run.get_context()\n"
                                               "print(run.input_datasets['training_data'])\n")
    (tmp_path / "a.py").write_text(
        "from azureml.core import Workspace, Experiment, ScriptRunConfig, Dataset\nws = Workspace.from_config()\n"
        "ds = Dataset.get_by_name(ws, 'd')\nsrc = ScriptRunConfig(source_directory='src', script='train.py', "
        "arguments=['--in', ds.as_named_input('training_data')], compute_target='cpu')\n"
        "run = Experiment(ws, 'e').submit(src)\n")
    (tmp_path / "ops" / "b.py").write_text(
        "import shutil\nfrom azureml.core import Workspace, Experiment, ScriptRunConfig\nws = Workspace.from_config()\n"
        "shutil.copy('../src/train.py', './staged')\n"
        "src = ScriptRunConfig(source_directory='./staged', script='train.py', compute_target='cpu')\n"
        "run = Experiment(ws, 'b').submit(src)\n")
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--diff", "."], cwd=tmp_path)
    report = result.stdout + result.stderr
    assert ("a.py:4:7: AML002 left: train.py reads run.input_datasets, which a v2 job does not fill, and ops/b.py:5 "
            "runs it too: the script moves only once no launcher keeps it v1") in report, report


def test_a_run_fetched_only_where_none_is_bound_yet_says_so(tmp_path: Path) -> None:
    """Audit w: ``if 'run' not in locals(): run = Run.get_context()`` in a notebook whose earlier
    cell bound ``run`` with start_logging(): the left lines named v1's offline run, which this
    notebook never used; they name the check that decides which run it is."""
    (tmp_path / "pyproject.toml").write_text("")
    notebook = write_notebook(tmp_path / "exp.ipynb", [
        "from azureml.core import Workspace, Experiment\nws = Workspace.from_config()\n"
        "experiment = Experiment(workspace=ws, name='test_experiment')\n",
        "run = experiment.start_logging()\n",
        "from azureml.core.run import Run\nif 'run' not in locals():\n    run = Run.get_context()\n"
        "run.log('final_accuracy', 0.9)\n",
        "run.complete()\n"])
    report = fix(notebook)
    assert ("AML011 left: cell 3:2 makes it only where `run` is not bound yet (`'run' not in locals()`), so the run "
            "the code logs to may be another one") in report, report
    assert "offline" not in report, report


def test_a_script_that_fetches_its_run_where_none_is_bound_is_not_told_of_another_run(tmp_path: Path) -> None:
    # the look-alike: nothing else binds ``run``, so in a job the check always passes (what stops the
    # fix here is the globals() read, which may read any module name)
    script = _project_script(tmp_path, "from azureml.core import Run\nif 'run' not in globals():\n"
                                       "    run = Run.get_context()\nrun.log('accuracy', 0.9)\n")
    report = fix(script)
    assert "AML012 left: " in report and "not bound yet" not in report, report


def test_a_count_logged_before_its_variable_is_set_again_is_a_metric(tmp_path: Path) -> None:
    """Audit 2c: ``row_count`` logged, then set again further down (another frame's length): the log
    call sees the first value only, an int, so it is a metric, and the interactive run migrates."""
    script = _project_script(tmp_path, """\
from azureml.core import Experiment, Workspace
ws = Workspace.from_config()
experiment = Experiment(workspace=ws, name="counts")
run = experiment.start_logging()
rows = [1, 2, 3]
row_count = len(rows)
run.log("observations", row_count)
run.complete()
print(run.get_metrics())
row_count = "three"
print(row_count)
""", name="explore.py")
    report = fix(script)
    assert 'mlflow.log_metric("observations", row_count)' in script.read_text(), report


OFFLINE_BRANCH_SCRIPT = """\
import os
from azureml.core import Workspace, Experiment
from azureml.core.run import Run

run = Run.get_context()
if run.id.startswith('OfflineRun'):
    workspace = Workspace.from_config()
    experiment = Experiment(workspace, 'offline')
    run = experiment.start_logging()
    dataset_path = 'local_data'
else:
    dataset_path = run.input_datasets['dataset']
print(os.listdir(dataset_path))
"""
ESTIMATOR_LAUNCHER = """\
from azureml.core import Workspace, Experiment
from azureml.train.estimator import Estimator
workspace = Workspace.from_config()
experiment = Experiment(workspace=workspace, name='s1')
dataset = workspace.datasets['sample']
estimator = Estimator(source_directory='code', compute_target='gpu', entry_script='train.py',
                      inputs=[dataset.as_named_input('dataset').as_mount()], pip_packages=['glob2'])
run = experiment.submit(estimator)
"""


def test_a_launchers_reason_about_its_scripts_run_names_the_scripts_lines(tmp_path: Path) -> None:
    """Audit 2e: why the script's run stays v1 cited ``line 9`` of the script as a line of the
    launcher (where it was a ``try:``); it names the script's file now."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "train.py").write_text(OFFLINE_BRANCH_SCRIPT)
    (tmp_path / "launch.py").write_text(ESTIMATOR_LAUNCHER)
    report = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--diff", "."],
                 cwd=tmp_path).stderr
    assert "the script it runs (train.py:12) keeps its v1 run, which reads the input 'dataset' (the script " in report, report
    assert "also submits jobs (train.py:8)" in report and "submits jobs (line" not in report, report


@pytest.mark.parametrize(("read", "why"), [
    ('labels = run.input_datasets.get("labels")', "input_datasets.get() asks the v1 mapping itself"),
    ('labelled = "labels" in run.input_datasets', "input_datasets is tested for a name"),
    ("names = list(run.input_datasets)", "input_datasets is used as a whole"),
    ("labels = run.input_datasets[args.name]", "input_datasets is read with a name known only at run time"),
])
def test_an_input_datasets_use_that_stays_says_what_it_does(tmp_path: Path, read: str, why: str) -> None:
    """Audit 2e: every such use was said to be 'not read with a literal name', ``.get("labels")`` too."""
    script = _project_script(tmp_path, "import argparse\nfrom azureml.core import Run\n"
                                       "args = argparse.ArgumentParser().parse_args()\nrun = Run.get_context()\n"
                                       f"{read}\n")
    report = fix(script)
    assert f"AML033 left: {why}" in report, report


def test_a_value_a_function_sets_through_global_keeps_an_unknown_kind(tmp_path: Path) -> None:
    """Review: ``accuracy = "pending"`` then a function sets the global to a float before the log
    call: its kind is not the string's, so the run-time helper logs it (a metric, as v1 had it)."""
    script = _project_script(tmp_path, "from azureml.core import Run\nrun = Run.get_context()\n"
                                       "accuracy = 'pending'\ndef evaluate():\n    global accuracy\n"
                                       "    accuracy = 0.93\nevaluate()\nrun.log('accuracy', accuracy)\naccuracy = 'done'\n")
    fix(script)
    text = script.read_text()
    assert "mlflow.set_tag('accuracy', accuracy)" not in text and "_log_v1_value(" in text, text


TWO_FOLDERS_LAUNCHER = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
env = Environment.from_conda_specification(name="env", file_path="conda.yml")
other = ScriptRunConfig(source_directory="other", script="train.py", compute_target="cpu", environment=env)
print(Experiment(ws, "a").submit(other).get_details()["runDefinition"])
mine = ScriptRunConfig(source_directory="mine", script="train.py", compute_target="cpu", environment=env)
run = Experiment(ws, "b").submit(mine)
"""


def test_a_v1_call_of_a_script_of_that_name_in_another_folder_does_not_hold_this_one(tmp_path: Path) -> None:
    """Audit 2f (found by the harm check: not idempotent): a launcher that still runs other/train.py with
    v1 held mine/train.py, whose own call it had migrated, until a second run."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "conda.yml").write_text(CONDA_WITH_MLFLOW)
    (tmp_path / "launch.py").write_text(TWO_FOLDERS_LAUNCHER)
    for folder in ("mine", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "train.py").write_text("from azureml.core import Run\nrun = Run.get_context()\n"
                                                    "run.log('accuracy', 0.9)\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert "mlflow.log_metric('accuracy', 0.9)" in (tmp_path / "mine" / "train.py").read_text(), report
    assert "Run.get_context()" in (tmp_path / "other" / "train.py").read_text(), report
    again = run(command, cwd=tmp_path).stdout
    assert "Fixed 0 findings" in again, again


@pytest.mark.parametrize(("call", "v2"), [
    ('run.log_image(name="food", path="./x.jpg", plot=None, description="d")', "mlflow.log_artifact(path)"),
    ('run.log_image("roc", path="roc.png")', "mlflow.log_artifact(path)"),
    ('run.log_image("curve", None, figure)', "mlflow.log_figure(figure, f'{name}.png')"),
    ('run.log_image("curve", plot=figure)', "mlflow.log_figure(figure, f'{name}.png')"),
])
def test_a_log_image_message_follows_the_argument_given(tmp_path: Path, call: str, v2: str) -> None:
    """``plot=None`` beside a path is the path form (audit g: it named log_figure)."""
    script = tmp_path / "step.py"
    script.write_text(f"from azureml.core import Run\n\nrun = Run.get_context()\nfigure = None\n{call}\n")
    report = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--output-format", "text", script.name],
                 cwd=tmp_path).stdout
    [message] = [line for line in report.splitlines() if " AML016 " in line]
    assert message.endswith(f"is Azure ML SDK v1; use {v2}"), message


def test_a_number_computed_in_a_training_loop_is_logged_as_a_metric(tmp_path: Path) -> None:
    """Audit, stop 64 (lot c L2): ``loss = 0.5 / (epoch + 1)`` in the loop was of unknown kind, so its
    log went through the number-or-tag helper with a TODO; its one assignment says it is a number."""
    script = tmp_path / "train.py"
    script.write_text("from azureml.core import Run\n\nrun = Run.get_context()\nfor epoch in range(3):\n"
                      "    loss = 0.5 / (epoch + 1)\n    run.log('loss', loss)\n")
    (tmp_path / "tox.ini").write_text("")
    report = fix(script)
    text = script.read_text()
    assert "    mlflow.log_metric('loss', loss)\n" in text and "_log_v1_value" not in text, report
