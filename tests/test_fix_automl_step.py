"""AutoMLStep -> an automl node built in the pipeline function, executed: the migrated
pipeline job passes _validate() and to_rest_job_object, and its node carries the task,
data, limits and v1's defaults (mapping-extension.md 8.2, the AutoMLStep row)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from .migrate_helpers import execute, fix, no_v1, project, ruff_clean, submitted

HEADER = """\
from azureml.core import Dataset, Experiment, Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import AutoMLStep
from azureml.train.automl import AutoMLConfig

ws = Workspace.from_config()
experiment = Experiment(ws, "automlstep-sample")
dataset = Dataset.Tabular.from_delimited_files("https://example.com/crime0-random.csv")
automl_config = AutoMLConfig(compute_target="cpu-cluster", task="classification", training_data=dataset,
                             label_column_name="Primary Type", experiment_timeout_minutes=20,
                             max_concurrent_iterations=4, primary_metric="AUC_weighted")
"""
PIPELINE = """\
pipeline = Pipeline(description="pipeline_with_automlstep", workspace=ws, steps=[automl_step])
pipeline_run = experiment.submit(pipeline)
"""


def _program(step: str) -> str:
    return HEADER + textwrap.dedent(step) + PIPELINE


def test_an_automl_step_becomes_a_node_with_v1_defaults_written_out(tmp_path: Path) -> None:
    script = project(tmp_path, _program('automl_step = AutoMLStep(name="automl_module", automl_config=automl_config)\n'))
    report = fix(script)
    migrated = script.read_text()
    for code in ("AML051", "AML055", "AML004", "AML001"):
        assert f"{code} fixed" in report, report
    assert no_v1(migrated), migrated
    ruff_clean(script)
    assert "automl_config = dict(" in migrated
    # the node reads its data from an input of the pipeline function: an Input given to the node
    # itself would be sent as its string form
    assert ('automl_step = automl.classification(**{**automl_config, "training_data": automl_step_training_data})'
            in migrated), migrated
    assert 'pipeline_pipeline(automl_step_training_data=automl_config["training_data"])' in migrated
    assert 'automl_step.display_name = "automl_module"' in migrated
    (job,) = submitted(execute(script))
    node = job["job"]["jobs"]["automl_step"]
    assert node["type"] == "automl" and node["task"] == "classification"
    assert node["target_column_name"] == "Primary Type"
    assert node["primary_metric"].lower() == "auc_weighted"  # the node's dict spells it in lower case
    # the MLTable the TabularDataset became, bound through the pipeline's input
    assert node["training_data"] == "${{parent.inputs.automl_step_training_data}}"
    assert job["job"]["inputs"]["automl_step_training_data"] == {"type": "mltable", "path": "dataset_mltable"}
    assert (tmp_path / "dataset_mltable" / "MLTable").is_file()
    # v1's defaults, which v2 leaves to the service
    assert node["limits"] == {"timeout_minutes": 20, "max_concurrent_trials": 4, "max_trials": 1000,
                              "max_cores_per_trial": 1, "enable_early_termination": True}
    assert node["training"] == {"enable_model_explainability": True, "enable_onnx_compatible_models": False,
                                "enable_vote_ensemble": True}
    assert node["featurization"] == {"mode": "auto"}
    assert job["job"]["settings"]["default_compute"] == "cpu-cluster"
    assert job["kwargs"]["experiment_name"] == "automlstep-sample"
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before  # the second run changes nothing


def _left(tmp_path: Path, step: str, program: str | None = None) -> str:
    """The AML055 line of the report; the config, the step and the pipeline all stay."""
    script = project(tmp_path, program or _program(step))
    report = fix(script)
    after = script.read_text()
    for v1 in ("AutoMLConfig(", "AutoMLStep(", "Pipeline(description", "experiment.submit(pipeline)"):
        assert v1 in after, after
    (line,) = [line for line in report.splitlines() if " AML055 left: " in line]
    return line


def test_the_steps_model_output_is_left_for_a_person(tmp_path: Path) -> None:
    """v2's best model is an MLflow model where v1 gave a pickle: its readers change too."""
    left = _left(tmp_path, """\
        model_data = PipelineData(name="model_data", datastore=ws.get_default_datastore())
        automl_step = AutoMLStep(name="automl_module", automl_config=automl_config, outputs=[model_data])
        """)
    assert "outputs= of an AutoMLStep: a v2 automl node reads its data from its settings" in left


def test_a_step_that_is_never_reused_is_left(tmp_path: Path) -> None:
    left = _left(tmp_path, 'automl_step = AutoMLStep(name="automl_module", automl_config=automl_config, '
                           "allow_reuse=False)\n")
    assert "allow_reuse= other than True: a v2 automl node has no reuse setting" in left


def test_a_config_the_step_cannot_use_leaves_the_step_with_its_reason(tmp_path: Path) -> None:
    """Without a compute target v1 ran AutoML locally, which v2 does not have."""
    program = _program('automl_step = AutoMLStep(name="automl_module", automl_config=automl_config)\n')
    left = _left(tmp_path, "", program.replace('compute_target="cpu-cluster", ', ""))
    assert "its AutoMLConfig: no compute_target: a local AutoML run, which v2 does not have" in left
