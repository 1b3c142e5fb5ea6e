"""RunConfiguration, distributed training and DockerConfiguration, executed
(mapping-extension.md 2-3): the fields of the v1 configuration land on the v2 job, with
v1's precedence and defaults, and every job passes azure-ai-ml's checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flake8_azureml_v2.migrations._defaults import V1_CPU_IMAGE

from .migrate_helpers import execute, fix, no_v1, project, ruff_clean, submitted

HEADER = """\
from azureml.core import Environment, Experiment, RunConfiguration, ScriptRunConfig, Workspace
from azureml.core.conda_dependencies import CondaDependencies
from azureml.core.runconfig import DockerConfiguration, MpiConfiguration, PyTorchConfiguration, TensorflowConfiguration

ws = Workspace.from_config()
experiment = Experiment(ws, "runconfig")
env = Environment.get(ws, "sklearn-env", version="3")
"""


def _jobs(tmp_path: Path, body: str) -> tuple[str, str, list[dict]]:
    # (a body that does not use env does not fetch it: a fetched environment nothing uses keeps its lookup)
    header = HEADER if re.search(r"\benv\b", body) else HEADER.replace('env = Environment.get(ws, "sklearn-env", version="3")\n', "")
    script = project(tmp_path, header + body)
    report = fix(script)
    text = script.read_text()
    assert no_v1(text), report
    ruff_clean(script)
    return text, report, [r["job"] for r in submitted(execute(script))]


def test_run_configuration_fields_land_on_the_job(tmp_path: Path) -> None:
    text, _, (job,) = _jobs(tmp_path, """\
rc = RunConfiguration()
rc.target = "cpu-cluster"
rc.environment = env
rc.environment_variables = {"MODE": "fast"}
rc.node_count = 2
rc.communicator = "IntelMpi"
rc.mpi.process_count_per_node = 4
rc.max_run_duration_seconds = 3600
rc.docker.use_docker = True
rc.docker.shm_size = "16g"
rc.docker.arguments = ["--ipc", "host"]
rc.credential_passthrough = True
rc.auto_prepare_environment = True  # azureml-core 1.61 only logs that this is deprecated and unused
# rc wins over compute_target= and environment= given beside it (v1 ignores them)
src = ScriptRunConfig("./src", "train.py", run_config=rc, compute_target="ignored", environment=env)
experiment.submit(src)
""")
    assert job["compute"] == "cpu-cluster" and job["environment"] == "sklearn-env:3"
    assert job["environment_variables"] == {"MODE": "fast"}
    assert job["resources"]["instance_count"] == 2 and job["resources"]["shm_size"] == "16g"
    assert job["resources"]["docker_args"] == "--ipc host"
    assert job["distribution"] == {"type": "mpi", "process_count_per_instance": 4}
    assert job["limits"]["timeout"] == 3600 and job["identity"] == {"type": "user_identity"}
    assert "ignored" not in text and "RunConfiguration" not in text and "auto_prepare_environment" not in text


@pytest.mark.parametrize(("fetched", "reference"), [('Environment.get(ws, "sklearn_env", version="3")',
                                                     "azureml:sklearn_env:3"),
                                                    ('Environment.get(ws, "sklearn_env")', "azureml:sklearn_env@latest")])
def test_an_environment_fetched_where_the_run_configuration_takes_it(tmp_path: Path, fetched: str,
                                                                    reference: str) -> None:
    """mapping-extension 1.5 and 2 (BP): ``rc.environment = Environment.get(...)`` was "not assigned to a
    variable" (audits a, f and g, stop 63)."""
    text, report, (job,) = _jobs(tmp_path, f"""\
rc = RunConfiguration()
rc.target = "cpu-cluster"
rc.environment = {fetched}
run = experiment.submit(ScriptRunConfig(source_directory="./src", script="train.py", run_config=rc))
""")
    assert "AML021 fixed" in report and "AML007 fixed" in report, report
    assert f'environment="{reference}"' in text
    assert job["environment"] == reference.removeprefix("azureml:") and job["compute"] == "cpu-cluster"


def test_serverless_and_local_targets(tmp_path: Path) -> None:
    text, _, (serverless, local) = _jobs(tmp_path, """\
serverless = RunConfiguration()
serverless.target = "amlcompute"
serverless.amlcompute.vm_size = "STANDARD_NC6"
serverless.environment = env
experiment.submit(ScriptRunConfig("./src", "train.py", run_config=serverless))
defaults = RunConfiguration()
experiment.submit(ScriptRunConfig("./src", "train.py", run_config=defaults))
""")
    assert "compute" not in serverless and serverless["resources"]["instance_type"] == "STANDARD_NC6"
    # v1's RunConfiguration(): target "local" (D+T) and the default environment
    assert local["compute"] == "local" and local["environment"]["image"] == V1_CPU_IMAGE
    assert text.count("# TODO(azureml-v2): AML007 v2 local jobs") == 1


def test_the_run_configurations_environment_changed_in_place(tmp_path: Path) -> None:
    _, _, (job,) = _jobs(tmp_path, """\
rc = RunConfiguration(conda_dependencies=CondaDependencies.create(pip_packages=["lightgbm"], pin_sdk_version=False))
rc.target = "cpu-cluster"
rc.environment.docker.enabled = True
rc.environment.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
experiment.submit(ScriptRunConfig("./src", "train.py", run_config=rc))
""")
    assert job["environment"]["image"] == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
    assert job["environment"]["conda_file"]["dependencies"] == ["python=3.10.18", {"pip": ["lightgbm"]}]


def test_distributed_configurations(tmp_path: Path) -> None:
    text, report, jobs = _jobs(tmp_path, """\
mpi = MpiConfiguration(process_count_per_node=2, node_count=3)
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu", environment=env, distributed_job_config=mpi))
torch = PyTorchConfiguration(process_count=8, node_count=2, communication_backend="Gloo")
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu", environment=env, distributed_job_config=torch))
one_each = PyTorchConfiguration(node_count=2)
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu", environment=env, distributed_job_config=one_each))
tf = TensorflowConfiguration(worker_count=2)
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu", environment=env, distributed_job_config=tf))
docker = DockerConfiguration(use_docker=True, shm_size="8g", arguments=["--cap-add", "SYS_PTRACE"])
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu", environment=env, docker_runtime_config=docker))
""")
    mpi, torch, one_each, tf, docker = jobs
    assert mpi["distribution"] == {"type": "mpi", "process_count_per_instance": 2}
    assert mpi["resources"]["instance_count"] == 3
    # PyTorch: v1 counted processes in total; v2 per instance
    assert torch["distribution"] == {"type": "pytorch", "process_count_per_instance": 4}
    assert torch["resources"]["instance_count"] == 2
    assert text.count("# TODO(azureml-v2): AML002 v1 set the Gloo backend") == 1  # not v1's default
    assert one_each["distribution"] == {"type": "pytorch", "process_count_per_instance": 1}
    # TensorFlow: v1's one parameter server (v2's default is none); a node per worker
    assert tf["distribution"] == {"type": "tensorflow", "worker_count": 2, "parameter_server_count": 1}
    assert tf["resources"]["instance_count"] == 2
    assert docker["resources"]["shm_size"] == "8g" and docker["resources"]["docker_args"] == "--cap-add SYS_PTRACE"
    assert "AML029 fixed" in report


@pytest.mark.parametrize(("counts", "expected"), [
    ("devices = 8\nnodes = 2\n", ({"type": "mpi", "process_count_per_instance": 8}, 2)),
    ("devices = 8\nnodes = 2\ndevices = 4\n", ({"type": "mpi", "process_count_per_instance": 4}, 2)),
    ("import os\ndevices = int(os.environ.get('DEVICES', '8'))\nnodes = 2\n", None),
])
def test_distributed_counts_held_in_variables_set_once(tmp_path: Path, counts: str, expected: tuple | None) -> None:
    """Audit h: ``MpiConfiguration(process_count_per_node=devices)`` with ``devices = 8`` was left as
    "not a literal number"; a count a variable holds where the configuration is made is that number."""
    body = counts + ("mpi = MpiConfiguration(process_count_per_node=devices, node_count=nodes)\n"
                     'experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu", environment=env, '
                     "distributed_job_config=mpi))\n")
    if expected is None:
        script = project(tmp_path, HEADER + body)
        assert "process_count_per_node= is not a literal number" in fix(script)
        return
    _, _, (job,) = _jobs(tmp_path, body)
    assert (job["distribution"], job["resources"]["instance_count"]) == expected


def test_an_uneven_pytorch_layout_is_impossible(tmp_path: Path) -> None:
    script = project(tmp_path, HEADER + """\
torch = PyTorchConfiguration(process_count=5, node_count=2)
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu", environment=env, distributed_job_config=torch))
""")
    report = fix(script)
    assert re.search(r"AML002 left: .*process_count=5 over node_count=2 is an uneven layout", report)
    assert "PyTorchConfiguration(process_count=5" in script.read_text()


def test_steps_share_a_run_configuration_and_their_compute_wins(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Environment, Experiment, RunConfiguration, Workspace
from azureml.pipeline.core import Pipeline
from azureml.data import OutputFileDatasetConfig
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
env = Environment.from_conda_specification(name="pytorch-env", file_path="pytorch-env.yml")
rc = RunConfiguration()
rc.target = "cpu-cluster"
rc.environment = env
prepared = OutputFileDatasetConfig("prepared")
prep = PythonScriptStep(name="prep", script_name="train.py", source_directory="./src", compute_target="gpu-cluster",
                        arguments=["--out", prepared], runconfig=rc)
model = OutputFileDatasetConfig("model")
train = PythonScriptStep(name="train", script_name="train.py", source_directory="./src", compute_target="gpu-cluster",
                         arguments=["--data", prepared.as_input("prepared"), "--model", model], runconfig=rc)
pipeline = Pipeline(workspace=ws, steps=[prep, train])
run = Experiment(ws, "steps").submit(pipeline)
""")
    report = fix(script)
    assert no_v1(script.read_text()), report
    (record,) = submitted(execute(script))
    job = record["job"]
    assert job["settings"]["default_compute"] == "gpu-cluster"  # the step's compute_target, not rc.target
    for step in job["jobs"].values():
        assert step["environment"]["conda_file"]["dependencies"] == ["python=3.10", "pip"]


_STEP_PIPELINE = """\
from azureml.core import Environment, Experiment, RunConfiguration, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
env = Environment.from_conda_specification(name="pytorch-env", file_path="pytorch-env.yml")
rc = RunConfiguration()
{settings}
step = PythonScriptStep(name="train", script_name="train.py", source_directory="./src", compute_target="cpu-cluster",
                        runconfig=rc)
pipeline = Pipeline(workspace=ws, steps=[step])
run = Experiment(ws, "steps").submit(pipeline)
"""


@pytest.mark.parametrize(("settings", "expected"), [
    ('rc.environment = env\nrc.environment.environment_variables["DATASTORE_NAME"] = "workspaceblobstore"\n'
     'rc.environment.environment_variables["MODE"] = "fast"', {"DATASTORE_NAME": "workspaceblobstore", "MODE": "fast"}),
    ('rc.environment = env\nrc.environment.environment_variables = {"MODE": "fast"}', {"MODE": "fast"}),
    ('rc.environment.environment_variables["MODE"] = "fast"\nrc.environment = env',
     "is set before `rc.environment` is assigned"),
    ('rc.environment = env\nrc.environment.environment_variables["MODE"] = "fast"\nother = env',
     "changes `env` itself, which other code uses too"),
])
def test_a_steps_run_configuration_gives_its_environment_variables_to_the_job(tmp_path: Path, settings: str,
                                                                              expected: dict | str) -> None:
    """Audit f: MLOps templates name their datastore to every step through the run configuration's
    environment; v2 sets the variables on each job (mapping-extension 1.4, 2)."""
    script = project(tmp_path, _STEP_PIPELINE.format(settings=settings))
    report = fix(script)
    if isinstance(expected, str):
        assert f"AML003 left: `rc.environment.environment_variables` {expected}" in report, report  # (as named)
        return
    assert no_v1(script.read_text()), report
    (record,) = submitted(execute(script))
    (step,) = record["job"]["jobs"].values()
    assert step["environment_variables"] == expected, step


def test_a_configuration_no_job_takes_is_said_to_be_removed(tmp_path: Path) -> None:
    """A configuration built and never passed to a job is deleted as dead v1 code: the
    fix says so, instead of claiming a job took its fields (seen on AzureML-BERT's notebooks,
    where `RunConfiguration()` was made and the estimator got `user_managed=True` itself)."""
    text, report, (job,) = _jobs(tmp_path, """\
idle = RunConfiguration()
idle.environment.docker.enabled = True
docker = DockerConfiguration(use_docker=True)
mpi = MpiConfiguration(process_count_per_node=2, node_count=2)
used = RunConfiguration()
used.target = "cpu-cluster"
used.environment = env
src = ScriptRunConfig(source_directory="./src", script="train.py", run_config=used)
run = experiment.submit(src)
""")
    assert "AML007 fixed: RunConfiguration removed: nothing uses it" in report
    assert "AML029 fixed: DockerConfiguration removed: nothing uses it" in report
    assert "AML002 fixed: distributed configuration removed: nothing uses it" in report
    assert report.count("RunConfiguration folded into the jobs that use it") == 1, report
    assert "idle" not in text and "docker" not in text.lower() and "mpi" not in text.lower()
    assert job["compute"] == "cpu-cluster" and job.get("distribution") is None


def test_a_target_known_only_at_run_time_stays_for_a_script_run(tmp_path: Path) -> None:
    """A job's v1 target also took "local" (no Docker) and "amlcompute" (run-based compute) as
    run modes, so ``rc.target = args.compute`` is not passed on as a compute name (a pipeline
    step, where v1 looked every string up as a compute, takes it)."""
    script = project(tmp_path, HEADER + """\
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--compute", type=str, default="cpu-cluster")
args = parser.parse_args()
rc = RunConfiguration()
rc.target = args.compute
rc.environment = env
experiment.submit(ScriptRunConfig("./src", "train.py", run_config=rc))
""")
    report = fix(script)
    assert ("AML002 left: target `args.compute` is a string known only at run time, and a job's v1 "
            "target also took 'local' and 'amlcompute' as run modes") in report, report
    assert "rc.target = args.compute" in script.read_text()


@pytest.mark.parametrize(("mpi", "nodes", "expected"), [
    ("MpiConfiguration(process_count_per_node=4, node_count=2)", "rc.node_count = 2\n", (2, 4)),
    ("MpiConfiguration(3)", "", (1, 3)),  # v1's defaults: one node, as rc.node_count's
    # v1 ran rc.node_count nodes whatever the object said: the two disagreeing stay for a person
    ("MpiConfiguration(process_count_per_node=4, node_count=2)", "", None),
    ("MpiConfiguration(process_count_per_node=4, foo=1)", "", None),  # v1 raised TypeError (review, stop 64)
])
def test_a_whole_mpi_configuration_set_on_a_run_configuration(tmp_path: Path, mpi: str, nodes: str,
                                                              expected: tuple | None) -> None:
    """Audit, stop 64 (lot c M2): ``rc.mpi = MpiConfiguration(...)`` was refused while
    ``rc.mpi.process_count_per_node = 4`` migrated; it sets the same field."""
    body = (f'rc = RunConfiguration()\nrc.target = "gpu-cluster"\n{nodes}rc.communicator = "IntelMpi"\n'
            f'rc.mpi = {mpi}\nsrc = ScriptRunConfig("./src", "train.py", run_config=rc)\nexperiment.submit(src)\n')
    if expected is None:
        script = project(tmp_path, HEADER.replace('env = Environment.get(ws, "sklearn-env", version="3")\n', "") + body)
        report = fix(script)
        assert ("only process_count_per_node= and node_count=" if "foo" in mpi else
                "rc.mpi's node_count (2, 1 when not given) is not rc.node_count (1)") in report, report
        assert "rc.mpi = MpiConfiguration(" in script.read_text()
        return
    _, _, (job,) = _jobs(tmp_path, body)
    assert (job["resources"]["instance_count"], job["distribution"]["process_count_per_instance"]) == expected
    assert job["distribution"]["type"] == "mpi"


def test_the_deprecated_gpu_support_of_a_run_configuration_goes(tmp_path: Path) -> None:
    """Audit, stop 64 (lot d L1): the setter only logs that it is deprecated; it blocked the whole job."""
    text, _, (job,) = _jobs(tmp_path, """\
rc = RunConfiguration()
rc.target = "gpu-cluster"
rc.environment.docker.gpu_support = True
src = ScriptRunConfig("./src", "train.py", run_config=rc)
experiment.submit(src)
""")
    assert "gpu_support" not in text and job["compute"] == "gpu-cluster"
