"""Detectors for the shapes most rules share, built from the shared name model."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from .. import v1api
from ..engine.context import Context
from ..engine.names import ImportSite, Instance
from ..engine.nodes import all_nodes, parent_of
from ..engine.rule import Detector, Hit
from ..v1api import is_subtype, is_v1

# ast-grep cannot resolve names, so its rules only look at files with a v1 import.
_V2_ERA = "|".join(re.escape(p[len("azureml."):]) for p in v1api.V2_ERA_PACKAGES)
V1_IMPORT = {
    "any": [{"kind": "import_statement"}, {"kind": "import_from_statement"}],
    "regex": r"\bazureml\.\w",
    "not": {"regex": rf"\bazureml\.({_V2_ERA})\b"},
}
# In-file evidence of a training script, as ast-grep can see it.
IN_JOB_CALL = {"kind": "call", "stopBy": "end", "has": {"field": "function", "regex": r"(^|\.)Run\.get_context$"}}
IN_V1_FILE = {"inside": {"kind": "module", "stopBy": "end", "has": {**V1_IMPORT, "stopBy": "end"}}}


def _short(qualname: str) -> str:
    """What a user writes for a qualified name: ``Run.get_context``, ``ScriptRunConfig``."""
    parts = qualname.split(".")
    classes = [i for i, part in enumerate(parts) if part[:1].isupper()]
    return ".".join(parts[classes[0]:]) if classes else parts[-1]


def _call_rule(regex: str) -> dict[str, object]:
    return {"kind": "call", "has": {"field": "function", "regex": regex}, **IN_V1_FILE}


def sg_calls(*spellings: str) -> dict[str, object]:
    """ast-grep rule for calls spelled ``Name(...)`` or ``x.Name(...)``."""
    return _call_rule(rf"(^|\.)({_names(spellings)})$")


def sg_method_calls(*methods: str) -> dict[str, object]:
    """ast-grep rule for ``<anything>.method(...)`` in a file that imports v1."""
    return _call_rule(rf"\.({_names(methods)})$")


def _names(names: tuple[str, ...]) -> str:
    return "|".join(re.escape(n) for n in names)


def calls_to(*qualnames: str, members: bool = False) -> Detector:
    """Calls of a v1 class or function; with ``members``, also of its attributes
    (``Workspace.from_config()``, ``Dataset.File.from_files()``)."""
    wanted = frozenset(qualnames)
    prefixes = tuple(q + "." for q in qualnames)

    def detect(ctx: Context) -> Iterator[Hit]:
        by_callee = ctx.model.calls_by_callee
        names = [n for n in by_callee if n in wanted or (members and n.startswith(prefixes))]
        for name in names:
            for call in by_callee[name]:
                yield call.node

    tail = r"(\.\w+)*" if members else ""
    detect.sg_rule = _call_rule(rf"(^|\.)({_names(tuple(_short(q) for q in qualnames))}){tail}$")  # type: ignore[attr-defined]
    return detect


def method_calls(instance_type: str, *methods: str) -> Detector:
    """``x.method(...)`` where ``x`` is known to hold an ``instance_type``."""

    def detect(ctx: Context) -> Iterator[Hit]:
        for call in ctx.model.method_calls(instance_type, *methods):
            yield call.node

    detect.sg_rule = sg_method_calls(*methods)  # type: ignore[attr-defined]
    return detect


def attribute_reads(instance_type: str, *attributes: str) -> Detector:
    """``x.attribute`` where ``x`` is known to hold an ``instance_type``."""
    wanted = frozenset(attributes)

    def detect(ctx: Context) -> Iterator[Hit]:
        for read in ctx.model.attribute_reads:
            receiver = read.receiver
            if (
                read.node.attr in wanted
                and isinstance(receiver, Instance)
                and is_subtype(receiver.type, instance_type)
            ):
                yield read.node

    detect.sg_rule = {  # type: ignore[attr-defined]
        "kind": "attribute",
        "has": {"field": "attribute", "regex": rf"^({_names(attributes)})$"},
        **IN_V1_FILE,
    }
    return detect


def references(*qualnames: str) -> Detector:
    """Any mention of a v1 name: ``except ComputeTargetException:``."""
    wanted = frozenset(qualnames)

    def detect(ctx: Context) -> Iterator[Hit]:
        for ref in ctx.model.references:
            if ref.qualname in wanted:
                yield ref.node

    detect.sg_rule = {  # type: ignore[attr-defined]
        "kind": "identifier",
        "regex": rf"^({_names(tuple(q.rsplit('.', 1)[1] for q in qualnames))})$",
        "not": {"inside": {"any": [{"kind": "import_statement"}, {"kind": "import_from_statement"}], "stopBy": "end"}},
        **IN_V1_FILE,
    }
    return detect


def _as_written(func: ast.expr, member: str) -> str | None:
    """``TabularDatasetFactory.from_delimited_files()`` as the code spells it, when the name it starts
    from is another path to the class's member (v1api.CANONICAL) than the class itself; None when the
    spelling ends with the whole member (``Dataset.Tabular.from_files`` or an alias of ``Dataset``)."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.insert(0, func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or not member or parts[-len(member.split(".")):] == member.split("."):
        return None
    return f"{'.'.join([func.id, *parts][-2:])}()"


def member_calls(class_qualname: str, v2_for: Callable[[str], str]) -> Detector:
    """``Cls(...)`` and ``Cls.<member>(...)`` calls, each message naming the v2 form
    that ``v2_for(member)`` gives ("" stands for the constructor)."""
    prefix = class_qualname + "."
    short = class_qualname.rsplit(".", 1)[1]

    def detect(ctx: Context) -> Iterator[Hit]:
        for call in [c for n, calls in ctx.model.calls_by_callee.items()
                     if n == class_qualname or n.startswith(prefix) for c in calls]:
            name = call.callee.qualname  # type: ignore[union-attr]
            if name == class_qualname:
                member = ""
            elif name.startswith(prefix):
                member = name[len(prefix):]
            else:
                continue
            v1 = f"{short}.{member}()" if member else f"{short}()"
            yield call.node, f"{_as_written(call.node.func, member) or v1} is Azure ML SDK v1; use {v2_for(member)}"

    detect.sg_rule = _call_rule(rf"(^|\.){re.escape(short)}(\.\w+)*$")  # type: ignore[attr-defined]
    return detect


def v1_import_sites(ctx: Context) -> list[ImportSite]:
    """The statements that import v1 modules, and a bare ``import azureml`` through which the module
    reads v1 modules only (``azureml.core.VERSION``): it is there for v1, and once those reads are
    migrated the import clean-up takes it too (audit: it stayed, and raised where no azureml
    package is installed).  One read by nothing, or reaching a v2-era package (``azureml.mlflow``),
    is not reported."""
    sites = []
    for site in ctx.model.imports:
        if site.v1_modules:
            sites.append(site)
        elif isinstance(site.node, ast.Import) and any(_bare_for_v1(alias, ctx) for alias in site.node.names):
            sites.append(ImportSite(site.node, site.modules, (MARKER,)))
    return sites


MARKER = "azureml"


def _bare_for_v1(alias: ast.alias, ctx: Context) -> bool:
    if alias.name != MARKER:
        return False
    bound = alias.asname or MARKER
    reads = 0
    for node in all_nodes(ctx.model.tree):
        if isinstance(node, ast.Name) and node.id == bound and not isinstance(node.ctx, ast.Store):
            holder = parent_of(ctx.model.tree, node)
            if not (isinstance(holder, ast.Attribute) and is_v1(f"{MARKER}.{holder.attr}")):
                return False
            reads += 1
    return reads > 0


def on_a_submitted_run(ctx: Context, call: ast.Call) -> bool:
    """``run.<method>(...)`` where ``run = <experiment>.submit(...)``: the job this program started, not
    the run a script logs to from inside its job (audit 2c: the in-job MLflow form was offered)."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if not isinstance(receiver, ast.Name):
        return False
    binding = ctx.model.binding_of_use.get(id(receiver))
    statement = getattr(binding, "node", None)
    value = statement.value if isinstance(statement, ast.Assign) else None
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "submit"


SUBMITTED_RUN_V2 = ("{method}() on the run this program submitted is Azure ML SDK v1; use MlflowClient().{call}"
                    "(returned_job.name, ...), the job's MLflow run, with the workspace's tracking URI")
