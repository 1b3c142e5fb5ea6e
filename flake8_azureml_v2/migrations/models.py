"""The migrations for AML070, AML077 and AML037: registered models (mapping-extension.md 7.1-7.2).

``Model.register(ws, model_path, model_name, ...)`` (path before name!) becomes
``ml_client.models.create_or_update(Model(path=..., name=..., type=CUSTOM_MODEL))``;
``Model(ws, name[, version])`` and ``ws.models[name]`` become ``ml_client.models.get``
with the latest label or the version as a string; ``model.download(target_dir)`` keeps its
v1 model, since v2's download writes to ``target_dir/<name>/`` (azure-ai-ml's
ModelOperations.download), not into target_dir as v1 did.  In a scoring script (``init()`` and
``run()``), ``Model.get_model_path(name)`` is the folder v2 names in
``AZUREML_MODEL_DIR``, or the one entry inside it, as v1 returned it.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .. import notebooks
from ..engine import files, project
from ..engine.source import SourceError
from ..engine.findings import RefusalKind, line_ref
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, known_str
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.specs import Build, CallSpec, Drop, Keep, Refuse, Refused, apply_call_spec
from ..engine.fixing.symbols import symbol
from ..engine.memo import ByContent
from ..engine.names import Binding
from ..engine.nodes import all_nodes
from ._common import attribute_path, kept_as_is, not_a_workspace, workspace_binding, workspace_items
from ..v1api import SCRIPT_PARAMETERS, SURFACE
from .injob import launchers
from .injob._shared import is_pure
from ._v1_readers import MODEL as MODEL_ASSET, v1_reader
from .parallel import PARALLEL_RUN_CONFIG
from .run_handle import MODEL_READS, v1_model_id, v1_model_version

MODEL = "azureml.core.Model"
REGISTER = MODEL + ".register"
GET_MODEL_PATH = MODEL + ".get_model_path"
INFERENCE_CONFIG = "azureml.core.model.InferenceConfig"  # the deployment's entry script
_DROPPED = ("datasets", "model_framework", "model_framework_version", "sample_input_dataset",
            "sample_output_dataset", "resource_configuration")


# v1 classes whose constructor only holds its arguments: building one, then dropping it, skips nothing.
_PLAIN_CONSTRUCTORS = frozenset({"azureml.core.resource_configuration.ResourceConfiguration"})


def _plain_construction(node: ast.expr, ctx: FixContext) -> bool:
    return (isinstance(node, ast.Call) and ctx.callee(node) in _PLAIN_CONSTRUCTORS
            and all(is_pure(value) for value in [*node.args, *(keyword.value for keyword in node.keywords)]))


def _pure_drop(argument: object) -> bool:
    if not is_pure(argument.node) and not _plain_construction(argument.node, argument.ctx):  # type: ignore[attr-defined]
        raise Refused(f"{argument.name}= is computed by a call; dropping it would skip that call")  # type: ignore[attr-defined]
    argument.rewrite.notes.append(f"{argument.name}= dropped: v2's Model has no such field")  # type: ignore[attr-defined]
    return True


REGISTER_SPEC = CallSpec(
    old=REGISTER,
    # Model.register in v1's positional order: the path comes before the name.
    signature=("workspace", "model_path", "model_name", "tags", "properties", "description", "datasets",
               "model_framework", "model_framework_version", "child_paths", "sample_input_dataset",
               "sample_output_dataset", "resource_configuration"),
    new=("azure.ai.ml.entities", "Model"),
    params={
        "workspace": Build(lambda argument: []),
        "model_path": Keep("path"),
        "model_name": Keep("name"),
        **{p: Drop(when=_pure_drop) for p in _DROPPED},
        "child_paths": Refuse("child_paths= picks files of the folder: v2 registers the whole path"),
    },
    finish=lambda arguments, ctx, rewrite: [f"type={symbol('azure.ai.ml.constants', 'AssetTypes')}.CUSTOM_MODEL"],
)
_GET_SIGNATURE = ["workspace", "name", "id", "tags", "properties", "version", "run_id", "model_framework", "expand"]


def _read_only(binding: Binding | None, unit: Rewrite, ctx: FixContext, client: str) -> None:
    """The uses v2's Model answers alike (name, version...).  Anything else keeps the v1 model
    alive (see the rewrites' keep-alive), ``model.download(target_dir)`` too: v1 writes the model's
    files into target_dir, v2's ``ml_client.models.download`` into ``target_dir/<name>/``."""
    if binding is None:
        return
    for use in binding.uses:
        path, outer = attribute_path(ctx, use)
        parent = ctx.parent(outer)
        if path == ("id",) and not (isinstance(parent, ast.Call) and parent.func is outer):
            edit = v1_model_id(use, ctx)
            if edit is not None:
                unit.edits.append(edit)
                unit.own_uses.add(id(use))
        elif len(path) == 1 and path[0] in MODEL_READS and not (isinstance(parent, ast.Call) and parent.func is outer):
            edit = v1_model_version(use, ctx) if path == ("version",) else None
            if edit is not None:
                unit.edits.append(edit)
            unit.own_uses.add(id(use))


def _alive(unit: Rewrite) -> Rewrite:
    """v1 code that still needs the v1 model keeps it (and the workspace); nothing to add beside it."""
    return kept_as_is(unit, "the v1 model kept for the code that still uses it")


def _register(call: ast.Call, ctx: FixContext) -> Rewrite:
    binding = ctx.assigned_binding(call)
    unit = Rewrite("AML070", call, "Model.register() -> ml_client.models.create_or_update(Model(...))", binding=binding)
    bound = bind_arguments(call, list(REGISTER_SPEC.signature))
    workspace = bound.values.get("workspace") if not isinstance(bound, str) else None
    if workspace is None or workspace_binding(ctx, workspace) is None:
        return unit.refuse(not_a_workspace(ctx, workspace, "the model's"), RefusalKind.DATA_FLOW)
    if not {"model_path", "model_name"} <= set(bound.values):  # type: ignore[union-attr]
        return unit.refuse("Model.register() without model_path and model_name", RefusalKind.DATA_FLOW)
    reader = v1_reader(MODEL_ASSET, bound.values["model_name"], ctx)  # type: ignore[union-attr]
    if reader is not None:
        return unit.refuse(f"{reader} reads the model with v1, which cannot use a model registered with v2: "
                           "migrate that reader first", RefusalKind.DATA_FLOW)
    unit.consumes.append(workspace)  # type: ignore[arg-type]
    client = ctx.counterpart(ctx.binding_of(workspace))  # type: ignore[arg-type]
    try:
        apply_call_spec(REGISTER_SPEC, call, unit, ctx)
    except Refused as reason:
        return unit.refuse(str(reason), reason.kind)
    start, end = ctx.locator.start(call), ctx.locator.end(call)
    unit.edits += [Edit(start, start, f"{client}.models.create_or_update("), Edit(end, end, ")")]
    _read_only(binding, unit, ctx, client)
    return _alive(unit)


def _reference(name: ast.expr, version: ast.expr | None) -> str:
    """``name, label="latest"`` or ``name, version="<v>"`` (v2 wants the version as a string)."""
    if version is None or (isinstance(version, ast.Constant) and version.value is None):
        return 'label="latest"'
    if isinstance(version, ast.Constant) and isinstance(version.value, (int, str)):
        return f'version="{version.value}"'
    return f"version=str({version.id})" if isinstance(version, ast.Name) else ""


def _lookup(node: ast.expr, workspace: ast.Name, name: ast.expr, version: ast.expr | None, unit: Rewrite,
            ctx: FixContext) -> Rewrite:
    reference = _reference(name, version)
    if not reference or not is_pure(name):
        return unit.refuse("the model's name or version is computed in a way this fix does not follow",
                           RefusalKind.DATA_FLOW)
    if unit.binding is None and not _shown_only(node, ctx):
        use = ctx.parent(node)
        return unit.refuse(f"the model is used where it is looked up (`{snippet(ctx.locator, use)}`), and v2's "
                           "Model does not answer v1's calls (it has no download(): ml_client.models.download "
                           "writes into download_path/<name>/): migrate that use by hand", RefusalKind.DATA_FLOW)
    unit.consumes.append(workspace)
    client = ctx.counterpart(ctx.binding_of(workspace))  # type: ignore[arg-type]
    unit.edits.append(statements.replace(ctx.locator, node, f"{client}.models.get({ctx.locator.text(name)}, {reference})"))
    _read_only(unit.binding, unit, ctx, client)
    return _alive(unit)


def _shown_only(node: ast.expr, ctx: FixContext) -> bool:
    """A model looked up and not kept in a variable is only displayed (a notebook's bare
    expression, or print): anything else would call v1's Model API on a v2 Model."""
    parent = ctx.parent(node)
    if isinstance(parent, ast.Expr):
        return True
    return (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "print"
            and node in parent.args)


def _constructor(call: ast.Call, ctx: FixContext) -> Rewrite:
    unit = Rewrite("AML077", call, "Model() -> ml_client.models.get()", binding=ctx.assigned_binding(call))
    bound = bind_arguments(call, _GET_SIGNATURE)
    if isinstance(bound, str) or set(bound.values) - {"workspace", "name", "version"} or not {
            "workspace", "name"} <= set(bound.values):
        return unit.refuse("Model() with other arguments than workspace, name and version", RefusalKind.DATA_FLOW)
    workspace = bound.values["workspace"]
    if workspace_binding(ctx, workspace) is None:
        return unit.refuse(not_a_workspace(ctx, workspace, "the model's"), RefusalKind.DATA_FLOW)
    return _lookup(call, workspace, bound.values["name"], bound.values.get("version"), unit, ctx)  # type: ignore[arg-type]


def _items(ctx: FixContext) -> Iterator[Rewrite]:
    """``model = ws.models[name]``: the latest version."""
    for binding, value, workspace in workspace_items(ctx, "models"):
        unit = Rewrite("AML077", value, "ws.models[name] -> ml_client.models.get(name, label='latest')", binding=binding)
        unit.findings = []
        yield _lookup(value, workspace, value.slice, None, unit, ctx)


# -- Model.get_model_path in a scoring script -----------------------------------------

MODEL_PATH_HELPER = "_v1_model_path"
_MODEL_PATH_SOURCE = f'''def {MODEL_PATH_HELPER}():
    """What v1's Model.get_model_path returned, in a v2 deployment: the model folder
    (AZUREML_MODEL_DIR), or the one entry inside it; a v2 deployment serves one model."""
    folder = {symbol("os")}.environ["AZUREML_MODEL_DIR"]
    entries = {symbol("os")}.listdir(folder)
    return {symbol("os")}.path.join(folder, entries[0]) if len(entries) == 1 else folder
'''


def _is_scoring_script(ctx: FixContext) -> bool:
    """The scoring contract: module-level ``init()`` and ``run(...)``."""
    return {"init", "run"} <= ctx.module_functions


CONTAINER_IMAGE = "azureml.core.image.ContainerImage.image_configuration"


def _launcher_name(qualname: str) -> str:
    """What the script is to its launcher, as people write it: ``a ParallelRunConfig entry script``,
    ``the execution_script of ContainerImage.image_configuration``."""
    parts = qualname.split(".")
    if parts[-1][:1].islower():  # a method
        return f"the {SCRIPT_PARAMETERS[qualname][0]} of {'.'.join(parts[-2:])}"
    return f"a {parts[-1]} entry script"


def _run_outside_a_deployment(ctx: FixContext) -> tuple[str, bool] | None:
    """The callable that runs this script other than as a deployment's entry script (a
    ParallelRunStep's ``init()``/``run(mini_batch)`` has the same shape), as the notebook that
    writes it or the project index knows it, and whether it surely runs it (False: it names its
    script only at run time): only a deployment sets AZUREML_MODEL_DIR."""
    context = ctx.analysis.context
    settings = getattr(context, "settings", None)
    shape = _batch_shape(ctx)
    if shape is not None:
        return shape, True
    other = next((name for name in getattr(settings, "launchers", ()) if name != INFERENCE_CONFIG), None)
    if other is not None:  # a notebook's %%writefile cell: the notebook names its launchers
        return other, True
    path = getattr(context, "path", None)
    if path is None:
        return None
    key = "model_path:launchers"
    if key not in ctx.cache:
        index = project.index_for(Path(path), settings, SURFACE)  # type: ignore[arg-type]
        found = next((r for r in index.references_to(Path(path)) if r.launcher != INFERENCE_CONFIG), None)
        if found is None:  # an image naming a script of this name no folder holds (after os.chdir) may mean it
            found = next((replace(r, named=False) for r in index.unplaced_references_to(Path(path))
                          if r.launcher in launchers.IMAGE_LAUNCHERS), None)
        if found is None:  # an image whose script is named at run time may be built around this one
            found = launchers.unnamed_holding(Path(path), settings, launchers.IMAGE_LAUNCHERS)
        in_yaml = found is None and Path(path).name in _yaml_parallel_scripts(Path(path), settings)
        ctx.cache[key] = (found.launcher, found.named) if found is not None else (
            (PARALLEL_RUN_CONFIG, True) if in_yaml else None)
    return ctx.cache[key]  # type: ignore[return-value]


# A ParallelRunStep a v1 pipeline YAML defines (``Pipeline.load_yaml``): its run configuration's
# ``entry_script: batch_score.py``.
_YAML_ENTRY = re.compile(rb"^\s*entry_script\s*:\s*[\"']?([^\s\"'#]+)", re.MULTILINE)


def _yaml_parallel_scripts(path: Path, settings: object) -> frozenset[str]:
    """The file names of the entry scripts the project's ParallelRunStep YAML files name, read once."""
    key = (project.root_for(path, settings), getattr(settings, "exclude", ()))  # type: ignore[arg-type]
    if key not in _PARALLEL_YAML:
        found: set[str] = set()
        for _, data in project.texts_mentioning(path, settings, (".yml", ".yaml"), b"entry_script"):  # type: ignore[arg-type]
            if b"parallel_run_config" in data or b"ParallelRunStep" in data:
                found.update(os.path.basename(m.decode("utf-8", "replace").replace("\\", "/"))
                             for m in _YAML_ENTRY.findall(data))
        _PARALLEL_YAML[key] = frozenset(found)
    return _PARALLEL_YAML[key]


_PARALLEL_YAML: dict[tuple[Path, tuple[str, ...]], frozenset[str]] = {}
project.PROJECT_CACHES.append(_PARALLEL_YAML)


# ParallelRunStep's entry-script contract names run()'s argument so; a deployment's is the request.
_BATCH_ARGUMENTS = ("mini_batch", "minibatch", "input_files")


def _batch_shape(ctx: FixContext) -> str | None:
    """What in the script itself says it is a batch (ParallelRunStep) entry script, where the
    project shows no caller: ``run(mini_batch)``, or the module builds the ParallelRunConfig."""
    for node in ctx.model.tree.body:
        if (isinstance(node, ast.FunctionDef) and node.name == "run" and node.args.args
                and node.args.args[0].arg.lower() in _BATCH_ARGUMENTS):
            return PARALLEL_RUN_CONFIG
    if ctx.model.calls_to(PARALLEL_RUN_CONFIG) or any(  # v1's, or the v2 form an earlier pass made of it
            isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == "parallel_run_function"
            for n in all_nodes(ctx.model.tree)):
        return PARALLEL_RUN_CONFIG
    return None


def _deployed_with_other_models(ctx: FixContext, model: str | None = None) -> str | None:
    """Where a program of the project deploys this script's InferenceConfig with a list of models
    that is not one model: v1 then sets AZUREML_MODEL_DIR to the folder of all of them, which the
    single-entry rule cannot read, so the script keeps get_model_path while that deploy stays v1."""
    context = ctx.analysis.context
    path, settings = getattr(context, "path", None), getattr(context, "settings", None)
    if settings is None or not getattr(settings, "project_index", False):
        return None
    key = f"model_path:deployments:{model}"
    if key not in ctx.cache:
        orchestrators: set[Path] = set()
        if path is not None:
            index = project.index_for(Path(path), settings, SURFACE)  # type: ignore[arg-type]
            orchestrators = {r.orchestrator for r in index.references_to(Path(path)) if r.launcher == INFERENCE_CONFIG}
        if settings.named_in is not None and INFERENCE_CONFIG in settings.launchers:
            orchestrators.add(settings.named_in)  # the notebook that writes this script deploys it
        found = next((f"{o.name} ({where}) deploys this script with several models" for o in sorted(orchestrators)
                      for where in _several_model_deploys(o)), None)
        if found is None and not orchestrators and path is not None and model is not None:
            # no deployment of the project names this script: one that serves its model with others may be
            # its deployment (held-out audit e: the notebooks beside a scoring script did so)
            found = next((f"no deployment of the project names this script, and "
                          f"{os.path.relpath(o, Path(path).parent)} ({where}) deploys its model "
                          f"{model!r} with others: it may be this script's" for o, _ in project.texts_mentioning(
                              Path(path), settings, (".py", ".ipynb"), b".deploy(")
                          for where in _several_model_deploys(o, model)), None)
        ctx.cache[key] = found
    return ctx.cache[key]  # type: ignore[return-value]


def _several_model_deploys(orchestrator: Path, named: str | None = None) -> Iterator[str]:
    """Where ``<x>.deploy(workspace, name, models, ...)`` calls have a models list that is not one
    model (``named``: one of them is the model of that name, as a literal in the list shows it).
    Worked out once per file content: every scoring script near a notebook asks of it."""
    try:
        data = files.read_kept(orchestrator)
    except OSError:
        return iter(())
    key = b"\0".join((str(orchestrator).encode("utf-8", "surrogateescape"), repr(named).encode(), data))
    return iter(_DEPLOYS.get(key, lambda: tuple(_deploys_in(orchestrator, data, named))))


_DEPLOYS: ByContent[tuple[str, ...]] = ByContent(64)


def _deploys_in(orchestrator: Path, data: bytes, named: str | None) -> Iterator[str]:
    try:
        programs = list(project.READERS[orchestrator.suffix](orchestrator, data))
    except (KeyError, ValueError, SourceError):  # not readable as Python: no deploy to see
        return
    for program in programs:
        text, place = program if isinstance(program, tuple) else (program, lambda line: f"line {line}")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        lists = {t.id: n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "deploy"):
                continue
            models = next((k.value for k in node.keywords if k.arg == "models"), node.args[2] if len(node.args) > 2 else None)
            appended: list[ast.expr] = []
            if isinstance(models, ast.Name):
                appended = [call.args[0] for call in ast.walk(tree) if isinstance(call, ast.Call) and call.args
                            and isinstance(call.func, ast.Attribute) and call.func.attr == "append"
                            and isinstance(call.func.value, ast.Name) and call.func.value.id == models.id]
                models = lists.get(models.id, models)
            if isinstance(models, (ast.List, ast.Tuple)) and len(models.elts) + len(appended) != 1 and (
                    named is None or named in _strings_of([*models.elts, *appended], lists)):
                yield place(node.lineno)


def _strings_of(models: list[ast.expr], assigned: dict[str, ast.expr], depth: int = 0) -> set[str]:
    """The string literals each model of the list is written with (``ws.models["m"]``,
    ``Model(ws, "m")``), through the variables they are assigned to (``name = "m"``)."""
    found: set[str] = set()
    for element in models:
        for node in ast.walk(assigned.get(element.id, element) if isinstance(element, ast.Name) else element):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
            elif isinstance(node, ast.Name) and node.id in assigned and depth < 3 and node is not element:
                found |= _strings_of([node], assigned, depth + 1)
    return found


def _model_paths(ctx: FixContext) -> Iterator[Rewrite]:
    sites = [(s.node, bind_arguments(s.node, ["model_name", "version", "_workspace"]))
             for s in ctx.model.calls_to(GET_MODEL_PATH)]
    names = {known_str(ctx, b.values["model_name"]) or ctx.locator.text(b.values["model_name"]) for _, b in sites
             if not isinstance(b, str) and "model_name" in b.values}
    for call, bound in sites:
        unit = Rewrite("AML037", call, "Model.get_model_path() -> AZUREML_MODEL_DIR")
        runner = _run_outside_a_deployment(ctx) if _is_scoring_script(ctx) else None
        if not _is_scoring_script(ctx):
            yield unit.refuse("outside a scoring script (init() and run()): pass the model to the job as an input")
        elif runner is not None:
            launcher, surely = runner
            runs = "runs as" if surely else "may run as"
            if launcher == CONTAINER_IMAGE:  # (v1 deployed the image; v2 has no images to deploy)
                yield unit.refuse(f"the script {runs} {_launcher_name(launcher)}, a v1 image that v1 deployed as a "
                                  "web service and v2 has no counterpart of: migrate that deployment to an online "
                                  "deployment first, which sets AZUREML_MODEL_DIR", RefusalKind.NOT_YET)
            else:
                yield unit.refuse(f"the script {runs} {_launcher_name(launcher)}, not in a deployment, and only a "
                                  "deployment sets AZUREML_MODEL_DIR: pass the model to it as an input",
                                  RefusalKind.NOT_YET)
        elif isinstance(bound, str) or "_workspace" in bound.values or not all(is_pure(v) for v in bound.values.values()):
            yield unit.refuse("Model.get_model_path() with arguments this fix does not follow", RefusalKind.DATA_FLOW)
        elif known_str(ctx, bound.values.get("model_name")) is None:
            yield unit.refuse("the model is chosen at run time, but a v2 deployment serves the one model it was "
                              "created with", RefusalKind.DATA_FLOW)
        elif len(names) != 1:
            yield unit.refuse("several models in one scoring script: a v2 deployment serves one model, so combine "
                              "them into one model asset first", RefusalKind.IMPOSSIBLE)
        elif (smoke := _run_by_itself(ctx, call)) is not None:
            runner = (f"the notebook itself calls it ({line_ref(smoke)})" if _in_a_notebook(ctx) else
                      f"the script's own `if __name__ == \"__main__\":` block ({line_ref(smoke)}) runs it")
            yield unit.refuse(f"{runner} outside any deployment, where v1 fell back to the model file in the current "
                              "folder and AZUREML_MODEL_DIR is not set: keep that local path by hand, then fix",
                              RefusalKind.DATA_FLOW)
        elif (several := _deployed_with_other_models(ctx, known_str(ctx, bound.values["model_name"]))) is not None:
            yield unit.refuse(f"{several}, where v1's AZUREML_MODEL_DIR holds all of them: migrate that deployment "
                              "first", RefusalKind.DATA_FLOW)
        elif MODEL_PATH_HELPER in ctx.names_in_module and MODEL_PATH_HELPER not in ctx.module_functions:
            yield unit.refuse(f"`{MODEL_PATH_HELPER}` already names something else in this module")
        else:
            unit.edits.append(statements.replace(ctx.locator, call, f"{MODEL_PATH_HELPER}()"))
            unit.edits.extend(_name_assigned_for(bound.values["model_name"], ctx))
            unit.helpers[MODEL_PATH_HELPER] = _MODEL_PATH_SOURCE
            yield unit


def _run_by_itself(ctx: FixContext, call: ast.Call) -> int | None:
    """The line of a module-level ``if __name__ == "__main__":`` block that calls the function
    holding ``call`` (a local smoke test of ``init()``), or None.  A notebook is never the file a
    deployment imports: any module-level call of it in a cell runs it in the notebook's kernel."""
    holder = ctx.parent(call)
    while holder is not None and not isinstance(holder, (ast.FunctionDef, ast.AsyncFunctionDef)):
        holder = ctx.parent(holder)
    if holder is None:
        return None
    notebook = _in_a_notebook(ctx)
    for statement in ctx.model.tree.body:
        call_line = next((node.lineno for node in ast.walk(statement) if isinstance(node, ast.Call)
                          and isinstance(node.func, ast.Name) and node.func.id == holder.name), None)
        if call_line is None:
            continue
        if notebook and not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return call_line
        if isinstance(statement, ast.If) and _is_main_guard(statement.test):
            return statement.lineno
    return None


def _in_a_notebook(ctx: FixContext) -> bool:
    return notebooks.is_notebook(getattr(ctx.analysis.context, "path", None))


def _is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return (any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides)
            and any(isinstance(side, ast.Constant) and side.value == "__main__" for side in sides))


def _name_assigned_for(name: ast.expr, ctx: FixContext) -> list[Edit]:
    """``model_name = "x"`` made only for this call goes with it (it would be left unused)."""
    binding = ctx.binding_of(name) if isinstance(name, ast.Name) else None
    statement = binding.node if binding is not None else None
    if (binding is None or len(binding.uses) != 1 or len(ctx.bindings_named(binding.name)) != 1
            or not isinstance(statement, ast.Assign) or len(statement.targets) != 1
            or not isinstance(statement.value, ast.Constant)):
        return []
    return [ctx.delete(statement)]


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``Model.register(...)`` (AML070)."""
    for site in ctx.model.calls_to(REGISTER):
        yield _register(site.node, ctx)


def fix_lookup(ctx: FixContext) -> Iterator[Rewrite]:
    """``Model(ws, name)`` and ``ws.models[name]`` (AML077)."""
    for site in ctx.model.calls_to(MODEL):
        yield _constructor(site.node, ctx)
    yield from _items(ctx)


def fix_model_path(ctx: FixContext) -> Iterator[Rewrite]:
    """``Model.get_model_path(name)`` in a scoring script (AML037)."""
    yield from _model_paths(ctx)
