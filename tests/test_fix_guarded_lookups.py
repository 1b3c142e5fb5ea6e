"""A lookup inside ``try:`` whose handler runs when the lookup fails: the fix leaves it where
the new code would fail otherwise (another exception, or not at all), and migrates it where
the handler catches what the new code raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from .migrate_helpers import fix, project

HEADER = "from azureml.core import Dataset, Datastore, Environment, Workspace\n\nws = Workspace.from_config()\n"


def _fixed(tmp_path: Path, body: str) -> tuple[str, str]:
    script = project(tmp_path, HEADER + body)
    report = fix(script)
    assert fix(script).count(" fixed") == 0  # a second run changes nothing
    return script.read_text(), report


@pytest.mark.parametrize("imported, caught", [
    ("from msrest.exceptions import HttpOperationError", "HttpOperationError"),
    ("import msrest.exceptions", "msrest.exceptions.HttpOperationError"),
    ("from msrest.exceptions import ClientException as Failed", "Failed"),
    ("from msrestazure.azure_exceptions import CloudError", "(CloudError, ValueError)"),
])
def test_a_lookup_under_a_handler_for_v1s_http_errors_is_left(tmp_path: Path, imported: str, caught: str) -> None:
    """v1's REST clients raised msrest's errors; azure-ai-ml raises azure.core's, which no
    msrest class is a base of, so the migrated lookup would crash past the handler."""
    text, report = _fixed(tmp_path, f"""\
{imported}
try:
    store = Datastore.get(ws, "training")
except {caught}:
    store = None
""")
    assert 'store = Datastore.get(ws, "training")' in text
    assert "ml_client.datastores" not in text
    assert "AML023 left: it runs inside `try:` with `except" in report
    assert "the new code raises other exceptions, so that handler would no longer run" in report


def test_a_handler_that_catches_everything_still_catches_v2s_error(tmp_path: Path) -> None:
    text, report = _fixed(tmp_path, """\
class HttpOperationError(Exception):
    pass


try:
    store = Datastore.get(ws, "training")
except (HttpOperationError, Exception):
    store = None
""")
    assert 'store = ml_client.datastores.get(name="training")' in text
    assert "AML023 fixed" in report


def test_a_workspace_mapping_under_except_keyerror_is_left(tmp_path: Path) -> None:
    """``ws.datastores`` is a dict in v1: a missing name raised KeyError, which
    ml_client.datastores.get does not."""
    text, report = _fixed(tmp_path, """\
try:
    store = ws.datastores["training"]
except KeyError:
    store = None
""")
    assert 'store = ws.datastores["training"]' in text
    assert "except KeyError` (line 6): the new code raises other exceptions" in report


def test_the_same_mapping_outside_a_try_is_migrated(tmp_path: Path) -> None:
    text, _ = _fixed(tmp_path, 'store = ws.datastores["training"]\n')
    assert 'store = ml_client.datastores.get("training")' in text


@pytest.mark.parametrize("lookup, caught", [
    ('ws.environments["sklearn-env"]', "KeyError"),
    ('Environment.get(ws, "sklearn-env")', "Exception"),
    ('Environment.get(ws, "sklearn-env")', ""),
])
def test_an_environment_lookup_with_a_fallback_is_left(tmp_path: Path, lookup: str, caught: str) -> None:
    """The reference string v2 takes cannot fail, so the fallback would never be chosen."""
    text, report = _fixed(tmp_path, f"""\
from azureml.core import Experiment, ScriptRunConfig

try:
    env = {lookup}
except {caught}:
    env = Environment.get(ws, "AzureML-Minimal")
config = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster", environment=env)
Experiment(ws, "exp").submit(config)
""".replace("except :", "except:"))
    assert f"env = {lookup}" in text and "azureml:sklearn-env" not in text and "command(" not in text
    assert "which runs when the lookup fails; the new code only names what it looked up" in report


def test_a_lookup_used_inline_in_a_guarded_submission_is_migrated(tmp_path: Path) -> None:
    """Written inline, the reference is resolved by the submission in the same ``try``: a missing
    dataset or environment still fails inside it, so the handler still runs."""
    text, report = _fixed(tmp_path, """\
from azureml.core import Experiment, ScriptRunConfig

try:
    Experiment(ws, "exp").submit(ScriptRunConfig(
        source_directory="src", script="train.py", compute_target="cpu-cluster",
        environment=Environment.get(ws, "sklearn-env"),
        arguments=["--data", Dataset.get_by_name(ws, "diabetes").as_named_input("d").as_mount()]))
except Exception:
    raise SystemExit("register the dataset and the environment first")
""")
    assert 'path="azureml:diabetes@latest"' in text and 'environment="azureml:sklearn-env@latest"' in text
    assert "ml_client.jobs.create_or_update(command(" in text and " 0 left." in report


@pytest.mark.parametrize("caught", ["UserErrorException", "(UserErrorException, OSError)"])
def test_a_call_rewritten_away_from_its_finding_under_a_v1_handler_is_left(tmp_path: Path, caught: str) -> None:
    """The datastore's migration rewrites each ``store.upload(...)`` of it: inside ``try:`` with
    a handler for v1's error, the migrated upload would raise another one (a missing folder is a
    ValueError), so the handler would stop running; the datastore and its upload stay v1."""
    text, report = _fixed(tmp_path, f"""\
from azureml.exceptions import UserErrorException

store = ws.get_default_datastore()
try:
    store.upload(src_dir="./data", target_path="x", overwrite=True)
except {caught}:
    print("no data")
""")
    assert "store = ws.get_default_datastore()" in text
    assert 'store.upload(src_dir="./data", target_path="x", overwrite=True)' in text
    assert "_v1_datastore_upload" not in text
    assert ("AML028 left: it runs inside `try:` with `except UserErrorException` (line 9); it rewrites "
            "`store.upload(...)` there: the new code raises other exceptions") in report


def test_the_same_upload_outside_the_guard_is_migrated(tmp_path: Path) -> None:
    """Only a rewritten call inside the ``try:`` is in the way: one after it is not."""
    text, report = _fixed(tmp_path, """\
from azureml.exceptions import UserErrorException

store = ws.get_default_datastore()
try:
    print(store.name)
except UserErrorException:
    print("no store")
store.upload(src_dir="./data", target_path="x", overwrite=True)
""")
    assert "_v1_datastore_upload(ml_client, store.name, src_dir=\"./data\"" in text
    assert "AML028 fixed" in report


def test_a_workspace_made_in_try_and_again_in_except_gives_one_client_name_after_the_block(tmp_path: Path) -> None:
    """``ws`` from the config file, or made and saved in ``except:`` (which keeps its v1 object for
    write_config): both branches bind the one client name the code after the block uses (held-out
    audit g: the ``try:`` branch was rewritten in place, and the datastore line raised NameError)."""
    program = ('from azureml.core import Workspace\ntry:\n    ws = Workspace.from_config()\nexcept Exception:\n'
               '    ws = Workspace(subscription_id="1111", resource_group="rg", workspace_name="myws")\n'
               '    ws.write_config()\n\nds = ws.get_default_datastore()\nprint(ds.name)\n')
    script = project(tmp_path, program)
    report = fix(script)
    text = script.read_text()
    assert "AML028 fixed" in report, report
    assert "    ml_client = MLClient.from_config(DefaultAzureCredential())\nexcept Exception:\n" in text, text
    assert '    ml_client = MLClient(DefaultAzureCredential(), subscription_id="1111"' in text, text
    assert "ds = ml_client.datastores.get_default()" in text
