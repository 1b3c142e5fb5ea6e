"""Model.deploy -> online endpoint + deployment, executed: each entity passes its REST
conversion (``_to_rest_object``, mapping-extension.md 10), and the service handle's
methods reach the endpoint (``service.run`` over real HTTP to a local server)."""

from __future__ import annotations

import http.server
import json
import textwrap
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_azureml_v2.migrations.deployment import SKU_ROWS, v1_resources_to_sku

from .migrate_helpers import assert_fixed_point, execute, fix, project, ruff_clean

HEADER = """\
from azureml.core import Environment, Model, Workspace
from azureml.core.model import InferenceConfig
from azureml.core.webservice import AciWebservice, AksWebservice
from registry import model

ws = Workspace.from_config()
env = Environment.get(ws, "AzureML-sklearn-1.0")
inference_config = InferenceConfig(entry_script="score.py", source_directory="./src", environment=env)
"""
# What the program deploys: a registered model and an AKS target, as the project's own module gives them.
REGISTRY = "from types import SimpleNamespace\nmodel = SimpleNamespace(name='churn', version='3')\n" \
           "aks_target = SimpleNamespace(name='k8s-compute')\n"


@pytest.mark.parametrize(("cpu", "memory", "sku", "listed"), [
    *[(c, m, sku, True) for c, m, sku in SKU_ROWS],  # every cell of the ACI-upgrade table
    (None, None, "Standard_DS1_v2", True),  # v1's defaults: 0.1 cores, 0.5 GB
    (1, 2, "Standard_DS2_v2", False),  # <=1 core with >1.2 GB: the first row that covers both
    (8, 1, None, False),  # beyond the table
])
def test_the_sku_table(cpu: float | None, memory: float | None, sku: str | None, listed: bool) -> None:
    assert v1_resources_to_sku(cpu, memory) == (sku, listed)


@pytest.fixture()
def scoring_server() -> Iterator[str]:
    """A real HTTP server standing in for the endpoint's scoring URI: it echoes the request."""

    class Echo(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            reply = json.dumps({"received": json.loads(body), "authorization": self.headers["Authorization"]})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(reply.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/score"
    server.shutdown()


def _deploy(tmp_path: Path, body: str, env: dict[str, str] | None = None) -> tuple[str, str, list[dict]]:
    script = project(tmp_path, HEADER + textwrap.dedent(body))
    (tmp_path / "registry.py").write_text(REGISTRY)
    report = fix(script)
    migrated = script.read_text()
    ruff_clean(script)
    records = execute(script, env)
    for record in records:
        assert record.get("rest_error") is None, record
    return migrated, report, records


def _entities(records: list[dict], operation: str) -> list[dict]:
    return [r["entity"] for r in records if r["operation"] == operation]


def test_aci_becomes_a_managed_endpoint_and_the_handle_follows(tmp_path: Path, scoring_server: str) -> None:
    migrated, report, records = _deploy(tmp_path, """\
        import json

        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1, description="churn",
                                                        tags={"team": "ml"}, enable_app_insights=True)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config)
        service.wait_for_deployment(show_output=True)
        print(service.scoring_uri)
        uri = service.scoring_uri
        print(service.get_logs())
        print(service.get_logs(num_lines=20))
        primary, secondary = service.get_keys()
        reply = service.run(json.dumps({"data": [[1, 2]]}))
        print(reply["received"], reply["authorization"])
        service.delete()
        """, {"AML_SCORING_URI": scoring_server})
    for code in ("AML071", "AML072", "AML073", "AML078", "AML079"):
        assert f"{code} fixed" in report, report
    assert "from azureml" not in migrated.replace("from azureml.core import Workspace", "")
    # ACI had auth off; managed endpoints require a key: one TODO for the deployment
    assert migrated.count("TODO(azureml-v2): AML071 v1 ACI had auth off by default") == 1
    # a raw request to the URI now needs the key: said where the URI is read (not where it is printed)
    lines = migrated.splitlines()
    uri = next(i for i, line in enumerate(lines) if line.startswith("uri = "))
    assert lines[uri - 1].startswith("# TODO(azureml-v2): AML079 a request to this URI needs the endpoint's key"), lines
    assert "get_keys(service.name).primary_key}'}" in lines[uri - 1]
    assert migrated.count("a request to this URI needs the endpoint's key") == 1
    first, routed = _entities(records, "online_endpoints.begin_create_or_update")
    assert first["name"] == "churn-svc" and first["auth_mode"] == "key" and first["traffic"] == {}
    assert first["description"] == "churn" and first["tags"] == {"team": "ml"}
    assert routed["traffic"] == {"blue": 100}  # routed once the deployment is done
    (deployment,) = _entities(records, "online_deployments.begin_create_or_update")
    assert deployment["instance_type"] == "Standard_DS1_v2" and deployment["instance_count"] == 1
    assert deployment["model"] == "churn:3" and deployment["environment"] == "AzureML-sklearn-1.0@latest"
    assert deployment["code_configuration"] == {"code": "./src", "scoring_script": "score.py"}
    assert deployment["app_insights_enabled"] is True
    operations = [r["operation"] for r in records]
    assert operations.index("online_endpoints.begin_create_or_update", 1) > operations.index(
        "online_deployments.begin_create_or_update")
    logs = [r["lines"] for r in records if r["operation"] == "online_deployments.get_logs"]
    assert logs == [5000, 20]  # v1's default num_lines, then the one given
    assert "online_endpoints.begin_delete" in operations
    output = (tmp_path / "recorded.json").read_text()
    assert output  # the program ran to its end
    assert operations.count("online_endpoints.get_keys") == 2  # get_keys(), and the key service.run sends


def test_the_key_todo_goes_past_a_displayed_uri_to_the_read_a_request_may_use(tmp_path: Path) -> None:
    """Audit l: a notebook shows ``service.scoring_uri`` in one cell and POSTs to it in the next; the
    TODO about the key went on the display, and the request, which now fails without a key, got none."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config, overwrite=True)
        service.wait_for_deployment(show_output=True)
        service.scoring_uri
        url = service.scoring_uri
        """))
    (tmp_path / "registry.py").write_text(REGISTRY)
    report = fix(script)
    assert "AML079 fixed" in report, report
    lines = script.read_text().splitlines()
    url = next(i for i, line in enumerate(lines) if line.startswith("url = "))
    assert lines[url - 1].startswith("# TODO(azureml-v2): AML079 a request to this URI needs the endpoint's key"), lines
    shown = lines.index("ml_client.online_endpoints.get(service.name).scoring_uri")
    assert not lines[shown - 1].startswith("# TODO(azureml-v2): AML079"), lines
    assert sum("needs the endpoint's key" in line for line in lines) == 1
    assert fix(script).count(" fixed") == 0  # a second run changes nothing


def test_service_run_returns_the_json_reply_with_the_key(tmp_path: Path, scoring_server: str) -> None:
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        import json

        aci_config = AciWebservice.deploy_configuration(cpu_cores=2, memory_gb=4, auth_enabled=True)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config)
        reply = service.run(json.dumps({"data": [[1, 2]]}))
        with open("reply.json", "w") as handle:
            json.dump(reply, handle)
        uri = service.scoring_uri
        """))
    (tmp_path / "registry.py").write_text(REGISTRY)
    fix(script)
    migrated = script.read_text()
    assert "auth off" not in migrated  # auth_enabled=True: the key is what v1 did too
    assert "needs the endpoint's key" not in migrated and "uri = ml_client.online_endpoints.get(" in migrated
    records = execute(script, {"AML_SCORING_URI": scoring_server})
    reply = json.loads((tmp_path / "reply.json").read_text())
    assert reply == {"received": {"data": [[1, 2]]}, "authorization": "Bearer recorded-primary"}
    (deployment,) = _entities(records, "online_deployments.begin_create_or_update")
    assert deployment["instance_type"] == "Standard_DS2_v2"
    # nobody waited: the deploy itself waits and routes the traffic
    assert _entities(records, "online_endpoints.begin_create_or_update")[-1]["traffic"] == {"blue": 100}


def test_wait_timeout_and_state(tmp_path: Path) -> None:
    migrated, _, records = _deploy(tmp_path, """\
        aci_config = AciWebservice.deploy_configuration()
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config)
        service.wait_for_deployment(show_output=True, timeout_sec=600)
        print(service.state)
        """)
    # the poller returns when the time is up, done or not; v1 raised
    assert ('service_poller.result(timeout=600)\nif not service_poller.done():\n'
            '    raise TimeoutError("the deployment did not finish in time")\n') in migrated
    assert migrated.count("TODO(azureml-v2): AML079 v2's provisioning_state values") == 1
    assert "Standard_DS1_v2" in migrated  # v1 ACI's 0.1 cores and 0.5 GB


@pytest.mark.parametrize(("use", "moves"), [
    ('print(f"state: {service.state}")\n', True),
    ('logging.getLogger().info("state %s", service.state)\n', True),
    ("service.state\n", True),  # a notebook cell's value, displayed
    ('print("state: {}".format(service.state))\n', True),
    ('print("state: " + service.state)\n', True),
    ('if f"{service.state}" == "Healthy":\n    print("up")\n', False),  # formatted, then compared
    ('ok = "state: %s" % service.state == "state: Healthy"\n', False),
    ("if service.state != 'Healthy':\n    service.delete()\n", False),  # audit s: it would always delete
    ("healthy = service.state == 'Healthy'\n", False),
    ("state = service.state\n", False),  # kept: what it is compared with later is not followed
    ("assert service.state in ('Healthy', 'Transitioning')\n", False),
])
def test_a_service_state_the_program_decides_on_stays_v1(tmp_path: Path, use: str, moves: bool) -> None:
    """``service.state`` becomes the endpoint's provisioning_state with a TODO where it is only
    shown; v2's values are other names (Succeeded, not Healthy), so a check of it would take the
    other branch: the deploy stays v1 and says why (mapping-extension 7.5, D+T)."""
    script = project(tmp_path, HEADER + "import logging\n" + textwrap.dedent("""\
        aci_config = AciWebservice.deploy_configuration()
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config)
        service.wait_for_deployment()
        """) + use)
    (tmp_path / "registry.py").write_text(REGISTRY)
    report = fix(script)
    migrated = script.read_text()
    assert ("AML071 fixed" in report) is moves, report
    if moves:
        assert migrated.count("TODO(azureml-v2): AML079 v2's provisioning_state values") == 1, migrated
        assert "ml_client.online_endpoints.get(service.name).provisioning_state" in migrated
    else:
        assert "Model.deploy(" in migrated and "provisioning_state" not in migrated, migrated
        assert "v2's provisioning_state takes other values (Succeeded, Failed, Updating, ...) than the v1 state" in report


def test_aks_becomes_a_kubernetes_endpoint_with_v1_defaults(tmp_path: Path) -> None:
    migrated, report, records = _deploy(tmp_path, """\
        from registry import aks_target

        aks_config = AksWebservice.deploy_configuration(cpu_cores=1, memory_gb=2, cpu_cores_limit=2,
                                                        token_auth_enabled=True, scoring_timeout_ms=30000)
        service = Model.deploy(ws, "churn-aks", [model], inference_config, aks_config, deployment_target=aks_target)
        service.wait_for_deployment()
        """)
    assert "AML074 fixed" in report and "AML071 fixed" in report, report
    assert migrated.count("TODO(azureml-v2): AML074 the AKS cluster must be attached") == 1
    endpoint = _entities(records, "online_endpoints.begin_create_or_update")[0]
    assert endpoint["compute"] == "k8s-compute" and endpoint["auth_mode"] == "aml_token"
    (deployment,) = _entities(records, "online_deployments.begin_create_or_update")
    assert deployment["type"] == "kubernetes"
    assert deployment["resources"] == {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "2"}}
    assert 'ResourceSettings(cpu="1", memory="2Gi"), limits=ResourceSettings(cpu="2"))' in migrated  # written out
    assert deployment["request_settings"] == {"request_timeout_ms": 30000, "max_concurrent_requests_per_instance": 1,
                                              "max_queue_wait_ms": 500}
    assert deployment["liveness_probe"] == {"period": 10, "initial_delay": 310, "timeout": 2,
                                            "success_threshold": 1, "failure_threshold": 3}
    assert deployment["scale_settings"] == {"type": "target_utilization", "min_instances": 1, "max_instances": 10,
                                            "polling_interval": 1, "target_utilization_percentage": 70}


def test_aks_with_a_fixed_replica_count(tmp_path: Path) -> None:
    _, _, records = _deploy(tmp_path, """\
        from registry import aks_target

        aks_config = AksWebservice.deploy_configuration(num_replicas=3, autoscale_enabled=False)
        service = Model.deploy(ws, "churn-aks", [model], inference_config, aks_config, deployment_target=aks_target)
        service.wait_for_deployment()
        """)
    (deployment,) = _entities(records, "online_deployments.begin_create_or_update")
    assert deployment["instance_count"] == 3 and deployment["scale_settings"] == {"type": "default"}
    assert deployment["resources"]["requests"] == {"cpu": "0.1", "memory": "0.5Gi"}  # v1's defaults


def test_a_legacy_inference_config_gets_an_environment_with_a_todo(tmp_path: Path) -> None:
    script = project(tmp_path, HEADER.replace('env = Environment.get(ws, "AzureML-sklearn-1.0")\n', "").replace(
        'inference_config = InferenceConfig(entry_script="score.py", source_directory="./src", environment=env)',
        'inference_config = InferenceConfig(runtime="python", entry_script="src/score.py", conda_file="env.yml")')
        + 'service = Model.deploy(ws, "churn-svc", [model], inference_config, AciWebservice.deploy_configuration())\n')
    (tmp_path / "registry.py").write_text(REGISTRY)
    (tmp_path / "env.yml").write_text("name: scoring\ndependencies:\n  - python=3.9\n  - pip:\n    - azureml-defaults\n")
    report = fix(script)
    migrated = script.read_text()
    assert "AML072 fixed" in report, report
    assert migrated.count("TODO(azureml-v2): AML072 the legacy InferenceConfig(conda_file=)") == 1
    records = execute(script)
    (deployment,) = _entities(records, "online_deployments.begin_create_or_update")
    assert deployment["code_configuration"] == {"code": "src", "scoring_script": "score.py"}
    assert deployment["environment"]["conda_file"]["name"] == "scoring"


@pytest.mark.parametrize(("body", "reason"), [
    ('service = Model.deploy(ws, "s-1", [model], inference_config, AciWebservice.deploy_configuration(ssl_enabled=True))',
     "ssl_enabled=: endpoints are always TLS"),
    ('c = AciWebservice.deploy_configuration(dns_name_label="churn")\n'
     'service = Model.deploy(ws, "s-1", [model], inference_config, c)', "endpoints have no custom DNS name"),
    ('c = AciWebservice.deploy_configuration(cmk_key_name="k")\n'
     'service = Model.deploy(ws, "s-1", [model], inference_config, c)', "no per-service customer-managed key"),
    ('c = AciWebservice.deploy_configuration(primary_key="k")\n'
     'service = Model.deploy(ws, "s-1", [model], inference_config, c)', "endpoint keys are generated"),
    ('c = AciWebservice.deploy_configuration()\n'
     'service = Model.deploy(ws, "s-1", [model, model], inference_config, c)', "a v2 deployment serves one model"),
    ('c = AciWebservice.deploy_configuration()\nservice = Model.deploy(ws, "my_svc", [model], inference_config, c)',
     "is not a valid v2 endpoint name"),
    ('from registry import aks_target\nc = AksWebservice.deploy_configuration(auth_enabled=False)\n'
     'service = Model.deploy(ws, "s-1", [model], inference_config, c, deployment_target=aks_target)',
     "v2 endpoints always require key or token auth"),
])
def test_what_the_reference_calls_impossible_is_reported(tmp_path: Path, body: str, reason: str) -> None:
    script = project(tmp_path, HEADER + body + "\n")
    report = fix(script)
    assert "AML071 left" in report and reason in report, report
    assert "Model.deploy(" in script.read_text()


@pytest.mark.parametrize("lookup", ['Webservice(ws, "churn-svc").delete()', 'ws.webservices["churn-svc"].delete()',
                                    "Webservice(workspace=ws, name=name).delete()",
                                    "for listed in ws.webservices:\n    print(listed)"])
def test_a_deploy_that_v1_code_looks_up_again_stays_v1(tmp_path: Path, lookup: str) -> None:
    """A v1 look-up of the service (here, to delete it) does not see a v2 online endpoint: while
    one stays in the program, the deployment stays v1 too."""
    body = ('from azureml.core.webservice import Webservice\nname = "churn-svc"\n'
            'c = AciWebservice.deploy_configuration()\nservice = Model.deploy(ws, "churn-svc", [model], inference_config, c)\n'
            f"{lookup}\n")
    script = project(tmp_path, HEADER + body)
    report = fix(script)
    assert "AML071 left" in report and "looks the service up with v1" in report, report
    assert "Model.deploy(" in script.read_text()


def test_a_lookup_of_the_deployed_service_moves_with_the_deploy(tmp_path: Path) -> None:
    """``handle = Webservice(ws, name)`` / ``ws.webservices[name]`` of the service this program
    deploys becomes ``ml_client.online_endpoints.get(name)``; the handle's methods follow (7.5)."""
    migrated, report, records = _deploy(tmp_path, """\
        from azureml.core.webservice import Webservice

        name = "churn-svc"
        c = AciWebservice.deploy_configuration()
        service = Model.deploy(ws, name, [model], inference_config, c)
        found = ws.webservices["churn-svc"]
        print(found)
        print(found.scoring_uri)
        again = Webservice(workspace=ws, name=name)
        again.delete()
        """)
    assert "AML071 fixed" in report and "AML075 fixed" in report, report
    assert 'found = ml_client.online_endpoints.get("churn-svc")' in migrated
    assert "again = ml_client.online_endpoints.get(name)" in migrated
    assert "ml_client.online_endpoints.begin_delete(name=again.name).result()" in migrated
    assert "Webservice" not in migrated and "webservices" not in migrated
    operations = [r["operation"] for r in records]
    assert operations.count("online_endpoints.get") == 3  # two look-ups and the scoring_uri read
    assert operations[-1] == "online_endpoints.begin_delete"


def test_a_lookup_through_the_deploys_own_name_variable_moves_too(tmp_path: Path) -> None:
    """A name v1 computes at run time (``"svc-" + uuid``) is the same value when the look-up
    reads the deploy's own variable."""
    migrated, report, records = _deploy(tmp_path, """\
        import uuid
        from azureml.core import Webservice

        service_name = "churn-" + str(uuid.uuid4())[:4]
        c = AciWebservice.deploy_configuration()
        service = Model.deploy(workspace=ws, name=service_name, models=[model], inference_config=inference_config,
                               deployment_config=c)
        service = Webservice(ws, service_name)
        print(service.scoring_uri)
        """)
    assert "AML075 fixed" in report, report
    assert "service = ml_client.online_endpoints.get(service_name)" in migrated
    (endpoint, *_) = _entities(records, "online_endpoints.begin_create_or_update")
    assert endpoint["name"].startswith("churn-")


@pytest.mark.parametrize(("lookup", "reason"), [
    ('try:\n    old = Webservice(ws, "churn-svc")\nexcept Exception:\n    old = None', "inside a try statement"),
    ('found = Webservice(ws, "churn-svc")\nfound.update(description="x")', "uses it in a way"),
    ('found = Webservice(Workspace.get("other"), "churn-svc")\nfound.delete()', "another workspace variable"),
    ('def drop(ws):\n    found = Webservice(ws, "churn-svc")\n    found.delete()', "another workspace variable"),
    ('other = "churn-svc"\nother = other + "-2"\nfound = Webservice(ws, other)\nfound.delete()',
     "does not see a v2 online endpoint"),
])
def test_a_lookup_v2_cannot_follow_keeps_the_deploy_v1(tmp_path: Path, lookup: str, reason: str) -> None:
    body = ('from azureml.core.webservice import Webservice\n'
            'c = AciWebservice.deploy_configuration()\nservice = Model.deploy(ws, "churn-svc", [model], inference_config, c)\n'
            f"{lookup}\n")
    script = project(tmp_path, HEADER + body)
    report = fix(script)
    assert "AML071 left" in report and reason in report, report
    assert "Model.deploy(" in script.read_text() and "Webservice(" in script.read_text()


def test_the_lookups_of_a_refused_deploy_say_which_deploy_keeps_them(tmp_path: Path) -> None:
    """A look-up moves only with its deploy: when the deploy stays v1, the look-up's own line
    names the deploy and its reason, not a generic "no automatic fix"."""
    body = ('from azureml.core.webservice import Webservice\n'
            'c = AciWebservice.deploy_configuration(cpu_cores=cores)\n'
            'service = Model.deploy(ws, "churn-svc", [model], inference_config, c)\n'
            'found = Webservice(ws, "churn-svc")\nfound.delete()\n'
            'unrelated = Webservice(ws, other_name)\n')
    script = project(tmp_path, HEADER + "cores, other_name = 1, 'x'\n" + body)
    report = fix(script)
    assert "AML071 left: cpu_cores=/memory_gb= is not a literal number" in report, report
    assert ":13:9: AML075 left: depends on line 12: cpu_cores=/memory_gb= is not a literal number" in report, report
    assert ":15:13: AML075 left: no automatic fix" in report  # another name: not this deploy's service


def test_collect_model_data_false_is_v1s_default_and_needs_nothing(tmp_path: Path) -> None:
    """Only collect_model_data=True needs a v2 DataCollector; False (the default) collects
    nothing, so the deployment migrates as if it were not written."""
    migrated, report, records = _deploy(tmp_path, """\
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1, collect_model_data=False)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config)
        service.wait_for_deployment(show_output=True)
        """)
    assert "AML071 fixed" in report and "collect_model_data" not in migrated, report
    assert _entities(records, "online_deployments.begin_create_or_update")


def test_a_comment_among_the_deploys_arguments_goes_above_the_new_statements(tmp_path: Path) -> None:
    """Audit (stop 63, c M1): one comment on an argument's line voided the whole deploy chain."""
    migrated, report, records = _deploy(tmp_path, """\
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        service = Model.deploy(ws,
                               "churn-svc",  # the service name
                               [model], inference_config, aci_config)  # deploy it
        """)
    assert "AML071 fixed" in report, report
    lines = migrated.splitlines()
    comment = lines.index("# the service name")
    assert lines[comment + 1].startswith("service = ManagedOnlineEndpoint(name=\"churn-svc\"")
    assert migrated.count("# deploy it") == 1
    assert _entities(records, "online_deployments.begin_create_or_update")
    assert_fixed_point(tmp_path / "job.py")


def test_aks_sizes_held_in_variables_are_converted_when_the_program_runs(tmp_path: Path) -> None:
    migrated, _, records = _deploy(tmp_path, """\
        from registry import aks_target

        cores, memory = 0.5, 1.5
        aks_config = AksWebservice.deploy_configuration(cpu_cores=cores, memory_gb=memory)
        service = Model.deploy(ws, "churn-aks", [model], inference_config, aks_config, deployment_target=aks_target)
        service.wait_for_deployment()
        """)
    assert 'ResourceSettings(cpu=str(cores), memory=f"{memory}Gi")' in migrated
    (deployment,) = _entities(records, "online_deployments.begin_create_or_update")
    assert deployment["resources"]["requests"] == {"cpu": "0.5", "memory": "1.5Gi"}


def test_a_deploy_without_a_deployment_config_says_which_is_missing(tmp_path: Path) -> None:
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        from registry import aks_target

        service = Model.deploy(ws, "churn-aks", [model], inference_config, deployment_target=aks_target)
        """))
    (tmp_path / "registry.py").write_text(REGISTRY)
    report = fix(script)
    assert ("Model.deploy() with a deployment_target= and no deployment_config=: v1 took the AKS defaults for an "
            "AKS target; write AksWebservice.deploy_configuration() out") in report, report
    assert "without inference_config" not in report


@pytest.mark.parametrize("given", ["", ", deployment_config=None, deployment_target=None"])
def test_a_deploy_without_config_or_target_gets_the_aci_defaults_v1_took(tmp_path: Path, given: str) -> None:
    """azureml-core: with neither deployment_config= nor deployment_target= (``not`` of each: None
    too), Model.deploy used AciWebservice.deploy_configuration() (audit: the deploy was refused as
    if its settings were unknown)."""
    migrated, report, records = _deploy(tmp_path, f"""\
        service = Model.deploy(ws, "churn-svc", [model], inference_config, overwrite=True{given})
        service.wait_for_deployment(show_output=True)
        """)
    assert "AML071 fixed" in report and "AML078 fixed" in report, report
    assert migrated.count("TODO(azureml-v2): AML071 v1 ACI had auth off by default") == 1
    (deployment,) = _entities(records, "online_deployments.begin_create_or_update")
    assert deployment["instance_type"] == "Standard_DS1_v2" and deployment["instance_count"] == 1  # 0.1 cores, 0.5 GB
    (endpoint, _) = _entities(records, "online_endpoints.begin_create_or_update")
    assert endpoint["name"] == "churn-svc" and endpoint["auth_mode"] == "key"


def test_an_environment_built_inside_the_inference_config_says_how_to_unblock(tmp_path: Path) -> None:
    """Each of the two rewrites needs the other, and the deploy's would replace the text the
    environment's edits: the reason says so once, not "retried in the next pass" on every run."""
    script = project(tmp_path, HEADER.replace("environment=env)", 'environment=Environment.get(ws, "inf", version="2"))')
                     + 'service = Model.deploy(ws, "churn-svc", [model], inference_config, '
                       'AciWebservice.deploy_configuration())\n')
    report = fix(script)
    assert "overlaps another rewrite" not in report and "not migrated automatically" not in report, report
    reason = ("left: the InferenceConfig's environment `Environment.get(ws, \"inf\", version=\"2\")` is built in "
              "place: bind it to a variable first, and the environment and the deploy migrate together")
    assert f"AML071 {reason}" in report and f"AML073 {reason}" in report, report  # the config written in the call too
    assert "Model.deploy(" in script.read_text()


@pytest.mark.parametrize("folder", ['Path("./src")', 'here / "src"'])
def test_a_source_directory_given_as_a_path_is_handed_over_as_a_string(tmp_path: Path, folder: str) -> None:
    """v1 took a pathlib path for the source folder; v2's deployment calls string methods on
    code= before anything is sent, so the path is turned into its string."""
    script = project(tmp_path, HEADER.replace('source_directory="./src"', f"source_directory={folder}").replace(
        "from azureml.core import", "from pathlib import Path\n\nfrom azureml.core import").replace(
        "ws = Workspace.from_config()\n", 'ws = Workspace.from_config()\nhere = Path(".")\n') + textwrap.dedent("""\
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config)
        """))
    (tmp_path / "registry.py").write_text(REGISTRY)
    fix(script)
    migrated = script.read_text()
    assert f"CodeConfiguration(code=str({folder}), scoring_script=\"score.py\")" in migrated, migrated
    records = execute(script)
    (deployment,) = [r for r in records if r["operation"] == "online_deployments.begin_create_or_update"]
    assert deployment["rest_error"] is None, deployment


@pytest.mark.parametrize(("overwrite", "said"), [("", True), (", overwrite=False", True), (", overwrite=True", False),
                                                 (", overwrite=replace", True)])
def test_a_deploy_that_v1_refused_over_an_existing_service_says_so(tmp_path: Path, overwrite: str, said: bool) -> None:
    """Model.deploy(overwrite=False), v1's default, failed for a service name in use; the v2 calls
    update that endpoint (audit 43): the deployment's TODO says so, unless v1 overwrote too."""
    migrated, report, records = _deploy(tmp_path, f"""\
        replace = False
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1, auth_enabled=True)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config{overwrite})
        service.wait_for_deployment(show_output=True)
        """)
    assert "AML071 fixed" in report, report
    todo = "v1 (overwrite=False) failed when a service of this name existed; begin_create_or_update updates"
    assert (todo in migrated) is said, migrated
    assert migrated.count("# TODO(azureml-v2): AML071 ") == 1  # one TODO for the deployment
    assert [e["name"] for e in _entities(records, "online_endpoints.begin_create_or_update")][0] == "churn-svc"


@pytest.mark.parametrize(("reader", "held"), [
    ('service = ws.webservices["churn-svc"]\n', True),
    ('service = AciWebservice(ws, "churn-svc")\n', True),
    ("service = Webservice(workspace=ws, name=args.service)\n", True),  # any name: it may be this one
    ('name = "churn-svc"\nservice = Webservice(name=name, workspace=ws)\n', True),  # name= first (audit 48)
    ('service = ws.webservices["other-svc"]\n', False),
    # a listing, filtered by name (audit 57): it would list v1 services only
    ('service = [s for s in Webservice.list(ws) if s.name == "churn-svc"][0]\n', True),
    ('service = [s for s in AciWebservice.list(ws) if s.name == "churn-svc"][0]\n', True),
])
def test_a_deploy_another_file_looks_up_with_v1_stays(tmp_path: Path, reader: str, held: bool) -> None:
    """A file beside the deploy reads the service with v1 (audit 44): v1 lists v1 services only, so
    once the deploy made a v2 endpoint that lookup would fail; the deploy waits for that reader."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config, overwrite=True)
        service.wait_for_deployment(show_output=True)
        """))
    (tmp_path / "registry.py").write_text(REGISTRY)
    (tmp_path / "consume.py").write_text("from azureml.core import Workspace\nfrom azureml.core.webservice import "
                                         "AciWebservice, Webservice\n\nws = Workspace.from_config()\n" + reader
                                         + "print(service.run('{}'))\n")
    report = fix(script)
    if held:
        assert f"AML071 left: consume.py:{4 + reader.count(chr(10))} (`" in report and "looks the service up with v1" in report, report
        assert "Model.deploy(" in script.read_text()
    else:
        assert "AML071 fixed" in report, report


@pytest.mark.parametrize(("between", "held"), [
    ('env = Environment.get(ws, "AzureML-Minimal")\n', True),  # v1 kept the environment the config was made with
    ("", False),
])
def test_an_environment_bound_again_before_the_deploy_keeps_the_deploy(tmp_path: Path, between: str,
                                                                        held: bool) -> None:
    """The deployment names its environment at the deploy, where v1's InferenceConfig had taken the
    one it was made with (audit 46): a name bound again in between keeps the deploy v1."""
    body = HEADER + between + textwrap.dedent("""\
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config, overwrite=True)
        """)
    if held:
        script = project(tmp_path, body)
        (tmp_path / "registry.py").write_text(REGISTRY)
        report = fix(script)
        assert "AML071 left: `env` is bound again (line 9), between the InferenceConfig and the deploy" in report, report
        assert "Model.deploy(" in script.read_text()
    else:
        _, report, records = _deploy(tmp_path, body[len(HEADER):])
        assert "AML071 fixed" in report, report
        (deployment,) = _entities(records, "online_deployments.begin_create_or_update")
        assert deployment["environment"] == "AzureML-sklearn-1.0@latest"


def test_a_deploy_configuration_nothing_reads_is_deleted_and_says_so(tmp_path: Path) -> None:
    """Only a deploy this fix migrates takes the settings over; one nothing reads is just deleted,
    and the fix says that, not that its settings moved (audit 47)."""
    script = project(tmp_path, HEADER + 'aci_config = AciWebservice.deploy_configuration(cpu_cores=2, memory_gb=2)\n'
                     'print(model)\n')
    (tmp_path / "registry.py").write_text(REGISTRY)
    report = fix(script)
    assert "AML073 fixed: deleted: nothing reads it" in report, report
    assert "settings moved" not in report and "deploy_configuration" not in script.read_text()


@pytest.mark.parametrize(("packages", "said"), [
    ("", True), ("    - azureml-defaults==1.21.0\n", True),  # a pinned one may predate the inference server
    ("    - azureml-defaults==1.33.0\n", True), ("    - azureml-defaults>=1.0,<1.34\n", True),
    ("    - azureml-defaults~=1.30.0\n", True), ("    # azureml-defaults\n    - numpy\n", True),
    ("    - azureml-defaults\n", False), ("    - azureml-inference-server-http\n", False),
    # audit l: 1.34.0 and later require azureml-inference-server-http (their wheels' metadata)
    ("    - azureml-defaults==1.40.0\n", False), ("    - azureml-defaults==1.34.0\n", False),
    ("    - azureml-defaults>=1.0\n", False), ("    - azureml-defaults~=1.30\n", False),
    # audit p M3: the version is read from the package's own line, not from the next one
    ("    - azureml-defaults\n    - scikit-learn\n", False), ("    - azureml-defaults==1.21.0\n    - numpy\n", True),
    ("    - azureml-defaults   \n    - numpy>=1.0\n", False),
])
def test_a_conda_environment_without_the_inference_server_gets_a_todo(tmp_path: Path, packages: str,
                                                                      said: bool) -> None:
    """A v2 deployment's environment must install azureml-inference-server-http, which azureml-defaults
    brings (mapping-extension 7.3); an environment made from a conda file without either says so
    (audit 50), as the legacy InferenceConfig(conda_file=) form already did."""
    body = HEADER.replace('env = Environment.get(ws, "AzureML-sklearn-1.0")',
                          'env = Environment.from_conda_specification(name="e", file_path="serve.yml")') + \
        textwrap.dedent("""\
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config, overwrite=True)
        """)
    script = project(tmp_path, body)
    (tmp_path / "serve.yml").write_text("name: serve\ndependencies:\n  - python=3.8\n  - pip:\n" + (packages or "    - numpy\n"))
    (tmp_path / "registry.py").write_text(REGISTRY)
    report = fix(script)
    assert "AML071 fixed" in report, report
    migrated = script.read_text()
    said_text = "lists neither azureml-inference-server-http nor an azureml-defaults of 1.34.0 or later"
    assert (said_text in migrated) is said, migrated
    assert migrated.count("# TODO(azureml-v2): AML071 ") == 1


def test_a_deploy_its_own_program_lists_the_services_of_stays(tmp_path: Path) -> None:
    """Audit 57: after the deploy, the program deletes every service ``Webservice.list(ws)`` gives:
    v1 lists v1 services only, so the v2 endpoint would never be deleted (and would keep billing)."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        from azureml.core.webservice import Webservice
        aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config, overwrite=True)
        service.wait_for_deployment(show_output=True)
        for old in Webservice.list(ws):
            old.delete()
        """))
    report = fix(script)
    assert "AML071 left: line" in report and "(`Webservice.list(ws)`) looks the service up with v1" in report, report
    assert "Model.deploy(" in script.read_text()


def test_a_config_name_used_again_for_the_next_deploy(tmp_path: Path) -> None:
    """``deployment_config = ...`` for one deploy, then again for the next: each deploy takes the
    assignment that reaches it, so both migrate, each with its own size (audit j: both were refused
    as "not built by one plain assignment")."""
    migrated, report, records = _deploy(tmp_path, """\
        deployment_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        small = Model.deploy(ws, "svc-small", [model], inference_config, deployment_config)
        small.wait_for_deployment(show_output=True)

        deployment_config = AciWebservice.deploy_configuration(cpu_cores=2, memory_gb=4)
        large = Model.deploy(ws, "svc-large", [model], inference_config, deployment_config)
        large.wait_for_deployment(show_output=True)
        """)
    assert report.count("AML071 fixed") == 2 and "deploy_configuration" not in migrated, report
    deployments = _entities(records, "online_deployments.begin_create_or_update")
    assert [(d["endpoint_name"], d["instance_type"]) for d in deployments] == [
        ("svc-small", "Standard_DS1_v2"), ("svc-large", "Standard_DS2_v2")]


def test_a_config_another_assignment_may_reach_stays(tmp_path: Path) -> None:
    """An assignment in an ``if`` may replace the config before the deploy: which one the deploy
    takes is known only at run time, so the deploy is left, saying so."""
    script = project(tmp_path, HEADER + textwrap.dedent("""\
        import sys

        deployment_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
        if len(sys.argv) > 1:
            deployment_config = AciWebservice.deploy_configuration(cpu_cores=2, memory_gb=4)
        service = Model.deploy(ws, "svc", [model], inference_config, deployment_config)
        """))
    (tmp_path / "registry.py").write_text(REGISTRY)
    report = fix(script)
    assert "Model.deploy(" in script.read_text(), report
    assert "AML071 left: deployment_config= " in report, report


def test_service_findings_name_the_v2_form_of_what_each_call_does(tmp_path: Path) -> None:
    """Audit x: a look-up (``AciWebservice(ws, name)``) was told to build a deployment, and a deploy
    (``Webservice.deploy_from_image``) to look an endpoint up."""
    from .conftest import run

    (tmp_path / "svc.py").write_text(
        "from azureml.core.webservice import AciWebservice, AksWebservice, Webservice\n"
        "service = Webservice.deploy_from_image(deployment_config=None, image=None, name='svc', workspace=None)\n"
        "existing = AciWebservice(None, 'other-svc')\n"
        "config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)\n"
        "aks = AksWebservice(None, 'aks-svc')\n"
        "listed = Webservice.list(None)\n")
    out = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--select", "AML073,AML074,AML075", "svc.py"],
              cwd=tmp_path).stdout.splitlines()
    assert [line.split(" ", 1)[1] for line in out if line.startswith("svc.py")] == [
        "AML075 Webservice.deploy_from_image() is Azure ML SDK v1; use ManagedOnlineEndpoint + ManagedOnlineDeployment "
        "through ml_client.online_endpoints/online_deployments.begin_create_or_update (a v1 image has no v2 counterpart: "
        "deploy the model)",
        "AML073 AciWebservice() is Azure ML SDK v1; use ml_client.online_endpoints.get(name) (or .list() for all endpoints)",
        "AML073 AciWebservice.deploy_configuration() is Azure ML SDK v1; use ManagedOnlineDeployment(instance_type=..., "
        "instance_count=...) on a managed online endpoint",
        "AML074 AksWebservice() is Azure ML SDK v1; use ml_client.online_endpoints.get(name) (or .list() for all endpoints)",
        "AML075 Webservice.list() is Azure ML SDK v1; use ml_client.online_endpoints.list()",
    ]
