"""Notebooks in ``azureml-v2 check`` and ``fix``: cells as one program, magics kept, bytes kept."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_azureml_v2.notebooks import mask_magics

from .conftest import TESTS, run
from .migrate_helpers import CONDA_YML, CONFIG_JSON, execute, no_v1, write_notebook

NOTEBOOKS = TESTS / "fixtures" / "notebooks"
LAYOUTS = ["indent1_v45.ipynb", "indent2_v44.ipynb", "compact_v45.ipynb", "indent1_crlf_v44.ipynb"]
TOOL = [sys.executable, "-m", "flake8_azureml_v2"]

# (cell, line in cell, code) the shared fixture must produce; cells count from 1 over all cells.
EXPECTED = {
    (2, 3, "AML099"), (3, 2, "AML020"),
    (4, 3, "AML010"), (4, 5, "AML011"), (4, 6, "AML012"),  # the %%writefile src/train.py cell
    (5, 1, "AML040"), (6, 1, "AML002"), (8, 3, "AML021"), (10, 1, "AML001"), (10, 2, "AML042"),
}
EDITED = {2, 3, 4, 5, 6, 8, 10}
_FINDING = re.compile(r"^(?P<file>[^:\n]+):cell (?P<cell>\d+):(?P<line>\d+):\d+: (?P<code>AML\d+) ", re.M)
_SOURCE_KEY = re.compile(r'"source"\s*:\s*')


def _workspace(tmp_path: Path, name: str) -> Path:
    shutil.copy(NOTEBOOKS / name, tmp_path / name)
    (tmp_path / "config.json").write_text(CONFIG_JSON)
    # the job's environment has mlflow: the script the notebook writes moves to MLflow with its submit
    (tmp_path / "pytorch-env.yml").write_text(CONDA_YML.replace("  - pip\n", "  - pip\n  - pip:\n    - azureml-mlflow\n"))
    (tmp_path / "src").mkdir()
    return tmp_path / name


def _findings(output: str) -> set[tuple[int, int, str]]:
    return {(int(m["cell"]), int(m["line"]), m["code"]) for m in _FINDING.finditer(output)}


def _source_spans(text: str) -> list[tuple[int, int]]:
    """Where each cell's source value sits in the raw JSON text (found without this project's code)."""
    decoder = json.JSONDecoder()
    spans = []
    for match in _SOURCE_KEY.finditer(text):
        _, end = decoder.raw_decode(text, match.end())
        spans.append((match.end(), end))
    return spans


def _outside(text: str, cells: set[int]) -> list[str]:
    """The raw text with the source values of ``cells`` (1-based) cut out."""
    pieces, start = [], 0
    for number, (a, b) in enumerate(_source_spans(text), 1):
        if number in cells:
            pieces.append(text[start:a])
            start = b
    pieces.append(text[start:])
    return pieces


def _source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


@pytest.mark.parametrize("name", LAYOUTS)
def test_check_reports_every_cell_and_the_skipped_one(tmp_path: Path, name: str) -> None:
    notebook = _workspace(tmp_path, name)
    before = notebook.read_bytes()
    result = run([*TOOL, "check", "."], cwd=tmp_path)  # found by walking the folder
    assert _findings(result.stdout) == EXPECTED, result.stdout
    # the !pip line names azureml but is a shell command; %matplotlib, %%bash and `Workspace?` are masked
    assert not any(cell == 2 and line == 2 for cell, line, _ in _findings(result.stdout))
    assert not any(cell == 9 for cell, _, _ in _findings(result.stdout))
    assert f"{name}:cell 7: error: skipped, not Python even with magics masked: syntax error" in result.stderr
    assert result.returncode == 2  # a cell could not be checked, like a file with a syntax error
    assert "names it" not in result.stdout and "it calls Run.get_context()" in result.stdout
    assert notebook.read_bytes() == before


@pytest.mark.parametrize("name", LAYOUTS)
def test_fix_rewrites_only_the_edited_sources(tmp_path: Path, name: str) -> None:
    notebook = _workspace(tmp_path, name)
    before_bytes = notebook.read_bytes()
    before = json.loads(before_bytes)
    result = run([*TOOL, "fix", "--unsafe-fixes", name], cwd=tmp_path)
    assert result.returncode == 2, result.stderr  # cell 7 is reported, the rest is fixed
    assert "cell 7: error: skipped" in result.stderr
    # the import clean-up reports each removed import under the code check gave it (AML010 here)
    assert _fixed(result.stdout) == EXPECTED, result.stdout
    after_bytes = notebook.read_bytes()
    after = json.loads(after_bytes)

    # Parsed JSON: everything but the edited sources is equal, and each source keeps its form.
    changed = {n for n, (a, b) in enumerate(zip(before["cells"], after["cells"]), 1) if a != b}
    assert changed == EDITED
    for number, (old, new) in enumerate(zip(before["cells"], after["cells"]), 1):
        assert {k: v for k, v in old.items() if k != "source"} == {k: v for k, v in new.items() if k != "source"}
        assert type(old["source"]) is type(new["source"])
        if isinstance(new["source"], list):
            assert all(line.endswith("\n") for line in new["source"][:-1])
    assert {k: v for k, v in before.items() if k != "cells"} == {k: v for k, v in after.items() if k != "cells"}
    assert list(before) == list(after) and [list(c) for c in before["cells"]] == [list(c) for c in after["cells"]]

    # Raw text: every byte outside the edited source values is identical (layout, escapes, line breaks).
    assert _outside(before_bytes.decode(), EDITED) == _outside(after_bytes.decode(), EDITED)

    cells = [_source(c) for c in after["cells"]]
    # the notebook installs SDK v1 itself: that line installs what the migrated cells import too
    assert cells[1].startswith("%matplotlib inline\n!pip install azureml-sdk azure-ai-ml azure-identity\n")
    assert "from azure.ai.ml import MLClient, command" in cells[1] and no_v1(cells[1])
    assert cells[2] == "# connect to the workspace\nml_client = MLClient.from_config(DefaultAzureCredential())"
    assert cells[3].startswith("%%writefile src/train.py\n")
    assert no_v1(cells[3]) and "mlflow.log_metric('accuracy', 0.91)" in cells[3] and "import mlflow" in cells[3]
    assert cells[5].endswith("remainder = (10\n             % 3)")  # a % inside brackets is Python, not a magic
    assert cells[6] == _source(before["cells"][6]) and cells[8] == _source(before["cells"][8])
    assert "    !echo step {step}\n" in cells[7] and cells[7].endswith("\nWorkspace?")
    assert "command(code='./src'" in cells[7] and "# the entry point" in cells[7]
    assert cells[9] == "run = ml_client.jobs.create_or_update(config, experiment_name='nb-experiment')\nprint(run.studio_url)\n"

    # A second run changes nothing and does not even rewrite the file.
    mtime = notebook.stat().st_mtime_ns
    again = run([*TOOL, "fix", "--unsafe-fixes", name], cwd=tmp_path)
    assert "Fixed 0 findings in 0 files" in again.stdout + again.stderr
    assert notebook.read_bytes() == after_bytes and notebook.stat().st_mtime_ns == mtime


def _fixed(output: str) -> set[tuple[int, int, str]]:
    pattern = re.compile(r"^[^:\n]+:cell (\d+):(\d+):\d+: (AML\d+) fixed", re.M)
    return {(int(c), int(line), code) for c, line, code in pattern.findall(output)}


def test_fixed_notebook_submits_a_valid_command_job(tmp_path: Path) -> None:
    notebook = _workspace(tmp_path, "indent1_v45.ipynb")
    run([*TOOL, "fix", "--unsafe-fixes", notebook.name], cwd=tmp_path)
    lines = []
    for number, cell in enumerate(json.loads(notebook.read_text(encoding="utf-8"))["cells"], 1):
        text = _source(cell)
        if cell["cell_type"] != "code" or number == 7 or text.startswith("%%"):
            continue
        for line in text.splitlines():
            magic = line.startswith("%") or line.lstrip().startswith("!") or line.endswith("?")
            lines.append(line[: len(line) - len(line.lstrip())] + "pass" if magic else line)
    script = tmp_path / "job.py"
    script.write_text("\n".join(lines) + "\n")
    records = [r for r in execute(script) if r["operation"] == "jobs.create_or_update"]
    assert len(records) == 1 and records[0]["valid"] and records[0]["rest_error"] is None, records
    job = records[0]["job"]
    assert job["component"]["command"] == "python train.py" and records[0]["code"] == "./src"
    assert job["compute"] == "cpu-cluster" and records[0]["kwargs"]["experiment_name"] == "nb-experiment"


def test_diff_and_check_name_cells_and_write_nothing(tmp_path: Path) -> None:
    notebook = _workspace(tmp_path, "indent2_v44.ipynb")
    before = notebook.read_bytes()
    diff = run([*TOOL, "fix", "--unsafe-fixes", "--diff", notebook.name], cwd=tmp_path)
    assert "--- a/indent2_v44.ipynb:cell 3\n+++ b/indent2_v44.ipynb:cell 3\n" in diff.stdout
    assert "+ml_client = MLClient.from_config(DefaultAzureCredential())\n" in diff.stdout
    assert " %matplotlib inline\n" in diff.stdout
    check = run([*TOOL, "fix", "--unsafe-fixes", "--check", notebook.name], cwd=tmp_path)
    assert "Would fix indent2_v44.ipynb" in check.stdout + check.stderr
    assert notebook.read_bytes() == before


def _notebook(cells: list[str], **extra: object) -> str:
    body = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s} for s in cells]
    return json.dumps({"cells": body, "metadata": {}, "nbformat": 4, "nbformat_minor": 4, **extra}, indent=1) + "\n"


def test_noqa_inside_a_cell(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(_notebook([
        "from azureml.core import Workspace  # noqa: AML099\n",
        "ws = Workspace.from_config()  # noqa\nother = Workspace.get('w')",
    ]))
    result = run([*TOOL, "check", "nb.ipynb"], cwd=tmp_path)
    assert _findings(result.stdout) == {(2, 2, "AML020")}, result.stdout
    assert result.returncode == 1


def test_written_script_named_by_the_notebook_is_a_training_script(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "nb.ipynb").write_text(_notebook([
        "folder = 'jobs'\n",
        "%%writefile $folder/score.py\nimport azureml.core\nprint('scoring')\n",
        "from azureml.core import ScriptRunConfig\n"
        "cfg = ScriptRunConfig(source_directory=folder,\n    script='score.py')\n",
        "%%writefile jobs/helper.py\nimport azureml.core\n",
    ]))
    result = run([*TOOL, "check", "nb.ipynb"], cwd=tmp_path)
    assert "nb.ipynb:cell 2:2:1: AML010 azureml import in a training script (nb.ipynb:cell 3:2 names it with script=)" \
        in result.stdout, result.stdout
    assert "nb.ipynb:cell 4:2:1: AML099" in result.stdout  # written but never submitted
    # The script on disk is found through the notebook too: by check and by flake8 alike.
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "score.py").write_text("import azureml.core\n")
    check = run([*TOOL, "check", "jobs/score.py"], cwd=tmp_path)
    assert "AML010 azureml import in a training script (nb.ipynb:cell 3:2 names it with script=)" in check.stdout
    flake8 = run([sys.executable, "-m", "flake8", "--select", "AML", "jobs/score.py"], cwd=tmp_path)
    assert "AML010" in flake8.stdout and "cell 3:2" in flake8.stdout


@pytest.mark.parametrize(("content", "message"), [
    ('{"cells": [{"cell_type": "code", "source": "import azureml.core"}', "not a notebook: invalid JSON"),
    (json.dumps({"cells": [], "metadata": {"note": "azureml"}, "nbformat": 4, "nbformat_minor": 4}),
     "the notebook has no cells"),
    (json.dumps({"metadata": {}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": [
        {"cell_type": "code", "input": ["import azureml.core"], "language": "python", "outputs": []}]}]}),
     "nbformat 3 notebooks are not supported"),
])
@pytest.mark.parametrize("command", ["check", "fix"])
def test_bad_notebooks_are_reported_and_left_alone(tmp_path: Path, content: str, message: str, command: str) -> None:
    notebook = tmp_path / "bad.ipynb"
    notebook.write_text(content)
    result = run([*TOOL, command, "bad.ipynb"], cwd=tmp_path)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("bad.ipynb: error: ") and message in errors[0], result.stderr
    assert notebook.read_text() == content


def test_a_layout_that_cannot_be_reproduced_is_not_written(tmp_path: Path) -> None:
    # "\/" is valid JSON but json.dumps writes "/", so a rewrite would change bytes outside the fix.
    text = _notebook(["import azureml.core\nws = azureml.core.Workspace.from_config()\n"]).replace(
        '"metadata": {}', '"metadata": {"url": "https:\\/\\/example.org"}', 1)
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(text)
    result = run([*TOOL, "fix", "--unsafe-fixes", "nb.ipynb"], cwd=tmp_path)
    assert result.returncode == 1  # findings left, each saying why (as check counts them), no error
    left = [line for line in result.stdout.splitlines() if " left: " in line]
    # line 6 is `   "metadata": {"url": ...},`: json.dumps would break the line after its `{` (column 17)
    assert len(left) == 2 and all("left: the notebook's JSON layout cannot be reproduced (its bytes differ from the "
                                  "nearest layout a rewrite could write at line 6, column 17), so it is not rewritten"
                                  in row for row in left), result.stdout
    assert not result.stderr and result.stdout.endswith("0 findings in 0 files; 2 left.\n")
    assert notebook.read_text() == text
    assert run([*TOOL, "check", "nb.ipynb"], cwd=tmp_path).returncode == 1  # checking still works


def test_a_notebook_with_nothing_to_fix_is_not_rewritten(tmp_path: Path) -> None:
    notebook = tmp_path / "clean.ipynb"
    notebook.write_text(_notebook(["!pip install azure-ai-ml  # replaces azureml-core\n", "%%bash\necho azureml\n",
                                   "import mlflow\nmlflow.log_metric('a', 1)"]))
    before, mtime = notebook.read_bytes(), notebook.stat().st_mtime_ns
    for command in (["check"], ["fix"], ["fix", "--unsafe-fixes"]):
        result = run([*TOOL, *command, "clean.ipynb"], cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
    assert notebook.read_bytes() == before and notebook.stat().st_mtime_ns == mtime


def test_stdin_with_a_notebook_file_name(tmp_path: Path) -> None:
    text = (NOTEBOOKS / "compact_v45.ipynb").read_text(encoding="utf-8")
    result = subprocess.run([*TOOL, "check", "--stdin-filename", "nb.ipynb", "-"], input=text.encode(),
                            capture_output=True, cwd=tmp_path)
    assert _findings(result.stdout.decode()) == EXPECTED


def _masked(text: str) -> list[str]:
    return mask_magics(text, "T", 0)[1]


def test_what_counts_as_a_magic_line() -> None:
    assert _masked("%time x = 1\n!ls\nfiles = !ls\nWorkspace?\n?Workspace\nws.get??\n") == [
        "%time x = 1\n", "!ls\n", "files = !ls\n", "Workspace?\n", "?Workspace\n", "ws.get??\n"]
    assert _masked("x = (1\n     % 2)\ny = 'a' \\\n    % 3\ns = '''\n!not a magic\n'''\nz = 1  # why?\n") == []
    assert _masked("!pip install \\\n    azure-ai-ml\nx = 1\n") == ["!pip install \\\n", "    azure-ai-ml\n"]
    masked, _, placeholders = mask_magics("if x:\n    %time y()\n", "T", 4)
    assert masked == "if x:\n    pass  # T4\n" and placeholders == ["    pass  # T4\n"]


def test_names_that_magics_read() -> None:
    from flake8_azureml_v2.notebooks import names_read_by_magics

    assert names_read_by_magics(["!echo {ws.name} $path", "%store run", "%time job.wait()"]) == {
        "ws", "name", "path", "run", "job", "wait"}
    assert names_read_by_magics(["%pip install azureml-core", "!ls -la", "%matplotlib inline"]) == frozenset()
    assert names_read_by_magics(["Datastore?", "ws.get_details??", "%run helper.py"]) == frozenset()
    assert names_read_by_magics(["%run -i helper.py"]) == {"*"}  # the file may read any name of the notebook
    assert names_read_by_magics(["%run -ie helper.py"]) == {"*"} and names_read_by_magics(["%run -e x.py"]) == frozenset()
    assert names_read_by_magics(["%time exec(code)"]) >= {"*"} and "*" not in names_read_by_magics(["%time model.eval()"])


@pytest.mark.parametrize(("cells", "why"), [
    # a cell the tool cannot parse (IPython strips its indent) reads the name before its second import
    (["from azureml.pipeline.core import PipelineParameter\n", "    epochs = PipelineParameter('epochs', 5)\n",
      "from azureml.pipeline.core import PipelineParameter\nprint(PipelineParameter)\n"], None),
    # a file run in the notebook's namespace reads it
    (["from azureml.pipeline.core import PipelineParameter\n", "%run -i helper.py\n"], "must stay defined"),
    (["from azureml.pipeline.core import PipelineParameter\n", "%run -ie helper.py\n"], "must stay defined"),
    (["from azureml.pipeline.core import PipelineParameter\n", "%time exec(open('helper.py').read())\n"],
     "must stay defined"),
    (["from azureml.pipeline.core import PipelineParameter\n",
      "get_ipython().run_line_magic('run', '-i helper.py')\n"], "must stay defined"),
])
def test_an_import_that_unseen_code_reads_stays_in_the_default_fix(tmp_path: Path, cells: list[str],
                                                                    why: str | None) -> None:
    """Audit 58x: the default fix removed the first import (a later cell imports the name again),
    and the unparsed cell between them failed with NameError; a file run with %run -i reads them too."""
    path = tmp_path / "nb.ipynb"
    path.write_text(_notebook(cells))
    (tmp_path / "helper.py").write_text("print(PipelineParameter)\n")
    before = path.read_bytes()
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "nb.ipynb"], cwd=tmp_path)
    assert path.read_bytes() == before, result.stdout + result.stderr
    assert "nb.ipynb:cell 1:1:1: AML099 left: " in result.stdout, result.stdout
    if why is not None:
        assert f"nb.ipynb:cell 1:1:1: AML099 left: the unused import is not removed: `PipelineParameter` {why}" \
            in result.stdout, result.stdout


def test_a_variable_a_magic_reads_keeps_its_name_and_value(tmp_path: Path) -> None:
    """``!echo {ws.name}`` and ``%store ws`` read ``ws`` where the fixer cannot see: renamed to
    ml_client, or made an MLClient, the magics would fail or show something else."""
    cells = [["from azureml.core import Workspace\n", "ws = Workspace.from_config()\n"],
             ["!echo {ws.name}\n", "print(ws.name)\n"], ["%store ws\n"]]
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c}
                          for c in cells],
                "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
                "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook, indent=1))
    before = path.read_bytes()
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "nb.ipynb"], cwd=tmp_path)
    assert path.read_bytes() == before
    assert ("nb.ipynb:cell 1:2:6: AML020 left: `ws` is read where this fix cannot see it (a line it does not parse), "
            "so it stays as it is") in result.stdout


def test_a_cell_whose_last_lines_go_ends_with_its_code(tmp_path: Path) -> None:
    """Removing a cell's closing statement leaves no blank line at its end, and a cell that
    ended without a line break still does, whatever its line breaks (no stray carriage
    return); a cell the author ended with a blank line keeps it; a second fix changes nothing."""
    path = tmp_path / "nb.ipynb"
    path.write_text(_notebook([
        "from azureml.core import Workspace\nfrom azureml.core.compute import AmlCompute, ComputeTarget\n"
        "ws = Workspace.from_config()",
        "config = AmlCompute.provisioning_configuration(vm_size='STANDARD_D2_V2', max_nodes=4)\r\n"
        "cluster = ComputeTarget.create(ws, 'cpu', config)\r\n\r\n"
        "cluster.wait_for_completion(show_output=True)",
        "config = AmlCompute.provisioning_configuration(vm_size='STANDARD_D2_V2', max_nodes=2)\n"
        "other = ComputeTarget.create(ws, 'gpu', config)\nother.wait_for_completion(show_output=True)\n\n",
    ]))
    run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "nb.ipynb"], cwd=tmp_path)
    cells = [_source(cell) for cell in json.loads(path.read_text())["cells"]]
    assert cells[1].endswith("cluster = ml_client.compute.begin_create_or_update(config).result()"), repr(cells[1])
    assert "wait_for_completion" not in cells[1] and "\r\n" in cells[1]
    assert cells[2].endswith("other = ml_client.compute.begin_create_or_update(config).result()\n\n"), repr(cells[2])
    again = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "nb.ipynb"], cwd=tmp_path)
    assert [_source(cell) for cell in json.loads(path.read_text())["cells"]] == cells
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_cell_whose_first_lines_go_starts_with_its_code(tmp_path: Path) -> None:
    """Removing a cell's opening import leaves no blank line at the cell's top (as a module's top
    keeps none); a cell the author began with a blank line keeps it; the findings left in the cell
    still name its lines as the cell now reads them; a second fix changes nothing."""
    path = tmp_path / "nb.ipynb"
    path.write_text(_notebook([
        "from azureml.core import Dataset\n\nimport os\nprint(os.getcwd())\n",
        "\nfrom azureml.core import Datastore\n\nprint(1)\n",
        "from azureml.core import Run\n\n\nfrom azureml.core import Workspace\nws = Workspace.from_config()\n"
        "print(ws.get_details())\n",
    ]))
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "nb.ipynb"], cwd=tmp_path)
    cells = [_source(cell) for cell in json.loads(path.read_text())["cells"]]
    assert cells[0] == "import os\nprint(os.getcwd())\n", cells[0]
    assert cells[1] == "\nprint(1)\n", cells[1]  # the author's own opening blank line stays
    assert cells[2].startswith("from azureml.core import Workspace\nws = Workspace.from_config()\n"), cells[2]
    assert "nb.ipynb:cell 3:2:6: AML020 left" in result.stdout, result.stdout  # where the line now is
    assert "`Workspace` is still used at cell 3:2" in result.stdout
    again = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "nb.ipynb"], cwd=tmp_path)
    assert [_source(cell) for cell in json.loads(path.read_text())["cells"]] == cells
    check = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--output-format", "json", "nb.ipynb"], cwd=tmp_path)
    for finding in json.loads(check.stdout):
        cell = cells[finding["cell"] - 1].splitlines()
        assert cell[finding["location"]["row"] - 1].strip(), (finding, cell)  # a finding names a line of code
    assert result.returncode in (0, 1) and again.returncode in (0, 1), result.stderr + again.stderr


def test_a_notebook_exported_to_python_keeps_what_its_ipython_strings_read(tmp_path: Path) -> None:
    """nbconvert writes a %%time cell as get_ipython().run_cell_magic('time', '', '<code>'): the
    code is a string, so an import and a variable only it reads are kept (they were removed, and
    the cell raised NameError)."""
    script = tmp_path / "exported.py"
    script.write_text(
        "from azureml.core import Workspace\nfrom azureml.core.dataset import Dataset\n\n"
        "workspace = Workspace.from_config()\n"
        "get_ipython().run_cell_magic('time', '', 'test = Dataset.get_by_name(workspace, name=\"d\")')\n")
    before = script.read_text()
    result = run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", str(script)], cwd=tmp_path)
    assert script.read_text() == before, result.stdout
    assert "`Dataset` must stay defined: another module of the project imports it, or code this fix cannot see" \
        in result.stdout
    assert "`workspace` is read where this fix cannot see it" in result.stdout


def test_lines_a_fix_writes_into_a_cell_take_that_cells_line_break(tmp_path: Path) -> None:
    """Cells saved with different line breaks (audit 35): the helper written into the second cell
    takes its "\\n", not the "\\r\\n" of the first cell; a second run changes nothing."""
    (tmp_path / "pyproject.toml").write_text("")
    notebook = write_notebook(tmp_path / "nb.ipynb", [
        "import azureml.core\r\nprint(azureml.core.VERSION)\r\nprint('ok')\r\n",
        "from azureml.core import Workspace, Experiment\nws = Workspace.from_config()\n"
        "experiment = Experiment(workspace=ws, name='x')\nrun = experiment.start_logging(snapshot_directory=None)",
    ])
    subprocess.run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "nb.ipynb"], cwd=tmp_path,
                   capture_output=True, text=True, check=False)
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]
    assert "_v1_start_logging(" in cells[1] and "\r" not in cells[1], cells[1]
    assert cells[0].count("\n") == cells[0].count("\r\n"), cells[0]
    text = notebook.read_text()
    subprocess.run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "nb.ipynb"], cwd=tmp_path,
                   capture_output=True, text=True, check=False)
    assert notebook.read_text() == text


@pytest.mark.parametrize(("line", "packages"), [
    ("!pip install --upgrade mlflow azureml-mlflow\n", ["mlflow"]),
    ("%pip install -q 'azure-ai-ml>=1.12' azure-identity\n", ["azure.ai.ml", "azure.identity"]),
    ("! pip3 install mlflow-skinny==2.9 mltable[extra]\n", ["mlflow", "mltable"]),
    ("!pip install scikit-learn\n", []),
    ("!echo pip install mlflow\n", []),
])
def test_the_packages_a_pip_magic_installs(line: str, packages: list[str]) -> None:
    from flake8_azureml_v2.notebooks import installed_by

    assert installed_by(line) == packages


def _cells(notebook: Path) -> list[str]:
    return ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]


def _logging_after(tmp_path: Path, first: str, installing: str) -> tuple[Path, str, list[str]]:
    """A notebook whose cell 1 connects (``first``), cell 2 installs (``installing``) and cell 3 logs
    in an interactive run, fixed: the notebook, the report and the cells."""
    from .migrate_helpers import fix, project, write_notebook

    project(tmp_path, "")
    notebook = write_notebook(tmp_path / "track.ipynb", [
        first, installing,
        "exp = Experiment(workspace=ws, name='inline-exp')\nrun = exp.start_logging()\nrun.log('accuracy', 0.9)\n"
        "run.complete()",
    ])
    report = fix(notebook)
    return notebook, report, _cells(notebook)


def test_new_imports_of_a_package_the_notebook_installs_later_go_below_its_install_line(tmp_path: Path) -> None:
    """``!pip install mlflow`` in cell 2, first needed in cell 3: the new imports go right below the
    install line, not into cell 1 where the package is not there yet (held-out audit g); what is
    needed from the start (the workspace's client) stays in cell 1."""
    from .migrate_helpers import fix

    notebook, report, cells = _logging_after(
        tmp_path, "from azureml.core import Workspace, Experiment\nws = Workspace.from_config()\nprint(ws.name)",
        "!pip install --upgrade mlflow azureml-mlflow")
    assert "AML012 fixed" in report, report
    assert "mlflow" not in cells[0].split("\n\n\ndef ")[0] and "from azure.ai.ml import MLClient" in cells[0], cells[0]
    assert cells[1].startswith("!pip install --upgrade mlflow azureml-mlflow\nimport mlflow\n"), cells[1]
    assert "mlflow.log_metric('accuracy', 0.9)" in cells[2]
    assert fix(notebook).count("fixed") == 0 and _cells(notebook) == cells


def test_an_install_inside_a_block_does_not_take_the_imports(tmp_path: Path) -> None:
    """``!pip install mlflow`` under an ``if``: an import written below that line would end the
    block, so the imports stay where they were, and the notebook is still migrated."""
    _, report, cells = _logging_after(
        tmp_path, "from azureml.core import Workspace, Experiment\nws = Workspace.from_config()",
        "import os\nif not os.environ.get('HAS_MLFLOW'):\n    !pip install mlflow\n    print('installed')")
    assert "AML012 fixed" in report, report
    block = "if not os.environ.get('HAS_MLFLOW'):\n    !pip install mlflow\n    print('installed')"
    assert cells[1].endswith(block) and "import mlflow" not in cells[1], cells[1]
    assert "import mlflow\n" in cells[0], cells[0]


@pytest.mark.parametrize(("line", "plain"), [
    ("!pip install --upgrade azureml-sdk azureml-widgets\n", True),
    ("%pip install -q 'azureml-sdk[notebooks,automl]==1.48.0'", True),
    ("!pip install azureml-core azureml-mlflow mlflow\n", True),
    ("!pip install azureml-mlflow mlflow\n", False),  # no SDK v1 distribution: the notebook may be v2
    ("%pip install -r requirements.txt azureml-core\n", False),  # a file's list: not this line's
    ("!pip install azureml-core > /dev/null\n", False),  # shell syntax
    ("!pip install azureml-core --extra-index-url https://example.com/simple\n", False),
    ("!pip install 'azureml-sdk<2' -U\n", True),  # a quoted range is no redirection
    ("!pip install 'azureml-core' ; rm -rf build\n", False),
    ("    !pip install azureml-sdk\n", False),  # inside a block (except ImportError:), it may never run
    ("!pip install --no-deps azureml-sdk\n", False),  # azure-ai-ml would come without its dependencies
    ("!pip install --no-index --find-links=wheels azureml-sdk\n", False),  # an offline folder of wheels
])
def test_the_install_lines_that_set_up_sdk_v1_plainly(line: str, plain: bool) -> None:
    from flake8_azureml_v2.notebooks import installs_v1_plainly

    assert installs_v1_plainly(line) is plain


def test_a_notebook_that_installs_sdk_v1_itself_installs_what_the_migrated_cells_import(tmp_path: Path) -> None:
    """Cell 1 installs azureml-core, azureml-mlflow and mlflow; the migrated cells import azure.ai.ml
    and azure.identity, which that environment did not have (audit i: ModuleNotFoundError in the
    notebook's own environment).  The install line installs them too, the new imports go below it,
    and the second run changes nothing.  mlflow was installed already: it is not added again."""
    from .migrate_helpers import fix, project, write_notebook

    project(tmp_path, "")
    notebook = write_notebook(tmp_path / "setup.ipynb", [
        "%pip install azureml-core azureml-mlflow mlflow",
        "import mlflow\nfrom azureml.core import Workspace\n\nws = Workspace.from_config()\n"
        "mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())",
    ])
    report = fix(notebook)
    cells = _cells(notebook)
    assert cells[0] == "%pip install azureml-core azureml-mlflow mlflow azure-ai-ml azure-identity", (report, cells[0])
    assert "from azure.ai.ml import MLClient\nfrom azure.identity import DefaultAzureCredential\n" in cells[1], cells[1]
    assert "azureml" not in cells[1], cells[1]
    assert fix(notebook).count("fixed") == 0 and _cells(notebook) == cells


def test_a_notebook_whose_install_line_is_not_a_plain_list_keeps_it(tmp_path: Path) -> None:
    """``-r requirements.txt``: what the file lists is the file's business; the line stays as it was."""
    from .migrate_helpers import fix, project, write_notebook

    project(tmp_path, "")
    notebook = write_notebook(tmp_path / "setup.ipynb", [
        "%pip install -r requirements.txt",
        "from azureml.core import Workspace\n\nws = Workspace.from_config()\nprint(ws.name)",
    ])
    report = fix(notebook)
    cells = _cells(notebook)
    assert "AML020 fixed" in report and cells[0] == "%pip install -r requirements.txt", (report, cells)


def test_an_amended_install_line_keeps_its_trailing_blanks_and_break() -> None:
    from flake8_azureml_v2.notebooks import with_distributions

    assert with_distributions("!pip install azureml-sdk   \r\n", ["azure-ai-ml"]) == \
        "!pip install azureml-sdk azure-ai-ml   \r\n"
