"""Do no harm (issue 10): one test per case of ../shared/repro/do-no-harm/, each asserting the right behaviour.

Each test writes its own minimal program of the same shape as the reproducer and
runs the real command line in a folder with a project marker.  "Right" means:
no traceback, exit codes as documented (2 for a file that could not be fixed, and
the run goes on), the fixed code has no undefined name, unbound local or
redefinition that the original did not have (pyflakes, in-process), comments and
line endings are kept, a file the tool refuses is left byte for byte, and nothing
outside the tree or written by someone else meanwhile is lost.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest

from .conftest import run
from .support.harm import new_problems, parses

AZ = [sys.executable, "-m", "flake8_azureml_v2"]


def _project(root: Path, files: dict[str, str | bytes]) -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
    return root


def _az(root: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    result = run([*AZ, *args], cwd=root, input=input)
    output = result.stderr + result.stdout
    assert "Traceback" not in output, "crashed: " + output.strip().splitlines()[-1]
    return result


def _fixed(root: Path, name: str, *args: str) -> tuple[str, str, subprocess.CompletedProcess[str]]:
    """(before, after, result) of `azureml-v2 fix [args] name`."""
    path = root / name
    before = path.read_bytes().decode("utf-8")
    result = _az(root, "fix", *args, name)
    return before, path.read_bytes().decode("utf-8"), result


def _assert_no_new_problems(before: str, after: str) -> None:
    assert parses(after), after
    problems = new_problems(before, after)
    assert not problems, f"the fix added {dict(problems)}:\n{after}"


def _module_binds(text: str, name: str) -> bool:
    """Whether ``name`` is bound at module level (assigned, imported or defined)."""
    for node in ast.parse(text).body:
        targets: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names):
                return True
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t)):
            return True
    return False


def _notebook(*cells: str) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": cell.splitlines(keepends=True)} for cell in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }, indent=1) + "\n"


def _cells(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


# --- safe fixes: an import is removable only when nothing uses it ---------------------------


BOUND_TWICE = {
    # duplicate_import_removed.py: the same import twice, the name used below
    "duplicate": ("from azureml.core import Dataset\n"
                  "from azureml.core import Dataset\n"
                  "data = Dataset.get_by_name(workspace, 'x')\n", "data = Dataset.get_by_name(workspace, 'x')"),
    # try_except_import.py: the name comes from one of two imports, whichever works
    "try-except": ("try:\n"
                   "    from azureml.core import Experiment\n"
                   "except ImportError:\n"
                   "    from azureml.core.experiment import Experiment\n"
                   "experiment = Experiment(workspace, 'day1')\n", "experiment = Experiment(workspace, 'day1')"),
    # dup_reimport.py: used after the first import, re-imported (unused) later
    "reimport": ("from azureml.core import Environment\n"
                 "env = Environment.get(workspace, 'sklearn')\n"
                 "from azureml.core import Environment, Model\n"
                 "print('done')\n", "env = Environment.get(workspace, 'sklearn')"),
}


@pytest.mark.parametrize("case", sorted(BOUND_TWICE))
def test_a_name_bound_twice_stays_defined_where_it_is_used(tmp_path: Path, case: str) -> None:
    source, use = BOUND_TWICE[case]
    root = _project(tmp_path, {"job.py": source})
    before, after, result = _fixed(root, "job.py")
    assert result.returncode in (0, 1), result.stderr
    _assert_no_new_problems(before, after)
    assert use in after


def test_import_used_only_in_a_time_cell_is_kept_and_the_cell_is_checked(tmp_path: Path) -> None:
    """cellmagic_time.ipynb: %%time and %%capture cells hold Python."""
    root = _project(tmp_path, {"explore.ipynb": _notebook(
        "from azureml.core import Dataset\n",
        "%%time\ntable = Dataset.get_by_name(workspace, 'sales')\n")})
    assert _az(root, "fix", "explore.ipynb").returncode in (0, 1)
    assert _cells(root / "explore.ipynb")[0] == "from azureml.core import Dataset\n"
    checked = _az(root, "check", "explore.ipynb")
    assert "explore.ipynb:cell 2:" in checked.stdout  # Dataset.get_by_name in the %%time cell


# --- crash containment ----------------------------------------------------------------------


def test_a_used_name_imported_with_others_does_not_crash_the_run(tmp_path: Path) -> None:
    """editconflict.py: two unused names and one used one in the same import."""
    root = _project(tmp_path, {
        "a_conflict.py": "from azureml.core import Workspace, Experiment, Run\nprint(Workspace)\n",
        "b_later.py": "from azureml.core import Experiment\nprint(1)\n",
    })
    before = (root / "a_conflict.py").read_text()
    result = _az(root, "fix", ".")
    assert result.returncode in (0, 1, 2)
    after = (root / "a_conflict.py").read_text()
    _assert_no_new_problems(before, after)
    assert "Workspace" in after
    assert "azureml" not in (root / "b_later.py").read_text()  # the run went on to the next file


def test_a_used_name_imported_with_others_on_stdin_prints_the_code(tmp_path: Path) -> None:
    """editconflict.py in stdin mode: the output is always the (fixed or original) code, never nothing."""
    root = _project(tmp_path, {})
    source = "from azureml.core import Workspace, Experiment, Run\nprint(Workspace)\n"
    result = _az(root, "fix", "-", "--stdin-filename", "conflict.py", input=source)
    assert result.stdout, result.stderr
    _assert_no_new_problems(source, result.stdout)


def test_run_config_target_assignment_does_not_crash(tmp_path: Path) -> None:
    """editconflict_runconfig.py: `src.run_config.target = cluster` after a ScriptRunConfig."""
    source = (
        "from azureml.core import ScriptRunConfig, RunConfiguration, Experiment\n"
        "\n"
        "config = ScriptRunConfig(source_directory='src', script='score.py')\n"
        "config.run_config.target = gpu_cluster\n")
    root = _project(tmp_path, {"submit.py": source})
    diff = _az(root, "fix", "--unsafe-fixes", "--diff", "submit.py")
    assert diff.returncode in (0, 1), diff.stderr
    before, after, result = _fixed(root, "submit.py", "--unsafe-fixes")
    assert result.returncode in (0, 1), result.stderr
    _assert_no_new_problems(before, after)


def test_a_500_term_expression_is_checked_and_fixed_without_recursion_error(tmp_path: Path) -> None:
    """recursion_binop_500.py: a long `+` chain in a training script."""
    chain = " + ".join(f"'part{i}'" for i in range(500))
    source = f"from azureml.core import Run\nrun = Run.get_context()\nquery = {chain}\nrun.log('rows', 3)\n"
    root = _project(tmp_path, {"train.py": source})
    checked = _az(root, "check", "train.py")
    assert checked.returncode == 1 and "AML011" in checked.stdout, checked.stderr
    flake8 = run([sys.executable, "-m", "flake8", "--select", "AML", "train.py"], cwd=root)
    assert "Traceback" not in flake8.stderr and '"AML" failed' not in flake8.stdout + flake8.stderr
    # flake8's own pyflakes plugin hits the recursion limit on this file; ours does not
    assert all("pyflakes" in line for line in (flake8.stdout + flake8.stderr).splitlines() if "RecursionError" in line)
    assert "AML011" in flake8.stdout
    before, after, result = _fixed(root, "train.py", "--unsafe-fixes")
    assert result.returncode in (0, 1), result.stderr
    _assert_no_new_problems(before, after)


CR_ONLY = {
    # cr_only_crash.py: old-Mac line endings, the v1 code between other statements
    "between": ("a = 1\rfrom azureml.core import Workspace\rws = Workspace.from_config()\rb = 2\r",
                ("a = 1\r", "from_config(", "b = 2\r")),
    # cr_only_code_loss.py: nothing but the v1 code
    "only-v1": ("from azureml.core import Workspace\rws = Workspace.from_config()\rprint(ws.name)\r",
                ("from_config(", "print(")),
}


@pytest.mark.parametrize("case", sorted(CR_ONLY))
def test_a_cr_only_file_is_fixed_whole_or_left_alone(tmp_path: Path, case: str) -> None:
    source, kept = CR_ONLY[case]
    root = _project(tmp_path, {"mac.py": source})
    result = _az(root, "fix", "--unsafe-fixes", "mac.py")
    after = (root / "mac.py").read_bytes().decode()
    if result.returncode == 2:
        assert after == source  # refused: left byte for byte
        return
    assert "\n" not in after, repr(after)  # CR stays CR
    assert all(text in after for text in kept), repr(after)  # no statement lost
    _assert_no_new_problems(source, after)


# --- fixes that would change behaviour ------------------------------------------------------


def test_a_string_metric_is_not_logged_as_a_number(tmp_path: Path) -> None:
    """string_metric.py: an argparse `str` value; mlflow.log_metric would raise at run time."""
    root = _project(tmp_path, {"train.py": (
        "import argparse\n"
        "\n"
        "from azureml.core import Run\n"
        "\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.add_argument('--kernel', type=str, default='rbf')\n"
        "parser.add_argument('--gamma', type=float, default=0.1)\n"
        "args = parser.parse_args()\n"
        "\n"
        "run = Run.get_context()\n"
        "run.log('kernel', args.kernel)\n"
        "run.log('gamma', args.gamma)\n")})
    before, after, result = _fixed(root, "train.py", "--unsafe-fixes")
    assert result.returncode in (0, 1), result.stderr
    _assert_no_new_problems(before, after)
    calls = [ast.unparse(n) for n in ast.walk(ast.parse(after)) if isinstance(n, ast.Call)]
    assert not any(c.startswith("mlflow.log_metric(") and "args.kernel" in c for c in calls), after


def test_a_module_level_run_configuration_other_files_import_survives(tmp_path: Path) -> None:
    """runconfig_module_emptied/: the module that builds `rc` must still define it."""
    root = _project(tmp_path, {
        "settings.py": (
            "from azureml.core import Environment\n"
            "from azureml.core.runconfig import RunConfiguration\n"
            "run_config = RunConfiguration()\n"
            "run_config.environment = Environment.from_conda_specification('train-env', 'conda.yml')\n"),
        "pipeline.py": (
            "from settings import run_config\n"
            "from azureml.pipeline.steps import PythonScriptStep\n"
            "prep = PythonScriptStep(script_name='prep.py', source_directory='.', compute_target='cpu',\n"
            "                        runconfig=run_config)\n"),
    })
    assert _az(root, "fix", "--unsafe-fixes", ".").returncode in (0, 1)
    settings = (root / "settings.py").read_text()
    assert settings.strip(), "settings.py was emptied"
    assert _module_binds(settings, "run_config"), settings
    pipeline = (root / "pipeline.py").read_text()
    if "from settings import run_config" not in pipeline:  # a consistent rewrite may drop the import
        assert "run_config" not in pipeline.split("\n", 1)[1], pipeline


def test_a_module_level_workspace_other_files_import_keeps_its_name(tmp_path: Path) -> None:
    """module_level_ws_renamed/: `from workspace_setup import ws` elsewhere must keep working."""
    root = _project(tmp_path, {
        "workspace_setup.py": "from azureml.core import Workspace\nws = Workspace.from_config()\n",
        "report.py": "from workspace_setup import ws\nprint(ws.name)\n",
    })
    assert _az(root, "fix", "--unsafe-fixes", "workspace_setup.py").returncode in (0, 1)
    assert _module_binds((root / "workspace_setup.py").read_text(), "ws"), (root / "workspace_setup.py").read_text()
    assert (root / "report.py").read_text() == "from workspace_setup import ws\nprint(ws.name)\n"


HALF_MIGRATED = {
    # half_migrated_inferenceconfig.py: the environment built inline in the v1 call
    "InferenceConfig": (
        "from azureml.core import Environment\n"
        "from azureml.core.model import InferenceConfig\n"
        "config = InferenceConfig(entry_script='score.py',\n"
        "                         environment=Environment.from_conda_specification('score-env', 'score.yml'))\n"),
    # half_migrated_runconfig.py: set on a RunConfiguration built in a function, then used as v1
    "RunConfiguration": (
        "from azureml.core import Environment\n"
        "from azureml.core.runconfig import RunConfiguration\n"
        "\n"
        "def build():\n"
        "    config = RunConfiguration()\n"
        "    config.environment = Environment.from_conda_specification('train', 'train.yml')\n"
        "    config.environment.python.user_managed_dependencies = False\n"
        "    return config\n"),
}


@pytest.mark.parametrize("consumer", sorted(HALF_MIGRATED))
def test_a_v1_consumer_does_not_get_a_v2_environment(tmp_path: Path, consumer: str) -> None:
    """While the v1 ``consumer`` stays, the Environment it is given must stay v1 too."""
    root = _project(tmp_path, {"config.py": HALF_MIGRATED[consumer]})
    before, after, result = _fixed(root, "config.py", "--unsafe-fixes")
    assert result.returncode in (0, 1), result.stderr
    v2_environment = "azure.ai.ml" in after and "Environment(" in after and "from_conda_specification" not in after
    assert not (f"{consumer}(" in after and v2_environment), after
    _assert_no_new_problems(before, after)


# --- notebooks: %%writefile that is not Python ------------------------------------------------


def test_a_writefile_yaml_cell_is_not_parsed_as_python(tmp_path: Path) -> None:
    """writefile_yaml.ipynb: a conda file written from a notebook is not an error."""
    root = _project(tmp_path, {"setup.ipynb": _notebook(
        "from azureml.core import Workspace\nws = Workspace.from_config()\n",
        "%%writefile conda.yml\nname: train\ndependencies:\n  - python=3.11\n  - pip:\n      - numpy\n")})
    checked = _az(root, "check", "setup.ipynb")
    assert checked.returncode == 1 and "error" not in checked.stderr, checked.stderr
    assert _az(root, "check", "--exit-zero", "setup.ipynb").returncode == 0
    fixed = _az(root, "fix", "--exit-zero", "setup.ipynb")
    assert fixed.returncode == 0 and "error" not in fixed.stderr, fixed.stderr
    assert _cells(root / "setup.ipynb")[1].startswith("%%writefile conda.yml\nname: train\n")


# --- files and filesystems ------------------------------------------------------------------


def test_fix_does_not_write_through_a_symlink_out_of_the_tree(tmp_path: Path) -> None:
    """symlink_outside.sh"""
    outside = tmp_path / "elsewhere" / "shared_setup.py"
    outside.parent.mkdir()
    original = "from azureml.core import Workspace, Experiment\nws = Workspace.from_config()\n"
    outside.write_text(original)
    tree = _project(tmp_path / "tree", {})
    (tree / "linked.py").symlink_to(outside)
    (tree / "sub").mkdir()
    (tree / "sub" / "up").symlink_to(outside.parent, target_is_directory=True)
    _az(tree, "fix", "--unsafe-fixes", ".")
    assert outside.read_text() == original


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_elsewhere_in_the_project_does_not_hang_check(tmp_path: Path) -> None:
    """fifo_hang.sh: the project index must skip anything that is not a regular file."""
    root = _project(tmp_path, {"a.py": "from azureml.core import Workspace, Experiment\nws = Workspace.from_config()\n"})
    (root / "other").mkdir()
    os.mkfifo(root / "other" / "pipe.py")
    for extra in ([], ["--exclude", "other"]):
        try:
            result = subprocess.run([*AZ, "check", *extra, "a.py"], cwd=root, capture_output=True, text=True,
                                    timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail(f"check {' '.join(extra)} a.py hung on a FIFO")
        assert result.returncode == 1 and "AML020" in result.stdout, result.stderr


def test_text_appended_while_fix_runs_is_not_lost(tmp_path: Path) -> None:
    """race_lost_update.sh: the file changes between read and replace; the change must survive."""
    lines = ["from azureml.core import Workspace, Experiment"]
    lines += [f"client{i} = Workspace.from_config()" for i in range(1500)]
    root = _project(tmp_path, {"big.py": "\n".join(lines) + "\n"})
    with open(tmp_path / "fix.out", "wb") as out, open(tmp_path / "fix.err", "wb") as err:
        process = subprocess.Popen([*AZ, "fix", "--unsafe-fixes", "big.py"], cwd=root, stdout=out, stderr=err)
        appended = 0
        while process.poll() is None:  # from the start; the lines that land while fix works test the race
            appended += 1
            with open(root / "big.py", "a") as stream:
                stream.write(f"# appended {appended}\n")
            time.sleep(0.02)
    stderr = (tmp_path / "fix.err").read_text()
    assert "Traceback" not in stderr, stderr[-3000:]
    text = (root / "big.py").read_text()
    kept = sum(f"# appended {n}\n" in text for n in range(1, appended + 1))
    assert kept == appended, f"{appended - kept} of {appended} appended lines lost (exit {process.returncode})"


# --- reports --------------------------------------------------------------------------------


def test_reports_on_odd_file_names(tmp_path: Path) -> None:
    """output_escaping.sh: JUnit stays XML, SARIF and --output-file survive a non-UTF-8 name."""
    root = _project(tmp_path, {})
    v1 = b"from azureml.core import Workspace\nws = Workspace.from_config()\n"
    for name in (b"esc\x1b[1m.py", b"latin\xe9.py"):
        with open(os.path.join(os.fsencode(root), name), "wb") as stream:
            stream.write(v1)
    junit = _az(root, "check", "--output-format", "junit", ".")
    ElementTree.fromstring(junit.stdout.encode("utf-8"))
    sarif = _az(root, "check", "--output-format", "sarif", ".")
    assert len(json.loads(sarif.stdout)["runs"][0]["results"]) == 4
    written = _az(root, "check", "--output-file", "report.txt", ".")
    assert written.returncode == 1
    assert len((root / "report.txt").read_text(encoding="utf-8").splitlines()) == 4


def test_a_baseline_with_a_missing_key_is_one_error_line(tmp_path: Path) -> None:
    """baseline_missing_key.json"""
    root = _project(tmp_path, {
        "a.py": "from azureml.core import Workspace\nws = Workspace.from_config()\n",
        "accepted.json": '{"azureml-v2-baseline": 1, "findings": [{"path": "a.py", "code": "AML020"}]}',
    })
    result = _az(root, "check", "--baseline", "accepted.json", "a.py")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("azureml-v2: error: ")


def test_imports_kept_on_purpose_stay_in_the_default_fix(tmp_path: Path) -> None:
    """Unused by name but not without purpose: an import in a try that catches ImportError tests that
    the package is installed (removing it would set ON_AML = True everywhere), and `# noqa: F401`
    marks a re-export or a side effect.  Both stay, and say why; a plain unused import goes."""
    program = ("try:\n    import azureml.core\n    ON_AML = True\nexcept ImportError:\n    ON_AML = False\n"
               "try:\n    from azureml.pipeline.core import StepRun\nexcept (ModuleNotFoundError, OSError):\n"
               "    print('install azureml-pipeline-core')\n"
               "from azureml.core import Run  # noqa: F401 -- re-exported\n"
               "from azureml.core import Datastore\n\nprint(ON_AML)\n")
    root = _project(tmp_path, {"job.py": program})
    before, after, result = _fixed(root, "job.py")
    assert after == program.replace("from azureml.core import Datastore\n", "")
    report = result.stdout + result.stderr
    assert "job.py:2:5: AML099 left: it tests that the package is installed (the `try` at line 1 catches" in report
    assert "job.py:7:5: AML099 left: it tests that the package is installed (the `try` at line 6 catches" in report
    assert "job.py:10:1: AML099 left: its `# noqa: F401` says it is imported on purpose" in report, report
    _assert_no_new_problems(before, after)


@pytest.mark.parametrize("reader", [
    "print(eval('Workspace'))\n",  # a name read from a string
    "exec(open('helper.py').read())\n",  # a file run in this module's namespace
    "print(globals()['Workspace'])\n",
    "print('{Workspace}'.format(**vars()))\n",
    'def name():\n    """The class\'s name.\n\n    >>> Workspace.__name__\n    \'Workspace\'\n    """\n',  # a doctest
    "evaluate = eval\nprint(evaluate('Workspace'))\n",  # eval under another name
    "import builtins\nprint(builtins.eval('Workspace'))\n",
    "import sys\nprint(getattr(sys.modules[__name__], 'Workspace'))\n",
    "import inspect\nprint(inspect.currentframe().f_globals['Workspace'])\n",
    "print(__import__('__main__').Workspace)\n",
    "from builtins import eval as evaluate\nprint(evaluate('Workspace'))\n",
    "import builtins as b\nprint(b.eval('Workspace'))\n",
    "import sys\nprint(sys._getframe().f_locals['Workspace'])\n",
    "from sys import modules\nprint(getattr(modules[__name__], 'Workspace'))\n",
    "import os, sys as _sys\nprint(getattr(_sys.modules[__name__], 'Workspace'))\n",  # an alias in a longer import
])
def test_an_import_read_where_pyflakes_does_not_look_stays_in_the_default_fix(tmp_path: Path, reader: str) -> None:
    """eval, exec, globals(), locals() and vars() may read any name of the module from a string, and a
    doctest runs in its namespace: an import they may read stays (audit 58x: NameError, KeyError or a
    failing doctest after the default fix).  The same program without them loses the import."""
    program = "from azureml.core import Workspace\n" + reader
    root = _project(tmp_path, {"job.py": program, "plain.py": "from azureml.core import Workspace\nprint(1)\n"})
    _, after, result = _fixed(root, "job.py")
    assert after == program, result.stdout + result.stderr
    assert "job.py:1:1: AML099 left: the unused import is not removed: `Workspace` must stay defined" in result.stdout
    _, plain, _ = _fixed(root, "plain.py")
    assert plain == "print(1)\n"


@pytest.mark.parametrize(("program", "why"), [
    ("class Config:\n    from azureml.core import Workspace\n\n\nprint(Config.Workspace)\n",
     "job.py:2:5: AML099 left: it makes an attribute of the class"),
    ("class Config:\n    if True:\n        from azureml.core import Workspace\n\n\nprint(Config.Workspace)\n",
     "job.py:3:9: AML099 left: it makes an attribute of the class"),
    ("def describe():\n    from azureml.core import Workspace\n    return locals()\n\n\nprint(describe())\n",
     "job.py:2:5: AML099 left: its function reads its own names with locals() or vars()"),
])
def test_an_import_an_attribute_or_locals_reads_stays(tmp_path: Path, program: str, why: str) -> None:
    """``class Config: from azureml.core import Workspace`` makes ``Config.Workspace``, which code
    anywhere may read, inside an ``if`` too; a function's ``locals()`` reads its imports (audits
    58x and 58b: the body became ``pass`` and the read an AttributeError)."""
    root = _project(tmp_path, {"job.py": program})
    _, after, result = _fixed(root, "job.py")
    assert after == program
    assert why in result.stdout, result.stdout


@pytest.mark.parametrize("reader", ["print(vars(args))\n", "def f(a):\n    return locals()\n\n\nprint(f(1))\n",
                                    "import torch\nprint(list(torch.nn.Linear(1, 1).modules()))\n",
                                    "import pandas as pd\nprint(pd.DataFrame({'a': [1]}).eval('a + 1'))\n"])
def test_vars_of_an_object_or_a_functions_locals_read_no_module_name(tmp_path: Path, reader: str) -> None:
    """``vars(args)`` is the object's attributes, a function's ``locals()`` its own names, a module's
    ``.modules()`` or a frame's ``.eval()`` their own: the script's migration goes ahead (audit 58b:
    stop 50's first version refused it all)."""
    program = ("import argparse\nfrom azureml.core import Run\nargs = argparse.ArgumentParser().parse_args()\n"
               "run = Run.get_context()\nrun.log('accuracy', 0.9)\n" + reader)
    root = _project(tmp_path, {"train.py": program})
    result = subprocess.run([sys.executable, "-m", "flake8_azureml_v2", "fix", "--unsafe-fixes", "train.py"],
                            cwd=root, capture_output=True, text=True)
    after = (root / "train.py").read_text()
    assert "mlflow.log_metric('accuracy', 0.9)" in after and "Run" not in after, result.stdout


def test_a_file_that_began_with_code_still_does_and_names_its_lines_so(tmp_path: Path) -> None:
    """Removing a file's opening import takes the blank lines after it too; the findings left, and
    the lines their reasons name, are those of the fixed file (and, with --diff, of the file as read)."""
    source = ("from azureml.core import Dataset\n\nfrom azureml.core import Workspace\n"
              "ws = Workspace.from_config()\nprint(ws.get_details())\n")
    root = _project(tmp_path, {"a.py": source})
    diff = _az(root, "fix", "--diff", "a.py")
    assert "a.py:4:6: AML020 left" in diff.stderr and "still used at line 4" in diff.stderr, diff.stderr
    assert diff.stdout.startswith("--- a/a.py") and "-\n from azureml.core import Workspace" in diff.stdout
    _, after, result = _fixed(root, "a.py")
    assert after == source.split("\n\n", 1)[1], after
    assert "a.py:2:6: AML020 left" in result.stdout and "still used at line 2" in result.stdout, result.stdout
    _, again, _ = _fixed(root, "a.py")
    assert again == after


def test_a_comment_is_not_brought_up_to_where_python_reads_an_encoding(tmp_path: Path) -> None:
    """PEP 263: a coding comment on line 1 or 2 sets the file's encoding.  Removing the import above
    one would move it there, so the import stays, and the reason says why; the same removal
    without such a comment goes ahead (and leaves no blank first line)."""
    source = "from azureml.core import Workspace\n\n# -*- coding: latin-1 -*-\nprint('caf\u00e9')\n"
    root = _project(tmp_path, {"a.py": source, "b.py": source.replace("coding", "note")})
    before = (root / "a.py").read_bytes()
    result = _az(root, "fix", "a.py", "b.py")
    assert (root / "a.py").read_bytes() == before
    assert "a.py:1:1: AML099 left: the unused import is not removed: it would change the encoding" in result.stdout
    assert (root / "b.py").read_text(encoding="utf-8") == "# -*- note: latin-1 -*-\nprint('caf\u00e9')\n"
    # two blank lines below the import: removing it leaves the comment on line 3, where Python does not
    # read it, and the blank lines stay, since without them it would be line 1
    lower = source.replace("\n\n", "\n\n\n", 1)
    (root / "c.py").write_text(lower, encoding="utf-8")
    _az(root, "fix", "c.py")
    assert (root / "c.py").read_text(encoding="utf-8") == lower.split("\n", 1)[1]
