"""AML010 versus AML099: the three ways a file becomes a training script."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from flake8_azureml_v2.api import analyse
from flake8_azureml_v2.engine import Settings

from .conftest import run

TRAINING_BODY = "import azureml.core\nfrom azureml.core import Dataset\n\nprint('training')\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def codes(path: Path, settings: Settings | None = None) -> list[tuple[int, str]]:
    findings = analyse(path.read_text(encoding="utf-8"), path=path, settings=settings).findings
    return [(f.line, f.code) for f in findings]


def make_project(root: Path) -> None:
    write(root / "pyproject.toml", "[project]\nname = 'demo'\n")
    write(root / "submit.py", """\
        from azureml.core import Experiment, ScriptRunConfig, Workspace

        ws = Workspace.from_config()
        config = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu")
        Experiment(ws, "demo").submit(config)
        """)
    write(root / "src" / "train.py", TRAINING_BODY)
    write(root / "src" / "helpers.py", "from azureml.core import Workspace\n")


def test_run_get_context_makes_a_training_script(tmp_path: Path) -> None:
    script = write(tmp_path / "anything.py", """\
        from azureml.core import Run
        run = Run.get_context()
        """)
    assert ("AML010" in {c for _, c in codes(script)})
    assert "AML099" not in {c for _, c in codes(script)}


def test_cross_file_reference_makes_a_training_script(tmp_path: Path) -> None:
    make_project(tmp_path)
    assert codes(tmp_path / "src" / "train.py") == [(1, "AML010"), (2, "AML010")]
    # a sibling helper module is not a script: the catch-all still reports it
    assert codes(tmp_path / "src" / "helpers.py") == [(1, "AML099")]
    # the orchestration file beside it is not a training script
    assert (1, "AML099") in codes(tmp_path / "submit.py")
    assert "AML010" not in {c for _, c in codes(tmp_path / "submit.py")}


def test_source_directory_held_in_a_variable(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "")
    write(tmp_path / "pipeline.py", """\
        import os
        from azureml.pipeline.steps import PythonScriptStep

        script_folder = os.path.join(".", "steps")
        step = PythonScriptStep(script_name="score.py", source_directory=script_folder)
        """)
    write(tmp_path / "steps" / "score.py", TRAINING_BODY)
    write(tmp_path / "score.py", TRAINING_BODY)  # same name, other folder: not named
    assert {c for _, c in codes(tmp_path / "steps" / "score.py")} == {"AML010"}
    assert {c for _, c in codes(tmp_path / "score.py")} == {"AML099"}


def test_configured_glob_makes_a_training_script(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "")
    script = write(tmp_path / "jobs" / "fit.py", TRAINING_BODY)
    assert {c for _, c in codes(script)} == {"AML099"}
    settings = Settings(training_scripts=("jobs/*.py",), base=tmp_path)
    assert {c for _, c in codes(script, settings)} == {"AML010"}


def test_glob_from_pyproject_for_the_cli_and_flake8(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.azureml-v2]\ntraining-scripts = ['jobs/*.py']\n")
    write(tmp_path / "jobs" / "fit.py", TRAINING_BODY)
    write(tmp_path / "other.py", TRAINING_BODY)
    check = run([sys.executable, "-m", "flake8_azureml_v2", "check", "."], cwd=tmp_path)
    flake8 = run([sys.executable, "-m", "flake8", "--select", "AML", "."], cwd=tmp_path)
    for output in (check.stdout, flake8.stdout):
        lines = sorted(l.split(": ")[0].removeprefix("./") + " " + l.split(": ")[1].split()[0] for l in output.splitlines())
        assert lines == ["jobs/fit.py:1:1 AML010", "jobs/fit.py:2:1 AML010", "other.py:1:1 AML099", "other.py:2:1 AML099"]


def test_configured_glob_makes_a_notebooks_written_script_a_training_script(tmp_path: Path) -> None:
    """A ``%%writefile`` target that is not on disk yet is matched against the same patterns."""
    import json

    cell = ["%%writefile jobs/fit.py\n", "from azureml.core import Dataset\n", "print(Dataset)\n"]
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": cell}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    write(tmp_path / "setup.cfg", "")
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    plain = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--output-format", "text", "nb.ipynb"],
                cwd=tmp_path)
    assert plain.stdout.startswith("nb.ipynb:cell 1:2:1: AML099 "), plain.stdout
    matched = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--output-format", "text",
                   "--training-scripts", "jobs/*.py", "nb.ipynb"], cwd=tmp_path)
    assert matched.stdout.startswith("nb.ipynb:cell 1:2:1: AML010 azureml import in a training script "
                                     "(it matches the training-script pattern 'jobs/*.py')"), matched.stdout


def test_flake8_option_names_training_scripts(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "")
    write(tmp_path / "fit.py", TRAINING_BODY)
    result = run([sys.executable, "-m", "flake8", "--select", "AML", "--aml-training-scripts", "fit.py", "fit.py"], cwd=tmp_path)
    assert [l.split()[1] for l in result.stdout.splitlines()] == ["AML010", "AML010"]


def test_stdin_uses_only_in_file_evidence(tmp_path: Path) -> None:
    make_project(tmp_path)
    body = (tmp_path / "src" / "train.py").read_text()
    # pylsp lints through stdin with no display name: only in-file evidence counts
    result = run([sys.executable, "-m", "flake8", "--select", "AML", "-"], cwd=tmp_path, input=body)
    assert [l.split()[1] for l in result.stdout.splitlines()] == ["AML099", "AML099"]
    # with Run.get_context() in the buffer it is a training script even on stdin
    result = run([sys.executable, "-m", "flake8", "--select", "AML", "-"], cwd=tmp_path,
                 input=body + "run = azureml.core.Run.get_context()\n")
    assert [l.split()[1] for l in result.stdout.splitlines()][:2] == ["AML010", "AML010"]
    # an editor that names the real path (vscode-flake8) gets the cross-file evidence
    result = run([sys.executable, "-m", "flake8", "--select", "AML", "--stdin-display-name", "src/train.py", "-"],
                 cwd=tmp_path, input=body)
    assert [l.split()[1] for l in result.stdout.splitlines()] == ["AML010", "AML010"]


def test_cli_stdin_filename_gives_path_evidence(tmp_path: Path) -> None:
    make_project(tmp_path)
    body = (tmp_path / "src" / "train.py").read_text()
    plain = run([sys.executable, "-m", "flake8_azureml_v2", "check", "-"], cwd=tmp_path, input=body)
    named = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--stdin-filename", "src/train.py", "-"],
                cwd=tmp_path, input=body)
    assert [l.split()[1] for l in plain.stdout.splitlines()] == ["AML099", "AML099"]
    assert [l.split()[1] for l in named.stdout.splitlines()] == ["AML010", "AML010"]
    assert named.stdout.startswith("src/train.py:1:1: AML010")


@pytest.mark.parametrize("source_directory", ["src", "./src", "src/"])
@pytest.mark.parametrize("gets_context", [False, True], ids=["plain", "get_context"])
def test_script_named_by_source_directory_plus_script(tmp_path: Path, source_directory: str, gets_context: bool) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'demo'\n")
    write(tmp_path / "job.py", f"""\
        from azureml.core import ScriptRunConfig

        config = ScriptRunConfig(source_directory='{source_directory}', script='train.py')
        """)
    logging = "run = Run.get_context()\nrun.log('accuracy', 0.9)\n" if gets_context else "print('training')\n"
    write(tmp_path / "src" / "train.py", "import azureml.core\nfrom azureml.core import Run\n\n" + logging)
    write(tmp_path / "src" / "helpers.py", "from azureml.core import Workspace\n")
    found = codes(tmp_path / "src" / "train.py")
    assert found[:2] == [(1, "AML010"), (2, "AML010")]
    assert ((4, "AML011") in found) is gets_context
    assert codes(tmp_path / "src" / "helpers.py") == [(1, "AML099")]
    check = run([sys.executable, "-m", "flake8_azureml_v2", "check", "."], cwd=tmp_path)
    reported = set()
    for line in check.stdout.splitlines():
        location, message = line.split(": ", 1)
        path, row, _ = location.rsplit(":", 2)
        reported.add((path, row, message.split()[0]))
    assert ("src/train.py", "1", "AML010") in reported and ("src/helpers.py", "1", "AML099") in reported
    assert not any(path == "src/helpers.py" and code == "AML010" for path, _, code in reported)


def test_the_scripts_a_file_mentions_in_code_in_notebook_json_and_writefile_cells() -> None:
    from flake8_azureml_v2.engine.project import mentioned_names

    data = (b'ScriptRunConfig(script="train.py")\n'
            b"step = PythonScriptStep(script_name='src/score.py')\n"
            b'"source": ["config = ScriptRunConfig(script=\\"prep.py\\")\\n"]\n'  # notebook JSON: escaped quotes
            b"%%writefile -a scripts/extract.py\n"
            b'note = "a.pyc" + "b.py.bak" + "the .py file"\n'  # look-alikes: none ends in .py before its quote
            b'path = "c.py\n')  # never closed on its line
    assert mentioned_names(data) == {"train.py", "score.py", "prep.py", "extract.py"}
    assert mentioned_names(b"") == set()
