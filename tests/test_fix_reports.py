"""Positions in ``fix`` reports: ``fixed`` lines name where the v1 code was, with a column;
``left`` lines name the file on disk when the command ends (the fixed file once written)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .conftest import run

TOOL = [sys.executable, "-m", "flake8_azureml_v2"]
SAFE = "from azureml.core import Datastore\nfrom azureml.core import Workspace\nws = Workspace.from_config()\n"
LEFT_AS_READ = ["job.py:2:1: AML099 left", "job.py:3:6: AML020 left"]
LEFT_AS_WRITTEN = ["job.py:1:1: AML099 left", "job.py:2:6: AML020 left"]
IN_JOB = ('import os\nfrom azureml.core import Run\nfrom azureml.core.model import Model\n\n'
          'run = Run.get_context()\nrun.log("a", 1)\npath = Model.get_model_path("m")\nprint(os.sep, path)\n')


def fix(*args: str, cwd: Path, input: str | None = None):
    return run([*TOOL, "fix", *args], cwd=cwd, input=input)


def _lines(output: str, kind: str) -> list[str]:
    return [line.split(f" {kind}")[0] + f" {kind}" for line in output.splitlines() if f" {kind}:" in line]


@pytest.mark.parametrize(("mode", "left"), [([], LEFT_AS_WRITTEN), (["--diff"], LEFT_AS_READ),
                                             (["--check"], LEFT_AS_READ)])
def test_left_positions_name_the_file_on_disk(tmp_path: Path, mode: list[str], left: list[str]) -> None:
    (tmp_path / "job.py").write_text(SAFE)
    result = fix(*mode, "job.py", cwd=tmp_path)
    report = result.stdout + result.stderr
    assert _lines(report, "fixed") == ["job.py:1:1: AML099 fixed"]
    assert _lines(report, "left") == left
    on_disk = (tmp_path / "job.py").read_text().splitlines()
    for line in left:  # each position points at the construct in the file as it now is
        row, col = (int(n) for n in line.split(":")[1:3])
        assert on_disk[row - 1][col - 1:].startswith(("from azureml", "Workspace.from_config"))


def test_left_positions_on_stdin_name_the_output(tmp_path: Path) -> None:
    result = fix("--stdin-filename", "job.py", "-", cwd=tmp_path, input=SAFE)
    assert _lines(result.stderr, "left") == LEFT_AS_WRITTEN
    assert result.stdout == SAFE.split("\n", 1)[1]


def test_fixed_lines_carry_a_column_and_left_lines_follow_moved_code(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(IN_JOB)
    diff = fix("--unsafe-fixes", "--diff", "train.py", cwd=tmp_path)
    assert _lines(diff.stderr, "fixed") == ["train.py:2:1: AML010 fixed", "train.py:5:7: AML011 fixed",
                                           "train.py:6:1: AML012 fixed"]
    assert _lines(diff.stderr, "left") == ["train.py:3:1: AML099 left", "train.py:7:8: AML037 left"]
    written = fix("--unsafe-fixes", "train.py", cwd=tmp_path)
    assert _lines(written.stdout, "fixed") == _lines(diff.stderr, "fixed")
    # the written file's lines: the AML011 TODO on the job's environment takes the deleted run's line
    assert _lines(written.stdout, "left") == ["train.py:3:1: AML099 left", "train.py:7:8: AML037 left"]
    assert (tmp_path / "train.py").read_text().splitlines()[6] == 'path = Model.get_model_path("m")'


def test_notebook_positions_follow_the_same_rules(tmp_path: Path) -> None:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# title"}] + [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
        for source in ("%matplotlib inline\n" + SAFE, "print(ws)\nws2 = Workspace.get('w')\n")]
    (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                   "nbformat_minor": 4}, indent=1) + "\n")
    diff = fix("--diff", "nb.ipynb", cwd=tmp_path)
    assert _lines(diff.stderr, "fixed") == ["nb.ipynb:cell 2:2:1: AML099 fixed"]
    assert _lines(diff.stderr, "left") == ["nb.ipynb:cell 2:3:1: AML099 left", "nb.ipynb:cell 2:4:6: AML020 left",
                                          "nb.ipynb:cell 3:2:7: AML020 left"]
    written = fix("nb.ipynb", cwd=tmp_path)
    assert _lines(written.stdout, "left") == ["nb.ipynb:cell 2:2:1: AML099 left", "nb.ipynb:cell 2:3:6: AML020 left",
                                             "nb.ipynb:cell 3:2:7: AML020 left"]


KEPT_BESIDE = """\
from azureml.core import Datastore, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
store = Datastore.get(ws, "blobs")
store.upload_files(["a.csv"], target_path="x", overwrite=True, show_progress=True, unknown=1)
src = ScriptRunConfig(source_directory=".", script="train.py", compute_target="cpu")
Experiment(ws, "e").submit(src)
"""


def test_a_workspace_kept_beside_its_client_says_so(tmp_path: Path) -> None:
    """The job moves to the client made beside the workspace, which stays for the datastore:
    its line says what keeps it and that the client is there, on the run that adds it and after."""
    (tmp_path / "job.py").write_text(KEPT_BESIDE)
    (tmp_path / "train.py").write_text("print(1)\n")
    expected = ("AML020 left: depends on line {store}: `store` is also used at line {upload} (`store.upload_files("
                "[\"a.csv\"], target_path...`), which stays as it is; the migrated code uses the new object beside it; "
                "v2: MLClient.from_config(DefaultAzureCredential()) [blocked: data-flow limit]")
    first = fix("--unsafe-fixes", "job.py", cwd=tmp_path)
    written = (tmp_path / "job.py").read_text()
    assert "ml_client = MLClient.from_config(" in written
    store = 1 + written.splitlines().index('store = Datastore.get(ws, "blobs")')
    assert expected.format(store=store, upload=store + 1) in first.stdout + first.stderr, first.stderr
    again = fix("--unsafe-fixes", "--diff", "job.py", cwd=tmp_path)
    assert expected.format(store=store, upload=store + 1) in again.stdout + again.stderr, again.stderr
