"""v1 set an environment variable per named input and OutputFileDatasetConfig; a migrated job
exports the ones its script may read, and all of them when the script's reads cannot be told
(a key in a variable, an alias of os.environ, a read in a module it imports)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from flake8_azureml_v2.migrations.script_environment import opaque_line, read_beside, script_reads

from .migrate_helpers import execute, fix, no_v1, project

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


def _command(tmp_path: Path, train: str, files: dict[str, str] | None = None) -> tuple[str, str]:
    script = project(tmp_path, LAUNCHER)
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


@pytest.mark.parametrize("line", [
    'path = os.environ["images"]',
    "path = os.environ.get('images', '.')",
    'path = getenv("images")',
    'if "images" in os.environ:',
    'if "images" not in environ: pass',
    "from os import environ, getenv",
    'data = run.input_datasets["images"]',
    "environment = make_environment()  # os.environ[key] in a comment",
    "os.environ [ 'images' ]",
])
def test_reads_with_a_literal_key_are_followed(line: str) -> None:
    assert opaque_line(f"import os\n{line}\n") is None


@pytest.mark.parametrize("line", [
    "path = os.environ[DATA]",
    "path = os.environ.get(name)",
    "path = os.getenv(f'{prefix}images')",
    "settings = dict(os.environ)",
    "child = subprocess.run(['x'], env=os.environ.copy())",
    "from os import environ as env",
    "for key, value in os.environ.items(): print(key)",
    "data = run.input_datasets[name]",
    "found = {k: v for k, v in run.input_datasets.items()}",
])
def test_other_reads_make_the_scripts_reads_unknown(line: str) -> None:
    assert opaque_line(f"import os\n\n{line}\n") == 3


def test_the_modules_a_script_imports_from_its_folder_are_read_too(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "data.py").write_text("from . import paths\n")
    (tmp_path / "pkg" / "paths.py").write_text("import os\nIMAGES = os.environ['images']\n")
    (tmp_path / "helper.py").write_text("import pkg.data\nimport helper\n")  # (a cycle ends)
    reads = script_reads("import helper\nimport numpy\n", "", read_beside(tmp_path))
    assert reads.reads("images") and not reads.reads("model-dir") and not reads.opaque
    (tmp_path / "pkg" / "paths.py").write_text("import os\nIMAGES = os.environ[KEY]\n")
    assert script_reads("from pkg.data import x\n", "", read_beside(tmp_path)).opaque
    assert not script_reads("from other import paths\n", "", read_beside(tmp_path)).opaque


def test_a_script_that_reads_only_its_arguments_exports_nothing(tmp_path: Path) -> None:
    command, _ = _command(tmp_path, "import argparse\nparser = argparse.ArgumentParser()\n")
    assert command == "python train.py --data ${{inputs.images}} --out ${{outputs.model_dir}}"


def test_a_key_held_in_a_variable_exports_every_variable_v1_set(tmp_path: Path) -> None:
    """The hole this closes: os.environ[DATA] read 'images', which the job did not export."""
    command, _ = _command(tmp_path, 'import os\nDATA = "images"\nprint(os.listdir(os.environ[DATA]))\n')
    assert command == ("export images=${{inputs.images}} && env 'model-dir=${{outputs.model_dir}}' python train.py "
                       "--data ${{inputs.images}} --out ${{outputs.model_dir}}")


def test_a_read_in_an_imported_module_is_exported(tmp_path: Path) -> None:
    command, _ = _command(tmp_path, "from utils.paths import IMAGES\nprint(IMAGES)\n", {
        "utils/__init__.py": "", "utils/paths.py": 'import os\nIMAGES = os.environ["images"]\n'})
    assert command.startswith("export images=${{inputs.images}} && python train.py")


def test_a_module_that_reads_input_datasets_keeps_the_job_v1(tmp_path: Path) -> None:
    script = project(tmp_path, LAUNCHER)
    (tmp_path / "src" / "train.py").write_text("import loader\nprint(loader.DATA)\n")
    (tmp_path / "src" / "loader.py").write_text(
        'from azureml.core import Run\nDATA = Run.get_context().input_datasets["images"]\n')
    report = fix(script)
    assert ("AML002 left: the script imports a module of its folder that reads run.input_datasets, which a v2 job "
            "does not fill") in report, report
    assert "ScriptRunConfig(" in script.read_text()


def test_a_variable_a_shell_cannot_name_is_set_with_env(tmp_path: Path) -> None:
    """The command runs: bash substitutes nothing in the quoted pair, env sets model-dir, and the
    script sees both variables as v1 set them."""
    command, _ = _command(tmp_path, 'import os\nNAMES = ("images", "model-dir")\n'
                          'print(",".join(os.environ[n] for n in NAMES))\n')
    assert "env 'model-dir=${{outputs.model_dir}}' python train.py" in command
    bound = command.replace("${{inputs.images}}", "/mnt/in").replace("${{outputs.model_dir}}", "/mnt/out")
    environment = {k: v for k, v in os.environ.items() if not re.fullmatch(r"images|model-dir", k)}
    ran = subprocess.run(["bash", "-c", bound], cwd=tmp_path / "src", env=environment, capture_output=True,
                         text=True, check=True)
    assert ran.stdout == "/mnt/in,/mnt/out\n"


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    _command(tmp_path, 'import os\nprint(os.environ[DATA])\n')
    launcher = tmp_path / "job.py"
    before = launcher.read_bytes()
    fix(launcher)
    assert launcher.read_bytes() == before
