"""What a notebook cell is: Python under %%time/%%timeit/%%capture/%%prun, masked under other
cell magics, and a %%writefile cell is Python only when it writes a .py file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_azureml_v2.notebooks import cell_kind, mask_magics

from .conftest import run

TOOL = [sys.executable, "-m", "flake8_azureml_v2"]
IMPORT = "from azureml.core import Dataset, Workspace\n"


def notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
             for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def sources(path: Path) -> list[str]:
    return [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            for c in json.loads(path.read_text())["cells"]]


def tool(*args: str, cwd: Path):
    return run([*TOOL, *args], cwd=cwd)


@pytest.mark.parametrize("magic", ["%%time", "%%timeit -n1 -r1", "%%capture captured", "%%prun -s cumulative -q",
                                   "%%time\n%%capture"])
def test_names_used_only_inside_a_python_cell_magic_stay_imported(tmp_path: Path, magic: str) -> None:
    # do-no-harm cellmagic_time.ipynb: the safe fix used to delete an import only such a cell uses
    text = notebook(IMPORT, f"{magic}\nds = Dataset.get_by_name(ws, 'x')\n")
    nb = tmp_path / "nb.ipynb"
    nb.write_text(text)
    fixed = tool("fix", "nb.ipynb", cwd=tmp_path)
    assert "Dataset" in sources(nb)[0], fixed.stdout
    assert sources(nb)[1] == f"{magic}\nds = Dataset.get_by_name(ws, 'x')\n"
    line = magic.count("\n") + 2
    check = tool("check", "nb.ipynb", cwd=tmp_path)
    assert f"nb.ipynb:cell 2:{line}:6: AML022 " in check.stdout, check.stdout  # reported inside the cell


def test_names_a_cell_that_does_not_parse_spells_stay_bound(tmp_path: Path) -> None:
    """A cell with a syntax error is skipped, but it still runs up to its error once fixed by
    hand: the imports and bindings it names stay (the fixer cannot see how it reads them)."""
    imports = "from azureml.core import Workspace\nfrom azureml.pipeline.steps import PythonScriptStep\n"
    broken = "step = PythonScriptStep(name='score' script_name='score.py', compute_target=compute_target)\n"
    nb = tmp_path / "nb.ipynb"
    nb.write_text(notebook(imports, "ws = Workspace.from_config()\ncompute_target = ws.compute_targets['cpu']\n", broken))
    fixed = tool("fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert "from azureml.pipeline.steps import PythonScriptStep" in sources(nb)[0], fixed.stdout
    assert "compute_target = ws.compute_targets['cpu']" in sources(nb)[1]
    assert sources(nb)[2] == broken


def test_a_fix_inside_a_time_cell_keeps_the_magic_line(tmp_path: Path) -> None:
    nb = tmp_path / "nb.ipynb"
    nb.write_text(notebook("from azureml.core import Workspace\n", "%%time\r\nws = Workspace.from_config()\r\n"))
    result = tool("fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nb.ipynb:cell 2:2:6: AML020 fixed: " in result.stdout
    assert sources(nb)[1] == "%%time\r\nml_client = MLClient.from_config(DefaultAzureCredential())\r\n"


def test_python_after_the_options_of_timeit_and_prun_is_analysed(tmp_path: Path) -> None:
    nb = tmp_path / "nb.ipynb"
    text = notebook("from azureml.core import Workspace\nimport os\n",
                    "%%timeit -n 1 -r1 ws = Workspace.from_config()\nprint(ws)\n",
                    "%%prun -l 5 -s time os.getcwd()\n")
    nb.write_text(text)
    check = tool("check", "nb.ipynb", cwd=tmp_path)
    assert "nb.ipynb:cell 2:1:24: AML020 " in check.stdout, check.stdout  # the column of the setup statement
    fixed = tool("fix", "nb.ipynb", cwd=tmp_path)  # the safe fixes: nothing may be removed
    assert nb.read_text() == text, fixed.stdout + fixed.stderr


def test_other_cell_magics_stay_masked(tmp_path: Path) -> None:
    nb = tmp_path / "nb.ipynb"
    nb.write_text(notebook("import azureml.core\n", "%%bash\nazureml = 1 +\n", "%%html\n<b>azureml</b>\n",
                           "%%sh\npip install azureml-core\n", "%%time\n%%bash\necho Workspace.from_config()\n",
                           "%%writefile notes.txt\nfrom azureml.core import Run\n"))
    result = tool("check", "nb.ipynb", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == "Found 1 finding.\n"
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == ["nb.ipynb:cell 1:1:1"]


def test_cell_kinds() -> None:
    assert cell_kind("%%time\nx = 1\n").kind == "python"
    assert cell_kind("\n%%timeit -n1 -r 2 -o setup()\nbody()\n").statements == {1: 21}
    assert cell_kind("%%timeit -n 10\nbody()\n").statements == {}
    assert cell_kind("%%prun -D out.prof -- f()\n").statements == {0: 22}
    assert cell_kind("%%capture out\n%%writefile x.py\nprint(1)\n").kind == "other"
    assert cell_kind("%%writefile x.py\nprint(1)\n").kind == "writefile"
    assert cell_kind("%%bash\nls\n").kind == "other"
    masked, originals, _ = mask_magics("%%timeit -n1 f(x)\ny()\n", "T", 0, {0: 13})
    assert masked == "pass;        f(x)  # T0\ny()\n" and originals == ["%%timeit -n1 f(x)\n"]


YAML = "name: train-env\ndependencies:\n  - python=3.10\n  - pip:\n      - azureml-core\n"


@pytest.mark.parametrize("target", ["environment.yml", "$folder/conda.yaml", "{folder}/data.csv", ".amlignore",
                                    "$unknown_name", "{unknown}", "$unknown/env.yml"])
def test_writefile_cells_that_are_not_python_are_never_parsed(tmp_path: Path, target: str) -> None:
    # do-no-harm writefile_yaml.ipynb: a conda file used to be an error (exit 2) even with --exit-zero
    nb = tmp_path / "nb.ipynb"
    text = notebook("folder = 'env'\nfrom azureml.core import Workspace\nws = Workspace.from_config()\n",
                    f"%%writefile {target}\n{YAML}")
    nb.write_text(text)
    check = tool("check", "--exit-zero", "nb.ipynb", cwd=tmp_path)
    assert (check.returncode, check.stderr) == (0, "Found 2 findings.\n")
    assert [line.split(" ")[:2] for line in check.stdout.splitlines()] == [
        ["nb.ipynb:cell", "1:2:1:"], ["nb.ipynb:cell", "1:3:6:"]]
    fix = tool("fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert fix.returncode == 0 and "error" not in fix.stderr
    assert sources(nb)[1] == f"%%writefile {target}\n{YAML}"


@pytest.mark.parametrize("target", ["$folder/train.py", "{folder}/train.py", "$script", "src/train.py"])
def test_writefile_cells_of_python_are_checked_and_fixed(tmp_path: Path, target: str) -> None:
    nb = tmp_path / "nb.ipynb"
    body = "from azureml.core import Run\nrun = Run.get_context()\nrun.log('loss', 0.5)\n"
    nb.write_text(notebook("folder = 'src'\n", f"%%writefile {target}\n{body}"))
    check = tool("check", "nb.ipynb", cwd=tmp_path)
    assert "nb.ipynb:cell 2:4:1: AML012 " in check.stdout, check.stdout
    fix = tool("fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert fix.returncode == 0, fix.stdout + fix.stderr
    assert sources(nb)[1].startswith(f"%%writefile {target}\n") and "mlflow.log_metric('loss', 0.5)" in sources(nb)[1]


def test_a_py_target_that_does_not_parse_is_an_error_an_unknown_one_is_skipped(tmp_path: Path) -> None:
    nb = tmp_path / "nb.ipynb"
    nb.write_text(notebook("import azureml.core\n", "%%writefile train.py\nprint 'python 2'\n",
                           "%%writefile $name\nprint 'python 2'\n"))
    result = tool("check", "--exit-zero", "nb.ipynb", cwd=tmp_path)
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if "error" in line] == [
        "nb.ipynb:cell 2: error: skipped, not Python even with magics masked: syntax error: Missing parentheses "
        "in call to 'print'. Did you mean print(...)? (line 1)"]


def test_a_cell_that_imports_the_old_api_again_gets_the_new_imports_again(tmp_path: Path) -> None:
    """Two alternative cells each import Workspace, so either runs on its own: each gets the
    v2 imports where its own import was, and a second run changes nothing."""
    path = tmp_path / "connect.ipynb"
    path.write_text(notebook(
        "subscription_id, resource_group, workspace_name = 'sub', 'rg', 'ws'",
        "from azureml.core import Workspace\n\nws = Workspace(subscription_id, resource_group, workspace_name)",
        "raise NotImplementedError('pick one of the two ways to connect')",
        "from azureml.core import Workspace\n\nws = Workspace.from_config()\nprint(ws.name)"))
    result = tool("fix", "--unsafe-fixes", "connect.ipynb", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    cells = sources(path)
    imports = "from azure.ai.ml import MLClient\nfrom azure.identity import DefaultAzureCredential\n"
    assert cells[1].startswith(imports) and cells[3].startswith(imports), cells
    assert "Fixed 0 findings" in tool("fix", "--unsafe-fixes", "connect.ipynb", cwd=tmp_path).stdout
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F", "--no-cache", "connect.ipynb"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout


COMPUTE_CELL = ("from azureml.core.compute import ComputeTarget, AmlCompute\n"
                "from azureml.core.compute_target import ComputeTargetException\n\n"
                "try:\n    c = ComputeTarget(workspace=ws, name='cl')\n"
                "except ComputeTargetException:\n"
                "    cfg = AmlCompute.provisioning_configuration(vm_size='STANDARD_DS11_V2', max_nodes=2)\n"
                "    c = ComputeTarget.create(ws, 'cl', cfg)\n    c.wait_for_completion(show_output=True)\n")


def test_a_cell_with_two_old_imports_in_a_row_gets_each_new_import_once(tmp_path: Path) -> None:
    """A notebook in two sections, each connecting and creating its cluster: the new imports come
    again where the second section imports the old names again, once, not once per old import."""
    path = tmp_path / "clusters.ipynb"
    connect = "from azureml.core import Workspace\nws = Workspace.from_config()\n"
    path.write_text(notebook(connect, COMPUTE_CELL, connect, COMPUTE_CELL))
    result = tool("fix", "--unsafe-fixes", "clusters.ipynb", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    text = "\n".join(sources(path))
    for line in ("from azure.ai.ml.entities import AmlCompute\n",
                 "from azure.core.exceptions import ResourceNotFoundError\n"):
        assert text.count(line) == 2, text  # the first section's, and the second's
    for cell in sources(path):
        imports = [line for line in cell.splitlines() if line.startswith(("from ", "import "))]
        assert len(imports) == len(set(imports)), cell  # no import written twice in a cell
    assert "Fixed 0 findings" in tool("fix", "--unsafe-fixes", "clusters.ipynb", cwd=tmp_path).stdout
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F", "--no-cache", "clusters.ipynb"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout


def test_a_cell_that_imported_its_own_old_names_imports_the_new_ones_it_needs(tmp_path: Path) -> None:
    """Audit w: a tutorial's optional first cell ('skip it if you trained the model') got every
    cell's new imports, so a later cell that imported its own v1 names no longer ran without it.
    Each cell now imports what it needs, where its old imports were, once per cell."""
    path = tmp_path / "deploy.ipynb"
    path.write_text(notebook(
        "# skip this cell if you completed the training tutorial\nfrom azureml.core import Workspace\n"
        "ws = Workspace.from_config()\nfrom azureml.core.model import Model\n"
        "model = Model.register(model_path='outputs/model.pkl', model_name='m1', workspace=ws)",
        "import azureml.core\nprint(azureml.core.VERSION)",
        "from azureml.core import Workspace, Experiment, ScriptRunConfig\n\nws = Workspace.from_config()\n"
        "exp = Experiment(workspace=ws, name='exp1')\n"
        "src = ScriptRunConfig(source_directory='src', script='train.py', compute_target='cpu-cluster')\n"
        "run = exp.submit(src)\nprint(run.get_portal_url())"))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("print('training')\n")
    result = tool("fix", "--unsafe-fixes", "deploy.ipynb", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    cells = sources(path)
    assert "azureml.core" not in "\n".join(cells), cells
    for cell in cells[1:]:  # each later cell runs without the first: pyflakes finds no undefined name in it alone
        alone = tmp_path / "cell.py"
        alone.write_text(cell)
        flakes = run([sys.executable, "-m", "pyflakes", str(alone)], cwd=tmp_path)
        assert flakes.returncode == 0, flakes.stdout + cell
    for cell in cells:
        imports = [line for line in cell.splitlines() if line.startswith(("from ", "import "))]
        assert len(imports) == len(set(imports)), cell
    assert cells[1].startswith("from importlib.metadata import version\n"), cells[1]
    assert "Fixed 0 findings" in tool("fix", "--unsafe-fixes", "deploy.ipynb", cwd=tmp_path).stdout


def test_new_imports_go_above_a_from_package_import_of_an_old_module(tmp_path: Path) -> None:
    """Audit 2f: ``from azureml import core`` in the first cell was not taken for an import of the old
    API, so the new imports went to the second cell, below the first cell's use: every rewrite was
    refused ('it adds the undefined name DefaultAzureCredential')."""
    path = tmp_path / "nb.ipynb"
    (tmp_path / "train.py").write_text("print('training')\n")
    path.write_text(notebook("from azureml import core\n\nws = core.Workspace.from_config()",
                             "from azureml.core import Experiment, ScriptRunConfig\n\n"
                             "src = ScriptRunConfig(source_directory='.', script='train.py', compute_target='cpu-cluster')\n"
                             "run = Experiment(workspace=ws, name='exp').submit(src)\nprint(run.get_portal_url())"))
    result = tool("fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert "AML020 fixed" in result.stdout, result.stdout
    cells = sources(path)
    assert cells[0].startswith("from azure.ai.ml import MLClient\nfrom azure.identity import DefaultAzureCredential\n"), cells
