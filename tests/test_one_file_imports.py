"""A one-file check, as pre-commit and editors run it, imports only what it uses.

Start-up is most of that run's time, so modules that only some runs need (pattern
compiling, TOML, diffs, the notebook ``%%writefile`` parser, worker processes) are
imported where they are used.  These tests pin that down without timing anything:
they look at ``sys.modules`` after a real check in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DEFERRED = ("pathspec", "tomllib", "tomli", "difflib", "shlex", "multiprocessing")

PROBE = """
import json, sys
from flake8_azureml_v2 import cli
try:
    cli.main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {deferred!r} if m in sys.modules)))
"""

V1 = (
    "from azureml.core import Experiment, ScriptRunConfig, Workspace\n\n"
    "ws = Workspace.from_config()\n"
    'config = ScriptRunConfig(source_directory=".", script="train.py")\n'
    'run = Experiment(ws, "e").submit(config)\n'
)


def _imported(folder: Path, *args: str) -> tuple[list[str], str]:
    """The deferred modules a run of the command line imported, and what it printed."""
    probe = PROBE.format(deferred=DEFERRED)
    done = subprocess.run([sys.executable, "-c", probe, *args], cwd=folder, capture_output=True, text=True,
                          check=True)
    *printed, modules = done.stdout.strip().splitlines()
    return json.loads(modules), "\n".join(printed)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "job.py").write_text(V1)
    (tmp_path / "train.py").write_text("print('training')\n")
    return tmp_path


def test_a_one_file_check_imports_none_of_them(project: Path) -> None:
    found, printed = _imported(project, "check", "--exit-zero", "--output-format", "text", "job.py")
    assert "job.py:5:7: AML001" in printed
    assert found == []


def test_each_is_still_imported_where_it_is_needed(project: Path) -> None:
    (project / ".gitignore").write_text("build/\n")  # the project walk compiles it
    (project / "pyproject.toml").write_text('[tool.azureml-v2]\nselect = ["AML"]\n')
    found, printed = _imported(project, "fix", "--unsafe-fixes", "--diff", "--exit-zero", "job.py")
    assert "+++ b/job.py" in printed
    assert "pathspec" in found
    assert ("tomllib" if sys.version_info >= (3, 11) else "tomli") in found
    assert "difflib" in found


def test_a_notebook_that_writes_a_script_imports_shlex(project: Path) -> None:
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": ["%%writefile train.py\n", "print('training')\n"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": V1.splitlines(keepends=True)}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    (project / "run.ipynb").write_text(json.dumps(notebook))
    found, printed = _imported(project, "check", "--exit-zero", "--output-format", "text", "run.ipynb")
    assert "run.ipynb:cell 2:" in printed
    assert "shlex" in found
