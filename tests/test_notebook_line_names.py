"""In a notebook, the lines a "left" reason refers to are named by cell.

The engine sees a notebook's code cells as one joined program, so its reasons said
"`ws` is also used at line 21": a line of a text the user never sees, and one that moved
with the fix (``--diff`` and a written fix gave different numbers).  Reasons now name the
cell and the line in it, as the findings' own places do.  A ``.py`` file keeps "line N".
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .conftest import run

TOOL = [sys.executable, "-m", "flake8_azureml_v2"]

CELLS = [
    ("code", "from azureml.core import Experiment, ScriptRunConfig, Workspace\nws = Workspace.from_config()\n"),
    ("markdown", "Submit the job (this cell is counted: cells are numbered over all cells)."),
    ("code", 'src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")\n'
             'run = Experiment(ws, "names").submit(src)\n'),
    ("code", 'print("keep the config")\nws.write_config()\n'),
]


def _notebook(folder: Path) -> Path:
    cells = [{"cell_type": kind, "metadata": {}, "source": source,
              **({"execution_count": None, "outputs": []} if kind == "code" else {})} for kind, source in CELLS]
    path = folder / "job.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n")
    (folder / "src").mkdir()
    (folder / "src" / "train.py").write_text("print('training')\n")
    (folder / "config.json").write_text('{"subscription_id": "s", "resource_group": "r", "workspace_name": "w"}\n')
    return path


def _kept_workspace_reason(output: str, where: str) -> str:
    """The reason of the one AML020 finding left at ``where`` (a file and cell, or a file)."""
    lines = [line for line in output.splitlines() if re.match(rf"{re.escape(where)}:\d+:\d+: AML020 left: ", line)]
    assert len(lines) == 1, output
    return lines[0].split(" left: ", 1)[1]


def test_a_reason_names_the_cell_and_line_it_refers_to(tmp_path: Path) -> None:
    path = _notebook(tmp_path)
    shown = run([*TOOL, "fix", "--unsafe-fixes", "--diff", path.name], cwd=tmp_path)
    assert shown.returncode == 1, shown.stderr
    reason = _kept_workspace_reason(shown.stderr, "job.ipynb:cell 1")
    assert reason.startswith("`ws` is also used at cell 4:2 (`ws.write_config()`), which stays as it is"), reason
    assert not re.search(r"\bline \d", reason), reason


def test_the_written_fix_names_the_same_place_as_the_diff(tmp_path: Path) -> None:
    """The fix adds a line to cell 1 (the client beside the workspace): the joined program's
    lines move, the cells' do not."""
    path = _notebook(tmp_path)
    shown = run([*TOOL, "fix", "--unsafe-fixes", "--diff", path.name], cwd=tmp_path)
    written = run([*TOOL, "fix", "--unsafe-fixes", path.name], cwd=tmp_path)
    assert written.returncode == 1, written.stderr
    cell_one = json.loads(path.read_text())["cells"][0]["source"]
    assert "MLClient" in "".join(cell_one)
    # the finding itself is placed in the file as written (cell 1 grew), its reason the same
    assert _kept_workspace_reason(written.stdout + written.stderr, "job.ipynb:cell 1") == \
        _kept_workspace_reason(shown.stderr, "job.ipynb:cell 1")


def test_a_python_file_keeps_line_numbers(tmp_path: Path) -> None:
    """The look-alike: the same program as a .py file names the line of the file."""
    _notebook(tmp_path)
    script = tmp_path / "job.py"
    script.write_text("".join(source for kind, source in CELLS if kind == "code"))
    shown = run([*TOOL, "fix", "--unsafe-fixes", "--diff", script.name], cwd=tmp_path)
    reason = _kept_workspace_reason(shown.stderr, "job.py")
    assert reason.startswith("`ws` is also used at line 6 (`ws.write_config()`)"), reason


def test_a_fix_s_note_names_the_cell_of_the_line_it_refers_to(tmp_path: Path) -> None:
    """A fixed line's note ("it runs in a loop at ...") names a cell, as the left reasons do."""
    cells = ['from azureml.core import Workspace, Experiment\nimport pandas as pd\n',
             'ws = Workspace.from_config()\nexp = Experiment(workspace=ws, name="e")\n', 'run = exp.start_logging()\n',
             'df = pd.DataFrame({"a": [1, None]})\nnval = df.isnull().sum()\n',
             'for c in df.columns:\n    run.log(c, nval[c])\n', 'run.complete()\n']
    (tmp_path / "log.ipynb").write_text(json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": c}
                  for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    output = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "--diff", "log.ipynb"],
                 cwd=tmp_path).stderr
    [note] = [line for line in output.splitlines() if "AML012 fixed" in line]
    assert "it runs in a loop at cell 5:1:" in note and "line 1" not in note.split("at cell")[1], note
