"""ParallelRunStep -> parallel_run_function, executed: a parallel node only converts inside
a pipeline (mapping-extension.md 10), so the migrated pipeline job is validated and
converted with to_rest_job_object, and the node carries v1's defaults (8.3)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from .migrate_helpers import execute, fix, no_v1, project, ruff_clean

HEADER = """\
from azureml.core import Dataset, Environment, Experiment, Workspace
from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

ws = Workspace.from_config()
batch_env = Environment.get(ws, "AzureML-sklearn-1.0")
output_dir = OutputFileDatasetConfig("inferences")
"""
PIPELINE = """\
pipeline = Pipeline(workspace=ws, steps=[parallelrun_step])
pipeline_run = Experiment(ws, "batch").submit(pipeline)
"""


ENTRY_SCRIPT = "def init():\n    pass\n\n\ndef run(mini_batch):\n    return mini_batch\n"


def _node(tmp_path: Path, body: str) -> tuple[str, dict]:
    script = project(tmp_path, HEADER + textwrap.dedent(body) + PIPELINE)
    for entry in ("batch_score.py", "score_iris.py"):  # (reading nothing from the environment)
        (tmp_path / "src" / entry).write_text(ENTRY_SCRIPT)
    report = fix(script)
    migrated = script.read_text()
    for code in ("AML052", "AML053", "AML004", "AML001"):
        assert f"{code} fixed" in report, report
    assert no_v1(migrated), migrated
    ruff_clean(script)
    (job,) = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert job["valid"], job["errors"]
    assert job["rest_error"] is None, job["rest_error"]
    return migrated, job["job"]


def test_a_file_dataset_step_with_v1_defaults_written_out(tmp_path: Path) -> None:
    migrated, job = _node(tmp_path, """\
        batch_data = Dataset.File.from_files("https://example.com/batch/")
        parallel_run_config = ParallelRunConfig(source_directory="./src", entry_script="batch_score.py",
                                                error_threshold=10, output_action="append_row",
                                                environment=batch_env, compute_target="cpu-cluster", node_count=2)
        parallelrun_step = ParallelRunStep(name="batch-score", parallel_run_config=parallel_run_config,
                                           inputs=[batch_data.as_named_input("batch_data")], output=output_dir,
                                           arguments=["--model_name", "churn"], allow_reuse=False)
        """)
    assert "BatchRetrySettings" not in migrated  # v2 rejects it; RetrySettings is what it takes
    node = job["jobs"]["parallelrun_step"]
    assert node["type"] == "parallel" and job["settings"]["default_compute"] == "cpu-cluster"
    assert node["mini_batch_size"] == "10"  # v1: 10 files per mini-batch of a FileDataset
    assert node["max_concurrency_per_instance"] == 1 and node["logging_level"] == "INFO"
    assert node["retry_settings"] == {"timeout": 60, "max_retries": 3}
    assert node["resources"] == {"instance_count": 2} and node["error_threshold"] == 10
    assert node["input_data"] == "${{inputs.batch_data}}"
    assert node["task"]["entry_script"] == "batch_score.py"
    assert node["task"]["program_arguments"] == "--model_name churn"
    assert node["task"]["append_row_to"] == "${{outputs.inferences}}"
    assert node["component"]["is_deterministic"] is False
    assert job["inputs"]["batch_data"] == {"type": "uri_folder", "path": "https://example.com/batch/"}


def test_the_append_row_file_name_goes_to_the_driver_with_a_todo(tmp_path: Path) -> None:
    """mapping-extension 8.3 (D+T): v1 passed --append_row_file_name to the same driver (audit, stop 63, g)."""
    migrated, job = _node(tmp_path, """\
        batch_data = Dataset.File.from_files("https://example.com/batch/")
        parallel_run_config = ParallelRunConfig(source_directory="./src", entry_script="batch_score.py",
                                                error_threshold=10, output_action="append_row",
                                                append_row_file_name="my preds.txt",
                                                environment=batch_env, compute_target="cpu-cluster", node_count=2)
        parallelrun_step = ParallelRunStep(name="batch-score", parallel_run_config=parallel_run_config,
                                           inputs=[batch_data.as_named_input("batch_data")], output=output_dir)
        """)
    node = job["jobs"]["parallelrun_step"]
    assert node["task"]["program_arguments"] == "--append_row_file_name 'my preds.txt'"
    assert migrated.count("# TODO(azureml-v2): AML052 v1 passed --append_row_file_name to the same driver") == 1


@pytest.mark.parametrize("chain", ['.as_named_input("batch_data")', '.as_named_input("batch_data").as_mount()'])
def test_a_dataset_consumed_where_it_is_built(tmp_path: Path, chain: str) -> None:
    """Audit y: ``ds = Dataset.File.from_files(...).as_named_input("x")`` passed as ``inputs=[ds]``
    is the same input as ``inputs=[ds.as_named_input("x")]``."""
    _, job = _node(tmp_path, f"""\
        batch_data = Dataset.File.from_files("https://example.com/batch/"){chain}
        parallel_run_config = ParallelRunConfig(source_directory="./src", entry_script="batch_score.py",
                                                error_threshold=10, output_action="append_row",
                                                environment=batch_env, compute_target="cpu-cluster", node_count=2)
        parallelrun_step = ParallelRunStep(name="batch-score", parallel_run_config=parallel_run_config,
                                           inputs=[batch_data], output=output_dir)
        """)
    node = job["jobs"]["parallelrun_step"]
    assert node["input_data"] == "${{inputs.batch_data}}" and node["inputs"]["batch_data"]["path"] == "${{parent.inputs.batch_data}}"
    assert job["inputs"]["batch_data"] == {"type": "uri_folder", "path": "https://example.com/batch/"}


def test_a_tabular_dataset_step_reads_an_mltable(tmp_path: Path) -> None:
    migrated, job = _node(tmp_path, """\
        iris = Dataset.Tabular.from_delimited_files("https://example.com/iris.csv")
        parallel_run_config = ParallelRunConfig(source_directory="./src", entry_script="score_iris.py",
                                                error_threshold=5, output_action="summary_only",
                                                environment=batch_env, compute_target="cpu-cluster", node_count=1,
                                                process_count_per_node=2, run_invocation_timeout=120, run_max_try=1,
                                                allowed_failed_count=3, allowed_failed_percent=10,
                                                logging_level="DEBUG")
        parallelrun_step = ParallelRunStep(name="score-iris", parallel_run_config=parallel_run_config,
                                           inputs=[iris.as_named_input("iris")], output=output_dir)
        """)
    assert migrated.count("TODO(azureml-v2): AML052 the tabular dataset became an MLTable") == 1
    node = job["jobs"]["parallelrun_step"]
    assert node["mini_batch_size"] == "1048576"  # v1: 1 MB per mini-batch of a TabularDataset ("1MB")
    assert node["max_concurrency_per_instance"] == 2 and node["logging_level"] == "DEBUG"
    assert node["retry_settings"] == {"timeout": 120, "max_retries": 1}
    assert node["mini_batch_error_threshold"] == 3
    assert node["task"]["program_arguments"] == "--allowed_failed_percent 10"
    assert "append_row_to" not in node["task"]  # summary_only
    assert job["inputs"]["iris"]["type"] == "mltable"
    assert '- file: "https://example.com/iris.csv"' in (tmp_path / "iris_mltable" / "MLTable").read_text()


@pytest.mark.parametrize(("step", "reason"), [
    ('inputs=[data, data]', "a v2 parallel job reads one input_data"),
    ('inputs=[data], output=output_dir, side_inputs=data', "side_inputs= is not a list of variables"),
])
def test_what_a_parallel_job_cannot_take_is_reported(tmp_path: Path, step: str, reason: str,
                                                    dataset: str = '"https://example.com/batch/"') -> None:
    script = project(tmp_path, HEADER + textwrap.dedent(f"""\
        data = Dataset.File.from_files({dataset})
        parallel_run_config = ParallelRunConfig(entry_script="s.py", error_threshold=1, output_action="append_row",
                                                environment=batch_env, compute_target="c", node_count=1)
        parallelrun_step = ParallelRunStep(name="s", parallel_run_config=parallel_run_config, {step},
                                           arguments=[])
        """) + PIPELINE)
    report = fix(script)
    assert "AML052 left" in report and reason in report, report


def test_a_dataset_of_several_folders_is_not_widened_for_a_parallel_job(tmp_path: Path) -> None:
    """A job input of several v1 paths may read their common parent (a documented default), but a
    parallel job makes a mini-batch item of every file it holds: v1 scored only the listed folders."""
    test_what_a_parallel_job_cannot_take_is_reported(
        tmp_path, "inputs=[data], output=output_dir", "would also process every other file in it",
        dataset='["https://acct.blob.core.windows.net/c/2024/", "https://acct.blob.core.windows.net/c/2025/"]')
    assert "ParallelRunStep(" in (tmp_path / "job.py").read_text()


NAMED_STEP = textwrap.dedent("""\
    batch_data = Dataset.File.from_files("https://example.com/batch/")
    parallel_run_config = ParallelRunConfig(source_directory="./src", entry_script="batch_score.py",
                                            error_threshold=10, output_action="append_row",
                                            environment=batch_env, compute_target="cpu-cluster", node_count=2)
    parallelrun_step = ParallelRunStep(name="batch-score", parallel_run_config=parallel_run_config,
                                       inputs=[batch_data.as_named_input("batch_data")], output=output_dir)
    """)


def test_a_step_whose_entry_script_logs_asks_for_mlflow_in_its_registered_environment(tmp_path: Path) -> None:
    """The entry script logs through the v1 run; the step runs in a registered environment the fix
    cannot see into, so the component carries the TODO that holds the script's logging."""
    script = project(tmp_path, HEADER + NAMED_STEP + PIPELINE)
    (tmp_path / "pyproject.toml").write_text("")  # one project: the script's fix finds the step's TODO
    (tmp_path / "src" / "batch_score.py").write_text(
        "from azureml.core import Run\n\ndef init():\n    pass\n\ndef run(batch):\n"
        "    Run.get_context().log('rows', len(batch))\n    return batch\n")
    report = fix(script)
    migrated = script.read_text()
    assert "AML052 fixed" in report, report
    assert migrated.count("# TODO(azureml-v2): AML052 batch_score.py logs with MLflow once migrated") == 1, migrated
    report = fix(tmp_path / "src" / "batch_score.py")
    assert "Run.get_context().log('rows', len(batch))" in (tmp_path / "src" / "batch_score.py").read_text(), report
    assert "runs it in an environment that may have no mlflow" in report, report


@pytest.mark.parametrize("entry, module", [
    ('import os\nDATA = os.environ["batch_data"]\n' + ENTRY_SCRIPT, ""),
    ("import paths\n" + ENTRY_SCRIPT, 'import os\nOUT = os.getenv("inferences")\n'),
])
def test_an_entry_script_that_reads_v1s_variables_keeps_the_step(tmp_path: Path, entry: str, module: str) -> None:
    """Review 87: v1 set a variable per named input and output, and a parallel task has no
    command to export them in; an entry script (or a module it imports) that reads one keeps
    the step v1."""
    script = project(tmp_path, HEADER + NAMED_STEP + PIPELINE)
    (tmp_path / "src" / "batch_score.py").write_text(entry)
    (tmp_path / "src" / "paths.py").write_text(module)
    report = fix(script)
    read = "'batch_data'" if not module else "'inferences'"
    assert (f"step `parallelrun_step`: the entry script (or a module it imports) reads {read} from the environment, "
            "where v1 set it, and a parallel task cannot set it") in report, report
    assert "ParallelRunStep(" in script.read_text()


@pytest.mark.parametrize("entry", [None, "import platform\nprint(platform.system())  # the execution environment\n"
                                         + ENTRY_SCRIPT])
def test_an_entry_script_seen_to_read_none_of_them_gets_the_todo(tmp_path: Path, entry: str | None) -> None:
    """Not found, or reading none by name (review 87: words such as "environment" or "system" are
    no reason to keep it), the step migrates with one TODO naming the variables v1 set."""
    script = project(tmp_path, HEADER + NAMED_STEP + PIPELINE)
    if entry is not None:
        (tmp_path / "src" / "batch_score.py").write_text(entry)
    report = fix(script)
    assert "AML052 fixed" in report, report
    todo = ("# TODO(azureml-v2): AML052 v1 also set the environment variables 'batch_data', 'inferences' for "
            "batch_score.py, which a parallel task does not: check that it reads none of them")
    assert script.read_text().count(todo) == 1, script.read_text()
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


def test_a_config_without_source_directory_is_left_with_the_reason(tmp_path: Path) -> None:
    """Without source_directory= v1's step took the entry script from a folder of its own choosing,
    which the reference does not give: the step stays, where it used to lose its code (audit 42)."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        batch_data = Dataset.File.from_files("https://example.com/batch/")
        parallel_run_config = ParallelRunConfig(entry_script="batch_score.py", error_threshold=10,
                                                output_action="append_row", environment=batch_env,
                                                compute_target="cpu-cluster", node_count=2)
        parallelrun_step = ParallelRunStep(name="batch-score", parallel_run_config=parallel_run_config,
                                           inputs=[batch_data.as_named_input("batch_data")], output=output_dir)
        """) + PIPELINE)
    report = fix(script)
    assert ("step `parallelrun_step`: the ParallelRunConfig has no source_directory=: the folder v1 took the "
            "entry script from is not written out") in report, report
    assert "ParallelRunStep(" in script.read_text()
