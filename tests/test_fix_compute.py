"""Compute, executed (mapping-extension.md 5): lookups and creations go through
ml_client.compute; each created entity passes azure-ai-ml's REST conversion and carries
every v1 provisioning parameter, with v1's defaults where v2's differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from .migrate_helpers import execute, fix, no_v1, project, ruff_clean, submitted

HEADER = """\
from azureml.core import Experiment, ScriptRunConfig, Workspace
from azureml.core.compute import AmlCompute, ComputeInstance, ComputeTarget
from azureml.core.compute_target import ComputeTargetException

ws = Workspace.from_config()
"""


def _run(tmp_path: Path, body: str, existing: str = "") -> tuple[str, list[dict]]:
    script = project(tmp_path, HEADER + body)
    report = fix(script)
    text = script.read_text()
    assert no_v1(text), report
    ruff_clean(script)
    return text, execute(script, {"AML_EXISTING_COMPUTE": existing})


def _created(records: list[dict]) -> list[dict]:
    created = [r for r in records if r["operation"] == "compute.begin_create_or_update"]
    for record in created:
        assert record["rest_error"] is None, record["rest_error"]
    return created


def test_provisioning_with_every_parameter(tmp_path: Path) -> None:
    text, records = _run(tmp_path, """\
cluster_name = "gpu-cluster"
try:
    cluster = ComputeTarget(workspace=ws, name=cluster_name)
except ComputeTargetException:
    config = AmlCompute.provisioning_configuration(
        vm_size="STANDARD_NC6", vm_priority="lowpriority", min_nodes=1, max_nodes=4,
        idle_seconds_before_scaledown="300",
        admin_username="azureuser", admin_user_password="s3cret", admin_user_ssh_key="ssh-rsa AAAA",
        vnet_resourcegroup_name="network-rg", vnet_name="vnet", subnet_name="default",
        remote_login_port_public_access="Enabled", tags={"team": "fraud"}, description="training",
        identity_type="UserAssigned", identity_id=["/subscriptions/0/resourceGroups/rg/providers/x/id1"],
        location="westeurope", enable_node_public_ip=False)
    cluster = ComputeTarget.create(ws, cluster_name, config)
    cluster.wait_for_completion(show_output=True)
experiment = Experiment(ws, "compute")
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target=cluster))
""")
    (record,) = _created(records)
    compute = record["compute"]
    assert (compute["name"], compute["size"], compute["tier"]) == ("gpu-cluster", "STANDARD_NC6", "low_priority")
    assert (compute["min_instances"], compute["max_instances"], compute["idle_time_before_scale_down"]) == (1, 4, 300)
    assert compute["ssh_settings"] == {"admin_username": "azureuser", "admin_password": "s3cret",
                                       "ssh_key_value": "ssh-rsa AAAA"}
    assert compute["ssh_public_access_enabled"] is True and compute["enable_node_public_ip"] is False
    assert compute["tags"] == {"team": "fraud"} and compute["description"] == "training"
    assert compute["location"] == "westeurope"
    # another resource group than the workspace's: the subnet's full id
    assert compute["network_settings"]["subnet"] == (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network-rg/providers/"
        "Microsoft.Network/virtualNetworks/vnet/subnets/default")
    assert compute["identity"]["type"] == "user_assigned"
    assert "max_nodes" not in text and "TODO(azureml-v2): AML025" not in text  # max_nodes was given
    (job,) = submitted(records)
    assert job["job"]["compute"] == "gpu-cluster"  # the created compute's name


def test_v1_defaults_and_tier_spellings(tmp_path: Path) -> None:
    text, records = _run(tmp_path, """\
dedicated = ComputeTarget.create(ws, "a", AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2",
                                                                              vm_priority="dedicated"))
low = ComputeTarget.create(ws, "b", AmlCompute.provisioning_configuration(vm_priority="LowPriority"))
""")
    first, second = (r["compute"] for r in _created(records))
    assert first["idle_time_before_scale_down"] == 1800  # v1's default, not v2's 120
    assert first["tier"] == "dedicated" and first["max_instances"] == 4
    # max_nodes not given (D+T): v1 left it to the service
    assert text.count("# TODO(azureml-v2): AML025 v1 left max_nodes to the service") == 2
    assert second["tier"] == "low_priority"  # v1's docstring spelling, which v2 would mangle
    assert "size" not in second  # vm_size='' (v1's default): the service picks one


def test_lookups(tmp_path: Path) -> None:
    text, records = _run(tmp_path, """\
cpu = ComputeTarget(workspace=ws, name="cpu-cluster")
gpu = ws.compute_targets["gpu-cluster"]
experiment = Experiment(ws, "lookups")
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target=cpu))
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target=gpu))
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target=ws.compute_targets["other"]))
experiment.submit(ScriptRunConfig("./src", "train.py", compute_target="local"))
""", existing="cpu-cluster,gpu-cluster")
    assert [r["name"] for r in records if r["operation"] == "compute.get"] == ["cpu-cluster", "gpu-cluster"]
    assert [j["job"]["compute"] for j in submitted(records)] == ["cpu-cluster", "gpu-cluster", "other", "local"]
    # compute_target="local" (D+T): v2 runs it in Docker
    assert text.count("# TODO(azureml-v2): AML002 v2 local jobs always run the environment's image in Docker") == 1


def test_compute_instance(tmp_path: Path) -> None:
    _, records = _run(tmp_path, """\
config = ComputeInstance.provisioning_configuration(
    vm_size="STANDARD_DS3_V2", ssh_public_access=True, admin_user_ssh_public_key="ssh-rsa AAAA",
    assigned_user_object_id="11111111-1111-1111-1111-111111111111",
    assigned_user_tenant_id="22222222-2222-2222-2222-222222222222")
instance = ComputeTarget.create(ws, "my-instance", config)
instance.wait_for_completion(show_output=True)
""")
    (record,) = _created(records)
    rest = record["rest"]["properties"]["properties"]
    assert record["compute"]["type"] == "computeinstance" and record["compute"]["size"] == "STANDARD_DS3_V2"
    assert rest["sshSettings"] == {"sshPublicAccess": "Enabled", "adminPublicKey": "ssh-rsa AAAA"}
    assert rest["personalComputeInstanceSettings"]["assignedUser"] == {
        "objectId": "11111111-1111-1111-1111-111111111111", "tenantId": "22222222-2222-2222-2222-222222222222"}


def test_an_import_bound_again_before_any_read_goes_with_its_use(tmp_path: Path) -> None:
    """A notebook imports ComputeTarget in two cells.  Once the first cell's lookup migrates,
    nothing reads the first import before the second binds the name again (pyflakes'
    "redefinition of unused"): it goes, and the second stays for the v1 code after it."""
    script = project(tmp_path, """\
from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.core.compute import ComputeTarget

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name="cpu-cluster")
env = Environment.get(ws, "sklearn-env", version="3")
run = Experiment(ws, "again").submit(ScriptRunConfig("./src", "train.py", compute_target=cluster, environment=env))

from azureml.core.compute import ComputeTarget

for target in ComputeTarget.list(ws):
    print(target.name)
""")
    report = fix(script)
    text = script.read_text()
    assert "AML001 fixed" in report and "redefines" not in report, report
    assert text.count("from azureml.core.compute import ComputeTarget") == 1
    assert text.index("from azureml.core.compute import ComputeTarget") > text.index("ml_client.jobs.create_or_update(")
    ruff_clean(script)
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


GET_OR_CREATE_BY_MEMBERSHIP = """\
compute_name = "cpu-cluster"
seen = open("seen.txt", "w")
if compute_name in ws.compute_targets:
    compute_target = ws.compute_targets[compute_name]
    if compute_target and type(compute_target) is AmlCompute:
        seen.write("found " + compute_target.name + "\\n")
    if compute_target.type == 'AmlCompute':
        seen.write("a cluster\\n")
else:
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=4)
    compute_target = ComputeTarget.create(ws, compute_name, config)
    compute_target.wait_for_completion(show_output=True)
for name in ws.compute_targets:
    seen.write("listed " + name + "\\n")
for name in ws.datastores:
    seen.write("store " + name + "\\n")
seen.close()
Experiment(ws, "membership").submit(ScriptRunConfig("./src", "train.py", compute_target=compute_target))
"""


def test_get_or_create_by_membership_keeps_every_branch(tmp_path: Path) -> None:
    """The notebooks' `if name in ws.compute_targets:` form: the membership test and the loops read
    the v2 dictionary's keys; the class and type checks hold for the v2 entity, so the branch that
    finds the cluster does what it did."""
    text, records = _run(tmp_path, GET_OR_CREATE_BY_MEMBERSHIP, existing="cpu-cluster,gpu-cluster")
    assert "if compute_name in {c.name: c for c in ml_client.compute.list()}:" in text
    assert "type(compute_target) is AmlCompute" in text  # the v2 entity class, imported from azure.ai.ml.entities
    assert "from azure.ai.ml.entities import AmlCompute" in text
    assert "if compute_target.type == 'amlcompute':" in text  # v2 spells the REST type in lower case
    assert (tmp_path / "seen.txt").read_text().splitlines() == [
        "found cpu-cluster", "a cluster", "listed cpu-cluster", "listed gpu-cluster",
        "store workspaceblobstore", "store workspacefilestore"]
    assert [j["job"]["compute"] for j in submitted(records)] == ["cpu-cluster"]
    assert not _created(records)
    # the other branch creates it
    (tmp_path / "recorded.json").unlink()
    records = execute(tmp_path / "job.py", {"AML_EXISTING_COMPUTE": "gpu-cluster"})
    assert [c["compute"]["name"] for c in _created(records)] == ["cpu-cluster"]
    assert (tmp_path / "seen.txt").read_text().splitlines()[0] == "listed gpu-cluster"
    before = text
    fix(tmp_path / "job.py")
    assert (tmp_path / "job.py").read_text() == before  # a second run changes nothing


def test_class_checks_that_may_see_another_value_stay_v1(tmp_path: Path) -> None:
    """A check that can also see a value bound elsewhere (here: a v1 compute made in another
    branch) is not rewritten, so neither rewrite is made and both stay reported."""
    script = project(tmp_path, HEADER + """\
if ws:
    target = ws.compute_targets["cpu-cluster"]
else:
    target = ComputeTarget(workspace=ws, name="other")
print(type(target) is AmlCompute, target.type == "AmlCompute")
""")
    report = fix(script)
    text = script.read_text()
    assert 'print(type(target) is AmlCompute, target.type == "AmlCompute")' in text
    assert 'target = ws.compute_targets["cpu-cluster"]' in text  # the branch's own lookup stays too
    assert 'target = ComputeTarget(workspace=ws, name="other")' in text
    assert "from azureml.core.compute import" in text
    assert "AML024 left" in report


def test_item_lookup_that_catches_key_error_is_a_get_or_create(tmp_path: Path) -> None:
    """``ws.compute_targets[n]`` raises KeyError for a missing compute; ``ml_client.compute.get``
    raises ResourceNotFoundError, so the handler is rewritten with the lookup, as one piece."""
    body = """\
try:
    compute_target = ws.compute_targets["gpu-cluster"]
    print("Found existing compute target.")
except KeyError:
    config = AmlCompute.provisioning_configuration(vm_size="Standard_NC6s_v3", max_nodes=4)
    compute_target = ComputeTarget.create(ws, "gpu-cluster", config)
compute_target.wait_for_completion(show_output=True, min_node_count=None, timeout_in_minutes=20)
Experiment(ws, "key-error").submit(ScriptRunConfig("./src", "train.py", compute_target=compute_target))
"""
    text, records = _run(tmp_path, body)
    assert "except ResourceNotFoundError:" in text and "KeyError" not in text
    assert [c["compute"]["name"] for c in _created(records)] == ["gpu-cluster"]
    assert [j["job"]["compute"] for j in submitted(records)] == ["gpu-cluster"]
    (tmp_path / "recorded.json").unlink()
    records = execute(tmp_path / "job.py", {"AML_EXISTING_COMPUTE": "gpu-cluster"})
    assert not _created(records) and [j["job"]["compute"] for j in submitted(records)] == ["gpu-cluster"]


def test_item_lookup_under_another_handler_is_not_rewritten(tmp_path: Path) -> None:
    """Under a handler that is not the get-or-create one, the exception it waits for would change."""
    script = project(tmp_path, HEADER + """\
try:
    compute_target = ws.compute_targets["gpu-cluster"]
except KeyError:
    compute_target = None
print(compute_target)
""")
    report = fix(script)
    assert 'compute_target = ws.compute_targets["gpu-cluster"]' in script.read_text()
    assert "AML020 left: `ws` is also used at line" in report and '(`ws.compute_targets["gpu-cluster"]`)' in report


def test_create_called_with_keywords(tmp_path: Path) -> None:
    """v2's begin_create_or_update takes the entity as ``compute``: v1's keyword does not carry over."""
    text, records = _run(tmp_path, """\
config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=2)
cluster = ComputeTarget.create(workspace=ws, name="kw-cluster", provisioning_configuration=config)
cluster.wait_for_completion(show_output=True)
""")
    assert "provisioning_configuration" not in text and "begin_create_or_update(compute=config)" in text
    (record,) = _created(records)
    assert record["compute"]["name"] == "kw-cluster"


NESTED = """\
cluster_name = "nested-cluster"
try:
    cluster = ComputeTarget(workspace=ws, name=cluster_name)
    print("Found existing cluster, use it.")
except ComputeTargetException:
    try:
        config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", max_nodes=2)
        cluster = ComputeTarget.create(ws, cluster_name, config)
        cluster.wait_for_completion(show_output=True)
    except {caught} as ex:
        print(ex)
Experiment(ws, "nested").submit(ScriptRunConfig("./src", "train.py", compute_target=cluster))
"""


def test_creation_guarded_by_a_handler_that_catches_everything(tmp_path: Path) -> None:
    """A ``try`` around the creation whose handler catches everything catches v2's errors as it
    caught v1's: the get-or-create is rewritten inside it, and the handler stays as written."""
    text, records = _run(tmp_path, NESTED.format(caught="Exception"))
    assert "except ResourceNotFoundError:" in text and "    except Exception as ex:\n        print(ex)" in text
    assert "cluster = ml_client.compute.begin_create_or_update(config).result()" in text
    assert [c["compute"]["name"] for c in _created(records)] == ["nested-cluster"]
    assert [j["job"]["compute"] for j in submitted(records)] == ["nested-cluster"]
    script = tmp_path / "job.py"
    fix(script)
    assert script.read_text() == text


def test_creation_guarded_by_a_handler_for_v1_errors_stays(tmp_path: Path) -> None:
    """A handler that waits for a v1 exception would not see v2's: nothing in the block changes."""
    script = project(tmp_path, HEADER + NESTED.format(caught="ComputeTargetException"))
    report = fix(script)
    assert "cluster = ComputeTarget.create(ws, cluster_name, config)" in script.read_text()
    assert "the except clause does not create the compute with one ComputeTarget.create(...)" in report


def test_a_lookup_replaced_before_any_read_goes_only_with_its_replacement(tmp_path: Path) -> None:
    """``cluster = ws.compute_targets[n]`` that nothing reads before a later statement creates the
    cluster: in a notebook the two are alternative cells, one of them skipped, so the lookup's value
    may reach the code written for the creation's.  The creation stays v1 (its get_status() has no
    v2 form), so the lookup does too."""
    script = project(tmp_path, HEADER + """\
cluster = ws.compute_targets["cpu-cluster"]
config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=4)
cluster = ComputeTarget.create(ws, "cpu-cluster", config)
cluster.wait_for_completion(show_output=True)
print(cluster.get_status().serialize())
""")
    report = fix(script)
    text = script.read_text()
    assert 'cluster = ws.compute_targets["cpu-cluster"]' in text and "ml_client.compute.get" not in text
    assert "where it may hold this value or the one assigned at line 7" in report, report


def test_alike_replacements_of_a_value_nothing_reads_are_both_migrated(tmp_path: Path) -> None:
    text, records = _run(tmp_path, """\
cluster = ws.compute_targets["cpu-cluster"]
cluster = ws.compute_targets["gpu-cluster"]
Experiment(ws, "alike").submit(ScriptRunConfig("./src", "train.py", compute_target=cluster))
""", existing="cpu-cluster,gpu-cluster")
    assert text.count("ml_client.compute.get(") == 2
    assert [j["job"]["compute"] for j in submitted(records)] == ["gpu-cluster"]


def test_a_compute_looked_up_inside_a_v1_call_that_stays_stays_v1(tmp_path: Path) -> None:
    """v1's ScriptRunConfig takes a v1 ComputeTarget or a name: handed ml_client.compute.get(...)
    it would not send the job to that cluster.  Written inside the call, the lookup migrates only
    with the call; while the call stays (its environment is changed after it is made), so does
    the lookup, and its finding says why.  With the call migrating, both go."""
    stays = ('env = Environment.get(workspace=ws, name="torch")\nenv.environment_variables["KEY"] = "1"\n'
             'src = ScriptRunConfig(source_directory="src", script="train.py", environment=env,\n'
             '                      compute_target=ComputeTarget(workspace=ws, name="gpu"))\n'
             'run = Experiment(workspace=ws, name="exp").submit(src)\n')
    script = project(tmp_path, HEADER.replace("import Experiment,", "import Environment, Experiment,") + stays)
    before = script.read_text()
    report = fix(script)
    assert "compute_target=ComputeTarget(workspace=ws, name=\"gpu\"))" in script.read_text(), report
    assert "ml_client.compute.get" not in script.read_text()
    assert "AML024 left" in report and "AML024 fixed" not in report
    script.write_text(before.replace('env.environment_variables["KEY"] = "1"\n', ""))
    report = fix(script)
    text = script.read_text()
    assert 'compute=ml_client.compute.get("gpu").name' in text, report
    assert no_v1(text)
    ruff_clean(script)
    records = execute(script, {"AML_EXISTING_COMPUTE": "gpu"})
    assert [r["job"]["compute"] for r in records if r["operation"] == "jobs.create_or_update"] == ["gpu"]


def test_a_compute_looked_up_inside_a_v1_call_without_a_fix_stays(tmp_path: Path) -> None:
    script = project(tmp_path, HEADER + "from azureml.core.webservice import Webservice\n\n"
                     'service = Webservice.deploy_from_model(ws, "svc", [], None,\n'
                     '                                       deployment_target=ComputeTarget(ws, "aks"))\n')
    report = fix(script)
    assert 'deployment_target=ComputeTarget(ws, "aks"))\n' in script.read_text()
    assert "ml_client" not in script.read_text()
    assert ("AML024 left: its value goes into `Webservice.deploy_from_model(ws, \"svc...` (line 7), which stays as "
            "it is and takes no new object") in report, report


@pytest.mark.parametrize("create", ["AmlCompute.create", "ComputeTarget.create"])
def test_the_subclass_spelling_of_get_or_create_migrates_like_compute_target(tmp_path: Path, create: str) -> None:
    """``AmlCompute(ws, name)`` looks up and ``AmlCompute.create(...)`` creates, exactly as
    ComputeTarget's do (the subclass inherits both): the block and the job that runs on it move.
    The lookup's AmlCompute and the base class's create are one kind of value too (audit, stop 64,
    lot d M2: the job was said to get something other than a compute target)."""
    text, records = _run(tmp_path, f"""\
try:
    cluster = AmlCompute(workspace=ws, name="gpu-cluster")
except ComputeTargetException:
    config = AmlCompute.provisioning_configuration(vm_size="Standard_NC6", max_nodes=4)
    cluster = {create}(ws, name="gpu-cluster", provisioning_configuration=config)
    cluster.wait_for_completion(show_output=True)
src = ScriptRunConfig(source_directory="./src", script="train.py", compute_target=cluster)
run = Experiment(ws, "subclass").submit(src)
""")
    assert 'cluster = ml_client.compute.get("gpu-cluster")' in text, text
    (record,) = _created(records)
    assert (record["compute"]["name"], record["compute"]["max_instances"]) == ("gpu-cluster", 4)
    (job,) = submitted(records)
    assert job["job"]["compute"] == "gpu-cluster"


def test_a_refused_get_or_create_block_leaves_each_of_its_constructs_for_its_reason(tmp_path: Path) -> None:
    """The block migrates as one piece: when its lookup is refused, the exception it catches,
    the provisioning configuration and the creation say why, not "this form is not migrated"."""
    (tmp_path / "helpers.py").write_text(
        "import os\n\nfrom azureml.core import Workspace\n\n\ndef connect(path):\n"
        "    if os.path.exists(path):\n        return Workspace.from_config(path)\n"
        '    return Workspace.create("ws", subscription_id="s", resource_group="rg")\n')
    script = project(tmp_path, """\
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.exceptions import ComputeTargetException

from helpers import connect

ws = connect("config.json")
try:
    cluster = ComputeTarget(workspace=ws, name="cpu")
except ComputeTargetException:
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_NC12", max_nodes=8)
    cluster = ComputeTarget.create(ws, "cpu", config)
    cluster.wait_for_completion(show_output=True)
""")
    before = script.read_text()
    report = fix(script)
    assert script.read_text() == before
    reason = "the compute's workspace `ws` comes from connect(...), which this fix cannot follow"
    left = {line.split(": ")[0].split(":", 1)[1]: line for line in report.splitlines() if " left: " in line
            and "AML099" not in line}
    assert sorted(left) == ["10:14", "11:15", "8:15", "9:8"], report
    assert all(reason in line and line.endswith("[data-flow limit]") for line in left.values()), report


@pytest.mark.parametrize("handler", ["except:", "except Exception:"])
def test_get_or_create_under_a_handler_that_catches_everything_migrates(tmp_path: Path, handler: str) -> None:
    """A bare ``except:`` (or ``except Exception:``) catches v2's ResourceNotFoundError as it
    caught v1's ComputeTargetException: the block migrates, and the handler stays as written."""
    text, records = _run(tmp_path, f"""\
try:
    cluster = AmlCompute(ws, "cpu-cluster")
{handler}
    config = AmlCompute.provisioning_configuration(vm_size="Standard_D2_v2", min_nodes=1, max_nodes=3)
    cluster = ComputeTarget.create(ws, "cpu-cluster", config)
    cluster.wait_for_completion(show_output=True)
print(cluster.name)
""")
    assert 'cluster = ml_client.compute.get("cpu-cluster")' in text and f"\n{handler}\n" in text, text
    (record,) = _created(records)
    assert (record["compute"]["name"], record["compute"]["min_instances"], record["compute"]["max_instances"]) == (
        "cpu-cluster", 1, 3)
    script = tmp_path / "job.py"
    fix(script)
    assert script.read_text() == text


GET_OR_CREATE_INSTANCE = """\
try:
    instance = ComputeInstance(workspace=ws, name="my-instance"){noqa}
except ComputeTargetException:
    config = ComputeInstance.provisioning_configuration(vm_size="STANDARD_DS3_V2", ssh_public_access=False)
    instance = ComputeInstance.create(workspace=ws, name="my-instance", provisioning_configuration=config)
    instance.wait_for_completion(show_output=True)
"""


def test_a_compute_instance_get_or_create_is_recorded_under_the_codes_check_reports(tmp_path: Path) -> None:
    """The migration rewrites a ComputeInstance lookup as it does a ComputeTarget one; what it
    reports fixed is what check found there (AML027), not the lookup's usual code."""
    script = project(tmp_path, HEADER + GET_OR_CREATE_INSTANCE.format(noqa=""))
    report = fix(script, "--unsafe-fixes")
    assert "job.py:7:16: AML027 fixed: ComputeTarget get-or-create" in report, report
    assert "job.py:8:8: AML026 fixed: rewritten with the AML027 fix on line 7" in report, report
    assert "job.py:10:16: AML027 fixed: rewritten with the AML027 fix on line 7" in report, report
    assert "AML024" not in report, report
    assert "ml_client.compute.get(\"my-instance\")" in script.read_text()


def test_a_noqa_for_the_code_check_reports_stops_the_rewrite(tmp_path: Path) -> None:
    """`# noqa: AML027` on the lookup suppresses the finding there; the fix must not rewrite it
    (nor the handler and creation that go with it) under another code."""
    source = HEADER + GET_OR_CREATE_INSTANCE.format(noqa="  # noqa: AML027")
    script = project(tmp_path, source)
    report = fix(script, "--unsafe-fixes")
    text = script.read_text()
    assert "ComputeInstance(workspace=ws, name=\"my-instance\")  # noqa: AML027" in text
    assert "except ComputeTargetException:" in text and "ComputeInstance.create(" in text
    assert "job.py:10:16: AML027 left: line 7: AML027 is suppressed with # noqa [suppressed]" in report, report


@pytest.mark.parametrize("member", ["update(idle_seconds_before_scaledown=360)", "get_status()", "delete()",
                                    "list_nodes()", "vm_size"])
def test_a_member_used_on_the_looked_up_compute_keeps_the_lookup_v1(tmp_path: Path, member: str) -> None:
    """v2's compute entity has no ``update``, ``get_status``, ... : chained on the lookup, the
    migrated call would raise AttributeError.  ``.name`` means the same and migrates."""
    script = project(tmp_path, HEADER + f"""\
ComputeTarget(ws, "gpu-cluster").{member}
print(ComputeTarget(ws, "cpu-cluster").name)
""")
    report = fix(script)
    text = script.read_text()
    assert f'ComputeTarget(ws, "gpu-cluster").{member}' in text
    assert 'print(ml_client.compute.get("cpu-cluster").name)' in text
    attribute = member.split("(")[0]
    assert (f"AML024 left: `.{attribute}` is used on the compute it looks up, and v2's compute entity has no "
            "member that does the same") in report
    before = script.read_bytes()
    fix(script)
    assert script.read_bytes() == before


_NODES_NOTE = "line 11: min_node_count= dropped: v1 also waited for that many nodes"
_TIMEOUT_NOTE = "line 11: timeout_in_minutes= dropped: v1 went on after that long"


@pytest.mark.parametrize(("wait", "notes"), [
    ("show_output=True", ()),
    ("show_output=True, min_node_count=1", (_NODES_NOTE,)),
    ("show_output=True, timeout_in_minutes=20", (_TIMEOUT_NOTE,)),  # audit t
    ("True, None, 20", (_TIMEOUT_NOTE,)),
    # audit, stop 64 (lot a L1): None waited for the cluster only, as .result() does
    ("show_output=True, min_node_count=None, timeout_in_minutes=10", (_TIMEOUT_NOTE,)),
    ("True, 2", (_NODES_NOTE,)),
])
def test_what_a_wait_also_did_is_dropped_with_a_note(tmp_path: Path, wait: str, notes: tuple[str, ...]) -> None:
    """``wait_for_completion(min_node_count=1)`` also waited for a node (audit 42), and
    ``timeout_in_minutes=20`` went on after 20 minutes; .result() waits for the cluster, until it
    is made, so the fix says what it dropped (only the timing changes)."""
    script = project(tmp_path, HEADER + f"""\
try:
    cluster = ComputeTarget(workspace=ws, name="cpu-cluster")
except ComputeTargetException:
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=4)
    cluster = ComputeTarget.create(ws, "cpu-cluster", config)
cluster.wait_for_completion({wait})
""")
    report = fix(script)
    assert "wait_for_completion" not in script.read_text(), report
    assert [note for note in (_NODES_NOTE, _TIMEOUT_NOTE) if note in report] == list(notes), report
    assert "(audit" not in report, report
    assert [c["compute"]["name"] for c in _created(execute(script))] == ["cpu-cluster"]


@pytest.mark.parametrize(("after", "noted"), [("", True), ("cluster.wait_for_completion(show_output=True)\n", False)])
def test_a_create_nothing_waited_for_says_result_now_waits(tmp_path: Path, after: str, noted: bool) -> None:
    """v1's create() returned once the cluster was requested; .result() waits until it is provisioned
    (audit 49): only the timing changes, and the fix says so where no wait followed."""
    script = project(tmp_path, HEADER + 'config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", '
                     'max_nodes=2)\ncluster = ComputeTarget.create(ws, "cpu-cluster", config)\n' + after)
    report = fix(script)
    assert "begin_create_or_update" in script.read_text(), report
    assert ("nothing waited for it: v1's create returned once it was requested" in report) is noted, report
    assert [c["compute"]["name"] for c in _created(execute(script))] == ["cpu-cluster"]


def test_a_get_or_create_in_a_function_whose_variable_only_waited(tmp_path: Path) -> None:
    """Inside a function, the cluster variable's one read was ``wait_for_completion``, which folds
    into ``.result()``: the variable would be left unused (ruff's F841), so the calls stay without
    it, for their effects (audit j: the whole get-or-create was refused for that)."""
    program = """\
from azureml.core import Workspace, ComputeTarget
from azureml.core.compute import AmlCompute
from azureml.exceptions import ComputeTargetException


def main(name, vm_size, nodes):
    ws = Workspace.from_config()

    try:
        compute_cluster = ComputeTarget(ws, name)
    except ComputeTargetException:
        compute_config = AmlCompute.provisioning_configuration(
            vm_size=vm_size, min_nodes=1, max_nodes=nodes
        )

        compute_cluster = ComputeTarget.create(ws, name, compute_config)
        compute_cluster.wait_for_completion(show_output=True)


main("cpu-cluster", "STANDARD_D2_V2", 4)
"""
    script = project(tmp_path, program)
    report = fix(script)
    text = script.read_text()
    assert no_v1(text) and "AML024 fixed" in report, report
    assert "    try:\n        ml_client.compute.get(name)\n    except ResourceNotFoundError:\n" in text, text
    assert "        ml_client.compute.begin_create_or_update(compute_config).result()\n" in text, text
    assert "compute_cluster" not in text
    ruff_clean(script)
    created = _created(execute(script, {"AML_EXISTING_COMPUTE": ""}))
    assert [(c["compute"]["name"], c["compute"]["size"], c["compute"]["min_instances"], c["compute"]["max_instances"])
            for c in created] == [
        ("cpu-cluster", "STANDARD_D2_V2", 1, 4)], created
    fix(script)
    assert script.read_text() == text
    # a comment that spells the new call out is no call of the input: the statements are still the fix's
    # own (review 58 L2)
    script = project(tmp_path, "# ml_client.compute.get(name) is what v2 calls\n" + program)
    report = fix(script)
    assert "        ml_client.compute.get(name)\n" in script.read_text(), report


def test_a_statement_the_fix_did_not_write_keeps_its_variable() -> None:
    """Only calls the fix wrote lose an unread target; the user's own, or one the function may
    read by name (``locals()``), keep the refusal."""
    import ast

    from flake8_azureml_v2.engine.fixing.locate import Locator
    from flake8_azureml_v2.engine.fixing.statements import drop_unread_targets
    from flake8_azureml_v2.engine.source import SourceText

    text = "def f():\n    x = new_call()\n    y = 1\n"
    locator = Locator(SourceText(text))
    tree = ast.parse(text)
    edits = drop_unread_targets(locator, tree, {"x"}, lambda value: value == "new_call()")
    assert [(text[e.start:e.end], e.text) for e in edits] == [("x = ", "")]
    assert drop_unread_targets(locator, tree, {"x"}, lambda value: False) is None
    assert drop_unread_targets(locator, tree, {"y"}, lambda value: True) is None  # not a call
    dynamic = "def f():\n    x = new_call()\n    return locals()\n"
    assert drop_unread_targets(Locator(SourceText(dynamic)), ast.parse(dynamic), {"x"}, lambda value: True) is None
    # a bracketed value keeps its bracket; another function's own unused local is left alone; a type
    # comment would be left on an expression, so that statement keeps its target (review 58 M3, M4, L1)
    bracketed = ("def f():\n    x = (\n        new_call()  # why\n    )\n\n\ndef g():\n    x = old_call()\n"
                 "\n\ndef h():\n    x = new_call()  # type: int\n")
    edits = drop_unread_targets(Locator(SourceText(bracketed)), ast.parse(bracketed), {"x"},
                                lambda value: "new_call" in value)
    assert [(bracketed[e.start:e.end], e.text) for e in edits] == [("x = ", "")]
    assert bracketed[edits[0].end] == "("


def test_a_comment_on_the_wait_goes_with_it_above_the_create(tmp_path: Path) -> None:
    """``# Wait for the cluster`` above ``ct.wait_for_completion(...)``: the wait is now the
    create's ``.result()``, so its comment goes above the create, not left over ``print`` (audit h)."""
    text, _ = _run(tmp_path, """\
cfg = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=2)
ct = ComputeTarget.create(ws, "cpu", cfg)
# Wait for the cluster, show the output log
ct.wait_for_completion(show_output=True)
print("done")
""")
    assert text.endswith("# Wait for the cluster, show the output log\n"
                         "ct = ml_client.compute.begin_create_or_update(cfg).result()\n"
                         'print("done")\n'), text


@pytest.mark.parametrize(("imports", "named"), [("", True), ("from azureml.core.compute_target import ComputeTargetException\n", False)])
def test_a_handler_for_an_exception_never_imported_says_so(tmp_path: Path, imports: str, named: bool) -> None:
    """Audit, stop 64 (lot b L2): ``except ComputeTargetException:`` without its import was said
    not to catch just that name; it catches nothing but a NameError, and the reason now says so."""
    script = project(tmp_path, HEADER.replace("from azureml.core.compute_target import ComputeTargetException\n", imports)
                     + """\
try:
    cluster = ComputeTarget(workspace=ws, name="cpu-cluster")
except ComputeTargetException:
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=4)
    cluster = ComputeTarget.create(ws, "cpu-cluster", config)
""")
    report = fix(script)
    assert ("names ComputeTargetException, which the program never imports" in report) is named, report
    assert ("begin_create_or_update" in script.read_text()) is not named, report
