"""A workspace the fixer cannot follow is named with where it comes from.

On seven repositories outside the dev corpus, the most common reason a submit stayed
was a workspace returned by a project helper (nlp-recipes' and computervision-recipes'
``get_or_create_workspace``) or by a v1 call the fix does not migrate
(``Workspace.setup()``).  "is not a Workspace variable this fix migrates" did not say
which; the reason now names the call or the function whose parameter it is, so the
user knows what to migrate first.  The construct is still left: nothing here rewrites.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .migrate_helpers import fix, project

HELPER = """\
from azureml.core import Experiment, ScriptRunConfig
from utils import get_or_create_workspace
ws = get_or_create_workspace("config.json")
src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
run = Experiment(ws, "origin").submit(src)
"""

V1_CALL = """\
from azureml.core import Experiment, ScriptRunConfig, Workspace
ws = Workspace.setup()
src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
run = Experiment(ws, "origin").submit(src)
"""

PARAMETER = """\
from azureml.core import Experiment, ScriptRunConfig


def submit(workspace):
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
    return Experiment(workspace, "origin").submit(src)
"""

IMPORTED = """\
from azureml.core import Experiment, ScriptRunConfig
from settings import ws
src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
run = Experiment(ws, "origin").submit(src)
"""

ATTRIBUTE = """\
from azureml.core import Experiment, ScriptRunConfig


class Trainer:
    def submit(self):
        src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
        return Experiment(self.ws, "origin").submit(src)
"""

CASES = [
    pytest.param(HELPER, "`ws` comes from get_or_create_workspace(...), which this fix cannot follow", id="helper"),
    pytest.param(V1_CALL, "`ws` comes from Workspace.setup(...), which this fix does not migrate", id="v1-call"),
    pytest.param(PARAMETER, "`workspace` is a parameter of submit(): what callers pass is not known there",
                 id="parameter"),
    pytest.param(IMPORTED, "`ws` is imported from another module", id="imported"),
    pytest.param(ATTRIBUTE, "`self.ws` is not a variable this fix migrates", id="attribute"),
]


@pytest.mark.parametrize(("program", "origin"), CASES)
def test_the_submit_names_where_its_workspace_comes_from(tmp_path: Path, program: str, origin: str) -> None:
    script = project(tmp_path, program)
    before = script.read_text()
    report = fix(script)
    lines = [line for line in report.splitlines() if " AML001 left: " in line]
    assert len(lines) == 1, report
    assert f"AML001 left: the experiment's workspace {origin};" in lines[0], lines[0]
    assert script.read_text() == before  # the construct stays as it was


def test_a_followed_workspace_is_not_named_as_unknown(tmp_path: Path) -> None:
    """The look-alike: a workspace from Workspace.from_config() migrates, with no such reason."""
    script = project(tmp_path, V1_CALL.replace("Workspace.setup()", "Workspace.from_config()"))
    report = fix(script)
    assert " AML001 fixed: " in report, report
    assert "the experiment's workspace" not in report, report
