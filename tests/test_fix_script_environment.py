"""v1 set an environment variable per named input and OutputFileDatasetConfig; a migrated job
exports every one of them, whatever its script seems to read (review 87 found one way after
another to read them that no reading of the script's text follows).  Other data's variables
(a PipelineData's) are exported where the script or a module of its folder reads them by name."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from flake8_azureml_v2.migrations.script_environment import read_beside, reads_input_datasets, script_reads

from .migrate_helpers import execute, fix, no_v1, project, write_notebook

LAUNCHER = """\
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.data import OutputFileDatasetConfig

ws = Workspace.from_config()
images = Dataset.File.from_files(path="https://example.com/data/images/")
weights = OutputFileDatasetConfig(name="model-dir")
env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env,
                         arguments=["--data", images.as_named_input("images").as_mount(), "--out", weights])
run = Experiment(ws, "reads").submit(config)
"""
EVERY_VARIABLE = ("export images=${{inputs.images}} && env 'model-dir=${{outputs.model_dir}}' python train.py "
                  "--data ${{inputs.images}} --out ${{outputs.model_dir}}")


def _command(tmp_path: Path, train: str, files: dict[str, str] | None = None, launcher: str = LAUNCHER,
             ) -> tuple[str, str]:
    script = project(tmp_path, launcher)
    (tmp_path / "src" / "train.py").write_text(train)
    for name, text in (files or {}).items():
        (tmp_path / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / name).write_text(text)
    report = fix(script)
    [submit] = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert submit["valid"], submit["errors"]
    assert submit["rest_error"] is None, submit["rest_error"]
    assert no_v1(script.read_text())
    return submit["job"]["component"]["command"], report


@pytest.mark.parametrize("train", [
    "import argparse\nparser = argparse.ArgumentParser()\n",  # reads none: v1 set them all the same
    'import os\nDATA = "images"\nprint(os.listdir(os.environ[DATA]))\n',  # the hole this closes
    'import os\nprint(os.path.expandvars("$images"))\n',
    'import subprocess, sys\nsubprocess.run([sys.executable, "prep.py"], check=True)\n',
    "\ufeffimport os\nprint(dict(os.environ))\n",
])
def test_every_variable_v1_set_is_exported_whatever_the_script_reads(tmp_path: Path, train: str) -> None:
    command, _ = _command(tmp_path, train)
    assert command == EVERY_VARIABLE


def test_a_variable_a_shell_cannot_name_is_set_with_env(tmp_path: Path) -> None:
    """The command runs: bash substitutes nothing in the quoted pair, env sets model-dir, and the
    script sees both variables as v1 set them."""
    command, _ = _command(tmp_path, 'import os\nNAMES = ("images", "model-dir")\n'
                          'print(",".join(os.environ[n] for n in NAMES))\n')
    assert command == EVERY_VARIABLE
    bound = command.replace("${{inputs.images}}", "/mnt/in").replace("${{outputs.model_dir}}", "/mnt/out")
    environment = {k: v for k, v in os.environ.items() if not re.fullmatch(r"images|model-dir", k)}
    ran = subprocess.run(["bash", "-c", bound], cwd=tmp_path / "src", env=environment, capture_output=True,
                         text=True, check=True)
    assert ran.stdout == "/mnt/in,/mnt/out\n"


def test_a_name_bash_keeps_for_itself_is_set_with_env(tmp_path: Path) -> None:
    """Review 87: `export UID=...` fails in bash (read-only), and python never ran."""
    command, _ = _command(tmp_path, 'import os\nprint(os.environ["UID"])\n',
                          launcher=LAUNCHER.replace('as_named_input("images")', 'as_named_input("UID")'))
    assert command.startswith("env 'UID=${{inputs.UID}}' 'model-dir=${{outputs.model_dir}}' python train.py")
    bound = command.replace("${{inputs.UID}}", "/mnt/in").replace("${{outputs.model_dir}}", "/mnt/out")
    ran = subprocess.run(["bash", "-c", bound], cwd=tmp_path / "src", capture_output=True, text=True, check=True)
    assert ran.stdout == "/mnt/in\n"


def test_a_name_env_would_take_for_an_option_keeps_the_job_v1(tmp_path: Path) -> None:
    script = project(tmp_path, LAUNCHER.replace('name="model-dir"', 'name="-i"'))
    report = fix(script)
    assert "AML002 left: v1 handed the input over in the environment variable '-i', which a command cannot set" \
        in report, report


def test_the_modules_a_script_imports_from_its_folder_are_read_too(tmp_path: Path) -> None:
    for name, text in {"pkg/__init__.py": "", "pkg/data.py": "from . import paths\n",
                       "pkg/paths.py": "import os\nIMAGES = os.environ['prepared']\n",
                       "helper.py": "import pkg.data\nimport helper\n"}.items():  # (a cycle ends)
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    reads = script_reads("import helper\nimport numpy\n", "", read_beside(tmp_path))
    assert reads.reads("prepared") and not reads.reads("images")
    assert not script_reads("from other import paths\n", "", read_beside(tmp_path)).reads("prepared")


def test_modules_are_found_as_python_finds_them(tmp_path: Path) -> None:
    """Review 87: a sub-package's absolute import is found beside the script (sys.path[0]); two
    packages whose __init__ files have one text are both followed; a byte-order mark is no stop."""
    for name, text in {"src/pkg/__init__.py": "", "src/pkg/mod.py": "\ufeffimport helper\n",
                       "src/helper.py": "import os\nDATA = os.environ['prepared']\n",
                       "a/__init__.py": "from .util import *\n", "b/__init__.py": "from .util import *\n",
                       "a/util.py": "X = 1\n", "b/util.py": "import os\nY = os.environ['prepared']\n",
                       "deep.py": "x = " + " + ".join(["1"] * 200_000) + "\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert script_reads("from pkg import mod\n", "src", read_beside(tmp_path)).reads("prepared")
    assert script_reads("import a, b\n", "", read_beside(tmp_path)).reads("prepared")
    assert not script_reads("import a\n", "", read_beside(tmp_path)).reads("prepared")
    assert not script_reads("import deep\n", "", read_beside(tmp_path)).reads("prepared")  # (too deep to parse)


def test_only_a_runs_input_datasets_is_a_read() -> None:
    """Review 87: a docstring that names it, or a parameter spelt so, reads nothing."""
    assert not reads_input_datasets('"""Was: run.input_datasets["images"] in v1."""\nimport os\n')
    assert not reads_input_datasets("def merge(input_datasets):\n    return sorted(input_datasets)\n")
    assert reads_input_datasets("from azureml.core import Run\nDATA = Run.get_context().input_datasets\n")
    assert reads_input_datasets("run.input_datasets[\n")  # (text that does not parse: taken as a read)


def test_a_module_that_reads_input_datasets_keeps_the_job_v1(tmp_path: Path) -> None:
    script = project(tmp_path, LAUNCHER)
    (tmp_path / "src" / "train.py").write_text("import loader\nprint(loader.DATA)\n")
    (tmp_path / "src" / "loader.py").write_text(
        'from azureml.core import Run\nDATA = Run.get_context().input_datasets["images"]\n')
    report = fix(script)
    assert ("AML002 left: the script imports a module of its folder that reads run.input_datasets, which a v2 job "
            "does not fill") in report, report
    assert "ScriptRunConfig(" in script.read_text()


def test_a_module_that_only_names_input_datasets_keeps_nothing_v1(tmp_path: Path) -> None:
    command, _ = _command(tmp_path, "import loader\nprint(loader.DATA)\n", {
        "loader.py": '"""Was run.input_datasets["images"] in v1."""\nimport os\nDATA = os.environ["images"]\n\n\n'
                     "def merge(input_datasets):\n    return sorted(input_datasets)\n"})
    assert command == EVERY_VARIABLE


def test_a_script_that_only_names_input_datasets_in_its_docstring_is_no_reader(tmp_path: Path) -> None:
    """The script's own check is the modules' one: a docstring is no read (before, the launcher
    waited for a fix of the script that had nothing to fix)."""
    command, report = _command(tmp_path, '"""In v1 this read run.input_datasets["images"]."""\nimport sys\n')
    assert command == EVERY_VARIABLE, report


PIPELINE = """\
from azureml.core import Dataset, Experiment, Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import PythonScriptStep

ws = Workspace.from_config()
images = Dataset.File.from_files(path="https://example.com/data/images/")
prepared = PipelineData("prepared", datastore=ws.get_default_datastore())
prep = PythonScriptStep(script_name="prep.py", source_directory="src", arguments=["--out", prepared],
                        outputs=[prepared], inputs=[images.as_named_input("images").as_mount()], compute_target="cpu")
train = PythonScriptStep(script_name="train.py", source_directory="src", arguments=["--in", prepared],
                         inputs=[prepared], compute_target="cpu")
pipeline = Pipeline(ws, steps=[prep, train])
run = Experiment(ws, "steps").submit(pipeline)
"""


def test_a_pipeline_datas_variable_is_exported_where_it_is_read_by_name(tmp_path: Path) -> None:
    """The named input always; the PipelineData's variable where the step's script, or a module
    it imports, reads it by name (review 87: also when the script iterates os.environ)."""
    script = project(tmp_path, PIPELINE)
    (tmp_path / "src" / "prep.py").write_text("import paths\nprint(paths.OUT, sorted(os.environ))\n")
    (tmp_path / "src" / "paths.py").write_text('import os\nOUT = os.environ["prepared"]\n')
    (tmp_path / "src" / "train.py").write_text("import argparse\n")
    fix(script)
    [submit] = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert submit["valid"], submit["errors"]
    commands = {name: node["component"]["command"] for name, node in submit["job"]["jobs"].items()}
    assert commands == {
        "prep": "export images=${{inputs.images}} prepared=${{outputs.prepared}} && python prep.py --out "
                "${{outputs.prepared}}",
        "train": "python train.py --in ${{inputs.prepared}}"}


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    _command(tmp_path, 'import os\nprint(os.environ[DATA])\n')
    launcher = tmp_path / "job.py"
    before = launcher.read_bytes()
    fix(launcher)
    assert launcher.read_bytes() == before


@pytest.mark.parametrize("target", ["src/loader.py", "$folder/loader.py"])
def test_a_module_a_notebook_writes_is_read_with_its_script(tmp_path: Path, target: str) -> None:
    """The script and the module it imports are both %%writefile cells (the module's folder a
    notebook variable, in the second case)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "pytorch-env.yml").write_text("name: env\n")
    write_notebook(tmp_path / "launch.ipynb", [
        'folder = "src"',
        "%%writefile src/train.py\nimport loader\nprint(loader.DATA)\n",
        f"%%writefile {target}\nfrom azureml.core import Run\nDATA = Run.get_context().input_datasets['images']\n",
        LAUNCHER.replace('OutputFileDatasetConfig(name="model-dir")', 'OutputFileDatasetConfig(name="model_dir")')])
    report = fix(tmp_path / "launch.ipynb")
    assert ("AML002 left: the script imports a module of its folder that reads run.input_datasets, which a v2 job "
            "does not fill") in report, report
