"""The migrations for AML007 and AML029: a v1 ``RunConfiguration`` (and a
``DockerConfiguration``) becomes the fields of the v2 jobs that use it
(mapping-extension.md 2).

v2 has no run-configuration object.  The settings made right after
``rc = RunConfiguration(...)`` in the same block are read statically (a table
per attribute path below) into ``command(...)`` keyword arguments; every job
or step that takes ``rc`` writes them, and ``rc`` and its settings go.  What
v1 left at its defaults is written out: the default environment, and the
``"local"`` target (with a TODO: v1 ran it without Docker).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import bind_arguments, constant_str, known_int, known_str, py_str
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.specs import Refused
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding, Instance
from . import commandline, conda, distribution
from .compute_target import names_compute_object
from ._common import attribute_path, call_binding, only_settings_use
from ._defaults import DEFAULT_ENVIRONMENT, default_environment
from .environment import EnvPlan, fold_settings, holds_from, registered_reference, settings_of
from .injob._shared import is_pure

RUN_CONFIGURATION = "azureml.core.RunConfiguration"
DOCKER_CONFIGURATION = "azureml.core.runconfig.DockerConfiguration"
ENVIRONMENT = "azureml.core.Environment"
SIGNATURE = ["script", "arguments", "framework", "communicator", "conda_dependencies", "_history_enabled", "_path",
             "_name", "command"]
DOCKER_SIGNATURE = ["use_docker", "shared_volumes", "arguments", "shm_size"]
LOCAL_TODO = ("# TODO(azureml-v2): AML007 v2 local jobs always run the environment's image in Docker "
              "(v1 did only with use_docker=True; without Docker it ran on this machine, with its packages)")
_ENV_PATHS = {("environment", *p) for p in (("python", "conda_dependencies"), ("docker", "base_image"),
                                            ("docker", "enabled"), ("python", "user_managed_dependencies"),
                                            ("docker", "base_dockerfile"), ("docker", "gpu_support"))}
# (``auto_prepare_environment``: azureml-core 1.61's setter only logs that it is deprecated and unused)
_DROPPED = {("docker", "use_docker"), ("docker", "shared_volumes"), ("history", "output_collection"),
            ("history", "snapshot_project"), ("history", "directories_to_watch"), ("source_directory_data_store",),
            ("framework",), ("communicator",), ("auto_prepare_environment",)}
_SIMPLE = {("environment_variables",): "environment_variables", ("node_count",): "instance_count",
           ("max_run_duration_seconds",): "timeout", ("docker", "shm_size"): "shm_size"}
_DISTRIBUTED = {("mpi", "process_count_per_node"), ("tensorflow", "worker_count"),
                ("tensorflow", "parameter_server_count")}
_OTHER = {("target",), ("environment",), ("docker", "arguments"), ("docker",), ("credential_passthrough",),
          ("amlcompute", "vm_size"), ("mpi",)}
# ``rc.environment.environment_variables`` (a dict written out, or items set one by one): v2 sets them on
# each job that runs with the run configuration (mapping-extension 1.4, 2)
_ENV_VARIABLES = ("environment", "environment_variables")
_ENV_VARIABLE_ITEMS = (*_ENV_VARIABLES, "[]")
FOLDED = _ENV_PATHS | _DROPPED | set(_SIMPLE) | _DISTRIBUTED | _OTHER | {_ENV_VARIABLES, _ENV_VARIABLE_ITEMS}
_IMPOSSIBLE = {("priority",): "v2's priority takes low/medium/high, v1's was a number: no mapping",
               ("paralleltask",): "a ParallelTask run has no v2 command equivalent (a parallel job comes closest)",
               ("environment", "spark"): "v2 environments have no Spark section"}
_MPI = ("intelmpi", "openmpi", "mpi")
_ORDER = ("compute", "environment", "instance_type", "instance_count", "distribution", "timeout", "shm_size",
          "docker_args", "environment_variables", "identity")


@dataclass
class RunConfigPlan:
    """What a run configuration gives the jobs that take it."""

    fields: dict[str, str] = field(default_factory=dict)
    todos: list[str] = field(default_factory=list)
    helpers: dict[str, str] = field(default_factory=dict)
    consumes: list[ast.Name] = field(default_factory=list)
    findings: list[tuple[str, ast.AST]] = field(default_factory=list)
    configs: list[tuple[ast.Name, ast.Assign]] = field(default_factory=list)
    environment_node: ast.expr | None = None  # what ``rc.environment = ...`` assigns, when it does
    # ``rc.target = args.compute``: a string known only at run time.  A pipeline step looks it up
    # as a compute's name; a ScriptRunConfig also gives ``"local"`` and ``"amlcompute"`` meanings
    # of their own, so it refuses it (``target_refusal``).
    target_name: str | None = None
    target_refusal: str = ""

    def arguments(self, skip: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
        return [f"{k}={self.fields[k]}" for k in _ORDER if k in self.fields and k not in skip]


GET_ENVIRONMENT = "azureml.core.Environment.get"


def run_configuration_binding(ctx: FixContext, node: ast.expr | None) -> Binding | None:
    """``rc`` when it names ``rc = RunConfiguration(...)`` made by one plain statement."""
    return call_binding(ctx, node, RUN_CONFIGURATION)


def plan(binding: Binding, ctx: FixContext) -> RunConfigPlan:
    """The plan of one run configuration, built once per pass; raises Refused."""
    cache: dict[int, RunConfigPlan | Refused] = ctx.cache.setdefault("run_configurations", {})  # type: ignore[assignment]
    if id(binding) not in cache:
        try:
            cache[id(binding)] = _plan(binding, ctx)
        except Refused as reason:  # kept without its traceback, whose frames hold this context: a cycle
            cache[id(binding)] = reason.with_traceback(None)
    found = cache[id(binding)]
    if isinstance(found, Refused):
        raise Refused(str(found), found.kind)
    return found


def _plan(binding: Binding, ctx: FixContext) -> RunConfigPlan:
    call = binding.node.value  # type: ignore[attr-defined]
    bound = bind_arguments(call, SIGNATURE)
    if isinstance(bound, str):
        raise Refused(bound, RefusalKind.DATA_FLOW)
    values = bound.values
    for parameter in ("script", "arguments", "command", "_path", "_name", "_history_enabled"):
        if parameter in values:
            raise Refused(f"RunConfiguration({parameter}=...) is not migrated automatically")
    for path, reason in _IMPOSSIBLE.items():
        if any(use_path[:len(path)] == path for use_path in _paths(binding, ctx)):
            raise Refused(f"{'.'.join((binding.name, *path))}: {reason}", RefusalKind.IMPOSSIBLE)
    settings, configs = settings_of(binding, ctx, FOLDED)
    result = RunConfigPlan(configs=configs)
    if "conda_dependencies" in values:
        settings.setdefault(("environment", "python", "conda_dependencies"), values["conda_dependencies"])
    for parameter in ("framework", "communicator"):
        if parameter in values:
            settings.setdefault((parameter,), values[parameter])
    unit = Rewrite("AML007", call, "")  # collects what the readers below take over
    _compute(settings, result, ctx)
    _environment_variables(binding.name, settings, configs, result, ctx)  # (its reasons first: it says the order)
    _environment(settings, result, unit, ctx)
    _distribution(settings, result, ctx)
    for path, keyword in _SIMPLE.items():
        if path in settings:
            result.fields.setdefault(keyword, ctx.locator.text(settings[path]))
    _docker(settings, result, ctx)
    managed = settings.get(("credential_passthrough",))
    if managed is not None:
        if not (isinstance(managed, ast.Constant) and isinstance(managed.value, bool)):
            raise Refused("credential_passthrough is not True or False", RefusalKind.DATA_FLOW)
        if managed.value:
            result.fields["identity"] = f"{symbol('azure.ai.ml.entities', 'UserIdentityConfiguration')}()"
    for path in _DROPPED:
        if path in settings and not is_pure(settings[path]):
            raise Refused(f"{'.'.join(path)} is computed by a call; dropping it would skip that call")
    result.consumes.extend(unit.consumes)
    result.findings.extend(f for f in unit.findings if f[0] != "AML007")
    return result


def _paths(binding: Binding, ctx: FixContext) -> Iterator[tuple[str, ...]]:
    for use in binding.uses:
        yield attribute_path(ctx, use)[0]


def _compute(settings: dict[tuple[str, ...], ast.expr], result: RunConfigPlan, ctx: FixContext) -> None:
    """``rc.target``: a name, a compute object (its name), ``"amlcompute"`` (serverless
    with ``amlcompute.vm_size``), or v1's default ``"local"``."""
    target = settings.get(("target",))
    size = settings.get(("amlcompute", "vm_size"))
    literal = known_str(ctx, target)
    if target is None or literal == "local":
        result.fields["compute"] = py_str("local")
        result.todos.append(LOCAL_TODO)
    elif literal == "amlcompute":
        if size is None:
            raise Refused("target 'amlcompute' without amlcompute.vm_size: v2 serverless needs an instance type")
        result.fields["instance_type"] = ctx.locator.text(size)
        return
    elif literal is not None:
        result.fields["compute"] = ctx.locator.text(target)
    elif isinstance(target, ast.Name) and names_compute_object(target, ctx):
        result.fields["compute"] = f"{target.id}.name"
    elif (isinstance(target, ast.Attribute) and target.attr == "name" and isinstance(target.value, ast.Name)
          and names_compute_object(target.value, ctx)):
        result.fields["compute"] = ctx.locator.text(target)
    elif commandline.string_option(target, ctx) and size is None:
        result.target_name = ctx.locator.text(target)
        result.target_refusal = (f"target `{snippet(ctx.locator, target)}` is a string known only at run time, "
                                 "and a job's v1 target also took 'local' and 'amlcompute' as run modes")
    else:
        raise Refused(f"target `{snippet(ctx.locator, target)}` has a type this fix cannot know", RefusalKind.DATA_FLOW)
    if size is not None:
        raise Refused("amlcompute.vm_size is set for a target other than 'amlcompute'")


def _environment(settings: dict[tuple[str, ...], ast.expr], result: RunConfigPlan, unit: Rewrite,
                 ctx: FixContext) -> None:
    """``rc.environment = env`` (a migrated environment), ``rc.environment.<...> = ...``
    (v1's default environment, changed), or the default environment itself."""
    own = {path[1:]: value for path, value in settings.items() if path in _ENV_PATHS}
    assigned = settings.get(("environment",))
    if assigned is not None and own:
        raise Refused("the run configuration sets both .environment and fields inside it: the environment object "
                      "is changed in place", RefusalKind.DATA_FLOW)
    if isinstance(assigned, ast.Call) and ctx.callee(assigned) == GET_ENVIRONMENT:
        # a registered environment fetched where it is set: its reference string (mapping-extension 1.5)
        reference, todos, _ = registered_reference(assigned, ctx)
        result.fields["environment"] = reference
        result.todos.extend(todos)
        result.environment_node = assigned
    elif assigned is not None:
        binding = ctx.binding_of(assigned) if isinstance(assigned, ast.Name) else None
        if binding is None or not isinstance(binding.value, Instance) or binding.value.type != ENVIRONMENT:
            raise Refused(f"environment `{snippet(ctx.locator, assigned)}` is not an environment this fix migrates",
                          RefusalKind.DATA_FLOW)
        unit.consumes.append(assigned)  # type: ignore[arg-type]
        result.fields["environment"] = ctx.counterpart(binding)
        result.environment_node = assigned
    elif own:
        env = EnvPlan()
        fold_settings(env, own, unit, ctx)
        result.fields["environment"] = env.source()
        result.todos.extend(env.todos)
        result.helpers.update(env.helpers)
    else:
        result.fields["environment"] = DEFAULT_ENVIRONMENT
        result.helpers.update(default_environment("AML007"))


def _environment_variables(name: str, settings: dict[tuple[str, ...], ast.expr],
                           configs: list[tuple[ast.Name, ast.Assign]], result: RunConfigPlan, ctx: FixContext) -> None:
    """``rc.environment.environment_variables["KEY"] = value`` (or the whole dict written out) ->
    ``environment_variables=`` on each job the run configuration makes (audit f: MLOps templates pass
    their datastore's name to every step this way)."""
    whole = settings.get(_ENV_VARIABLES)
    items = {path[-1]: value for path, value in settings.items() if path[:-1] == _ENV_VARIABLE_ITEMS}
    if whole is None and not items:
        return
    where = f"`{name}.environment.environment_variables`"
    if ("environment_variables",) in settings or (whole is not None and items):
        raise Refused(f"{where} is set together with other variables: which of them v1 kept is not followed here",
                      RefusalKind.DATA_FLOW)
    if whole is not None and (not isinstance(whole, ast.Dict) or any(constant_str(k) is None for k in whole.keys)):
        raise Refused(f"{where} is set to a value other than a dict written out with literal keys", RefusalKind.DATA_FLOW)
    lines = {id(statement.value): statement.lineno for _, statement in configs}
    first = min(lines[id(value)] for value in ([whole] if whole is not None else items.values()))
    assigned = settings.get(("environment",))
    if assigned is not None:
        if lines.get(id(assigned), 0) > first:  # (v1 set them on the environment this one replaced)
            raise Refused(f"{where} is set before `{name}.environment` is assigned", RefusalKind.DATA_FLOW)
        shared = ctx.binding_of(assigned) if isinstance(assigned, ast.Name) else None
        if isinstance(assigned, ast.Name) and (shared is None or len(shared.uses) != 1):
            raise Refused(f"{where} changes `{snippet(ctx.locator, assigned)}` itself, which other code uses too",
                          RefusalKind.DATA_FLOW)
    last = max(lines.values(), default=0)
    for value in ([v for v in whole.values] if isinstance(whole, ast.Dict) else list(items.values())):
        if not holds_from(value, last, ctx):
            raise Refused(f"{where} takes `{snippet(ctx.locator, value)}`, which may be another value where the "
                          "job is made", RefusalKind.DATA_FLOW)
    result.fields["environment_variables"] = ctx.locator.text(whole) if whole is not None else \
        "{" + ", ".join(f"{py_str(key)}: {ctx.locator.text(value)}" for key, value in items.items()) + "}"


def _distribution(settings: dict[tuple[str, ...], ast.expr], result: RunConfigPlan, ctx: FixContext) -> None:
    """``rc.communicator`` (with ``rc.mpi``/``rc.tensorflow`` and ``rc.node_count``) -> ``distribution=``."""
    framework = settings.get(("framework",))
    name = constant_str(framework) if framework is not None else "Python"
    if name is None or name.lower() != "python":
        kind = RefusalKind.IMPOSSIBLE if name and name.lower() == "pyspark" else RefusalKind.NOT_YET
        raise Refused(f"framework {name or 'computed by code'!r}: only Python runs are v2 command jobs", kind)
    communicator = settings.get(("communicator",))
    name = constant_str(communicator) if communicator is not None else "None"
    if name is None:
        raise Refused("communicator is not a literal string", RefusalKind.DATA_FLOW)
    nodes = settings.get(("node_count",))
    if name.lower() in _MPI:
        values = {"node_count": nodes} if nodes is not None else {}
        if ("mpi", "process_count_per_node") in settings:
            values["process_count_per_node"] = settings[("mpi", "process_count_per_node")]
        if ("mpi",) in settings:
            values.update(_mpi_object(settings, nodes, ctx))
        result.fields.update(distribution.distribution(distribution.MPI, values).fields)  # type: ignore[arg-type]
    elif name.lower() == "parameterserver":
        values = {k: settings[("tensorflow", k)] for k in ("worker_count", "parameter_server_count")
                  if ("tensorflow", k) in settings}
        result.fields.update(distribution.distribution(distribution.TENSORFLOW, values).fields)  # type: ignore[arg-type]
    elif name.lower() in ("nccl", "gloo"):
        values = {"communication_backend": communicator, **({"node_count": nodes} if nodes is not None else {})}
        found = distribution.distribution(distribution.PYTORCH, values)  # type: ignore[arg-type]
        result.fields.update(found.fields)
        result.todos.extend(found.todos)
    elif name.lower() != "none":
        kind = RefusalKind.IMPOSSIBLE if name.lower() == "paralleltask" else RefusalKind.NOT_YET
        raise Refused(f"communicator {name!r} has no v2 distribution", kind)
    elif any(path in settings for path in (*_DISTRIBUTED, ("mpi",))):
        raise Refused("distributed settings without a communicator")


def _mpi_object(settings: dict[tuple[str, ...], ast.expr], nodes: ast.expr | None, ctx: FixContext) -> dict[str, ast.expr]:
    """``rc.mpi = MpiConfiguration(p, n)`` as the ``rc.mpi.process_count_per_node = p`` it sets
    (audit, stop 64, lot c M2).  v1 ran ``rc.node_count`` nodes whatever ``n`` says (only a
    ScriptRunConfig's ``distributed_job_config=`` copies it over), so the two must agree."""
    whole = settings[("mpi",)]
    if ("mpi", "process_count_per_node") in settings:
        raise Refused("rc.mpi is replaced and changed: set it once", RefusalKind.DATA_FLOW)
    if not isinstance(whole, ast.Call) or ctx.callee(whole) != distribution.MPI:
        raise Refused("rc.mpi is not an MpiConfiguration(...) call", RefusalKind.DATA_FLOW)
    bound = bind_arguments(whole, list(distribution.SIGNATURES[distribution.MPI]))
    if isinstance(bound, str) or set(bound.values) - set(distribution.SIGNATURES[distribution.MPI]):
        # (an unknown keyword: v1 raised TypeError there, so the job never ran: review, stop 64)
        raise Refused("MpiConfiguration() takes only process_count_per_node= and node_count=", RefusalKind.DATA_FLOW)
    given, used = (known_int(ctx, n) if n is not None else 1 for n in (bound.values.get("node_count"), nodes))
    if given is None or used is None or given != used:
        raise Refused(f"rc.mpi's node_count ({given if given is not None else 'computed'}, 1 when not given) is not "
                      f"rc.node_count ({used if used is not None else 'computed'}), which v1 ran the job on",
                      RefusalKind.DATA_FLOW)
    count = bound.values.get("process_count_per_node")
    return {"process_count_per_node": count} if count is not None else {}


def _docker(settings: dict[tuple[str, ...], ast.expr], result: RunConfigPlan, ctx: FixContext) -> None:
    whole = settings.get(("docker",))
    if whole is not None:
        if len([p for p in settings if p[:1] == ("docker",)]) > 1:
            raise Refused("rc.docker is replaced and changed: set it once", RefusalKind.DATA_FLOW)
        if not isinstance(whole, ast.Call) or ctx.callee(whole) != DOCKER_CONFIGURATION:
            raise Refused("rc.docker is not a DockerConfiguration(...) call", RefusalKind.DATA_FLOW)
        result.fields.update(docker_fields(whole, ctx))
        result.findings.append(("AML029", whole))
    arguments = settings.get(("docker", "arguments"))
    if arguments is not None:
        result.fields["docker_args"] = _docker_args(arguments, ctx)


def _docker_args(node: ast.expr, ctx: FixContext) -> str:
    """v1's list of docker flags -> v2's one string."""
    found = conda.literal_strings(node, ctx)
    if found is None:
        raise Refused("the docker arguments are not a list of known strings", RefusalKind.DATA_FLOW)
    return py_str(" ".join(found))


def docker_fields(call: ast.Call, ctx: FixContext) -> dict[str, str]:
    """``DockerConfiguration(...)`` -> ``shm_size=``/``docker_args=``; use_docker and shared_volumes go."""
    bound = bind_arguments(call, DOCKER_SIGNATURE)
    if isinstance(bound, str) or set(bound.values) - set(DOCKER_SIGNATURE):
        raise Refused("DockerConfiguration() with unknown arguments", RefusalKind.DATA_FLOW)
    values = bound.values
    if any(not is_pure(values[p]) for p in ("use_docker", "shared_volumes") if p in values):
        raise Refused("use_docker/shared_volumes is computed by a call; dropping it would skip that call")
    fields = {}
    if "shm_size" in values and not (isinstance(values["shm_size"], ast.Constant) and values["shm_size"].value is None):
        fields["shm_size"] = ctx.locator.text(values["shm_size"])
    if "arguments" in values and not (isinstance(values["arguments"], ast.Constant) and values["arguments"].value is None):
        fields["docker_args"] = _docker_args(values["arguments"], ctx)
    return fields


def docker_configuration(node: ast.expr, unit: Rewrite, ctx: FixContext) -> dict[str, str]:
    """A ``docker_runtime_config=`` argument: inline, or a variable the fix migrates."""
    call = node
    if isinstance(node, ast.Name):
        binding = call_binding(ctx, node, DOCKER_CONFIGURATION)
        if binding is None:
            raise Refused(f"`{node.id}` is not a DockerConfiguration this fix can follow", RefusalKind.DATA_FLOW)
        call = binding.node.value  # type: ignore[attr-defined]
        unit.consumes.append(node)
    elif isinstance(node, ast.Call) and ctx.callee(node) == DOCKER_CONFIGURATION:
        unit.findings.append(("AML029", node))
    else:
        raise Refused("docker_runtime_config= is not a DockerConfiguration", RefusalKind.DATA_FLOW)
    return docker_fields(call, ctx)  # type: ignore[arg-type]


def consume(node: ast.expr, unit: Rewrite, ctx: FixContext) -> RunConfigPlan:
    """A job takes ``rc``: its use is taken over and the plan's fields are the job's."""
    binding = run_configuration_binding(ctx, node)
    if binding is None:
        raise Refused(f"`{snippet(ctx.locator, node)}` is not a RunConfiguration this fix can follow",
                      RefusalKind.DATA_FLOW)
    found = plan(binding, ctx)
    unit.consumes.append(node)  # type: ignore[arg-type]
    return found


def _deleting(binding: Binding, configs: list[tuple[ast.Name, ast.Assign]], unit: Rewrite, ctx: FixContext) -> None:
    unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
    for use, statement in configs:
        unit.edits.append(ctx.delete(statement))
        unit.own_uses.add(id(use))


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``rc = RunConfiguration(...)`` and its settings go; every job that takes ``rc``
    writes its fields (all of them or none: ``rc`` cannot stay beside its jobs)."""
    for site in ctx.model.calls_to(RUN_CONFIGURATION):
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue
        unit = Rewrite("AML007", site.node, "RunConfiguration folded into the jobs that use it", binding=binding)
        try:
            found = plan(binding, ctx)
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        _deleting(binding, found.configs, unit, ctx)
        if only_settings_use(binding, unit):
            unit.description = "RunConfiguration removed: nothing uses it"
        unit.consumes.extend(found.consumes)
        unit.findings.extend(found.findings)
        unit.helpers.update(found.helpers)  # the jobs name them
        yield unit


def fix_docker(ctx: FixContext) -> Iterator[Rewrite]:
    """``docker = DockerConfiguration(...)`` goes; the jobs that take it write ``shm_size=``/``docker_args=``."""
    for site in ctx.model.calls_to(DOCKER_CONFIGURATION):
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue
        unit = Rewrite("AML029", site.node, "DockerConfiguration folded into the jobs that use it", binding=binding)
        try:
            docker_fields(site.node, ctx)
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
        if only_settings_use(binding, unit):
            unit.description = "DockerConfiguration removed: nothing uses it"
        yield unit

