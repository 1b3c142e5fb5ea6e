"""Environments, executed (mapping-extension.md 1): each v1 way of building or fetching an
environment gives the v2 environment v1 would have run, through the real azure-ai-ml."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from flake8_azureml_v2.migrations._conda_spec import names_python_version
from flake8_azureml_v2.migrations._defaults import V1_CPU_IMAGE

from .migrate_helpers import assert_fixed_point, execute, fix, no_v1, project, ruff_clean, submitted

CHANNELS = ["anaconda", "conda-forge"]
HEADER = """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.conda_dependencies import CondaDependencies

ws = Workspace.from_config()
experiment = Experiment(ws, "environments")
"""
SUBMIT = 'experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="cpu-cluster", environment={}))'



def _environments(tmp_path: Path, body: str) -> tuple[str, list[dict]]:
    body = re.sub(r"^submit\((.*)\)$", lambda m: SUBMIT.format(m.group(1)), body, flags=re.MULTILINE)
    script = project(tmp_path, HEADER + body)
    report = fix(script)
    text = script.read_text()
    assert no_v1(text), report
    ruff_clean(script)
    records = execute(script)
    return text, [_own(job["job"]["environment"]) for job in submitted(records)]


def _own(environment: dict | str) -> dict | str:
    """What the program gave: v2 names an inline environment anonymously, by a content hash."""
    if isinstance(environment, dict) and environment.get("name") == "CliV2AnonymousEnvironment":
        return {k: v for k, v in environment.items() if k not in ("name", "version")}
    return environment


def _conda(python: str, pip: list[str], *conda: str, channels: list[str] = CHANNELS) -> dict:
    return {"name": "project_environment", "channels": channels,
            "dependencies": [f"python={python}", {"pip": pip}, *conda]}


def test_conda_dependencies_reproduce_v1s_quirks(tmp_path: Path) -> None:
    text, envs = _environments(tmp_path, """\
env = Environment("created")
env.python.conda_dependencies = CondaDependencies.create(
    conda_packages=["numpy"], pip_packages=["pandas", "azureml-mlflow"], python_version="3.9")
submit(env)

defaults = Environment("defaults")
defaults.python.conda_dependencies = CondaDependencies.create(conda_packages=["scikit-learn"])
submit(defaults)

cd = CondaDependencies()
cd.add_pip_package("torch==1.0")
cd.add_pip_package("torch==2.1")
cd.add_conda_package("python=3.9")
cd.add_conda_package("numpy")
cd.add_channel("pytorch")
plain = Environment("plain")
plain.python.conda_dependencies = cd
submit(plain)
""")
    # create(pip_packages=...): the user's list replaces azureml-defaults; conda packages after the pip dict
    assert envs[0]["conda_file"] == _conda("3.9", ["pandas", "azureml-mlflow"], "numpy")
    # create() keeps azureml-defaults and pins 3.10.18
    assert envs[1]["conda_file"] == _conda("3.10.18", ["azureml-defaults"], "scikit-learn")
    # CondaDependencies(): 3.8.13; add_pip replaces an earlier entry; add_conda("python=") replaces the pin
    assert envs[2]["conda_file"] == _conda("3.9", ["azureml-defaults", "torch==2.1"], "numpy",
                                           channels=[*CHANNELS, "pytorch"])
    assert all(env["image"] == V1_CPU_IMAGE for env in envs)
    # pin_sdk_version=True (D+T): the two create() calls list azureml-* packages
    assert text.count("# TODO(azureml-v2): AML008 v1 may have pinned the azureml-* packages") == 2


def test_a_conda_file_the_program_writes_first_is_read_when_the_job_is_built(tmp_path: Path) -> None:
    """Audit: the program writes (or downloads) its conda file before v1 reads it, and a stale copy
    that pins python lies beside it: that copy tells nothing, so v1's pin is made when the job is built."""
    (tmp_path / "myenv.yml").write_text("dependencies:\n  - python=3.6.2\n")
    _, envs = _environments(tmp_path, """\
with open("myenv.yml", "w") as handle:
    handle.write("name: new\\ndependencies:\\n  - pip:\\n    - scikit-learn\\n")
submit(Environment.from_conda_specification(name="myenv", file_path="myenv.yml"))
""")
    assert envs[0]["conda_file"]["dependencies"] == [{"pip": ["scikit-learn"]}, "python=3.10.18"], envs


def test_a_new_environments_own_conda_dependencies_changed_in_place(tmp_path: Path) -> None:
    """Audit x: ``env.python.conda_dependencies.add_pip_package(...)`` changes a new environment's
    own ``CondaDependencies()`` (python 3.8.13 and azureml-defaults), as a variable of it would."""
    text, envs = _environments(tmp_path, """\
env = Environment("inference-env")
env.python.conda_dependencies.add_pip_package("scikit-learn")
env.python.conda_dependencies.add_pip_package("joblib")
env.python.conda_dependencies.add_conda_package("numpy")
env.python.conda_dependencies.remove_pip_package("joblib")
submit(env)
""")
    assert envs == [{"image": V1_CPU_IMAGE, "conda_file": _conda("3.8.13", ["azureml-defaults", "scikit-learn"], "numpy")}]
    assert "add_pip_package" not in text and "remove_pip_package" not in text


def test_conda_dependencies_changed_after_they_are_set_stay(tmp_path: Path) -> None:
    # the look-alike: changes on a conda specification read from a file are not replayed
    (tmp_path / "env.yml").write_text("dependencies:\n  - python=3.9\n")
    script = project(tmp_path, HEADER + """\
env = Environment.from_conda_specification("from-file", "env.yml")
env.python.conda_dependencies.add_pip_package("joblib")
""" + SUBMIT.format("env") + "\n")
    report = fix(script)
    assert "AML021 left: the environment's conda dependencies are changed in place, and also set or read from a file" \
        in report, report
    assert 'env.python.conda_dependencies.add_pip_package("joblib")' in script.read_text()


def test_pip_requirements_replace_v1s_pip_list(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("# training\ntorch\n\nnumpy==1.26\n")
    _, envs = _environments(tmp_path, """\
submit(Environment.from_pip_requirements("reqs", "requirements.txt"))
pinned = Environment.from_pip_requirements(name="pinned", file_path="requirements.txt", pip_version="23.0")
submit(pinned)
""")
    lines = ["# training", "torch", "", "numpy==1.26"]  # the raw lines, comments and blanks included
    assert envs[0]["conda_file"] == _conda("3.8.13", lines, "pip") and envs[0]["image"] == V1_CPU_IMAGE
    assert envs[1]["conda_file"] == _conda("3.8.13", lines, "pip=23.0")


def test_imperative_environment_docker_and_user_managed(tmp_path: Path) -> None:
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "train.dockerfile").write_text("FROM python:3.11\n")
    text, envs = _environments(tmp_path, """\
custom = Environment("custom")
custom.docker.enabled = True
custom.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
custom.python.user_managed_dependencies = True
submit(custom)

built = Environment("built")
built.docker.base_image = None
built.docker.base_dockerfile = "docker/train.dockerfile"
built.python.user_managed_dependencies = True
submit(built)

default = Environment("default")
submit(default)
""")
    # user-managed: the image's own python, no conda file
    assert envs[0] == {"image": "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"}
    assert envs[1]["build"]["path"].endswith("docker") and envs[1]["build"]["dockerfile_path"] == "train.dockerfile"
    assert "image" not in envs[1] and "conda_file" not in envs[1]
    assert text.count("# TODO(azureml-v2): AML021 v1 built this Dockerfile") == 1  # D+T
    # Environment("n") alone: v1's default image and conda file, always an image
    assert envs[2] == {"image": V1_CPU_IMAGE, "conda_file": _conda("3.8.13", ["azureml-defaults"])}


def test_docker_factories_set_the_image_on_the_dependencies_they_name(tmp_path: Path) -> None:
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text("FROM python:3.11\n")
    (tmp_path / "env.yml").write_text("dependencies:\n  - python=3.10\n  - pip:\n    - torch\n")
    (tmp_path / "requirements.txt").write_text("numpy\n")
    image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"
    text, envs = _environments(tmp_path, f"""\
submit(Environment.from_docker_image("plain", "{image}"))
conda = Environment.from_docker_image(name="conda", image="{image}", conda_specification="env.yml")
submit(conda)
submit(Environment.from_docker_image("pip", "{image}", None, pip_requirements="requirements.txt"))
submit(Environment.from_dockerfile("built", "docker/Dockerfile"))
""")
    # no dependency file: v1 made the dependencies user-managed, so the image's own python runs
    assert envs[0] == {"image": image}
    assert envs[1]["image"] == image and envs[1]["conda_file"]["dependencies"][0] == "python=3.10"
    assert envs[2]["image"] == image and envs[2]["conda_file"] == _conda("3.8.13", ["numpy"], "pip")
    assert envs[3]["build"]["path"].endswith("docker") and "conda_file" not in envs[3] and "image" not in envs[3]
    assert text.count("# TODO(azureml-v2): AML021 v1 built this Dockerfile") == 1
    assert_fixed_point(tmp_path / "job.py")


@pytest.mark.parametrize(("call", "said"), [
    ('Environment.from_docker_image("e", "img", container_registry=registry)', "registry"),
    ('Environment.from_docker_image("e", "img", conda_specification="a.yml", pip_requirements="r.txt")',
     "both conda_specification and pip_requirements"),
])
def test_docker_factories_v2_cannot_express_stay(tmp_path: Path, call: str, said: str) -> None:
    script = project(tmp_path, HEADER + f"registry = object()\nenv = {call}\n" + SUBMIT.format("env") + "\n")
    report = fix(script)
    assert "AML021 left: " in report and said in report
    assert f"env = {call}\n" in script.read_text()  # the v1 environment and its job stay


def test_registered_environments_are_references(tmp_path: Path) -> None:
    text, envs = _environments(tmp_path, """\
submit(Environment.get(ws, "sklearn-env"))
submit(Environment.get(workspace=ws, name="sklearn-env", version="3"))
curated = ws.environments["AzureML-Minimal"]
submit(curated)
""")
    assert envs == ["sklearn-env@latest", "sklearn-env:3", "AzureML-Minimal@latest"]  # "azureml:" stripped
    assert 'environment="azureml:sklearn-env@latest"' in text or '"azureml:sklearn-env@latest"' in text
    assert text.count("# TODO(azureml-v2): AML021 v1's curated environments are retired") == 1


@pytest.mark.parametrize(("after", "moves"), [("print('it exists')\n", False), (SUBMIT.format("env") + "\n", True)])
def test_a_fetched_environment_nothing_uses_keeps_its_lookup(tmp_path: Path, after: str, moves: bool) -> None:
    """Audit 57: ``env = Environment.get(ws, "e", version="1")`` and nothing uses ``env``: v1's lookup
    raised for a missing environment, which a reference string would not, so it stays; the job
    that uses it (the look-alike) takes the reference, and the service checks it there."""
    script = project(tmp_path, HEADER + 'env = Environment.get(workspace=ws, name="mlopsenv", version="1")\n' + after)
    report = fix(script)
    text = script.read_text()
    assert ('"azureml:mlopsenv:1"' in text) is moves, report
    if not moves:
        assert "AML021 left: nothing uses the fetched environment, so its lookup only checked that it exists" in report


def test_register_becomes_create_or_update(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Environment, Workspace
from azureml.core.conda_dependencies import CondaDependencies

ws = Workspace.from_config()
env = Environment("registered-env")
env.python.conda_dependencies = CondaDependencies.create(pip_packages=["scikit-learn"], pin_sdk_version=False)
env.register(workspace=ws)
print(env.name)
""")
    fix(script)
    assert no_v1(script.read_text())
    created = next(r for r in execute(script) if r["operation"] == "environments.create_or_update")
    assert created["rest_error"] is None
    assert created["environment"]["name"] == "registered-env"  # kept: the environment is registered
    assert created["environment"]["conda_file"] == _conda("3.10.18", ["scikit-learn"])
    assert created["environment"]["image"] == V1_CPU_IMAGE


def test_no_environment_is_v1s_default(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
run = Experiment(ws, "default").submit(ScriptRunConfig("./src", "train.py", compute_target="cpu-cluster"))
none = Experiment(ws, "default").submit(ScriptRunConfig("./src", "train.py", compute_target="cpu", environment=None))
""")
    fix(script)
    text = script.read_text()
    jobs = submitted(execute(script))
    for job in jobs:
        assert _own(job["job"]["environment"]) == {"image": V1_CPU_IMAGE, "conda_file": _conda("3.8.13", ["azureml-defaults"])}
    assert text.count("V1_DEFAULT_ENVIRONMENT = ") == 1 and text.count("# TODO(azureml-v2): AML002 v1's default") == 1


def test_the_image_read_back_is_the_image_v1_ran(tmp_path: Path) -> None:
    """``env.docker.base_image`` read after the environment is built: v2's ``env.image`` holds
    the same image (v1's default written out, or the one set), and a setting of another
    field after the read does not change what was read."""
    text, envs = _environments(tmp_path, """\
default = Environment("default")
default.docker.enabled = True
print("default image:", default.docker.base_image)
default.python.conda_dependencies = CondaDependencies.create(conda_packages=["scikit-learn"])
submit(default)

custom = Environment("custom")
custom.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
print("custom image:", custom.docker.base_image)
submit(custom)
""")
    assert 'print("default image:", default.image)' in text and 'print("custom image:", custom.image)' in text
    assert [env["image"] for env in envs] == [V1_CPU_IMAGE,  # type: ignore[index]
                                              "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"]


def test_an_image_read_before_it_is_set_is_left(tmp_path: Path) -> None:
    script = project(tmp_path, HEADER + """\
env = Environment("env")
print(env.docker.base_image)
env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
""" + SUBMIT.format("env") + "\n")
    report = fix(script)
    assert "AML021 left: `env` is used at line 6 before all its settings are made" in report, report
    assert "print(env.docker.base_image)" in script.read_text()


def test_a_conda_call_in_a_setting_of_a_refused_environment_says_why_it_stays(tmp_path: Path) -> None:
    """The conda call written in the setting goes only with its environment (audit: it said 'this
    form is not migrated automatically', a form that is migrated once the environment is)."""
    script = project(tmp_path, HEADER + """\
env = Environment("env")
env.python.conda_dependencies = CondaDependencies.create(conda_packages=["scikit-learn"])
print(env.docker.base_image)
env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
""" + SUBMIT.format("env") + "\n")
    report = fix(script)
    assert "AML008 left: `env` is used at line 8 before all its settings are made" in report, report
    assert "not migrated automatically" not in report, report


def test_a_fetched_environment_adds_no_client_beside_a_workspace_that_stays(tmp_path: Path) -> None:
    """A registered environment that nothing uses keeps its lookup (audit 57: v1 raised for a missing
    one), and no MLClient is made for it beside a workspace that v1 code still uses (nothing else
    then counts as using azure-ai-ml, so the SDK version print stays azureml-core's)."""
    script = project(tmp_path, """\
import azureml.core
from azureml.core import Environment, Workspace

print("SDK", azureml.core.VERSION)
ws = Workspace.from_config()
restored = Environment.get(workspace=ws, name="mlopsenv", version="1")
print(Environment.list(workspace=ws))
""")
    report = fix(script)
    text = script.read_text()
    assert 'restored = Environment.get(workspace=ws, name="mlopsenv", version="1")' in text, report
    assert "AML021 left: nothing uses the fetched environment" in report, report
    assert "MLClient" not in text and "azureml.core.VERSION" in text, text
    assert fix(script).count("AML021 fixed") == 0 and script.read_text() == text


# v1's azureml.core, as far as a star import of it binds what the program names: a constructor
# that v2's Environment(image=..., conda_file=...) call would fail on.
_STAR_STAND_IN = """\
class Environment:
    def __init__(self, name):
        self.name = name
"""


def test_a_star_import_of_v1_does_not_rebind_the_v2_names(tmp_path: Path) -> None:
    """The set-23 pipeline notebook: ``from azureml.core import *`` stays (what it binds cannot
    be told), so a v2 ``Environment`` imported above it would be v1's again when the job is built."""
    script = project(tmp_path, """\
from azureml.core import *

ws = Workspace.from_config()
env = Environment.from_conda_specification(name="pytorch-env", file_path="pytorch-env.yml")
env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
config = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=env)
run = Experiment(ws, "star").submit(config)
""")
    stand_in = tmp_path / "v1" / "azureml" / "core"
    stand_in.mkdir(parents=True)
    (stand_in / "__init__.py").write_text(_STAR_STAND_IN)
    report = fix(script)
    text = script.read_text()
    assert "from azure.ai.ml.entities import Environment as EnvironmentV2\n" in text, report
    assert "env = EnvironmentV2(image=" in text and "from azureml.core import *\n" in text, text
    job = submitted(execute(script, {"PYTHONPATH": str(tmp_path / "v1")}))[0]["job"]
    assert job["environment"]["image"] == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04", job
    assert fix(script).count(" fixed") == 0 and script.read_text() == text


REGISTERED_THEN_READ = """\
from azureml.core import Environment, Workspace

ws = Workspace.from_config()
env = Environment("diabetes-env")
env.python.user_managed_dependencies = True
env.register(workspace=ws)
"""


@pytest.mark.parametrize(("reader", "where"), [
    # sets 22 and 23: the notebook registers the environment, then gets it back for a v1 job
    ('pipeline_env = Environment.get(ws, "diabetes-env")\n', "line 7 (`Environment.get(ws, \"diabetes-env\")`)"),
    ('pipeline_env = ws.environments["diabetes-env"]\n', "line 7 (`ws.environments[\"diabetes-env\"]`)"),
    # the name is computed: it may be this one
    ('name = input()\npipeline_env = Environment.get(ws, name)\n', "line 8 (`Environment.get(ws, name)`)"),
])
def test_a_registration_that_v1_reads_back_stays_v1(tmp_path: Path, reader: str, where: str) -> None:
    """v2 assets cannot be used in v1 (mapping.md 7): v1's lookup would not find a v2 registration."""
    script = project(tmp_path, REGISTERED_THEN_READ + reader + "print(pipeline_env)\n")
    before = script.read_text()
    report = fix(script)
    assert script.read_text() == before
    assert ("job.py:4:7: AML021 left: `env` is also used at line 6 (`env.register(workspace=ws)`), which stays as "
            f"it is ({where} reads the environment with v1, which cannot use one registered with v2)") in report, report


def test_a_registration_a_neighbouring_notebook_reads_back_stays_v1_beside_the_job_s_v2_one(tmp_path: Path) -> None:
    """Set 21's FastTrack notebooks: the training notebook registers the environment its job
    runs in, the deploy notebook gets it back with v1.  The registration stays v1; the job
    migrates with a v2 environment built beside it."""
    script = project(tmp_path, HEADER + """\
env = Environment("diabetes-env")
env.python.user_managed_dependencies = True
env.register(workspace=ws)
""" + SUBMIT.format("env") + "\n")
    (tmp_path / "deploy.py").write_text('from azureml.core import Environment\n'
                                        'env = Environment.get(workspace=ws, name="diabetes-env", version="1")\n')
    report = fix(script)
    text = script.read_text()
    assert "env.register(workspace=ws)" in text and "environments.create_or_update" not in text, text
    assert "deploy.py:2 (`Environment.get(workspace=ws, name=\"diabetes-env\"`) reads the environment with v1" in report
    assert "AML001 fixed" in report, report
    stand_in = tmp_path / "v1" / "azureml" / "core"
    stand_in.mkdir(parents=True)
    (stand_in / "__init__.py").write_text(
        "class Workspace:\n    @staticmethod\n    def from_config():\n        return Workspace()\n"
        "class Experiment:\n    def __init__(self, workspace, name):\n        pass\n"
        "ScriptRunConfig = Experiment\n"
        "class _Section:\n    pass\n"
        "class Environment:\n    def __init__(self, name):\n        self.python = _Section()\n"
        "    def register(self, workspace):\n        return self\n")
    job = submitted(execute(script, {"PYTHONPATH": str(tmp_path / "v1")}))[0]["job"]
    assert _own(job["environment"]) == {"image": V1_CPU_IMAGE}, job  # user-managed: the image's own python


def test_a_registration_nothing_reads_with_v1_moves_to_v2(tmp_path: Path) -> None:
    # the look-alike: v1 reads another environment back, here and (by keyword) in a neighbouring notebook
    script = project(tmp_path, REGISTERED_THEN_READ + 'other = Environment.get(ws, "other-env")\nprint(other)\n')
    (tmp_path / "deploy.py").write_text('from azureml.core import Environment\n'
                                        'env = Environment.get(workspace=ws, name="encryption-env")\n')
    fix(script)
    text = script.read_text()
    assert "ml_client.environments.create_or_update(env)" in text, text


def test_a_conda_file_that_names_no_python_version_gets_v1s_pin(tmp_path: Path) -> None:
    """from_conda_specification() pinned python 3.10.18 when the file named no version (a bare
    ``python``, ``python=3.8.*`` and no python at all); a file that pins it passes as it is."""
    files = {"pinned.yml": "dependencies:\n  - python=3.9\n  - pip:\n    - python-dateutil\n",
             "bare.yml": "name: bare\ndependencies:\n  - python\n  - numpy\n",
             "star.yml": "dependencies:\n  - python=3.8.*\n",
             "none.yml": "name: none\ndependencies:\n  - scikit-learn=0.24.2\n  - pip\n  - pip:\n    - python-dateutil\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    text, envs = _environments(tmp_path, "\n".join(
        f'submit(Environment.from_conda_specification("{name[:-4]}", "{name}"))' for name in files) + "\n")
    assert [env["conda_file"]["dependencies"] for env in envs] == [
        ["python=3.9", {"pip": ["python-dateutil"]}],
        ["python=3.10.18", "numpy"],
        ["python=3.10.18"],
        ["scikit-learn=0.24.2", "pip", {"pip": ["python-dateutil"]}, "python=3.10.18"],
    ]
    assert 'conda_file="pinned.yml"' in text  # pinned: the path, untouched
    assert text.count("# TODO(azureml-v2): AML021 v1 pinned python 3.10.18") == 3
    # (audit y: a file that pins python=3.7.* names a version, one that v1 did not keep)
    assert "star.yml names no python version it kept (none, or one that is not a plain version" in text
    assert fix(tmp_path / "job.py").count("fixed") == 0  # a second run changes nothing


def test_a_conda_file_not_found_beside_the_program_is_pinned_when_the_job_is_built(tmp_path: Path) -> None:
    """Where the file cannot be read at fix time, the helper pins python as v1 did when the
    program runs; there is no TODO, since nothing says the pin is missing."""
    script = project(tmp_path, HEADER + SUBMIT.format('Environment.from_conda_specification("later", "made/later.yml")'))
    fix(script)
    text = script.read_text()
    (tmp_path / "made").mkdir()
    (tmp_path / "made" / "later.yml").write_text("dependencies:\n  - pandas\n")
    (environment,) = [job["job"]["environment"] for job in submitted(execute(script))]
    assert environment["conda_file"]["dependencies"] == ["pandas", "python=3.10.18"]
    assert "TODO(azureml-v2): AML021 v1 pinned" not in text and "_v1_conda_specification(" in text


@pytest.mark.parametrize("text, expected", [
    ("dependencies:\n- python=3.8\n- pip:\n  - python-dateutil\nchannels:\n- conda-forge\n", True),
    ("dependencies:\n  - 'python>=3.8,<3.10'  # a range that ends in a version\n", True),
    ("dependencies:\n  - numpy\n  - pip:\n    - python==3.9\n", False),  # pip's list is not conda's
    ("dependencies:\n  - python=3\n", False),  # v1 reads no X.Y version in it, and replaces it
    ("name: only-a-name\n", False),  # no dependencies: v1 adds python
    ("dependencies: [python=3.8, numpy]\n", None),  # a flow list: not read here, so the helper decides
])
def test_which_conda_files_name_a_python_version_v1_kept(text: str, expected: bool | None) -> None:
    assert names_python_version(text) is expected


def test_comments_of_settings_folded_into_the_environment_go_above_it(tmp_path: Path) -> None:
    """A comment on a setting's own line or right above it, after code, is the setting's: it goes
    above the environment the setting is folded into (held-out audit d: they were left over the
    next statement).  A heading after a blank line stays where it is."""
    text, envs = _environments(tmp_path, """\
custom = Environment("custom")
# enable docker
custom.docker.enabled = True
custom.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"  # the team's image
custom.python.user_managed_dependencies = True

# run it
submit(custom)
""")
    assert envs[0] == {"image": "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"}
    assert '''\
# enable docker
# the team's image
custom = Environment(image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04")

# run it
''' in text, text


def test_a_cell_boundary_above_a_folded_setting_stays_with_its_cell(tmp_path: Path) -> None:
    """The settings of a notebook's environment come in a later cell: the environment is built
    where it was made, and the later cell is emptied of them; no line that joins the cells moves
    (the comments above a setting stop there)."""
    from .migrate_helpers import write_notebook

    project(tmp_path, "")
    notebook = write_notebook(tmp_path / "envs.ipynb", [
        'from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n\n'
        'ws = Workspace.from_config()\ncustom = Environment("custom")\ncustom.docker.enabled = True',
        'custom.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"\n'
        'custom.python.user_managed_dependencies = True',
        'run = Experiment(ws, "envs").submit(ScriptRunConfig("./src", "train.py", compute_target="cpu", '
        'environment=custom))',
    ])
    report = fix(notebook)
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    assert "AML021 fixed" in report, report
    assert 'custom = Environment(image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04")' in cells[0], cells
    assert cells[1] == "", cells


def test_an_environment_kept_for_v1_code_names_the_conda_dict_written_beside_its_dependencies(tmp_path: Path) -> None:
    """The v1 environment stays (it is registered, and v1 reads it back), and so do its
    CondaDependencies: the v2 environment beside it takes the dict the conda fix writes beside
    them, not a second copy of it (held-out audit e: the dict was written twice, once unused)."""
    script = project(tmp_path, HEADER + """\
deps = CondaDependencies()
deps.add_pip_package("pandas")
env = Environment("training")
env.python.conda_dependencies = deps
env.register(workspace=ws)
print(Environment.get(ws, "training"))
submit(env)
""".replace("submit(env)", SUBMIT.format("env")))
    report = fix(script)
    text = script.read_text()
    assert "AML002 fixed" in report, report
    assert text.count('"project_environment"') == 1 and "conda_file=deps_conda)" in text, text
    ruff_clean(script)  # (v1 stays for the registration, so the program needs azureml-core to run)
    written = next(line for line in text.splitlines() if line.startswith("deps_conda = "))
    assert ast.literal_eval(written.split(" = ", 1)[1]) == _conda("3.8.13", ["azureml-defaults", "pandas"])


@pytest.mark.parametrize("between", ['os.environ["IMAGE"] = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"',
                                     'settings["image"] = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"'])
def test_a_setting_that_reads_what_the_code_before_it_changes_keeps_the_environment_v1(tmp_path: Path,
                                                                                      between: str) -> None:
    """Folded into the constructor, the value would be read before the line that sets it
    (adversarial review: KeyError, or the image from before)."""
    read = 'os.environ["IMAGE"]' if between.startswith("os.") else 'settings["image"]'
    program = ('import os\nfrom azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n'
               'settings = {"image": "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"}\n'
               'ws = Workspace.from_config()\ncustom = Environment("custom")\ncustom.docker.enabled = True\n'
               f'{between}\ncustom.docker.base_image = {read}\ncustom.python.user_managed_dependencies = True\n'
               'run = Experiment(ws, "e").submit(ScriptRunConfig("./src", "train.py", compute_target="cpu", '
               'environment=custom))\n')
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML021 left: the setting at line 8 reads a value that line 7 may change before it" in report, report
    assert f"custom.docker.base_image = {read}" in script.read_text()


def test_magic_lines_and_cell_markers_stay_where_they_are_when_settings_fold(tmp_path: Path) -> None:
    """A notebook's %env line and a script's ``# %%`` markers are not comments of the setting below
    them: the environment is built where it was made, and they stay after it (adversarial review)."""
    from .migrate_helpers import write_notebook

    project(tmp_path, "")
    setting = 'custom.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"  # the team\'s image\n'
    head = ('from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace\n\n'
            'ws = Workspace.from_config()\ncustom = Environment("custom")\ncustom.docker.enabled = True\n')
    submit = ('run = Experiment(ws, "envs").submit(ScriptRunConfig("./src", "train.py", compute_target="cpu", '
              'environment=custom))\n')
    notebook = write_notebook(tmp_path / "envs.ipynb", [head + "%env FOO=1\n" + setting, submit])
    assert "AML021 fixed" in fix(notebook)
    first = "".join(json.loads(notebook.read_text())["cells"][0]["source"])
    assert first.index("custom = Environment(") < first.index("%env FOO=1"), first
    script = tmp_path / "cells.py"
    script.write_text(head + "# %% [markdown]\n# ## Pick the image\n# %%\n" + setting + submit)
    assert "AML021 fixed" in fix(script)
    text = script.read_text()
    assert text.index("custom = Environment(") < text.index("# %% [markdown]") < text.index("run = "), text


def test_a_setting_from_a_variable_made_between_still_folds_when_the_name_is_used_again_elsewhere(
        tmp_path: Path) -> None:
    """The DP-100 lab: ``packages = CondaDependencies.create(...)`` between the environment and its
    setting, and ``packages`` made again for another environment later: the variable is read where
    it is known, so the environment is built at its setting (the adversarial review's fix first
    refused it, as if the variable could change unseen)."""
    text, envs = _environments(tmp_path, """\
first = Environment("first")
packages = CondaDependencies.create(pip_packages=["mlflow"])
first.python.conda_dependencies = packages
submit(first)
second = Environment("second")
packages = CondaDependencies.create(pip_packages=["pandas"])
second.python.conda_dependencies = packages
submit(second)
""")
    assert [env["conda_file"]["dependencies"][1]["pip"] for env in envs] == [["mlflow"], ["pandas"]], text


def test_conda_dependencies_read_from_a_file_pass_the_file_on_as_it_is(tmp_path: Path) -> None:
    """``env.python.conda_dependencies = CondaDependencies("conda.yml")`` holds the file as it is: no
    python pin, unlike from_conda_specification (azureml-core 1.61 serialises it unchanged), so the
    v2 environment takes the path (audit l: the whole notebook stayed v1 for it)."""
    (tmp_path / "conda.yml").write_text("name: e\nchannels:\n  - conda-forge\ndependencies:\n  - numpy\n"
                                        "  - pip:\n    - scikit-learn\n")
    text, envs = _environments(tmp_path, """\
env = Environment("train-env")
env.python.conda_dependencies = CondaDependencies("conda.yml")
submit(env)
""")
    assert f'env = Environment(image="{V1_CPU_IMAGE}", conda_file="conda.yml")' in text, text
    assert envs == [{"image": V1_CPU_IMAGE, "conda_file": {"name": "e", "channels": ["conda-forge"],
                                                           "dependencies": ["numpy", {"pip": ["scikit-learn"]}]}}], envs
    assert fix(tmp_path / "job.py").count("fixed") == 0


def test_conda_dependencies_from_a_file_written_after_the_environment_stay(tmp_path: Path) -> None:
    """The program writes conda.yml between ``Environment(...)`` and the setting that reads it: v1
    read the file at the setting, while the v2 environment, built where ``Environment(...)`` stands,
    would read it before it is written (review 58b: ValidationException on a fresh run)."""
    script = project(tmp_path, HEADER + """\
env = Environment("train-env")
with open("conda.yml", "w") as handle:
    handle.write("dependencies:\\n  - numpy\\n")
env.python.conda_dependencies = CondaDependencies("conda.yml")
""" + SUBMIT.format("env") + "\n")
    before = script.read_text()
    report = fix(script)
    assert 'env.python.conda_dependencies = CondaDependencies("conda.yml")' in script.read_text(), report
    assert "AML021 left: the setting at line 9 reads a value that line 7 may change before it" in report, report
    assert script.read_text().count("Environment(") == before.count("Environment(")


@pytest.mark.parametrize("settings", [
    ['env.environment_variables = {"DATASTORE_NAME": "workspaceblobstore", "MODE": "full"}'],
    ['env.environment_variables["DATASTORE_NAME"] = "workspaceblobstore"', 'env.environment_variables["MODE"] = mode'],
], ids=["a dict", "items"])
def test_an_environments_variables_move_to_the_jobs_that_run_in_it(tmp_path: Path, settings: list[str]) -> None:
    """Audit m: mapping-extension 1.4 moves ``env.environment_variables`` to each job
    (``command(environment_variables=...)``); v1's default EXAMPLE_ENV_VAR goes, as 1.1 says."""
    body = HEADER + 'mode = "full"\nenv = Environment("e")\n' + "".join(f"{line}\n" for line in settings) + (
        'first = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu", environment=env)\n'
        'experiment.submit(first)\n'
        'second = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu", environment=env)\n'
        'experiment.submit(second)\n')
    script = project(tmp_path, body)
    report = fix(script)
    assert "AML021 fixed" in report and report.count("AML002 fixed") == 2, report
    migrated = script.read_text()
    assert no_v1(migrated) and "environment_variables[" not in migrated
    ruff_clean(script)
    jobs = submitted(execute(script))
    assert [job["job"]["environment_variables"] for job in jobs] == [
        {"DATASTORE_NAME": "workspaceblobstore", "MODE": "full"}] * 2
    assert "EXAMPLE_ENV_VAR" not in migrated
    assert fix(script).count(" fixed") == 0 and script.read_text() == migrated  # a second run changes nothing


@pytest.mark.parametrize(("after", "said"), [
    ('env.register(ws)\n', "(`env.register`), which would run without the environment variables it sets"),
    ('mode = "fast"\n', "`env.environment_variables` takes `mode`, which may be another value where the job is made"),
])
def test_environment_variables_stay_where_a_job_would_not_get_them(tmp_path: Path, after: str, said: str) -> None:
    body = HEADER + ('mode = "full"\nenv = Environment("e")\nenv.environment_variables = {"MODE": mode}\n'
                     'src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu", '
                     'environment=env)\n' + after + 'experiment.submit(src)\n')
    script = project(tmp_path, body)
    report = fix(script)
    migrated = script.read_text()
    assert 'env.environment_variables = {"MODE": mode}' in migrated and "command(" not in migrated
    assert f"{said}: v2 sets environment variables on the job" in report and "AML021 left: " in report, report


def test_a_run_configurations_environment_variables_are_quoted_whole(tmp_path: Path) -> None:
    body = ("from azureml.core import Environment\nfrom azureml.core.runconfig import RunConfiguration\n\n"
            "run_config = RunConfiguration()\n"
            'run_config.environment.environment_variables["DATASTORE_NAME"] = "store"\n'
            'run_config.environment = Environment.get(None, "e")\n')
    script = project(tmp_path, body)
    report = fix(script)
    assert ("`run_config.environment.environment_variables` is set before `run_config.environment` is assigned"
            in report), report
    assert "environment_va..." not in report


@pytest.mark.parametrize(("later", "moves"), [("", True), ('options.mode = "fast"\n', False)])
def test_an_attribute_in_an_environment_variable_moves_unless_the_module_sets_it(tmp_path: Path, later: str,
                                                                                  moves: bool) -> None:
    body = HEADER + ('import argparse\noptions = argparse.Namespace(mode="full")\nenv = Environment("e")\n'
                     'env.environment_variables = {"MODE": options.mode}\n' + later +
                     'src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu", '
                     'environment=env)\nexperiment.submit(src)\n')
    script = project(tmp_path, body)
    report = fix(script)
    migrated = script.read_text()
    assert ('environment_variables={"MODE": options.mode}' in migrated) is moves, report
    if moves:
        (job,) = submitted(execute(script))
        assert job["job"]["environment_variables"] == {"MODE": "full"}
    else:
        assert "takes `options.mode`, which may be another value where the job is made" in report, report


@pytest.mark.parametrize(("managed", "command"), [
    ("True", "/opt/miniconda/bin/python train.py"),
    ("False", "python train.py"),  # v1 ran its own conda environment's python and ignored the path
])
def test_a_user_managed_interpreter_starts_the_jobs_command(tmp_path: Path, managed: str, command: str) -> None:
    """Audit, stop 64 (lot c M1): ``env.python.interpreter_path`` was refused as having no v2
    equivalent; mapping-extension 1.4 makes it the first word of the command (BP)."""
    script = project(tmp_path, HEADER + f"""\
env = Environment(name="myenv")
env.docker.base_image = "pymarlin/base-gpu:cuda11.1"
env.python.user_managed_dependencies = {managed}
env.python.interpreter_path = "/opt/miniconda/bin/python"
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu-cluster", environment=env))
""")
    report = fix(script)
    text = script.read_text()
    assert no_v1(text) and "interpreter_path" not in text, report
    ruff_clean(script)
    (job,) = submitted(execute(script))
    assert job["job"]["component"]["command"] == command
    assert job["job"]["environment"]["image"] == "pymarlin/base-gpu:cuda11.1"
    assert_fixed_point(script)


def test_an_interpreter_another_use_of_the_environment_would_lose_stays(tmp_path: Path) -> None:
    """The look-alike: a registration of the environment has no command to start with it."""
    script = project(tmp_path, HEADER + """\
env = Environment(name="myenv")
env.docker.base_image = "pymarlin/base-gpu:cuda11.1"
env.python.user_managed_dependencies = True
env.python.interpreter_path = "/opt/miniconda/bin/python"
env.register(ws)
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="gpu-cluster", environment=env))
""")
    report = fix(script)
    assert "which would run without the interpreter it names" in report, report
    assert "interpreter_path" in script.read_text()


def test_the_deprecated_gpu_support_setting_goes(tmp_path: Path) -> None:
    """Audit, stop 64 (lot d L1): azureml-core 1.61's ``docker.gpu_support`` setter only logs that it is
    deprecated (the NVIDIA extension is detected), so dropping it changes nothing; it blocked the job."""
    text, (environment,) = _environments(tmp_path, """\
env = Environment("gpu")
env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
env.docker.gpu_support = True
submit(env)
""")
    assert "gpu_support" not in text
    assert environment["image"] == "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"


@pytest.mark.parametrize(("constant", "module", "image"), [
    ("DEFAULT_GPU_IMAGE", "azureml.core.runconfig", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"),
    ("DEFAULT_CPU_IMAGE", "azureml.core.environment", V1_CPU_IMAGE),
])
def test_v1s_image_constants_become_the_images_they_name(tmp_path: Path, constant: str, module: str, image: str) -> None:
    """Audit, stop 64 (lot d L2): ``base_image = DEFAULT_GPU_IMAGE`` kept azureml-core imported for the
    constant; azureml-core 1.61 gives the GPU image untagged and the CPU one tagged."""
    text, (environment,) = _environments(tmp_path, f"""\
from {module} import {constant}
env = Environment("gpu")
env.docker.base_image = {constant}
submit(env)
""")
    assert environment["image"] == image and constant not in text
