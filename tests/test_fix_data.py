"""Datastores, datasets and outputs (mapping-extension.md 4.1-4.5), executed: a v1
program -> the fixer -> the migrated program run with the real azure-ai-ml (only
MLClient's and the blob container's network calls are recorded)."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import pytest

from .conftest import run
from .migrate_helpers import execute, execute_failing, fix, no_v1, project, ruff_clean, write_notebook

SCRIPT_RUN = """\
from azureml.core import Dataset, Datastore, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.data import OutputFileDatasetConfig

ws = Workspace.from_config()
store = ws.get_default_datastore()
store.upload(src_dir="./data", target_path="titanic", overwrite=True)
blobs = Datastore.get(ws, "training_blobs")
titanic = Dataset.File.from_files(path=(store, "titanic/"))
labels = Dataset.File.from_files(path=blobs.path("labels/train.csv"))
table = Dataset.Tabular.from_delimited_files(path=[(blobs, "tables/a.csv")], separator=";")
model_dir = OutputFileDatasetConfig(name="model_dir", destination=(blobs, "models/{run-id}/{output-name}")).as_upload()
logs = OutputFileDatasetConfig(name="logs").register_on_complete("training_logs")
env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
config = ScriptRunConfig(
    source_directory="./src",
    script="train.py",
    arguments=["--data", titanic.as_named_input("titanic").as_mount(),
               "--labels", labels.as_named_input("labels").as_download(),
               "--table", table.as_named_input("table"), "--model", model_dir, "--logs", logs],
    compute_target="cpu-cluster",
    environment=env,
)
run = Experiment(ws, "data-exp").submit(config)
"""


def _run(tmp_path: Path, program: str, name: str = "job.py", files: dict[str, str] | None = None) -> tuple[str, str, list[dict]]:
    script = project(tmp_path, program, name)
    for relative, text in (files or {}).items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    # the scripts go with the launcher: one that reads run.input_datasets moves to v2 with its job
    report = fix(script, *(relative for relative in files or {} if relative.endswith(".py")))
    migrated = script.read_text()
    assert no_v1(migrated), migrated
    ruff_clean(script)
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before  # a second run changes nothing
    return migrated, report, execute(script)


def _job(records: list[dict]) -> dict:
    [submit] = [r for r in records if r["operation"] == "jobs.create_or_update"]
    assert submit["valid"], submit["errors"]
    assert submit["rest_error"] is None, submit["rest_error"]
    return submit["job"]


def _placeholders_bound(command: str, job: dict) -> None:
    """Every ${{inputs.x}} / ${{outputs.y}} of a command has its input or output."""
    for kind, name in re.findall(r"\$\{\{(inputs|outputs)\.(\w+)\}\}", command):
        assert name in (job.get(kind) or {}), f"{kind}.{name} is not declared"


def test_script_run_data_becomes_inputs_and_outputs(tmp_path: Path) -> None:
    files = {"data/t.csv": "a\n1\n", "src/train.py": 'import os\nprint(os.environ["titanic"])\n'}
    migrated, report, records = _run(tmp_path, SCRIPT_RUN, files=files)
    assert "0 left" in report, report
    job = _job(records)
    command = job["component"]["command"]
    _placeholders_bound(command, job)
    # 4.4: v1 set a variable per named input and output (the script reads the mounted input's): exported
    assert command.startswith("export titanic=${{inputs.titanic}} labels=${{inputs.labels}} table=${{inputs.table}} "
                              "model_dir=${{outputs.model_dir}} logs=${{outputs.logs}} && python train.py ")
    assert shlex.split(command.split(" && ", 1)[1])[2:4] == ["--data", "${{inputs.titanic}}"]
    inputs, outputs = job["inputs"], job["outputs"]
    # 4.1 + 4.2: the default store's name is read at run time, a named store's is written
    assert inputs["titanic"] == {"type": "uri_folder", "path": "//datastores/workspaceblobstore/paths/titanic/"}
    assert 'f"azureml://datastores/{store.name}/paths/titanic/"' in migrated
    assert inputs["labels"] == {"type": "uri_file", "mode": "download",
                                "path": "//datastores/training_blobs/paths/labels/train.csv"}
    # 4.2 tabular: an MLTable folder written at submit time, with the TODO the reference gives
    assert inputs["table"] == {"type": "mltable", "path": "./_v1_mltable_a"}
    table = (tmp_path / "_v1_mltable_a" / "MLTable").read_text()
    # the long form: mltable reads azureml://datastores/... as a path relative to the MLTable file
    long_form = ("azureml://subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/workspaces/ws"
                 "/datastores/training_blobs/paths/tables/a.csv")
    assert f'file: "{long_form}"' in table and 'delimiter: ";"' in table
    assert "# TODO(azureml-v2): AML022 the script must read this input with mltable.load(<path>)" in migrated
    # 4.5: destination placeholders, as_upload, register_on_complete, v1's default destination
    assert outputs["model_dir"] == {"type": "uri_folder", "mode": "upload",
                                    "path": "//datastores/training_blobs/paths/models/${{name}}/${{output_name}}"}
    assert outputs["logs"] == {"type": "uri_folder", "name": "training_logs",
                               "path": "//datastores/workspaceblobstore/paths/dataset/${{name}}/${{output_name}}/"}
    assert 'path="azureml://datastores/training_blobs/paths/models/${{name}}/${{output_name}}"' in migrated
    # 4.3: the upload went to the default store's container, with the datastore's key
    uploads = [r for r in records if r["operation"] == "blob.upload"]
    assert [u["blob"] for u in uploads] == ["titanic/t.csv"]
    assert next(r for r in records if r["operation"] == "blob.container")["credential"] == "str"


def test_upload_skips_existing_blobs_unless_overwrite(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Workspace
    ws = Workspace.from_config()
    store = ws.get_default_datastore()
    store.upload_files(files=["./data/a.csv", "./data/sub/b.csv"], target_path="raw/")
    """
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / "data" / "a.csv").write_text("a")
    (tmp_path / "data" / "sub" / "b.csv").write_text("b")
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    assert no_v1(migrated) and "_v1_datastore_upload_files(ml_client, store.name, files=" in migrated
    import os

    os.environ["AML_EXISTING_BLOBS"] = "raw/a.csv"
    try:
        records = execute(script)
    finally:
        del os.environ["AML_EXISTING_BLOBS"]
    # v1: relative to the files' common folder, under target_path; overwrite=False skips existing blobs
    assert [r["blob"] for r in records if r["operation"] == "blob.upload"] == ["raw/sub/b.csv"]


@pytest.mark.parametrize(("target", "blobs"), [
    ("'raw'", ["raw/a.csv", "raw/sub/b.csv"]),
    ("'./'", ["a.csv", "sub/b.csv"]),  # (audit 60x: the helper wrote a blob named "./a.csv")
    ("'./raw'", ["raw/a.csv", "raw/sub/b.csv"]),
    ("'../raw/'", ["raw/a.csv", "raw/sub/b.csv"]),
    ("'/raw'", ["raw/a.csv", "raw/sub/b.csv"]),
    ("'..data'", ["..data/a.csv", "..data/sub/b.csv"]),  # dots before no slash are a name
    ("None", ["a.csv", "sub/b.csv"]),
])
@pytest.mark.parametrize("method", ["upload", "upload_files"])
def test_uploads_name_their_blobs_as_v1_did(tmp_path: Path, target: str, blobs: list[str], method: str) -> None:
    """v1 dropped a target_path's leading "/", "./" and "../" parts (its _sanitize_regex) before
    it joined each file's relative path to it."""
    arguments = ('src_dir="data"' if method == "upload" else 'files=["data/a.csv", "data/sub/b.csv"]')
    program = f"""\
    from azureml.core import Workspace
    ws = Workspace.from_config()
    store = ws.get_default_datastore()
    store.{method}({arguments}, target_path={target})
    """
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / "data" / "a.csv").write_text("a")
    (tmp_path / "data" / "sub" / "b.csv").write_text("b")
    script = project(tmp_path, program)
    fix(script)
    assert no_v1(script.read_text())
    records = execute(script)
    assert sorted(r["blob"] for r in records if r["operation"] == "blob.upload") == blobs


def test_files_uploaded_from_the_root_keep_their_paths_as_given(tmp_path: Path) -> None:
    """v1 named a file uploaded with relative_root="/" by its path as given, less leading slashes
    (review 61: the helper made it relative to "/", which named the working folder too)."""
    program = """\
    from azureml.core import Workspace
    ws = Workspace.from_config()
    store = ws.get_default_datastore()
    store.upload_files(files=["data/a.csv", "data/sub/b.csv"], relative_root="/", target_path="inputs")
    """
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / "data" / "a.csv").write_text("a")
    (tmp_path / "data" / "sub" / "b.csv").write_text("b")
    script = project(tmp_path, program)
    fix(script)
    records = execute(script)
    assert sorted(r["blob"] for r in records if r["operation"] == "blob.upload") == ["inputs/data/a.csv",
                                                                                     "inputs/data/sub/b.csv"]


@pytest.mark.parametrize(("call", "layout", "message"), [
    ('store.upload_files(files=["data/a.csv"], relative_root="other", target_path="raw")', {"data/a.csv": "a"},
     "relative_root: 'other' is not part of the file_path: 'data/a.csv'."),
    ('store.upload(src_dir="data/train.json", target_path="raw")', {"data/train.json": "{}"},
     "src_path must be a directory."),
    ('store.upload(src_dir="./data/", target_path="raw")', {}, "src_path must be a directory."),
    ('store.upload_files(files=["data/a.csv", "data/b.csv"], target_path="raw")', {"data/a.csv": "a"},
     "'data/b.csv' does not point to a file."),
], ids=["a-file-outside-relative_root", "a-file-as-src_dir", "a-missing-folder", "a-missing-file"])
def test_an_upload_of_what_is_not_there_fails_before_uploading_as_in_v1(
        tmp_path: Path, call: str, layout: dict[str, str], message: str) -> None:
    """v1 checked the source before it uploaded anything; a helper that walked a file or a missing
    folder would upload nothing and succeed, and the job that reads the datastore path later
    would run on old or no data."""
    program = f"""\
    from azureml.core import Workspace
    ws = Workspace.from_config()
    store = ws.get_default_datastore()
    {call}
    """
    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    script = project(tmp_path, program)
    fix(script)
    assert no_v1(script.read_text())
    stderr, records = execute_failing(script)
    assert f"ValueError: {message}" in stderr
    assert not [r for r in records if r["operation"] == "blob.upload"]


PIPELINE = """\
from azureml.core import Dataset, Datastore, Environment, Experiment, RunConfiguration, Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
env = Environment.from_conda_specification("diabetes-environment", "./pytorch-env.yml")
run_config = RunConfiguration()
run_config.environment = env

datastore = Datastore(ws, "exampleblobstorage")
diabetes_data = Dataset.Tabular.from_delimited_files(path=datastore.path("./pipelines-data/diabetes.csv"))
diabetes_data.register(workspace=ws, name="diabetes-data", create_new_version=True)
images = Dataset.File.from_files(path=[(datastore, "images/a/1.png"), (datastore, "images/b/2.png")])

raw_data = diabetes_data.as_named_input("raw_data")
train_data = PipelineData("train_data", datastore=datastore).as_dataset()
model_file = PipelineData("model_file", datastore=ws.get_default_datastore(), output_mode="upload")
step_inputs = [raw_data, images.as_named_input("images").as_download()]

prep = PythonScriptStep(
    name="prepare",
    source_directory="./prep",
    script_name="prep.py",
    arguments=["--train", train_data],
    compute_target="cpu-cluster",
    runconfig=run_config,
    allow_reuse=False,
    inputs=step_inputs,
    outputs=[train_data],
)
train = PythonScriptStep(
    name="train",
    source_directory="./train",
    script_name="train.py",
    arguments=["--train", train_data],
    compute_target="cpu-cluster",
    runconfig=run_config,
    inputs=[train_data],
    outputs=[model_file],
)
pipeline = Pipeline(workspace=ws, steps=[train])
pipeline_run = Experiment(ws, "diabetes-pipeline").submit(pipeline)
"""


def test_pipeline_data_flow_env_channel_and_registration(tmp_path: Path) -> None:
    files = {"prep/prep.py": 'from azureml.core import Run\nframe = Run.get_context().input_datasets["raw_data"].to_pandas_dataframe()\n',
             "train/train.py": "print('train')\n"}
    migrated, report, records = _run(tmp_path, PIPELINE, "pipeline.py", files)
    assert "AML003 left" not in report and "AML004 left" not in report, report
    job = _job(records)
    # v1 built the pipeline from train and the step producing its data (steps=[train] only)
    assert set(job["jobs"]) == {"prep", "train"}
    prep, train = job["jobs"]["prep"], job["jobs"]["train"]
    for node in (prep, train):
        _placeholders_bound(node["component"]["command"], node["component"])
    # 4.4 env-var channel: data listed in inputs=/outputs= but not in arguments is exported
    assert prep["component"]["command"] == (
        "export raw_data=${{inputs.raw_data}} images=${{inputs.images}} && python prep.py --train ${{outputs.train_data}}")
    assert train["component"]["command"].startswith("export model_file=${{outputs.model_file}} && python train.py")
    assert prep["component"]["inputs"]["raw_data"]["type"] == "mltable"
    assert prep["component"]["inputs"]["images"] == {"type": "uri_folder", "mode": "download"}
    # 4.2 several paths: their common parent, with the TODO
    assert job["inputs"]["images"] == {"type": "uri_folder", "path": "//datastores/exampleblobstorage/paths/images/"}
    assert "TODO(azureml-v2): AML022 v1 read only images/a/1.png, images/b/2.png; v2 takes their common parent images/" in migrated
    # 4.5 PipelineData(datastore=...) and output_mode="upload"; the default store is v2's default location
    assert prep["outputs"]["train_data"]["path"] == "//datastores/exampleblobstorage/paths/azureml/${{name}}/${{output_name}}/"
    assert train["inputs"]["train_data"]["path"] == "${{parent.jobs.prep.outputs.train_data}}"
    # (an output no step reads stays the step's own: review, stop 64)
    assert train["outputs"]["model_file"] == {"type": "uri_folder", "mode": "upload"} and not job.get("outputs")
    # 4.2 register(create_new_version=True): a data asset whose version auto-increments
    [asset] = [r for r in records if r["operation"] == "data.create_or_update"]
    assert asset["rest_error"] is None
    assert asset["data"]["name"] == "diabetes-data" and asset["data"]["type"] == "mltable" and "version" not in asset["data"]


def test_registered_dataset_and_datastore_lookups(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    store = ws.datastores["archive"]
    mnist = Dataset.get_by_name(ws, name="mnist")
    iris = ws.datasets["iris"]
    scans = Dataset.File.from_files(path=(store, "scans/"))
    scans = scans.register(workspace=ws, name="scans")
    env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
    config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env,
                             arguments=["--mnist", mnist.as_mount(), "--iris", iris.as_named_input("iris").as_download(),
                                        "--scans", scans.as_download()])
    run = Experiment(ws, "registered").submit(config)
    """
    migrated, _, records = _run(tmp_path, program)
    job = _job(records)
    _placeholders_bound(job["component"]["command"], job)
    # 4.2: azureml:<name>@latest, typed by how the job reads it
    assert job["inputs"]["mnist"] == {"type": "uri_folder", "path": "mnist@latest"}
    assert job["inputs"]["iris"] == {"type": "uri_folder", "mode": "download", "path": "iris@latest"}
    assert job["inputs"]["scans"] == {"type": "uri_folder", "mode": "download", "path": "//datastores/archive/paths/scans/"}
    # 4.1 ws.datastores[n]; 4.2 register() with v1's create_new_version=False: version "1" and a TODO
    assert 'store = ml_client.datastores.get("archive")' in migrated
    [asset] = [r for r in records if r["operation"] == "data.create_or_update"]
    assert asset["data"]["version"] == "1" and asset["data"]["type"] == "uri_folder"
    assert 'TODO(azureml-v2): AML022 v1 registered only a name that was new (create_new_version=False)' in migrated
    assert [r["name"] for r in records if r["operation"] == "datastores.get"] == ["archive"]


def test_a_lookup_guarded_by_an_old_exception_is_left(tmp_path: Path) -> None:
    """``except UserErrorException`` catches v1's missing dataset; v2 raises another exception,
    so the rewrite would let the error through: the lookup and its handler stay, and say why."""
    program = """\
from azureml.core import Dataset, Workspace
from azureml.exceptions import UserErrorException

ws = Workspace.from_config()
registered = False
try:
    temp = Dataset.get_by_name(workspace=ws, name="mnist")
    registered = True
except UserErrorException:
    print("not registered yet")
print(registered)
"""
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML022 left: it runs inside `try:` with `except UserErrorException` (line 9)" in report, report
    assert 'Dataset.get_by_name(workspace=ws, name="mnist")' in script.read_text()


def test_a_registration_that_v1_code_reads_back_stays_v1(tmp_path: Path) -> None:
    """v1 cannot read a v2 data asset (mapping.md 7): while the program looks the name up with
    v1, registering it as a v2 asset would break that lookup."""
    program = """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
scans = Dataset.File.from_files(path=(store, "scans/"))
scans = scans.register(workspace=ws, name="scans", create_new_version=True)
again = ws.datasets.get("scans")
print(again.to_path())
"""
    script = project(tmp_path, program)
    report = fix(script)
    assert "line 7 (`ws.datasets.get(\"scans\")`) looks the dataset up with v1" in report, report
    assert 'scans.register(workspace=ws, name="scans", create_new_version=True)' in script.read_text()


def test_a_registration_named_by_a_variable_is_read_back_by_the_lookups_of_its_value(tmp_path: Path) -> None:
    """A name held in a variable is the name the lookups use: ``dataset_name`` holds "diabetes", so
    the v1 lookup of "diabetes" keeps the registration v1, and a listing of ``ws.datasets`` does too."""
    program = """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
data = Dataset.File.from_files(path=(store, "diabetes/"))
dataset_name = "diabetes"
data = data.register(workspace=ws, name=dataset_name, create_new_version=True)
print(Dataset.get_by_name(ws, name="diabetes").to_path())
"""
    script = project(tmp_path, program)
    report = fix(script)
    assert "line 8 (`Dataset.get_by_name(ws, name=\"diabetes\")`) looks the dataset up with v1" in report, report
    assert "data.register(workspace=ws, name=dataset_name" in script.read_text()


def test_a_registration_whose_name_is_computed_counts_every_v1_lookup(tmp_path: Path) -> None:
    """A name only known at run time may be the name any lookup reads: a v1 lookup of another
    literal in the program, or one in a script of the folder, keeps the registration v1."""
    program = """\
import sys

from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
data = Dataset.File.from_files(path=(store, "diabetes/"))
data = data.register(workspace=ws, name=sys.argv[1], create_new_version=True)
"""
    script = project(tmp_path, program)
    (tmp_path / "train.py").write_text("from azureml.core import Dataset, Run\n\nrun = Run.get_context()\n"
                                       "ws = run.experiment.workspace\nprint(Dataset.get_by_name(ws, 'x').to_path())\n")
    report = fix(script)
    assert "train.py:5 (`get_by_name(`) looks the dataset up with v1" in report, report
    assert "data.register(workspace=ws, name=sys.argv[1]" in script.read_text()
    (tmp_path / "train.py").unlink()
    assert "AML022 fixed: dataset.register()" in fix(script)


@pytest.mark.parametrize(("reader", "shown"), [
    ("name = sys.argv[1]\nprint(Dataset.get_by_name(ws, name).to_path())\n", "get_by_name(ws, name)"),
    ("print(ws.datasets[sys.argv[1]].to_path())\n", "datasets[sys.argv"),
    # name= by keyword first (audit 48)
    ("name = sys.argv[1]\nprint(Dataset.get_by_name(name=name, workspace=ws).to_path())\n", "get_by_name(name=name"),
])
def test_a_script_of_the_folder_that_looks_up_a_computed_name_reads_any_registration_back(
        tmp_path: Path, reader: str, shown: str) -> None:
    """A script beside the registration that looks a dataset up by a name only known at run
    time (an argument whose default is the registered name, say) may read that asset: the
    registration stays v1 with it, and goes once no such lookup is left."""
    program = """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
data = Dataset.File.from_files(path=(store, "scans/"))
data = data.register(workspace=ws, name="scans", create_new_version=True)
"""
    script = project(tmp_path, program)
    reading = tmp_path / "score.py"
    reading.write_text("import sys\n\nfrom azureml.core import Dataset, Workspace\n\nws = Workspace.from_config()\n"
                       + reader)
    report = fix(script)
    assert f"score.py:{5 + reader.count(chr(10))} (`{shown}" in report and "looks the dataset up with v1" in report, report
    assert 'data.register(workspace=ws, name="scans"' in script.read_text()
    reading.write_text("import sys\n\nprint(sys.argv[1])\n")
    assert "AML022 fixed: dataset.register()" in fix(script)


@pytest.mark.parametrize("where", ["beside", "in the program"])
def test_a_reader_of_the_name_in_other_letter_case_holds_the_registration(tmp_path: Path, where: str) -> None:
    """``register(name="scans")`` and ``get_by_name(ws, "Scans")`` (audit 49): should the service match
    names in any case, that v1 reader reads the v2 asset; the registration stays v1 with it."""
    program = """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
data = Dataset.File.from_files(path=(store, "scans/"))
data = data.register(workspace=ws, name="scans", create_new_version=True)
"""
    reader = 'print(Dataset.get_by_name(ws, "Scans").to_path())\n'
    script = project(tmp_path, program + (reader if where != "beside" else ""))
    if where == "beside":
        (tmp_path / "score.py").write_text("from azureml.core import Dataset, Workspace\n\nws = Workspace.from_config()\n"
                                           + reader)
    report = fix(script)
    assert "looks the dataset up with v1" in report and '"Scans"' in report, report
    assert 'data.register(workspace=ws, name="scans"' in script.read_text()


def test_a_lookup_of_another_name_by_keyword_does_not_read_the_registration_back(tmp_path: Path) -> None:
    # the look-alike: ``name=`` is a keyword, not a name computed at run time
    script = project(tmp_path, """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
data = Dataset.File.from_files(path=(store, "scans/"))
data = data.register(workspace=ws, name="scans", create_new_version=True)
""")
    (tmp_path / "score.py").write_text("from azureml.core import Dataset, Workspace\n\nws = Workspace.from_config()\n"
                                       'print(Dataset.get_by_name(workspace=ws, name="other").to_path())\n')
    assert "AML022 fixed: dataset.register()" in fix(script)


def _submitting(setup: str, arguments: str, imports: str = "Dataset, Environment, Experiment, ScriptRunConfig, Workspace",
                more: str = "") -> str:
    """A program that submits train.py with ``arguments``, after ``setup`` made what they read."""
    return (f"from azureml.core import {imports}\n{more}"
            f"ws = Workspace.from_config()\n{setup}"
            'env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")\n'
            'config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",\n'
            f"                         environment=env, arguments={arguments})\n"
            'run = Experiment(ws, "job").submit(config)\n')


def _left_as_written(tmp_path: Path, program: str, reason: str, *kept: str) -> None:
    """The fix leaves the submit, with ``reason`` on its line, and ``kept`` stays in the file."""
    script = project(tmp_path, program)
    report = fix(script)
    assert reason in report, report
    text = script.read_text()
    assert "ScriptRunConfig(" in text and all(k in text for k in kept), text


def test_globs_and_stores_left_with_the_reason(tmp_path: Path) -> None:
    program = _submitting('ds = Dataset.File.from_files("https://example.blob.core.windows.net/data/*.csv")\n',
                          '["--data", ds.as_mount()]')
    _left_as_written(tmp_path, program,
                     "AML002 left: the dataset path 'https://example.blob.core.windows.net/data/*.csv' is a glob")


def test_destination_placeholders_never_in_an_f_string(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    from azureml.data import OutputFileDatasetConfig
    ws = Workspace.from_config()
    store = ws.get_default_datastore()
    out = OutputFileDatasetConfig(destination=(store, "results/{run-id}"))
    env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
    config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                             environment=env, arguments=["--out", out])
    run = Experiment(ws, "out").submit(config)
    """
    migrated, _, records = _run(tmp_path, program)
    assert 'f"azureml://datastores/{store.name}/paths/results/" + "${{name}}"' in migrated
    job = _job(records)
    assert job["outputs"]["out"]["path"] == "//datastores/workspaceblobstore/paths/results/${{name}}"
    assert json.dumps(job).count("${{name}}") == 1


LAUNCHER = """\
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
titanic = Dataset.File.from_files(path="https://example.com/data/titanic.csv")
iris = Dataset.Tabular.from_delimited_files(path="https://example.com/data/iris.csv")
env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env,
                         arguments=[titanic.as_named_input("titanic").as_mount(), iris.as_named_input("iris")])
run = Experiment(ws, "reads").submit(config)
"""
TRAIN = """\
from azureml.core import Run

run = Run.get_context()
path = run.input_datasets["titanic"]
dataset = run.input_datasets["iris"]
frame = dataset.to_pandas_dataframe()
print(path, len(frame))
"""


def test_script_reads_inputs_through_the_exported_variables(tmp_path: Path) -> None:
    script = project(tmp_path, LAUNCHER)
    (tmp_path / "pyproject.toml").write_text("")  # one project: the script's launcher is found
    train = tmp_path / "src" / "train.py"
    train.write_text(TRAIN)
    # the script alone, its launcher still v1: the mounted input is the path v1 also exported,
    # the tabular one (a dataset id in v1) waits for the launcher, so `run` stays for it
    report = fix(train)
    assert "AML033 left: the input 'iris' is read directly" in report, report
    partly = train.read_text()
    assert 'path = os.environ["titanic"]' in partly
    assert 'dataset = run.input_datasets["iris"]' in partly and "run = Run.get_context()" in partly
    # the launcher alone would leave the script reading run.input_datasets, which a v2 job does not fill
    report = fix(script)
    assert ("AML002 left: train.py reads run.input_datasets, which a v2 job does not fill, and this run does not "
            "fix it") in report, report
    assert "ScriptRunConfig(" in script.read_text()
    # both in one run: the launcher first, then the script, which reads what the job now exports
    report = fix(script, "src/train.py")
    assert "0 left" in report, report
    job = _job(execute(script))
    assert job["component"]["command"].startswith("export titanic=${{inputs.titanic}} iris=${{inputs.iris}} && python train.py")
    migrated = train.read_text()
    assert 'path = os.environ["titanic"]' in migrated
    assert 'dataset = mltable.load(os.environ["iris"])' in migrated
    assert "# TODO(azureml-v2): AML038 v1 handed this tabular input over as a dataset" in migrated
    assert no_v1(migrated)


def test_a_launcher_stays_v1_while_its_script_would_keep_reading_input_datasets(tmp_path: Path) -> None:
    """The script's own fix takes a tabular input only when all it does is ``to_pandas_dataframe()``;
    read as more, the read stays v1, and a v2 job would leave it an empty ``input_datasets``:
    the launcher stays v1 with it, saying why (the pair was migrated and broke the job before)."""
    script = project(tmp_path, LAUNCHER)
    (tmp_path / "pyproject.toml").write_text("")
    train = tmp_path / "src" / "train.py"
    train.write_text(TRAIN.replace("print(path, len(frame))", "print(path, len(frame), dataset.name)"))
    report = fix(script, "src/train.py")
    assert ("AML002 left: the script it runs (train.py:5) uses the tabular input 'iris' for more than "
            "to_pandas_dataframe(), and a v2 job does not fill run.input_datasets") in report, report
    assert "ScriptRunConfig(" in script.read_text()
    assert 'dataset = run.input_datasets["iris"]' in train.read_text()


PIPELINE_OF_A_TABLE = """\
from azureml.core import Experiment, Workspace
from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
out = OutputFileDatasetConfig(name="raw").read_delimited_files()
make = PythonScriptStep(name="make", script_name="make.py", arguments=["--out", out], outputs=[out],
                        compute_target="cpu", source_directory=".")
use = PythonScriptStep(name="use", script_name="use.py", inputs=[out.as_input(name="raw_in")],
                       compute_target="cpu", source_directory=".")
pipeline = Pipeline(workspace=ws, steps=[make, use])
run = Experiment(ws, "tables").submit(pipeline)
run.wait_for_completion()
"""


@pytest.mark.parametrize(("reads", "moves"), [
    ("ds = run.input_datasets['raw_in']\nframe = ds.to_pandas_dataframe()\n", False),  # a dataset in v1
    ("ds = run.input_datasets['raw_in']\nframe = pd.read_csv(os.path.join(ds, 'd.csv'))\n", True),  # a path
])
def test_a_step_input_its_script_reads_as_a_dataset_keeps_the_pipeline_v1(tmp_path: Path, reads: str, moves: bool) -> None:
    """Audit 52: a step's input from ``OutputFileDatasetConfig().read_delimited_files()`` reaches
    the next step's script as a dataset, and ``os.environ[n]`` would hand it a path, on which
    ``to_pandas_dataframe()`` fails: the script's read and the pipeline both stay v1.  A script
    that uses the input as a path moves with the pipeline."""
    (tmp_path / "pyproject.toml").write_text("")
    launcher = project(tmp_path, PIPELINE_OF_A_TABLE, "pipeline.py")
    (tmp_path / "make.py").write_text("import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('--out')\n"
                                      "print(parser.parse_args().out)\n")
    script = tmp_path / "use.py"
    script.write_text("import os\nimport pandas as pd\nfrom azureml.core import Run\n\nrun = Run.get_context()\n"
                      + reads + "print(frame.shape)\n")
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    report = run(command, cwd=tmp_path).stdout
    assert ("Experiment(ws, \"tables\").submit(pipeline)" in launcher.read_text()) is not moves, report
    assert ("run.input_datasets['raw_in']" in script.read_text()) is not moves, report
    if moves:
        assert "ds = os.environ[\"raw_in\"]" in script.read_text(), report
        assert "export raw_in=${{inputs.raw_in}} && python use.py" in launcher.read_text(), report
        [job] = [r for r in execute(launcher) if r["operation"] == "jobs.create_or_update"]
        assert job["valid"] and job["rest_error"] is None, job
        assert job["job"]["jobs"]["use"]["inputs"]["raw_in"]["path"] == "${{parent.jobs.make.outputs.raw}}", job["job"]
    else:
        assert ("use.py:6) uses the input 'raw_in' as a v1 dataset (.to_pandas_dataframe), where the job hands "
                "over a path") in report, report
        assert "use.py:7:9: AML038 left" in report, report
        assert ("use.py:6:6: AML033 left: the script uses the input 'raw_in' as a v1 dataset (.to_pandas_dataframe), "
                "which its launcher hands over in a way this fix cannot follow") in report, report
    assert "Fixed 0 findings" in run(command, cwd=tmp_path).stdout


def _script_before_its_launcher(folder: Path, others: int) -> None:
    """The script (``src/train.py``) is walked before its launcher (``z_jobs/submit.py``);
    ``others`` more files make ``fix`` use worker processes."""
    (folder / "pyproject.toml").write_text("")
    (folder / "src").mkdir()
    (folder / "src" / "train.py").write_text(TRAIN)
    (folder / "z_jobs").mkdir()
    (folder / "z_jobs" / "submit.py").write_text(LAUNCHER.replace('source_directory="./src"', 'source_directory="../src"'))
    for index in range(others):
        (folder / f"other_{index}.py").write_text("from azureml.core import Workspace\n\nws = Workspace.from_config()\nprint(ws.name)\n")


@pytest.mark.parametrize("others", [0, 30])  # with 30 more files, worker processes fix them
def test_one_run_over_the_project_migrates_the_launcher_then_its_script(tmp_path: Path, others: int) -> None:
    """The script is still judged once the migrated launcher is written, though workers fix
    files side by side: one run does it all and a second changes nothing."""
    _script_before_its_launcher(tmp_path, others)
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    first = run(command, cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    assert "z_jobs/submit.py:7:10: AML002 fixed" in first.stdout, first.stdout
    migrated = (tmp_path / "src" / "train.py").read_text()
    assert 'dataset = mltable.load(os.environ["iris"])' in migrated, first.stdout
    assert no_v1(migrated)
    tree = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    second = run(command, cwd=tmp_path)
    assert second.returncode == 0, second.stdout
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.py")} == tree


@pytest.mark.parametrize("others", [0, 30])
def test_diff_and_check_show_the_script_as_a_writing_run_leaves_it(tmp_path: Path, others: int) -> None:
    """``--diff`` writes nothing, yet the script is judged against its launcher's fixed text,
    as ``fix`` judges it once the launcher is written: the diff is what ``fix`` does."""
    _script_before_its_launcher(tmp_path, others)
    tree = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    shown = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--diff", "."], cwd=tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.py")} == tree
    assert '+dataset = mltable.load(os.environ["iris"])' in shown.stdout, shown.stdout + shown.stderr
    assert "AML033 left" not in shown.stderr, shown.stderr
    checked = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--check", "."], cwd=tmp_path)
    assert checked.returncode == 1 and "AML033 left" not in checked.stdout + checked.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.py")} == tree
    written = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert written.returncode in (0, 1), written.stderr
    # the diff's one hunk for the script spans it whole: its new side is the file fix wrote
    section = shown.stdout.split("+++ b/src/train.py\n")[1].split("\n--- ")[0]
    hunk = section.splitlines()[1:]
    assert section.startswith("@@ -1,") and all(line[:1] in " +-" for line in hunk)
    assert [line[1:] for line in hunk if line[:1] in " +"] == (tmp_path / "src" / "train.py").read_text().splitlines()


def test_a_dry_run_shows_the_launchers_fixed_text_to_its_own_files_only(tmp_path: Path) -> None:
    """What a run that writes nothing records of its fixed files is gone when the run ends:
    a later run in the same process reads the files as they are on disk."""
    from flake8_azureml_v2.engine import Settings, files
    from flake8_azureml_v2.runner import Fixing, collect, fix_all, fixing_order
    from flake8_azureml_v2.selection import Selection

    _script_before_its_launcher(tmp_path, 0)
    targets, _ = collect([str(tmp_path)])
    targets, late = fixing_order(targets)
    results = list(fix_all(targets, Settings(), Selection(), Fixing(unsafe=True), True, late=late, writes=False))
    script = next(r for r in results if r.target.path is not None and r.target.path.name == "train.py")
    assert b'mltable.load(os.environ["iris"])' in (script.new_data or b"")  # judged against the fixed launcher
    launcher = tmp_path / "z_jobs" / "submit.py"
    assert files.read_as_fixed(launcher) == launcher.read_bytes()  # and nothing of it outlives the run


def test_the_launchers_exports_are_read_again_once_the_launcher_changes(tmp_path: Path) -> None:
    """Each pass of each script asks every file of the project for its v2 exports; the answer
    is kept per file only while the file's bytes cannot have changed: written again (as ``fix``
    writes, by renaming a new file over it) or given unwritten fixed bytes, it is read again."""
    import os

    from flake8_azureml_v2.engine import files
    from flake8_azureml_v2.migrations.injob import input_datasets

    launcher = tmp_path / "submit.py"
    exporting = 'job = command(command="export iris=${{inputs.iris}} && python train.py")\n'
    launcher.write_text("print('v1 still')\n")
    assert input_datasets._exporting(launcher) == []
    assert input_datasets._exporting(launcher) == []  # (kept)
    fresh = tmp_path / "submit.new"
    fresh.write_text(exporting)
    os.replace(fresh, launcher)
    assert input_datasets._exporting(launcher) == [exporting]
    files.record_unwritten(launcher, b"print('fixed, not written')\n")
    try:
        assert input_datasets._exporting(launcher) == []
    finally:
        files.forget_unwritten()
    assert input_datasets._exporting(launcher) == [exporting]
    launcher.unlink()
    assert input_datasets._exporting(launcher) == []


def test_values_known_only_at_run_time_are_quoted_at_run_time(tmp_path: Path) -> None:
    program = """\
    import os
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    logs_dir = os.path.join(os.curdir, "logs", "tb logs")
    columns = str(["cost", "distance"]).replace(",", ";")
    env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
    config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                             environment=env, arguments=["--logs", logs_dir, "--columns", columns, "--epochs", 3])
    run = Experiment(ws, "runtime").submit(config)
    """
    migrated, report, records = _run(tmp_path, program)
    assert "0 left" in report, report
    assert "shlex.quote(str(logs_dir))" in migrated
    command = _job(records)["component"]["command"]
    # the argv v1 passed (str() of each item, no shell) is what bash now splits the command into
    assert shlex.split(command) == ["python", "train.py", "--logs", "./logs/tb logs", "--columns",
                                    "['cost'; 'distance']", "--epochs", "3"]


OPTIONS = """\
from azureml.core import Dataset, Datastore, Experiment, Workspace
from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
store = Datastore.get_default(ws)
raw = Dataset.File.from_files(path=(store, "raw/readings"), validate=False, is_file=True)
cleaned = OutputFileDatasetConfig(name="cleaned").as_mount()
scratch = PipelineData("scratch", output_path_on_compute="/tmp/scratch")

clean = PythonScriptStep(
    name="clean", script_name="clean.py", source_directory="./src", compute_target="cpu-cluster",
    arguments=["--raw", raw.as_named_input("raw").as_download(path_on_compute="/data/raw"), "--out", cleaned,
               "--scratch", scratch],
    outputs=[scratch],
)
report = PythonScriptStep(
    name="report", script_name="report.py", source_directory="./src", compute_target="cpu-cluster",
    arguments=["--table", cleaned.read_delimited_files(separator=";").as_input("table")],
)
pipeline = Pipeline(ws, steps=[clean, report])
run = Experiment(ws, "options").submit(pipeline)
"""


def test_consumption_and_output_options(tmp_path: Path) -> None:
    migrated, report, records = _run(tmp_path, OPTIONS, "pipeline.py")
    assert "AML003 left" not in report and "AML004 left" not in report, report
    job = _job(records)
    clean, reader = job["jobs"]["clean"], job["jobs"]["report"]
    for node in (clean, reader):
        _placeholders_bound(node["component"]["command"], node["component"])
    # 4.1 Datastore.get_default(ws); 4.2 is_file=True on a path with no extension, validate= dropped
    assert "ml_client.datastores.get_default()" in migrated
    assert job["inputs"]["raw"] == {"type": "uri_file", "path": "//datastores/workspaceblobstore/paths/raw/readings"}
    # 4.4 download; path_on_compute is a documented default (azure-ai-ml rejects it)
    assert clean["component"]["inputs"]["raw"] == {"type": "uri_file", "mode": "download"}
    assert "TODO(azureml-v2): AML022 v1 put this input at /data/raw" in migrated
    assert "TODO(azureml-v2): AML005 v1 put this output at /tmp/scratch" in migrated
    # 4.5 as_mount (v2's default rw_mount), and a table read by the next step: a folder + the reader's TODO
    assert clean["outputs"]["cleaned"]["path"] == "//datastores/workspaceblobstore/paths/dataset/${{name}}/${{output_name}}/"
    assert "mode" not in clean["outputs"]["cleaned"]
    assert reader["inputs"]["table"]["path"] == "${{parent.jobs.clean.outputs.cleaned}}"
    assert ("TODO(azureml-v2): AML006 the reading script must load this folder with "
            "mltable.from_delimited_files(paths=[{'folder': <path>}], delimiter=';')") in migrated


@pytest.mark.parametrize(("method", "moves"), [(".as_upload()", True), (".as_upload(overwrite=False)", True),
                                               (".as_upload(overwrite=True)", False)])
def test_an_upload_option_without_a_mapped_form_is_named(tmp_path: Path, method: str, moves: bool) -> None:
    """Only the bare .as_upload() has a v2 form (mapping-extension 4.5); the reason names the
    argument that stops it (audit a: it named only the method, which migrates without it)."""
    script = project(tmp_path, f"""\
from azureml.core import Experiment, Workspace
from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
out = OutputFileDatasetConfig(name="clean_data"){method}
step = PythonScriptStep(name="prep", script_name="train.py", source_directory="src", arguments=["--out", out],
                        compute_target="cpu-cluster")
pipeline = Pipeline(workspace=ws, steps=[step])
Experiment(ws, "e").submit(pipeline)
""", "pipeline.py")
    report = fix(script)
    assert ("AML003 fixed" in report) is moves, report
    if not moves:
        assert ("AML003 left: output method .as_upload(overwrite=True): the reference maps only .as_upload() with "
                "no arguments; migrate it by hand") in report, report


def test_tabular_datasets_of_files_with_one_name_get_a_folder_each(tmp_path: Path) -> None:
    """Audit i: ``train/data.csv`` and ``test/data.csv`` shared one MLTable folder, the second
    written over the first, so the train input read the test file."""
    program = """\
from azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
train = Dataset.Tabular.from_delimited_files(path=(store, "train/data.csv"))
test = Dataset.Tabular.from_delimited_files(path=(store, "test/data.csv"))
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                         arguments=["--train", train.as_named_input("train"), "--test", test.as_named_input("test")])
run = Experiment(ws, "clash").submit(config)
"""
    _, report, records = _run(tmp_path, program, files={"src/train.py": "import sys\nprint(sys.argv)\n"})
    assert "AML002 fixed" in report, report
    inputs = _job(records)["inputs"]
    folders = {name: inputs[name]["path"] for name in ("train", "test")}
    assert folders["train"] != folders["test"], folders
    for name, folder in folders.items():
        table = (tmp_path / folder / "MLTable").read_text()
        assert f"/paths/{name}/data.csv" in table, (name, table)
    # the folder's name is the same from one run of the tool to the next (audit, stop 63, f: it was hashed
    # with an object's identity in it)
    again = tmp_path / "again"
    again.mkdir()
    (again / "job.py").write_text(program)
    (again / "pyproject.toml").write_text("")
    fix(again / "job.py")
    assert set(re.findall(r"_v1_mltable_data_\w+", (again / "job.py").read_text())) == {
        folder.strip("./") for folder in folders.values() if "_v1_mltable_data_" in folder}


def test_tabular_datasets_of_one_path_in_two_workspaces_get_a_folder_each(tmp_path: Path) -> None:
    """The two MLTable files name two workspaces' datastores (review, stop 63: with the clients' stand-ins
    made alike for a stable name, they shared one folder)."""
    program = """\
from azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace

dev = Workspace.from_config()
prod = Workspace.get(name="prod-ws", subscription_id="11111111-1111-1111-1111-111111111111", resource_group="prod-rg")
dev_data = Dataset.Tabular.from_delimited_files(path=(dev.get_default_datastore(), "data/sales.csv"))
prod_data = Dataset.Tabular.from_delimited_files(path=(prod.get_default_datastore(), "data/sales.csv"))
dev_src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster",
                          arguments=["--data", dev_data.as_named_input("data")])
prod_src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster",
                           arguments=["--data", prod_data.as_named_input("data")])
dev_run = Experiment(dev, "exp").submit(dev_src)
prod_run = Experiment(prod, "exp").submit(prod_src)
"""
    script = project(tmp_path, program)
    report = fix(script)
    assert "0 left" in report, report
    folders = re.findall(r'mltable_folder="(\./_v1_mltable_sales\w*)"|"(\./_v1_mltable_sales\w*)"', script.read_text())
    assert len({a or b for a, b in folders}) == 2, script.read_text()


def test_a_registration_whose_result_is_read_keeps_it_as_the_v2_asset(tmp_path: Path) -> None:
    """mapping-extension 4.2 (BP): the returned Data has the same name; its version, a string in v2, is
    read as v1's int (audit, stop 63, f: ``print(d.name)`` kept the whole program v1)."""
    program = """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
d = Dataset.File.from_files(path="https://example.com/data/")
d = d.register(workspace=ws, name="raw_files", create_new_version=True)
print(d.name, d.version + 1)
"""
    migrated, report, records = _run(tmp_path, program)
    assert "AML022 fixed: dataset.register()" in report, report
    assert "d = ml_client.data.create_or_update(Data(" in migrated and "print(d.name, int(d.version) + 1)" in migrated
    assert any(r["operation"] == "data.create_or_update" for r in records), records


def test_a_register_call_with_other_keywords_is_no_dataset_registration(tmp_path: Path) -> None:
    # look-alike: a register() whose keywords are not a dataset's (model_path=) is no data source
    program = _submitting('thing = Thing().register(workspace=ws, name="model", model_path="outputs/model.pkl")\n',
                          '["--data", thing.as_mount()]', imports="Environment, Experiment, ScriptRunConfig, Workspace",
                          more="from somewhere import Thing\n")
    _left_as_written(tmp_path, program,
                     "AML002 left: argument `thing.as_mount()` has a type or value this fix cannot know",
                     "thing = Thing().register(")


def test_arguments_none_is_no_arguments(tmp_path: Path) -> None:
    # v1's default, passed literally and through a variable set to None just for it
    for arguments, setup in (("None", ""), ("arguments", "arguments = None\n")):
        program = _submitting(setup, arguments, imports="Environment, Experiment, ScriptRunConfig, Workspace")
        folder = tmp_path / arguments
        folder.mkdir()
        migrated, report, records = _run(folder, program)
        assert "0 left" in report, report
        assert "arguments" not in migrated
        assert _job(records)["component"]["command"] == "python train.py"


def test_an_upload_of_only_some_files_is_left_with_the_reason(tmp_path: Path) -> None:
    program = _submitting('store = ws.get_default_datastore()\n'
                          'dataset = Dataset.File.upload_directory(src_dir="data", target=(store, "data"), pattern="*.csv")\n',
                          '["--data", dataset.as_mount()]')
    _left_as_written(tmp_path, program,
                     "AML002 left: upload_directory(pattern=...): the dataset holds only the matching files",
                     "upload_directory(")


@pytest.mark.parametrize(("call", "expected"), [
    ('store.upload_files(\n    files=["a.csv"],  # the data\n    target_path="raw",\n)\n',
     '_v1_datastore_upload_files(\n    ml_client, store.name,\n    files=["a.csv"],  # the data\n    target_path="raw",\n)\n'),
    ('store.upload_files(  # all of it\n    files=["a.csv"])\n',
     '_v1_datastore_upload_files(ml_client, store.name,  # all of it\n    files=["a.csv"])\n'),
    ('store.upload(src_dir="./data")\n', '_v1_datastore_upload(ml_client, store.name, src_dir="./data")\n'),
])
def test_the_upload_helper_takes_the_call_s_layout(tmp_path: Path, call: str, expected: str) -> None:
    """The client and the store's name go first, without a blank left at the end of a line."""
    program = "from azureml.core import Workspace\nws = Workspace.from_config()\nstore = ws.get_default_datastore()\n" + call
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    assert migrated.endswith(expected), migrated
    assert not any(line != line.rstrip() for line in migrated.splitlines())


def test_a_note_two_uploads_share_is_said_once(tmp_path: Path) -> None:
    """Review 88: the datastore's fix said the same thing once per upload call."""
    program = ("from azureml.core import Workspace\nws = Workspace.from_config()\nstore = ws.get_default_datastore()\n"
               'store.upload(src_dir="a", target_path="ta")\nstore.upload(src_dir="b", target_path="tb")\n')
    report = fix(project(tmp_path, program))
    note = "upload() is done with azure-storage-blob, as v1 did (blob datastores only)"
    assert f"AML028 fixed: datastore handle -> ml_client.datastores ({note})\n" in report, report


NOTEBOOK_LAUNCHER = [
    "from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace\n"
    "ws = Workspace.from_config()",
    "%%time\n"
    'titanic = Dataset.File.from_files(path="https://example.com/data/titanic.csv")',
    'env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")\n'
    'config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",\n'
    '                         environment=env, arguments=[titanic.as_named_input("titanic").as_mount()])\n'
    'run = Experiment(ws, "from-a-notebook").submit(config)',
]


def test_a_script_launched_from_a_notebook_reads_its_mounted_input_from_the_environment(tmp_path: Path) -> None:
    """The launcher is a notebook cell: the script's mounted input is the path v1 exported,
    which the migrated notebook exports too."""
    (tmp_path / "pyproject.toml").write_text("")
    write_notebook(tmp_path / "launch.ipynb", NOTEBOOK_LAUNCHER)
    (tmp_path / "src").mkdir()
    train = tmp_path / "src" / "train.py"
    train.write_text('from azureml.core import Run\n\nrun = Run.get_context()\npath = run.input_datasets["titanic"]\n'
                     "print(path)\n")
    report = fix(train)
    assert "AML033 fixed" in report, report
    migrated = train.read_text()
    assert 'path = os.environ["titanic"]' in migrated and no_v1(migrated), migrated
    notebook = tmp_path / "launch.ipynb"
    fix(notebook)
    assert "export titanic=${{inputs.titanic}}" in notebook.read_text()


def _launched_reader(tmp_path: Path, cells: list[str]) -> Path:
    """A project: the notebook ``cells`` in launch.ipynb and src/train.py, which reads the input
    ``titanic`` from run.input_datasets; the script's path."""
    write_notebook(tmp_path / "launch.ipynb", cells)
    (tmp_path / "pytorch-env.yml").write_text("name: env\n")
    (tmp_path / "src").mkdir()
    train = tmp_path / "src" / "train.py"
    train.write_text('from azureml.core import Run\n\nrun = Run.get_context()\npath = run.input_datasets["titanic"]\n'
                     "print(path)\n")
    return train


def test_a_notebook_launcher_fixed_above_its_call_still_tells_the_script_its_inputs(tmp_path: Path) -> None:
    """The notebook stays v1 where it launches the script (submit(run_id=) is migrated by hand), but
    this run removes a line from a cell above: the call is found by its cell and line there, not by
    its old line in the program, so one run fixes the script as a second would (audit g)."""
    (tmp_path / "pyproject.toml").write_text("")
    cells = ["from azureml.core import Model\n" + NOTEBOOK_LAUNCHER[0], *NOTEBOOK_LAUNCHER[1:2],
             NOTEBOOK_LAUNCHER[2].replace('.submit(config)', '.submit(config, run_id="first")')]
    train = _launched_reader(tmp_path, cells)
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    result = run(command, cwd=tmp_path)
    notebook = (tmp_path / "launch.ipynb").read_text()
    assert "AML099 fixed" in result.stdout and "import Model" not in notebook, result.stdout
    assert 'run_id=\\"first\\")' in notebook and "ScriptRunConfig(" in notebook, notebook
    assert 'path = os.environ["titanic"]' in train.read_text(), result.stdout
    again = run(command, cwd=tmp_path)
    assert "Fixed 0 findings" in again.stdout, again.stdout


def test_a_launcher_shifted_in_its_own_cell_is_found_by_its_call_not_by_its_old_place(tmp_path: Path) -> None:
    """Lines removed above the two launches, in an earlier cell and in their own: the old cell and
    line then name the other launch.  Each script takes the call that names it, as the run found it:
    the one handed the dataset directly (an id in v1, a Dataset from input_datasets) keeps its read;
    the mounted one reads the exported path; a second run changes nothing (review 58 H1)."""
    (tmp_path / "pyproject.toml").write_text("")
    launch = ('env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")\n'
              'config = ScriptRunConfig(source_directory="./{folder}", script="train.py", compute_target="cpu-cluster", '
              'environment=env, arguments=[titanic.as_named_input("titanic"){mode}])')
    write_notebook(tmp_path / "launch.ipynb", [
        NOTEBOOK_LAUNCHER[0].replace("Workspace\n", "Workspace\nfrom azureml.core import Model\n"),
        'titanic = Dataset.Tabular.from_delimited_files(path="https://example.com/data/titanic.csv")',
        "from azureml.core import Datastore\n" + launch.format(folder="src", mode="") + "\n"
        + launch.format(folder="other", mode=".as_mount()").split("\n")[1].replace("config =", "other =") + "\n"
        'run = Experiment(ws, "nb").submit(config, run_id="first")\n'
        'run2 = Experiment(ws, "nb").submit(other, run_id="second")',
    ])
    (tmp_path / "pytorch-env.yml").write_text("name: env\n")
    reads = 'from azureml.core import Run\n\nrun = Run.get_context()\ndataset = run.input_datasets["titanic"]\nprint(dataset)\n'
    for folder in ("src", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "train.py").write_text(reads)
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."]
    result = run(command, cwd=tmp_path)
    assert "import Model" not in (tmp_path / "launch.ipynb").read_text(), result.stdout
    assert (tmp_path / "src" / "train.py").read_text() == reads, result.stdout
    assert 'dataset = os.environ["titanic"]' in (tmp_path / "other" / "train.py").read_text(), result.stdout
    again = run(command, cwd=tmp_path)
    assert "Fixed 0 findings" in again.stdout, again.stdout


def test_a_launch_call_copied_into_a_comment_is_not_a_second_launch(tmp_path: Path) -> None:
    """The launch cell keeps a commented-out copy of its ScriptRunConfig call: only a real call counts,
    so the script still reads the path the mounted input is exported as (review 58b)."""
    (tmp_path / "pyproject.toml").write_text("")
    call = ('ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", '
            'environment=env, arguments=[titanic.as_named_input("titanic").as_mount()])')
    cells = ["from azureml.core import Model\n" + NOTEBOOK_LAUNCHER[0], NOTEBOOK_LAUNCHER[1],
             'env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")\n'
             f"# config = {call}\nconfig = {call}\n"
             'run = Experiment(ws, "from-a-notebook").submit(config, run_id="first")']
    train = _launched_reader(tmp_path, cells)
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert 'path = os.environ["titanic"]' in train.read_text(), result.stdout


def test_a_tabular_input_waits_for_the_notebook_that_launches_it(tmp_path: Path) -> None:
    """Read directly, a tabular input is an MLTable once the launching notebook exports it:
    one run over the project fixes the notebook first, then the script."""
    (tmp_path / "pyproject.toml").write_text("")
    sources = [*NOTEBOOK_LAUNCHER[:2],
               'iris = Dataset.Tabular.from_delimited_files(path="https://example.com/data/iris.csv")',
               NOTEBOOK_LAUNCHER[2].replace('.as_mount()])', '.as_mount(), iris.as_named_input("iris")])')]
    write_notebook(tmp_path / "launch.ipynb", sources)
    (tmp_path / "pytorch-env.yml").write_text("name: env\n")
    (tmp_path / "src").mkdir()
    train = tmp_path / "src" / "train.py"
    train.write_text(TRAIN)
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    migrated = train.read_text()
    assert 'dataset = mltable.load(os.environ["iris"])' in migrated, result.stdout
    assert 'path = os.environ["titanic"]' in migrated and no_v1(migrated)


def test_a_helper_is_written_only_where_the_new_code_calls_it(tmp_path: Path) -> None:
    """The datastore stays v1 (its .path() is still read), so its upload stays v1 too: the upload
    helpers its migration would call are not written, while the dataset beside it migrates."""
    program = """\
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
datastore = ws.get_default_datastore()
datastore.upload_files(files=["./train.csv"], target_path="train-dataset/tabular/", overwrite=True)
dataset = Dataset.Tabular.from_delimited_files(path=[(datastore, "train-dataset/tabular/train.csv")])
env = Environment.from_conda_specification("e", "env.yml")
src = ScriptRunConfig(source_directory=".", script="train.py", arguments=["--input-data", dataset.as_named_input("train")],
                      compute_target="cpu", environment=env)
run = Experiment(ws, "x").submit(src)
print(datastore.path("x"))
"""
    script = project(tmp_path, program)
    report = fix(script)
    text = script.read_text()
    assert "AML002 fixed" in report and "datastore.upload_files(" in text
    assert "def _v1_mltable(" in text and "_v1_blob_upload" not in text and "_v1_datastore_upload_files" not in text


def test_a_job_whose_written_script_reads_input_datasets_moves_with_it(tmp_path: Path) -> None:
    """A notebook writes train.py with %%writefile and submits it: the script reads its data with
    run.input_datasets, which a v2 job does not set.  The cell is fixed after the notebook's calls,
    in the same run, so it reads the path the migrated command exports ($iris, as v1 did for a
    mounted input); when the written script reads the path from argv, the submission moves too."""
    from .test_notebook_cells import notebook, sources

    setup = "from azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace\n\nws = Workspace.from_config()\n"
    submit = ("datastore = ws.get_default_datastore()\n"
              "ds = Dataset.File.from_files(path=(datastore, 'iris/'))\n"
              "src = ScriptRunConfig(source_directory='src', script='train.py',\n"
              "                      arguments=[ds.as_named_input('iris').as_mount()], compute_target='cpu-cluster')\n"
              "run = Experiment(ws, 'iris').submit(src)\n")
    by_name = ("%%writefile src/train.py\nfrom azureml.core import Run\n\nrun = Run.get_context()\n"
               "print(run.input_datasets['iris'])\n")
    path = tmp_path / "job.ipynb"
    path.write_text(notebook(setup, by_name, submit))
    (tmp_path / "pyproject.toml").write_text("")
    report = fix(path)
    assert "AML002 fixed" in report and "AML033 fixed" in report, report
    assert 'print(os.environ["iris"])' in sources(path)[1] and "run.input_datasets" not in sources(path)[1]
    assert "command(" in sources(path)[2] and "export iris=${{inputs.iris}} && python train.py" in sources(path)[2]
    by_argv = "%%writefile src/train.py\nimport sys\n\nprint(sys.argv[1])\n"
    path.write_text(notebook(setup, by_argv, submit))
    report = fix(path)
    assert "AML002 fixed" in report and "command(" in sources(path)[2], report


def test_paths_built_from_known_strings_are_read(tmp_path: Path) -> None:
    """``data_dir + "/train.txt"`` and f-strings of variables assigned once are as fixed as literals."""
    setup = ('data_dir = "data/ner"\nsplit = f"{data_dir}/dev"\nstore = ws.get_default_datastore()\n'
             'train = Dataset.File.from_files(path=(store, data_dir + "/train.txt"))\n'
             'dev = Dataset.File.from_files(path=[(store, f"{split}/")])\n')
    migrated, report, records = _run(tmp_path, _submitting(setup, '["--train", train.as_mount(), "--dev", dev.as_download()]'))
    assert "0 left" in report, report
    inputs = _job(records)["inputs"]
    assert inputs["train"]["type"] == "uri_file" and inputs["train"]["path"].endswith("/paths/data/ner/train.txt")
    assert inputs["dev"]["type"] == "uri_folder" and inputs["dev"]["path"].endswith("/paths/data/ner/dev/")


def test_a_path_with_no_extension_is_a_folder_input_with_a_todo(tmp_path: Path) -> None:
    """v1 mounted a file or a folder alike; v2 needs the type, and nothing in the path says
    it: the input is a folder, and the program says so once, above the job, where people look."""
    setup = ('store = ws.get_default_datastore()\n'
             'scans = Dataset.File.from_files(path=(store, "raw/scans"))\n')
    migrated, _, records = _run(tmp_path, _submitting(setup, '["--scans", scans.as_mount()]'))
    inputs = _job(records)["inputs"]
    assert inputs["scans"]["type"] == "uri_folder" and inputs["scans"]["path"].endswith("/paths/raw/scans")
    todo = ("# TODO(azureml-v2): AML022 the dataset path (store.name, 'raw/scans') has no file extension and is read "
            "as a folder (uri_folder); if it names one file, make its type uri_file")
    assert migrated.count(todo) == 1, migrated


def test_a_registered_path_with_no_extension_says_so_above_the_registration(tmp_path: Path) -> None:
    """The registered asset's type is the same guess: the TODO goes above the registration."""
    script = project(tmp_path, """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
scans = Dataset.File.from_files(path=(store, "raw/scans"))
scans.register(workspace=ws, name="scans", create_new_version=True)
""")
    report = fix(script)
    migrated = script.read_text()
    assert "AML022 fixed: dataset.register()" in report, report
    lines = migrated.splitlines()
    at = next(i for i, line in enumerate(lines) if "ml_client.data.create_or_update(Data(" in line)
    assert lines[at - 1] == ("# TODO(azureml-v2): AML022 the dataset path (store.name, 'raw/scans') has no file "
                             "extension and is read as a folder (uri_folder); if it names one file, make its type "
                             "uri_file"), migrated
    assert 'type="uri_folder"' in lines[at]
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


@pytest.mark.parametrize("path", ['f"{name!r}/"', 'f"{width:>8}/"', 'name + str(2)'])
def test_strings_only_known_at_run_time_are_not_folded(tmp_path: Path, path: str) -> None:
    setup = f'name = "scans"\nwidth = "w"\nstore = ws.get_default_datastore()\nds = Dataset.File.from_files(path=(store, {path}))\n'
    _left_as_written(tmp_path, _submitting(setup, '["--data", ds.as_mount()]'), "is not one this fix can read")


REGISTERED_STORE = """\
from azureml.core import Dataset, Datastore, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
images = Datastore.register_azure_blob_container(ws, datastore_name="images_store", container_name="sampledata",
                                                 account_name="pipelinedata", overwrite=True)
labels_path = images.path("batchscoring/labels/")
scans = Dataset.File.from_files((images, "batchscoring/images/"))
labels = Dataset.File.from_files(path=labels_path)
env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
config = ScriptRunConfig(source_directory="./src", script="score.py", compute_target="cpu-cluster", environment=env,
                         arguments=["--images", scans.as_mount(), "--labels", labels.as_download()])
run = Experiment(ws, "scoring").submit(config)
"""


def test_a_registered_datastore_stays_and_jobs_read_it_by_its_name(tmp_path: Path) -> None:
    """The registration stays v1 (it creates the store); the datasets on it become inputs that name
    the store by the name it was registered under, also through a ``store.path()`` variable."""
    script = project(tmp_path, REGISTERED_STORE)
    report = fix(script)
    migrated = script.read_text()
    assert "images = Datastore.register_azure_blob_container(ws, " in migrated
    assert "AML001 fixed" in report and "AML023 left" in report, report
    assert 'path="azureml://datastores/images_store/paths/batchscoring/images/"' in migrated
    assert 'path="azureml://datastores/images_store/paths/batchscoring/labels/"' in migrated
    fix(script)
    assert script.read_text() == migrated
    # the job, run without the v1 lines that stay (they need azureml-core, which tests do not install)
    kept = ("from azureml.core", "ws = ", "images = ", "                                                 account_name",
            "labels_path = ")
    script.write_text("".join(line for line in migrated.splitlines(keepends=True) if not line.startswith(kept)))
    inputs = _job(execute(script))["inputs"]
    assert inputs["images"]["path"].endswith("//datastores/images_store/paths/batchscoring/images/")
    assert inputs["labels"]["mode"] == "download"


def test_a_datastore_registered_inside_the_dataset_expression_stays(tmp_path: Path) -> None:
    """Rewriting the dataset would delete the registration written inside it."""
    setup = ('ds = Dataset.File.from_files((Datastore.register_azure_blob_container(ws, "images_store", "c", "a"), '
             '"images/"))\n')
    _left_as_written(tmp_path, _submitting(setup, '["--data", ds.as_mount()]', more="from azureml.core import Datastore\n"),
                     "the datastore is registered inside the expression that is rewritten", "register_azure_blob_container")


def test_a_registered_dataset_read_directly_is_left(tmp_path: Path) -> None:
    """Read directly, a registered dataset of unknown type may be a file or a tabular dataset
    (mapping-extension 4.2: BP only when the type is known; 4.4: the script's use decides)."""
    program = _submitting('iris = ws.datasets["iris"]\n', '["--iris", iris.as_named_input("iris")]')
    _left_as_written(tmp_path, program, "a registered dataset read directly (no as_mount()/as_download()) may be a "
                     "file or a tabular dataset", 'iris = ws.datasets["iris"]')


@pytest.mark.parametrize(("script", "migrates"), [
    ('from azureml.core import Run\n\nrun = Run.get_context()\ndf = run.input_datasets["iris"].to_pandas_dataframe()\n'
     'run.log("rows", len(df))\n', True),
    ('from azureml.core import Run\n\nrun = Run.get_context()\nds = run.input_datasets["iris"]\n'
     'print(ds.to_pandas_dataframe(), ds.id)\n', False),  # read as more than a table: the script decides
])
def test_a_registered_dataset_its_script_reads_as_a_table_is_an_mltable_input(tmp_path: Path, script: str,
                                                                              migrates: bool) -> None:
    """Its script reads it only with ``to_pandas_dataframe()``: the dataset is tabular, so the job
    takes it as an MLTable and exports its folder, which the script's fix reads with mltable
    (mapping-extension 4.2 typed by its use; 4.4 direct mode, a documented default)."""
    program = _submitting('iris = ws.datasets["iris"]\n', '["--iris", iris.as_named_input("iris")]')
    (tmp_path / "pyproject.toml").write_text("")  # the project: the script's fix finds its launcher there
    if not migrates:
        launcher = project(tmp_path, program)
        (tmp_path / "src" / "train.py").write_text(script)
        report = fix(launcher, "src/train.py")
        assert "may be a file or a tabular dataset" in report and "ScriptRunConfig(" in launcher.read_text()
        return
    migrated, _, records = _run(tmp_path, program, files={"src/train.py": script})
    job = _job(records)
    assert job["inputs"]["iris"]["type"] == "mltable" and job["inputs"]["iris"]["path"] == "iris@latest", job
    assert 'Input(type="mltable", path="azureml:iris@latest")' in migrated
    assert job["component"]["command"].startswith("export iris=${{inputs.iris}} && python train.py --iris "), job
    assert "TODO(azureml-v2): AML022 the script must read this input with mltable.load(" in migrated
    train = tmp_path / "src" / "train.py"  # fixed in the same run, after its launcher
    assert 'df = mltable.load(os.environ["iris"]).to_pandas_dataframe()' in train.read_text(), train.read_text()


REGISTER_IF_MISSING = """\
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
dataset = Dataset.File.from_files(path=(store, "mnist/"))
dataset_registered = False
try:
    temp = Dataset.get_by_name(workspace=ws, name="mnist-dataset")
    dataset_registered = True
except:
    print("not registered yet")

if not dataset_registered:
    dataset = dataset.register(workspace=ws, name="mnist-dataset", create_new_version=True)
env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                         environment=env, arguments=["--data-folder", dataset.as_named_input("mnist").as_mount()])
run = Experiment(ws, "mnist").submit(config)
"""


def test_a_dataset_registered_only_when_missing_is_the_same_input_either_way(tmp_path: Path) -> None:
    """``ds = ds.register(...)`` in a branch: registering returns the same files, so the job's
    input is the same whether the branch ran or not, and the registration moves into the branch."""
    migrated, report, records = _run(tmp_path, REGISTER_IF_MISSING)
    assert "0 left" in report, report
    assert ('if not dataset_registered:\n    ml_client.data.create_or_update(Data(name="mnist-dataset", '
            'path=f"azureml://datastores/{store.name}/paths/mnist/", type="uri_folder"))') in migrated, migrated
    assert 'temp = ml_client.data.get("mnist-dataset", label="latest")' in migrated
    job = _job(records)
    assert job["inputs"]["mnist"] == {"type": "uri_folder", "path": "//datastores/workspaceblobstore/paths/mnist/"}


def test_a_dataset_rebound_in_a_branch_to_something_else_is_refused(tmp_path: Path) -> None:
    """Only a self-registration keeps the data: a branch that builds other files is refused."""
    program = REGISTER_IF_MISSING.replace(
        'dataset = dataset.register(workspace=ws, name="mnist-dataset", create_new_version=True)',
        'dataset = Dataset.File.from_files(path=(store, "other/"))')
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML002 left: `dataset` is not built by one plain assignment" in report, report
    assert "ScriptRunConfig(" in script.read_text()


def _register_notebook(tmp_path: Path, *extra: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    program = project(tmp_path, REGISTER_IF_MISSING, "unused.py")
    program.unlink()
    sources = [REGISTER_IF_MISSING, *extra]
    notebook = write_notebook(tmp_path / "mnist.ipynb", sources)
    return notebook


def test_a_notebooks_own_lookup_of_the_dataset_does_not_keep_its_registration_v1(tmp_path: Path) -> None:
    """The notebook's code cells are the program under fix: their v1 lookup is migrated in the same
    run, so it does not count as another file that reads the asset back with v1."""
    notebook = _register_notebook(tmp_path)
    report = fix(notebook)
    assert "0 left" in report, report
    text = notebook.read_text()
    assert "ml_client.data.create_or_update(Data(" in text and "ScriptRunConfig" not in text
    assert fix(notebook).count(" fixed") == 0 and notebook.read_text() == text  # a second run changes nothing


def test_a_script_the_notebook_writes_still_counts_as_a_v1_reader(tmp_path: Path) -> None:
    """A %%writefile script runs on its own, unmigrated: its v1 lookup keeps the registration v1."""
    notebook = _register_notebook(
        tmp_path, '%%writefile score.py\nfrom azureml.core import Dataset, Run\n'
                  'ws = Run.get_context().experiment.workspace\nprint(Dataset.get_by_name(ws, "mnist-dataset"))\n')
    report = fix(notebook)
    assert 'mnist.ipynb (`get_by_name(ws, "mnist-dataset"`) looks the dataset up with v1' in report, report
    assert "dataset.register(workspace=ws" in notebook.read_text()


def test_deleting_an_unused_output_makes_no_client_for_a_workspace_that_stays(tmp_path: Path) -> None:
    """Audit t M3: the only rewrite is the deletion of a PipelineData nothing uses, while the
    workspace and its datastore stay for v1 code: the deletion names no new object, so no
    ``ml_client`` is written beside ``ws`` (it was, unused, and then let the version print move)."""
    program = ("import azureml.core\nfrom azureml.core import Workspace\nfrom azureml.pipeline.core import PipelineData\n\n"
               'print("SDK", azureml.core.VERSION)\nws = Workspace.from_config()\nstore = ws.get_default_datastore()\n'
               "unused = PipelineData('unused', datastore=store)\nkept = PipelineData('kept', datastore=store)\n"
               "kept.some_v1_call()\n")
    script = project(tmp_path, program)
    report = fix(script)
    migrated = script.read_text()
    assert "AML005 fixed: PipelineData() removed: nothing uses it" in report, report
    assert "unused = PipelineData" not in migrated and "MLClient" not in migrated and "azureml.core.VERSION" in migrated
    assert "the migrated code uses the new object beside it" not in report, report


def test_a_reader_in_another_notebook_is_named_by_its_cell_and_line(tmp_path: Path) -> None:
    """The blocker names the place in the other notebook (audit n L2): its cell and line, not
    only its file; a markdown cell and a code cell before it count as cells."""
    notebook = _register_notebook(tmp_path)
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# get_by_name(ws, 'mnist-dataset') in prose"},
             {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": "from azureml.core import Dataset, Workspace\nws = Workspace.from_config()\n"},
             {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": "\nprint(Dataset.get_by_name(ws, 'mnist-dataset').to_path())\n"}]
    (tmp_path / "explore.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                         "nbformat_minor": 5}, indent=1) + "\n")
    report = fix(notebook)
    assert "explore.ipynb:cell 3:2 (`get_by_name(ws, 'mnist-dataset'`) looks the dataset up with v1" in report, report
    assert "dataset.register(workspace=ws" in notebook.read_text()


@pytest.mark.parametrize(("code", "construct", "call"), [
    ("AML005", "PipelineData()", 'PipelineData("output", datastore=store)'),
    ("AML006", "OutputFileDatasetConfig()", 'OutputFileDatasetConfig(name="output")'),
])
def test_an_output_no_step_takes_is_said_to_be_removed(tmp_path: Path, code: str, construct: str, call: str) -> None:
    """microsoft/MLOps had a PipelineData that only a comment named: the fix deletes it, and says
    so rather than that it became an Output of a step (a used one still says "-> Output(...)")."""
    script = project(tmp_path, f"""\
from azureml.core import Workspace
from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.core import PipelineData

ws = Workspace.from_config()
store = ws.get_default_datastore()
output = {call}  # nothing reads it
""")
    report = fix(script)
    assert f"{code} fixed: {construct} removed: nothing uses it" in report, report
    text = script.read_text()
    assert no_v1(text) and "output =" not in text
    assert "\n# nothing reads it\n" in text  # the statement goes, its comment stays


@pytest.mark.parametrize("mode", [(), ("--unsafe-fixes",)])
def test_the_import_that_patches_labeled_datasets_stays(tmp_path: Path, mode: tuple[str, ...]) -> None:
    """``import azureml.contrib.dataset`` binds nothing the script reads, but importing it replaces
    TabularDataset.to_pandas_dataframe with the version a data-labeling project's dataset needs:
    the v1 read that stays would break without it, so neither mode removes it."""
    script = project(tmp_path, """\
        from azureml.core import Workspace, Dataset
        import azureml.contrib.dataset

        ws = Workspace.from_config()
        labels = Dataset.get_by_name(ws, name="animal_labels")
        df = labels.to_pandas_dataframe()
        """)
    command = [sys.executable, "-m", "flake8_azureml_v2", "fix", *mode, script.name]
    report = run(command, cwd=tmp_path)
    text = script.read_text()
    assert "\nimport azureml.contrib.dataset\n" in text
    assert "labels.to_pandas_dataframe()" in text
    assert "AML099 left: the import stays for what importing it does: it patches TabularDataset" in report.stdout
    assert run(command, cwd=tmp_path).returncode in (0, 1)
    assert script.read_text() == text


def test_a_dataset_only_mounted_into_an_unused_variable_is_said_to_be_removed(tmp_path: Path) -> None:
    """``dataset_input = dataset.as_mount()`` that nothing reads goes with the dataset: no job
    takes either, so neither is said to have become a job's Input."""
    script = project(tmp_path, """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore()
dataset = Dataset.File.from_files(path=(store, "datasets"))
dataset_input = dataset.as_mount()
print(ws.name)
""")
    report = fix(script)
    assert report.count("AML022 fixed: dataset removed: nothing uses it") == 2, report
    assert "the Input(...) of the jobs that read it" not in report
    assert "dataset" not in script.read_text()


def test_a_dataset_built_in_a_loop_is_left_saying_so_and_nothing_claims_a_new_object(tmp_path: Path) -> None:
    """Each pass of the loop builds and registers another dataset: no one v2 object stands for
    them, and with the dataset left, the workspace and datastore kept for it have no new
    counterpart either, so their lines must not say that migrated code uses one."""
    script = project(tmp_path, """\
        from azureml.core import Workspace, Datastore, Dataset

        ws = Workspace.from_config()
        datastore = Datastore.get(ws, "workspaceblobstore")
        for split in ["train", "test"]:
            dataset = Dataset.Tabular.from_delimited_files(path=[(datastore, "{}/*.csv".format(split))])
            dataset.register(workspace=ws, name="data_{}".format(split), create_new_version=True)
        """)
    before = script.read_text()
    report = fix(script)
    assert "AML022 left: `dataset` is assigned inside a loop;" in report, report
    assert "AML020 left: `ws` is also used at line 7 (`ws`), which stays as it is; v2:" in report, report
    assert "beside it" not in report and script.read_text() == before, report


def test_a_registration_of_several_urls_says_the_asset_is_their_common_parent(tmp_path: Path) -> None:
    """Registered, the several files of a v1 dataset become one folder asset: the same documented
    default as for a job's input, with its TODO (mapping-extension.md 4.2)."""
    script = project(tmp_path, """\
from azureml.core import Dataset, Workspace

ws = Workspace.from_config()
paths = ["https://acct.blob.core.windows.net/mnist/train-images.gz",
         "https://acct.blob.core.windows.net/mnist/train-labels.gz"]
dataset = Dataset.File.from_files(path=paths)
dataset = dataset.register(workspace=ws, name="mnist", create_new_version=False)
""")
    fix(script)
    migrated = script.read_text()
    todos = [line for line in migrated.splitlines() if line.startswith("# TODO(azureml-v2): AML022")]
    assert len(todos) == 2 and "v2 takes their common parent https://acct.blob.core.windows.net/mnist/" in todos[0]
    assert 'path="https://acct.blob.core.windows.net/mnist/", type="uri_folder", version="1"' in migrated, migrated
    records = execute(script)
    (created,) = [r for r in records if r["operation"] == "data.create_or_update"]
    assert created["data"]["path"] == "https://acct.blob.core.windows.net/mnist/", created
    fix(script)
    assert script.read_text() == migrated


@pytest.mark.parametrize(("urls", "migrates"), [
    (["http://example.com/mnist/a.gz", "http://example.com/mnist/b.gz"], False),  # a web server lists nothing
    (["https://acct.blob.core.windows.net/data/a.csv", "https://acct.blob.core.windows.net/data/b.csv"], True),
])
def test_several_urls_become_a_folder_only_on_storage(tmp_path: Path, urls: list[str], migrates: bool) -> None:
    program = _submitting(f"ds = Dataset.File.from_files({urls!r})\n", '["--data", ds.as_mount()]')
    if migrates:
        migrated, _, records = _run(tmp_path, program)
        assert _job(records)["inputs"]["data"]["path"] == "https://acct.blob.core.windows.net/data/"
        assert "v2 takes their common parent" in migrated
    else:
        _left_as_written(tmp_path, program, "AML022 left: the dataset lists several files on http://example.com: a v2 "
                         "folder input is a storage folder, and a web server's folder cannot be listed")


def test_several_folders_downloaded_from_a_datastore_root_are_left(tmp_path: Path) -> None:
    """Their common parent is the whole datastore: mounted, the job merely sees more (the documented
    default and its TODO); downloaded, v2 would copy every blob of the store, so it is left."""
    setup = ('store = ws.get_default_datastore()\n'
             'ds = Dataset.File.from_files(path=[(store, "train/"), (store, "valid/")])\n')
    (tmp_path / "mounted").mkdir()
    (tmp_path / "downloaded").mkdir()
    migrated, _, records = _run(tmp_path / "mounted", _submitting(setup, '["--data", ds.as_mount()]'))
    assert _job(records)["inputs"]["data"]["path"].endswith("/paths/"), records
    assert "v2 takes their common parent /, and with it whatever else" in migrated
    assert "no file extension" not in migrated
    _left_as_written(tmp_path / "downloaded", _submitting(setup, '["--data", ds.as_download()]'),
                     "AML002 left: the dataset's paths share no folder but the datastore's root, and v2 would "
                     "download all of it", "as_download()")


TABLE_OUTPUT = """\
from azureml.core import Environment, Experiment, Workspace
from azureml.core.runconfig import RunConfiguration
from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
ds = ws.get_default_datastore()
run_config = RunConfiguration()
env = Environment.from_conda_specification("env", "./pytorch-env.yml")
run_config.environment = env

raw_data = OutputFileDatasetConfig(name="Raw_Data", destination=(ds, "raw_data/{{run-id}}")).read_delimited_files(){register}
get_data = PythonScriptStep(name="get data", script_name="get_data.py", source_directory="./src",
                            arguments=["--raw_data", raw_data], outputs=[raw_data],
                            compute_target="cpu-cluster", runconfig=run_config)
train = PythonScriptStep(name="train", script_name="train.py", source_directory="./src",
                         arguments=["--data", raw_data.as_input(name="Raw_Data")],
                         compute_target="cpu-cluster", runconfig=run_config)
pipeline = Pipeline(workspace=ws, steps=[get_data, train])
run = Experiment(ws, "exp").submit(pipeline)
"""


@pytest.mark.parametrize("register", ["", '.register_on_complete(name="Raw_Data")'])
def test_an_output_read_as_a_table_stays_a_folder_its_readers_load_with_mltable(tmp_path: Path, register: str) -> None:
    """mapping-extension 4.5: .read_delimited_files() leaves the producer a uri_folder (listed in
    its outputs=, it is that step's output), and the reader gets it as an input with the TODO that
    says how to read it; registered, v2 registers the folder, which the producer's TODO says."""
    migrated, report, records = _run(tmp_path, TABLE_OUTPUT.format(register=register), "pipeline.py",
                                     {"src/get_data.py": "print('get')\n", "src/train.py": "print('train')\n"})
    job = _job(records)
    produced = job["jobs"]["get_data"]["outputs"]["Raw_Data"]
    assert produced["path"].endswith("/paths/raw_data/${{name}}"), produced
    assert ("name" in produced) is bool(register), produced
    assert job["jobs"]["train"]["inputs"]["Raw_Data"]["path"] == "${{parent.jobs.get_data.outputs.Raw_Data}}"
    lines = migrated.splitlines()
    above = {name: lines[lines.index(next(line for line in lines if line.startswith(f"{name}_component = "))) - 1]
             for name in ("get_data", "train")}
    reader = "# TODO(azureml-v2): AML006 the reading script must load this folder with mltable.from_delimited_files("
    assert above["train"].startswith(reader) and migrated.count(reader) == 1, above
    registered = "# TODO(azureml-v2): AML006 v1 registered 'Raw_Data' as a tabular dataset; v2 registers this folder"
    assert above["get_data"].startswith(registered) if register else registered not in migrated, above


def test_a_dataset_of_a_workspace_imported_from_another_module_says_so(tmp_path: Path) -> None:
    (tmp_path / "shared_ws.py").write_text("from azureml.core import Workspace\nws = Workspace.from_config()\n")
    script = project(tmp_path, """\
        from shared_ws import ws as shared
        from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
        ws = Workspace.from_config()
        env = Environment.from_conda_specification(name="e", file_path="pytorch-env.yml")
        src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu", environment=env,
                              arguments=["--d", Dataset.get_by_name(shared, "d").as_named_input("d").as_mount()])
        run = Experiment(ws, "x").submit(src)
        """)
    report = fix(script)
    assert ("AML002 left: `shared` (line 6) is imported from another module, whose object this fix does not "
            "follow") in report, report


def test_a_datastore_assigned_with_a_type_annotation_says_the_annotation_holds_it_back(tmp_path: Path) -> None:
    """``datastore: Datastore = ws.get_default_datastore()``: rewriting the value would leave the
    annotation naming the v1 class, so it is left, saying so and what to do (audit i: the message
    was "this form is not migrated automatically"); without the annotation it is rewritten."""
    program = """\
from azureml.core import Datastore, Workspace

ws = Workspace.from_config()
datastore: Datastore = ws.get_default_datastore()
print(datastore.name)
"""
    script = project(tmp_path, program)
    report = fix(script)
    assert "datastore: Datastore = ws.get_default_datastore()" in script.read_text(), report
    assert "AML028 left: its value is assigned with a type annotation (`Datastore`), which would go on naming the " \
        "old type: drop the annotation, then fix;" in report, report
    script = project(tmp_path, program.replace("datastore: Datastore = ", "datastore = "))
    report = fix(script)
    assert "datastore = ml_client.datastores.get_default()" in script.read_text(), report


def test_a_registered_dataset_names_the_latest_label_not_a_latest_version(tmp_path: Path) -> None:
    """v1's default version is 'latest'; v2 spells it as a label (``@latest``, ``label="latest"``)
    and fails on ``version="latest"``, which the message must never suggest (audit i)."""
    script = tmp_path / "ds.py"
    script.write_text("from azureml.core import Dataset, Workspace\n\nws = Workspace.from_config()\n"
                      "data = Dataset.get_by_name(ws, 'titanic', 'latest')\n")
    result = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--select", "AML022", "ds.py"], cwd=tmp_path)
    assert result.stdout.startswith("ds.py:4:8: AML022 Dataset.get_by_name() is Azure ML SDK v1; use an "
                                    '"azureml:<name>@latest" input path or ml_client.data.get(name, label="latest")'), \
        result.stdout
    assert 'version="latest"' not in result.stdout and "version=...)" not in result.stdout


def test_an_upload_of_a_folder_stays_and_says_so_without_naming_jobs(tmp_path: Path) -> None:
    """Audit 2e: the upload was said to put in place 'the folder that the migrated jobs read' where
    no job read it at all."""
    script = project(tmp_path, "from azureml.core import Workspace, Dataset\nfrom azureml.data.datapath import DataPath\n"
                               "workspace = Workspace.from_config()\nstore = workspace.get_default_datastore()\n"
                               "ds = Dataset.File.upload_directory(src_dir='./samples', target=DataPath(store, 'train'))\n")
    report = fix(script)
    assert "AML022 left: it uploads a folder (Dataset.File.upload_directory has no v2 form in the reference)" in report, report
    assert "migrated jobs" not in report, report


def test_a_dataset_on_the_default_datastore_named_inline(tmp_path: Path) -> None:
    """Audit 2e: ``Dataset.File.from_files(path=(ws.get_default_datastore(), "images/"))`` was left
    ("name it in a variable first"); the job that reads it builds the datastore URI from the default
    datastore's name, as with the store in a variable."""
    script = project(tmp_path, """\
from azureml.core import Workspace, Dataset, Experiment, ScriptRunConfig, Environment
ws = Workspace.from_config()
env = Environment.get(ws, "my-env", version="3")
images = Dataset.File.from_files(path=(ws.get_default_datastore(), "images/"))
config = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=env,
                         arguments=["--images", images.as_named_input("images").as_mount()])
run = Experiment(ws, "exp").submit(config)
""")
    report = fix(script)
    assert "0 left" in report, report
    ruff_clean(script)
    (job,) = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert job["valid"], job["errors"]
    path = job["job"]["inputs"]["images"]["path"]
    assert path == "//datastores/workspaceblobstore/paths/images/", path  # ("azureml:" stripped in the REST form)
