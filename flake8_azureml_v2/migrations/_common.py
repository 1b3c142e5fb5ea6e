"""What several Azure ML migrations share: the workspace variable and its client."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.arguments import bind_arguments
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.specs import Refused
from ..engine.names import Binding, Instance
from ..engine.nodes import declared_outside
from ..v1api import is_subtype

WORKSPACE = "azureml.core.Workspace"
CLIENT_NAME = "ml_client"


def client_name(ctx: FixContext, workspace: Binding) -> str:
    """The name the migrated workspace variable gets: ``ml_client`` when that is free and no
    other workspace variable of the module would take it too (two workspaces renamed alike
    would be one variable, the second overwriting the first, or shadowing it in a function)."""
    if workspace.name == CLIENT_NAME:
        return CLIENT_NAME
    if (CLIENT_NAME in ctx.names_in_module or len(ctx.bindings_named(workspace.name)) != 1
            or workspace_names(ctx) != {workspace.name}):
        return workspace.name
    return CLIENT_NAME


_WORKSPACE_CALLS = (WORKSPACE, f"{WORKSPACE}.from_config", f"{WORKSPACE}.get")  # (what migrations/workspace.py rewrites)


def workspace_names(ctx: FixContext) -> set[str]:
    """The names of the module's variables (in any scope) assigned a workspace from a v1 call
    (``Workspace.from_config()``, ``Workspace(...)``...): the ones a client may be made for."""
    found = ctx.cache.get("workspace:names")
    if found is None:
        found = ctx.cache["workspace:names"] = {
            binding.name for binding in ctx.model.bindings
            if isinstance(binding.node, ast.Assign) and isinstance(binding.node.value, ast.Call)
            and ctx.callee(binding.node.value) in _WORKSPACE_CALLS}
    return found  # type: ignore[return-value]


def workspace_binding(ctx: FixContext, node: ast.expr | None) -> Binding | None:
    """The Workspace variable an argument names, when it is one: made here, or handed to the
    program (see :func:`handed_workspaces`)."""
    if not isinstance(node, ast.Name):
        return None
    binding = ctx.binding_of(node)
    if binding is None:
        return None
    if isinstance(binding.value, Instance) and is_subtype(binding.value.type, WORKSPACE):
        return binding
    return binding if id(binding) in handed_workspaces(ctx) else None


# v1 calls whose first parameter is the workspace (mapping.md 2, mapping-extension), by canonical name
_TAKES_A_WORKSPACE = frozenset({
    "azureml.core.Experiment", "azureml.pipeline.core.Pipeline", "azureml.core.Run.get",
    "azureml.core.Dataset.get_by_name", "azureml.core.Dataset.get_by_id", "azureml.core.Datastore",
    "azureml.core.Datastore.get", "azureml.core.Environment.get", "azureml.core.Model", "azureml.core.Model.register",
    "azureml.core.Model.list", "azureml.core.ComputeTarget", "azureml.core.ComputeTarget.create",
    "azureml.core.compute.AmlCompute", "azureml.pipeline.core.PipelineEndpoint.get",
    "azureml.pipeline.core.Schedule.create",
})


def handed_workspaces(ctx: FixContext) -> dict[int, Binding]:
    """Variables that hold a v1 workspace made where this fix cannot see, by id: a function's
    parameter, or what a helper returns (``ws = get_workspace()``).  v1 code takes each as the
    workspace of a call whose first parameter is one, so each is a v1 Workspace wherever it runs;
    it stays, and migrated code gets a client made from it beside it (migrations/workspace.py)."""
    if "handed_workspaces" not in ctx.cache:
        found: dict[int, Binding] = {}
        for site in ctx.model.calls:
            if getattr(site.callee, "qualname", None) not in _TAKES_A_WORKSPACE:
                continue
            call = site.node
            given = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "workspace"), None)
            binding = ctx.binding_of(given) if isinstance(given, ast.Name) else None
            if binding is not None and binding.value is None and _handed(binding, ctx):
                found[id(binding)] = binding
        ctx.cache["handed_workspaces"] = found
    return ctx.cache["handed_workspaces"]  # type: ignore[no-any-return]


def _handed(binding: Binding, ctx: FixContext) -> bool:
    """A parameter without a default, or ``x = helper(...)`` of a function that is not v1's: bound
    once in its scope and by no ``global``/``nonlocal``, and used only as a call's argument or
    through its attributes.  (A default, or a test such as ``if ws is None``, says it may be no
    workspace at all, where a client made from it would fail: review, stop 64.)"""
    statement = binding.node
    if binding.conditional or [b for b in ctx.bindings_named(binding.name) if b.scope is binding.scope] != [binding]:
        return False
    if declared_outside(ctx.model.tree, binding.name):
        return False
    if not binding.uses or not all(_passed_or_read(use, ctx) for use in binding.uses):
        return False
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        handed = statement.name != binding.name and binding.name in _required_parameters(statement.args)
    else:
        handed = (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                  and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Call)
                  and not (ctx.callee(statement.value) or "").startswith("azureml"))
    return handed and handed_client_site(binding, ctx) is not None


_SIMPLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return)


def handed_client_site(binding: Binding, ctx: FixContext) -> ast.stmt | None:
    """The statement before which a handed workspace's client is made: the one of the variable's
    own block that holds its first use, where that use needs a workspace itself (a v1 call's
    workspace, an attribute) and runs whenever the statement does (a simple statement, not a
    branch, loop, ``def`` or decorator).  Code before it (a dry run that returns early) never
    needed the workspace, and later uses come after it (review, stop 64)."""
    first = min(binding.uses, key=lambda use: (use.lineno, use.col_offset))
    parent = ctx.parent(first)
    if not ((isinstance(parent, ast.Attribute) and parent.value is first) or _workspace_argument(first, ctx)):
        return None
    statement = binding.node
    block = statement.body if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) else \
        ctx.block_of(statement)  # type: ignore[arg-type]
    node: ast.AST | None = first
    while node is not None and not any(node is s for s in block or ()):
        node = ctx.parent(node)
    # (a helper's result read in a function defined after it: the client is made where the function is,
    # before it can be called; not before a decorator, which runs the code it decorates at once)
    defined = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.decorator_list
    if not isinstance(node, _SIMPLE) and not (defined and isinstance(statement, ast.Assign)):
        return None
    if isinstance(statement, ast.Assign) and block.index(node) < block.index(statement):  # type: ignore[union-attr]
        return None
    return node


def _workspace_argument(use: ast.Name, ctx: FixContext) -> bool:
    """``use`` is the workspace argument of a v1 call whose first parameter is the workspace."""
    parent = ctx.parent(use)
    call = ctx.parent(parent) if isinstance(parent, ast.keyword) and parent.arg == "workspace" else parent
    if not isinstance(call, ast.Call) or (parent is call and (not call.args or call.args[0] is not use)):
        return False
    return (ctx.callee(call) or "") in _TAKES_A_WORKSPACE


def _passed_or_read(use: ast.Name, ctx: FixContext) -> bool:
    parent = ctx.parent(use)
    return (isinstance(parent, ast.keyword) or (isinstance(parent, ast.Call) and use in parent.args)
            or (isinstance(parent, ast.Attribute) and parent.value is use))


def _required_parameters(arguments: ast.arguments) -> set[str]:
    """The names of the parameters a caller must pass (no default, not ``*args``/``**kwargs``)."""
    positional = [*arguments.posonlyargs, *arguments.args]
    required = positional[:len(positional) - len(arguments.defaults)]
    keywords = [a for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults) if default is None]
    return {a.arg for a in [*required, *keywords]}


def not_a_workspace(ctx: FixContext, node: ast.expr | None, owner: str) -> str:
    """Why ``node`` is not a Workspace variable a fix migrates, named so the user sees where the
    value comes from (a helper function, a parameter) rather than only that it is unknown.
    ``owner`` says whose workspace it is ("the experiment's")."""
    lead = f"{owner} workspace"
    if node is None:
        return f"{lead} is not given"
    if not isinstance(node, ast.Name):
        return f"{lead} `{snippet(ctx.locator, node)}` is not a variable this fix migrates"
    binding = ctx.binding_of(node)
    if binding is None:
        return f"{lead} `{node.id}` is not bound in this file"
    statement = binding.node
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name != binding.name:
        return f"{lead} `{node.id}` is a parameter of {statement.name}(): what callers pass is not known there"
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return f"{lead} `{node.id}` is imported from another module"
    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
        called = snippet(ctx.locator, statement.value.func)
        qualname = ctx.callee(statement.value) or ""
        why = "which this fix does not migrate" if qualname.startswith("azureml.") else "which this fix cannot follow"
        return f"{lead} `{node.id}` comes from {called}(...), {why}"
    return f"{lead} `{node.id}` is not a Workspace variable this fix migrates"


def only_settings_use(binding: Binding, unit: Rewrite) -> bool:
    """No use of a configuration variable is left but those ``unit`` deletes with it (its
    settings): no job takes it, so the fix only removes it, and should say so."""
    return all(id(use) in unit.own_uses for use in binding.uses)


def call_binding(ctx: FixContext, node: ast.expr | None, *qualnames: str, in_place: bool = False) -> Binding | None:
    """The variable ``node`` names, when one plain, unconditional ``x = <qualname>(...)`` made it.
    ``in_place``: the caller rewrites it where it stands, so a binding in the block of all its
    uses will do too (its value is not moved out of that block)."""
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    statement = binding.node if binding is not None else None
    if (binding is None or (binding.conditional and not (in_place and ctx.settled_in_its_block(binding)))
            or not isinstance(statement, ast.Assign)
            or not isinstance(statement.value, ast.Call) or ctx.callee(statement.value) not in qualnames):
        return None
    return binding


def attribute_path(ctx: FixContext, use: ast.Name) -> tuple[tuple[str, ...], ast.AST]:
    """``x.a.b`` around a use of ``x``: the attribute names, and the outermost node."""
    path: list[str] = []
    node: ast.AST = use
    parent = ctx.parent(node)
    while isinstance(parent, ast.Attribute) and parent.value is node:
        path.append(parent.attr)
        node, parent = parent, ctx.parent(parent)
    return tuple(path), node


def workspace_items(ctx: FixContext, attribute: str) -> Iterator[tuple[Binding, ast.Subscript, ast.Name]]:
    """``x = ws.<attribute>[key]`` for a Workspace variable ``ws``: the binding, the item, the workspace."""
    for binding in ctx.model.bindings:
        statement = binding.node
        value = statement.value if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
        if (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Attribute)
                and value.value.attr == attribute and workspace_binding(ctx, value.value.value) is not None
                and ctx.assigned_binding(value) is binding):
            yield binding, value, value.value.value  # type: ignore[misc]


def kept_as_is(unit: Rewrite, description: str) -> Rewrite:
    """A provider whose v1 object may simply stay for v1 code: nothing is added beside it, and
    its consumers name the same variable either way."""
    unit.alive_edits = []
    unit.alive_description = description
    if unit.binding is not None:
        unit.counterpart = unit.alive_counterpart = unit.binding.name
    return unit


def absorbed_bindings(ctx: FixContext, qualname: str | tuple[str, ...], code: str, description: str) -> list[Rewrite]:
    """Units that delete ``x = <call of qualname>(...)`` once every use of ``x`` has
    been taken over by another rewrite (a dataset or output inlined into a command)."""
    from ..engine.names import Ref

    wanted = (qualname,) if isinstance(qualname, str) else qualname
    units = []
    for site in ctx.model.calls:
        if not isinstance(site.callee, Ref) or site.callee.qualname not in wanted:
            continue
        binding = ctx.assigned_binding(site.node)
        if binding is None:
            continue
        # (one nothing reads is only deleted: say so, not where its settings went)
        unit = Rewrite(code, site.node, description if binding.uses else "deleted: nothing reads it", binding=binding)
        unit.edits.append(ctx.delete(binding.node))  # type: ignore[arg-type]
        for argument in [*site.node.args, *(k.value for k in site.node.keywords)]:
            if workspace_binding(ctx, argument) is not None:
                unit.consumes.append(argument)  # type: ignore[arg-type]
        units.append(unit)
    return units


def sole_use_as_argument(ctx: FixContext, binding: Binding | None, callee: str, keyword: str,
                         position: int | None = None) -> ast.Call | None:
    """The ``callee(...)`` call that is the only use of ``binding``, which it takes as its
    ``keyword=`` argument (or at ``position``): an object built for one consumer only."""
    if binding is None or len(binding.uses) != 1:
        return None
    use = binding.uses[0]
    parent = ctx.parent(use)
    call = ctx.parent(parent) if isinstance(parent, ast.keyword) and parent.arg == keyword else parent
    if not isinstance(call, ast.Call) or ctx.callee(call) != callee:
        return None
    if isinstance(parent, ast.keyword) or (position is not None and len(call.args) > position
                                           and call.args[position] is use):
        return call
    return None


def bound_step(call: ast.Call, kind: str, signature: list[str], positional: int) -> dict[str, ast.expr]:
    """The arguments of a ``kind`` step by name.  Beyond ``positional`` arguments, v1's
    own signatures and the references disagree on the order, so those are refused."""
    if len(call.args) > positional:
        raise Refused(f"the {kind} passes more than {positional} arguments by position")
    bound = bind_arguments(call, signature)
    if isinstance(bound, str):
        raise Refused(f"{kind}(): {bound}")
    return bound.values


def is_empty(node: ast.expr | None) -> bool:
    """Not given, ``None``, or an empty literal list, tuple or dict: v1's "nothing"."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return True
    return (isinstance(node, (ast.List, ast.Tuple)) and not node.elts) or (isinstance(node, ast.Dict) and not node.keys)


def is_call_to(node: ast.AST | None, name: str) -> bool:
    """``name(...)`` with ``name`` a plain name (a builtin such as ``print`` or ``len``)."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name


def printed(node: ast.AST, ctx: FixContext) -> bool:
    """``node`` is an argument of ``print(...)``: only its text is read."""
    parent = ctx.parent(node)
    return is_call_to(parent, "print") and node in parent.args  # type: ignore[union-attr]
