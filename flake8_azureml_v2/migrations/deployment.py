"""Deploying a model to a web service (AML071-AML074): an online endpoint and a deployment.

mapping-extension.md 7.3-7.4::

    inference_config = InferenceConfig(entry_script="score.py", source_directory="./src", environment=env)
    aci_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
    service = Model.deploy(ws, "churn-svc", [model], inference_config, aci_config)
    ->
    inference_config = CodeConfiguration(code="./src", scoring_script="score.py")
    service = ManagedOnlineEndpoint(name="churn-svc", auth_mode="key")
    ml_client.online_endpoints.begin_create_or_update(service).result()
    service_deployment = ManagedOnlineDeployment(name="blue", endpoint_name=service.name, model=..., ...)
    service_poller = ml_client.online_deployments.begin_create_or_update(service_deployment)

The service variable holds the endpoint; ``service.wait_for_deployment()``
waits on the poller and then routes the traffic to the deployment (done at
once when the program never waits).  ACI's CPU and memory choose the SKU from
the ACI-upgrade article's table; ACI had auth off, v2 always asks for a key: a
documented default with a TODO.  AKS becomes a Kubernetes endpoint with v1's
request, probe and autoscale defaults written out.  What v2 cannot do (no
auth, custom DNS, TLS certificates, CMK, several models) is refused as
impossible.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.findings import RefusalKind, line_ref
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, constant_str, known_str, py_str
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.specs import Argument, Build, CallSpec, Drop, Refuse, Refused, apply_call_spec
from ..engine.names import Binding, Const, Instance
from ._common import absorbed_bindings, not_a_workspace, workspace_binding
from ._conda_spec import found_copies
from ._defaults import V1_CPU_IMAGE
from ._origin import result_binding
from ._v1_readers import SERVICE, lookups_in_program, service_reader_elsewhere
from ._todo import add_todo
from .script_run_config import ENVIRONMENT, environment
from .service import (DEPLOYMENT_NAME, handle_findings, looks_up, traffic_lines, translate_lookups,
                      translate_service_uses)

MODEL_DEPLOY = "azureml.core.Model.deploy"
INFERENCE_CONFIG = "azureml.core.model.InferenceConfig"
ACI_CONFIG = "azureml.core.webservice.AciWebservice.deploy_configuration"
AKS_CONFIG = "azureml.core.webservice.AksWebservice.deploy_configuration"
_ENTITIES = "azure.ai.ml.entities"

# The ACI-upgrade article's table: (cores, GB) upper bounds -> managed SKU (mapping-extension.md 7.3).
SKU_ROWS = ((1, 1.2, "Standard_DS1_v2"), (2, 1.7, "Standard_F2s_v2"), (2, 4.7, "Standard_DS2_v2"),
            (2, 13.7, "Standard_E2s_v3"), (4, 5.7, "Standard_F4s_v2"), (4, 11.7, "Standard_DS3_v2"),
            (4, 16, "Standard_E4s_v3"))
ACI_DEFAULTS = (0.1, 0.5)  # cores, GB when not given


def v1_resources_to_sku(cpu_cores: float | None, memory_gb: float | None) -> tuple[str | None, bool]:
    """The SKU for v1's CPU and memory, and whether the table lists that combination
    (False: the first row that covers both numbers was taken)."""
    cpu = ACI_DEFAULTS[0] if cpu_cores is None else cpu_cores
    memory = ACI_DEFAULTS[1] if memory_gb is None else memory_gb
    chosen = next(((c, sku) for c, m, sku in SKU_ROWS if cpu <= c and memory <= m), None)
    if chosen is None:
        return None, False
    smallest = min(c for c, _, _ in SKU_ROWS if cpu <= c)
    return chosen[1], chosen[0] == smallest


# What each deploy_configuration argument becomes: "endpoint:<kw>" / "deployment:<kw>", or a refusal.
_IMPOSSIBLE = {
    "ssl_enabled": "endpoints are always TLS with Azure's certificate",
    "ssl_cert_pem_file": "endpoints are always TLS with Azure's certificate",
    "ssl_key_pem_file": "endpoints are always TLS with Azure's certificate",
    "ssl_cname": "endpoints have no custom DNS name",
    "dns_name_label": "endpoints have no custom DNS name",
    "primary_key": "endpoint keys are generated",
    "secondary_key": "endpoint keys are generated",
    "cmk_vault_base_url": "endpoints have no per-service customer-managed key",
    "cmk_key_name": "endpoints have no per-service customer-managed key",
    "cmk_key_version": "endpoints have no per-service customer-managed key",
    "vnet_name": "network isolation is a workspace setting, not code",
    "subnet_name": "network isolation is a workspace setting, not code",
}
ACI_SIGNATURE = ("cpu_cores", "memory_gb", "tags", "properties", "description", "location", "auth_enabled",
                 "ssl_enabled", "enable_app_insights", "ssl_cert_pem_file", "ssl_key_pem_file", "ssl_cname",
                 "dns_name_label", "primary_key", "secondary_key", "collect_model_data", "cmk_vault_base_url",
                 "cmk_key_name", "cmk_key_version", "vnet_name", "subnet_name")
AKS_SIGNATURE = ("autoscale_enabled", "autoscale_min_replicas", "autoscale_max_replicas", "autoscale_refresh_seconds",
                 "autoscale_target_utilization", "collect_model_data", "auth_enabled", "cpu_cores", "memory_gb",
                 "enable_app_insights", "scoring_timeout_ms", "replica_max_concurrent_requests",
                 "max_request_wait_time", "num_replicas", "primary_key", "secondary_key", "tags", "properties",
                 "description", "gpu_cores", "period_seconds", "initial_delay_seconds", "timeout_seconds",
                 "success_threshold", "failure_threshold", "namespace", "token_auth_enabled", "compute_target_name",
                 "cpu_cores_limit", "memory_gb_limit", "blobfuse_enabled")
# AksWebservice.deploy_configuration's documented defaults (mapping-extension.md 7.4).
AKS_DEFAULTS = {
    "cpu_cores": "0.1", "memory_gb": "0.5", "scoring_timeout_ms": "60000", "replica_max_concurrent_requests": "1",
    "max_request_wait_time": "500", "period_seconds": "10", "initial_delay_seconds": "310", "timeout_seconds": "2",
    "success_threshold": "1", "failure_threshold": "3", "autoscale_min_replicas": "1", "autoscale_max_replicas": "10",
    "autoscale_refresh_seconds": "1", "autoscale_target_utilization": "70",
}


# -- InferenceConfig -> CodeConfiguration ---------------------------------------


def _code_configuration(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> list[str]:
    """v1 ran ``entry_script`` from ``source_directory``, or from its own folder."""
    entry = arguments.get("entry_script")
    script = known_str(ctx, entry.node) if entry is not None else None
    if script is None and entry is not None and isinstance(entry.value, Const):
        script = entry.value.value  # os.path.join(folder, "score.py") of known parts
    if script is None:
        raise Refused("entry_script= is not a known file name", RefusalKind.DATA_FLOW)
    source = arguments.get("source_directory")
    if source is not None:
        if "conda_file" in arguments:
            raise Refused("conda_file= together with source_directory=: v1 read it from the source directory")
        code = f"str({source.text})" if _is_a_path(source.node, ctx) else source.text  # v2 reads code= as a string
        return [f"code={code}", f"scoring_script={py_str(script)}"]
    folder, name = posixpath.split(script)
    return [f"code={py_str(folder or '.')}", f"scoring_script={py_str(name)}"]


_PATHS = ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath")


def _is_a_path(node: ast.expr, ctx: FixContext) -> bool:
    """A ``pathlib`` path: ``Path("src")``, ``Path(here) / "src"``, ``here.parent``, or a variable
    assigned one once; v1 took it for a folder, v2's CodeConfiguration calls string methods on it."""
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None and not binding.conditional else None
        single = isinstance(statement, ast.Assign) and len(ctx.bindings_named(node.id)) == 1
        return single and _is_a_path(statement.value, ctx)  # type: ignore[union-attr]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _is_a_path(node.left, ctx)
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        return _is_a_path(node.value, ctx)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("joinpath", "resolve", "absolute", "expanduser"):
            return _is_a_path(func.value, ctx)
        return ctx.callee(node) in _PATHS
    return False


def _read_by_deploy(argument: Argument) -> list[str]:
    return []  # the deployment takes it (see _environment_of)


INFERENCE_SPEC = CallSpec(
    old=INFERENCE_CONFIG,
    signature=("entry_script", "runtime", "conda_file", "extra_docker_file_steps", "source_directory", "enable_gpu",
               "description", "base_image", "base_image_registry", "cuda_version", "environment"),
    new=(_ENTITIES, "CodeConfiguration"),
    params={
        "entry_script": Build(_read_by_deploy),
        "source_directory": Build(_read_by_deploy),
        "environment": Build(_read_by_deploy),
        "runtime": Build(_read_by_deploy),
        "conda_file": Build(_read_by_deploy),
        "base_image": Build(_read_by_deploy),
        "description": Drop("InferenceConfig(description=) has no place in v2 and was dropped"),
        "extra_docker_file_steps": Refuse("extra_docker_file_steps= needs a v2 environment built from a Dockerfile"),
        "enable_gpu": Refuse("enable_gpu= needs a GPU image and SKU chosen by hand"),
        "base_image_registry": Refuse("base_image_registry=: a private registry needs a v2 environment by hand"),
        "cuda_version": Refuse("cuda_version= needs a CUDA image chosen by hand"),
    },
    finish=_code_configuration,
)


def fix_inference_config(ctx: FixContext) -> Iterator[Rewrite]:
    """``InferenceConfig(...)`` -> ``CodeConfiguration(code=, scoring_script=)``; its environment
    moves to the deployment, so every use must be a deploy this fix migrates."""
    for site in ctx.model.calls_to(INFERENCE_CONFIG):
        rewrite = Rewrite("AML072", site.node, "InferenceConfig() -> CodeConfiguration()")
        rewrite.binding = ctx.assigned_binding(site.node)
        if rewrite.binding is None:
            yield rewrite.refuse(ctx.unassigned_reason(rewrite.node, "InferenceConfig"), RefusalKind.DATA_FLOW)
            continue
        if not rewrite.binding.uses:  # its environment and entry script would be lost with nothing to take them
            yield rewrite.refuse("the InferenceConfig is not deployed here, so its environment has no deployment "
                                 "to move to", RefusalKind.DATA_FLOW)
            continue
        try:
            apply_call_spec(INFERENCE_SPEC, site.node, rewrite, ctx, rewrite.binding)
        except Refused as reason:
            rewrite.refuse(str(reason), reason.kind)
        yield rewrite


def fix_aci_config(ctx: FixContext) -> Iterator[Rewrite]:
    """The deploy reads an ACI configuration's settings; the variable then goes."""
    yield from absorbed_bindings(ctx, ACI_CONFIG, "AML073", "settings moved to the endpoint and deployment")


def fix_aks_config(ctx: FixContext) -> Iterator[Rewrite]:
    yield from absorbed_bindings(ctx, AKS_CONFIG, "AML074", "settings moved to the Kubernetes endpoint and deployment")


# -- Model.deploy -> endpoint + deployment ------------------------------------


@dataclass
class Target:
    """What one deploy writes: the endpoint's and the deployment's keyword arguments."""

    kind: str  # "managed" or "kubernetes"
    endpoint: dict[str, str] = field(default_factory=dict)
    deployment: dict[str, str] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)
    keyless: bool = False  # v1's service took requests without a key (ACI's default): its callers send none


def _origin(node: ast.expr, ctx: FixContext, what: str) -> ast.Call:
    """The call that built a config variable (one plain assignment)."""
    if isinstance(node, ast.Call):
        return node
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    statement = binding.node if binding is not None else None
    if (binding is None or binding.conditional or not isinstance(statement, ast.Assign)
            or not isinstance(statement.value, ast.Call)):
        raise Refused(f"{what} is not built by one plain assignment", RefusalKind.DATA_FLOW)
    # (the name may be used again for another config, as long as no other assignment reaches this use)
    if any(other is not binding and node in ctx.uses_reaching(other) for other in ctx.bindings_named(binding.name)):
        raise Refused(f"{what} may hold the config of another assignment of `{binding.name}` here",
                      RefusalKind.DATA_FLOW)
    return statement.value


def _settings(call: ast.Call, signature: tuple[str, ...]) -> dict[str, ast.expr]:
    bound = bind_arguments(call, list(signature))
    if isinstance(bound, str):
        raise Refused(f"deploy_configuration(): {bound}", RefusalKind.DATA_FLOW)
    unknown = sorted(set(bound.values) - set(signature))
    if unknown:
        raise Refused(f"deploy_configuration({', '.join(unknown)}=) is not a v1 setting this fix knows")
    blobfuse = bound.values.pop("blobfuse_enabled", None)
    if blobfuse is not None and not (isinstance(blobfuse, ast.Constant) and blobfuse.value in (False, None)):
        raise Refused("blobfuse_enabled=True: Kubernetes deployments have no blobfuse setting in v2",
                      RefusalKind.IMPOSSIBLE)
    for name in bound.values:
        if name in _IMPOSSIBLE:
            raise Refused(f"{name}=: {_IMPOSSIBLE[name]} in v2", RefusalKind.IMPOSSIBLE)
    collect = bound.values.pop("collect_model_data", None)  # False (v1's default) collects nothing: no setting
    if collect is not None and not (isinstance(collect, ast.Constant) and collect.value in (False, None)):
        raise Refused("collect_model_data= needs a v2 DataCollector on the deployment, set by hand")
    return bound.values


def _number(node: ast.expr | None) -> float | None:
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    raise Refused("cpu_cores=/memory_gb= is not a literal number", RefusalKind.DATA_FLOW)


def _flag(node: ast.expr | None) -> bool | None:
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    raise Refused("a deploy_configuration flag is not True or False", RefusalKind.DATA_FLOW)


def _common_settings(values: dict[str, ast.expr], target: Target, ctx: FixContext) -> None:
    for name in ("tags", "properties", "description"):
        if name in values:
            target.endpoint[name] = ctx.locator.text(values[name])
    if _flag(values.get("enable_app_insights")):
        target.deployment["app_insights_enabled"] = "True"


def _aci(call: ast.Call, ctx: FixContext) -> Target:
    values = _settings(call, ACI_SIGNATURE)
    if "location" in values:
        raise Refused("location=: a v2 endpoint lives in the workspace's region")
    target = Target("managed")
    sku, listed = v1_resources_to_sku(_number(values.get("cpu_cores")), _number(values.get("memory_gb")))
    if sku is None:
        raise Refused("more than 4 cores or 16 GB: the ACI-upgrade table has no SKU for it; pick one by hand")
    target.deployment.update(instance_type=py_str(sku), instance_count="1")
    target.endpoint["auth_mode"] = py_str("key")
    _common_settings(values, target, ctx)
    if not _flag(values.get("auth_enabled")):
        target.keyless = True
        target.todo.append("v1 ACI had auth off by default; managed endpoints always require key/token auth, "
                           "so callers must send a key")
    if not listed:
        target.todo.append(f"{sku} is the first SKU of the ACI-upgrade table that covers v1's cores and memory")
    target.todo.append("endpoint names are unique per Azure region, not per workspace")
    return target


def _quantity(source: str, unit: str = "") -> str:
    """A Kubernetes quantity string for v1's number: written out for a literal (``"1Gi"``),
    else built when the program runs."""
    try:
        number = ast.literal_eval(source)
    except (ValueError, SyntaxError):
        number = None
    if isinstance(number, (int, float)) and not isinstance(number, bool):
        return py_str(f"{number}{unit}")
    return f'f"{{{source}}}{unit}"' if unit else f"str({source})"


def _aks(call: ast.Call, compute: str, ctx: FixContext) -> Target:
    values = _settings(call, AKS_SIGNATURE)
    for name in ("namespace", "gpu_cores", "compute_target_name"):
        if name in values:
            raise Refused(f"{name}= maps to an instance type on the attached Kubernetes compute, by hand")
    setting = {name: ctx.locator.text(values[name]) if name in values else default
               for name, default in AKS_DEFAULTS.items()}
    target = Target("kubernetes")
    target.endpoint["compute"] = compute
    token = _flag(values.get("token_auth_enabled"))
    if _flag(values.get("auth_enabled")) is False and not token:
        raise Refused("auth_enabled=False: v2 endpoints always require key or token auth", RefusalKind.IMPOSSIBLE)
    target.endpoint["auth_mode"] = py_str("aml_token" if token else "key")
    _common_settings(values, target, ctx)
    settings = f"{ctx.symbol(_ENTITIES, 'ResourceSettings')}"
    requests = f'{settings}(cpu={_quantity(setting["cpu_cores"])}, memory={_quantity(setting["memory_gb"], "Gi")})'
    limits = ""
    if "cpu_cores_limit" in values or "memory_gb_limit" in values:
        parts = []
        if "cpu_cores_limit" in values:
            parts.append(f"cpu={_quantity(ctx.locator.text(values['cpu_cores_limit']))}")
        if "memory_gb_limit" in values:
            parts.append(f'memory={_quantity(ctx.locator.text(values["memory_gb_limit"]), "Gi")}')
        limits = f", limits={settings}({', '.join(parts)})"
    target.deployment["resources"] = f"{ctx.symbol(_ENTITIES, 'ResourceRequirementsSettings')}(requests={requests}{limits})"
    target.deployment["request_settings"] = (
        f"{ctx.symbol(_ENTITIES, 'OnlineRequestSettings')}(request_timeout_ms={setting['scoring_timeout_ms']}, "
        f"max_concurrent_requests_per_instance={setting['replica_max_concurrent_requests']}, "
        f"max_queue_wait_ms={setting['max_request_wait_time']})")
    target.deployment["liveness_probe"] = (
        f"{ctx.symbol(_ENTITIES, 'ProbeSettings')}(period={setting['period_seconds']}, "
        f"initial_delay={setting['initial_delay_seconds']}, timeout={setting['timeout_seconds']}, "
        f"success_threshold={setting['success_threshold']}, failure_threshold={setting['failure_threshold']})")
    if "num_replicas" in values and _flag(values.get("autoscale_enabled")) is not True:
        target.deployment["scale_settings"] = f"{ctx.symbol(_ENTITIES, 'DefaultScaleSettings')}()"
        target.deployment["instance_count"] = ctx.locator.text(values["num_replicas"])
    elif _flag(values.get("autoscale_enabled")) is False:
        raise Refused("autoscale_enabled=False without num_replicas: v1's replica count is unknown")
    else:
        target.deployment["scale_settings"] = (
            f"{ctx.symbol(_ENTITIES, 'TargetUtilizationScaleSettings')}(min_instances={setting['autoscale_min_replicas']}, "
            f"max_instances={setting['autoscale_max_replicas']}, polling_interval={setting['autoscale_refresh_seconds']}, "
            f"target_utilization_percentage={setting['autoscale_target_utilization']})")
        target.deployment["instance_count"] = setting["autoscale_min_replicas"]
    target.todo.append("the AKS cluster must be attached as a Kubernetes compute with the Azure ML extension; "
                       "memory is requested in Gi, about 7% more than v1's GB")
    return target


def _model(node: ast.expr | None, ctx: FixContext) -> str:
    """``models=[model]``: one registered model, referenced by name and version (v1 or v2 object)."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        raise Refused("models= is not a literal list", RefusalKind.DATA_FLOW)
    if len(node.elts) != 1:
        raise Refused("a v2 deployment serves one model: several models per service must be combined into one "
                      "model asset first", RefusalKind.IMPOSSIBLE)
    model = node.elts[0]
    if not isinstance(model, ast.Name):
        raise Refused("the model is not a variable", RefusalKind.DATA_FLOW)
    return f'f"azureml:{{{model.id}.name}}:{{{model.id}.version}}"'


_ENDPOINT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]$")


def _endpoint_name(node: ast.expr | None, ctx: FixContext) -> str:
    if node is None:
        raise Refused("the service has no name", RefusalKind.DATA_FLOW)
    literal = constant_str(node)
    if literal is not None and not _ENDPOINT_NAME.match(literal):
        raise Refused(f"{literal!r} is not a valid v2 endpoint name (3-32 characters, a letter first, '-' only)",
                      RefusalKind.IMPOSSIBLE)
    return ctx.locator.text(node)


def _environment_of(inference: ast.Call, rewrite: Rewrite, ctx: FixContext) -> str:
    """The InferenceConfig's environment, for the deployment."""
    bound = bind_arguments(inference, list(INFERENCE_SPEC.signature))
    assert not isinstance(bound, str)
    if "environment" in bound.values:
        node = bound.values["environment"]
        site = ctx.site(inference)
        value = site.kwargs.get("environment") if site is not None else None
        if isinstance(node, ast.Call) and isinstance(value, Instance) and value.type == ENVIRONMENT:
            # the environment's rewrite would edit inside the InferenceConfig this one replaces, and
            # each needs the other (audit: both said "retried in the next pass", which never came)
            raise Refused(f"the InferenceConfig's environment `{snippet(ctx.locator, node)}` is built in place: "
                          "bind it to a variable first, and the environment and the deploy migrate together")
        return environment(Argument("environment", node, value, ctx, rewrite))
    conda = bound.values.get("conda_file")
    if conda is None:
        raise Refused("the InferenceConfig has no environment= or conda_file=", RefusalKind.DATA_FLOW)
    runtime = constant_str(bound.values.get("runtime"))
    if runtime not in (None, "python"):
        raise Refused(f"runtime={runtime!r} has no v2 equivalent", RefusalKind.IMPOSSIBLE)
    image = ctx.locator.text(bound.values["base_image"]) if "base_image" in bound.values else py_str(V1_CPU_IMAGE)
    add_todo(ctx, rewrite, ctx.statement_of(rewrite.node), "AML072",
             "the legacy InferenceConfig(conda_file=) became an environment on v1's base image; it must install "
             "azureml-inference-server-http (azureml-defaults brings it)")
    return f"{ctx.symbol(_ENTITIES, 'Environment')}(image={image}, conda_file={ctx.locator.text(conda)})"


def _rebound_between(inference: ast.Call, deploy: ast.Call, ctx: FixContext) -> str | None:
    """A name the InferenceConfig's environment reads that is bound again after the InferenceConfig
    and before the deploy (the deployment names its environment at the deploy), or None."""
    bound = bind_arguments(inference, list(INFERENCE_SPEC.signature))
    names = [n for key in ("environment", "conda_file", "base_image") if not isinstance(bound, str)
             and key in bound.values for n in ast.walk(bound.values[key]) if isinstance(n, ast.Name)]
    after, before = ctx.locator.end(ctx.statement_of(inference)), ctx.locator.start(deploy)
    for name in names:
        seen = ctx.binding_of(name)
        for other in ctx.bindings_named(name.id):
            if other is not seen and after <= ctx.locator.start(other.node) < before:
                return f"`{name.id}` is bound again ({line_ref(other.node.lineno)})"  # type: ignore[attr-defined]
    return None


# What a v2 deployment's environment must install (mapping-extension 7.3): the inference server, which
# azureml-defaults brings from 1.34.0 on (its wheels' metadata: 1.33.0 requires flask and gunicorn, 1.34.0
# azureml-inference-server-http ~=0.3.1); an unpinned one, or one at least that version, brings it.
_SERVER_FROM = (1, 34)
_DEFAULTS = re.compile(r"^[ \t\-'\"]*azureml-defaults\b[ \t]*(?P<spec>[^#\r\n'\"]*)", re.MULTILINE)  # (its own line only)
_CLAUSE = re.compile(r"(~=|===|==|=|<=|<|>=|>|!=)\s*(\d+(?:\.\d+)*)(?:\.\*)?$")


def _brings_inference_server(conda: str) -> bool:
    """Does a conda file's package list install the inference server: the server itself, or an
    azureml-defaults whose newest allowed version is 1.34.0 or later (what pip and conda pick)?"""
    return "azureml-inference-server-http" in conda or any(
        _newest_allowed_brings_it(found.group("spec")) for found in _DEFAULTS.finditer(conda))


def _newest_allowed_brings_it(spec: str) -> bool:
    """``spec`` (``==1.40.0``, ``>=1.20,<1.30``, empty) lets the installer take a version of 1.34.0
    or later; a clause this does not read keeps the answer no (the TODO stays)."""
    for clause in (c.strip() for c in spec.strip().split(",")):
        found = _CLAUSE.match(clause) if clause else None
        if clause and found is None:
            return False
        if found is None:
            continue
        operator, version = found.group(1), tuple(int(part) for part in found.group(2).split("."))
        if operator in ("==", "===", "=") and version < _SERVER_FROM:
            return False  # (a wildcard ``==1.*`` reads as (1,): kept as no)
        if operator == "~=" and (version[:-1] < _SERVER_FROM if len(version) > 2 else version[0] < 1):
            return False  # ~=1.20.0 stays within 1.20; ~=1.20 takes the newest 1.x
        if (operator == "<" and version <= _SERVER_FROM) or (operator == "<=" and version < _SERVER_FROM):
            return False
    return True


_CONDA_SPEC = "azureml.core.Environment.from_conda_specification"


def _without_inference_server(inference: ast.Call, ctx: FixContext) -> bool:
    """The InferenceConfig's environment comes from a conda file (``from_conda_specification``) that
    installs no inference server: the file is found, and lists neither the server nor an azureml-defaults
    that brings it."""
    bound = bind_arguments(inference, list(INFERENCE_SPEC.signature))
    node = bound.values.get("environment") if not isinstance(bound, str) else None
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    made = getattr(binding.node, "value", None) if binding is not None else None
    if not (isinstance(made, ast.Call) and ctx.callee(made) == _CONDA_SPEC):
        return False
    spec = bind_arguments(made, ["name", "file_path"])
    path = known_str(ctx, spec.values.get("file_path")) if not isinstance(spec, str) else None
    program = getattr(ctx.analysis.context, "path", None)
    copies = found_copies(path, Path(program), None) if path is not None and program is not None else []
    texts = []
    for copy in copies:
        try:
            texts.append(copy.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return False
    return bool(texts) and not any(_brings_inference_server(text) for text in texts)


def _config_use(node: ast.expr | None, rewrite: Rewrite) -> None:
    if isinstance(node, ast.Name):
        rewrite.consumes.append(node)


# What Model.deploy() used with neither deployment_config= nor deployment_target= (azureml-core's
# _deploy_with_environment_image_request): an ACI configuration with no settings.
_ACI_DEFAULTS_CALL = ast.Call(func=ast.Name(id="deploy_configuration", ctx=ast.Load()), args=[], keywords=[])

DEPLOY_SIGNATURE = ["workspace", "name", "models", "inference_config", "deployment_config", "deployment_target",
                    "overwrite", "show_output"]


def _plan(call: ast.Call, rewrite: Rewrite, ctx: FixContext) -> tuple[Target, str, Binding]:
    bound = bind_arguments(call, DEPLOY_SIGNATURE)
    if isinstance(bound, str):
        raise Refused(bound, RefusalKind.DATA_FLOW)
    # (v1 tested ``not deployment_target`` / ``not deployment_config``: an explicit None is left out)
    values = {k: v for k, v in bound.values.items()
              if not (k in ("deployment_config", "deployment_target") and isinstance(v, ast.Constant) and v.value is None)}
    workspace = workspace_binding(ctx, values.get("workspace"))
    if workspace is None:
        raise Refused(not_a_workspace(ctx, values.get("workspace"), "the deployment's"), RefusalKind.DATA_FLOW)
    rewrite.consumes.append(values["workspace"])  # type: ignore[arg-type]
    if "inference_config" not in values:  # (v1 then deployed a no-code model, with its own server)
        raise Refused("Model.deploy() without inference_config=: v1 deployed the model without code, which this "
                      "fix does not write out", RefusalKind.DATA_FLOW)
    if "deployment_config" not in values and "deployment_target" in values:
        raise Refused("Model.deploy() with a deployment_target= and no deployment_config=: v1 took the AKS "
                      "defaults for an AKS target; write AksWebservice.deploy_configuration() out", RefusalKind.DATA_FLOW)
    if "deployment_config" in values:
        settings = _origin(values["deployment_config"], ctx, "deployment_config=")
        kind = ctx.callee(settings)
    else:  # v1 deployed to ACI with AciWebservice.deploy_configuration()'s defaults
        settings, kind = _ACI_DEFAULTS_CALL, ACI_CONFIG
        rewrite.notes.append("no deployment_config=: v1 deployed to ACI with deploy_configuration()'s defaults")
    if kind == ACI_CONFIG:
        if "deployment_target" in values:
            raise Refused("an ACI configuration with a deployment_target=")
        target = _aci(settings, ctx)
    elif kind == AKS_CONFIG:
        if not isinstance(values.get("deployment_target"), ast.Name):
            raise Refused("an AKS deployment without a deployment_target= variable", RefusalKind.DATA_FLOW)
        target = _aks(settings, f"{values['deployment_target'].id}.name", ctx)  # type: ignore[union-attr]
    else:
        raise Refused("deployment_config= is not an ACI or AKS deploy_configuration()")
    inference = _origin(values["inference_config"], ctx, "inference_config=")
    if ctx.callee(inference) != INFERENCE_CONFIG:
        raise Refused("inference_config= is not an InferenceConfig(...)", RefusalKind.DATA_FLOW)
    _config_use(values["inference_config"], rewrite)
    _config_use(values.get("deployment_config"), rewrite)
    code = ctx.locator.text(values["inference_config"]) if isinstance(values["inference_config"], ast.Name) else None
    if code is None:
        raise Refused("the InferenceConfig is built inline: assign it to a variable first", RefusalKind.DATA_FLOW)
    target.endpoint = {"name": _endpoint_name(values.get("name"), ctx), **target.endpoint}
    rebound = _rebound_between(inference, call, ctx)
    if rebound is not None:
        raise Refused(f"{rebound}, between the InferenceConfig and the deploy: the deployment would take the "
                      "environment it names at the deploy, where v1 kept the one the InferenceConfig was made with",
                      RefusalKind.DATA_FLOW)
    target.deployment = {"model": _model(values.get("models"), ctx), "environment": _environment_of(inference, rewrite, ctx),
                         "code_configuration": code, **target.deployment}
    if _without_inference_server(inference, ctx):
        target.todo.append("the environment's conda file lists neither azureml-inference-server-http nor an "
                           "azureml-defaults of 1.34.0 or later (which brings it): a managed deployment runs that server")
    if "overwrite" in values:
        rewrite.notes.append("overwrite= dropped: begin_create_or_update updates an existing endpoint")
    if not _is_true(values.get("overwrite")):  # v1's default, overwrite=False, stopped there
        target.todo.append(_EXISTING_SERVICE)
    reader = service_reader_elsewhere(values.get("name"), ctx)
    if reader is not None:
        raise Refused(f"{reader} looks the service up with v1, which lists v1 services only and would not find "
                      "the v2 endpoint: migrate that reader first", RefusalKind.DATA_FLOW)
    client = ctx.counterpart(workspace)
    lookups = lookups_in_program(SERVICE, known_str(ctx, values.get("name")), ctx)
    translate_lookups(list(lookups), values.get("name"), workspace, client, rewrite, ctx, keyless=target.keyless)
    return target, client, workspace


# Model.deploy(overwrite=False), v1's default, raised WebserviceException for a service name in use.
_EXISTING_SERVICE = ("v1 (overwrite=False) failed when a service of this name existed; begin_create_or_update "
                     "updates that endpoint instead")


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def fix_deploy(ctx: FixContext) -> Iterator[Rewrite]:
    """``service = Model.deploy(...)`` -> the endpoint (held by ``service``), its deployment
    and the poller that ``service.wait_for_deployment()`` waits on."""
    for site in ctx.model.calls_to(MODEL_DEPLOY):
        call = site.node
        rewrite = Rewrite("AML071", call, "Model.deploy() -> online endpoint + deployment")
        binding = None
        try:
            binding = rewrite.binding = result_binding(call, ctx, "deployed service")
            target, client, _ = _plan(call, rewrite, ctx)
            _write(call, ctx.statement_of(call), binding, target, client, rewrite, ctx)
        except Refused as reason:
            rewrite.refuse(str(reason), reason.kind)
            found = [*handle_findings(binding, ctx), *_inline_configs(call, ctx)]
            rewrite.findings.extend(f for f in found if f not in rewrite.findings)
            yield rewrite
            yield from _lookups_left(call, rewrite, ctx)
            continue
        yield rewrite


_CONFIG_CODES = {ACI_CONFIG: "AML073", AKS_CONFIG: "AML074", INFERENCE_CONFIG: "AML072"}


def _inline_configs(call: ast.Call, ctx: FixContext) -> list[tuple[str, ast.AST]]:
    """The configurations written inside a refused deploy's call, which go only with it: they say
    why it stays (audit: "this form is not migrated automatically")."""
    bound = bind_arguments(call, DEPLOY_SIGNATURE)
    values = bound.values if not isinstance(bound, str) else {}
    found: list[tuple[str, ast.AST]] = []
    for name in ("inference_config", "deployment_config"):
        node = values.get(name)
        code = _CONFIG_CODES.get(ctx.callee(node) or "") if isinstance(node, ast.Call) else None
        if code is not None:
            found.append((code, node))
    return found


def _lookups_left(call: ast.Call, deploy: Rewrite, ctx: FixContext) -> Iterator[Rewrite]:
    """A refused deploy's service stays v1, and so do the look-ups of it (AML075), which only
    move with their deploy: they say which deploy keeps them, and why."""
    bound = bind_arguments(call, DEPLOY_SIGNATURE)
    deployed = bound.values.get("name") if not isinstance(bound, str) else None
    if deployed is None or deploy.refusal is None:
        return
    for lookup in lookups_in_program(SERVICE, known_str(ctx, deployed), ctx):
        if isinstance(lookup, ast.Call) and looks_up(lookup, deployed, ctx):
            left = Rewrite("AML075", lookup, "Webservice() -> ml_client.online_endpoints.get()")
            left.refusal = deploy.refusal.blocking(call.lineno)
            yield left


def _write(call: ast.Call, statement: ast.stmt, binding: Binding | None, target: Target, client: str,
           rewrite: Rewrite, ctx: FixContext) -> None:
    endpoint = binding.name if binding is not None else ctx.fresh_name("endpoint")
    deployment = ctx.fresh_name(f"{endpoint}_deployment")
    poller = ctx.fresh_name(f"{endpoint}_poller")
    prefix = "Kubernetes" if target.kind == "kubernetes" else "Managed"
    endpoint_class = ctx.symbol(_ENTITIES, f"{prefix}OnlineEndpoint")
    deployment_class = ctx.symbol(_ENTITIES, f"{prefix}OnlineDeployment")
    deployment_args = {"name": py_str(DEPLOYMENT_NAME), "endpoint_name": f"{endpoint}.name", **target.deployment}
    lines = [
        f"{endpoint} = {endpoint_class}({_keywords(target.endpoint)})",
        f"{client}.online_endpoints.begin_create_or_update({endpoint}).result()",
        f"{deployment} = {deployment_class}({_keywords(deployment_args)})",
        f"{poller} = {client}.online_deployments.begin_create_or_update({deployment})",
    ]
    waits = translate_service_uses(binding, poller, client, rewrite, ctx, target.keyless) if binding is not None else 0
    if not waits:  # nobody waits: route the traffic once the deployment is done, as v1's service served at once
        lines.extend(traffic_lines(endpoint, poller, client, ""))
    indent = ctx.locator.indentation(statement)
    text = (ctx.locator.newline + indent).join(lines)
    rewrite.edits.append(statements.replace_statement(ctx.locator, statement, text))
    code = "AML074" if target.kind == "kubernetes" else "AML071"
    if target.todo:
        add_todo(ctx, rewrite, statement, code, "; ".join(target.todo))


def _keywords(values: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())
