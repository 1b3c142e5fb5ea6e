"""Editors: the real python-lsp-server (its flake8 plugin and ours) and the real ``ast-grep lsp``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_azureml_v2.api import fix_text
from flake8_azureml_v2.pylsp_plugin import minimal_edit, utf16_column

from .support.lsp_client import LspClient, apply_text_edits

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
PYLSP = BIN / "pylsp"
AST_GREP = shutil.which("ast-grep", path=str(BIN)) or shutil.which("ast-grep")

V1_BUFFER = (
    'label = "😀"  # ü\n'
    "from azureml.core import Dataset\n"
    "import os\n"
    'label2 = "😀"; from azureml.core import Datastore\n'
    "from azureml.core import ScriptRunConfig\n"
    "print(label, label2, os.sep)\n"
    "config = ScriptRunConfig(source_directory='src', script='train.py')\n"
)
QUIET = {"pycodestyle": {"enabled": False}, "pyflakes": {"enabled": False}, "mccabe": {"enabled": False},
         "pydocstyle": {"enabled": False}, "pylint": {"enabled": False}, "yapf": {"enabled": False},
         "autopep8": {"enabled": False}, "rope_autoimport": {"enabled": False}}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    return env


def _start(argv: list[str], root: Path, settings: dict[str, object] | None) -> LspClient:
    client = LspClient(argv, cwd=root, env=_env())
    params: dict[str, object] = {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {
        "textDocument": {"publishDiagnostics": {}, "codeAction": {"codeActionLiteralSupport": {
            "codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}}}}}}
    if settings is not None:
        params["initializationOptions"] = settings
    client.request("initialize", params)
    client.notify("initialized", {})
    if settings is not None:
        client.notify("workspace/didChangeConfiguration", {"settings": settings})
    return client


@pytest.fixture
def pylsp(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[LspClient]:
    assert PYLSP.exists(), "python-lsp-server is a test dependency"
    client = _start([str(PYLSP)], tmp_path, request.param)
    yield client
    client.close()


def _open(client: LspClient, uri: str, text: str) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                            "text": text}})


def _diagnostics(client: LspClient, uri: str, source: str) -> list[dict]:
    params = client.wait_for_notification(
        "textDocument/publishDiagnostics",
        lambda p: p["uri"] == uri and any(d.get("source") == source for d in p["diagnostics"]),
    )
    return [d for d in params["diagnostics"] if d.get("source") == source]


FLAKE8_ONLY = {"pylsp": {"plugins": {**QUIET, "flake8": {"enabled": True, "select": ["AML"]},
                                     "azureml_v2": {"enabled": False}}}}
OURS_ONLY = {"pylsp": {"plugins": {**QUIET, "flake8": {"enabled": False}}}}


@pytest.mark.parametrize("pylsp", [FLAKE8_ONLY], indirect=True)
def test_pylsp_flake8_plugin_lints_an_unsaved_buffer(pylsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "never_saved.py").as_uri()
    _open(pylsp, uri, V1_BUFFER)
    found = _diagnostics(pylsp, uri, "flake8")
    by_code = {d["code"]: d for d in found}
    assert {"AML099", "AML002"} <= set(by_code)
    assert by_code["AML002"]["message"].startswith("AML002 ScriptRunConfig() is Azure ML SDK v1")
    assert by_code["AML002"]["range"]["start"]["line"] == 6
    assert not (tmp_path / "never_saved.py").exists()


@pytest.mark.parametrize("pylsp", [OURS_ONLY], indirect=True)
def test_our_pylsp_plugin_publishes_diagnostics_in_utf16(pylsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "job.py").as_uri()
    _open(pylsp, uri, V1_BUFFER)
    found = _diagnostics(pylsp, uri, "azureml-v2")
    starts = {(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in found}
    # `label2 = "😀"; ` is 14 code points but 15 UTF-16 units: the emoji is a surrogate pair
    assert len('label2 = "😀"; ') == 14
    assert ("AML099", 3, 15) in starts
    assert ("AML002", 6, 9) in starts
    aml002 = next(d for d in found if d["code"] == "AML002")
    assert aml002["codeDescription"]["href"].startswith("https://learn.microsoft.com/")
    assert aml002["severity"] == 2


@pytest.mark.parametrize("pylsp", [OURS_ONLY], indirect=True)
def test_quick_fix_applies_the_safe_fixes(pylsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "job.py").as_uri()
    _open(pylsp, uri, V1_BUFFER)
    found = _diagnostics(pylsp, uri, "azureml-v2")
    on_line = [d for d in found if d["range"]["start"]["line"] == 1]
    actions = pylsp.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
        "context": {"diagnostics": on_line},
    })
    quick = [a for a in actions if a.get("kind") == "quickfix" and "azureml-v2" in a["title"]]
    assert len(quick) == 1, actions
    fixed = apply_text_edits(V1_BUFFER, quick[0]["edit"]["changes"][uri])
    assert fixed == fix_text(V1_BUFFER).text
    assert "Dataset" not in fixed and "Datastore" not in fixed
    assert 'label2 = "😀"\n' in fixed
    assert "ScriptRunConfig(source_directory='src'" in fixed  # unsafe fixes are not applied


@pytest.mark.parametrize("pylsp", [OURS_ONLY], indirect=True)
def test_no_code_action_where_nothing_is_safely_fixable(pylsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "clean.py").as_uri()
    text = "from azureml.core import ScriptRunConfig\nconfig = ScriptRunConfig(script='train.py')\n"
    _open(pylsp, uri, text)
    _diagnostics(pylsp, uri, "azureml-v2")
    actions = pylsp.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
        "context": {"diagnostics": []},
    })
    assert not [a for a in actions or [] if "azureml-v2" in a.get("title", "")]


@pytest.mark.parametrize(("old", "new"), [
    ("a\nb\nc\n", "a\nc\n"),
    ("x = '😀'\r\nfrom azureml.core import Run\r\ny\r\n", "x = '😀'\r\ny\r\n"),
    ("a\nb", "a\nbc"),
    ("a = 1\n", "b = 1\n"),
    ("same\n", "same\n"),
])
def test_minimal_edit_round_trips(old: str, new: str) -> None:
    assert apply_text_edits(old, [minimal_edit(old, new)]) == new


def test_utf16_columns() -> None:
    assert utf16_column("é😀x", 2) == 3
    assert utf16_column("abc", 2) == 2


def test_ast_grep_lsp_publishes_aml_diagnostics() -> None:
    assert AST_GREP, "ast-grep (ast-grep-cli) is a test dependency"
    client = _start([AST_GREP, "lsp"], ROOT, None)
    try:
        uri = (ROOT / "unsaved_buffer_for_the_lsp_test.py").as_uri()
        _open(client, uri, "from azureml.core import ScriptRunConfig\n"
                           "config = ScriptRunConfig(source_directory='src', script='train.py')\n")
        params = client.wait_for_notification(
            "textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p["diagnostics"], timeout=30)
        codes = {d.get("code") for d in params["diagnostics"]}
        assert "AML002" in codes
        aml002 = next(d for d in params["diagnostics"] if d.get("code") == "AML002")
        assert aml002["range"]["start"]["line"] == 1
    finally:
        client.close()


# --- each finding's own fix (issue 15) -------------------------------------------------------------

SUBMIT = (ROOT / "examples" / "v1_script_run" / "submit.py").read_text()
UNSAFE_ON = {"pylsp": {"plugins": {**QUIET, "flake8": {"enabled": False}, "azureml_v2": {"unsafeFixes": True}}}}


def _actions(client: LspClient, uri: str, line: int, diagnostics: list[dict]) -> list[dict]:
    return client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
        "context": {"diagnostics": diagnostics},
    }) or []


@pytest.mark.parametrize("pylsp", [OURS_ONLY], indirect=True)
def test_diagnostic_messages_do_not_repeat_the_code(pylsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "job.py").as_uri()
    _open(pylsp, uri, V1_BUFFER)
    aml002 = next(d for d in _diagnostics(pylsp, uri, "azureml-v2") if d["code"] == "AML002")
    assert aml002["message"] == "ScriptRunConfig() is Azure ML SDK v1; use azure.ai.ml.command(code=..., command='python <script> ...')"


@pytest.mark.parametrize("pylsp", [OURS_ONLY], indirect=True)
def test_a_findings_own_safe_fix_is_a_quick_fix(pylsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "job.py").as_uri()
    _open(pylsp, uri, V1_BUFFER)
    found = _diagnostics(pylsp, uri, "azureml-v2")
    actions = _actions(pylsp, uri, 1, found)
    own = [a for a in actions if a["title"].startswith("AML099: ")]
    assert [a["title"] for a in own] == [
        "AML099: Remove the unused v1 import of azureml.core.Dataset (and 1 more AML099 in this file)"]
    assert own[0]["kind"] == "quickfix" and own[0]["isPreferred"] is True
    assert [d["range"]["start"]["line"] for d in own[0]["diagnostics"]] == [1]
    fixed = apply_text_edits(V1_BUFFER, own[0]["edit"]["changes"][uri])
    assert fixed == fix_text(V1_BUFFER, selected=lambda code: code == "AML099").text
    assert not [a for a in _actions(pylsp, uri, 6, found) if a["title"].startswith("AML002")]  # no sound fix


@pytest.mark.parametrize("pylsp", [OURS_ONLY], indirect=True)
def test_a_quick_fix_leaves_the_buffer_as_fix_writes_the_file(pylsp: LspClient, tmp_path: Path) -> None:
    """A buffer that began with code still does once the fix removes its opening import,
    exactly as `azureml-v2 fix` writes the same text."""
    text = "from azureml.core import Dataset\n\nimport os\nprint(os.sep)\n"
    uri = (tmp_path / "job.py").as_uri()
    _open(pylsp, uri, text)
    found = _diagnostics(pylsp, uri, "azureml-v2")
    actions = _actions(pylsp, uri, 0, found)
    written = subprocess.run([sys.executable, "-m", "flake8_azureml_v2", "fix", "-"], input=text,
                             capture_output=True, text=True, cwd=tmp_path).stdout
    assert written == "import os\nprint(os.sep)\n"
    for title in ("AML099: ", "Apply 1 safe Azure ML v2 fix"):
        action = next(a for a in actions if a["title"].startswith(title))
        assert apply_text_edits(text, action["edit"]["changes"][uri]) == written, title


@pytest.mark.parametrize("pylsp", [OURS_ONLY], indirect=True)
def test_unsafe_own_fixes_need_the_plugin_setting(pylsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "submit.py").as_uri()
    _open(pylsp, uri, SUBMIT)
    found = _diagnostics(pylsp, uri, "azureml-v2")
    assert not [a for a in _actions(pylsp, uri, 19, found) if a["title"].startswith("AML002")]


@pytest.mark.parametrize("pylsp", [UNSAFE_ON], indirect=True)
def test_migrate_this_script_run_config_to_command_when_unsafe_fixes_are_on(pylsp: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "submit.py").as_uri()
    _open(pylsp, uri, SUBMIT)
    found = _diagnostics(pylsp, uri, "azureml-v2")
    own = [a for a in _actions(pylsp, uri, 19, found) if a["title"].startswith("AML002")]
    assert [a["title"] for a in own] == [
        "AML002: Migrate this ScriptRunConfig() to command() with 10 related constructs (unsafe)"]
    fixed = apply_text_edits(SUBMIT, own[0]["edit"]["changes"][uri])
    assert fixed == fix_text(SUBMIT, unsafe=True).text
    assert "command(" in fixed and "ScriptRunConfig" not in fixed


@pytest.mark.parametrize("pylsp", [OURS_ONLY], indirect=True)
def test_saving_a_launcher_makes_the_server_see_the_script_it_names(pylsp: LspClient, tmp_path: Path) -> None:
    """The server lives as long as the editor: what it learnt of the project's other files
    (which scripts a launcher names) is read again once a file is saved, not kept forever."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "src").mkdir()
    script = tmp_path / "src" / "train.py"
    script.write_text("from azureml.core import Run\nimport azureml.core\nprint(azureml.core.VERSION)\n")
    script_uri = script.as_uri()
    _open(pylsp, script_uri, script.read_text())
    before = {d["code"] for d in _diagnostics(pylsp, script_uri, "azureml-v2")}
    assert "AML099" in before and "AML010" not in before  # nothing names it as a job's script yet
    launcher = tmp_path / "submit.py"
    launcher.write_text("from azureml.core import ScriptRunConfig\n"
                        "config = ScriptRunConfig(source_directory='src', script='train.py')\n")
    _open(pylsp, launcher.as_uri(), launcher.read_text())
    assert {d["code"] for d in _diagnostics(pylsp, launcher.as_uri(), "azureml-v2")} >= {"AML002"}
    pylsp.notify("textDocument/didSave", {"textDocument": {"uri": launcher.as_uri()}})
    _diagnostics(pylsp, launcher.as_uri(), "azureml-v2")  # linted again, as saved: the server forgets
    pylsp.notify("textDocument/didChange", {"textDocument": {"uri": script_uri, "version": 2},
                                            "contentChanges": [{"text": script.read_text()}]})
    after = pylsp.wait_for_notification(
        "textDocument/publishDiagnostics",
        lambda p: p["uri"] == script_uri and any(d.get("code") == "AML010" for d in p["diagnostics"]))
    assert {d["code"] for d in after["diagnostics"] if d.get("source") == "azureml-v2"} >= {"AML010"}
