"""Workspaces reached with a v1 authentication, executed: the authentication becomes its
azure.identity credential and MLClient takes it (mapping.md 12, "Auth")."""

from __future__ import annotations

import json
from pathlib import Path

from .migrate_helpers import execute, fix, no_v1, project, ruff_clean


def test_authentication_objects_become_credentials(tmp_path: Path) -> None:
    script = project(tmp_path, """\
import json

from azureml.core import Workspace
from azureml.core.authentication import AzureCliAuthentication, InteractiveLoginAuthentication, ServicePrincipalAuthentication

interactive = InteractiveLoginAuthentication(tenant_id="00000000-0000-0000-0000-000000000001", force=True)
ws = Workspace(subscription_id="00000000-0000-0000-0000-000000000000", resource_group="rg", workspace_name="ws",
               auth=interactive)
service = ServicePrincipalAuthentication(tenant_id="t", service_principal_id="app", service_principal_password="pw")
other = Workspace.from_config(auth=service, _file_name="other.json")
cli = Workspace.from_config(auth=AzureCliAuthentication())
with open("result.json", "w") as handle:
    json.dump({"uri": other.get_mlflow_tracking_uri(), "names": [ws.name, other.name, cli.name]}, handle)
""")
    (tmp_path / "other.json").write_text((tmp_path / "config.json").read_text())
    report = fix(script)
    text = script.read_text()
    assert no_v1(text), report
    ruff_clean(script)
    assert 'interactive = InteractiveBrowserCredential(tenant_id="00000000-0000-0000-0000-000000000001")' in text
    assert 'service = ClientSecretCredential(tenant_id="t", client_id="app", client_secret="pw")' in text
    assert "MLClient.from_config(AzureCliCredential())" in text
    assert 'file_name="other.json"' in text  # v1's _file_name=
    records = execute(script, {"AML_MLFLOW_URI": "file:///tmp/store"})
    result = json.loads((tmp_path / "result.json").read_text())
    assert result == {"uri": "file:///tmp/store", "names": ["ws", "ws", "ws"]}
    assert {"operation": "workspaces.get", "name": "ws"} in records  # get_mlflow_tracking_uri()


def test_a_shown_workspace_and_its_details(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Workspace

ws = Workspace.from_config()
ws
print(ws.get_details())
""")
    fix(script)
    text = script.read_text()
    assert no_v1(text) and "\nml_client\n" in text
    assert "print(ml_client.workspaces.get(ml_client.workspace_name))" in text
    assert text.count("# TODO(azureml-v2): AML020 v2 shows the Workspace entity") == 1  # D+T
    records = execute(script)
    assert {"operation": "workspaces.get", "name": "ws"} in records


def test_a_client_an_earlier_run_made_beside_the_workspace_takes_its_place(tmp_path: Path) -> None:
    """A first run kept ``ws`` for a v1 call and made ``ml_client`` beside it; once that call is
    gone, the workspace goes and its uses take the existing client, rather than a second one."""
    script = project(tmp_path, """\
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential
from azureml.core import Workspace

ws = Workspace.from_config()
ml_client = MLClient.from_config(DefaultAzureCredential())
print(ws.name, ml_client.workspace_name)
""")
    fix(script)
    text = script.read_text()
    assert "ws = " not in text and text.count("MLClient.from_config(") == 1
    assert "print(ml_client.workspace_name, ml_client.workspace_name)" in text
    before = text
    fix(script)
    assert script.read_text() == before


def test_a_client_of_another_workspace_written_after_it_is_not_taken_for_its_own(tmp_path: Path) -> None:
    """The workspace stays (``write_config`` has no v2 form); its migrated datastore call needs a
    client of the same workspace, which the user's ``other`` is not."""
    script = project(tmp_path, """\
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential
from azureml.core import Workspace

ws = Workspace.from_config()
other = MLClient(DefaultAzureCredential(), "sub", "rg", "another-workspace")
ws.write_config()
store = ws.get_default_datastore()
""")
    fix(script)
    text = script.read_text()
    assert 'other = MLClient(DefaultAzureCredential(), "sub", "rg", "another-workspace")' in text
    assert "ml_client = MLClient.from_config(DefaultAzureCredential())" in text
    assert "store = ml_client.datastores.get_default()" in text


def test_a_credential_written_beside_a_kept_authentication_is_not_evaluated_again(tmp_path: Path) -> None:
    """Beside a v1 authentication that stays (its header is still read), the credential is written
    out again from the same arguments: a call in them (getpass) would run twice, and a variable
    rebound in between would give another value.  Either keeps the workspace v1, and says why;
    arguments that are literals or variables bound once are copied."""
    for argument, rebound, copied in (('getpass.getpass("secret: ")', "", False),
                                      ("secret", "secret = None\n", False),
                                      ("secret", "", True)):
        script = project(tmp_path, f"""\
import getpass
import os

from azureml.core import Workspace
from azureml.core.authentication import ServicePrincipalAuthentication

secret = os.environ.get("SP_SECRET")
sp = ServicePrincipalAuthentication("tenant", "app-id", {argument})
{rebound}ws = Workspace("sub", "rg", "ws", auth=sp)
print(ws.name)
print(sp.get_authentication_header())
""")
        report = fix(script)
        text = script.read_text()
        if copied:
            assert f'ClientSecretCredential(tenant_id="tenant", client_id="app-id", client_secret={argument})' in text
            assert "sp = ServicePrincipalAuthentication(" in text, text
        else:
            assert f"service_principal_password=`{argument}` would be evaluated a second time" in report, report
            assert 'ws = Workspace("sub", "rg", "ws", auth=sp)' in text and "ClientSecretCredential" not in text


def test_a_sign_in_nothing_uses_stays_v1(tmp_path: Path) -> None:
    """InteractiveLoginAuthentication() signs in when it is made; InteractiveBrowserCredential() only
    when something asks it for a token.  A sign-in cell whose object nothing uses keeps v1's, which
    signs in; one passed to a workspace becomes the credential as before."""
    script = project(tmp_path, 'from azureml.core.authentication import InteractiveLoginAuthentication\n\n'
                               'auth = InteractiveLoginAuthentication(tenant_id="t")\nprint("Signed in")\n')
    fix(script)
    assert "auth = InteractiveLoginAuthentication(tenant_id=\"t\")" in script.read_text()
    used = project(tmp_path, 'from azureml.core import Workspace\n'
                             'from azureml.core.authentication import InteractiveLoginAuthentication\n\n'
                             'auth = InteractiveLoginAuthentication(tenant_id="t")\n'
                             'ws = Workspace.from_config(auth=auth)\nprint(ws.name)\n')
    fix(used)
    assert 'auth = InteractiveBrowserCredential(tenant_id="t")' in used.read_text(), used.read_text()


def test_attributes_read_off_the_default_datastore(tmp_path: Path) -> None:
    """``ws.get_default_datastore().name`` reads the same attribute off v2's default datastore;
    a method called on it is v1 code, which keeps the workspace (and that call) as written."""
    script = project(tmp_path, """\
import json

from azureml.core import Workspace

ws = Workspace.from_config()
store = ws.get_default_datastore().name
with open("result.json", "w") as handle:
    json.dump([store, ws.get_default_datastore().container_name], handle)
""")
    report = fix(script)
    text = script.read_text()
    assert no_v1(text), report
    assert "store = ml_client.datastores.get_default().name" in text
    records = execute(script)
    assert json.loads((tmp_path / "result.json").read_text()) == ["workspaceblobstore", "workspaceblobstore-container"]
    assert records.count({"operation": "datastores.get_default"}) == 2
    (tmp_path / "kept").mkdir()
    kept = project(tmp_path / "kept", "from azureml.core import Workspace\n\nws = Workspace.from_config()\n"
                   "print(ws.get_default_datastore().name)\nws.get_default_datastore().upload('./data')\n")
    report = fix(kept)
    assert "print(ws.get_default_datastore().name)" in kept.read_text()
    assert "AML028 left: this form is not migrated automatically" in report


def test_a_workspace_no_variable_holds_is_left_saying_where_it_goes(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Workspace


def get_workspace():
    return Workspace.from_config()


ws: Workspace = Workspace.from_config()


class Trainer:
    def __init__(self):
        self.workspace = Workspace.from_config()
""")
    before = script.read_text()
    report = fix(script)
    assert "job.py:5:12: AML020 left: the workspace is returned: the code that receives it is not followed; v2:" in report
    assert ("job.py:8:17: AML020 left: the workspace is assigned with a type annotation, which would go on naming "
            "the v1 class") in report, report
    assert ("job.py:13:26: AML020 left: the workspace is assigned to an attribute (`self.workspace`), which this fix "
            "does not follow") in report, report
    assert script.read_text() == before


def test_a_workspace_a_helper_returns_through_a_variable_names_the_return(tmp_path: Path) -> None:
    script = project(tmp_path, """\
from azureml.core import Workspace


def get_workspace():
    aml_workspace = Workspace.get(name="w", subscription_id="s", resource_group="r")
    return aml_workspace
""")
    report = fix(script)
    assert ("AML020 left: `aml_workspace` is also used at line 6 (`return aml_workspace`: the callers' uses are not "
            "followed), which stays as it is; v2: MLClient(credential, subscription_id, resource_group_name, "
            "workspace_name) [data-flow limit]") in report, report


def test_an_authentication_whose_arguments_cannot_be_copied_moves_whole_with_its_workspace(tmp_path: Path) -> None:
    """No copy of the credential is needed when nothing keeps the v1 workspace: the authentication
    becomes the credential in place (its call runs once, as before) and the workspace its client.
    A use of the workspace that stays v1 would need the copy: then both stay, and say why."""
    program = """\
import os

from azureml.core import Workspace
from azureml.core.authentication import InteractiveLoginAuthentication

auth = InteractiveLoginAuthentication(tenant_id=os.getenv("TENANT_ID"))
ws = Workspace.from_config(auth=auth)
print(ws.name)
"""
    script = project(tmp_path, program)
    report = fix(script)
    migrated = script.read_text()
    assert no_v1(migrated), report
    assert 'auth = InteractiveBrowserCredential(tenant_id=os.getenv("TENANT_ID"))' in migrated
    assert "ml_client = MLClient.from_config(auth)" in migrated and "print(ml_client.workspace_name)" in migrated
    ruff_clean(script)
    fix(script)
    assert script.read_text() == migrated
    execute(script, {"TENANT_ID": "00000000-0000-0000-0000-000000000000"})
    script.write_text(program + "ws.write_config()\n")
    report = fix(script)
    assert script.read_text() == program + "ws.write_config()\n"
    assert ('tenant_id=`os.getenv("TENANT_ID")` would be evaluated a second time, beside the v1 authentication that '
            "stays") in report, report


def test_two_workspaces_keep_their_own_names(tmp_path: Path) -> None:
    """Both renamed ``ml_client``, the second would overwrite the first (or, in a function, shadow it)."""
    program = """\
from azureml.core import Workspace

ws = Workspace.from_config()
ws2 = Workspace("sub", "rg", "other")


def show():
    local = Workspace("sub", "rg", "third")
    print(ws.name, local.name)


print(ws.name, ws2.name)
show()
"""
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    assert no_v1(migrated) and "ml_client" not in migrated, migrated
    assert "ws = MLClient.from_config(DefaultAzureCredential())" in migrated
    assert 'ws2 = MLClient(DefaultAzureCredential(), subscription_id="sub", resource_group_name="rg", workspace_name="other")' in migrated
    assert "print(ws.workspace_name, local.workspace_name)" in migrated
    ruff_clean(script)


def test_two_workspaces_kept_for_v1_code_get_a_client_each(tmp_path: Path) -> None:
    """Beside two workspaces that stay, each client has its own name (both were ``ml_client``: the
    first workspace's migrated code then ran against the second)."""
    program = """\
from azureml.core import Datastore, Workspace

ws = Workspace.from_config()
ws2 = Workspace.get(name="w2", subscription_id="s", resource_group="r")
a = Datastore.register_azure_blob_container(ws, "aaa", "cont", "acct", overwrite=True)
b = Datastore.register_azure_blob_container(ws2, "bbb", "cont", "acct", overwrite=True)
print(a.name, b.name, ws.service_context, ws2.service_context)
"""
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    assert "ws_client = MLClient.from_config(DefaultAzureCredential())" in migrated
    assert 'ws2_client = MLClient(DefaultAzureCredential(), subscription_id="s"' in migrated
    assert 'a = ws_client.create_or_update(' in migrated and 'b = ws2_client.create_or_update(' in migrated
    fix(script)
    assert script.read_text() == migrated


def test_an_authentication_made_in_the_block_that_uses_it_becomes_a_credential(tmp_path: Path) -> None:
    """``if model is None: auth = MsiAuthentication(); ws = Workspace(..., auth=auth)``: made inside
    an ``if``, the authentication still holds wherever it is used, all below it in that block, so
    it is rewritten where it stands (audit h).  Used after the block, it may be unbound there: left."""
    program = """\
from azureml.core import Workspace
from azureml.core.authentication import MsiAuthentication

model = None


def workspace_name():
    global model
    if model is None:
        auth = MsiAuthentication()
        ws = Workspace(subscription_id="sub", resource_group="rg", workspace_name="ws", auth=auth)
        model = ws.name
    return model


print(workspace_name())
"""
    script = project(tmp_path, program)
    report = fix(script)
    text = script.read_text()
    assert no_v1(text), report
    assert """\
    if model is None:
        auth = ManagedIdentityCredential()
        ml_client = MLClient(auth, subscription_id="sub", resource_group_name="rg", workspace_name="ws")
        model = ml_client.workspace_name
""" in text, text
    ruff_clean(script)
    execute(script)
    fix(script)
    assert script.read_text() == text

    after_the_block = program.replace("        ws = Workspace(", "    ws = Workspace(").replace(
        "        model = ws.name", "    model = ws.name")
    script = project(tmp_path, after_the_block)
    report = fix(script)
    assert "auth = MsiAuthentication()" in script.read_text(), report
    assert "AML020 left: auth=`auth` is not a v1 authentication this fix can follow" in report, report


def test_a_sign_in_guarded_by_a_catch_all_handler_stays_v1(tmp_path: Path) -> None:
    """``try: ws = Workspace.get(..., auth=sp)`` / ``except Exception:`` an interactive sign-in: v1
    signed in and looked the workspace up inside the ``try:``, so a wrong secret took the handler's
    path; MLClient connects only at its first call, after it, and the fallback would never run
    (review 58 H2).  ``Workspace.from_config()`` with no ``auth=`` still migrates there: a missing
    config file, what it guards against, fails MLClient.from_config() at once too."""
    program = """\
import os

from azureml.core import Workspace
from azureml.core.authentication import InteractiveLoginAuthentication, ServicePrincipalAuthentication

try:
    sp = ServicePrincipalAuthentication(tenant_id="tid", service_principal_id="app",
                                        service_principal_password=os.environ.get("PW", ""))
    ws = Workspace.get(name="ws", subscription_id="sub", resource_group="rg", auth=sp)
except Exception:
    print("service principal failed, signing in interactively")
    ws = Workspace.get(name="ws", subscription_id="sub", resource_group="rg", auth=InteractiveLoginAuthentication())
print(ws.name)
"""
    script = project(tmp_path, program)
    report = fix(script)
    assert script.read_text() == program, report
    assert ("AML020 left: it runs inside `try:` with `except Exception` (line 10), where v1 signed in and looked the "
            "workspace up: MLClient does so only at its first call") in report, report

    config_first = """\
from azureml.core import Workspace

try:
    ws = Workspace.from_config()
except Exception:
    print("no config.json here: download it from the portal")
    raise
print(ws.name)
"""
    script = project(tmp_path, config_first)
    report = fix(script)
    assert "    ml_client = MLClient.from_config(DefaultAzureCredential())\n" in script.read_text(), report
