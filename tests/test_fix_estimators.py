"""Estimators -> command(), executed: the migrated command job passes _validate() and
to_rest_job_object (mapping-extension.md 8.4)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from flake8_azureml_v2.migrations._defaults import V1_CPU_IMAGE
from flake8_azureml_v2.migrations.estimators import V1_GPU_IMAGE

from .conftest import run
from .migrate_helpers import assert_fixed_point, execute, fix, no_v1, project, ruff_clean

HEADER = """\
from azureml.core import Environment, Experiment, Workspace
from azureml.train.estimator import Estimator
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
"""


def _job(tmp_path: Path, body: str, env: dict[str, str] | None = None) -> tuple[str, dict]:
    script = project(tmp_path, HEADER + textwrap.dedent(body) + 'run = Experiment(ws, "train").submit(config=est)\n')
    report = fix(script)
    migrated = script.read_text()
    assert "AML009 fixed" in report and "AML001 fixed" in report, report
    assert no_v1(migrated), migrated
    ruff_clean(script)
    jobs = [r for r in execute(script, env) if r["operation"] == "jobs.create_or_update"]
    assert len(jobs) == 1
    assert jobs[0]["valid"], jobs[0]["errors"]
    assert jobs[0]["rest_error"] is None, jobs[0]["rest_error"]
    return migrated, {**jobs[0]["job"], "code": jobs[0]["code"]}


def _conda(job: dict) -> dict:
    return job["environment"]["conda_file"]


def test_sklearn_pins_python_36_and_its_framework_with_a_todo(tmp_path: Path) -> None:
    migrated, job = _job(tmp_path, """\
        script_params = {"--reg_rate": 0.1, "--verbose": "", "--layers": [64, 32], "--name": "run a"}
        est = SKLearn(source_directory="./src", entry_script="train.py", script_params=script_params,
                      compute_target="local", pip_packages=["azureml-dataprep[pandas]"])
        """)
    assert migrated.count("TODO(azureml-v2): AML009 v1 framework estimator pinned py3.6") == 1
    # key then value, lists expanded, "" leaves the flag alone (v1's _get_arguments)
    assert job["component"]["command"] == "python train.py --reg_rate 0.1 --verbose --layers 64 32 --name 'run a'"
    assert job["compute"] == "local"  # estimators ran locally in Docker, as v2 "local" does
    assert job["code"] == "./src"
    assert job["environment"]["image"] == V1_CPU_IMAGE
    assert _conda(job)["dependencies"] == [
        "python=3.6.2",
        {"pip": ["azureml-defaults", "scikit-learn==0.20.3", "scipy==1.2.1", "joblib==0.13.2",
                 "azureml-dataprep[pandas]"]},
    ]


def test_run_based_compute_is_serverless_and_packages_join_v1s_base(tmp_path: Path) -> None:
    migrated, job = _job(tmp_path, """\
        est = Estimator(source_directory="./src", entry_script="train.py", vm_size="STANDARD_D2_V2",
                        conda_packages=["scikit-learn"], pip_packages=["lightgbm"], node_count=1,
                        environment_variables={"MODE": "fast"}, shm_size="2g", max_run_duration_seconds=3600)
        """)
    # the generic estimator is behaviour-preserving; the one TODO says what a script moved to MLflow needs
    assert [line.strip() for line in migrated.splitlines() if "TODO" in line] == [
        "# TODO(azureml-v2): AML009 the environment has the listed packages and azureml-defaults only: "
        "add mlflow and azureml-mlflow when the job logs with MLflow"]
    assert job["resources"]["instance_type"] == "STANDARD_D2_V2"
    # node_count=1 is v1's default (more needed a distribution: test_what_a_command_cannot_express_is_reported)
    assert job["resources"].get("instance_count", 1) == 1 and job["resources"]["shm_size"] == "2g"
    assert "node_count" not in migrated and "instance_count" not in migrated
    assert "compute" not in job
    assert job["environment_variables"] == {"MODE": "fast"}
    assert job["limits"]["timeout"] == 3600
    assert _conda(job)["dependencies"] == ["python=3.8.13", "scikit-learn", {"pip": ["azureml-defaults", "lightgbm"]}]
    assert _conda(job)["channels"] == ["anaconda", "conda-forge"]


def test_a_python_among_the_conda_packages_replaces_v1s_pin(tmp_path: Path) -> None:
    """Audit 2d: v1 added each conda package with add_conda_package, which replaces the python pin
    (and an earlier entry of the same package); the job asked for two pythons."""
    _, job = _job(tmp_path, """\
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                        conda_packages=["python=3.7", "numpy=1.19", "numpy=1.21"])
        """)
    assert _conda(job)["dependencies"] == ["python=3.7", "numpy=1.21", {"pip": ["azureml-defaults"]}]


@pytest.mark.parametrize(("arguments", "image", "conda"), [
    ('use_gpu=True, pip_packages=["torch"]', V1_GPU_IMAGE,
     {"name": "project_environment", "channels": ["anaconda", "conda-forge"],
      "dependencies": ["python=3.8.13", {"pip": ["azureml-defaults", "torch"]}]}),
    ('custom_docker_image="myacr.azurecr.io/train:1", user_managed=True', "myacr.azurecr.io/train:1", None),
    ('conda_dependencies_file="env.yml"', V1_CPU_IMAGE, {"name": "from-src", "dependencies": ["python=3.9"]}),
])
def test_the_environment_an_estimator_assembled(tmp_path: Path, arguments: str, image: str, conda: dict | None) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "env.yml").write_text("name: from-src\ndependencies:\n  - python=3.9\n")
    _, job = _job(tmp_path, f"""\
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster", {arguments})
        """)
    assert job["environment"]["image"] == image
    assert job["environment"].get("conda_file") == conda  # a conda file is read relative to source_directory


def test_an_environment_definition_wins_as_in_v1(tmp_path: Path) -> None:
    _, job = _job(tmp_path, """\
        env = Environment.get(ws, "AzureML-sklearn-1.0", version="3")
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                        environment_definition=env, pip_packages=["ignored"])
        """)
    assert job["environment"] == "AzureML-sklearn-1.0:3"


@pytest.mark.parametrize(("packages", "todo"), [("    - mlflow\n    - azureml-mlflow\n", False), ("    - pandas\n", True)])
def test_an_environment_definition_asks_for_mlflow_only_when_it_lacks_it(tmp_path: Path, packages: str,
                                                                         todo: bool) -> None:
    """The script logs through the v1 run, so once migrated it needs mlflow: an environment_definition
    built from a conda file that lists azureml-mlflow has it (audit 41), one without gets the TODO."""
    (tmp_path / "env.yml").write_text(f"dependencies:\n  - python=3.10\n  - pip\n  - pip:\n{packages}")
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        env = Environment.from_conda_specification(name="env", file_path="env.yml")
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                        environment_definition=env)
        run = Experiment(ws, "train").submit(config=est)
        """))
    (tmp_path / "src" / "train.py").write_text("from azureml.core import Run\nrun = Run.get_context()\nrun.log('loss', 0.1)\n")
    report = fix(script)
    assert "AML009 fixed" in report, report
    assert ("train.py logs with MLflow once migrated" in script.read_text()) is todo, report


def test_a_local_environment_definition_gets_the_docker_todo(tmp_path: Path) -> None:
    """With environment_definition= the environment decides Docker (off by default): v1 ran the
    job on the host, v2's local job runs the image in Docker (mapping-extension.md 5, D+T)."""
    migrated, job = _job(tmp_path, """\
        env = Environment.get(ws, "AzureML-sklearn-1.0", version="3")
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="local",
                        environment_definition=env)
        """)
    assert migrated.count("TODO(azureml-v2): AML009 v2 local jobs run the environment's image in Docker") == 1
    assert job["compute"] == "local"


@pytest.mark.parametrize(("arguments", "reason"), [
    ("resume_from=None", "resume_from= has no v2 equivalent"),
    ("distributed_training=ParameterServer(worker_count=2)", "needs a v2 TensorFlowDistribution written by hand"),
    ("distributed_backend='nccl'", "v1 accepted it on the PyTorch estimator only"),
    ("distributed_backend='mpi', distributed_training=Mpi()", "both distributed_backend= and distributed_training="),
    ("process_count_per_node=2", "process_count_per_node=2 without distributed_backend= or distributed_training=: "
                                 "v1 raised"),
    ("node_count=2", "node_count=2 without distributed_backend= or distributed_training=: v1 raised"),
    ("node_count=2, distributed_backend='mpi'", 'node_count=2 with compute_target="c": v1 raised'),
    ("custom_docker_image='a', custom_docker_base_image='b'", "custom_docker_base_image= beside custom_docker_image="),
    ("use_docker=False", "v2 jobs always run in a container"),
    ("inputs=[ws]", "`ws` in inputs= is data this fix cannot follow"),
])
def test_what_a_command_cannot_express_is_reported(tmp_path: Path, arguments: str, reason: str) -> None:
    script = project(tmp_path, HEADER + textwrap.dedent(f"""\
        from azureml.train.dnn import Mpi, ParameterServer

        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="c", {arguments})
        run = Experiment(ws, "train").submit(est)
        """))
    report = fix(script)
    assert "AML009 left" in report and reason in report, report


GPU = {"AML_EXISTING_COMPUTE": "gpu-cluster"}  # the cluster a distributed estimator named (v1 needed the object)


@pytest.mark.parametrize(("arguments", "distribution", "instances"), [
    ("node_count=nodes, distributed_backend='MPI', process_count_per_node=4",
     {"type": "mpi", "process_count_per_instance": 4}, 2),
    ("node_count=2, distributed_training=Mpi(process_count_per_node=2)",
     {"type": "mpi", "process_count_per_instance": 2}, 2),
    ("node_count=3, distributed_training=MpiConfiguration(process_count_per_node=2)",
     {"type": "mpi", "process_count_per_instance": 2}, 3),
])
def test_an_estimators_distributed_settings_become_its_distribution(tmp_path: Path, arguments: str,
                                                                    distribution: dict, instances: int) -> None:
    """azureml-train-core's _init_run_config: node_count is the job's; "mpi" reads process_count_per_node."""
    migrated, job = _job(tmp_path, f"""\
        from azureml.core.compute import ComputeTarget
        from azureml.core.runconfig import MpiConfiguration
        from azureml.train.dnn import Mpi

        nodes = 2
        gpu = ComputeTarget(workspace=ws, name="gpu-cluster")
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target=gpu,
                        pip_packages=["torch"], {arguments})
        """, GPU)
    assert job.get("distribution") == distribution
    assert job["resources"]["instance_count"] == instances
    assert "TODO(azureml-v2): AML009 v1 set" not in migrated


def test_an_estimator_on_a_compute_named_on_the_command_line(tmp_path: Path) -> None:
    """An option that always holds a string names the compute; images given as None are v1's
    defaults (review, stop 63)."""
    migrated, job = _job(tmp_path, """\
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--compute", default="cpu-cluster")
        args = parser.parse_args([])
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target=args.compute,
                        custom_docker_image=None, custom_docker_base_image=None, pip_packages=["torch"])
        """)
    assert "compute=args.compute" in migrated and job["compute"] == "cpu-cluster"
    assert job["environment"]["image"] == V1_CPU_IMAGE


def test_a_distributed_estimator_on_a_compute_it_cannot_see_stays(tmp_path: Path) -> None:
    """v1 raised for node_count > 1 on a compute given by name; a name from the command line may be one."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--compute", default="gpu-cluster")
        args = parser.parse_args()
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target=args.compute,
                        node_count=2, distributed_backend="mpi")
        run = Experiment(ws, "train").submit(est)
        """))
    report = fix(script)
    assert "node_count=2 with compute_target=args.compute, which is not a compute object this fix can see" in report


def test_a_pytorch_only_layout_on_another_framework_is_what_v1_rejected(tmp_path: Path) -> None:
    """Nccl and Gloo validated the estimator: PyTorch or the generic one only (review, stop 63)."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        from azureml.core.compute import ComputeTarget
        from azureml.train.dnn import Nccl, TensorFlow

        gpu = ComputeTarget(workspace=ws, name="gpu-cluster")
        est = TensorFlow(source_directory="./src", entry_script="train.py", compute_target=gpu, node_count=2,
                         distributed_training=Nccl(), framework_version="2.1")
        run = Experiment(ws, "train").submit(est)
        """))
    report = fix(script)
    assert "AML009 left: Nccl() on a TensorFlow estimator: v1 raised TrainingException" in report, report


@pytest.mark.parametrize(("setting", "todo"), [("distributed_backend='nccl'", False),
                                               ("distributed_training=Gloo()", True)])
def test_a_pytorch_estimator_runs_one_process_per_node_with_v1s_nccl_variable(tmp_path: Path, setting: str,
                                                                             todo: bool) -> None:
    (tmp_path / "env.yml").write_text("dependencies:\n  - python=3.10\n  - pip:\n    - torch\n    - mlflow\n")
    migrated, job = _job(tmp_path, f"""\
        from azureml.core.compute import ComputeTarget
        from azureml.train.dnn import Gloo, PyTorch

        env = Environment.from_conda_specification("torch", "env.yml")
        gpu = ComputeTarget(workspace=ws, name="gpu-cluster")
        est = PyTorch(source_directory="./src", entry_script="train.py", compute_target=gpu, node_count=3,
                      environment_definition=env, {setting})
        """, GPU)
    assert job["distribution"] == {"type": "pytorch", "process_count_per_instance": 1}
    assert job["resources"]["instance_count"] == 3
    assert job["environment_variables"] == {"NCCL_TREE_THRESHOLD": "0"}  # _pytorch.py set it in every environment
    assert migrated.count("TODO(azureml-v2): AML009 v1 set the Gloo backend") == int(todo)
    assert_fixed_point(tmp_path / "job.py")


def test_a_pytorch_estimators_own_variables_keep_v1s_nccl_one(tmp_path: Path) -> None:
    _, job = _job(tmp_path, """\
        from azureml.train.dnn import PyTorch

        est = PyTorch(source_directory="./src", entry_script="train.py", compute_target="gpu",
                      custom_docker_image="pytorch/pytorch:latest", user_managed=True,
                      environment_variables={"SEED": "1"})
        """)
    assert job["environment_variables"] == {"SEED": "1", "NCCL_TREE_THRESHOLD": "0"}
    assert job["environment"]["image"] == "pytorch/pytorch:latest"


def test_v1s_deprecated_spellings_stand_for_the_current_ones(tmp_path: Path) -> None:
    """Audit (stop 63, b M5): ``conda_dependencies_file_path=`` was an "unknown parameter"."""
    (tmp_path / "src" / "environment.yml").parent.mkdir(exist_ok=True)
    (tmp_path / "src" / "environment.yml").write_text("dependencies:\n  - python=3.10\n")
    _, job = _job(tmp_path, """\
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu",
                        conda_dependencies_file_path="environment.yml", custom_docker_base_image="my/image:1")
        """)
    assert job["environment"]["image"] == "my/image:1"
    assert job["environment"]["conda_file"] == {"dependencies": ["python=3.10"]}


def test_a_local_estimator_without_docker_runs_locally_with_a_todo(tmp_path: Path) -> None:
    """mapping-extension 5 (D+T): v1 ran it on this machine; v2's local jobs use Docker."""
    migrated, job = _job(tmp_path, """\
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="local",
                        conda_packages=["pandas"], use_docker=False)
        """)
    assert job["compute"] == "local"
    assert migrated.count("TODO(azureml-v2): AML009 v2 local jobs run the environment's image in Docker; v1 "
                          "(use_docker=False)") == 1


def test_a_framework_version_without_known_pins_is_reported(tmp_path: Path) -> None:
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        from azureml.train.dnn import PyTorch

        est = PyTorch(source_directory="./src", entry_script="train.py", compute_target="c", framework_version="1.4")
        run = Experiment(ws, "train").submit(est)
        """))
    report = fix(script)
    assert "AML009 left" in report and "PyTorch(framework_version='1.4')" in report, report


def test_packages_that_bring_mlflow_need_no_todo(tmp_path: Path) -> None:
    migrated, job = _job(tmp_path, """\
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                        pip_packages=["mlflow", "azureml-mlflow"])
        """)
    assert "TODO" not in migrated
    assert _conda(job)["dependencies"] == ["python=3.8.13", {"pip": ["azureml-defaults", "mlflow", "azureml-mlflow"]}]


LOGGING_SCRIPT = "from azureml.core import Run\nrun = Run.get_context()\nrun.log('accuracy', 0.9)\n"


@pytest.mark.parametrize(("packages", "environment", "pip"), [
    ('pip_packages=["lightgbm"]', None, ["azureml-defaults", "lightgbm", "mlflow", "azureml-mlflow"]),
    ("", "V1_DEFAULT_ENVIRONMENT_MLFLOW", ["azureml-defaults", "mlflow", "azureml-mlflow"]),
])
def test_the_environment_of_an_estimator_whose_script_logs_gets_mlflow(tmp_path: Path, packages: str,
                                                                      environment: str | None, pip: list) -> None:
    """The fix writes this environment and moves the script to MLflow: it adds the packages the
    script then imports (the job would stop at ``import mlflow`` otherwise), and its TODO says they
    were added, since v1's environment had no such packages (audit 55: the script may yet stay v1)."""
    separator = ", " if packages else ""
    script = project(tmp_path, HEADER + 'est = Estimator(source_directory="./src", entry_script="train.py", '
                     f'compute_target="cpu-cluster"{separator}{packages})\n'
                     'run = Experiment(ws, "train").submit(config=est)\n')
    (tmp_path / "src" / "train.py").write_text(LOGGING_SCRIPT)
    report = fix(script)
    migrated = script.read_text()
    assert "AML009 fixed" in report and "when the job logs with MLflow" not in migrated, migrated
    assert environment is None or f"environment={environment}" in migrated, migrated
    said = ("# TODO(azureml-v2): AML009 mlflow and azureml-mlflow added to v1's packages: train.py logs with MLflow "
            "once migrated\n") if environment is None else "with mlflow and azureml-mlflow added for the job scripts"
    assert migrated.count(said) == 1, migrated
    jobs = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert jobs[0]["valid"] and jobs[0]["rest_error"] is None, jobs[0]
    assert _conda(jobs[0]["job"])["dependencies"] == ["python=3.8.13", {"pip": pip}]
    trained = tmp_path / "src" / "train.py"
    report = fix(trained)  # its launcher, migrated, asks for nothing more: the script moves
    assert "mlflow.log_metric('accuracy', 0.9)" in trained.read_text(), report


def test_show_output_on_an_estimator_submit_is_left(tmp_path: Path) -> None:
    """An estimator's v1 submit takes only script_params, inputs and source_directory_data_store and
    raised TrainingException for show_output= (audit 46): the migrated job would run and wait."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster")
        run = Experiment(ws, "train").submit(est, show_output=True)
        """))
    report = fix(script)
    assert "AML001 left: submit(Estimator, show_output=...) raised TrainingException in v1" in report, report
    assert "submit(est, show_output=True)" in script.read_text()


def _fix_folder(folder: Path) -> str:
    """Fix the launcher and the script it runs in one run, as a project is fixed."""
    (folder / "pyproject.toml").write_text("")
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "."], cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout + result.stderr


TABULAR_READER = """\
from azureml.core import Run

run = Run.get_context()
frame = run.input_datasets["bitcoin"].to_pandas_dataframe()
print(len(frame))
"""


def test_inputs_are_exported_under_their_names_and_the_script_reads_them_so(tmp_path: Path) -> None:
    """v1 handed each dataset listed in inputs= to the script through an environment variable
    named after it (run.input_datasets reads those): the command exports each input under that
    name, and the script, fixed in the same run, reads the variable (mapping-extension.md 4.4)."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        data = ws.datasets.get("bitcoin")
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                        inputs=[data.as_named_input("bitcoin")],  # read by name in the script
                        pip_packages=["pandas"])
        run = Experiment(ws, "train").submit(config=est)
        """))
    (tmp_path / "src" / "train.py").write_text(TABULAR_READER)
    report = _fix_folder(tmp_path)
    migrated, reader = script.read_text(), (tmp_path / "src" / "train.py").read_text()
    assert "; 0 left." in report, report
    assert no_v1(migrated) and no_v1(reader), migrated + reader
    assert 'frame = mltable.load(os.environ["bitcoin"]).to_pandas_dataframe()' in reader
    [job] = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert job["valid"], job["errors"]
    assert job["job"]["component"]["command"] == "export bitcoin=${{inputs.bitcoin}} && python train.py"
    assert job["job"]["inputs"]["bitcoin"] == {"type": "mltable", "path": "bitcoin@latest"}
    _fix_folder(tmp_path)
    assert script.read_text() == migrated  # a second run changes nothing


def test_a_dataset_the_script_reads_through_input_datasets_is_exported(tmp_path: Path) -> None:
    """A dataset in script_params= that the script also reads as run.input_datasets[name]: the
    command exports it, as ScriptRunConfig's does; without the export the migrated job would
    hand the script's v1 read nothing (it was migrated without one)."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        from azureml.core import Dataset

        store = ws.datastores["blobs"]
        images = Dataset.File.from_files(path=(store, "images/"))
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                        script_params={"--data": images.as_named_input("images").as_mount()})
        run = Experiment(ws, "train").submit(config=est)
        """))
    (tmp_path / "src" / "train.py").write_text(
        "import os\nfrom azureml.core import Run\n\nrun = Run.get_context()\n"
        "print(os.listdir(run.input_datasets['images']))\n")
    report = _fix_folder(tmp_path)
    reader = (tmp_path / "src" / "train.py").read_text()
    assert "; 0 left." in report, report
    assert 'print(os.listdir(os.environ["images"]))' in reader, reader
    [job] = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert job["valid"], job["errors"]
    assert job["job"]["component"]["command"] == (
        "export images=${{inputs.images}} && python train.py --data ${{inputs.images}}")


def test_inputs_the_script_reads_are_left_with_a_launcher_that_stays(tmp_path: Path) -> None:
    """Another launcher of the same script stays v1: the script keeps its v1 reads, so the
    estimator that lists the input stays with it (the reason names the other launcher)."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        data = ws.datasets.get("bitcoin")
        est = Estimator(source_directory="./src", entry_script="train.py", compute_target="cpu-cluster",
                        inputs=[data.as_named_input("bitcoin")], pip_packages=["pandas"])
        run = Experiment(ws, "train").submit(config=est)
        """))
    (tmp_path / "src" / "train.py").write_text(TABULAR_READER)
    (tmp_path / "other.py").write_text(
        "from azureml.core import ScriptRunConfig\n\n"
        "def config(target, dataset, ws):\n"
        "    return ScriptRunConfig(source_directory='src', script='train.py', compute_target=target,\n"
        "                           arguments=[dataset.as_named_input('bitcoin')])\n")
    report = _fix_folder(tmp_path)
    assert "AML009 left" in report and "runs it too" in report, report
    assert "est = Estimator(" in script.read_text() and "input_datasets" in (tmp_path / "src" / "train.py").read_text()


def test_a_folder_computed_at_run_time_hides_the_script_so_every_named_input_is_exported(tmp_path: Path) -> None:
    """``source_directory`` computed when the program runs: no file found from here is known to be
    the script (a ./train.py beside the launcher is not it), and the script may read any input v1
    set a variable for, so each is exported (review 85: the job lost the variable its script read)."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        import os
        from azureml.core import Dataset

        data = Dataset.get_by_name(ws, "titanic")
        est = Estimator(source_directory=os.path.join(os.getcwd(), "src"), entry_script="train.py",
                        compute_target="cpu-cluster", script_params={"--data": data.as_named_input("a").as_mount()})
        run = Experiment(ws, "train").submit(config=est)
        """))
    (tmp_path / "src" / "train.py").write_text("import os\nprint(os.listdir(os.environ['a']))\n")
    (tmp_path / "train.py").write_text("print('another script of the same name')\n")
    report = _fix_folder(tmp_path)
    assert "AML009 fixed" in report, report
    [job] = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert job["valid"], job["errors"]
    assert job["job"]["component"]["command"] == "export a=${{inputs.a}} && python train.py --data ${{inputs.a}}"


@pytest.mark.parametrize("folder", [
    'os.path.join(os.path.dirname(os.path.abspath(__file__)), "src")',
    'os.path.join(os.path.dirname(__file__), "src")',
    'Path(__file__).resolve().parent / "src"',
    "here",  # a variable assigned one of those
])
def test_a_folder_made_from_the_programs_own_path_is_known(tmp_path: Path, folder: str) -> None:
    """A folder made from ``__file__`` is the launcher's (review 86): its script is read, so what it
    reads through run.input_datasets is exported and the script moves with the job."""
    script = project(tmp_path, HEADER + textwrap.dedent(f"""\
        import os
        from pathlib import Path
        from azureml.core import Dataset

        here = os.path.join(os.path.dirname(__file__), "src")
        data = Dataset.get_by_name(ws, "titanic")
        est = Estimator(source_directory={folder}, entry_script="train.py", compute_target="cpu-cluster",
                        script_params={{"--data": data.as_named_input("a").as_mount()}})
        run = Experiment(ws, "train").submit(config=est)
        """))
    (tmp_path / "src" / "train.py").write_text(
        "import os\nfrom azureml.core import Run\n\nprint(os.listdir(Run.get_context().input_datasets['a']))\n")
    report = _fix_folder(tmp_path)
    assert "; 0 left." in report, report
    assert 'os.environ["a"]' in (tmp_path / "src" / "train.py").read_text()
    [job] = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert job["job"]["component"]["command"] == "export a=${{inputs.a}} && python train.py --data ${{inputs.a}}"


@pytest.mark.parametrize(("name", "left"), [("PATH", True), ("PYTHONPATH", True), ("path", False), ("az_data", False)])
def test_an_input_named_like_a_variable_the_command_relies_on_is_left(tmp_path: Path, name: str, left: bool) -> None:
    """v1 set ``$PATH`` inside the running Python; exported before ``python`` it would change what
    the command runs (review 86), so the job stays with the reason.  Names are case-sensitive."""
    script = project(tmp_path, HEADER + textwrap.dedent(f"""\
        from azureml.core import Dataset

        data = Dataset.get_by_name(ws, "titanic")
        est = Estimator(source_directory="./missing", entry_script="train.py", compute_target="cpu-cluster",
                        script_params={{"--data": data.as_named_input("{name}").as_mount()}})
        run = Experiment(ws, "train").submit(config=est)
        """))
    report = _fix_folder(tmp_path)
    if left:
        assert "AML009 left" in report and f"{name!r}, which the job's command and runtime rely on" in report, report
        assert "Estimator(" in script.read_text()
    else:
        assert "AML009 fixed" in report, report
        assert f"export {name}=${{{{inputs.{name}}}}} && python train.py" in script.read_text()
