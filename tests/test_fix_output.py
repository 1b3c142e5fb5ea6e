"""fix's output for people (issue 15): --show-fixes, a coloured --diff, left lines that name the
refusal kind (and the v2 equivalent for manual work), and the progress line on a terminal."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .conftest import run
from .support.pty_run import run_on_terminal
from .test_check_fixability import JOB, PLAIN, DATABRICKS

NOT_YET = ("from azureml.core import Workspace\nfrom azureml.core.webservice import Webservice\n"
           "ws = Workspace.from_config()\nservice = Webservice(ws, 'svc')\n")


def fix(folder: Path, *args: str, env: dict[str, str] | None = None):
    return run([sys.executable, "-m", "flake8_azureml_v2", "fix", *args], cwd=folder, env={**PLAIN, **(env or {})})


def test_show_fixes_lists_what_was_fixed_per_file_and_code(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(JOB)
    (tmp_path / "b.py").write_text(JOB)
    result = fix(tmp_path, "--unsafe-fixes", "--show-fixes", "a.py", "b.py")
    assert result.stdout.endswith(
        "Fixed 6 findings:\n"
        "- a.py:\n"
        "    2 \u00d7 AML099 (v1-import)\n"
        "    1 \u00d7 AML020 (workspace)\n"
        "- b.py:\n"
        "    2 \u00d7 AML099 (v1-import)\n"
        "    1 \u00d7 AML020 (workspace)\n"
        "Fixed 6 findings in 2 files; 4 left.\n"
    )
    diff = fix(tmp_path, "--diff", "--show-fixes", "a.py")  # nothing more to fix safely
    assert "Would fix" not in diff.stderr.split("\n")[0] and diff.stderr.endswith("Would fix 0 findings in 0 files; 2 left.\n")


def test_left_lines_name_the_refusal_kind_and_the_v2_equivalent_of_manual_work(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(JOB)
    (tmp_path / "store.py").write_text(NOT_YET)
    lines = fix(tmp_path, "--check", "job.py", "store.py").stdout.splitlines()
    left = [line for line in lines if " left: " in line]
    assert left[0].startswith("job.py:3:1: AML099 left: `Workspace` is still used at line 6 (AML020: ")
    assert left[0].endswith("the import goes once that is migrated [blocked]")
    assert left[2] == "job.py:6:6: AML020 left: unsafe fix (may change runtime behaviour): enable it with --unsafe-fixes [unsafe fix not enabled]"
    assert left[3] == f"job.py:8:8: AML062 left: no sound automatic rewrite; migrate it by hand: {DATABRICKS} [impossible]"
    assert left[7] == ("store.py:4:11: AML075 left: no automatic fix for this rule yet; Webservice() is Azure ML SDK v1; "
                       "use ml_client.online_endpoints.get(name) (or .list() for all endpoints) [not yet supported]")
    assert all(line.endswith("]") for line in left)


def test_manual_work_without_a_named_equivalent_gets_the_rules_v2(tmp_path: Path) -> None:
    from flake8_azureml_v2.engine.findings import Refusal, RefusalKind
    from flake8_azureml_v2.fix_command import left_text

    blocked = Refusal(RefusalKind.BLOCKED, "depends on line 3: x", (3,), RefusalKind.DATA_FLOW)
    assert left_text("AML002", "depends on line 3: x", blocked) == (
        "depends on line 3: x; v2: azure.ai.ml.command(code=..., command='python <script> ...') "
        "[blocked: data-flow limit]")
    # the finding's own message names the equivalent of its construct: Workspace.get() is not from_config()
    data_flow = Refusal(RefusalKind.DATA_FLOW, "the workspace is returned")
    assert left_text("AML020", "the workspace is returned", data_flow,
                     "Workspace.get() is Azure ML SDK v1; use MLClient(credential, subscription_id, "
                     "resource_group_name, workspace_name)") == (
        "the workspace is returned; v2: MLClient(credential, subscription_id, resource_group_name, workspace_name) "
        "[data-flow limit]")
    assert left_text("AML099", "the names it imports are still used by code that stays v1",
                     Refusal(RefusalKind.BLOCKED, "")) == \
        "the names it imports are still used by code that stays v1 [blocked]"


def test_diff_is_coloured_only_when_asked_for(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(JOB)
    coloured = fix(tmp_path, "--diff", "job.py", env={"FORCE_COLOR": "1"}).stdout
    assert coloured.startswith("\x1b[1m--- a/job.py\x1b[0m\n\x1b[1m+++ b/job.py\x1b[0m\n\x1b[36m@@ -1,5 +1,4 @@\x1b[0m\n"
                               " import os\n\x1b[31m-from azureml.core import Datastore\x1b[0m\n")
    assert "\x1b" not in fix(tmp_path, "--diff", "job.py").stdout


def test_fix_progress_line_is_erased_before_each_report(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(JOB)
    code, screen = run_on_terminal([sys.executable, "-m", "flake8_azureml_v2", "fix", "job.py"], tmp_path,
                                   {"AZUREML_V2_PROGRESS_DELAY": "0"})
    assert code == 1
    drawn = re.compile(r"\r\x1b\[2Kazureml-v2: \d+/\d+ files \(\d+%\)")
    assert drawn.search(screen)
    lines = drawn.sub("", screen).replace("\r\x1b[2K", "").split("\r\n")  # every line is whole once it is erased
    assert lines[0] == "job.py:2:1: AML099 fixed: removed the unused v1 import of azureml.core.Datastore"
    assert lines[-2:] == ["Fixed 1 finding in 1 file; 4 left. 1 more is held back for --unsafe-fixes "
                          "(which may still leave some).", ""]


def test_a_writefile_append_cell_is_left_with_its_reason_not_an_internal_error(tmp_path: Path) -> None:
    import json

    cell = ["%%writefile -a train.py\n", "from azureml.core import Run\n", "run = Run.get_context()\n"]
    (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                                              "execution_count": None, "source": cell}],
                                                   "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    result = fix(tmp_path, "--check", "nb.ipynb")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "nb.ipynb:cell 1:2:1: AML010 left: the cell appends to a file (%%writefile -a), so it is not fixed; "
        "v2: no azureml import; mlflow for logging [not yet supported]")
    assert "internal error" not in result.stderr


def test_only_what_the_reference_calls_impossible_is_reported_as_impossible(tmp_path: Path) -> None:
    """A Databricks step has no v2 form (mapping.md's impossible list); an MpiStep has one
    (a command component with an MPI distribution) that this tool does not write yet."""
    (tmp_path / "steps.py").write_text(
        "from azureml.pipeline.steps import DatabricksStep, MpiStep\n"
        "a = DatabricksStep(name='db')\nb = MpiStep(name='fit', script_name='train.py')\n")
    left = [line for line in fix(tmp_path, "--unsafe-fixes", "--check", "steps.py").stdout.splitlines() if " left: " in line]
    assert any(line.startswith("steps.py:2:5: AML062 left: no sound automatic rewrite") and line.endswith("[impossible]")
               for line in left)
    assert any(line.startswith("steps.py:3:5: AML058 left: no automatic fix for this rule yet")
               and line.endswith("[not yet supported]") for line in left)


def test_a_construct_another_rules_fix_rewrites_does_not_claim_its_rule_has_no_fix(tmp_path: Path) -> None:
    """``except ComputeTargetException`` is rewritten with the compute lookup it guards (AML024's
    get-or-create); around a lookup with no create, that form is left, and says why the block is."""
    (tmp_path / "compute.py").write_text(
        "from azureml.core import Workspace\nfrom azureml.core.compute import ComputeTarget\n"
        "from azureml.core.compute_target import ComputeTargetException\n"
        "ws = Workspace.from_config()\ntry:\n    target = ComputeTarget(workspace=ws, name='cpu')\n"
        "except ComputeTargetException:\n    target = None\n")
    left = [line for line in fix(tmp_path, "--unsafe-fixes", "--check", "compute.py").stdout.splitlines()
            if " AML026 left: " in line]
    assert left == ["compute.py:7:8: AML026 left: the except clause does not create the compute with one "
                    "ComputeTarget.create(...) [not yet supported]"]
