"""An internal error while checking or fixing one file is that file's one error line; the run goes on.

The engine's own bugs come and go, so most cases inject a failure: a wrapper runs the real
command line with the engine's entry points replaced by ones that raise on a marker text.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from flake8_azureml_v2 import flake8_plugin, pylsp_plugin

from .conftest import run

V1 = "from azureml.core import Workspace, Experiment\nws = Workspace.from_config()\n"
BOOM = "import azureml.core\nBOOM = 1\n"
DEEP = "import azureml.core\nDEEP = 1\n"
# The real CLI, with analyse() and fix_text() failing on the marker texts above.
INJECT = """
import sys
import flake8_azureml_v2.runner as runner
import flake8_azureml_v2.engine.fixing.driver as driver

def failing(real):
    def wrapper(text, *args, **kwargs):
        if "BOOM" in text:
            raise ValueError("boom\\nwith a second line")
        if "DEEP" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, *args, **kwargs)
    return wrapper

runner.analyse = failing(runner.analyse)
driver.fix_text = failing(driver.fix_text)
from flake8_azureml_v2.cli import main
sys.exit(main(sys.argv[1:]))
"""
BOOM_ERROR = "a.py: error: internal error: ValueError: boom with a second line; the file is unchanged"
DEEP_ERROR = ("a.py: error: internal error: the code is nested too deeply to analyse (RecursionError); "
              "the file is unchanged")


def tool(*args: str, cwd: Path, input: str | None = None):
    return run([sys.executable, "-c", INJECT, *args], cwd=cwd, input=input)


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize(("text", "message"), [(BOOM, BOOM_ERROR), (DEEP, DEEP_ERROR)])
def test_check_reports_the_crash_and_goes_on(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "a.py").write_text(text)
    (tmp_path / "b.py").write_text(V1)
    result = tool("check", "a.py", "b.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and _errors(result.stderr) == [message]
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["b.py", "b.py"]
    exit_zero = tool("check", "--exit-zero", "a.py", "b.py", cwd=tmp_path)
    assert exit_zero.returncode == 2  # an error is not a finding


def test_fix_reports_the_crash_leaves_the_file_and_fixes_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(BOOM)
    (tmp_path / "b.py").write_text(V1)
    result = tool("fix", "--unsafe-fixes", "a.py", "b.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and _errors(result.stderr) == [BOOM_ERROR]
    assert (tmp_path / "a.py").read_text() == BOOM
    assert "MLClient" in (tmp_path / "b.py").read_text()


@pytest.mark.parametrize("command", ["check", "fix"])
def test_stdin_mode_contains_the_crash(tmp_path: Path, command: str) -> None:
    result = tool(command, "--stdin-filename", "a.py", "-", cwd=tmp_path, input=BOOM)
    assert result.returncode == 2
    assert _errors(result.stderr) == [BOOM_ERROR] and "Traceback" not in result.stderr
    # fix - hands the buffer back untouched, so an editor piping through it loses nothing
    assert result.stdout == (BOOM if command == "fix" else "")


def test_a_crash_in_a_notebook_leaves_it_untouched(tmp_path: Path) -> None:
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
             for source in (V1, "BOOM = 1\n")]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}, indent=1) + "\n"
    (tmp_path / "a.ipynb").write_text(text)
    result = tool("fix", "--unsafe-fixes", "a.ipynb", cwd=tmp_path)
    assert result.returncode == 2
    assert _errors(result.stderr) == [BOOM_ERROR.replace("a.py", "a.ipynb")]
    assert (tmp_path / "a.ipynb").read_text() == text


def test_parallel_check_contains_a_crash_in_a_worker(tmp_path: Path) -> None:
    for index in range(30):
        (tmp_path / f"job_{index:02d}.py").write_text(V1)
    (tmp_path / "a.py").write_text(BOOM)
    result = tool("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert _errors(result.stderr) == [BOOM_ERROR]
    assert len(result.stdout.splitlines()) == 60


def test_a_deep_expression_never_gives_a_traceback(tmp_path: Path) -> None:
    # do-no-harm recursion_binop_500.py, written here: whatever the engine manages, the user
    # sees findings or one error line, never a traceback, and the other files are checked.
    chain = " + ".join(f"x{i}" for i in range(500))
    deep = tmp_path / "deep.py"
    deep.write_text(f"from azureml.core import Workspace\nws = Workspace.from_config()\ntotal = {chain}\n")
    before = deep.read_text()
    (tmp_path / "b.py").write_text(V1)
    for command in (["check"], ["fix"], ["fix", "--unsafe-fixes", "--diff"]):
        result = run([sys.executable, "-m", "flake8_azureml_v2", *command, "deep.py", "b.py"], cwd=tmp_path)
        assert "Traceback" not in result.stderr, result.stderr
        assert all(line.startswith("deep.py: error: ") for line in _errors(result.stderr))
        assert len(_errors(result.stderr)) <= 1 and result.returncode == (2 if _errors(result.stderr) else 1)
        assert "b.py:" in result.stdout + result.stderr
    assert deep.read_text() == before or "MLClient" in deep.read_text()


FLAKE8_INJECT = """
import sys
import flake8_azureml_v2.flake8_plugin as plugin

def failing(*args, **kwargs):
    raise RecursionError("maximum recursion depth exceeded")

plugin.analyse = failing
from flake8.main.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_flake8_plugin_never_raises(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(V1)
    result = run([sys.executable, "-c", FLAKE8_INJECT, "--select", "AML,F", "a.py"], cwd=tmp_path)
    # no AML finding for the file, no error from flake8, and the other plugins still ran
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "a.py:1:1: F401 'azureml.core.Experiment' imported but unused\n", "")


def test_the_flake8_plugin_logs_the_error_at_debug_level(monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    def failing(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(flake8_plugin, "analyse", failing)
    checker = flake8_plugin.AzureMLV2Checker(None, "a.py", V1.splitlines(keepends=True))  # type: ignore[arg-type]
    with caplog.at_level(logging.DEBUG, logger=flake8_plugin.__name__):
        assert list(checker.run()) == []
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert "internal error on a.py" in caplog.records[0].getMessage()


def test_the_pylsp_plugin_never_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def failing(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(pylsp_plugin, "analyse", failing)
    monkeypatch.setattr(pylsp_plugin, "fix_text", failing)
    document = SimpleNamespace(source=V1, path=str(tmp_path / "a.py"), uri=(tmp_path / "a.py").as_uri())
    line = {"line": 1, "character": 0}
    assert pylsp_plugin.pylsp_lint(None, None, document, True) == []
    assert pylsp_plugin.pylsp_code_actions(None, None, document, {"start": line, "end": line}, {}) == []
