"""The script-run migration, executed: v1 program -> fixer -> real azure-ai-ml job."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from .migrate_helpers import assert_fixed_point, execute, fix, no_v1, project, ruff_clean

SEED_SHAPE = """\
from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig

# connect to the workspace
ws = Workspace.from_config()

# define and configure the experiment
experiment = Experiment(workspace=ws, name='day1-experiment-train')
config = ScriptRunConfig(source_directory='./src',
                         script='train.py',  # the entry point
                         compute_target='cpu-cluster')

# set up pytorch environment
env = Environment.from_conda_specification(
    name='pytorch-env',
    file_path='pytorch-env.yml')
config.run_config.environment = env

run = experiment.submit(config)

aml_url = run.get_portal_url()
print(aml_url)
"""


def _only_job(records: list[dict]) -> tuple[dict, dict]:
    submits = [r for r in records if r["operation"] == "jobs.create_or_update"]
    assert len(submits) == 1
    record = submits[0]
    assert record["valid"], record["errors"]
    assert record["rest_error"] is None, record["rest_error"]  # what create_or_update checks next
    job = dict(record["job"])
    job["code"] = record["code"]
    return job, record["kwargs"]


def _assert_seed_job(job: dict, kwargs: dict) -> None:
    assert job["type"] == "command"
    assert job["component"]["command"] == "python train.py"
    assert job["code"] == "./src"
    assert job["compute"] == "cpu-cluster"
    assert job["environment"]["conda_file"]["dependencies"] == ["python=3.10", "pip"]
    assert job["environment"]["image"].startswith("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04")
    assert kwargs["experiment_name"] == "day1-experiment-train"


def test_seed_program_becomes_a_valid_command_job(tmp_path: Path) -> None:
    script = project(tmp_path, SEED_SHAPE)
    report = fix(script)
    migrated = script.read_text()
    assert no_v1(migrated)
    assert "# the entry point" in migrated and "# connect to the workspace" in migrated
    assert "AML002 fixed" in report and "AML001 fixed" in report
    ruff_clean(script)
    job, kwargs = _only_job(execute(script))
    _assert_seed_job(job, kwargs)
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before  # the second run changes nothing


def test_positional_arguments_map_by_v1_position(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig

    ws = Workspace.from_config()
    env = Environment.from_conda_specification('pytorch-env', 'pytorch-env.yml')
    # compute_target is the 6th positional parameter; run_config and _telemetry_values sit between
    config = ScriptRunConfig('./src', 'train.py', None, None, None, 'cpu-cluster', env) if False else \\
        ScriptRunConfig('./src', 'train.py', ['--epochs', 3], compute_target='cpu-cluster', environment=env)
    run = Experiment(ws, 'day1-experiment-train').submit(config)
    """
    script = project(tmp_path, program)
    fix(script)
    # the conditional expression is not a plain construction: nothing may be guessed there
    assert "ScriptRunConfig(" in script.read_text()

    program = """\
    from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig

    ws = Workspace.from_config()
    env = Environment.from_conda_specification('pytorch-env', 'pytorch-env.yml')
    config = ScriptRunConfig('./src', 'train.py', ['--epochs', 3])
    config.run_config.target = 'cpu-cluster'
    config.run_config.environment = env
    run = Experiment(ws, 'day1-experiment-train').submit(config)
    run.wait_for_completion(show_output=True)
    """
    script = project(tmp_path, program)
    fix(script)
    ruff_clean(script)
    records = execute(script)
    job, kwargs = _only_job(records)
    assert job["component"]["command"] == "python train.py --epochs 3"
    assert job["code"] == "./src"
    assert job["compute"] == "cpu-cluster"
    assert kwargs["experiment_name"] == "day1-experiment-train"
    assert records[-1] == {"operation": "jobs.stream", "name": "recorded-job-1"}


def test_sixth_positional_is_compute_target(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig

    ws = Workspace.from_config()
    env = Environment.from_conda_specification('pytorch-env', 'pytorch-env.yml')
    cluster = 'cpu-cluster'
    config = ScriptRunConfig('./src', 'train.py', ['--lr', 0.5], compute_target=cluster, environment=env)
    run = Experiment(ws, 'exp').submit(config)
    """
    script = project(tmp_path, program)
    fix(script)
    job, _ = _only_job(execute(script))
    assert job["compute"] == "cpu-cluster"
    assert job["component"]["command"] == "python train.py --lr 0.5"


def test_a_config_without_a_compute_target_stays_local(tmp_path: Path) -> None:
    """v1 ran a config that names no compute_target locally; v2 would send it to serverless
    compute, so the default is written out (mapping-extension.md 5, D+T) with one TODO."""
    program = """\
    from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig

    ws = Workspace.from_config()
    env = Environment.from_conda_specification('pytorch-env', 'pytorch-env.yml')
    config = ScriptRunConfig(source_directory='./src', script='train.py', environment=env)
    run = Experiment(ws, 'exp').submit(config)
    """
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    assert migrated.count("# TODO(azureml-v2): AML002 v1 ran this config locally") == 1
    assert 'compute="local"' in migrated
    fix(script)
    assert script.read_text() == migrated
    job, _ = _only_job(execute(script))
    assert job["compute"] == "local"


def test_module_alias_import(tmp_path: Path) -> None:
    program = SEED_SHAPE.replace(
        "from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig",
        "import azureml.core as aml",
    )
    for name in ("Workspace", "Experiment", "Environment", "ScriptRunConfig"):
        program = program.replace(f"{name}(", f"aml.{name}(").replace(f"= {name}.", f"= aml.{name}.")
    assert "aml.Workspace.from_config()" in program
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    assert no_v1(migrated) and "aml." not in migrated
    ruff_clean(script)
    job, kwargs = _only_job(execute(script))
    _assert_seed_job(job, kwargs)


def test_arguments_with_datasets_outputs_and_literals(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
    from azureml.data import OutputFileDatasetConfig

    ws = Workspace.from_config()
    env = Environment.from_conda_specification(name='pytorch-env', file_path='pytorch-env.yml')
    titanic = Dataset.File.from_files(path=['https://example.com/data/titanic.csv'])
    images = Dataset.File.from_files('https://example.com/images/')
    model_dir = OutputFileDatasetConfig('model-output')
    config = ScriptRunConfig(
        source_directory='./src',
        script='train.py',
        arguments=[
            '--data', titanic.as_named_input('titanic').as_mount(),
            '--images', images.as_named_input('train-images').as_download(),
            '--out', model_dir,
            '--epochs', 5, '--lr', 0.1, '--note', "two words",
            '--shuffle', True,
        ],
        compute_target='cpu-cluster',
        environment=env,
    )
    run = Experiment(ws, 'datasets').submit(config)
    """
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    assert no_v1(migrated)
    ruff_clean(script)
    job, kwargs = _only_job(execute(script))
    tokens = shlex.split(job["component"]["command"])
    assert tokens == [
        # v1's variables of the named data; env sets the names a shell cannot
        "export", "titanic=${{inputs.titanic}}", "&&",
        "env", "train-images=${{inputs.train_images}}", "model-output=${{outputs.model_output}}",
        "python", "train.py",
        "--data", "${{inputs.titanic}}",
        "--images", "${{inputs.train_images}}",
        "--out", "${{outputs.model_output}}",
        "--epochs", "5", "--lr", "0.1", "--note", "two words", "--shuffle", "True",
    ]
    assert job["inputs"]["titanic"] == {"type": "uri_file", "path": "https://example.com/data/titanic.csv"}
    assert job["inputs"]["train_images"] == {"type": "uri_folder", "path": "https://example.com/images/", "mode": "download"}
    # v1's default destination, written out (mapping-extension.md 4.5)
    assert job["outputs"]["model_output"] == {
        "type": "uri_folder", "path": "//datastores/workspaceblobstore/paths/dataset/${{name}}/${{output_name}}/"}
    assert kwargs["experiment_name"] == "datasets"


def test_experiment_submitted_in_another_function(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

    ws = Workspace.from_config()
    experiment = Experiment(ws, 'from-a-function')
    env = Environment.get(ws, 'AzureML-sklearn-1.0', version='3')
    config = ScriptRunConfig('./src', 'train.py', compute_target='cpu-cluster', environment=env)


    def submit():
        run = experiment.submit(config)
        print(run.id)


    submit()
    """
    script = project(tmp_path, program)
    fix(script)
    ruff_clean(script)
    job, kwargs = _only_job(execute(script))
    assert kwargs["experiment_name"] == "from-a-function"
    assert job["environment"] == "AzureML-sklearn-1.0:3"


def test_status_polling_and_cancel_on_the_submitted_run(tmp_path: Path) -> None:
    """run.get_status() and run.cancel() are specs on the submitted run (mapping-extension.md 6)."""
    script = project(tmp_path, """\
        import time
        from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

        ws = Workspace.from_config()
        env = Environment.get(ws, "sklearn-env", version="3")
        config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                                 environment=env)
        run = Experiment(ws, "status-demo").submit(config)
        while run.get_status() not in ("Completed", "Failed"):
            time.sleep(1)
        run.cancel()
        print(run.get_status())
        """)
    report = fix(script)
    migrated = script.read_text()
    assert "AML049 fixed" in report and "AML080 fixed" in report and no_v1(migrated)
    assert "ml_client.jobs.get(run.name).status" in migrated
    assert "ml_client.jobs.begin_cancel(run.name).result()" in migrated
    ruff_clean(script)
    records = execute(script)
    operations = [r["operation"] for r in records]
    assert operations == ["jobs.create_or_update", "jobs.get", "jobs.begin_cancel", "jobs.get"]
    assert records[1]["name"] == records[2]["name"] == "recorded-job-1"
    _only_job(records)


def test_a_setting_made_again_after_the_call_wins_as_in_v1(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    first = Environment.get(ws, name="first-env", version="1")
    second = Environment.get(ws, name="second-env", version="2")
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=first)
    src.run_config.environment = second
    src.run_config.target = "gpu-cluster"
    run = Experiment(ws, "again").submit(src)
    """
    script = project(tmp_path, program)
    report = fix(script)
    migrated = script.read_text()
    assert "0 left" in report, report
    assert "run_config" not in migrated and migrated.count("environment=") == 1
    assert migrated.count("MLClient.from_config(") == 1  # the variable only the replaced value read migrates too
    job, _ = _only_job(execute(script))
    assert job["environment"].endswith("second-env:2") and job["compute"] == "gpu-cluster"
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


def _fully_migrated(tmp_path: Path, program: str) -> tuple[Path, str]:
    """The program written, fixed with nothing left, and its migrated text."""
    script = project(tmp_path, program)
    report = fix(script)
    assert "0 left" in report, report
    return script, script.read_text()


def _submits(records: list[dict]) -> list[dict]:
    submits = [r for r in records if r["operation"] == "jobs.create_or_update"]
    for record in submits:
        assert record["valid"], record["errors"]
        assert record["rest_error"] is None, record["rest_error"]
    return [record["job"] for record in submits]


def test_a_setting_made_after_a_submit_changes_only_later_submits(tmp_path: Path) -> None:
    """v1 changed the config in place: the first job ran where the call said, the second where
    the later setting said.  v2's job object takes the settings the same way, where they were."""
    program = """\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    from azureml.core.compute import ComputeTarget
    ws = Workspace.from_config()
    experiment = Experiment(ws, "in-place")
    first_env = Environment.get(ws, name="first-env", version="1")
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                          environment=first_env)
    run = experiment.submit(src)
    gpu = ComputeTarget(workspace=ws, name="gpu-cluster")
    second_env = Environment.get(ws, name="second-env", version="2")
    src.run_config.target = gpu
    src.run_config.environment = second_env
    second = experiment.submit(src)
    """
    script, migrated = _fully_migrated(tmp_path, program)
    assert no_v1(migrated)
    assert "src.compute = gpu.name\n" in migrated
    assert "src.environment = second_env\n" in migrated
    first, later = _submits(execute(script, {"AML_EXISTING_COMPUTE": "gpu-cluster"}))
    assert first["compute"] == "cpu-cluster" and first["environment"].endswith("first-env:1")
    assert later["compute"] == "gpu-cluster" and later["environment"].endswith("second-env:2")
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


def test_the_run_configurations_variables_set_after_the_call_go_to_the_job(tmp_path: Path) -> None:
    """mapping-extension 2: ``rc.environment_variables = d`` -> ``environment_variables=d``; through
    ``src.run_config`` it is the same object (audit h)."""
    program = """\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    experiment = Experiment(ws, "variables")
    env = Environment.get(ws, name="train-env", version="1")
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env)
    src.run_config.environment_variables = {"EPOCHS": "3"}  # read by train.py
    run = experiment.submit(src)
    src.run_config.environment_variables = {"EPOCHS": "5"}
    second = experiment.submit(src)
    """
    script, migrated = _fully_migrated(tmp_path, program)
    assert no_v1(migrated) and "# read by train.py" in migrated
    first, later = _submits(execute(script))
    assert first["environment_variables"] == {"EPOCHS": "3"}
    assert later["environment_variables"] == {"EPOCHS": "5"}
    assert_fixed_point(script)


def test_variables_on_both_the_run_configuration_and_its_environment_stay(tmp_path: Path) -> None:
    script = project(tmp_path, """\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    env = Environment("train-env")
    env.environment_variables = {"A": "1"}
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env)
    src.run_config.environment_variables = {"B": "2"}
    run = Experiment(ws, "variables").submit(src)
    """)
    report = fix(script)
    assert "AML002 left: the run configuration and its environment both set environment variables" in report
    assert 'src.run_config.environment_variables = {"B": "2"}' in script.read_text()


@pytest.mark.parametrize("reader", ["from pkg.aml_utils import run\nprint(run.get_portal_url())\n",
                                    "import pkg.aml_utils as utils\nprint(utils.run.id)\n"])
def test_a_submitted_run_another_module_imports_stays_v1(tmp_path: Path, reader: str) -> None:
    """Audit (stop 63, e H1): a shared module's ``run`` became a v2 Job while report.py read it as a v1 Run."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    utils = project(tmp_path, """\
    from azureml.core import Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
    run = Experiment(ws, "shared").submit(src)
    """, name="pkg/aml_utils.py")
    (tmp_path / "report.py").write_text(reader)
    before = utils.read_text()
    report = fix(tmp_path / "report.py", "pkg/aml_utils.py")
    assert "AML001 left: another module of the project imports `run`, so it must stay" in report, report
    assert utils.read_text() == before


def test_a_setting_made_in_a_branch_stays_in_the_branch(tmp_path: Path) -> None:
    program = """\
    import os
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                          environment=Environment.get(ws, name="env", version="1"))
    if os.environ.get("USE_GPU"):
        src.run_config.target = "gpu-cluster"
    run = Experiment(ws, "branch").submit(src)
    """
    script, migrated = _fully_migrated(tmp_path, program)
    assert 'compute="cpu-cluster"' in migrated
    assert '    src.compute = "gpu-cluster"\n' in migrated
    job, = _submits(execute(script))
    assert job["compute"] == "cpu-cluster"
    job, = _submits(execute(script, {"USE_GPU": "1"}))
    assert job["compute"] == "gpu-cluster"


@pytest.mark.parametrize("shared", [False, True])
def test_a_setting_made_through_the_run_configuration_changes_it(tmp_path: Path, shared: bool) -> None:
    """``src.run_config`` is the ``run_config=`` object itself.  Set through it after a submit, the
    next job of ``src`` takes it in place; when another config also reads that object, the
    setting would change that one too, which v2's separate job objects cannot say: left."""
    program = """\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    from azureml.core.runconfig import RunConfiguration
    ws = Workspace.from_config()
    env = Environment.get(ws, name="env", version="1")
    rc = RunConfiguration()
    rc.target = "cpu-cluster"
    rc.environment = env
    src = ScriptRunConfig(source_directory="./src", script="train.py", run_config=rc)
    run = Experiment(ws, "rc").submit(src)
    src.run_config.target = "gpu-cluster"
    run = Experiment(ws, "rc").submit(src)
    """
    if shared:
        program = program.rstrip(" ") + """\
    evaluation = ScriptRunConfig(source_directory="./src", script="eval.py", run_config=rc)
    run = Experiment(ws, "rc").submit(evaluation)
    """
    script = project(tmp_path, program)
    report = fix(script)
    if shared:
        assert "AML002 left: `src.run_config` is `rc`, which other code also reads" in report, report
        assert "ScriptRunConfig(" in script.read_text()
        return
    assert "0 left" in report, report
    assert [job["compute"] for job in _submits(execute(script))] == ["cpu-cluster", "gpu-cluster"]


def test_a_setting_computed_in_the_call_and_set_again_is_left(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    second = Environment.get(ws, name="second-env", version="2")
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster",
                          environment=Environment.get(ws, name="first-env"))
    src.run_config.environment = second
    run = Experiment(ws, "again").submit(src)
    """
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML002 left: environment is set both in the call and after it" in report, report
    assert "ScriptRunConfig(" in script.read_text()


def test_a_program_under_a_main_guard_migrates_like_unguarded_code(tmp_path: Path) -> None:
    """Run as a script, the guarded body runs in order; ``environment=None`` bound there is
    still v1's default environment."""
    program = """\
    from azureml.core import Experiment, ScriptRunConfig, Workspace

    if __name__ == "__main__":
        ws = Workspace.from_config()
        env = None
        config = ScriptRunConfig(source_directory="./src", script="train.py",
                                 compute_target="cpu-cluster", environment=env)
        run = Experiment(ws, "guarded").submit(config)
        print(run.get_portal_url())
    """
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML002 fixed" in report and "AML001 fixed" in report, report
    migrated = script.read_text()
    assert no_v1(migrated), migrated
    ruff_clean(script)
    job, kwargs = _only_job(execute(script))
    assert kwargs["experiment_name"] == "guarded"
    assert "azureml-defaults" in str(job["environment"]["conda_file"])  # v1's default environment, written out
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


MIXED_ENVIRONMENT = {
    "guard with an else": (
        'if __name__ == "__main__":\n'
        "    env = None\n"
        "else:\n"
        '    env = Environment.get(ws, "AzureML-sklearn-1.0")\n'),
    "a later fallback to None": (
        'env = Environment.get(ws, "AzureML-sklearn-1.0")\n'
        'if __name__ != "__main__":\n'
        "    env = None\n"),
}


@pytest.mark.parametrize("assignments", sorted(MIXED_ENVIRONMENT))
def test_an_environment_variable_that_may_be_none_is_left(tmp_path: Path, assignments: str) -> None:
    """v1 took ``environment=None`` for its default environment; v2's command() would get None."""
    program = (
        "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
        "ws = Workspace.from_config()\n"
        + MIXED_ENVIRONMENT[assignments]
        + 'config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu", environment=env)\n'
        'run = Experiment(ws, "mixed").submit(config)\n')
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML002 left: `env` may also hold something other than an environment" in report, report
    assert script.read_text() == program


def test_a_submit_off_a_kept_experiment_gets_the_workspace_client(tmp_path: Path) -> None:
    """``exp`` stays (``get_runs``) and so does ``ws`` (``start_logging`` stays): the submit
    migrated off ``exp`` names ``ml_client``, which is then built beside ``ws``."""
    program = """\
    from azureml.core import Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    exp = Experiment(workspace=ws, name="kept")
    notebook_run = exp.start_logging()
    print(notebook_run)
    config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
    run = exp.submit(config)
    print(list(exp.get_runs()))
    """
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML001 fixed" in report and "AML002 fixed" in report, report
    migrated = script.read_text()
    assert "ws = Workspace.from_config()\nml_client = MLClient.from_config(DefaultAzureCredential())\n" in migrated
    assert 'run = ml_client.jobs.create_or_update(config, experiment_name="kept")' in migrated
    assert "notebook_run = exp.start_logging()" in migrated and "exp.get_runs()" in migrated
    ruff_clean(script)
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


def test_an_environment_built_again_after_its_job_is_not_another_value_for_it(tmp_path: Path) -> None:
    """Audit q: two cells each build ``env`` and a job; the first job's use sees its own ``env``
    only, so the later one is no reason to leave it: the first stays for its own blocker (a run
    method with no v2 form), and says so, while the second migrates."""
    program = (
        "from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n"
        "ws = Workspace.from_config()\n"
        'env = Environment.from_conda_specification("e", "pytorch-env.yml")\n'
        'config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu", environment=env)\n'
        'run = Experiment(ws, "first").submit(config)\n'
        'run.get_all_logs(destination="logs")\n'
        'env = Environment.from_conda_specification("e", "pytorch-env.yml")\n'
        'config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu", environment=env)\n'
        'run = Experiment(ws, "second").submit(config)\n')
    script = project(tmp_path, program)
    report = fix(script)
    assert "may also hold" not in report, report
    assert ("job.py:8:10: AML002 left: depends on line 9: `run` is also used at line 10 "
            "(`run.get_all_logs(destination=\"logs\")`), which this fix cannot translate") in report, report
    migrated = script.read_text()
    assert 'ScriptRunConfig(source_directory="./src"' in migrated and 'experiment_name="second"' in migrated, migrated
    assert "AML002 fixed" not in fix(script)  # a second run changes nothing


TWO_EXPERIMENTS = """\
from azureml.core import Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
name = "first"
first = Experiment(ws, name)
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
{between}run = first.submit(config)
name = "second"
second = Experiment(ws, name)
config2 = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
run2 = second.submit(config2)
"""


def test_a_name_set_again_later_still_names_each_experiment(tmp_path: Path) -> None:
    """A notebook that sets ``name = ...`` again in a later cell: each submit is where its name holds."""
    script = project(tmp_path, TWO_EXPERIMENTS.format(between=""))
    report = fix(script)
    assert report.count("AML001 fixed") == 2, report
    ruff_clean(script)
    records = execute(script)
    submitted = [r["kwargs"]["experiment_name"] for r in records if r["operation"] == "jobs.create_or_update"]
    assert submitted == ["first", "second"]


@pytest.mark.parametrize("between", ['name = "changed"\n', 'if ws:\n    name = "changed"\n'])
def test_a_name_changed_before_the_submit_is_left(tmp_path: Path, between: str) -> None:
    script = project(tmp_path, TWO_EXPERIMENTS.format(between=between))
    report = fix(script)
    assert "AML001 left: the experiment name `name` is not visible where the job is submitted" in report, report
    assert "run = first.submit(config)" in script.read_text()


def test_a_submit_in_a_loop_with_the_name_set_again_is_left(tmp_path: Path) -> None:
    program = """\
    from azureml.core import Experiment, ScriptRunConfig, Workspace
    ws = Workspace.from_config()
    for index in range(2):
        name = "first"
        first = Experiment(ws, name)
        config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
        run = first.submit(config)
        name = "again"
    """
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML001 left: the experiment name `name` is not visible where the job is submitted" in report, report


def test_an_object_changed_after_its_counterpart_is_made_stays_v1(tmp_path: Path) -> None:
    """The variable's value is read by a call: the job, where v2 takes the environment's variables,
    may read another value (and before audit m the v1 environment would have stayed alive for the line
    that changes it, the change never reaching the job), so both stay v1."""
    program = """\
    import os
    from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig

    ws = Workspace.from_config()
    env = Environment.from_conda_specification('pytorch-env', 'pytorch-env.yml')
    env.environment_variables["APP_KEY"] = os.environ.get("APP_KEY", "")
    config = ScriptRunConfig(source_directory='./src', script='train.py', compute_target='cpu', environment=env)
    run = Experiment(ws, 'exp').submit(config)
    """
    script = project(tmp_path, program)
    report = fix(script)
    assert ('AML021 left: `env.environment_variables` takes `os.environ.get("APP_KEY", "")`, which may be another '
            "value where the job is made") in report, report
    assert "ScriptRunConfig(" in script.read_text() and 'env.environment_variables["APP_KEY"]' in script.read_text()


@pytest.mark.parametrize(("declared", "todo"), [
    ('"--compute", type=str, required=True', True),  # the command line may say "local"
    ('"--compute", default="local"', True),
    ('"--compute", choices=["cpu-cluster", "local"], required=True', True),
    ('"--compute", choices=["cpu-cluster", "gpu-cluster"], required=True', False),
])
def test_a_compute_named_on_the_command_line_is_passed_on(tmp_path: Path, declared: str, todo: bool) -> None:
    """Audit (stop 63, e M1): argparse submit scripts were refused as "a type this fix cannot know"."""
    script, migrated = _fully_migrated(tmp_path, f"""\
    import argparse
    from azureml.core import Experiment, ScriptRunConfig, Workspace
    parser = argparse.ArgumentParser()
    parser.add_argument({declared})
    args = parser.parse_args(["--compute", "cpu-cluster"])
    ws = Workspace.from_config()
    config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target=args.compute)
    run = Experiment(ws, "cli").submit(config)
    """)
    assert "compute=args.compute" in migrated and ("AML002 v2 local jobs always run" in migrated) is todo, migrated
    (job,) = _submits(execute(script))
    assert job["compute"] == "cpu-cluster"


@pytest.mark.parametrize(("declared", "after"), [
    ('"--compute"', ""), ('"--compute", type=int, required=True', ""),
    # v1 ran a config whose compute is None locally (review, stop 63)
    ('"--compute", type=str, required=True', "parser.set_defaults(compute=None)"),
    ('"--compute", default="cpu"', "args.compute = None"),
    ('"--compute", default="cpu"', 'setattr(args, "compute", None)'),
    ('"--compute", default="cpu"', "parser.add_subparsers().add_parser('debug').set_defaults(compute=None)"),
])
def test_a_command_line_option_that_may_not_be_a_name_leaves_the_compute(tmp_path: Path, declared: str,
                                                                          after: str) -> None:
    script = project(tmp_path, "\n".join([
        "import argparse", "from azureml.core import Experiment, ScriptRunConfig, Workspace",
        "parser = argparse.ArgumentParser()", f"parser.add_argument({declared})",
        *([after] if after.startswith("parser") else []), "args = parser.parse_args()",
        *([after] if after.startswith(("args", "setattr")) else []), "ws = Workspace.from_config()",
        'config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target=args.compute)',
        'run = Experiment(ws, "cli").submit(config)', ""]))
    assert "compute_target `args.compute` has a type this fix cannot know" in fix(script)


# An experiment named by {name}, with {before} setting the variables it may read and {between} run
# after the Experiment() call, before the submit.
NAMED_EXPERIMENT = """\
import argparse
from azureml.core import Experiment, ScriptRunConfig, Workspace
{before}
ws = Workspace.from_config()
experiment = Experiment(ws, {name})
{between}
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
run = experiment.submit(config)
"""


@pytest.mark.parametrize(("name", "submitted"), [
    ('prefix + "_test"', "demand_test"),
    ('f"{prefix}_training"', "demand_training"),
    ("args.experiment_name", "from-the-command-line"),
])
def test_an_experiment_name_built_from_variables_moves_to_the_submit(tmp_path: Path, name: str,
                                                                   submitted: str) -> None:
    """A name written from literals and variable reads gives the same text at the submit, while its
    variables hold there; nothing in it is called, so moving it runs nothing twice or earlier."""
    before = ('parser = argparse.ArgumentParser()\nparser.add_argument("--experiment-name", '
              'default="from-the-command-line")\nargs = parser.parse_args([])\nprefix = "demand"')
    script = project(tmp_path, NAMED_EXPERIMENT.format(before=before, name=name, between=""))
    report = fix(script)
    assert "AML001 fixed" in report, report
    assert f"experiment_name={name})" in script.read_text()
    ruff_clean(script)
    records = execute(script)
    assert [r["kwargs"]["experiment_name"] for r in records if r["operation"] == "jobs.create_or_update"] == [
        submitted]


def test_an_experiment_name_whose_variable_changes_before_the_submit_is_left(tmp_path: Path) -> None:
    program = NAMED_EXPERIMENT.format(before='prefix = "demand"', name='prefix + "_test"', between='prefix = "other"')
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML001 left: the experiment name reads `prefix`, which is not visible where the job is submitted" in report
    assert "run = experiment.submit(config)" in script.read_text()


@pytest.mark.parametrize("between", [
    'cfg["name"] = "other"', 'cfg.update(name="other")', 'rename(cfg)', 'alias = cfg\nalias["name"] = "other"',
    "",  # the configuration is built between: anything may run there
])
def test_an_experiment_name_read_from_a_table_with_code_before_the_submit_is_left(tmp_path: Path, between: str) -> None:
    """An item may change without its variable changing (through the table's methods, another name
    for it, a function): read anywhere but right before the submit, it stays (adversarial review)."""
    before = 'cfg = {"name": "demand"}\ndef rename(table):\n    table["name"] = "other"'
    program = NAMED_EXPERIMENT.format(before=before, name='cfg["name"]', between=between)
    script = project(tmp_path, program)
    report = fix(script)
    assert ("AML001 left: the experiment name reads an item of `cfg`, which code between the Experiment() and the "
            "submit may change: read it into a variable first") in report, report
    assert "run = experiment.submit(config)" in script.read_text()


@pytest.mark.parametrize(("experiment", "submitted"), [
    # read in the submit itself (held-out audit e: a config file's item kept 87 findings of one repository v1)
    ('run = Experiment(ws, cfg["name"]).submit(config)', "demand"),
    ('run = Experiment(ws, cfg["runs"][0]).submit(config=config)', "first"),
    # read in the statement right before the submit, which calls nothing before experiment_name= is read
    ('experiment = Experiment(ws, cfg["name"])\nrun = experiment.submit(config)', "demand"),
])
def test_an_experiment_name_read_from_a_table_right_before_the_submit_moves(tmp_path: Path, experiment: str,
                                                                            submitted: str) -> None:
    program = ('from azureml.core import Experiment, ScriptRunConfig, Workspace\n'
               'cfg = {"name": "demand", "runs": ["first"]}\ncfg.update(extra="x")\nws = Workspace.from_config()\n'
               'config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")\n'
               f'{experiment}\n')
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML001 fixed" in report, report
    records = execute(script)
    assert [r["kwargs"]["experiment_name"] for r in records if r["operation"] == "jobs.create_or_update"] == [submitted]


def test_an_experiment_name_read_right_before_a_submit_that_calls_something_first_is_left(tmp_path: Path) -> None:
    """``experiment.submit(make())`` runs ``make()`` before experiment_name= would be read."""
    program = ('from azureml.core import Experiment, ScriptRunConfig, Workspace\n'
               'cfg = {"name": "demand"}\nws = Workspace.from_config()\n'
               'def make():\n    cfg["name"] = "other"\n'
               '    return ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")\n'
               'experiment = Experiment(ws, cfg["name"])\nrun = experiment.submit(make())\n')
    report = fix(project(tmp_path, program))
    assert "AML001 left: the experiment name reads an item of `cfg`" in report, report


@pytest.mark.parametrize("name", ["get_name()", 'names[key]', "'-'.join(parts)"])
def test_an_experiment_name_computed_by_a_call_or_a_lookup_is_left(tmp_path: Path, name: str) -> None:
    before = 'def get_name():\n    return "x"\nnames, parts, key = {"a": "b"}, ["c", "d"], "a"'
    script = project(tmp_path, NAMED_EXPERIMENT.format(before=before, name=name, between=""))
    report = fix(script)
    assert "the experiment name is not a string built from literals and variables" in report, report


@pytest.mark.parametrize(("script", "todo"), [
    ("from azureml.core import Run\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n", True),
    ("import mlflow\n# TODO(azureml-v2): AML011 this script logs with MLflow: its job's environment needs mlflow and "
     "azureml-mlflow\nmlflow.log_metric('accuracy', 0.9)\n", True),  # migrated by an earlier run
    ("import mlflow\nmlflow.log_metric('accuracy', 0.9)\n", False),  # v1 ran it where mlflow was installed
    ("print('training')\n", False),
    # a function logging through a module global assigned below it (audit 33)
    ("from azureml.core import Run\ndef main():\n    run.log('accuracy', 0.9)\nrun = Run.get_context()\nmain()\n", True),
    # calls that also move to mlflow, without any run.log
    ("from azureml.core import Run\nrun = Run.get_context()\nrun.tag('stage', 'train')\n", True),
    ("from azureml.core import Run\nrun = Run.get_context()\nrun.upload_file('m.pkl', 'm.pkl')\n", True),
    ("from azureml.core import Run\nrun = Run.get_context()\nprint(run.id)\n", False),
])
@pytest.mark.parametrize("environment", [", environment=env", "", ", environment=None"])
def test_the_environment_of_a_job_whose_script_logs_gets_mlflow_or_asks_for_it(tmp_path: Path, script: str,
                                                                              todo: bool, environment: str) -> None:
    """The script's own fix moves its logging to MLflow; the job's environment would otherwise
    not install mlflow and the job would stop at its import.  v1's default one, which the fix
    writes out, gets mlflow and azureml-mlflow; one built from a conda file without them gets the
    TODO (which holds the script's logging, see test_fix_in_job)."""
    program = project(tmp_path, f"""\
        from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
        ws = Workspace.from_config()
        env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
        config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster"{environment})
        run = Experiment(ws, "exp").submit(config)
        """)
    (tmp_path / "src" / "train.py").write_text(script)
    report = fix(program)
    text = program.read_text()
    wanted = ("# TODO(azureml-v2): AML002 train.py logs with MLflow once migrated: add mlflow and azureml-mlflow "
              "to this job's environment\nconfig = command(")
    default = environment != ", environment=env"
    assert (wanted in text) is (todo and not default), report
    assert ("environment=V1_DEFAULT_ENVIRONMENT_MLFLOW)" in text) is (todo and default), text
    assert ('"pip": ["azureml-defaults", "mlflow", "azureml-mlflow"]' in text) is (todo and default), text
    assert "AML002 fixed" in report
    fix(program)
    assert program.read_text() == text


def test_the_mlflow_todo_moves_with_a_call_written_again_below_its_settings(tmp_path: Path) -> None:
    program = project(tmp_path, """\
        from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
        ws = Workspace.from_config()
        env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
        config = ScriptRunConfig(source_directory="./src", script="train.py", environment=env)
        cluster = "cpu-cluster"
        config.run_config.target = cluster
        run = Experiment(ws, "exp").submit(config)
        """)
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\nrun = Run.get_context()\nrun.log('a', 1)\n")
    report = fix(program)
    text = program.read_text()
    assert ("to this job's environment\nconfig = command(" in text) and text.count("logs with MLflow once") == 1, report


@pytest.mark.parametrize(("config", "reason"), [
    ('ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")',
     "only exists for AutoML submits; v1 raises TypeError for a ScriptRunConfig; "),
    ("make_config()", "of a configuration this fix cannot know: it exists only for AutoML submits; "),
])
def test_submit_with_show_output_is_impossible_only_where_v1_raises(tmp_path: Path, config: str, reason: str) -> None:
    """v1's ScriptRunConfig submit has no show_output= (TypeError); a configuration made where
    this fix cannot see (a HyperDriveConfig's submit takes any keyword) is a data-flow limit."""
    script = project(tmp_path, f"""\
        from azureml.core import Experiment, ScriptRunConfig, Workspace
        from configs import make_config
        ws = Workspace.from_config()
        config = {config}
        run = Experiment(ws, "exp").submit(config, show_output=False)
        """)
    report = fix(script)
    assert f"AML001 left: submit(show_output=...) {reason}" in report, report
    kind = "[data-flow limit]" if "make_config" in config else "[impossible]"
    assert report.split("AML001 left:")[1].splitlines()[0].endswith(kind)


@pytest.mark.parametrize(("call", "left"), [
    # set 23's DP-100 notebook: v1 raises TypeError on this line, so a v2 job would run what never ran
    ("ScriptRunConfig(script='src/train.py', compute_target='cpu-cluster')", True),
    ("ScriptRunConfig(script='train.py', source_directory='./src', compute_target='cpu-cluster')", False),
    ("ScriptRunConfig('./src', 'train.py', compute_target='cpu-cluster')", False),
])
def test_a_config_without_its_required_source_directory_is_left(tmp_path: Path, call: str, left: bool) -> None:
    script = project(tmp_path, f"""\
        from azureml.core import Experiment, ScriptRunConfig, Workspace
        ws = Workspace.from_config()
        config = {call}
        run = Experiment(ws, "exp").submit(config)
        """)
    before = script.read_text()
    report = fix(script)
    assert ("job.py:3:10: AML002 left: ScriptRunConfig() without source_directory=, which it requires, raises "
            "TypeError as written: there is no behaviour to migrate" in report) is left, report
    assert (script.read_text() == before) is left
    if not left:
        assert _only_job(execute(script))[0]["code"] == "./src"


@pytest.mark.parametrize(("conda", "todo"), [
    ("dependencies:\n  - pip:\n    - azureml-defaults\n    - azureml-mlflow==1.50\n", False),
    ("dependencies:\n  - pip:\n    - mlflow\n", True),  # mlflow alone cannot reach the job's azureml:// tracking store
    ("dependencies:\n  - pip:\n    - azureml-defaults\n", True),
])
def test_a_conda_file_that_lists_azureml_mlflow_needs_no_todo(tmp_path: Path, conda: str, todo: bool) -> None:
    """The environment's conda file is read for azureml-mlflow (the environment's name says nothing)."""
    program = project(tmp_path, """\
        from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
        ws = Workspace.from_config()
        env = Environment.from_conda_specification(name="mlflow-env", file_path="job-env.yml")
        config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env)
        run = Experiment(ws, "exp").submit(config)
        """)
    (tmp_path / "job-env.yml").write_text(conda)
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\nrun = Run.get_context()\nrun.log('a', 1.0)\n")
    report = fix(program)
    assert "AML002 fixed" in report, report
    assert ("train.py logs with MLflow once migrated" in program.read_text()) is todo, program.read_text()


@pytest.mark.parametrize(("argument", "migrated"), [("'${{x}}'", False), ("'$HOME'", True)])
def test_an_argument_that_reads_as_a_v2_binding_keeps_its_job_v1(tmp_path: Path, argument: str, migrated: bool) -> None:
    """v1 passed ``${{x}}`` to the script as it is; a v2 command reads it as a binding whatever its
    quotes (audit 36 had it as unsure): that job stays v1. A plain ``$`` is quoted for bash."""
    program = project(tmp_path, f"""\
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        ws = Workspace.from_config()
        config = ScriptRunConfig(source_directory="./src", script="train.py", arguments=["--tmpl", {argument}],
                                 compute_target="cpu-cluster")
        run = Experiment(ws, "exp").submit(config)
        """)
    report = fix(program)
    text = program.read_text()
    assert ("command(" in text) is migrated, report
    if not migrated:
        assert "holds `${{`, which a v2 command reads as a binding whatever its quotes" in report, report
    else:
        assert "--tmpl '$HOME'" in text, text


def test_an_argument_v1_wrote_in_a_way_not_known_says_so(tmp_path: Path) -> None:
    """``arguments=["--x", None]``: how v1 put None on the command line is not in the reference,
    so the job is left, and the reason says what is unknown instead of calling a literal's type
    unknown (audit 42)."""
    script = project(tmp_path, SEED_SHAPE.replace("compute_target='cpu-cluster')",
                                                  "compute_target='cpu-cluster', arguments=['--x', None])"))
    report = fix(script)
    assert "AML002 left: argument `None`: how v1 wrote None on the command line is not known here" in report, report
    assert "ScriptRunConfig(" in script.read_text()


def test_comments_on_an_arguments_list_inlined_into_the_command_go_above_the_job(tmp_path: Path) -> None:
    """The list's own statement goes, its values now part of ``command=``: its comments go
    above the job that holds them, not left behind where the list stood."""
    program = """\
    from azureml.core import Experiment, ScriptRunConfig, Workspace

    ws = Workspace.from_config()

    arguments = ["--compute", "CPU",  # set to GPU for accelerated training
                 "--epochs", 3]  # three is enough here
    compute_name = "cpu-cluster"  # gpu-V100-1 for GPU version

    src = ScriptRunConfig(
        source_directory="src",
        script="train.py",
        arguments=arguments,
        compute_target=compute_name,
    )
    run = Experiment(ws, "xgboost-iris-example").submit(src)
    """
    script = project(tmp_path, program)
    report = fix(script)
    migrated = script.read_text()
    assert "AML002 fixed" in report and no_v1(migrated), report
    ruff_clean(script)
    assert '''\
ml_client = MLClient.from_config(DefaultAzureCredential())

compute_name = "cpu-cluster"  # gpu-V100-1 for GPU version

# set to GPU for accelerated training
# three is enough here
src = command(
    code="src",
    command="python train.py --compute CPU --epochs 3",
''' in migrated, migrated
    assert migrated.count("# set to GPU") == 1 and migrated.count("# three is enough") == 1
    job, _ = _only_job(execute(script))
    assert shlex.split(job["component"]["command"]) == ["python", "train.py", "--compute", "CPU", "--epochs", "3"]
    fix(script)
    assert script.read_text() == migrated


def test_comments_of_an_inlined_list_stay_put_when_the_job_follows_an_else_on_its_line(tmp_path: Path) -> None:
    """``else: src = ScriptRunConfig(...)``: a line above the job's would sit between the ``if``
    body and its ``else:``, so the list's comment stays on its own line where the list stood."""
    program = """\
    import sys
    from azureml.core import Experiment, ScriptRunConfig, Workspace

    ws = Workspace.from_config()
    arguments = ["--epochs", 3]  # three is enough here
    if len(sys.argv) > 5: print("many")
    else: src = ScriptRunConfig(source_directory="src", script="train.py", arguments=arguments, compute_target="cpu-cluster")
    run = Experiment(ws, "x").submit(src)
    """
    script = project(tmp_path, program)
    report = fix(script)
    migrated = script.read_text()
    assert "AML002 fixed" in report and no_v1(migrated), report
    assert """\
ml_client = MLClient.from_config(DefaultAzureCredential())
# three is enough here
if len(sys.argv) > 5: print("many")
else: src = command(""" in migrated, migrated
    fix(script)
    assert script.read_text() == migrated


def test_an_experiment_a_project_function_makes_is_named_as_written(tmp_path: Path) -> None:
    """``create_experiment(experiment_name=...)``, a function of the project that returns the
    Experiment: the reason it is left names that call, not an ``Experiment()`` given a keyword
    it never had (audit j)."""
    (tmp_path / "helpers.py").write_text(
        "from azureml.core import Experiment, Workspace\n\n\ndef create_experiment(experiment_name):\n"
        "    ws = Workspace.from_config()\n    return Experiment(workspace=ws, name=experiment_name)\n")
    script = project(tmp_path, """\
from azureml.core import ScriptRunConfig
from helpers import create_experiment

exp = create_experiment(experiment_name="sklearn-iris")
src = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu")
run = exp.submit(src)
""")
    report = fix(script)
    assert "AML001 left: create_experiment() with experiment_name=: migrate it by hand" in report, report
    assert "Experiment() with" not in report


@pytest.mark.parametrize(("second", "moves"), [
    ('script_name = "score.py"\n', True),  # set again before the second job: each job sees its own
    ('if ws:\n    script_name = "score.py"\n', False),  # the second job may see either value
])
def test_a_script_name_set_again_for_a_second_job(tmp_path: Path, second: str, moves: bool) -> None:
    """Audit y: a notebook sets ``script_name`` again before its second job; each job's read sees
    only the assignment above it, so both name a known file."""
    program = f"""\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
env = Environment.get(ws, name="sklearn-env", version="1")
script_name = "train.py"
first = Experiment(ws, "first").submit(ScriptRunConfig("./src", script_name, compute_target="cpu", environment=env))
{second}second = Experiment(ws, "second").submit(ScriptRunConfig("./src", script_name, compute_target="cpu", environment=env))
"""
    script = project(tmp_path, program)
    (tmp_path / "src" / "score.py").write_text("print('scoring')\n")
    report = fix(script)
    if moves:
        assert "0 left" in report, report
        jobs = _submits(execute(script))
        assert [shlex.split(job["component"]["command"])[1] for job in jobs] == ["train.py", "score.py"]
    else:
        assert "AML002 left: script= is not a known file name" in report, report


def test_a_script_name_a_loop_sets_again_after_its_job_is_not_known(tmp_path: Path) -> None:
    # the look-alike: the second time round, the job sees the name set at the end of the loop
    program = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
env = Environment.get(ws, name="sklearn-env", version="1")
script_name = "train.py"
for attempt in range(2):
    Experiment(ws, "loop").submit(ScriptRunConfig("./src", script_name, compute_target="cpu", environment=env))
    script_name = "score.py"
"""
    script = project(tmp_path, program)
    (tmp_path / "src" / "score.py").write_text("print('scoring')\n")
    report = fix(script)
    assert "AML002 left: script= is not a known file name" in report, report



def test_a_script_name_a_function_sets_through_global_is_not_known(tmp_path: Path) -> None:
    """Review: ``global script_name`` in a function called between the assignment and the job: the job
    ran score.py in v1, and the read was taken as seeing the assignment above only."""
    program = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
env = Environment.get(ws, name="sklearn-env", version="1")
script_name = "train.py"
def use_scoring():
    global script_name
    script_name = "score.py"
use_scoring()
first = Experiment(ws, "first").submit(ScriptRunConfig("./src", script_name, compute_target="cpu", environment=env))
script_name = "train.py"
"""
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML002 left: script= is not a known file name" in report, report


@pytest.mark.parametrize(("words", "expected", "left"), [
    ("['python', 'train.py', '--x', '1']", ["python", "train.py", "--x", "1"], None),
    ("['python', 'train.py', '--x', 1]", None,
     "command= item `1` is not a string: v1 joined the list with ' '.join() and raised TypeError, so this job never ran"),
    ("['python', 'train.py', '--x', epochs]", None, "command= item `epochs` is not a literal string"),
])
def test_a_command_list_item_that_is_not_a_string_is_named(tmp_path: Path, words: str, expected: list[str] | None,
                                                           left: str | None) -> None:
    """The item that stops a literal command= list is named, not the whole list (audit b); v1 joined
    the list with ' '.join(), so a number in it failed the submit (review: the fix had made it run)."""
    script = project(tmp_path, f"""\
    from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace

    ws = Workspace.from_config()
    epochs = int("3")
    env = Environment.get(ws, "my-env", version="1")
    cfg = ScriptRunConfig(source_directory="src", command={words}, compute_target="cpu", environment=env)
    run = Experiment(ws, "e").submit(cfg)
    """)
    report = fix(script)
    if left is not None:
        assert f"AML002 left: {left}" in report, report
        return
    assert "AML002 fixed" in report, report
    job, _ = _only_job(execute(script))
    assert shlex.split(job["component"]["command"]) == expected
