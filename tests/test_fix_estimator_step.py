"""EstimatorStep -> the estimator's command as a pipeline node, executed: the migrated
pipeline job passes _validate() and to_rest_job_object (mapping-extension.md 8.4, the
EstimatorStep row: "the same command used as a pipeline node; allow_reuse -> is_deterministic")."""

from __future__ import annotations

import shlex
import textwrap
from pathlib import Path

from .migrate_helpers import execute, fix, migrate_to_one_job, project, submitted

HEADER = """\
from azureml.core import Dataset, Experiment, Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import EstimatorStep, PythonScriptStep
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
raw = Dataset.File.from_files("https://example.com/raw/")
prepared = PipelineData("prepared")
prep_step = PythonScriptStep(name="prep", script_name="prep.py", source_directory="./src",
                             arguments=["--raw", raw.as_named_input("raw").as_mount(), "--out", prepared],
                             outputs=[prepared], compute_target="cpu-cluster")
"""
PIPELINE = """\
pipeline = Pipeline(workspace=ws, steps=[prep_step, train_step])
run = Experiment(ws, "estimator-pipeline").submit(pipeline)
"""


def _program(body: str) -> str:
    return HEADER + textwrap.dedent(body) + PIPELINE


def _pipeline(tmp_path: Path, body: str) -> tuple[str, dict]:
    return migrate_to_one_job(project(tmp_path, _program(body)), ("AML009", "AML057", "AML003", "AML004", "AML001"))


def test_the_step_runs_the_estimators_command_with_its_arguments_and_data(tmp_path: Path) -> None:
    migrated, job = _pipeline(tmp_path, """\
        estimator = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                              pip_packages=["scikit-learn"])
        train_step = EstimatorStep(name="train", estimator=estimator,
                                   estimator_entry_script_arguments=["--data", prepared, "--epochs", 5],
                                   inputs=[prepared], compute_target="cpu-cluster", allow_reuse=False)
        """)
    assert "EstimatorStep" not in migrated and "train_step = estimator(" in migrated
    node = job["jobs"]["train_step"]
    assert shlex.split(node["component"]["command"]) == ["python", "train.py", "--data", "${{inputs.prepared}}",
                                                         "--epochs", "5"]
    # the edge from the producing step, through the PipelineData both steps list
    assert node["inputs"]["prepared"]["path"] == "${{parent.jobs.prep_step.outputs.prepared}}"
    assert node["component"]["display_name"] == "train"
    assert node["component"]["is_deterministic"] is False  # allow_reuse=False
    pip = node["component"]["environment"]["conda_file"]["dependencies"][-1]["pip"]
    assert pip == ["azureml-defaults", "scikit-learn"]  # v1's base plus the estimator's packages
    assert job["settings"]["default_compute"] == "cpu-cluster"


def test_data_the_step_lists_but_does_not_pass_is_exported_as_v1_did(tmp_path: Path) -> None:
    """v1 handed a listed input to the script in an environment variable named after it."""
    script = project(tmp_path, _program("""\
        estimator = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster")
        train_step = EstimatorStep(name="train", estimator=estimator, estimator_entry_script_arguments=[],
                                   inputs=[prepared], compute_target="cpu-cluster")
        """))
    (tmp_path / "src" / "train.py").write_text('import os\nfolder = os.environ["prepared"]\n')
    report = fix(script)
    assert "AML057 fixed" in report, report
    (job,) = submitted(execute(script))
    command = job["job"]["jobs"]["train_step"]["component"]["command"]
    assert command == "export prepared=${{inputs.prepared}} && python train.py"


def _left(tmp_path: Path, body: str) -> str:
    """The AML057 line of the report, when nothing of the pipeline may change."""
    script = project(tmp_path, _program(body))
    before = script.read_text()
    report = fix(script)
    assert script.read_text() == before, script.read_text()  # the pipeline is not half migrated
    (line,) = [line for line in report.splitlines() if " AML057 left: " in line]
    return line


def test_script_params_on_an_estimator_a_step_runs_are_left_for_a_person(tmp_path: Path) -> None:
    left = _left(tmp_path, """\
        estimator = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                              script_params={"--epochs": 5})
        train_step = EstimatorStep(name="train", estimator=estimator, estimator_entry_script_arguments=["--data", prepared],
                                   inputs=[prepared], compute_target="cpu-cluster")
        """)
    assert "script_params= on an estimator an EstimatorStep runs: v1 took the step's" in left


def test_an_estimator_also_used_outside_its_step_is_left(tmp_path: Path) -> None:
    left = _left(tmp_path, """\
        estimator = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster")
        train_step = EstimatorStep(name="train", estimator=estimator, estimator_entry_script_arguments=["--data", prepared],
                                   inputs=[prepared], compute_target="cpu-cluster")
        print(estimator.run_config)
        """)
    assert "estimator= is not an estimator variable used only by this step" in left


def test_a_step_on_another_compute_than_its_estimator_is_left(tmp_path: Path) -> None:
    left = _left(tmp_path, """\
        estimator = Estimator(source_directory="./src", entry_script="train.py", compute_target="gpu-cluster")
        train_step = EstimatorStep(name="train", estimator=estimator, estimator_entry_script_arguments=["--data", prepared],
                                   inputs=[prepared], compute_target="cpu-cluster")
        """)
    assert "the estimator and its step name different compute targets" in left


def test_arguments_past_the_third_by_position_are_left(tmp_path: Path) -> None:
    """Sources disagree on EstimatorStep's order after estimator_entry_script_arguments."""
    left = _left(tmp_path, """\
        estimator = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster")
        train_step = EstimatorStep("train", estimator, ["--data", prepared], None, [prepared],
                                   compute_target="cpu-cluster")
        """)
    assert "the EstimatorStep passes more than 3 arguments by position" in left


def test_an_estimator_step_no_list_names_becomes_a_node_through_the_data_it_produces(tmp_path: Path) -> None:
    """v1 builds a pipeline from the listed steps and every step that produces data they read."""
    script = project(tmp_path, """\
from azureml.core import Experiment, Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import EstimatorStep, PythonScriptStep
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
model_dir = PipelineData("model_dir")
estimator = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster")
train_step = EstimatorStep(name="train", estimator=estimator, estimator_entry_script_arguments=["--out", model_dir],
                           outputs=[model_dir], compute_target="cpu-cluster")
register_step = PythonScriptStep(name="register", script_name="register.py", source_directory="./src",
                                 arguments=["--model", model_dir], inputs=[model_dir], compute_target="cpu-cluster")
pipeline = Pipeline(workspace=ws, steps=[register_step])
run = Experiment(ws, "implicit").submit(pipeline)
""")
    _, job = migrate_to_one_job(script, ("AML009", "AML057", "AML003", "AML004", "AML001"))
    assert set(job["jobs"]) == {"train_step", "register_step"}
    assert job["jobs"]["register_step"]["inputs"]["model_dir"]["path"] == "${{parent.jobs.train_step.outputs.model_dir}}"
    assert "--out ${{outputs.model_dir}}" in job["jobs"]["train_step"]["component"]["command"]
