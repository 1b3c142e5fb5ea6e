"""An estimator's distributed settings -> ``distribution=`` and ``instance_count=`` (mapping-extension.md 8.4, 3).

azureml-train-core's ``_init_run_config`` read them this way: ``node_count`` is the
job's node count whatever configuration is given; ``distributed_backend="mpi"``
takes ``process_count_per_node``; ``distributed_training=Mpi(n)`` (or an
``MpiConfiguration``) sets the MPI layout itself; ``Nccl()``/``Gloo()`` and the
PyTorch estimator's ``distributed_backend="nccl"/"gloo"`` run one process per node.
A parameter-server layout, and a configuration held in a variable, stay for a person.
"""

from __future__ import annotations

import ast

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import bind_arguments, is_none, known_int, known_str
from ..engine.fixing.specs import Argument, Refused
from ..engine.names import Const
from . import distribution
from .compute_target import is_compute_object
from ._todo import add_todo

_MPI = "azureml.train.dnn.Mpi"
_NCCL = "azureml.train.dnn.Nccl"
_GLOO = "azureml.train.dnn.Gloo"
_PARAMETER_SERVER = "azureml.train.dnn.ParameterServer"
_BACKENDS = {"mpi": distribution.MPI, "nccl": distribution.PYTORCH, "gloo": distribution.PYTORCH}
_SETTINGS = ("distributed_backend", "distributed_training")


def distributed(argument: Argument) -> list[str]:
    """The Build for ``distributed_backend=`` / ``distributed_training=``: the v2 keywords, written
    once, where the first of the two stands."""
    given = [name for name in _SETTINGS if name in argument.siblings and not is_none(argument.siblings[name].node)]
    if not given or argument.name != given[0]:
        return []
    if len(given) == 2:
        raise Refused("both distributed_backend= and distributed_training=: v1 applied one over the other; "
                      "keep distributed_training= alone")
    kind, values = (_backend if given[0] == "distributed_backend" else _training)(argument.siblings[given[0]])
    values["node_count"] = _count(argument, "node_count")
    found = distribution.distribution(kind, values)
    for todo in found.todos:  # (written for AML002's ScriptRunConfig: said again for this estimator)
        add_todo(argument.ctx, argument.rewrite, argument.statement, argument.rewrite.code,
                 todo.split(" AML002 ", 1)[1])
    return [f"{name}={value}" for name, value in found.fields.items()]


def node_count(argument: Argument) -> list[str]:
    """``node_count=``: 1 is v1's default; more nodes are written by the distribution, which v1
    required for them (``_validate_run_config_parameters`` raised without one), on a compute
    object (it raised for a compute given by name)."""
    count = known_int(argument.ctx, argument.node)
    if count == 1:
        return []
    if count is None:
        raise Refused(f"node_count={argument.text} is not a known number", RefusalKind.DATA_FLOW)
    if not distributed_settings(argument):
        raise Refused(f"node_count={count} without distributed_backend= or distributed_training=: v1 raised "
                      "TrainingException", RefusalKind.IMPOSSIBLE)
    compute = argument.siblings.get("compute_target")
    if compute is not None and isinstance(compute.value, Const):
        raise Refused(f"node_count={count} with compute_target={compute.text}: v1 raised TrainingException for a "
                      "compute given by name (distributed training needed an AmlCompute object)", RefusalKind.IMPOSSIBLE)
    if compute is not None and not _compute_object(compute):
        raise Refused(f"node_count={count} with compute_target={compute.text}, which is not a compute object this "
                      "fix can see: v1 raised TrainingException for a compute given by name", RefusalKind.DATA_FLOW)
    return []


def _compute_object(compute: Argument) -> bool:
    """A v1 compute target object (``ComputeTarget(ws, n)``, ``ws.compute_targets[n]``), not a name."""
    node = compute.node
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "compute_targets":
        return True
    return is_compute_object(compute.value)


def process_count_per_node(argument: Argument) -> list[str]:
    """Read by ``distributed_backend="mpi"``; with ``distributed_training=`` v1 took the layout
    from that object and ignored this; alone, more than 1 made v1 raise."""
    backend = argument.siblings.get("distributed_backend")
    if backend is not None and (_backend_name(backend) or "").lower() == "mpi":
        return []
    count = known_int(argument.ctx, argument.node)
    if count == 1 or (count is not None and distributed_settings(argument)):
        return []
    if count is None:
        raise Refused(f"process_count_per_node={argument.text} is not a known number", RefusalKind.DATA_FLOW)
    raise Refused(f"process_count_per_node={count} without distributed_backend= or distributed_training=: v1 raised "
                  "TrainingException", RefusalKind.IMPOSSIBLE)


def distributed_settings(argument: Argument) -> bool:
    return any(name in argument.siblings and not is_none(argument.siblings[name].node) for name in _SETTINGS)


def _backend_name(argument: Argument) -> str | None:
    return known_str(argument.ctx, argument.node)


def _backend(argument: Argument) -> tuple[str, dict[str, ast.expr]]:
    name = _backend_name(argument)
    if name is None:
        raise Refused(f"distributed_backend={argument.text} is not a known string", RefusalKind.DATA_FLOW)
    kind = _BACKENDS.get(name.lower())
    if kind is None:
        raise Refused(f"distributed_backend={name!r}: v1 knew 'mpi', and 'nccl' or 'gloo' on PyTorch",
                      RefusalKind.IMPOSSIBLE)
    if kind == distribution.PYTORCH:
        if _estimator(argument) != "PyTorch":
            raise Refused(f"distributed_backend={argument.text}: v1 accepted it on the PyTorch estimator only",
                          RefusalKind.IMPOSSIBLE)
        return kind, {"communication_backend": ast.Constant(name), "process_count": ast.Constant(None)}
    return kind, {"process_count_per_node": _count(argument, "process_count_per_node")}


def _training(argument: Argument) -> tuple[str, dict[str, ast.expr]]:
    node = argument.node
    if not isinstance(node, ast.Call):
        raise Refused(f"distributed_training={argument.text} is not built in the call: write its distribution "
                      "by hand", RefusalKind.DATA_FLOW)
    callee = argument.ctx.callee(node)
    if callee in (_NCCL, _GLOO):
        if node.args or node.keywords:
            raise Refused(f"{argument.text} takes no arguments", RefusalKind.DATA_FLOW)
        if _estimator(argument) not in ("PyTorch", "Estimator"):  # (Nccl/Gloo.validate raised for the others)
            raise Refused(f"{argument.text} on a {_estimator(argument)} estimator: v1 raised TrainingException",
                          RefusalKind.IMPOSSIBLE)
        return distribution.PYTORCH, {"communication_backend": ast.Constant(callee.rsplit(".", 1)[1]),
                                      "process_count": ast.Constant(None)}
    if callee in (_MPI, distribution.MPI):
        signature = ["process_count_per_node"] + (["node_count"] if callee == distribution.MPI else [])
        bound = bind_arguments(node, signature)
        if isinstance(bound, str) or set(bound.values) - set(signature):
            raise Refused(f"{argument.text} with unknown arguments", RefusalKind.DATA_FLOW)
        own_nodes = bound.values.get("node_count")
        if own_nodes is not None and known_int(argument.ctx, own_nodes) != known_int(
                argument.ctx, _count(argument, "node_count")):
            raise Refused("the MpiConfiguration's node_count differs from the estimator's, which v1 ran",
                          RefusalKind.DATA_FLOW)
        per_node = bound.values.get("process_count_per_node")
        return distribution.MPI, {"process_count_per_node": _known(argument, per_node) if per_node else ast.Constant(1)}
    if callee == _PARAMETER_SERVER:
        raise Refused("distributed_training=ParameterServer(...) needs a v2 TensorFlowDistribution written by hand")
    raise Refused(f"distributed_training={argument.text} is not Mpi(), Nccl(), Gloo() or MpiConfiguration()",
                  RefusalKind.DATA_FLOW)


def _count(argument: Argument, name: str) -> ast.expr:
    """A sibling count as a literal (v1's default of 1 when left out); Refused when not known."""
    sibling = argument.siblings.get(name)
    return ast.Constant(1) if sibling is None else _known(argument, sibling.node)


def _known(argument: Argument, node: ast.expr) -> ast.expr:
    number = known_int(argument.ctx, node)
    if number is None:
        raise Refused(f"{argument.ctx.locator.text(node)} is not a known number", RefusalKind.DATA_FLOW)
    return ast.Constant(number)


def _estimator(argument: Argument) -> str:
    site = argument.ctx.site(argument.rewrite.node)
    qualname = getattr(site.callee, "qualname", "") if site is not None else ""
    return qualname.rsplit(".", 1)[-1]
