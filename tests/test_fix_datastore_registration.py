"""Datastore.register_azure_blob_container() (mapping.md 7, mapping.json DS-006), executed: the v1
program -> the fixer -> the migrated program run with the real azure-ai-ml, whose datastore
operation is recorded with the REST body it would send."""

from __future__ import annotations

from pathlib import Path

import pytest

from .migrate_helpers import execute, fix, no_v1, project, ruff_clean

REGISTER = """\
from azureml.core import Datastore, Workspace

ws = Workspace.from_config()
blob_ds = Datastore.register_azure_blob_container(workspace=ws,
                                                  datastore_name="blob_data",  # where the uploads go
                                                  container_name="data_container",
                                                  account_name="storeacct",
                                                  {credential}{options})
print(blob_ds.name, blob_ds.container_name)
"""


def _migrated(tmp_path: Path, program: str, env: dict[str, str] | None = None) -> tuple[str, str, list[dict]]:
    script = project(tmp_path, program)
    report = fix(script)
    migrated = script.read_text()
    assert no_v1(migrated), report + migrated
    ruff_clean(script)
    fix(script)
    assert script.read_text() == migrated  # a second run changes nothing
    return migrated, report, execute(script, env)


def _registered(records: list[dict]) -> dict:
    [created] = [r for r in records if r["operation"] == "datastores.create_or_update"]
    assert created["rest_error"] is None, created["rest_error"]
    return created["rest"]["properties"]


def test_a_registration_with_an_account_key_becomes_a_v2_datastore(tmp_path: Path) -> None:
    program = REGISTER.format(credential='account_key="a2V5"', options="")
    migrated, report, records = _migrated(tmp_path, program)
    assert "AML023 fixed: Datastore.register_azure_blob_container() -> ml_client.create_or_update(" in report
    assert "blob_ds = ml_client.create_or_update(AzureBlobDatastore(" in migrated
    assert 'name="blob_data",  # where the uploads go' in migrated  # the argument's comment stays with it
    properties = _registered(records)
    assert properties["accountName"] == "storeacct" and properties["containerName"] == "data_container"
    assert properties["credentials"] == {"credentialsType": "AccountKey",
                                         "secrets": {"secretsType": "AccountKey", "key": "a2V5"}}
    assert properties["protocol"] == "https" and properties["endpoint"] == "core.windows.net"  # v1's defaults
    # v1 raised on a name already registered and had the key checked: v2 does neither
    [todo] = [line for line in migrated.splitlines() if "TODO(azureml-v2)" in line]
    assert "AML023 v1 raised when a datastore of this name was already registered (overwrite=False)" in todo
    assert "check the credential" in todo


@pytest.mark.parametrize(("credential", "expected"), [
    ('sas_token="c2Fz"', {"credentialsType": "Sas", "secrets": {"secretsType": "Sas", "sasToken": "c2Fz"}}),
    ('account_key=""', {"credentialsType": "None"}),  # v1 read an empty key as no credential
    ('protocol="http"', {"credentialsType": "None"}),
])
def test_overwrite_and_skip_validation_leave_nothing_to_check(tmp_path: Path, credential: str, expected: dict) -> None:
    program = REGISTER.format(credential=credential, options=", overwrite=True, skip_validation=True")
    migrated, _, records = _migrated(tmp_path, program)
    assert "TODO(azureml-v2)" not in migrated
    properties = _registered(records)
    assert properties["credentials"] == expected
    assert properties["protocol"] == ("http" if "protocol" in credential else "https")


def test_a_key_known_only_at_run_time_decides_the_credential_at_run_time(tmp_path: Path) -> None:
    """v1 registered no credential for an empty key: the new code tests the variable, as v1 did."""
    program = ("import os\n" + REGISTER.format(credential="account_key=key", options=", overwrite=True")
               ).replace("ws = Workspace", 'key = os.environ.get("STORAGE_KEY", "")\nws = Workspace')
    migrated, _, records = _migrated(tmp_path, program)
    assert "credentials=AccountKeyConfiguration(account_key=key) if key else None" in migrated
    assert _registered(records)["credentials"] == {"credentialsType": "None"}
    records = execute(tmp_path / "job.py", {"STORAGE_KEY": "a2V5"})
    assert _registered(records)["credentials"]["secrets"]["key"] == "a2V5"


def test_the_datasets_on_the_registered_store_and_the_job_migrate_with_it(tmp_path: Path) -> None:
    """The dataset's rewrite names the store by its registered name and takes the variable's use
    away: nothing v1 is left to keep the registration."""
    program = """\
from azureml.core import Dataset, Datastore, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
images = Datastore.register_azure_blob_container(ws, datastore_name="images_store", container_name="sampledata",
                                                 account_name="pipelinedata", overwrite=True)
scans = Dataset.File.from_files((images, "batchscoring/images/"))
env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env,
                         arguments=["--images", scans.as_mount()])
run = Experiment(ws, "scoring").submit(config)
"""
    migrated, report, records = _migrated(tmp_path, program)
    assert "0 left" in report, report
    assert _registered(records)["credentials"] == {"credentialsType": "None"}
    [job] = [r for r in records if r["operation"] == "jobs.create_or_update"]
    assert job["valid"], job["errors"]
    assert job["job"]["inputs"]["images"]["path"].endswith("//datastores/images_store/paths/batchscoring/images/")
    # the registration runs before the job that reads the store
    operations = [r["operation"] for r in records]
    assert operations.index("datastores.create_or_update") < operations.index("jobs.create_or_update")


def test_a_store_registered_under_its_variables_name_migrates_in_the_same_pass(tmp_path: Path) -> None:
    """The dataset's new path spells the registered name, which is also the variable's: text in a
    string is not a use, so the registration goes with the job (one import line for the entities)."""
    program = """\
from azureml.core import Dataset, Datastore, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
blob_store = Datastore.register_azure_blob_container(ws, "blob_store", "cont", "acct", overwrite=True)
config = ScriptRunConfig(source_directory=".", script="train.py", compute_target="cpu",
                         arguments=["--d", Dataset.File.from_files((blob_store, "p/")).as_mount()])
Experiment(ws, "e").submit(config)
"""
    migrated, report, records = _migrated(tmp_path, program)
    assert "0 left" in report, report
    assert migrated.count("from azure.ai.ml.entities import") == 1, migrated
    assert report.count("AML099 fixed") == 1, report
    [job] = [r for r in records if r["operation"] == "jobs.create_or_update"]
    assert job["job"]["inputs"]["d"]["path"].endswith("//datastores/blob_store/paths/p/")


def test_a_use_no_rewrite_takes_keeps_the_v1_registration(tmp_path: Path) -> None:
    """``images.path(...)`` stays v1 (a DataPath): so does the registration it needs."""
    program = REGISTER.format(credential='account_key="a2V5"', options="") + 'labels = blob_ds.path("labels/")\n'
    script = project(tmp_path, program)
    report = fix(script)
    assert "blob_ds = Datastore.register_azure_blob_container(workspace=ws," in script.read_text()
    assert "AML023 left: `blob_ds` is also used at line 10 (`blob_ds.path(\"labels/\")`), which stays as it is" in report


def test_a_dataset_that_stays_v1_keeps_the_registration(tmp_path: Path) -> None:
    """A glob has no v2 input: the dataset stays v1, and with it the v1 datastore it is built on."""
    program = REGISTER.format(credential='account_key="a2V5"', options="") + (
        'from azureml.core import Dataset\nfiles = Dataset.File.from_files(path=(blob_ds, "images/*.png"))\n')
    script = project(tmp_path, program)
    fix(script)
    migrated = script.read_text()
    assert "blob_ds = Datastore.register_azure_blob_container(workspace=ws," in migrated
    assert 'Dataset.File.from_files(path=(blob_ds, "images/*.png"))' in migrated


@pytest.mark.parametrize(("options", "reason"), [
    (", create_if_not_exists=True", "create_if_not_exists=True: v1 created the blob container when it was missing"),
    (", grant_workspace_access=True", "grant_workspace_access= gave the workspace's identity a role"),
    (", blob_cache_timeout=60", "blob_cache_timeout= has no v2 equivalent"),
    (", subscription_id=sub", "subscription_id= of the storage account has no place on v2's datastore"),
    (", overwrite=flag", "overwrite= is not True or False"),
    (', sas_token="c2Fz"', "account_key= and sas_token= both given: v1 registered the SAS token as an account key"),
])
def test_what_v2_cannot_do_keeps_the_registration_with_the_reason(tmp_path: Path, options: str, reason: str) -> None:
    program = REGISTER.format(credential='account_key="a2V5"', options=options)
    program = program.replace("ws = Workspace", 'sub, flag = "0000", True\nws = Workspace')
    script = project(tmp_path, program)
    report = fix(script)
    assert "blob_ds = Datastore.register_azure_blob_container(" in script.read_text()
    assert f"AML023 left: {reason}" in report, report


@pytest.mark.parametrize(("name", "reason"), [
    ('"Blob_Data"', "v1 stored the name 'Blob_Data' in lower case: write it in lower case first"),
    ("store_name", "the datastore's name is not a known string"),
])
def test_a_name_whose_letters_are_not_known_lower_case_is_left(tmp_path: Path, name: str, reason: str) -> None:
    """v1 stored a name with capital letters in lower case; v2's handling of them is not known."""
    program = REGISTER.format(credential='account_key="a2V5"', options="").replace('"blob_data"', name)
    program = program.replace("ws = Workspace", "import sys\nstore_name = sys.argv[1]\nws = Workspace")
    script = project(tmp_path, program)
    report = fix(script)
    assert "Datastore.register_azure_blob_container(" in script.read_text()
    assert f"AML023 left: {reason}" in report, report


def test_a_computed_key_is_assigned_to_a_variable_first(tmp_path: Path) -> None:
    program = REGISTER.format(credential='account_key=os.environ["KEY"]', options="")
    script = project(tmp_path, "import os\n" + program)
    report = fix(script)
    assert "AML023 left: account_key= is computed where it is passed" in report, report


def test_a_use_another_rewrite_moves_elsewhere_keeps_the_registration(tmp_path: Path) -> None:
    """The second registration drops ``account_key=first.account_key`` where it stood and writes it
    again inside ``credentials=``: ``first`` is still read there, as v1's object (v2's has no key)."""
    program = """\
import os
from azureml.core import Datastore, Workspace

ws = Workspace.from_config()
key = os.environ.get("KEY", "")
first = Datastore.register_azure_blob_container(ws, "first_store", "cont", "acct", account_key=key, overwrite=True,
                                                skip_validation=True)
second = Datastore.register_azure_blob_container(ws, "second_store", "other", "acct",
                                                 account_key=first.account_key, overwrite=True, skip_validation=True)
"""
    script = project(tmp_path, program)
    report = fix(script)
    migrated = script.read_text()
    assert "first = Datastore.register_azure_blob_container(ws, " in migrated
    assert "credentials=AccountKeyConfiguration(account_key=first.account_key) if first.account_key else None" in migrated
    # (line 13 of the written file, which has the new imports)
    assert "AML023 left: `first` is also used at line 13 (`first.account_key`), which stays as it is" in report


def test_datasets_name_a_store_registered_with_capitals_as_v1_stored_it(tmp_path: Path) -> None:
    """v1 stored "Images_Store" as "images_store": the dataset's input names that store."""
    program = """\
from azureml.core import Dataset, Datastore, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
images = Datastore.register_azure_blob_container(ws, "Images_Store", "sampledata", "pipelinedata", overwrite=True)
scans = Dataset.File.from_files((images, "batchscoring/images/"))
env = Environment.from_conda_specification(name="env", file_path="pytorch-env.yml")
config = ScriptRunConfig(source_directory="./src", script="train.py", compute_target="cpu-cluster", environment=env,
                         arguments=["--images", scans.as_mount()])
run = Experiment(ws, "scoring").submit(config)
"""
    script = project(tmp_path, program)
    report = fix(script)
    migrated = script.read_text()
    assert "AML023 left: v1 stored the name 'Images_Store' in lower case" in report, report
    assert 'path="azureml://datastores/images_store/paths/batchscoring/images/"' in migrated


def test_a_registration_another_module_imports_stays_v1(tmp_path: Path) -> None:
    """``from job import store`` elsewhere reads v1's datastore (``store.path(...)``), which v2's entity lacks."""
    program = REGISTER.format(credential='account_key="a2V5"', options=", overwrite=True")
    script = project(tmp_path, program)
    (tmp_path / "other.py").write_text('from job import blob_ds\nlabels = blob_ds.path("labels/")\n')
    report = fix(script)
    assert "blob_ds = Datastore.register_azure_blob_container(" in script.read_text()
    assert "AML023 left: another module of the project imports `blob_ds`, so it stays" in report, report


def test_a_comment_on_the_key_line_stays_with_the_credential(tmp_path: Path) -> None:
    program = REGISTER.format(credential='account_key="a2V5",  # from the vault\n                                                  ',
                              options="overwrite=True")
    migrated, _, records = _migrated(tmp_path, program)
    assert 'credentials=AccountKeyConfiguration(account_key="a2V5")  # from the vault' in migrated
    assert _registered(records)["credentials"]["secrets"]["key"] == "a2V5"
