"""The import clean-up, judged by running the code: a removed import must not be one the
program needed for what importing does.

pyflakes cannot see these two cases, so the fixed programs are executed against a stand-in
for the v1 packages (v1 cannot be installed here).  Its ``azureml/__init__.py`` is the
namespace-package line v1's is, so ``import azureml`` alone does not load ``azureml.core``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run

AZ = [sys.executable, "-m", "flake8_azureml_v2"]

STAND_IN = {
    "azureml/__init__.py": "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n",
    "azureml/_restclient/__init__.py": "",
    "azureml/_restclient/snapshots_client.py": "SNAPSHOT_MAX_SIZE_BYTES = 300 * 1024 * 1024\n",
    "azureml/core/__init__.py": (
        "import azureml._restclient.snapshots_client\n"
        "VERSION = '1.60.0'\n"
        "class Workspace:\n"
        "    @staticmethod\n"
        "    def from_config():\n"
        "        return 'workspace'\n"
        "class Run:\n"
        "    pass\n"
    ),
    "azureml/core/workspace.py": "from azureml.core import Workspace\n",
}


def _project(tmp_path: Path, source: str) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "job.py").write_text(source)
    for name, text in STAND_IN.items():
        path = tmp_path / "v1" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _runs(root: Path, *args: str) -> str:
    """The program's output; the test fails when it raises."""
    env = {**os.environ, "PYTHONPATH": str(root.parent / "v1")}
    result = subprocess.run([sys.executable, "job.py", *args], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + (root / "job.py").read_text()
    return result.stdout


def _fix(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    result = run([*AZ, "fix", *flags, "job.py"], cwd=root)
    assert "Traceback" not in result.stderr + result.stdout
    return result


SUBMODULE_READ = (
    "import azureml\n"
    "from azureml.core import Workspace\n"
    "\n"
    "print('SDK version:', azureml.core.VERSION)\n"
    "\n"
    "from azureml.core import Workspace\n"
    "ws = Workspace.from_config()\n"
    "print(ws)\n"
)


@pytest.mark.parametrize("flags", [(), ("--unsafe-fixes",)])
def test_an_import_that_loads_a_submodule_read_through_the_package_stays(tmp_path: Path, flags: tuple[str, ...]) -> None:
    root = _project(tmp_path, SUBMODULE_READ)
    assert _runs(root).startswith("SDK version: 1.60.0")
    result = _fix(root, *flags)
    after = (root / "job.py").read_text()
    assert "from azureml.core import Workspace\n\nprint('SDK version:', azureml.core.VERSION)" in after
    assert "job.py:2:1: AML099 left: the import loads `azureml.core`, which `azureml.core.VERSION` at line 4 " \
           "reads through `import azureml`" in result.stdout + result.stderr
    assert _runs(root).startswith("SDK version: 1.60.0")
    assert _fix(root, *flags).returncode in (0, 1) and (root / "job.py").read_text() == after  # a second run


# Who else loads the submodule: (program, the import line fix removes or None, what the program prints)
SUBMODULE_CASES = {
    # a plain `import azureml.core` loads it itself
    "plain-import-loads-it": (SUBMODULE_READ.replace("import azureml\n", "import azureml.core\n", 1),
                              "from azureml.core import Workspace\n", "SDK version: 1.60.0\nworkspace\n"),
    "aliased-import-loads-it": ("import azureml\n"
                                "import azureml.core as core\n"
                                "from azureml.core import Workspace\n"
                                "print('SDK version:', azureml.core.VERSION, core.VERSION)\n",
                                "from azureml.core import Workspace\n", "SDK version: 1.60.0 1.60.0\n"),
    # an unused aliased import never covers for its own removal
    "aliased-import-alone": ("import azureml\n"
                             "import azureml.core as core\n"
                             "print('SDK version:', azureml.core.VERSION)\n", None, "SDK version: 1.60.0\n"),
    # the labs' notebooks: `Run` is imported and unused, `Workspace` (used) loads azureml.core first
    "a-kept-import-loads-it-first": ("import azureml\n"
                                     "from azureml.core import Run\n"
                                     "from azureml.core import Workspace\n"
                                     "print('SDK version:', azureml.core.VERSION, Workspace.from_config())\n",
                                     "from azureml.core import Run\n", "SDK version: 1.60.0 workspace\n"),
    # the read comes first, so what loads the submodule for it is the import above it
    "read-before-the-import": ("import azureml\n"
                               "from azureml.core import Workspace\n"
                               "print('SDK version:', azureml.core.VERSION, Workspace.from_config())\n"
                               "from azureml.core import Run\n",
                               "from azureml.core import Run\n", "SDK version: 1.60.0 workspace\n"),
    # a function reads it when it is called, after every import has run
    "read-by-a-later-call": ("import azureml\n"
                             "\n"
                             "\n"
                             "def version():\n"
                             "    return azureml.core.VERSION\n"
                             "\n"
                             "\n"
                             "from azureml.core import Run\n"
                             "print('SDK version:', version())\n", None, "SDK version: 1.60.0\n"),
}


@pytest.mark.parametrize("case", sorted(SUBMODULE_CASES))
def test_an_import_goes_only_when_another_loads_the_submodule_for_the_read(tmp_path: Path, case: str) -> None:
    source, removed, printed = SUBMODULE_CASES[case]
    root = _project(tmp_path, source)
    result = _fix(root)
    assert (root / "job.py").read_text() == (source.replace(removed, "", 1) if removed else source)
    if removed:
        assert f"job.py:{source.splitlines().index(removed.strip()) + 1}:1: AML099 fixed" in result.stdout + result.stderr
    assert _runs(root) == printed


def test_two_unused_imports_that_each_load_the_submodule_both_stay_and_say_why(tmp_path: Path) -> None:
    source = ("import azureml\n"
              "from azureml.core import Run\n"
              "from azureml.core.workspace import Workspace\n"
              "print('SDK version:', azureml.core.VERSION)\n")
    root = _project(tmp_path, source)
    result = _fix(root)
    assert (root / "job.py").read_text() == source
    for line in (2, 3):
        assert (f"job.py:{line}:1: AML099 left: the import loads `azureml.core`, which `azureml.core.VERSION` at "
                "line 4 reads through `import azureml`") in result.stdout + result.stderr
    assert _runs(root) == "SDK version: 1.60.0\n"


# set 22's workshop: v1's snapshot limit is raised through `import azureml`, and only
# `from azureml.core import ...`, unused once the job is migrated, loaded `azureml._restclient`
SNAPSHOT_LIMIT = ("import azureml\n"
                  "from azureml.core import Workspace\n"
                  "azureml._restclient.snapshots_client.SNAPSHOT_MAX_SIZE_BYTES = 10 * 10**9\n"
                  "print(azureml._restclient.snapshots_client.SNAPSHOT_MAX_SIZE_BYTES)\n")


@pytest.mark.parametrize("flags", [(), ("--unsafe-fixes",)])
def test_an_import_that_may_load_the_submodule_on_the_way_stays(tmp_path: Path, flags: tuple[str, ...]) -> None:
    root = _project(tmp_path, SNAPSHOT_LIMIT)
    assert _runs(root) == "10000000000\n"
    result = _fix(root, *flags)
    assert (root / "job.py").read_text() == SNAPSHOT_LIMIT
    assert ("job.py:2:1: AML099 left: the import may load `azureml._restclient` on the way, which "
            "`azureml._restclient.snapshots_client.SNAPSHOT_MAX_SIZE_BYTES` at line 3 reads through `import azureml`"
            ) in result.stdout + result.stderr
    assert _runs(root) == "10000000000\n"


@pytest.mark.parametrize("source", [
    # the submodule is named by an import that stays
    SNAPSHOT_LIMIT.replace("import azureml\n", "import azureml._restclient.snapshots_client\n"),
    # a dunder of the package is no submodule
    "import azureml\nfrom azureml.core import Workspace\nprint(len(azureml.__path__) > 0)\n",
])
def test_an_import_that_nothing_needs_loaded_goes(tmp_path: Path, source: str) -> None:
    root = _project(tmp_path, source)
    printed = _runs(root)
    result = _fix(root)
    assert (root / "job.py").read_text() == source.replace("from azureml.core import Workspace\n", "")
    assert "job.py:2:1: AML099 fixed" in result.stdout + result.stderr
    assert _runs(root) == printed


CONDITIONAL = {
    "if": ("import sys\n"
           "from azureml.core import Workspace\n"
           "\n"
           "if len(sys.argv) > 1:\n"
           "    from azureml.core.workspace import Workspace\n"
           "print(Workspace.from_config())\n"),
    "try": ("from azureml.core import Workspace\n"
            "try:\n"
            "    from azureml.core.missing import Workspace\n"
            "except ImportError:\n"
            "    pass\n"
            "print(Workspace.from_config())\n"),
    # (the call-order check is what keeps this one: pyflakes reads the function's body last)
    "called-between": ("from azureml.core import Workspace\n"
                       "\n"
                       "\n"
                       "def connect():\n"
                       "    return Workspace.from_config()\n"
                       "\n"
                       "\n"
                       "print(connect())\n"
                       "from azureml.core import Workspace\n"
                       "print(connect())\n"),
}


@pytest.mark.parametrize("case", sorted(CONDITIONAL))
def test_an_import_bound_again_only_sometimes_or_read_by_a_function_stays(tmp_path: Path, case: str) -> None:
    root = _project(tmp_path, CONDITIONAL[case])
    before = _runs(root)
    assert "workspace" in before
    _fix(root)
    assert (root / "job.py").read_text().startswith(CONDITIONAL[case].split("\n\n")[0].split("\n")[0])
    assert _runs(root) == before


def test_an_import_whose_every_read_follows_a_later_import_in_its_branch_still_goes(tmp_path: Path) -> None:
    # the look-alike of "if": the only read comes after the branch's own import
    source = ("import sys\n"
              "if sys.argv[1:]:\n"
              "    print('trained')\n"
              "else:\n"
              "    from azureml.core import Workspace\n"
              "    print('cell 1')\n"
              "if sys.argv[1:]:\n"
              "    print('trained')\n"
              "else:\n"
              "    from azureml.core import Workspace\n"
              "\n"
              "    print(Workspace.from_config())\n")
    root = _project(tmp_path, source)
    result = _fix(root)
    assert (root / "job.py").read_text() == source.replace("    from azureml.core import Workspace\n    print('cell 1')",
                                                           "    print('cell 1')")
    assert "job.py:5:5: AML099 fixed" in result.stdout + result.stderr
    assert _runs(root) == "cell 1\nworkspace\n"
    assert _runs(root, "trained") == "trained\ntrained\n"


def test_an_import_bound_again_unconditionally_before_any_use_still_goes(tmp_path: Path) -> None:
    # the look-alike: a notebook's second cell imports the name again, and only it is used
    source = ("from azureml.core import Workspace\n"
              "print('cell 1')\n"
              "from azureml.core import Workspace\n"
              "print(Workspace.from_config())\n")
    root = _project(tmp_path, source)
    result = _fix(root)
    assert (root / "job.py").read_text() == source.split("\n", 1)[1]
    assert "job.py:1:1: AML099 fixed: removed the unused v1 import of azureml.core.Workspace" in result.stdout + result.stderr
    assert _runs(root) == "cell 1\nworkspace\n"


# --- files another notebook runs in its own namespace, and files written in pieces ---------


def _notebook(*cells: str, one_string: bool = False) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": cell if one_string else cell.splitlines(keepends=True)} for cell in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }, indent=1) + "\n"


def _notebook_project(tmp_path: Path, *cells: str) -> Path:
    """``nb.ipynb`` holding ``cells``, alone in a project."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    notebook = root / "nb.ipynb"
    notebook.write_text(_notebook(*cells))
    return notebook


INCLUDES = {
    # IPython's %run copies the file's names into the notebook (a cell stored as one string, or as lines)
    "ipython-one-string": ("main.ipynb", _notebook("%run setup_aml.py\n", "ws = Workspace.from_config()\n",
                                                   one_string=True)),
    "ipython-lines": ("main.ipynb", _notebook("%run -i setup_aml\n", "ws = Workspace.from_config()\n")),
    # a Databricks notebook exported as source runs another one in its namespace
    "databricks": ("main.py", "# Databricks notebook source\n# MAGIC %run ./setup_aml\n\n# COMMAND ----------\n\n"
                              "ws = Workspace.from_config()\n"),
}


@pytest.mark.parametrize("case", sorted(INCLUDES))
def test_a_file_a_notebook_runs_in_its_namespace_keeps_its_imports(tmp_path: Path, case: str) -> None:
    name, runner = INCLUDES[case]
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / name).write_text(runner)
    (root / "setup_aml.py").write_text("from azureml.core import Workspace\n")
    result = run([*AZ, "fix", "setup_aml.py"], cwd=root)
    assert (root / "setup_aml.py").read_text() == "from azureml.core import Workspace\n"
    assert "setup_aml.py:1:1: AML099 left: the unused import is not removed: `Workspace` must stay defined" \
           in result.stdout + result.stderr


def test_a_file_no_notebook_runs_loses_its_unused_import(tmp_path: Path) -> None:
    # the look-alike: the notebook runs another file
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "main.ipynb").write_text(_notebook("%run other.py\n", "print(1)\n", one_string=True))
    (root / "setup_aml.py").write_text("from azureml.core import Workspace\nprint('ready')\n")
    run([*AZ, "fix", "setup_aml.py"], cwd=root)
    assert (root / "setup_aml.py").read_text() == "print('ready')\n"


def test_a_written_file_another_cell_appends_to_is_not_fixed_alone(tmp_path: Path) -> None:
    cells = ("%%writefile score.py\nimport json\nfrom azureml.core.model import Model\n",
             "%%writefile -a score.py\n\ndef init():\n    return Model.get_model_path('m')\n")
    notebook = _notebook_project(tmp_path, *cells)
    root = notebook.parent
    before = notebook.read_text()
    result = run([*AZ, "fix", "--unsafe-fixes", "nb.ipynb"], cwd=root)
    assert notebook.read_text() == before
    assert ("nb.ipynb:cell 1:3:1: AML099 left: cell 2 appends to the file this cell writes (%%writefile -a), "
            "so neither is fixed") in result.stdout + result.stderr


def test_a_written_file_appended_to_only_elsewhere_is_still_fixed(tmp_path: Path) -> None:
    # the look-alike: the append cell writes another file
    cells = ("%%writefile score.py\nimport json\nfrom azureml.core.model import Model\nprint(json)\n",
             "%%writefile -a other.py\n\nprint(2)\n")
    notebook = _notebook_project(tmp_path, *cells)
    root = notebook.parent
    run([*AZ, "fix", "nb.ipynb"], cwd=root)
    assert "from azureml.core.model import Model" not in notebook.read_text()


@pytest.mark.parametrize("export", ['__all__.extend(["Run"])', '__all__.append("Run")', '__all__ += ["Run"]'])
def test_a_name_a_module_exports_keeps_its_import(tmp_path: Path, export: str) -> None:
    root = _project(tmp_path, "")
    (root / "api.py").write_text(f'from azureml.core import Workspace, Run\n__all__ = ["Workspace"]\n{export}\n')
    (tmp_path / "v1" / "azureml" / "core" / "__init__.py").write_text("Workspace = 'workspace'\nRun = 'run'\n")
    result = run([*AZ, "fix", "api.py"], cwd=root)
    assert (root / "api.py").read_text().startswith("from azureml.core import Workspace, Run\n")
    assert ("api.py:1:1: AML099 left: `Workspace` is exported with `__all__` at line 2; the import stays while "
            "the module exports it [blocked]") in result.stdout + result.stderr
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "v1")}
    star = subprocess.run([sys.executable, "-c", "from api import *; print(Workspace, Run)"], cwd=root, env=env,
                          capture_output=True, text=True)
    assert star.stdout == "workspace run\n", star.stderr


def test_a_name_only_a_message_mentions_still_loses_its_import(tmp_path: Path) -> None:
    # the look-alike: a string that names the import is not an export
    root = _project(tmp_path, "")
    (root / "api.py").write_text('from azureml.core import Workspace, Run\n__all__ = ["Workspace"]\nprint("Run")\n')
    run([*AZ, "fix", "api.py"], cwd=root)
    assert (root / "api.py").read_text().startswith("from azureml.core import Workspace\n")


# (a help query, ``Workspace?``, is documentation, not the program: it does not keep an import)
@pytest.mark.parametrize("magic", ["ws = %time Workspace.from_config()\n", "ws, = %timeit -o Workspace.from_config()\n"])
def test_a_name_only_ipython_syntax_reads_keeps_its_import(tmp_path: Path, magic: str) -> None:
    notebook = _notebook_project(tmp_path, "from azureml.core import Workspace\n", magic)
    root = notebook.parent
    before = notebook.read_text()
    result = run([*AZ, "fix", "nb.ipynb"], cwd=root)
    assert notebook.read_text() == before
    assert "nb.ipynb:cell 1:1:1: AML099 left: the unused import is not removed: `Workspace` must stay defined" \
           in result.stdout + result.stderr


def test_a_name_a_magic_does_not_read_loses_its_import(tmp_path: Path) -> None:
    # the look-alike: a shell command assigned to a name reads no Python name
    notebook = _notebook_project(tmp_path, "from azureml.core import Workspace\n", "files = !ls Workspace\n")
    root = notebook.parent
    run([*AZ, "fix", "nb.ipynb"], cwd=root)
    assert "from azureml.core import Workspace" not in notebook.read_text()


def test_an_unused_import_in_a_function_goes_though_another_function_reads_the_name(tmp_path: Path) -> None:
    # the sixteenth set's train_transformer.py: `Dataset` is another library's in the other function
    source = ("def load(local):\n"
              "    if not local:\n"
              "        from azureml.core import Workspace\n"
              "        print('remote')\n"
              "\n"
              "\n"
              "def other():\n"
              "    from collections import OrderedDict as Workspace\n"
              "    return Workspace()\n"
              "\n"
              "\n"
              "load(False)\n")
    root = _project(tmp_path, source)
    _fix(root)
    assert (root / "job.py").read_text() == source.replace("        from azureml.core import Workspace\n", "")
    assert _runs(root) == "remote\n"


# set 25's probes: a variable assigned the v1 version, then rebound in a branch, a loop or a handler
VERSION_COPIES = (
    "from azure.ai.ml import MLClient\n"
    "import azureml.core\n"
    "\n"
    "pin = azureml.core.VERSION\n"
    "if pin:\n"
    "    pin = 'azureml-core==' + pin\n"
    "last = azureml.core.VERSION\n"
    "for last in ['a', 'b']:\n"
    "    pass\n"
    "copy = azureml.core.VERSION\n"
    "again = copy\n"
    "print(pin, last, again, MLClient.__name__)\n"
)


def test_a_variable_assigned_the_version_is_read_as_it_is_then(tmp_path: Path) -> None:
    """Only the assignments change: the reads see what each variable holds when they run."""
    from importlib.metadata import version

    root = _project(tmp_path, VERSION_COPIES)
    assert _runs(root) == "azureml-core==1.60.0 b 1.60.0 MLClient\n"
    result = _fix(root, "--unsafe-fixes")
    after = (root / "job.py").read_text()
    assert after.count('version("azure-ai-ml")') == 3, after
    assert "job.py:12:18: AML081 fixed: rewritten with the AML081 fix on line 10" in result.stdout, result.stdout
    assert "AML081 left" not in result.stdout
    v2 = version("azure-ai-ml")
    assert _runs(root) == f"azureml-core=={v2} b {v2} MLClient\n"
    assert _fix(root, "--unsafe-fixes").returncode == 0 and (root / "job.py").read_text() == after


@pytest.mark.parametrize(("use", "shown"), [
    ('assert (\n    azureml.core.VERSION >= "1.35"\n), "upgrade the SDK"\n', 'azureml.core.VERSION >= "1.35"'),
    ("major = azureml.core.VERSION[:4]\n", "azureml.core.VERSION[:4]"),
    ("pin = azureml.core.VERSION\nif pin.startswith('1.'):\n    print('one')\n", "pin.startswith('1.')"),
    ("def sdk():\n    return azureml.core.VERSION\nprint(sdk())\n", "return azureml.core.VERSION"),
    ("ok = Version(azureml.core.VERSION)\n", "Version(azureml.core.VERSION)"),
    # review 88, second round: unpacked, stored in a table read back, on an object, written into a pin
    ("sdk, py = azureml.core.VERSION, 3\nif sdk < '1.50':\n    print('old')\n", "sdk, py = azureml.core.VERSION, 3"),
    ("env = {}\nenv['sdk'] = azureml.core.VERSION\nif env['sdk'] < '1.50':\n    print('old')\n", "env['sdk']"),
    ("class Info:\n    pass\ninfo = Info()\ninfo.sdk = azureml.core.VERSION\n", "info.sdk = azureml.core.VERSION"),
    ("with open('req.txt', 'w') as f:\n    f.write('azureml-core=={}'.format(azureml.core.VERSION))\n",
     "f.write('azureml-core=={}'.format(azureml.core.VERSION))"),
    ("with open('req.txt', 'w') as f:\n    print('azureml-core==' + azureml.core.VERSION, file=f)\n",
     "print('azureml-core==' + azureml.core.VERSION, file=f)"),
    ("a = b = azureml.core.VERSION\nprint(a)\nif b < '1.40':\n    print('old')\n", "b < '1.40'"),
    # third round: a table that is a parameter, and a table or frame printed into a file
    ("def collect(info):\n    info['sdk'] = azureml.core.VERSION\nmeta = {}\ncollect(meta)\n", "info['sdk']"),
    ("output = {}\noutput['sdk'] = azureml.core.VERSION\nwith open('env.txt', 'w') as f:\n    print(output, file=f)\n",
     "print(output, file=f)"),
    # nodes with no place of their own: a comprehension, a default value
    ("digits = [c for c in azureml.core.VERSION if c.isdigit()]\n", "[c for c in azureml.core.VERSION if c.isdigit()]"),
    ("def check(pin=azureml.core.VERSION):\n    return pin\n", "def check(pin=azureml.core.VERSION):"),
])
def test_the_version_used_for_more_than_showing_it_stays_v1(tmp_path: Path, use: str, shown: str) -> None:
    """azure-ai-ml's version numbers are not azureml-core's: a check of the version (review 88: four AutoML
    notebooks asserted ``VERSION >= "1.35"``, which failed for azure-ai-ml 1.10 to 1.34) is left as it is,
    while the printed one beside it is migrated."""
    source = ("from azure.ai.ml import MLClient\nimport azureml.core\nVersion = str\n\n"
              "print('SDK', azureml.core.VERSION, MLClient.__name__)\n" + use)
    root = _project(tmp_path, source)
    before = _runs(root)
    result = _fix(root, "--unsafe-fixes")
    after = (root / "job.py").read_text()
    assert after.count('version("azure-ai-ml")') == 1, after  # the print
    assert after.endswith(use), after
    assert "uses the version for more than showing it, and azure-ai-ml's version numbers are not " \
           "azureml-core's: migrate that use by hand" in result.stdout, result.stdout
    assert f"(`{shown[:30]}" in result.stdout, result.stdout  # (a long one is cut short)
    from importlib.metadata import version

    assert _runs(root).replace(version("azure-ai-ml"), "1.60.0") == before
    assert _fix(root, "--unsafe-fixes").returncode == 1 and (root / "job.py").read_text() == after


SHOWN = (
    "from azure.ai.ml import MLClient\nimport azureml.core\nimport pandas as pd\n\n"
    "a = b = azureml.core.VERSION\nprint(a, b)\nc: str = azureml.core.VERSION\nprint(c)\n"
    "print(f\"SDK {azureml.core.VERSION}\")\n"
    "print('SDK {}'.format(azureml.core.VERSION), MLClient.__name__)\n"
    "output = {}\noutput['SDK Version'] = azureml.core.VERSION\noutput['Name'] = 'ws'\n"
    "frame = pd.DataFrame(data=output, index=[''])\nframe.T\n"
)


def test_the_version_only_shown_is_migrated_however_it_is_shown(tmp_path: Path) -> None:
    """Printed through two names at once, in an f-string (the package's name takes the quote the string
    does not use), formatted, and gathered in the table the AutoML notebooks display."""
    pytest.importorskip("pandas")
    root = _project(tmp_path, SHOWN)
    result = _fix(root, "--unsafe-fixes")
    after = (root / "job.py").read_text()
    assert "AML081 left" not in result.stdout, result.stdout
    assert "print(f\"SDK {version('azure-ai-ml')}\")" in after, after
    assert "c: str = version(\"azure-ai-ml\")" in after, after
    assert "output['SDK Version'] = version(\"azure-ai-ml\")" in after and 'a = b = version("azure-ai-ml")' in after
    _runs(root)
    assert _fix(root, "--unsafe-fixes").returncode == 0 and (root / "job.py").read_text() == after


def test_each_import_a_star_import_holds_names_its_own_names(tmp_path: Path) -> None:
    """Audit y: another module's ``from train import *`` holds every import of train.py, and each
    line's message named the same (alphabetically first) name, not the one that line imports."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "infer.py").write_text("from train import *\nprint(os.getcwd())\n")
    imports = ("from azureml.core import Workspace\nfrom azureml.core.authentication import ServicePrincipalAuthentication\n"
               "from azureml.core.authentication import AzureCliAuthentication as Cli\n")
    (root / "train.py").write_text(imports + "import os\n")
    result = run([*AZ, "fix", "train.py"], cwd=root)
    assert (root / "train.py").read_text() == imports + "import os\n"
    for line, name in ((1, "Workspace"), (2, "ServicePrincipalAuthentication"), (3, "Cli")):
        assert (f"train.py:{line}:1: AML099 left: the unused import is not removed: `{name}` must stay defined: "
                "another module of the project imports it") in result.stdout, result.stdout


@pytest.mark.parametrize(("program", "reported", "goes"), [
    ("import azureml\nprint('hello')\n", False, False),  # read by nothing: not reported, and left alone
    ("import azureml\nprint(azureml.core.VERSION)\n", True, False),  # read through for v1: reported, still read
    ("import azureml\nimport azureml.mlflow\nprint(azureml.mlflow)\n", False, False),  # a v2-era package
])
def test_a_bare_import_of_the_namespace_kept_for_v1_is_reported(tmp_path: Path, program: str, reported: bool,
                                                                goes: bool) -> None:
    """Audit 2d: once a setup script's v1 reads were migrated, its ``import azureml`` stayed, unreported,
    and failed where no azureml package is installed."""
    root = _project(tmp_path, program)
    found = run([*AZ, "check", "job.py"], cwd=root).stdout
    assert ("job.py:1:1: AML099 import of azureml (Azure ML SDK v1)" in found) is reported, found
    _fix(root)
    assert (root / "job.py").read_text().startswith("import azureml\n") is not goes


@pytest.mark.parametrize("first", ["import azureml\n", "import azureml, os\n"])  # review: beside another module
def test_a_bare_import_goes_with_the_v1_read_it_served(tmp_path: Path, first: str) -> None:
    root = _project(tmp_path, first + "from azureml.core import Workspace\n"
                              "print('SDK version:', azureml.core.VERSION)\nws = Workspace.from_config()\n")
    _fix(root, "--unsafe-fixes")
    after = (root / "job.py").read_text()
    assert "azureml" not in after.replace("TODO(azureml-v2)", "").replace("azureml-core", ""), after


def test_an_unreported_bare_import_stays_while_the_rest_of_the_file_is_fixed(tmp_path: Path) -> None:
    # the look-alike (audit 2e, seen on the second round): nothing read the namespace, so no finding
    # named it, and the clean-up that ran for the file's other imports took it too
    root = _project(tmp_path, "import azureml\nfrom azureml.core import Workspace\nws = Workspace.from_config()\n"
                              "print(ws.name)\n")
    _fix(root, "--unsafe-fixes")
    assert (root / "job.py").read_text().startswith("import azureml\n")
