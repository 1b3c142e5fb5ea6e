"""v1's distributed configurations -> a v2 ``distribution=`` and ``instance_count=``
(mapping-extension.md 3).

v1 counted processes per node for MPI, in total for PyTorch (v2 wants them per
instance: the total divided by the node count, which must divide evenly), and
gave TensorFlow one parameter server by default where v2 gives none.  Every v1
default is written out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import bind_arguments, known_int
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Refused
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding
from ._common import call_binding, only_settings_use
from .injob._shared import is_pure

MPI = "azureml.core.runconfig.MpiConfiguration"
PYTORCH = "azureml.core.runconfig.PyTorchConfiguration"
TENSORFLOW = "azureml.core.runconfig.TensorflowConfiguration"
CONFIGURATIONS = (MPI, PYTORCH, TENSORFLOW)
SIGNATURES = {
    MPI: ("process_count_per_node", "node_count"),
    PYTORCH: ("communication_backend", "process_count", "node_count"),
    TENSORFLOW: ("worker_count", "parameter_server_count"),
}
DEFAULTS = {"process_count_per_node": 1, "node_count": 1, "communication_backend": "Nccl", "process_count": None,
            "worker_count": 1, "parameter_server_count": 1}
_ENTITIES = "azure.ai.ml"  # where azure-ai-ml exports the distributions


@dataclass
class Distribution:
    """The v2 keyword arguments a v1 distributed configuration becomes."""

    fields: dict[str, str]
    todos: list[str] = field(default_factory=list)


def _value(values: dict[str, ast.expr], name: str) -> object:
    """A parameter's literal value (v1's default when left out); Refused for a computed one."""
    node = values.get(name)
    if node is None:
        return DEFAULTS[name]
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, (int, str))) and not isinstance(
            node.value, bool):
        return node.value
    raise Refused(f"{name}= is not a literal number", RefusalKind.DATA_FLOW)


def distribution(kind: str, values: dict[str, ast.expr]) -> Distribution:
    """``distribution=`` and ``instance_count=`` for one v1 configuration's settings; raises Refused."""
    if kind == MPI:
        per_node, nodes = _value(values, "process_count_per_node"), _value(values, "node_count")
        return Distribution({
            "distribution": f"{symbol(_ENTITIES, 'MpiDistribution')}(process_count_per_instance={per_node})",
            "instance_count": str(nodes)})
    if kind == PYTORCH:
        backend, total, nodes = (_value(values, n) for n in ("communication_backend", "process_count", "node_count"))
        if not isinstance(nodes, int) or nodes < 1 or not (total is None or isinstance(total, int)):
            raise Refused("the process and node counts are not literal numbers", RefusalKind.DATA_FLOW)
        if total is not None and total % nodes:
            raise Refused(f"process_count={total} over node_count={nodes} is an uneven layout: v2 runs the same "
                          "number of processes on every instance", RefusalKind.IMPOSSIBLE)
        todos = []
        if str(backend).lower() != "nccl":
            todos.append(f"# TODO(azureml-v2): AML002 v1 set the {backend} backend; v2 has no such setting: "
                         "pass it to torch.distributed.init_process_group in the script")
        per_instance = 1 if total is None else total // nodes
        return Distribution({
            "distribution": f"{symbol(_ENTITIES, 'PyTorchDistribution')}(process_count_per_instance={per_instance})",
            "instance_count": str(nodes)}, todos)
    workers, servers = _value(values, "worker_count"), _value(values, "parameter_server_count")
    return Distribution({
        "distribution": f"{symbol(_ENTITIES, 'TensorFlowDistribution')}(worker_count={workers}, "
                        f"parameter_server_count={servers})",
        "instance_count": str(workers)})


def settings(binding: Binding, ctx: FixContext) -> tuple[dict[str, ast.expr], list[tuple[ast.Name, ast.Assign]]]:
    """``cfg.node_count = 2``-style settings right after the configuration is built."""
    from .environment import settings_of

    kind = ctx.callee(binding.node.value)  # type: ignore[attr-defined]
    found, configs = settings_of(binding, ctx, {(p,) for p in SIGNATURES[kind]})  # type: ignore[index]
    return {path[0]: value for path, value in found.items()}, configs


def configuration(node: ast.expr, unit: Rewrite, ctx: FixContext) -> Distribution:
    """The distribution a ``distributed_job_config=`` argument names: a configuration built
    inline, or a variable the fix migrates (its use is taken over); raises Refused."""
    call, binding = node, None
    if isinstance(node, ast.Name):
        binding = configuration_binding(ctx, node)
        if binding is None:
            raise Refused(f"`{node.id}` is not an MPI, PyTorch or TensorFlow configuration this fix can follow",
                          RefusalKind.DATA_FLOW)
        call = binding.node.value  # type: ignore[attr-defined]
        unit.consumes.append(node)
    if not isinstance(call, ast.Call) or ctx.callee(call) not in CONFIGURATIONS:
        raise Refused("distributed_job_config= is not an MPI, PyTorch or TensorFlow configuration",
                      RefusalKind.DATA_FLOW)
    kind = ctx.callee(call)
    bound = bind_arguments(call, list(SIGNATURES[kind]))  # type: ignore[index]
    if isinstance(bound, str) or set(bound.values) - set(SIGNATURES[kind]):  # type: ignore[index]
        raise Refused(f"{kind.rsplit('.', 1)[1]}() with unknown arguments", RefusalKind.DATA_FLOW)  # type: ignore[union-attr]
    values = dict(bound.values)
    if binding is not None:
        values.update(settings(binding, ctx)[0])
    for name, value in values.items():  # (a count held in a variable set once: audit h, ``devices = 8``)
        number = known_int(ctx, value) if isinstance(value, ast.Name) else None
        if number is not None:
            values[name] = ast.Constant(number)
    return distribution(kind, values)  # type: ignore[arg-type]


def configuration_binding(ctx: FixContext, node: ast.Name) -> Binding | None:
    return call_binding(ctx, node, *CONFIGURATIONS)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``cfg = MpiConfiguration(...)`` (and its settings) goes: the jobs that take it write
    the v2 distribution themselves."""
    for site in ctx.model.calls_to(*CONFIGURATIONS):
        binding = ctx.assigned_binding(site.node)
        if binding is None or binding.conditional:
            continue
        unit = Rewrite("AML002", site.node, "distributed configuration folded into the jobs that use it",
                       binding=binding)
        unit.findings = []
        try:
            _, configs = settings(binding, ctx)
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        if not all(is_pure(a) for a in [*site.node.args, *(k.value for k in site.node.keywords)]):
            yield unit.refuse("an argument of the configuration is computed by a call", RefusalKind.DATA_FLOW)
            continue
        unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
        for use, statement in configs:
            unit.edits.append(ctx.delete(statement))
            unit.own_uses.add(id(use))
        if only_settings_use(binding, unit):
            unit.description = "distributed configuration removed: nothing uses it"
        yield unit

