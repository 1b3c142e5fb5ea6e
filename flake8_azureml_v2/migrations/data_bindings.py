"""Variables that hold v1 data: datasets, their consumption configs and job outputs.

v2 has no such objects: the jobs that read them write their own ``Input``/``Output``
(see :mod:`.commandline`), so the variable's statement goes once every use is
taken over.  Where other v1 code still uses the variable, it stays as it is: the
migrated jobs do not read it, so keeping it alive is always sound.
``dataset.register(...)`` registers a data asset, so it is translated, never dropped.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, py_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding, Instance
from ..v1api import is_subtype
from ._common import workspace_binding
from ._v1_readers import DATASET as DATASET_ASSET, v1_reader
from .data_inputs import (
    CONSUMPTION,
    DATASET,
    REGISTER_SIGNATURE,
    UPLOAD_DIRECTORY,
    consumed,
    dataset_registration,
    is_dataset_variable,
    registered_item,
)
from .data_outputs import OUTPUT_CONFIG, PIPELINE_DATA, produced
from .data_refs import DATASTORE, WORKSPACE, Refused, Taken, is_store, registered_store

PIPELINE_PARAMETER = "azureml.pipeline.core.PipelineParameter"
_HOLDERS = (WORKSPACE, DATASTORE, DATASET, CONSUMPTION, OUTPUT_CONFIG, PIPELINE_DATA, PIPELINE_PARAMETER)
_CODES = {DATASET: "AML022", CONSUMPTION: "AML022", OUTPUT_CONFIG: "AML006", PIPELINE_DATA: "AML005"}


def code_of(binding: Binding, ctx: FixContext) -> str | None:
    value = binding.value
    if isinstance(value, Instance):
        for qualname, code in _CODES.items():
            if is_subtype(value.type, qualname):
                return code
    statement = binding.node
    if isinstance(statement, ast.Assign) and registered_item(statement.value, ctx) is not None:
        return "AML022"
    return None


def _code_once(binding: Binding, ctx: FixContext) -> str | None:
    """``code_of``, asked once a pass: the dataset, output and PipelineData fixers each ask of every variable."""
    codes: dict[int, str | None] = ctx.cache.setdefault("data_bindings:codes", {})  # type: ignore[assignment]
    if id(binding) not in codes:
        codes[id(binding)] = code_of(binding, ctx)
    return codes[id(binding)]


def _is_register(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "register"


def providers(ctx: FixContext, code: str, description: str) -> Iterator[Rewrite]:
    """One rewrite per data variable of the kind ``code`` names."""
    for binding in ctx.model.bindings:
        statement = binding.node
        if (not isinstance(statement, ast.Assign) or len(statement.targets) != 1
                or not isinstance(statement.targets[0], ast.Name) or statement.targets[0].id != binding.name):
            continue
        if code == "AML022" and _opaque_registration(statement.value, ctx):
            yield _kept(binding, statement.value, "it registers the data that the migrated jobs read by name")
            continue
        if code == "AML022" and ctx.callee(statement.value) == UPLOAD_DIRECTORY:
            # (audit 2e: "that the migrated jobs read" was said where no job read it, or none moved)
            yield _kept(binding, statement.value, "it uploads a folder (Dataset.File.upload_directory has no v2 "
                                                  "form in the reference), and what reads the data reads it there")
            continue
        if _is_register(statement.value) or _code_once(binding, ctx) != code:
            continue
        value = statement.value
        unit = Rewrite(code, value, description, binding=binding)
        unit.alive_edits = []
        unit.alive_description = "kept for the v1 code that still uses it; the migrated jobs write their own paths"
        unit.must_keep_alive = ctx.is_imported_elsewhere(binding)
        if binding.conditional and binding.uses:
            yield unit.refuse(binding.conditional_detail(), RefusalKind.DATA_FLOW)
            continue
        if not binding.uses and _looks_up(value, ctx):
            yield _existence_check(unit, binding, value, ctx)
            continue
        try:
            found = (consumed(value, ctx, Taken(), top=False) if code == "AML022"
                     else produced(value, ctx, Taken(), top=False))
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        if found is None:
            continue
        unit.edits.append(ctx.delete(statement))
        unit.consumes.extend(holders_in(value, ctx))
        unit.findings.extend(findings_in(value, ctx))
        if _reaches_nothing(binding, ctx):  # no job takes it: say that it only goes
            unit.description = f"{description.split(' -> ')[0]} removed: nothing uses it"
            # it names no new object, and making it did nothing to the datastore it names (audit t: a
            # client nothing used was written beside a workspace that stays)
            unit.uses_counterpart = unit.use_has_effect = False
        yield unit


def _reaches_nothing(binding: Binding, ctx: FixContext) -> bool:
    """No use, or only uses that make a variable nothing uses (``m = ds.as_mount()``,
    removed with it): no job reads the data."""
    for use in binding.uses:
        statement = ctx.statement_of(use)
        made = [b for b in ctx.bindings_at(statement) if b.node is statement] if isinstance(statement, ast.Assign) else []
        if not made or any(b.uses for b in made):
            return False
    return True


def _opaque_registration(value: ast.expr, ctx: FixContext) -> bool:
    """``ds = <something this fix cannot read>.register(workspace=ws, name="n")``: an open
    dataset, a helper's result; registrations() translates the ones it can read."""
    if dataset_registration(value) is None:
        return False
    try:
        return consumed(value.func.value, ctx, Taken(), top=False) is None  # type: ignore[attr-defined]
    except Refused:
        return False


def _kept(binding: Binding, value: ast.expr, why: str) -> Rewrite:
    """A statement that puts data in place (a registration, an upload) stays as it is and
    runs before the jobs, which read that data by name or path; the variable is kept alive."""
    unit = Rewrite("AML022", value, "the statement that puts the data in place stays", binding=binding)
    unit.alive_edits = []
    unit.alive_description = f"kept: {why}"
    unit.must_keep_alive = True
    unit.keep_reason = why
    return unit


_DATA_CODES = ("AML005", "AML006", "AML022", "AML023", "AML028")


def findings_in(value: ast.expr, ctx: FixContext) -> list[tuple[str, ast.AST]]:
    """The data findings of the calls inside a statement that goes (the constructor under
    ``.as_mount()``, an inline ``ws.get_default_datastore()``)."""
    return [(finding.code, node) for node in ast.walk(value) if node is not value
            for finding in ctx.findings_for(node) if finding.code in _DATA_CODES]


def _looks_up(value: ast.expr, ctx: FixContext) -> bool:
    """``Dataset.get_by_name(...)`` / ``ws.datasets[...]``: raises when the dataset is missing."""
    return any(ctx.callee(n) in ("azureml.core.Dataset.get_by_name", "azureml.core.Dataset.get_by_id")
               or registered_item(n, ctx) is not None for n in ast.walk(value) if isinstance(n, (ast.Call, ast.Subscript)))


def _existence_check(unit: Rewrite, binding: Binding, value: ast.expr, ctx: FixContext) -> Rewrite:
    """A lookup nobody reads checks that the dataset exists (it raises otherwise):
    ``ml_client.data.get(name, label="latest")`` raises the same way (mapping-extension.md 4.2)."""
    bound = bind_arguments(value, ["workspace", "name", "version"]) if isinstance(value, ast.Call) else "not a call"
    name = bound.values.get("name") if not isinstance(bound, str) else None
    workspace = bound.values.get("workspace") if not isinstance(bound, str) else None
    version = bound.values.get("version") if not isinstance(bound, str) else None
    if (ctx.callee(value) != "azureml.core.Dataset.get_by_name" or isinstance(bound, str) or name is None
            or workspace_binding(ctx, workspace) is None or set(bound.values) - {"workspace", "name", "version"}
            or not (version is None or isinstance(version, ast.Constant) and isinstance(version.value, (int, str)))):
        return unit.refuse(f"`{binding.name}` is never read: the lookup only checks that the dataset exists",
                           RefusalKind.DATA_FLOW)
    label = 'label="latest"' if version is None or version.value == "latest" else f"version={py_str(str(version.value))}"  # type: ignore[union-attr]
    client = ctx.counterpart(workspace_binding(ctx, workspace))  # type: ignore[arg-type]
    unit.consumes.append(workspace)  # type: ignore[arg-type]
    unit.edits.append(statements.replace(ctx.locator, value, f"{client}.data.get({ctx.locator.text(name)}, {label})"))
    unit.description = "Dataset.get_by_name() -> ml_client.data.get(): it still checks that the data exists"
    return unit


def holders_in(value: ast.expr, ctx: FixContext) -> list[ast.Name]:
    """Uses of variables that hold v1 objects (workspace, datastore, data) inside ``value``."""
    found = []
    for node in ast.walk(value):
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        binding = ctx.binding_of(node)
        if binding is None or registered_store(binding, ctx):
            continue
        held = binding.value
        if (isinstance(held, Instance) and any(is_subtype(held.type, t) for t in _HOLDERS)) \
                or is_dataset_variable(node, ctx) or is_store(ctx, node):
            found.append(node)
    return found


def registrations(ctx: FixContext) -> Iterator[Rewrite]:
    """``ds.register(workspace=ws, name=n, ...)`` -> ``ml_client.data.create_or_update(Data(...))``."""
    for site in ctx.model.method_calls(DATASET, "register"):
        call = site.node
        statement = ctx.parent(call)
        if not isinstance(statement, (ast.Expr, ast.Assign)) or statement.value is not call:
            continue
        unit = Rewrite("AML022", call, "dataset.register() -> ml_client.data.create_or_update(Data(...))")
        if isinstance(statement, ast.Assign):
            unit.binding = ctx.assigned_binding(call)
            if unit.binding is None:
                continue
            unit.alive_edits = []
            unit.must_keep_alive = ctx.is_imported_elsewhere(unit.binding)
        try:
            text, todos = _registration(call, ctx, unit)
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        # (the variable keeps the v2 asset where its fields are read)
        read = unit.binding is not None and _registered_reads(unit.binding, unit, ctx)
        unit.edits.append(statements.replace(ctx.locator, call if read else statement, text))
        if todos:
            comments = [f"# TODO(azureml-v2): {todo}" for todo in todos]
            unit.edits.extend(statements.insert_before(ctx.locator, statement, comments))
            unit.todos.extend(comments)
        yield unit


# What the registered v2 data asset gives as the v1 dataset gave it: a read of one of these is kept
# (``version`` as v1's int), any other use keeps the registration v1 (audit, stop 63, f).
_SAME_FIELDS = frozenset({"name", "description", "tags"})


def _registered_reads(binding: Binding, unit: Rewrite, ctx: FixContext) -> bool:
    """``ds = ds.register(...)`` then ``ds.name``: the returned ``Data`` has the same field.
    Whether any such read was found."""
    from .run_handle import v1_model_version

    found = False
    for use in binding.uses:
        read = ctx.parent(use)
        outer = ctx.parent(read) if read is not None else None
        if not (isinstance(read, ast.Attribute) and read.value is use and isinstance(read.ctx, ast.Load)) or (
                isinstance(outer, ast.Call) and outer.func is read):
            continue
        if read.attr == "version":
            edit = v1_model_version(use, ctx)
            if edit is not None:
                unit.edits.append(edit)
        elif read.attr not in _SAME_FIELDS:
            continue
        unit.own_uses.add(id(use))
        found = True
    return found


def _registration(call: ast.Call, ctx: FixContext, unit: Rewrite) -> tuple[str, list[str]]:
    bound = bind_arguments(call, REGISTER_SIGNATURE)
    if isinstance(bound, str):
        raise Refused(f"register(): {bound}")
    values = bound.values
    workspace = values.get("workspace")
    if workspace_binding(ctx, workspace) is None or "name" not in values:
        raise Refused("register() without a Workspace variable and a name")
    taken = Taken()
    used = consumed(call.func.value, ctx, taken)  # type: ignore[attr-defined]
    if used is None or used.source.kind is None:
        raise Refused("register() of a dataset this fix cannot follow")
    for binding in taken.references:
        if not ctx.visible(call, binding):
            raise Refused(f"`{binding.name}` does not hold the same value where the dataset is registered")
    unit.consumes.extend(taken.consumes)
    unit.consumes.append(workspace)  # type: ignore[arg-type]
    unit.findings.extend(taken.resolves)
    unit.helpers.update(taken.helpers)
    unit.notes.extend(taken.notes)
    # v1 cannot read a v2 data asset (mapping.md 7): while the program also looks the name up
    # with v1 (kept alive, or in code that stays), the registration stays v1 too.
    reader = v1_reader(DATASET_ASSET, values["name"], ctx)
    if reader is not None:
        raise Refused(f"{reader} looks the dataset up with v1, which cannot read a v2 data asset: "
                      "migrate that lookup first", RefusalKind.DATA_FLOW)
    client = ctx.counterpart(workspace_binding(ctx, workspace))  # type: ignore[arg-type]
    parts = [f"name={ctx.locator.text(values['name'])}", f"path={used.source.path}", f'type="{used.source.kind}"']
    parts += [f"{key}={ctx.locator.text(values[key])}" for key in ("description", "tags") if key in values]
    new_version = values.get("create_new_version")
    todos = list(taken.widened)  # several files, registered as their common parent
    if not (isinstance(new_version, ast.Constant) and new_version.value is True):
        if new_version is not None and not (isinstance(new_version, ast.Constant) and new_version.value is False):
            raise Refused("create_new_version= is not True or False")
        parts.append(f"version={py_str('1')}")
        todos.append("AML022 v1 registered only a name that was new (create_new_version=False); "
                     'version="1" fails when that version exists with other content')
    data = f"{symbol('azure.ai.ml.entities', 'Data')}({', '.join(parts)})"
    return f"{client}.data.create_or_update({data})", todos

