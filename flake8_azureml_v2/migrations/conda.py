"""The migration for AML008: a v1 ``CondaDependencies`` becomes the conda dict v2's
``Environment(conda_file=...)`` takes (mapping-extension.md 1.2).

v1 built the specification with calls whose results are easy to get wrong by
hand, so the fix evaluates them statically and writes the dict v1 produced:
``CondaDependencies()`` pins python 3.8.13, ``create()`` pins 3.10.18, both use
the channels anaconda and conda-forge, ``azureml-defaults`` is the pip list
unless ``create(pip_packages=...)`` replaces it, ``add_conda_package("python=...")``
replaces the python pin, and ``add_pip_package`` drops an earlier entry of the
same package.  Only literal package names can be evaluated.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, known_str, py_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Refused
from ..engine.names import Binding
from ._common import call_binding

CONDA_DEPENDENCIES = "azureml.core.conda_dependencies.CondaDependencies"
CREATE = CONDA_DEPENDENCIES + ".create"
CREATE_SIGNATURE = ["pip_indexurl", "pip_packages", "conda_packages", "python_version", "pin_sdk_version"]
INIT_SIGNATURE = ["conda_dependencies_file_path", "_underlying_structure"]
PLAIN_PYTHON = "3.8.13"  # CondaDependencies() and v1's default environment
CREATE_PYTHON = "3.10.18"  # PYTHON_DEFAULT_VERSION, used only by create()
CHANNELS = ("anaconda", "conda-forge")
DEFAULT_PIP = "azureml-defaults"
PIN_TODO = "AML008 v1 may have pinned the azureml-* packages to the submitting SDK's version (~=X.Y.Z)"
# The methods whose effect the fix can replay, with their one parameter.
_MUTATIONS = {"add_pip_package": "pip_package", "add_conda_package": "conda_package", "add_channel": "channel",
              "set_python_version": "version", "remove_pip_package": "pip_package",
              "remove_conda_package": "conda_package"}


@dataclass
class Conda:
    """A conda specification as v1 holds it."""

    python: str = PLAIN_PYTHON
    pip: list[str] = field(default_factory=lambda: [DEFAULT_PIP])
    conda: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=lambda: list(CHANNELS))
    pinned: bool = False  # create(pin_sdk_version=True): v1 may have pinned azureml-* packages

    def add_pip(self, package: str) -> None:
        self.remove_pip(package)
        self.pip.append(package)

    def remove_pip(self, package: str) -> None:
        self.pip = [p for p in self.pip if package_name(p) != package_name(package)]

    def add_conda(self, package: str) -> None:
        if package_name(package) == "python":
            self.python = package.split("=", 1)[1].lstrip("=") if "=" in package else self.python
            return
        self.remove_conda(package)
        self.conda.append(package)

    def remove_conda(self, package: str) -> None:
        self.conda = [p for p in self.conda if package_name(p) != package_name(package)]

    def source(self) -> str:
        dependencies = [py_str(f"python={self.python}"), f'{{"pip": [{", ".join(map(py_str, self.pip))}]}}',
                        *map(py_str, self.conda)]
        return (f'{{"name": "project_environment", "channels": [{", ".join(map(py_str, self.channels))}], '
                f'"dependencies": [{", ".join(dependencies)}]}}')

    def todos(self) -> list[str]:
        sdk = any(package_name(p).startswith("azureml") for p in [*self.pip, *self.conda])
        return [PIN_TODO] if self.pinned and sdk else []


def package_name(spec: str) -> str:
    """The package a requirement names: ``numpy==1.2`` -> ``numpy``."""
    return re.split(r"[<>=!~\[ ;@]", spec.strip(), maxsplit=1)[0].lower()


def literal_strings(node: ast.expr | None, ctx: FixContext) -> list[str] | None:
    """A list or tuple of known strings, or a variable assigned one once and never changed."""
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        if binding is None or binding.conditional or len(ctx.bindings_named(node.id)) != 1:
            return None
        statement = binding.node
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            return None
        if any(not isinstance(ctx.parent(use), (ast.Call, ast.keyword)) for use in binding.uses):
            return None  # pkgs.append(...), pkgs[0] = ...: it may change
        node = statement.value
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    found = [known_str(ctx, e) for e in node.elts]
    return None if any(f is None for f in found) else found  # type: ignore[return-value]


def evaluate_call(call: ast.Call, ctx: FixContext) -> Conda:
    """What ``CondaDependencies.create(...)`` or ``CondaDependencies()`` holds; raises Refused."""
    callee = ctx.callee(call)
    if callee == CREATE:
        return _create(call, ctx)
    if callee == CONDA_DEPENDENCIES:
        if call.args or call.keywords:
            raise Refused("CondaDependencies(file) reads a file this fix does not evaluate: pass the file as "
                          "Environment(conda_file=...)")
        return Conda()
    raise Refused("the conda dependencies are not built by CondaDependencies.create() or CondaDependencies()",
                  RefusalKind.DATA_FLOW)


def _create(call: ast.Call, ctx: FixContext) -> Conda:
    bound = bind_arguments(call, CREATE_SIGNATURE)
    if isinstance(bound, str):
        raise Refused(bound, RefusalKind.DATA_FLOW)
    values = bound.values
    if "pip_indexurl" in values:
        raise Refused("create(pip_indexurl=...) adds pip options this fix does not reproduce")
    conda = Conda(python=CREATE_PYTHON)
    conda.pinned = not (isinstance(values.get("pin_sdk_version"), ast.Constant)
                        and values["pin_sdk_version"].value is False)  # type: ignore[union-attr]
    if "python_version" in values:
        version = known_str(ctx, values["python_version"])
        if version is None:
            raise Refused("python_version= is not a known string", RefusalKind.DATA_FLOW)
        conda.python = version
    for parameter in ("pip_packages", "conda_packages"):
        if parameter not in values or (isinstance(values[parameter], ast.Constant) and values[parameter].value is None):  # type: ignore[union-attr]
            continue
        packages = literal_strings(values[parameter], ctx)
        if packages is None:
            raise Refused(f"{parameter}= is not a list of known strings", RefusalKind.DATA_FLOW)
        if parameter == "pip_packages":
            conda.pip = []  # the user's list replaces azureml-defaults
            for package in packages:
                conda.add_pip(package)
        else:
            for package in packages:
                conda.add_conda(package)
    return conda


def mutations(binding: Binding, ctx: FixContext) -> list[tuple[ast.Name, ast.Expr, str, str]]:
    """``cd.add_pip_package("x")`` statements right after ``cd = ...``, in its block,
    before any other use: (use, statement, method, argument); raises Refused."""
    found = []
    block = ctx.block_of(binding.node)  # type: ignore[arg-type]
    settled = False
    for use in sorted(binding.uses, key=lambda u: (u.lineno, u.col_offset)):
        method = ctx.parent(use)
        call = ctx.parent(method) if method is not None else None
        statement = ctx.parent(call) if call is not None else None
        if not (isinstance(method, ast.Attribute) and method.attr in _MUTATIONS and isinstance(call, ast.Call)
                and call.func is method):
            settled = True
            continue
        if settled or not isinstance(statement, ast.Expr) or block is None or statement not in block:
            raise Refused(f"`{binding.name}.{method.attr}(...)` is not a statement right after `{binding.name}` is "
                          "built, in the same block", RefusalKind.DATA_FLOW)
        found.append((use, statement, method.attr, _change(call, method.attr, binding.name, ctx)))
    return found


def _change(call: ast.Call, method: str, owner: str, ctx: FixContext) -> str:
    """The one known string a replayable method call passes; raises Refused."""
    bound = bind_arguments(call, [_MUTATIONS[method]])
    value = known_str(ctx, bound.values.get(_MUTATIONS[method])) if not isinstance(bound, str) else None
    if value is None or len(bound.values) != 1:  # type: ignore[union-attr]
        raise Refused(f"`{owner}.{method}(...)` does not pass one known string", RefusalKind.DATA_FLOW)
    return value


def is_change(method: str) -> bool:
    """Is ``method`` one whose effect on the conda dependencies the fix replays?"""
    return method in _MUTATIONS


def changed_in_place(calls: list[ast.Call], owner: str, ctx: FixContext) -> Conda:
    """A new environment's own conda dependencies (v1's ``CondaDependencies()``) after the calls
    ``env.python.conda_dependencies.add_pip_package("x")`` made on them, in order; raises Refused."""
    changes = [(None, None, call.func.attr, _change(call, call.func.attr, owner, ctx))  # type: ignore[attr-defined]
               for call in calls]
    return replay(Conda(), changes)  # type: ignore[arg-type]


def replay(conda: Conda, changes: list[tuple[ast.Name, ast.Expr, str, str]]) -> Conda:
    for _, _, method, value in changes:
        if method == "add_pip_package":
            conda.add_pip(value)
        elif method == "remove_pip_package":
            conda.remove_pip(value)
        elif method == "add_conda_package":
            conda.add_conda(value)
        elif method == "remove_conda_package":
            conda.remove_conda(value)
        elif method == "add_channel":
            if value not in conda.channels:
                conda.channels.append(value)
        else:
            conda.python = value
    return conda


def conda_binding(ctx: FixContext, node: ast.expr) -> Binding | None:
    """The ``cd = CondaDependencies...`` variable a name refers to, when the fix migrates it."""
    return call_binding(ctx, node, CREATE, CONDA_DEPENDENCIES)


@dataclass
class CondaFile:
    """``conda_file=`` for a v1 conda specification: where the v1 object is replaced, where
    it stays (the dict written out), and the TODO comments that go with it."""

    replaced: str
    alive: str
    todos: list[str] = field(default_factory=list)  # wherever the dict is written
    alive_todos: list[str] = field(default_factory=list)  # only beside the v1 object (the variable's own otherwise)


def _read_file(call: ast.Call, ctx: FixContext) -> str | None:
    """The path ``CondaDependencies(path)`` reads, written where the call stands, or None."""
    if ctx.callee(call) != CONDA_DEPENDENCIES:
        return None
    bound = bind_arguments(call, INIT_SIGNATURE)
    if isinstance(bound, str) or set(bound.values) != {"conda_dependencies_file_path"}:
        return None
    from .injob._shared import is_pure  # (its package imports this module)

    path = bound.values["conda_dependencies_file_path"]
    if not is_pure(path) or (isinstance(path, ast.Constant) and path.value is None):
        return None
    return ctx.locator.text(path)


def conda_file(node: ast.expr, unit: Rewrite, ctx: FixContext) -> CondaFile:
    """A migrated variable (its use is taken over) or a call evaluated where it stands; raises Refused."""
    binding = conda_binding(ctx, node)
    if binding is not None:
        unit.consumes.append(node)  # type: ignore[arg-type]
        statement = binding.node
        assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
        changes = mutations(binding, ctx)
        evaluated = replay(evaluate_call(statement.value, ctx), changes)
        last = changes[-1][1] if changes else statement
        if ctx.locator.end(last) <= ctx.locator.start(node):
            # every change is made by then: beside a v1 object that stays, the dict the conda fix
            # writes beside its own (held-out audit e: the same dict was written twice, once unused)
            return CondaFile(ctx.counterpart(binding), ctx.counterpart(binding))
        return CondaFile(ctx.counterpart(binding), evaluated.source(),
                         alive_todos=[f"# TODO(azureml-v2): {t}" for t in evaluated.todos()])
    if isinstance(node, ast.Call) and (path := _read_file(node, ctx)) is not None:
        # CondaDependencies(file) holds the file as it is (no python pin, unlike from_conda_specification;
        # checked in azureml-core 1.61): v2 reads the same file, from the same working folder
        unit.findings.append(("AML008", node))
        return CondaFile(path, path)
    if isinstance(node, ast.Call):
        conda = evaluate_call(node, ctx)
        unit.findings.append(("AML008", node))
        return CondaFile(conda.source(), conda.source(), [f"# TODO(azureml-v2): {t}" for t in conda.todos()])
    raise Refused("the conda dependencies are not a CondaDependencies variable or call this fix can follow",
                  RefusalKind.DATA_FLOW)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``cd = CondaDependencies.create(...)`` (and the ``cd.add_*`` calls after it) -> ``cd = {...}``;
    kept alive for v1 code that still needs it, with the dict beside it."""
    for site in ctx.model.calls_to(CREATE, CONDA_DEPENDENCIES):
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue  # inline: evaluated by the environment or run configuration it configures
        unit = Rewrite("AML008", site.node, "CondaDependencies -> conda dict", binding=binding)
        try:
            changes = mutations(binding, ctx)
            conda = replay(evaluate_call(site.node, ctx), changes)
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        comments = [f"# TODO(azureml-v2): {t}" for t in conda.todos()]
        statement = binding.node
        assert isinstance(statement, ast.stmt)
        unit.edits.append(statements.replace(ctx.locator, site.node, conda.source()))
        for use, mutation, _, _ in changes:
            unit.edits.append(ctx.delete(mutation))
            unit.own_uses.add(id(use))
        if comments:
            unit.edits.extend(statements.insert_before(ctx.locator, statement, comments))
            unit.todos.extend(comments)
        unit.counterpart = binding.name
        name = ctx.fresh_name(f"{binding.name}_conda")
        last = changes[-1][1] if changes else statement
        unit.alive_counterpart = name
        unit.alive_edits = statements.insert_after(ctx.locator, last, [*comments, f"{name} = {conda.source()}"])
        unit.alive_description = "CondaDependencies kept for the v1 code that still uses it; its conda dict beside it"
        unit.must_keep_alive = ctx.is_imported_elsewhere(binding)
        yield unit

