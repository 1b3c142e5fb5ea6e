"""HyperDriveStep -> a sweep node built in the pipeline function, executed: the migrated
pipeline job passes _validate() and to_rest_job_object, and its node carries the search
space, objective, limits and early termination (mapping-extension.md 8.1, the
HyperDriveStep row: ``node = trial(...)`` then ``node.sweep(...)`` inside ``@dsl.pipeline``)."""

from __future__ import annotations

import shlex
import textwrap
from pathlib import Path

from .migrate_helpers import fix, migrate_to_one_job, project

HEADER = """\
from azureml.core import Dataset, Experiment, ScriptRunConfig, Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import HyperDriveStep, PythonScriptStep
from azureml.train.hyperdrive import BanditPolicy, HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling
from azureml.train.hyperdrive import choice, loguniform

ws = Workspace.from_config()
ps = RandomParameterSampling({
    "--batch-size": choice(25, 50, 100),
    "--learning-rate": loguniform(-6, -1),
})
"""
CONFIG = """\
hd_config = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, policy=BanditPolicy(slack_factor=0.1),
                             primary_metric_name="validation_acc", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                             max_total_runs=8)
"""


def _program(body: str, steps: str = "[hd_step]") -> str:
    return (HEADER + textwrap.dedent(body) + CONFIG + 'hd_step = HyperDriveStep(name="tune", hyperdrive_config=hd_config, '
            f"inputs=[{_INPUT}])\n" f"pipeline = Pipeline(workspace=ws, steps={steps})\n"
            'run = Experiment(ws, "sweep-pipeline").submit(pipeline)\n')


_INPUT = "data_folder"


def _pipeline(tmp_path: Path, program: str) -> tuple[str, dict]:
    return migrate_to_one_job(project(tmp_path, program), ("AML002", "AML050", "AML054", "AML004", "AML001"))


def test_a_sweep_step_over_a_dataset_becomes_a_sweep_node_with_v1_defaults(tmp_path: Path) -> None:
    migrated, job = _pipeline(tmp_path, _program("""\
        dataset = Dataset.File.from_files("https://example.com/mnist/")
        data_folder = dataset.as_mount()
        src = ScriptRunConfig(source_directory="./src", script="train.py", arguments=["--data-folder", data_folder],
                              compute_target="gpu-cluster", environment="AzureML-minimal@latest")
        """))
    assert "hd_config = dict(" in migrated and ".sweep(**hd_config)" in migrated
    node = job["jobs"]["hd_step"]
    assert node["type"] == "sweep"
    assert 'hd_step.display_name = "tune"' in migrated  # the step's name (the node's dict leaves it out)
    assert node["sampling_algorithm"] == "random"
    assert node["objective"] == {"goal": "maximize", "primary_metric": "validation_acc"}
    # v1's defaults, which v2 leaves unset: all trials at once, 7 days, evaluation every interval
    assert node["limits"] == {"max_total_trials": 8, "max_concurrent_trials": 8, "timeout": 604800}
    assert node["early_termination"]["evaluation_interval"] == 1
    assert node["search_space"]["batch_size"] == {"type": "choice", "values": [25, 50, 100]}
    assert node["search_space"]["learning_rate"]["type"] == "loguniform"
    # v1 appended --<key> <value> itself; the trial's command binds the search space as inputs
    command = shlex.split(node["trial"]["command"])
    assert command == ["python", "train.py", "--data-folder", "${{inputs.data_folder}}", "--batch-size",
                       "${{inputs.batch_size}}", "--learning-rate", "${{inputs.learning_rate}}"]
    assert node["inputs"]["data_folder"]["path"] == "${{parent.inputs.data_folder}}"
    assert job["inputs"]["data_folder"] == {"type": "uri_folder", "path": "https://example.com/mnist/"}
    assert job["settings"]["default_compute"] == "gpu-cluster"


def test_a_sweep_over_what_an_earlier_step_produced_reads_its_output(tmp_path: Path) -> None:
    program = _program("""\
        data_folder = PipelineData("prepared")
        prep = PythonScriptStep(name="prep", script_name="prep.py", source_directory="./src", arguments=["--out", data_folder],
                                outputs=[data_folder], compute_target="gpu-cluster")
        src = ScriptRunConfig(source_directory="./src", script="train.py", arguments=["--data-folder", data_folder],
                              compute_target="gpu-cluster", environment="AzureML-minimal@latest")
        """, steps="[prep, hd_step]")
    _, job = _pipeline(tmp_path, program)
    node = job["jobs"]["hd_step"]
    assert node["inputs"]["prepared"]["path"] == "${{parent.jobs.prep.outputs.prepared}}"
    assert "--data-folder ${{inputs.prepared}}" in node["trial"]["command"]


def _left(tmp_path: Path, program: str) -> str:
    """The AML054 line of the report, when nothing of the pipeline may change."""
    script = project(tmp_path, program)
    report = fix(script)
    after = script.read_text()
    for v1 in ("ScriptRunConfig(", "RandomParameterSampling(", "HyperDriveConfig(", "HyperDriveStep(",
               "Pipeline(workspace", ".submit(pipeline)"):
        assert v1 in after, after  # the pipeline is not half migrated
    (line,) = [line for line in report.splitlines() if " AML054 left: " in line]
    return line


def test_step_outputs_are_left_for_a_person(tmp_path: Path) -> None:
    """A sweep node's outputs are its best trial's: the trial script must write them itself."""
    program = _program("""\
        dataset = Dataset.File.from_files("https://example.com/mnist/")
        data_folder = dataset.as_mount()
        src = ScriptRunConfig(source_directory="./src", script="train.py", arguments=["--data-folder", data_folder],
                              compute_target="gpu-cluster", environment="AzureML-minimal@latest")
        """).replace("inputs=[data_folder])", 'inputs=[data_folder], outputs=[PipelineData("model")])')
    assert "outputs= of a HyperDriveStep: a v2 sweep node's outputs are its best trial's" in _left(tmp_path, program)


def test_a_trial_also_submitted_on_its_own_is_left(tmp_path: Path) -> None:
    program = _program("""\
        dataset = Dataset.File.from_files("https://example.com/mnist/")
        data_folder = dataset.as_mount()
        src = ScriptRunConfig(source_directory="./src", script="train.py", arguments=["--data-folder", data_folder],
                              compute_target="gpu-cluster", environment="AzureML-minimal@latest")
        Experiment(ws, "single").submit(src)
        """)
    assert "`src` is also used outside this HyperDriveConfig" in _left(tmp_path, program)


def test_a_sweep_over_an_estimator_says_so(tmp_path: Path) -> None:
    """Audit (stop 63, b M4): the refusal named run_config=, which the program does not use."""
    program = _program("""\
        from azureml.train.estimator import Estimator
        dataset = Dataset.File.from_files("https://example.com/mnist/")
        data_folder = dataset.as_mount()
        src = Estimator(source_directory="./src", entry_script="train.py", compute_target="gpu-cluster",
                        pip_packages=["torch"])
        """).replace("run_config=src", "estimator=src")
    script = project(tmp_path, program)
    report = fix(script)
    (line,) = [line for line in report.splitlines() if " AML054 left: " in line]
    assert "the HyperDriveConfig's trial is an estimator=: a sweep node over an estimator's command" in line, report
    assert "HyperDriveStep(" in script.read_text() and "Estimator(" in script.read_text()
