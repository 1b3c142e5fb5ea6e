"""A notebook as the entry script: v1 ran ``*.ipynb`` through azureml-contrib-notebook's runner.

A v2 command is a command line, so ``python train.ipynb`` would hand python a JSON
file: the job would be created and then fail.  The reference gives no v2 form for the
runner, so the fix leaves such a construct with the reason (and the same program with a
``.py`` script still migrates).  The shape comes from MachineLearningNotebooks'
how-to-use-estimator notebook, which runs ``notebook_example.ipynb`` this way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .migrate_helpers import execute, fix, project, submitted

SCRIPT_RUN = """\
from azureml.core import Experiment, ScriptRunConfig, Workspace
ws = Workspace.from_config()
src = ScriptRunConfig(source_directory="./src", script="{script}", compute_target="cpu-cluster")
run = Experiment(ws, "entry").submit(src)
"""

ESTIMATOR = """\
from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator
ws = Workspace.from_config()
est = Estimator(source_directory="./src", compute_target="cpu-cluster", entry_script="{script}",
                pip_packages=["nteract-scrapbook", "azureml-contrib-notebook"])
run = Experiment(ws, "entry").submit(est)
"""

STEP = """\
from azureml.core import Experiment, Workspace
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep
ws = Workspace.from_config()
step = PythonScriptStep(name="train", source_directory="./src", script_name="{script}", compute_target="cpu-cluster")
pipeline = Pipeline(workspace=ws, steps=[step])
run = Experiment(ws, "entry").submit(pipeline)
"""

CASES = [
    pytest.param(SCRIPT_RUN, "AML002", "script", id="ScriptRunConfig"),
    pytest.param(ESTIMATOR, "AML009", "entry_script", id="Estimator"),
    pytest.param(STEP, "AML003", "script_name", id="PythonScriptStep"),
]


@pytest.mark.parametrize(("program", "code", "parameter"), CASES)
def test_a_notebook_entry_script_is_left_with_the_reason(tmp_path: Path, program: str, code: str,
                                                         parameter: str) -> None:
    script = project(tmp_path, program.format(script="train.ipynb"))
    report = fix(script)
    reason = (f"{code} left: {parameter}= names the notebook 'train.ipynb', which v1 ran with "
              "azureml-contrib-notebook's runner, not with python")
    lines = [line for line in report.splitlines() if reason in line]
    assert len(lines) == 1, report
    assert lines[0].endswith("[not yet supported]"), lines[0]
    assert "python train.ipynb" not in script.read_text()
    assert f"{code} fixed" not in report
    after = script.read_bytes()
    fix(script)
    assert script.read_bytes() == after


@pytest.mark.parametrize(("program", "code", "parameter"), CASES)
def test_the_same_program_with_a_python_script_migrates(tmp_path: Path, program: str, code: str,
                                                        parameter: str) -> None:
    script = project(tmp_path, program.format(script="train.py"))
    report = fix(script)
    assert f"{code} fixed" in report, report
    assert "names the notebook" not in report
    migrated = script.read_text()
    assert "python train.py" in migrated
    jobs = submitted(execute(script))
    assert len(jobs) == 1


@pytest.mark.parametrize(("script", "left"), [
    pytest.param("Train.IPYNB", True, id="upper-case suffix"),
    pytest.param("notebooks/train.ipynb", True, id="in a folder"),
    pytest.param("train.ipynb.py", False, id="a script named after a notebook"),
    pytest.param("run_ipynb.py", False, id="ipynb inside the name"),
])
def test_only_a_notebook_suffix_counts(tmp_path: Path, script: str, left: bool) -> None:
    (tmp_path / "src" / "notebooks").mkdir(parents=True)
    program = project(tmp_path, SCRIPT_RUN.format(script=script))
    report = fix(program)
    assert ("AML002 left: script= names the notebook" in report) is left, report
    assert ("AML002 fixed" in report) is not left, report
