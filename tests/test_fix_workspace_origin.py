"""A workspace the fixer cannot follow is named with where it comes from, or handed over.

On seven repositories outside the dev corpus, the most common reason a submit stayed
was a workspace returned by a project helper (nlp-recipes' and computervision-recipes'
``get_or_create_workspace``) or by a v1 call the fix does not migrate
(``Workspace.setup()``).  "is not a Workspace variable this fix migrates" did not say
which; the reason now names the call, so the user knows what to migrate first.

A workspace the program is handed (a helper's result, a function's parameter) that v1 code
takes as an Experiment's workspace is a v1 Workspace wherever it runs: it stays, and the
migrated code uses an MLClient made from its subscription, resource group and name beside it
(audit, stop 64, lot a: 36 findings in 10 files of 4 repositories waited on such a workspace).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .migrate_helpers import assert_fixed_point, execute, fix, no_v1, project, ruff_clean, submitted

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

SUBMITTED = PARAMETER.replace("return Experiment", "run = Experiment")  # (migrates as it stands)

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
    pytest.param(V1_CALL, "`ws` comes from Workspace.setup(...), which this fix does not migrate", id="v1-call"),
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


# what the project's v1 helper returns, as far as the migrated program reads it (SDK v1 is not installed here)
UTILS = """\
class _Workspace:
    subscription_id = "00000000-0000-0000-0000-000000000000"
    resource_group = "rg"
    name = "ws"


def get_or_create_workspace(path):
    return _Workspace()
"""


@pytest.mark.parametrize(("program", "workspace", "indent"), [
    pytest.param(HELPER, "ws", "", id="helper"),
    pytest.param(SUBMITTED + "\n\nfrom utils import get_or_create_workspace\nsubmit(get_or_create_workspace('c'))\n",
                 "workspace", "    ", id="parameter"),
])
def test_a_handed_workspace_stays_beside_a_client_made_from_it(tmp_path: Path, program: str, workspace: str,
                                                               indent: str) -> None:
    script = project(tmp_path, program)
    (tmp_path / "utils.py").write_text(UTILS)
    report = fix(script, "--no-project-index")
    text = script.read_text()
    assert "AML001 fixed" in report and "AML001 left" not in report, report
    assert (f"{indent}# TODO(azureml-v2): AML020 this MLClient signs in with DefaultAzureCredential; if the workspace "
            "it is made from signed in otherwise") in text, text
    assert (f"{indent}ml_client = MLClient(DefaultAzureCredential(), subscription_id={workspace}.subscription_id, "
            f"resource_group_name={workspace}.resource_group, workspace_name={workspace}.name)\n") in text, text
    assert 'ml_client.jobs.create_or_update(src, experiment_name="origin")' in text, text
    assert no_v1(text), text
    ruff_clean(script)
    (job,) = submitted(execute(script))
    assert job["kwargs"]["experiment_name"] == "origin", job
    assert_fixed_point(script)


def test_a_handed_workspace_read_as_another_thing_stays_unmigrated(tmp_path: Path) -> None:
    """The look-alike: a helper's result that the program also rebinds is not one known workspace."""
    script = project(tmp_path, HELPER.replace('run = Experiment', 'if not ws:\n    ws = None\nrun = Experiment'))
    report = fix(script)
    assert "AML001 left" in report and "MLClient(" not in script.read_text(), report


TWO = """\
from azureml.core import Experiment, ScriptRunConfig
from utils import get_or_create_workspace
src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
ws_a = get_or_create_workspace("a")
ws_b = get_or_create_workspace("b")
run = Experiment(ws_a, "first").submit(src)
run2 = Experiment(ws_b, "second").submit(src)
"""

SHADOWED = """\
from azureml.core import Experiment, ScriptRunConfig
from utils import get_or_create_workspace
ws = get_or_create_workspace("main")


def go(other):
    src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster")
    run = Experiment(ws, "first").submit(src)
    run2 = Experiment(other, "second").submit(src)


go(get_or_create_workspace("other"))
"""


@pytest.mark.parametrize("program", [pytest.param(TWO, id="two"), pytest.param(SHADOWED, id="shadowed")])
def test_each_handed_workspace_gets_a_client_of_its_own(tmp_path: Path, program: str) -> None:
    """Review, stop 64: two handed workspaces both got ``ml_client``, so one job went to the other's
    workspace (the later client overwrote the first, or a function's shadowed the module's)."""
    script = project(tmp_path, program)
    (tmp_path / "utils.py").write_text(UTILS.replace('name = "ws"', "def __init__(self, name):\n        self.name = name")
                                       .replace("return _Workspace()", "return _Workspace(path)"))
    report = fix(script, "--no-project-index")
    assert "AML001 left" not in report, report
    jobs = submitted(execute(script))
    assert [(j["kwargs"]["experiment_name"], j["client"]["workspace_name"]) for j in jobs] == [
        ("first", "a" if program is TWO else "main"), ("second", "b" if program is TWO else "other")], jobs
    assert_fixed_point(script)


@pytest.mark.parametrize("program", [
    pytest.param(SUBMITTED.replace("def submit(workspace):", "def submit(workspace=None):"), id="default"),
    pytest.param(SUBMITTED.replace("    src = ", "    if workspace is None:\n        return None\n    src = "),
                 id="tested"),
    pytest.param(HELPER + "\n\ndef switch():\n    global ws\n    ws = None\n", id="global"),
])
def test_a_handed_workspace_that_may_be_none_stays(tmp_path: Path, program: str) -> None:
    """Review, stop 64: a client made from a workspace that may be None (a default, a test of it,
    a ``global`` rebinding) failed where v1 never used the workspace."""
    script = project(tmp_path, program)
    report = fix(script)
    assert "AML001 left" in report and "MLClient(" not in script.read_text(), report


def test_a_parameters_client_is_made_where_the_workspace_is_first_used(tmp_path: Path) -> None:
    """Review, stop 64: code before the first use (a dry run that returns early) must not need it."""
    program = SUBMITTED.replace(
        "def submit(workspace):\n", 'def submit(workspace, dry_run):\n    """Submit."""\n    if dry_run:\n        return\n')
    script = project(tmp_path, program + "\n\nsubmit(None, True)\n")
    fix(script)
    text = script.read_text()
    assert text.index("        return\n") < text.index("    ml_client = MLClient(") < text.index("    run = ml_client.jobs"), text
    execute(script)  # the dry run reads no workspace
