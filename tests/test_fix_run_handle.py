"""The submitted run, executed (mapping-extension.md 6): v1 program -> fixer -> real azure-ai-ml
with a recorder for MLClient's service calls, and the real MLflow on a file: store in which
each submitted job is a run that logged what the test seeds (metrics, files, child runs)."""

from __future__ import annotations

import json
import textwrap
import sys
import re
from pathlib import Path

import pytest

from .migrate_helpers import assert_fixed_point, execute, fix, mlflow_store, no_v1, project, ruff_clean, submitted, write_notebook

SEED = {"metrics": {"loss": [0.5, 0.3, 0.2], "auc": [0.9]},
        "artifacts": {"outputs/model.pkl": "weights", "outputs/sub/notes.txt": "notes"}, "children": 2}
HEADER = """\
from azureml.core import Environment, Experiment, Run, ScriptRunConfig, Workspace
from azureml.widgets import RunDetails

ws = Workspace.from_config()
experiment = Experiment(ws, "handle")
env = Environment.get(ws, "sklearn-env", version="3")
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env)
"""


# The job's script: it logs what the programs read back (a run looked up by id is read only where
# a script near the program is seen to log what is read).
TRAIN = """\
from azureml.core import Run

run = Run.get_context()
for loss in (0.5, 0.3, 0.2):
    run.log("loss", loss)
run.log("auc", 0.9)
run.log("mse", 0.1)
"""


def _migrate(tmp_path: Path, body: str, seed: dict | None = None, **env: str) -> tuple[str, list[dict], dict]:
    script = project(tmp_path, HEADER + body)
    (tmp_path / "src" / "train.py").write_text(TRAIN)
    report = fix(script)
    text = script.read_text()
    assert no_v1(text), report
    ruff_clean(script)
    records = execute(script, {**mlflow_store(tmp_path, seed or SEED), **env})
    result = json.loads((tmp_path / "result.json").read_text()) if (tmp_path / "result.json").exists() else {}
    return text, records, result


def test_reads_of_the_run_give_what_v1_gave(tmp_path: Path) -> None:
    text, records, result = _migrate(tmp_path, """\
run = experiment.submit(config, tags={"team": "fraud"})
run.wait_for_completion(show_output=True)
result = {
    "status": run.get_status(),
    "metrics": run.get_metrics(),
    "auc": run.get_metrics(name="auc"),
    "files": sorted(run.get_file_names()),
    "id": run.id,
    "details_status": run.get_details()["status"],
    "details_target": run.get_details()["target"],
    "details_id": run.get_details()["runId"],
    "children": len(list(run.get_children())),
}
import json
with open("result.json", "w") as handle:
    json.dump(result, handle)
""")
    job, = submitted(records)
    assert job["kwargs"] == {"experiment_name": "handle", "tags": {"team": "fraud"}}  # submit(tags=)
    assert "azureml-mlflow" not in text or "_v1_tracking" in text
    # get_metrics: v1's history as a list, a single value as itself; name= picks one
    assert result["metrics"] == {"loss": [0.5, 0.3, 0.2], "auc": 0.9} and result["auc"] == {"auc": 0.9}
    assert result["files"] == ["outputs/model.pkl", "outputs/sub/notes.txt"]  # get_file_names, walked
    assert result["status"] == "Completed" and result["details_status"] == "Completed"
    assert result["details_target"] == "cpu-cluster" and result["id"] == result["details_id"]
    assert result["children"] == 0  # counted: v2 lists jobs, not runs
    operations = [r["operation"] for r in records]
    assert "jobs.stream" in operations  # wait_for_completion(show_output=True)
    assert {"operation": "jobs.list", "parent_job_name": result["id"]} in records  # get_children
    assert text.count("def _v1_tracking(") == 1  # one helper per file, however many calls use it


def test_downloads_follow_v1s_target_rules(tmp_path: Path) -> None:
    _migrate(tmp_path, """\
import os

run = experiment.submit(config)
os.makedirs("models", exist_ok=True)
run.download_file("outputs/model.pkl")
run.download_file("outputs/model.pkl", output_file_path="models")
run.download_file("outputs/sub/notes.txt", output_file_path="renamed.txt")
run.download_files(prefix="outputs", output_directory="all")
run.download_files(prefix="outputs", output_directory="flat", append_prefix=False)
run.download_file("outputs/model.pkl", output_file_path="fresh/dir/model.pkl")
run.download_files(prefix="outputs/sub", append_prefix=False)
run.download_files(prefix="outputs/", output_directory="slash")
""")
    assert (tmp_path / "model.pkl").read_text() == "weights"  # no path: the base name, here
    assert (tmp_path / "models" / "model.pkl").read_text() == "weights"  # an existing folder: inside it
    assert (tmp_path / "renamed.txt").read_text() == "notes"  # else the exact path
    assert (tmp_path / "all" / "outputs" / "sub" / "notes.txt").read_text() == "notes"  # prefix kept
    assert (tmp_path / "flat" / "sub" / "notes.txt").read_text() == "notes"  # append_prefix=False
    assert (tmp_path / "fresh" / "dir" / "model.pkl").read_text() == "weights"  # its folders made, as v1 did
    # without output_directory, append_prefix=False keeps the full path (v1 strips only into a folder given)
    assert (tmp_path / "outputs" / "sub" / "notes.txt").read_text() == "notes"
    assert (tmp_path / "slash" / "outputs" / "model.pkl").read_text() == "weights"  # a prefix with its slash
    assert sorted(p.name for p in (tmp_path / "flat").rglob("*") if p.is_file()) == ["model.pkl", "notes.txt"]


def test_the_experiment_name_of_a_submitted_run(tmp_path: Path) -> None:
    """Audit 2b: ``run.experiment.name`` on the submitting side is the name the job went under, which
    the returned job carries (the in-job MLflow form needs an active run, which is not there)."""
    text, _, result = _migrate(tmp_path, """\
run = experiment.submit(config)
import json
with open("result.json", "w") as handle:
    json.dump({"experiment": run.experiment.name}, handle)
""")
    assert "run.experiment_name" in text and result == {"experiment": "handle"}


def test_a_download_prefix_is_a_folder_as_in_v1(tmp_path: Path) -> None:
    """Audit 2e: v1 read ``prefix="outputs"`` as the folder ``outputs/`` (it appended the slash), so a
    sibling ``outputs2.txt`` or ``outputs_old/`` was never downloaded; the helper matched text."""
    seed = {**SEED, "artifacts": {**SEED["artifacts"], "outputs2.txt": "other", "outputs_old/model.pkl": "stale"}}
    _migrate(tmp_path, """\
run = experiment.submit(config)
run.download_files(prefix="outputs", output_directory="all")
run.download_files(prefix="outputs", output_directory="flat", append_prefix=False)
""", seed)
    assert sorted(str(p.relative_to(tmp_path / "all")) for p in (tmp_path / "all").rglob("*") if p.is_file()) == [
        "outputs/model.pkl", "outputs/sub/notes.txt"]
    assert sorted(str(p.relative_to(tmp_path / "flat")) for p in (tmp_path / "flat").rglob("*") if p.is_file()) == [
        "model.pkl", "sub/notes.txt"]


def test_a_registered_model_path_is_normalised_as_v1_did(tmp_path: Path) -> None:
    """v1 ran os.path.normpath on model_path before it looked the files up: ``./outputs/m.pkl``
    and ``outputs//sub/../m.pkl`` name ``outputs/m.pkl`` among the job's outputs."""
    text, records, _ = _migrate(tmp_path, """\
run = experiment.submit(config)
path = "outputs//sub/../model.pkl"
first = run.register_model(model_name="dotted", model_path="./outputs/model.pkl")
second = run.register_model(model_name="computed", model_path=path)
print(first.name, second.name)
""")
    paths = [r["model"]["path"] for r in records if r["operation"] == "models.create_or_update"]
    assert len(paths) == 2 and paths[0] == paths[1]
    assert re.fullmatch(r"//jobs/[\w-]+/outputs/artifacts/paths/outputs/model\.pkl", paths[0])
    assert "posixpath.normpath(path)" in text and "paths/./" not in text


@pytest.mark.parametrize("widget", ["RunDetails(run)", "RunDetails(run_instance=run)"])  # audit w: the keyword form
def test_register_model_cancel_and_the_widget(tmp_path: Path, widget: str) -> None:
    text, records, _ = _migrate(tmp_path, """\
run = experiment.submit(config)
""" + widget + """.show()
model = run.register_model(model_name="fraud", model_path="outputs/model.pkl", tags={"auc": "0.9"},
                           model_framework="ScikitLearn")
print(model.name, model.version)
print(model.id)
run.cancel()
""")
    assert 'print(f"{model.name}:{model.version}")' in text  # v1's id; v2's is the ARM resource id
    job_name = next(r["name"] for r in records if r["operation"] == "jobs.begin_cancel")
    registered = next(r for r in records if r["operation"] == "models.create_or_update")
    assert registered["rest_error"] is None
    model = registered["model"]
    assert model["name"] == "fraud" and model["type"] == "custom_model" and model["tags"] == {"auc": "0.9"}
    assert model["path"] == f"//jobs/{job_name}/outputs/artifacts/paths/outputs/model.pkl"  # "azureml:" stripped
    # RunDetails(run).show() (D+T): the studio link, with one TODO
    assert "print(run.studio_url)" in text
    assert text.count("# TODO(azureml-v2): AML090") == 1


def test_wait_without_output_polls_and_raises_only_on_failure(tmp_path: Path) -> None:
    program = """\
run = experiment.submit(config)
try:
    run.wait_for_completion()
except RuntimeError as error:
    print("raised", error)
run.wait_for_completion(show_output=False, raise_on_error=False)
print("waited")
"""
    script = project(tmp_path, HEADER + program)
    fix(script)
    text = script.read_text()
    assert "_v1_wait(ml_client, run.name)" in text and "_v1_wait(ml_client, run.name, raise_on_error=False)" in text
    records = execute(script, {**mlflow_store(tmp_path, {}), "AML_JOB_STATUS": "Failed"})
    gets = [r for r in records if r["operation"] == "jobs.get"]
    assert len(gets) == 2  # each wait polled once: the job had ended


def test_a_wait_stops_where_v1_s_did_at_finalizing_unless_it_waited_for_post_processing(tmp_path: Path) -> None:
    """v1's wait_for_completion() returned once the run was Finalizing (or CancelRequested), and
    waited on through them only with wait_post_processing=True."""
    program = """\
run = experiment.submit(config)
run.wait_for_completion()
print("waited")
if False:
    run.wait_for_completion(wait_post_processing=True)
"""
    script = project(tmp_path, HEADER + program)
    fix(script)
    text = script.read_text()
    assert "_v1_wait(ml_client, run.name)\n" in text and "_v1_wait(ml_client, run.name, post_processing=True)" in text
    records = execute(script, {**mlflow_store(tmp_path, {}), "AML_JOB_STATUS": "Finalizing"})
    assert len([r for r in records if r["operation"] == "jobs.get"]) == 1  # stopped at Finalizing, as v1 did


def test_details_shown_whole_and_times_get_their_todo(tmp_path: Path) -> None:
    """The start time comes from the workspace's MLflow store, not from whatever store this
    machine's MLflow points at (audit 59w: the read failed with "Run not found")."""
    elsewhere = (tmp_path / "local-mlruns").as_uri()
    text, _, result = _migrate(tmp_path, """\
run = experiment.submit(config)
run.get_details()
details = run.get_details()
result = {"start": details["startTimeUtc"], "status": details["status"]}
import json
with open("result.json", "w") as handle:
    json.dump(result, handle)
""", MLFLOW_TRACKING_URI=elsewhere)
    assert text.count("# TODO(azureml-v2): AML047") == 2  # the shown entity, the time's unit
    assert "_v1_tracking(ml_client).get_run(details.name).info.start_time" in text
    assert isinstance(result["start"], int) and result["status"] == "Completed"


def test_runs_looked_up_and_listed_from_the_experiment(tmp_path: Path) -> None:
    text, records, result = _migrate(tmp_path, """\
run = experiment.submit(config)
best, best_loss = None, None
for past in experiment.get_runs():
    loss = past.get_metrics()["loss"][-1]
    if best_loss is None or loss < best_loss:
        best, best_loss = past.get_details()["runId"], loss
again = Run(experiment, best)
result = {"best": best, "loss": best_loss, "status": again.get_status(), "same": best == run.id}
import json
with open("result.json", "w") as handle:
    json.dump(result, handle)
""")
    assert "for past in _v1_get_runs(ml_client, \"handle\"):" in text
    # get_runs() leaves the two child runs out, as v1's include_children=False did
    assert result == {"best": result["best"], "loss": 0.2, "status": "Completed", "same": True}
    assert {"operation": "jobs.get", "name": result["best"]} in records  # Run(experiment, id)


def test_start_logging_is_an_mlflow_run_in_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = """\
from azureml.core import Experiment, Workspace

ws = Workspace.from_config()
experiment = Experiment(workspace=ws, name="interactive")
run = experiment.start_logging()
run.log("accuracy", 0.75)
os.makedirs("outputs", exist_ok=True)
with open("outputs/notes.txt", "w") as handle:
    handle.write("done")
run.complete()
import json
with open("result.json", "w") as handle:
    json.dump({"id": run.id}, handle)
"""
    script = project(tmp_path, "import os\n\n" + program)
    fix(script)
    text = script.read_text()
    assert no_v1(text) and "_v1_start_logging(ml_client, \"interactive\")" in text
    assert text.count("# TODO(azureml-v2): AML040") == 1  # v1's snapshot of the folder (D+T)
    ruff_clean(script)
    store = mlflow_store(tmp_path)
    execute(script, store)
    import mlflow

    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    client = mlflow.tracking.MlflowClient(store["AML_MLFLOW_URI"])
    run_id = json.loads((tmp_path / "result.json").read_text())["id"]
    logged = client.get_run(run_id)
    assert client.get_experiment(logged.info.experiment_id).name == "interactive"
    assert logged.data.metrics == {"accuracy": 0.75} and logged.info.status == "FINISHED"
    assert [a.path for a in client.list_artifacts(run_id, "outputs")] == ["outputs/notes.txt"]


@pytest.mark.parametrize(("arguments", "todo"), [
    ("", "snapshotted the current folder into the run; MLflow has no snapshot"),
    ("snapshot_directory='src'", "snapshotted the folder 'src' into the run; MLflow has no snapshot"),
    ("snapshot_directory=None", None),  # v1 took a snapshot only of a folder it was given
    ("snapshot_directory=''", None),
])
def test_the_start_logging_todo_says_what_v1_snapshotted(tmp_path: Path, arguments: str, todo: str | None) -> None:
    script = project(tmp_path, f"""\
from azureml.core import Experiment, Workspace

ws = Workspace.from_config()
experiment = Experiment(workspace=ws, name="interactive")
run = experiment.start_logging({arguments})
run.log("accuracy", 0.75)
""")
    fix(script)
    text = script.read_text()
    assert "_v1_start_logging(ml_client, \"interactive\")" in text
    if todo is None:
        assert "# TODO(azureml-v2): AML040" not in text
    else:
        assert text.count(f"# TODO(azureml-v2): AML040 v1's start_logging() also {todo}\n") == 1
    fix(script)
    assert script.read_text() == text


def test_a_helper_never_relies_on_an_import_made_after_its_first_call(tmp_path: Path) -> None:
    """``run.complete()`` becomes a helper that reads ``os``; the program imports ``os`` only
    further down (a later notebook cell), after the call, so the helper gets an import of its own."""
    program = """\
from azureml.core import Experiment, Workspace

ws = Workspace.from_config()
experiment = Experiment(workspace=ws, name="interactive")
run = experiment.start_logging()
run.log("accuracy", 0.75)
run.complete()
import os
print(os.sep)
"""
    script = project(tmp_path, program)
    fix(script)
    text = script.read_text()
    assert "_v1_complete()" in text and "import os as os_v2" in text
    assert text.index("import os as os_v2") < text.index("def _v1_complete")
    ruff_clean(script)
    execute(script, mlflow_store(tmp_path))  # no NameError: the helper's os is bound before the call


@pytest.mark.parametrize("flag", ["show_output=True", "tags={'a': 'b'}"])
def test_submit_keywords(tmp_path: Path, flag: str) -> None:
    script = project(tmp_path, HEADER + f"run = experiment.submit(config, {flag})\n")
    report = fix(script)
    if flag.startswith("show_output"):
        # only an AutoML submit takes show_output; v1 itself raises TypeError for a ScriptRunConfig
        assert "AML001 left: submit(show_output=...) only exists for AutoML" in report
    else:
        assert "tags={'a': 'b'}" in script.read_text() and "AML001 fixed" in report


def test_a_call_on_a_run_left_v1_says_why_the_run_stays() -> None:
    """``run.wait_for_completion()`` has no fix of its own: it is rewritten with the submit
    that made ``run``.  When that submit stays v1, the call says so, and why, instead of
    claiming the rule has no fix; what no rewrite can fix stays reported as such."""
    from flake8_azureml_v2.api import fix_text
    from flake8_azureml_v2.engine.findings import RefusalKind, render_lines

    text = ('from azureml.core import Experiment, ScriptRunConfig, Workspace\n'
            'from azureml.widgets import RunDetails\n'
            'ws = Workspace.from_config()\n'
            'exp = Experiment(ws, "e")\n'
            'src = ScriptRunConfig(source_directory=".", script="train.py", compute_target="cpu")\n'
            'run = exp.submit(src, run_id="fixed-id")\n'
            'RunDetails(run).show()\n'
            'run.wait_for_completion(show_output=True)\n'
            'print(run.experiment)\n')
    outcome = fix_text(text, unsafe=True)
    left = {item.finding.code: item.refusal for item in outcome.left}
    assert "run_id=" in left["AML001"].detail
    for code in ("AML041", "AML090"):  # a method on the run, and a widget given the run
        assert left[code].kind is RefusalKind.BLOCKED, left[code]
        detail = render_lines(left[code].detail, lambda line: line)
        assert detail == "depends on line 6: submit() with run_id=: migrate it by hand", detail
        assert left[code].related == (6,)
    # run.experiment: no rewrite, whatever the run does (the reference gives none; it does not rule one out)
    assert left["AML035"].kind is RefusalKind.NOT_YET
    assert left["AML035"].detail.startswith("no automatic fix; migrate it by hand: run.experiment is Azure ML SDK v1")


def test_an_interactive_run_is_not_asked_about_as_a_job(tmp_path: Path) -> None:
    """start_logging() becomes an MLflow run in the workspace, which is no job: its get_status()
    has no ml_client.jobs form, so the run stays v1."""
    script = project(tmp_path, """\
from azureml.core import Experiment, Workspace

ws = Workspace.from_config()
experiment = Experiment(workspace=ws, name="interactive")
run = experiment.start_logging()
run.log("accuracy", 0.75)
print(run.get_status())
run.complete()
""")
    report = fix(script)
    assert "`run` is also used at line 7 (`run.get_status()`)" in report, report
    assert "ml_client.jobs.get(" not in script.read_text() and "experiment.start_logging()" in script.read_text()


def test_a_registration_v1_reads_back_keeps_the_run_and_says_why(tmp_path: Path) -> None:
    """run.register_model() of a model that a v1 script next to it reads with Model.get_model_path
    stays v1 (v1 cannot use a v2-registered model), so the run and its submit stay too, and the
    submit's line names the reader."""
    script = project(tmp_path, HEADER + 'run = experiment.submit(config)\nrun.wait_for_completion()\n'
                                        'model = run.register_model(model_name="churn", model_path="outputs/model.pkl")\n'
                                        "print(model.name)\n")
    (tmp_path / "batch.py").write_text('from azureml.core import Model\n\npath = Model.get_model_path("churn")\n')
    report = fix(script)
    assert 'which this fix cannot translate (batch.py:3 (`get_model_path("churn"`) reads the model with v1' in report, report
    assert "experiment.submit(config)" in script.read_text()
    # the registration itself says so too, not that it has no sound rewrite
    assert ('AML036 left: batch.py:3 (`get_model_path("churn"`) reads the model with v1, which cannot use a model '
            "registered with v2: migrate that reader first [data-flow limit]") in report, report


def test_tags_set_later_are_folded_into_the_submit_only_right_after_it(tmp_path: Path) -> None:
    """run.set_tags(d) right after the submit is submit(tags=d).  Set under a condition, or after
    the dict changed, folding it would tag every job, or with the old dict: it is not folded."""
    folded = project(tmp_path, HEADER + 'run = experiment.submit(config)\nrun.set_tags({"team": "fraud"})\n')
    fix(folded)
    assert 'experiment_name="handle", tags={"team": "fraud"})' in folded.read_text()
    (tmp_path / "later").mkdir()
    later = project(tmp_path / "later", HEADER + 'tags = {"team": "fraud"}\nrun = experiment.submit(config)\n'
                                                 'run.wait_for_completion(show_output=True, raise_on_error=False)\n'
                                                 'if run.get_status() == "Completed":\n    run.set_tags(tags)\n')
    fix(later)
    assert "tags=tags" not in later.read_text() and "run.set_tags(tags)" in later.read_text()


def test_a_loop_over_the_children_lists_the_child_jobs(tmp_path: Path) -> None:
    """mapping-extension 6: get_children() -> ml_client.jobs.list(parent_job_name=...), BP; each
    child is a job whose name is its run id (audit, stop 63, a M1: such a loop kept the submit v1)."""
    script = project(tmp_path, HEADER + "run = experiment.submit(config)\nfor child in run.get_children():\n"
                                        "    print(child.id, child.get_metrics())\n")
    fix(script)
    text = script.read_text()
    assert "for child in ml_client.jobs.list(parent_job_name=run.name):" in text, text
    assert "print(child.name, _v1_get_metrics(ml_client, child.name))" in text, text
    listed = [r for r in execute(script) if r["operation"] == "jobs.list"]
    assert len(listed) == 1 and listed[0]["parent_job_name"], listed  # the submitted job's name
    assert_fixed_point(script)


@pytest.mark.parametrize(("body", "said"), [
    ("for child in run.get_children():\n    print(child.name)\n", "the child run `child` is read at line 9 "
     "(`child.name`), which has no v2 form on the child job"),
    ("children = list(run.get_children())\nprint(children[0].id)\n",
     "only their count, or a plain `for child in ...` loop, maps"),
    # a pipeline's step job cannot be streamed (review, stop 63)
    ("for child in run.get_children():\n    child.wait_for_completion(show_output=True)\n",
     "the child run `child` is waited for at line 9"),
])
def test_children_read_as_v1_runs_keep_the_submit_v1(tmp_path: Path, body: str, said: str) -> None:
    """v1's step run name is the step's; a list of children is indexed as v1 runs."""
    script = project(tmp_path, HEADER + "run = experiment.submit(config)\n" + body)
    report = fix(script)
    text = script.read_text()
    assert "run.get_children()" in text and "experiment.submit(config)" in text
    assert said in report, report


def test_a_started_run_that_logs_after_its_complete_is_left(tmp_path: Path) -> None:
    """Found on microsoft/MLOps (predictive_maintenance/3_model_building.ipynb): metrics, then
    run.complete(), then a figure and a second complete().  In v1 the figure joins the same run;
    after mlflow.end_run() MLflow would log it to a new run.  The run is left, with the reason."""
    script = project(tmp_path, """\
from azureml.core import Experiment, Workspace

ws = Workspace.from_config()
experiment = Experiment(workspace=ws, name="interactive")
run = experiment.start_logging()
run.log("f1", 0.75)
run.complete()
run.log("late", 1.0)
run.complete()
""")
    before = script.read_text()
    report = fix(script)
    left = [line for line in report.splitlines() if " AML031 left: " in line]
    assert len(left) == 2, report
    assert "`run` is used again at line 8, after this complete()" in left[0], left[0]
    assert "AML040 left: depends on line 7: " in report, report
    assert script.read_text() == before


def test_an_experiment_nothing_uses_stays_since_v1_made_it_in_the_workspace(tmp_path: Path) -> None:
    """Audit 38 (DP-100's experiments.ipynb): v1's Experiment(ws, name) makes the experiment in the
    workspace; with no job of the program naming it, v2 would never make it, so it stays."""
    program = """\
from azureml.core import Dataset, Experiment, Workspace

ws = Workspace.from_config()
exp = Experiment(workspace=ws, name="titanic-local")

dataset = Dataset.get_by_name(ws, "titanic")
print(dataset.to_pandas_dataframe().head())
"""
    script = project(tmp_path, program)
    report = fix(script)
    assert script.read_text() == program, report
    assert ("job.py:4:7: AML040 left: Experiment(...) makes the experiment in the workspace, and no job or run of "
            "this program is in it: v2 makes an experiment only when a job names it") in report, report
    named = project(tmp_path, program.replace('print(', 'print(exp.name, '), "named.py")
    report = fix(named)
    assert "named.py:4:7: AML040 left: Experiment(...) makes the experiment" in report, report


def test_an_unused_experiment_goes_when_a_later_one_of_the_same_name_submits(tmp_path: Path) -> None:
    """A notebook makes the experiment again before it submits: that one's job makes it in v2, so the
    first, unused, goes, and the workspace other v1 code keeps gets no MLClient that nothing would use."""
    script = project(tmp_path, HEADER.replace('experiment = Experiment(ws, "handle")',
                                              'first = Experiment(ws, "handle")\nexperiment = Experiment(ws, "handle")')
                     + "run = experiment.submit(config)\n")
    report = fix(script)
    text = script.read_text()
    assert "AML040 fixed: removed the unused Experiment(): v2 makes an experiment when a job names it" in report
    assert "first = " not in text and "experiment_name=\"handle\"" in text, text


def test_a_notebook_that_connects_again_later_still_submits_its_job(tmp_path: Path) -> None:
    """A later section connects again (``ws = Workspace.from_config()``): at the submit, ``ws``
    still holds the first connection, so the job moves, and so does the later cell."""
    from .test_notebook_cells import notebook, sources

    path = tmp_path / "nb.ipynb"
    (tmp_path / "config.json").write_text("{}")
    path.write_text(notebook(
        "from azureml.core import Workspace, ScriptRunConfig\n\nws = Workspace.from_config()\n"
        "src = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu-cluster')",
        "from azureml.core import Experiment\nexperiment = Experiment(ws, 'demo')\nrun = experiment.submit(src)\n"
        "run.wait_for_completion(show_output=True)",
        "# a later section connects again\nfrom azureml.core import Workspace\nws = Workspace.from_config()\nprint(ws.name)"))
    report = fix(path)
    cells = sources(path)
    assert "run = ws.jobs.create_or_update(src, experiment_name='demo')" in cells[1], report
    assert cells[2].endswith("ws = MLClient.from_config(DefaultAzureCredential())\nprint(ws.workspace_name)"), cells[2]
    assert fix(path).count("fixed") == 0


def test_an_experiment_read_only_for_its_name_needs_no_client(tmp_path: Path) -> None:
    """``exp.name`` is the literal it was made with: the Experiment goes, the v1 pipeline
    submit that stays reads the name, and no MLClient (unused in the function) is made."""
    script = project(tmp_path, """\
from azureml.core import Workspace
from azureml.core.experiment import Experiment
from azureml.pipeline.core.pipeline import Pipeline
from azureml.pipeline.steps import PythonScriptStep


def main():
    ws = Workspace.get(name="my_ws", subscription_id="111", resource_group="my_rg")
    step = PythonScriptStep(name="clean", script_name=str("clean.py"), source_directory=".", compute_target="cpu")
    exp = Experiment(workspace=ws, name="my_experiment")
    pipeline = Pipeline(ws, steps=[step])
    run = pipeline.submit(experiment_name=exp.name)
    run.wait_for_completion(raise_on_error=True)
""")
    report = fix(script)
    text = script.read_text()
    assert "AML040 fixed" in report and 'pipeline.submit(experiment_name="my_experiment")' in text, report
    assert "MLClient" not in text and "local variable" not in report, report


def test_a_run_looked_up_in_a_migrated_experiment_is_the_job(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Experiment, Run, Workspace

ws = Workspace.from_config()
experiment = Experiment(ws, "handle")
again = Run(experiment, "abc")
print(again.get_status())
""")
    report = fix(script)
    assert "job.py:5:9: AML084 fixed: run looked up by id -> ml_client.jobs.get(run_id)" in report, report
    assert 'again = ml_client.jobs.get("abc")\n' in script.read_text()  # (executed with a real id above)


def test_a_run_looked_up_in_an_experiment_that_stays_is_the_job(tmp_path: Path) -> None:
    """The experiment stays for v1 code the fix cannot take (archive()); the lookup only reads
    its workspace, so it moves to ml_client beside the workspace, and its reads with it."""
    script = project(tmp_path, """\
from azureml.core import Experiment, Run, Workspace

ws = Workspace.from_config()
experiment = Experiment(ws, "handle")
again = Run(experiment, "abc")
status = again.get_status()
experiment.archive()
import json
with open("result.json", "w") as handle:
    json.dump({"status": status}, handle)
""")
    report = fix(script)
    text = script.read_text()
    assert "job.py:5:9: AML084 fixed: run looked up by id -> ml_client.jobs.get(run_id)" in report, report
    assert "AML040 left" in report and 'experiment = Experiment(ws, "handle")\n' in text, report
    assert 'again = ml_client.jobs.get("abc")\nstatus = ml_client.jobs.get(again.name).status\n' in text, text
    assert "experiment.archive()" in text and "ws = Workspace.from_config()" in text
    ruff_clean(script)
    again = script.read_text()
    fix(script)
    assert script.read_text() == again


def test_a_pipeline_run_looked_up_by_id_with_the_experiment_from_the_workspace(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Workspace
from azureml.pipeline.core import PipelineRun

ws = Workspace.from_config()
run_id = "abc"
pipeline_run = PipelineRun(ws.experiments["nightly"], run_id)
pipeline_run.wait_for_completion(show_output=True)
""")
    report = fix(script)
    text = script.read_text()
    assert "pipeline_run = ml_client.jobs.get(run_id)\nml_client.jobs.stream(pipeline_run.name)\n" in text, report
    assert no_v1(text), text
    ruff_clean(script)
    records = execute(script, {**mlflow_store(tmp_path, {}), "AML_EXISTING_JOBS": "abc"})
    assert records[-2:] == [{"operation": "jobs.get", "name": "abc"}, {"operation": "jobs.stream", "name": "abc"}]


def test_run_get_from_the_workspace_and_a_lookup_whose_use_stays(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Run, Workspace

ws = Workspace.from_config()
run = Run.get(ws, "abc")
print(run.get_status())
kept = Run.get(ws, "def")
kept.restore_snapshot()
""")
    report = fix(script)
    text = script.read_text()
    assert 'run = ml_client.jobs.get("abc")\nprint(ml_client.jobs.get(run.name).status)\n' in text, text
    assert 'kept = Run.get(ws, "def")\nkept.restore_snapshot()\n' in text
    # (left findings are placed in the file as written: the two new imports moved them down)
    assert ("job.py:9:8: AML084 left: `kept` is also used at line 10 (`kept.restore_snapshot()`), which this fix "
            "cannot translate") in report, report


TABLE_LAUNCHER = """\
from azureml.core import Workspace, Experiment
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
est = Estimator(source_directory="src", entry_script="train.py", compute_target="cpu-cluster",
                pip_packages=["lightgbm"])
run = Experiment(ws, "exp").submit(est)
run.wait_for_completion(show_output=True)
metrics = run.get_metrics()
print(metrics["mse"], metrics[{key!r}])
"""
TABLE_SCRIPT = """\
from azureml.core import Run

run = Run.get_context()
run.log_row("table", epoch=1, loss=0.5)
run.log("mse", 0.1)
run.log("alpha", 0.3)
"""


@pytest.mark.parametrize(("key", "migrated"), [("table", False), ("alpha", True)])
def test_metrics_read_back_stay_v1_where_the_script_logs_them_as_a_table(tmp_path: Path, key: str,
                                                                          migrated: bool) -> None:
    """v1's get_metrics() returned the table ``run.log_row`` logged; MLflow's metrics hold numbers only,
    so a reader of that table keeps v1 (audit 36). One that reads only numbers, by key, moves."""
    launcher = project(tmp_path, TABLE_LAUNCHER.format(key=key))
    (tmp_path / "src" / "train.py").write_text(TABLE_SCRIPT)
    report = fix(launcher)
    text = launcher.read_text()
    assert ("metrics = _v1_get_metrics(ml_client, run.name)" in text) is migrated, report
    if not migrated:
        assert "AML001 left: `run` is also used at line 9 (`run.get_metrics()`)" in report, report
        assert text == TABLE_LAUNCHER.format(key=key)
    fix(launcher)
    assert launcher.read_text() == text


TWO_JOBS = """\
from azureml.core import Workspace, Experiment, ScriptRunConfig

ws = Workspace.from_config()
explore = ScriptRunConfig(source_directory="src", script="explore.py", compute_target="cpu-cluster")
explored = Experiment(ws, "explore").submit(explore)
train = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster")
trained = Experiment(ws, "train").submit(train)
trained.wait_for_completion()
print(explored.get_metrics())
print(trained.get_metrics())
"""


def test_metrics_read_back_are_judged_by_the_script_of_the_run_they_come_from(tmp_path: Path) -> None:
    """Two jobs, one program: explore.py logs a table, train.py numbers.  The whole-dict reader of
    explore.py's run keeps it v1; the one of train.py's run moves, as the table was never among
    its metrics (it was held v1 too while any script of the program counted)."""
    launcher = project(tmp_path, TWO_JOBS)
    (tmp_path / "src" / "explore.py").write_text(TABLE_SCRIPT)
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\n\nrun = Run.get_context()\n"
                                                "run.log('mse', 0.1)\n")
    report = fix(launcher)
    text = launcher.read_text()
    assert "print(explored.get_metrics())" in text and 'explored = Experiment(ws, "explore").submit(explore)' in text
    assert "print(_v1_get_metrics(ml_client, trained.name))" in text, report
    assert ("(`explored.get_metrics()`), which this fix cannot translate (explore.py "
            "logs 'table' as a table with `log_row` (its line 4), and the result is read other than by literal key"
            ) in report, report
    fix(launcher)
    assert launcher.read_text() == text


EVALUATE = """\
from azureml.core import Workspace, Experiment, Run

ws = Workspace.from_config()
exp = Experiment(workspace=ws, name="train")
try:
    production_run = Run(exp, run_id="prod-run")
    new_run = Run(exp, run_id="new-run")
    promote = new_run.get_metrics().get("mse") < production_run.get_metrics().get("mse")
{handler}
    promote = True
print("promote:", promote)
"""


@pytest.mark.parametrize(("handler", "clause"), [
    ("except:", "except"), ("except Exception:", "except Exception"), ("except BaseException as error:",
                                                                       "except BaseException"),
])
def test_metrics_read_inside_a_catch_all_try_stay_v1(tmp_path: Path, handler: str, clause: str) -> None:
    """Audit 38 (ADO-for-AI's 15-EvaluateModel.py): MLflow reads the workspace through the
    azureml-mlflow plugin, which no import shows. Inside ``try:`` with a handler that catches
    everything, a machine without it would take the handler's path (promote the new model) and
    say nothing, so the reads stay v1, with the reason."""
    script = project(tmp_path, EVALUATE.format(handler=handler))
    (tmp_path / "src" / "train.py").write_text(TRAIN)
    before = script.read_text()
    report = fix(script)
    assert script.read_text() == before, report
    assert (f"it runs inside `try:` with `{clause}` (line 9), which would also catch the new code failing for "
            "want of azureml-mlflow where this runs (MLflow reaches the workspace through it), and go on as if "
            "the old call had failed") in report, report


def test_metrics_read_under_a_handler_of_named_errors_still_move(tmp_path: Path) -> None:
    """A handler that names the errors it expects lets a missing plugin's error through: the read moves."""
    script = project(tmp_path, EVALUATE.format(handler="except KeyError:"))
    (tmp_path / "src" / "train.py").write_text(TRAIN)
    report, text = _fixed_twice(script)
    assert '_v1_get_metrics(ml_client, new_run.name).get("mse")' in text, report
    # the experiment only said where v1 looked the runs up: its name goes nowhere, and the report
    # says so instead of naming an experiment_name= that nothing holds (audit i)
    assert "exp = " not in text and 'name="train"' not in text, text
    assert "AML040 fixed: Experiment() removed: v2 gets a run by its id alone (ml_client.jobs.get), without it" \
        in report, report


def _fixed_twice(script: Path) -> tuple[str, str]:
    """The first fix's report and text; a second run changes nothing."""
    report = fix(script)
    text = script.read_text()
    fix(script)
    assert script.read_text() == text
    return report, text


LOOKED_UP_READ = """\
from azureml.core import Experiment, Run, Workspace

ws = Workspace.from_config()
{logs}run = Run.get(ws, "{run_id}")
metrics = run.get_metrics()
print(metrics["total_tokens"], metrics["model_name"])
"""


@pytest.mark.parametrize(("logs", "run_id", "reason"), [
    # the run of a registered component: nothing of this project logs to it (review 88,
    # qa_data_generation.ipynb: the model's name, a string, was read back)
    ("", "qa-step-run", "it reads 'model_name', which nothing near this program logs, so what the run holds "
                        "under it is not known; MLflow's metrics hold floats only"),
    # this program's own interactive run, which logs a string
    ('session = Experiment(ws, "e").start_logging()\nsession.log("total_tokens", 12)\n'
     'session.log("model_name", "gpt-35-turbo")\nsession.complete()\n', "{session.id}",
     "it reads 'model_name', which job.py logs as a string (its line 6); MLflow's metrics hold floats only"),
])
def test_a_run_looked_up_by_id_is_read_back_only_where_what_it_logged_is_known(
        tmp_path: Path, logs: str, run_id: str, reason: str) -> None:
    """MLflow's metrics hold floats only: a looked-up run's metrics move to MLflow only where a script
    near the program is seen to log what is read, and logs no string or table under it."""
    source = LOOKED_UP_READ.format(logs=logs, run_id=run_id).replace('"{session.id}"', "session.id")
    report, text = _fixed_twice(project(tmp_path, source))
    assert source[source.index("run = Run.get"):] in text, report  # the lookup and its reader stay v1
    assert f"`run` is also used at line {source.count(chr(10)) - 1} (`run.get_metrics()`), which this fix cannot " \
           f"translate ({reason})" in report, report


def test_a_run_looked_up_by_id_whose_reads_a_script_near_it_logs_moves(tmp_path: Path) -> None:
    script = project(tmp_path, LOOKED_UP_READ.format(logs="", run_id="train-run").replace(
        ', metrics["model_name"]', ', metrics["loss"]').replace("total_tokens", "auc"))
    (tmp_path / "src" / "train.py").write_text(TRAIN)
    report, text = _fixed_twice(script)
    assert "metrics = _v1_get_metrics(ml_client, run.name)\n" in text, report


def test_a_new_import_from_a_package_the_notebook_installs_goes_beside_its_own_import(tmp_path: Path) -> None:
    """The notebook installs MLflow in cell 3 and imports it in cell 4 (review 88: mslearn's
    01-Getting_Started): the helper's ``from mlflow.tracking import MlflowClient`` goes beside that
    import, not into cell 1, where MLflow may not be installed yet."""
    project(tmp_path, "")
    (tmp_path / "src" / "train.py").write_text(TRAIN)
    sources = [
        "import azureml.core\nfrom azureml.core import Experiment, ScriptRunConfig, Workspace\nws = Workspace.from_config()\n",
        "print(ws.name)\n",
        "!pip install --upgrade mlflow azureml-mlflow\n",
        "import mlflow\nprint(mlflow.__version__)\n",
        "config = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu-cluster')\n"
        "run = Experiment(workspace=ws, name='exp').submit(config=config)\nrun.wait_for_completion(show_output=True)\n",
        "metrics = run.get_metrics()\nprint(metrics['auc'])\n",
    ]
    notebook = write_notebook(tmp_path / "start.ipynb", sources)
    report = fix(notebook)
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    assert "mlflow" not in cells[0] and "_v1_get_metrics(" in cells[5], (cells, report)
    assert cells[2] == sources[2]
    assert cells[3].startswith("import mlflow\nfrom mlflow.tracking import MlflowClient\n"), cells
    text = notebook.read_text()
    fix(notebook)
    assert notebook.read_text() == text


@pytest.mark.parametrize(("neighbour", "moves"), [
    # a logarithm, a logger, and a comment are no run's logging: the reads stay unknown (review 88, second round)
    ("import numpy as np\nfeatures = np.log(2.0)\n", False),
    ("import logging\nlogger = logging.getLogger()\nlogger.log(logging.INFO, 'ready')\n", False),
    ("# run.log_image(name, path='./plot.png') shows a plot\n", False),
    # MLflow's own functions, imported bare, and autolog (floats, under names MLflow chooses)
    ("from mlflow import log_metric\nlog_metric('auc', 0.9)\nlog_metric('loss', 0.1)\n", True),
    ("import mlflow\nmlflow.sklearn.autolog()\n", True),
    # a v1 run held in a variable named like a logger still logs a string (review 88, third round)
    ("import mlflow\nfrom azureml.core import Run\nmlflow.autolog()\nlogger = Run.get_context()\n"
     "logger.log('loss', 'converged')\n", False),
])
def test_what_counts_as_logging_the_keys_a_looked_up_run_is_read_by(tmp_path: Path, neighbour: str, moves: bool) -> None:
    script = project(tmp_path, LOOKED_UP_READ.format(logs="", run_id="train-run").replace(
        ', metrics["model_name"]', ', metrics["loss"]').replace("total_tokens", "auc"))
    (tmp_path / "src" / "train.py").write_text(neighbour)
    report, text = _fixed_twice(script)
    assert ("metrics = _v1_get_metrics(ml_client, run.name)\n" in text) is moves, report
    assert ("which nothing near this program logs" in report or "which train.py logs as a string" in report) is not moves, report


def test_a_notebook_that_logs_what_it_reads_back_is_named_by_its_cell(tmp_path: Path) -> None:
    project(tmp_path, "")
    sources = ["from azureml.core import Experiment, Run, Workspace\nws = Workspace.from_config()\n",
               "session = Experiment(ws, 'e').start_logging()\nsession.log('model', 'xgboost')\nsession.complete()\n",
               "fetched = Run.get(ws, session.id)\nprint(fetched.get_metrics()['model'])\n"]
    notebook = write_notebook(tmp_path / "interactive.ipynb", sources)
    report = fix(notebook)
    assert "it reads 'model', which interactive.ipynb logs as a string (its cell 2:2)" in report, report


def test_a_function_of_the_programs_own_named_like_a_helper_keeps_the_job_v1_and_says_so(tmp_path: Path) -> None:
    """The new code would call the program's own ``_v1_wait``: the job stays v1 with a reason that
    names that function (it used to say only that the call's arguments did not bind)."""
    program = """\
def _v1_wait(seconds):
    return seconds


run = experiment.submit(config)
run.wait_for_completion()
print(_v1_wait(3))
"""
    script = project(tmp_path, HEADER + program)
    report = fix(script)
    assert "run = experiment.submit(config)\nrun.wait_for_completion()\n" in script.read_text(), report
    assert ("AML041 left: the program has its own `_v1_wait` (line 7), the name of a helper the new code calls: "
            "rename it, and this migrates") in report, report
    script.write_text((HEADER + program).replace("_v1_wait", "wait_a_little"))
    report = fix(script)
    assert "AML041 fixed" in report and "_v1_wait(ml_client, run.name)" in script.read_text(), report


def test_helpers_an_earlier_run_wrote_serve_a_later_run_s_rewrites(tmp_path: Path) -> None:
    """A first run migrates one job and writes its helpers; a second, once the other job's blocker
    is gone, migrates that job with the same helpers: they are the fix's own, not a name clash."""
    program = """\
run = experiment.submit(config)
run.wait_for_completion()
other = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
print(other.run_config.target)
second = experiment.submit(other)
second.wait_for_completion()
"""
    script = project(tmp_path, HEADER + program)
    report = fix(script)
    first = script.read_text()
    assert first.count("def _v1_wait(") == 1 and "AML002 left" in report, report
    script.write_text(first.replace("print(other.run_config.target)\n", ""))
    report = fix(script)
    text = script.read_text()
    assert "AML002 fixed" in report and no_v1(text), report
    assert text.count("def _v1_wait(") == 1 and text.count("V1_DEFAULT_ENVIRONMENT = ") == 1, text
    assert "_v1_wait(ml_client, second.name)" in text
    ruff_clean(script)
    assert len(submitted(execute(script, mlflow_store(tmp_path, {})))) == 2


def test_a_registration_left_for_a_v1_deployment_is_not_called_impossible(tmp_path: Path) -> None:
    """The reference classes the submitting side's register_model behaviour-preserving: left because
    a v1 deployment takes the model, it is not said to have no sound rewrite (held-out audit f)."""
    program = """\
from azureml.core.webservice import AciWebservice, Webservice
run = experiment.submit(config)
model = run.register_model(model_name="unet", model_path="outputs/model.h5")
service = Webservice.deploy_from_model(workspace=ws, name="unet", models=[model],
                                       deployment_config=AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1))
"""
    script = project(tmp_path, HEADER + program)
    report = fix(script)
    line = next(line for line in report.splitlines() if "AML036 left" in line)
    assert line.endswith("[not yet supported]") and "no sound automatic rewrite" not in line, line


@pytest.mark.parametrize(("program", "name"), [
    # a parameter or a local of the function that waits
    ("def main(_v1_wait=3):\n    run = experiment.submit(config)\n    run.wait_for_completion()\n\n\nmain()\n", "_v1_wait"),
    ("def main():\n    _v1_wait = 3\n    run = experiment.submit(config)\n    run.wait_for_completion()\n    "
     "print(_v1_wait)\n\n\nmain()\n", "_v1_wait"),
    # the program's own function with the helper's very parameters, which does something else
    ("def _v1_wait(ml_client, name, raise_on_error=True, poll_seconds=10, post_processing=False):\n"
     "    print('not waiting for', name)\n\n\nrun = experiment.submit(config)\nrun.wait_for_completion()\n", "_v1_wait"),
])
def test_a_helper_name_the_program_binds_anywhere_keeps_the_job_v1(tmp_path: Path, program: str, name: str) -> None:
    """Adversarial review: a local or parameter named like the helper made the new call raise
    TypeError; a function with the helper's parameters but another body was called as the helper."""
    script = project(tmp_path, HEADER + program)
    report = fix(script)
    assert f"the program has its own `{name}`" in report, report
    assert "run.wait_for_completion()" in script.read_text()


def test_a_variable_of_the_programs_own_named_like_the_default_environment_keeps_the_job_v1(tmp_path: Path) -> None:
    """``V1_DEFAULT_ENVIRONMENT = "my-own-env@latest"`` is not the helper: the job would have run there."""
    program = ('from azureml.core import Experiment, ScriptRunConfig, Workspace\n'
               'V1_DEFAULT_ENVIRONMENT = "my-own-env@latest"\nws = Workspace.from_config()\n'
               'config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")\n'
               'run = Experiment(ws, "e").submit(config)\nprint(V1_DEFAULT_ENVIRONMENT)\n')
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML002 left: the program has its own `V1_DEFAULT_ENVIRONMENT` (line 2)" in report, report


def test_logging_to_a_submitted_run_names_the_submitting_sides_form(tmp_path: Path) -> None:
    """Audit 2c: ``run.tag()``/``run.log()`` on the run a program submitted were told to use
    mlflow.set_tag/log_metric, which from the submitting side start a local run of their own."""
    from .conftest import run as run_command

    (tmp_path / "submit.py").write_text(textwrap.dedent("""\
        from azureml.core import Experiment, Run, ScriptRunConfig, Workspace
        ws = Workspace.from_config()
        run = Experiment(ws, 'e').submit(ScriptRunConfig('src', 'train.py', compute_target='cpu'))
        run.tag('stage', 'dev')
        run.log('submitted', 1)
        context = Run.get_context()
        context.tag('stage', 'dev')
        """))
    out = run_command([sys.executable, "-m", "flake8_azureml_v2", "check", "--select", "AML012,AML019", "submit.py"],
                      cwd=tmp_path).stdout
    assert ("submit.py:4:1: AML019 run.tag() on the run this program submitted is Azure ML SDK v1; use "
            "MlflowClient().set_tag(returned_job.name, ...)") in out, out
    assert "submit.py:5:1: AML012 run.log() on the run this program submitted is Azure ML SDK v1; use " \
           "MlflowClient().log_metric(returned_job.name, ...)" in out, out
    assert "submit.py:7:1: AML019 run.tag() is Azure ML SDK v1; use mlflow.set_tag(key, value)" in out, out


@pytest.mark.parametrize(("wait", "moves"), [
    ("_ = run.wait_for_completion()", True),  # audit 2e: the value thrown away, as a statement's
    ("_ = run.wait_for_completion()\nprint(_)", False),  # the look-alike: v1's details dict is read
    # review: a loop reads ``_`` the next time round, before the assignment
    ("_ = None\nwhile _ is None:\n    _ = run.wait_for_completion()", False),
    # audit, stop 64 (lot a M1): a launcher's ``result`` that nothing reads
    ("result = run.wait_for_completion()", True),
    ("result = run.wait_for_completion()\nprint(result['status'])", False),
    ("result = run.wait_for_completion()\nprint(globals()['result'])", False),  # read by its name
    ("result = run.wait_for_completion()\n__all__ = ['result']", False),  # exported by its name
    ("def main():\n    global result\n    result = None\nresult = run.wait_for_completion()\nmain()", False),
    # review, stop 64: ``|=`` reads it first, and dir() lists it
    ("result = run.wait_for_completion()\nresult |= {'a': 1}", False),
    ("result = run.wait_for_completion()\nprint(dir())", False),
])
def test_a_wait_whose_value_is_thrown_away(tmp_path: Path, wait: str, moves: bool) -> None:
    script = project(tmp_path, HEADER + "run = experiment.submit(config)\n" + wait + "\n")
    report = fix(script)
    text = script.read_text()
    target = wait.split(" = run.", 1)[0].rsplit("\n", 1)[-1]
    assert (f"{target} = _v1_wait(ml_client, run.name)" in text) is moves, report
    assert ("AML041 left" in report) is not moves, report


def test_a_notebook_helper_goes_to_the_cell_that_calls_it(tmp_path: Path) -> None:
    """Audit h: "pick one" environment cells; the helpers the last cell calls were written into the
    first option's cell, so a user who ran the other option met a NameError.  Each helper now goes
    to the cell that first calls it."""
    project(tmp_path, "", "unused.py").unlink()
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\n\nrun = Run.get_context()\n"
                                               "run.log('acc', 0.9)\n")
    notebook = write_notebook(tmp_path / "train.ipynb", [
        "from azureml.core import Workspace, Experiment, ScriptRunConfig\nws = Workspace.from_config()\n"
        "exp = Experiment(ws, 'tf')",
        "# Option 1 (pick one)\nfrom azureml.core import Environment\n"
        "env = Environment.from_conda_specification(name='e1', file_path='pytorch-env.yml')",
        "# Option 2 (pick one)\nfrom azureml.core import Environment\nenv = Environment(name='e2')\n"
        "env.python.user_managed_dependencies = True\nenv.docker.base_image = 'myreg.azurecr.io/tf:latest'",
        "src = ScriptRunConfig(source_directory='src', script='train.py', compute_target='gpu', environment=env)\n"
        "run = exp.submit(src)",
        "metrics = run.get_metrics()\nprint(metrics)",
    ])
    report = fix(notebook)
    assert "0 left" in report, report
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    for helper in ("def _v1_get_metrics(", "def _v1_tracking("):
        assert helper in cells[4] and all(helper not in cell for cell in cells[:4]), cells
    before = notebook.read_bytes()
    fix(notebook)
    assert notebook.read_bytes() == before


def test_a_wait_whose_value_a_notebook_magic_reads_stays(tmp_path: Path) -> None:
    """Review, stop 64: ``%store result`` reads the wait's value where no Python statement does."""
    project(tmp_path, "", "unused.py").unlink()
    notebook = write_notebook(tmp_path / "n.ipynb", [HEADER + "run = experiment.submit(config)",
                                                     "result = run.wait_for_completion()", "%store result"])
    report = fix(notebook)
    assert "AML041 left" in report, report
    assert "result = run.wait_for_completion()" in notebook.read_text()
