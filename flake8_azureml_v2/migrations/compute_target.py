"""The migration for AML024 (with AML025-AML027): v1 compute looked up or created
through ``ml_client.compute`` (mapping-extension.md 5).

A lookup (``ComputeTarget(ws, n)``, ``ws.compute_targets[n]``) becomes
``ml_client.compute.get(n)``; a creation becomes ``begin_create_or_update(...)
.result()`` of the v2 entity the provisioning configuration describes, every
parameter mapped by the table below and v1's defaults written out where v2's
differ (``idle_time_before_scale_down=1800``; ``max_nodes`` left to the service
with a TODO).  The jobs that run on the compute only need its name, so the v1
object may stay beside v2 code that still needs it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind, line_ref
from ..engine.fixing import listedit, reaching, statements
from ..engine.fixing.arguments import bind_arguments, constant_str, is_none, py_str
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Argument, Build, CallSpec, Default, Drop, Keep, Map, Refused, apply_call_spec
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding, Instance, Ref
from ..v1api import is_subtype
from ._common import kept_as_is, not_a_workspace, workspace_binding, workspace_items
from .injob._shared import is_pure

COMPUTE_TARGET = "azureml.core.ComputeTarget"
AML_COMPUTE = "azureml.core.compute.AmlCompute"
COMPUTE_INSTANCE = "azureml.core.compute.ComputeInstance"
GETTERS = (COMPUTE_TARGET, AML_COMPUTE, COMPUTE_INSTANCE)
CREATE = COMPUTE_TARGET + ".create"
# the subclasses inherit create() (``AmlCompute.create(ws, name, config)`` is the same call)
CREATES = (CREATE, AML_COMPUTE + ".create", COMPUTE_INSTANCE + ".create")
PROVISIONING = AML_COMPUTE + ".provisioning_configuration"
INSTANCE_PROVISIONING = COMPUTE_INSTANCE + ".provisioning_configuration"
EXCEPTION = "azureml.exceptions.ComputeTargetException"
ENTITIES = "azure.ai.ml.entities"
MAX_NODES_TODO = "# TODO(azureml-v2): AML025 v1 left max_nodes to the service; v2 defaults max_instances to 4"
_TIERS = {"dedicated": "dedicated", "lowpriority": "low_priority", "low_priority": "low_priority"}
_PUBLIC_ACCESS = {"enabled": "True", "disabled": "False"}
_IDENTITIES = {"systemassigned": "system_assigned", "userassigned": "user_assigned",
               "systemassigned,userassigned": "system_assigned,user_assigned"}
# v1 compute classes -> the v2 entities ml_client.compute returns for the same compute
_V2_CLASSES = {AML_COMPUTE: "AmlCompute", COMPUTE_INSTANCE: "ComputeInstance", COMPUTE_TARGET: "Compute"}
# v1 ``compute.type`` (the REST computeType) -> v2's ``compute.type`` for the same compute
_V2_TYPES = {"AmlCompute": "amlcompute", "ComputeInstance": "computeinstance"}


def is_compute_object(value: object) -> bool:
    """A value the names walk knows as a v1 compute target object (``ComputeTarget(ws, n)``,
    ``AmlCompute.create(...)``), whose v2 form is its name."""
    return isinstance(value, Instance) and is_subtype(value.type, COMPUTE_TARGET)


def names_compute_object(node: ast.expr, ctx: FixContext) -> bool:
    """``node`` is a variable bound to a v1 compute target object."""
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    return binding is not None and is_compute_object(binding.value)


# -- provisioning configurations as specs --------------------------------------------


def _literal(argument: Argument, table: dict[str, str], what: str) -> str:
    value = constant_str(argument.node)
    found = table.get((value or "").lower().replace(" ", ""))
    if found is None:
        raise Refused(f"{argument.name}={argument.text} is not a known {what}", RefusalKind.DATA_FLOW)
    return found


def _first_of(group: tuple[str, ...], argument: Argument) -> bool:
    """The group's settings are built once, by its first parameter that was passed."""
    return next(p for p in group if p in argument.siblings) == argument.name


def _text(argument: Argument, name: str) -> str | None:
    found = argument.siblings.get(name)
    if found is None or (isinstance(found.node, ast.Constant) and found.node.value is None):
        return None
    return found.text


_SSH = ("admin_username", "admin_user_password", "admin_user_ssh_key")


def _ssh(argument: Argument) -> list[str]:
    if not _first_of(_SSH, argument):
        return []
    fields = [f"{new}={_text(argument, old)}" for old, new in zip(_SSH, ("admin_username", "admin_password",
                                                                        "ssh_key_value")) if _text(argument, old)]
    if not _text(argument, "admin_username"):
        raise Refused("SSH settings without admin_username: v2 requires it")
    return [f"ssh_settings={symbol(ENTITIES, 'AmlComputeSshSettings')}({', '.join(fields)})"]


_VNET = ("vnet_resourcegroup_name", "vnet_name", "subnet_name")


def _network(argument: Argument) -> list[str]:
    """v2 looks a VNet up in the workspace's resource group; another group needs the subnet's full id."""
    if not _first_of(_VNET, argument):
        return []
    group, vnet, subnet = (_text(argument, p) for p in _VNET)
    if vnet is None or subnet is None:
        if group is None and vnet is None and subnet is None:
            return []
        raise Refused("a VNet needs both vnet_name and subnet_name")
    if group is None:
        return [f"network_settings={symbol(ENTITIES, 'NetworkSettings')}(vnet_name={vnet}, subnet={subnet})"]
    client = argument.ctx.cache.get("compute_client", "ml_client")
    parts = [_in_fstring(argument.siblings[p].node, argument) for p in _VNET]
    full = (f'f"/subscriptions/{{{client}.subscription_id}}/resourceGroups/{parts[0]}/providers/'
            f'Microsoft.Network/virtualNetworks/{parts[1]}/subnets/{parts[2]}"')
    return [f"network_settings={symbol(ENTITIES, 'NetworkSettings')}(vnet_name={vnet}, subnet={full})"]


def _in_fstring(node: ast.expr, argument: Argument) -> str:
    """A part of a double-quoted f-string: a literal's text, or a plain name in braces."""
    text = constant_str(node)
    if text is not None and not any(c in text for c in '"\\{}\n'):
        return text
    if isinstance(node, (ast.Name, ast.Attribute)) and '"' not in argument.ctx.locator.text(node):
        return f"{{{argument.ctx.locator.text(node)}}}"
    raise Refused("the VNet names are not simple enough to build the subnet's id", RefusalKind.DATA_FLOW)


def _seconds(argument: Argument) -> str:
    """v1 accepted the idle time as a string of digits; v2 wants a number."""
    text = constant_str(argument.node)
    return text if text is not None and text.isdigit() else argument.text


def _identity(argument: Argument) -> list[str]:
    if not _first_of(("identity_type", "identity_id"), argument):
        return []
    kind = argument.siblings.get("identity_type")
    if kind is None:
        raise Refused("identity_id= without identity_type=")
    text = f"type={py_str(_literal(kind, _IDENTITIES, 'identity type'))}"
    ids = argument.siblings.get("identity_id")
    if ids is not None:
        managed = symbol(ENTITIES, "ManagedIdentityConfiguration")
        if isinstance(ids.node, (ast.List, ast.Tuple)):
            items = ", ".join(f"{managed}(resource_id={argument.ctx.locator.text(e)})" for e in ids.node.elts)
            text += f", user_assigned_identities=[{items}]"
        else:
            text += f", user_assigned_identities=[{managed}(resource_id=i) for i in {ids.text}]"
    return [f"identity={symbol(ENTITIES, 'IdentityConfiguration')}({text})"]


def _no_size(argument: Argument) -> bool:
    """v1's default vm_size='' lets the service choose, as omitting size= does in v2."""
    return isinstance(argument.node, ast.Constant) and argument.node.value == ""


def _not_specified(argument: Argument) -> bool:
    return constant_str(argument.node) in ("NotSpecified", None) and isinstance(argument.node, ast.Constant)


AML_SPEC = CallSpec(
    old=PROVISIONING,
    signature=("vm_size", "vm_priority", "min_nodes", "max_nodes", "idle_seconds_before_scaledown",
               "admin_username", "admin_user_password", "admin_user_ssh_key", "vnet_resourcegroup_name",
               "vnet_name", "subnet_name", "tags", "description", "remote_login_port_public_access",
               "identity_type", "identity_id", "location", "enable_node_public_ip"),
    new=(ENTITIES, "AmlCompute"),
    params={
        "vm_size": Drop(when=_no_size, otherwise=Keep("size")),
        "vm_priority": Map("tier", lambda a: py_str(_literal(a, _TIERS, "priority"))),
        "min_nodes": Keep("min_instances"),
        "max_nodes": Keep("max_instances"),
        "idle_seconds_before_scaledown": Map("idle_time_before_scale_down", _seconds),
        **{p: Build(_ssh) for p in _SSH},
        **{p: Build(_network) for p in _VNET},
        "remote_login_port_public_access": Drop(when=_not_specified, otherwise=Map(
            "ssh_public_access_enabled", lambda a: _literal(a, _PUBLIC_ACCESS, "access setting"))),
        "identity_type": Build(_identity),
        "identity_id": Build(_identity),
    },
    defaults=(Default("idle_time_before_scale_down", "1800", unless=("idle_seconds_before_scaledown",)),),
)


def _instance_user(argument: Argument) -> list[str]:
    group = ("assigned_user_object_id", "assigned_user_tenant_id")
    if not _first_of(group, argument):
        return []
    user, tenant = (_text(argument, p) for p in group)
    if user is None or tenant is None:
        raise Refused("an assigned user needs both its object id and its tenant id")
    return [f"create_on_behalf_of={symbol(ENTITIES, 'AssignedUserConfiguration')}(user_tenant_id={tenant}, "
            f"user_object_id={user})"]


INSTANCE_SPEC = CallSpec(
    old=INSTANCE_PROVISIONING,
    signature=("vm_size", "ssh_public_access", "admin_user_ssh_public_key", "vnet_resourcegroup_name", "vnet_name",
               "subnet_name", "tags", "description", "assigned_user_object_id", "assigned_user_tenant_id"),
    new=(ENTITIES, "ComputeInstance"),
    params={
        "vm_size": Drop(when=_no_size, otherwise=Keep("size")),
        "ssh_public_access": Keep("ssh_public_access_enabled"),
        "admin_user_ssh_public_key": Map("ssh_settings", lambda a: f"{symbol(ENTITIES, 'ComputeInstanceSshSettings')}("
                                                                    f"ssh_key_value={a.text})"),
        **{p: Build(_network) for p in _VNET},
        "assigned_user_object_id": Build(_instance_user),
        "assigned_user_tenant_id": Build(_instance_user),
    },
)
SPECS = {PROVISIONING: AML_SPEC, INSTANCE_PROVISIONING: INSTANCE_SPEC}
FINDINGS = {PROVISIONING: "AML025", INSTANCE_PROVISIONING: "AML027"}


def _provisioning(config: ast.expr, name: ast.expr, unit: Rewrite, ctx: FixContext, client: str) -> ast.Call:
    """Rewrite the provisioning configuration (a variable set in the same block, or the call
    itself) into the v2 entity."""
    statement = None
    if isinstance(config, ast.Name):
        binding = ctx.binding_of(config)
        statement = binding.node if binding is not None else None
        if (not isinstance(statement, ast.Assign) or len(binding.uses) != 1  # type: ignore[union-attr]
                or ctx.block_of(statement) is not ctx.block_of(ctx.statement_of(config))):
            raise Refused("the provisioning configuration is not a variable set once and used only here",
                          RefusalKind.DATA_FLOW)
        unit.extra_bindings.append(binding)  # type: ignore[arg-type]
        unit.own_uses.add(id(config))
        config = statement.value
    if not isinstance(config, ast.Call) or ctx.callee(config) not in SPECS:
        raise Refused("the provisioning configuration is not AmlCompute/ComputeInstance.provisioning_configuration(...)",
                      RefusalKind.DATA_FLOW)
    where = statement or ctx.statement_of(config)
    if not _defined_before(name, where, ctx):
        raise Refused("the compute's name is defined after its provisioning configuration", RefusalKind.DATA_FLOW)
    ctx.cache["compute_client"] = client  # the VNet's full subnet id names the subscription
    spec = SPECS[ctx.callee(config)]  # type: ignore[index]
    apply_call_spec(spec, config, unit, ctx)
    unit.edits.append(_name_first(config, f"name={ctx.locator.text(name)}", ctx))
    bound = bind_arguments(config, list(spec.signature))
    if spec is AML_SPEC and not isinstance(bound, str) and "max_nodes" not in bound.values:
        unit.edits.extend(statements.insert_before(ctx.locator, where, [MAX_NODES_TODO]))
        unit.todos.append(MAX_NODES_TODO)
    unit.findings.append((FINDINGS[ctx.callee(config)], config))  # type: ignore[index]
    return config


def _name_first(call: ast.Call, text: str, ctx: FixContext) -> Edit:
    container = ctx.locator.sg(call, "call").field("arguments")  # type: ignore[union-attr]
    return listedit.prepend(ctx.text, container, text, ctx.locator.newline)


def _defined_before(node: ast.expr, statement: ast.stmt, ctx: FixContext) -> bool:
    for name in ast.walk(node):
        if isinstance(name, ast.Name):
            binding = ctx.binding_of(name)
            if binding is not None and getattr(binding.node, "lineno", 0) > statement.lineno:
                return False
    return True


# -- lookups and creations ----------------------------------------------------------


def _get_parts(call: ast.Call, ctx: FixContext) -> tuple[ast.Name, ast.expr]:
    bound = bind_arguments(call, ["workspace", "name"])
    if isinstance(bound, str) or set(bound.values) != {"workspace", "name"}:
        raise Refused("the compute lookup needs exactly workspace and name")
    workspace = bound.values["workspace"]
    if workspace_binding(ctx, workspace) is None:
        raise Refused(not_a_workspace(ctx, workspace, "the compute's"), RefusalKind.DATA_FLOW)
    return workspace, bound.values["name"]  # type: ignore[return-value]


def _client(workspace: ast.Name, unit: Rewrite, ctx: FixContext) -> str:
    unit.consumes.append(workspace)
    return ctx.counterpart(ctx.binding_of(workspace))  # type: ignore[arg-type]


def _waits(binding: Binding, unit: Rewrite, ctx: FixContext) -> bool:
    """``x.wait_for_completion(...)`` statements: v2's ``.result()`` already waited.  Whether one was there."""
    _uses_meaning_the_same(binding, unit, ctx)
    waited = False
    for use in binding.uses:
        method = ctx.parent(use)
        call = ctx.parent(method) if method is not None else None
        if (
            isinstance(method, ast.Attribute) and method.attr == "wait_for_completion"
            and isinstance(call, ast.Call) and call.func is method and isinstance(ctx.parent(call), ast.Expr)
            and all(is_pure(a) for a in [*call.args, *(k.value for k in call.keywords)])
        ):
            waiting = ctx.parent(call)
            if ctx.block_of(waiting) is ctx.block_of(binding.node):  # type: ignore[arg-type]
                # (its comments go with the wait, above the statement whose .result() now waits)
                unit.edits.extend(ctx.delete_into(waiting, binding.node))
            else:
                unit.edits.append(ctx.delete(waiting))  # type: ignore[arg-type]
            unit.own_uses.add(id(use))
            waited = True
            nodes = [k.value for k in call.keywords if k.arg == "min_node_count"] + call.args[1:2]
            if any(not is_none(given) for given in nodes):  # (None waited for the cluster only)
                unit.notes.append(f"{line_ref(call.lineno)}: min_node_count= dropped: v1 also waited for that many "
                                  "nodes; .result() waits for the cluster, whose nodes the first job starts")
            if any(k.arg == "timeout_in_minutes" for k in call.keywords) or len(call.args) > 2:
                unit.notes.append(f"{line_ref(call.lineno)}: timeout_in_minutes= dropped: v1 went on after that "
                                  "long; .result() waits until the cluster is made")
    return waited


def _tested(node: ast.AST, ctx: FixContext) -> bool:
    """Only the truth of ``node`` is read (both versions' compute objects are always true)."""
    parent = ctx.parent(node)
    if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)):
        return parent.test is node
    if isinstance(parent, ast.UnaryOp):
        return isinstance(parent.op, ast.Not)
    return isinstance(parent, ast.BoolOp) and _tested(parent, ctx)


def _class_check(use: ast.Name, unit: Rewrite, ctx: FixContext) -> bool:
    """``type(x) is AmlCompute`` / ``isinstance(x, AmlCompute)``: against the v2 entity class."""
    call = ctx.parent(use)
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and not call.keywords):
        return False
    classes: list[ast.expr] = []
    if call.func.id == "isinstance" and len(call.args) == 2 and call.args[0] is use:
        given = call.args[1]
        classes = list(given.elts) if isinstance(given, ast.Tuple) else [given]
    elif call.func.id == "type" and call.args == [use]:
        compare = ctx.parent(call)
        if not (isinstance(compare, ast.Compare) and compare.left is call and len(compare.ops) == 1
                and isinstance(compare.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))):
            return False
        classes = compare.comparators
    if not classes or any(ctx.reference(c) not in _V2_CLASSES for c in classes):
        return False
    for node in classes:
        unit.edits.append(statements.replace(ctx.locator, node, symbol(ENTITIES, _V2_CLASSES[ctx.reference(node)])))  # type: ignore[index]
    return True


def _type_check(use: ast.Name, unit: Rewrite, ctx: FixContext) -> bool:
    """``x.type == "AmlCompute"``: v2 spells the same compute type in lower case."""
    attribute = ctx.parent(use)
    compare = ctx.parent(attribute) if isinstance(attribute, ast.Attribute) and attribute.attr == "type" else None
    if not (isinstance(compare, ast.Compare) and len(compare.ops) == 1
            and isinstance(compare.ops[0], (ast.Eq, ast.NotEq))):
        return False
    other = compare.comparators[0] if compare.left is attribute else compare.left
    if not (isinstance(other, ast.Constant) and other.value in _V2_TYPES):
        return False
    literal = ctx.locator.text(other)  # the v2 spelling in the literal's own quotes
    unit.edits.append(statements.replace(ctx.locator, other, literal.replace(other.value, _V2_TYPES[other.value])))
    return True


def _uses_meaning_the_same(binding: Binding, unit: Rewrite, ctx: FixContext) -> None:
    """Uses that mean the same on the v2 entity: ``x.name`` and truth tests as they are; class
    and type checks made against v2's (only where the use can see no other value)."""
    for use in ctx.uses_reaching(binding):
        attribute = ctx.parent(use)
        owner = ctx.parent(attribute) if attribute is not None else None
        reads_name = (isinstance(attribute, ast.Attribute) and attribute.attr == "name"
                      and isinstance(attribute.ctx, ast.Load) and not (isinstance(owner, ast.Call) and owner.func is attribute))
        if reads_name or _tested(use, ctx) or (
                use in binding.uses and reaching.sees_only(ctx, binding, use) and (_class_check(use, unit, ctx) or _type_check(use, unit, ctx))):
            unit.own_uses.add(id(use))


def _lookup(call: ast.Call, ctx: FixContext) -> Rewrite:
    unit = Rewrite("AML024", call, "ComputeTarget() -> ml_client.compute.get()", binding=ctx.assigned_binding(call))
    member = ctx.parent(call)
    if unit.binding is None and isinstance(member, ast.Attribute) and member.value is call and member.attr != "name":
        # ``ComputeTarget(ws, n).update(...)``: the v2 entity has no such member (only ``name`` means the same)
        raise Refused(f"`.{member.attr}` is used on the compute it looks up, and v2's compute entity has no "
                      "member that does the same", RefusalKind.NOT_YET)
    workspace, name = _get_parts(call, ctx)
    client = _client(workspace, unit, ctx)
    unit.edits.append(statements.replace(ctx.locator, call, f"{client}.compute.get({ctx.locator.text(name)})"))
    if unit.binding is not None:
        _waits(unit.binding, unit, ctx)
    return unit


def _item(binding: Binding, value: ast.Subscript, ctx: FixContext) -> Rewrite:
    """``x = ws.compute_targets[n]``."""
    unit = Rewrite("AML024", value, "ws.compute_targets[name] -> ml_client.compute.get(name)", binding=binding)
    unit.findings = []  # the workspace's use is what it migrates
    client = _client(value.value.value, unit, ctx)  # type: ignore[attr-defined, arg-type]
    unit.edits.append(statements.replace(ctx.locator, value, f"{client}.compute.get({ctx.locator.text(value.slice)})"))
    _waits(binding, unit, ctx)
    return unit


def _create(create: ast.Call, unit: Rewrite, ctx: FixContext, looked_up: ast.expr | None = None,
            client: str | None = None) -> None:
    """``ComputeTarget.create(ws, n, config)`` -> ``begin_create_or_update(<entity>).result()``."""
    bound = bind_arguments(create, ["workspace", "name", "provisioning_configuration"])
    if isinstance(bound, str) or set(bound.values) != {"workspace", "name", "provisioning_configuration"}:
        raise Refused("ComputeTarget.create(...) needs workspace, name and provisioning_configuration")
    name, config, workspace = (bound.values[p] for p in ("name", "provisioning_configuration", "workspace"))
    if looked_up is not None and ctx.locator.text(name) != ctx.locator.text(looked_up):
        raise Refused("the created compute's name differs from the one looked up")
    if workspace_binding(ctx, workspace) is not None:
        client = _client(workspace, unit, ctx)  # type: ignore[arg-type]
    elif not (client and isinstance(workspace, ast.Name) and ctx.binding_of(workspace) is None):
        # (a name bound nowhere in a get-or-create block: v1 would have raised NameError; v2 takes no workspace)
        raise Refused("the compute is created in a workspace this fix cannot follow", RefusalKind.DATA_FLOW)
    assert client is not None
    _provisioning(config, name, unit, ctx, client)
    # edited in place: the configuration may be written inside the call (and is rewritten there)
    unit.edits.append(statements.replace(ctx.locator, create.func, f"{client}.compute.begin_create_or_update"))
    container = ctx.locator.sg(create, "call").field("arguments")  # type: ignore[union-attr]
    elements = listedit.elements(container)
    doomed = [e for i, e in enumerate(elements) if (e.keyword or ("workspace", "name", "x")[min(i, 2)]) in (
        "workspace", "name")]
    unit.edits.extend(listedit.delete_many(ctx.text, container, doomed))
    for element in elements:
        if element.keyword == "provisioning_configuration":  # v2's one parameter is compute
            keyword = element.node.field("name").range()  # type: ignore[union-attr]
            unit.edits.append(Edit(keyword.start.index, keyword.end.index, "compute"))
    end = ctx.locator.end(create)
    unit.edits.append(Edit(end, end, ".result()"))
    unit.findings.append(("AML024", create))


def _alone_create(call: ast.Call, ctx: FixContext) -> Rewrite:
    binding = ctx.assigned_binding(call)
    unit = Rewrite("AML024", call, "ComputeTarget.create() -> ml_client.compute.begin_create_or_update()",
                   binding=binding)
    _create(call, unit, ctx)
    if binding is None or not _waits(binding, unit, ctx):
        unit.notes.append("nothing waited for it: v1's create returned once it was requested, .result() waits "
                          "until the cluster is provisioned (and raises if that fails)")
    return unit


def _catches_lookup_failure(handler: ast.ExceptHandler, item: bool, ctx: FixContext) -> bool:
    """The handler catches just what the v1 lookup raises for a missing compute:
    ComputeTargetException, or KeyError for ``ws.compute_targets[n]``."""
    if handler.name or handler.type is None:
        return False
    if item:
        return (isinstance(handler.type, ast.Name) and handler.type.id == "KeyError"
                and ctx.binding_of(handler.type) is None)
    return ctx.reference(handler.type) == EXCEPTION


_BROAD = ("Exception", "BaseException")


def _catches_everything(handler: ast.ExceptHandler, ctx: FixContext) -> bool:
    """``except:`` / ``except Exception`` (builtins): it catches what v2 raises as it caught v1's."""
    kind = handler.type
    return kind is None or (isinstance(kind, ast.Name) and kind.id in _BROAD and ctx.binding_of(kind) is None)


def _create_statements(body: list[ast.stmt], ctx: FixContext) -> list[ast.stmt]:
    """The statements of an except clause, and those of a ``try`` in it that guards the creation
    with handlers catching everything (``except Exception as ex: print(ex)``): v2's errors take
    the same path v1's took."""
    found: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.Try) and all(_catches_everything(h, ctx) for h in statement.handlers):
            found.extend(statement.body)
        else:
            found.append(statement)
    return found


def _get_or_create(try_node: ast.Try, lookup: ast.Call | ast.Subscript, ctx: FixContext) -> Rewrite:
    """The v1 get-or-create block (mapping.md 5.4), rewritten as one piece."""
    item = isinstance(lookup, ast.Subscript)
    unit = Rewrite("AML024", lookup, "ComputeTarget get-or-create -> ml_client.compute.get / begin_create_or_update")
    get_binding = ctx.assigned_binding(lookup)
    if item:
        unit.findings = []  # the workspace's use is what it migrates
        workspace, name = lookup.value.value, lookup.slice  # type: ignore[attr-defined]
    else:
        workspace, name = _get_parts(lookup, ctx)  # type: ignore[arg-type]
    if get_binding is None or len(try_node.handlers) != 1 or try_node.orelse or try_node.finalbody:
        raise Refused("the compute block is not a plain try/except around the compute lookup")
    handler = try_node.handlers[0]
    broad = not handler.name and _catches_everything(handler, ctx)  # catches v2's error as it caught v1's
    if not broad and not _catches_lookup_failure(handler, item, ctx):
        caught = handler.type
        if (isinstance(caught, ast.Name) and caught.id == "ComputeTargetException" and ctx.binding_of(caught) is None
                and not any(isinstance(n, ast.ImportFrom) and n.names[0].name == "*" for n in ast.walk(ctx.model.tree))):
            # (audit, stop 64, lot b L2: the name is right, but nothing imports it)
            raise Refused("the except clause names ComputeTargetException, which the program never imports: "
                          "a failed lookup raised NameError there; import it from azureml.core.compute_target",
                          RefusalKind.DATA_FLOW)
        raise Refused(f"the except clause does not catch just {'KeyError' if item else 'ComputeTargetException'}")
    creates = [s for s in _create_statements(handler.body, ctx) if isinstance(s, ast.Assign)
               and isinstance(s.value, ast.Call) and ctx.callee(s.value) in CREATES]
    if len(creates) != 1:
        raise Refused("the except clause does not create the compute with one ComputeTarget.create(...)")
    create = creates[0].value
    assert isinstance(create, ast.Call)
    create_binding = ctx.assigned_binding(create)
    if create_binding is None or create_binding.name != get_binding.name:
        raise Refused("the created compute is not assigned to the same variable")
    client = _client(workspace, unit, ctx)  # type: ignore[arg-type]
    unit.edits.append(statements.replace(ctx.locator, lookup, f"{client}.compute.get({ctx.locator.text(name)})"))
    if not broad:
        assert handler.type is not None
        unit.edits.append(statements.replace(ctx.locator, handler.type,
                                             symbol("azure.core.exceptions", "ResourceNotFoundError")))
        if not item:
            unit.findings.append(("AML026", handler.type))
    _create(create, unit, ctx, looked_up=name, client=client)
    unit.binding = create_binding
    unit.extra_bindings.append(get_binding)
    for binding in (create_binding, get_binding):
        _waits(binding, unit, ctx)
    return unit


def _block_findings(block: ast.Try | None) -> list[tuple[str, ast.AST]]:
    """What a refused get-or-create block leaves with its lookup, for the same reason: the
    exception it catches and what its except clause creates (they migrate only as one piece)."""
    found: list[tuple[str, ast.AST]] = []
    for handler in block.handlers if block is not None else ():
        if handler.type is not None:
            found.append(("AML026", handler.type))
        found.extend((code, node) for node in ast.walk(handler) for code in ("AML024", "AML025"))
    return found


def _enclosing_try(node: ast.AST, ctx: FixContext) -> ast.Try | None:
    statement = ctx.parent(node)
    parent = ctx.parent(statement) if statement is not None else None
    return parent if isinstance(parent, ast.Try) and statement in parent.body else None


def _rewrites(ctx: FixContext) -> list[Rewrite]:
    units: list[Rewrite] = []
    creates_in_blocks: set[int] = set()
    for site in ctx.model.calls:
        if not isinstance(site.callee, Ref) or site.callee.qualname not in GETTERS:
            continue
        call = site.node
        block = _enclosing_try(call, ctx)
        try:
            unit = _get_or_create(block, call, ctx) if block is not None else _lookup(call, ctx)
        except Refused as reason:
            unit = Rewrite("AML024", call, "ComputeTarget() -> ml_client.compute").refuse(str(reason), reason.kind)
            unit.findings.extend(_block_findings(block))
        if block is not None:
            creates_in_blocks.update(id(n) for n in ast.walk(block) if isinstance(n, ast.Call))
        units.append(unit)
    for binding, value, _ in workspace_items(ctx, "compute_targets"):
        block = _enclosing_try(value, ctx)
        try:
            units.append(_get_or_create(block, value, ctx) if block is not None else _item(binding, value, ctx))
        except Refused as reason:
            units.append(Rewrite("AML024", value, "ws.compute_targets[name] -> ml_client.compute.get(name)",
                                 binding=binding).refuse(str(reason), reason.kind))
            units[-1].findings = _block_findings(block)
        if block is not None:
            creates_in_blocks.update(id(n) for n in ast.walk(block) if isinstance(n, ast.Call))
    for site in [s for create in CREATES for s in ctx.model.calls_to(create)]:
        if id(site.node) in creates_in_blocks:
            continue
        try:
            units.append(_alone_create(site.node, ctx))
        except Refused as reason:
            units.append(Rewrite("AML024", site.node, "ComputeTarget.create()").refuse(str(reason), reason.kind))
    for unit in units:
        if unit.refusal is None:
            # jobs only name the compute: the v1 object may stay for v1 code
            kept_as_is(unit, "the v1 compute kept for the code that still uses it; jobs name it by its name")
            unit.must_keep_alive = any(ctx.is_imported_elsewhere(b) for b in unit.bindings)
    return units


def rewrites(ctx: FixContext) -> list[Rewrite]:
    """The compute rewrites of this pass, built once (the jobs ask which compute they can take over)."""
    if "compute_rewrites" not in ctx.cache:
        ctx.cache["compute_rewrites"] = _rewrites(ctx)
    return ctx.cache["compute_rewrites"]  # type: ignore[return-value]


def migrates(ctx: FixContext, binding: Binding | None) -> bool:
    """A rewrite of this pass migrates ``binding`` (a job may then take over its use)."""
    return binding is not None and any(
        unit.refusal is None and any(b is binding for b in unit.bindings) for unit in rewrites(ctx))


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Compute looked up or created (see the module's docstring)."""
    yield from rewrites(ctx)
