"""Notebook baselines fingerprint each construct as .py baselines do (issue 15): a changed call in a
cell is new, a moved or re-numbered cell is not."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .conftest import run


def _notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                  "source": cell.splitlines(keepends=True)} for cell in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


IMPORTS = "from azureml.core import ScriptRunConfig\n"
CALL = "config = ScriptRunConfig(source_directory='src', script='train.py')\n"


def _check(folder: Path, *args: str):
    return run([sys.executable, "-m", "flake8_azureml_v2", "check", *args, "nb.ipynb"], cwd=folder)


def test_notebook_baseline_entries_carry_the_construct(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(_notebook(IMPORTS, CALL))
    assert _check(tmp_path, "--write-baseline", "base.json").returncode == 0
    rows = json.loads((tmp_path / "base.json").read_text())["findings"]
    assert [(row["code"], row["construct"]) for row in rows] == [
        ("AML002", "ScriptRunConfig ( source_directory = 'src' , script = 'train.py' )"),
        ("AML099", "from azureml . core import ScriptRunConfig"),
    ]


def test_a_changed_call_in_a_cell_is_new_and_a_moved_cell_is_not(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(_notebook(IMPORTS, CALL))
    _check(tmp_path, "--write-baseline", "base.json")
    (tmp_path / "nb.ipynb").write_text(_notebook("import os\n", IMPORTS, "print(os.sep)\n", CALL))
    moved = _check(tmp_path, "--baseline", "base.json")
    assert (moved.returncode, moved.stdout) == (0, "")
    (tmp_path / "nb.ipynb").write_text(_notebook(IMPORTS, CALL.replace("train.py", "score.py")))
    changed = _check(tmp_path, "--baseline", "base.json")
    assert changed.returncode == 1
    assert changed.stdout == ("nb.ipynb:cell 2:1:10: AML002 ScriptRunConfig() is Azure ML SDK v1; use "
                              "azure.ai.ml.command(code=..., command='python <script> ...')\n")
