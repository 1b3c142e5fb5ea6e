"""The migration for AML021: a v1 ``Environment`` becomes a v2 one (mapping-extension.md 1).

An environment the program builds (``Environment("n")`` with its attributes set
in the same block, or a ``from_*`` factory) becomes ``Environment(image=...,
conda_file=...)`` with v1's defaults written out, since v2 has none: v1's base
image, and its default conda file unless the dependencies are user-managed.  A
registered one (``Environment.get``, ``ws.environments[n]``) becomes the
reference string ``azureml:<name>@latest`` / ``azureml:<name>:<version>``.
``env.register(ws)`` becomes ``ml_client.environments.create_or_update(env)``.

When v1 code that stays still needs the v1 environment, it stays, and the v2
environment is built beside it for the migrated code.
"""

from __future__ import annotations

import ast
import posixpath
from pathlib import Path
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..engine.findings import RefusalKind, line_ref
from ..engine.fixing import handlers, statements
from ..engine.fixing.arguments import bind_arguments, constant_str, is_none, known_str, py_str
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.specs import Refused
from ..engine.fixing.symbols import symbol
from ..engine import project
from ..engine.names import Binding, Ref
from ..engine.nodes import all_nodes
from . import _conda_spec, conda
from ._common import attribute_path, not_a_workspace, workspace_binding, workspace_items
from ._defaults import V1_CPU_IMAGE, V1_IMAGES
from ._v1_readers import ENVIRONMENT as ENVIRONMENT_ASSET
from ._v1_readers import v1_reader
from .injob._shared import is_pure

ENVIRONMENT = "azureml.core.Environment"
SCRIPT_RUN_CONFIG = "azureml.core.ScriptRunConfig"
TODO = "# TODO(azureml-v2): AML021"
DEFAULT_CONDA = conda.Conda().source()
_PIP_CONDA = "_v1_pip_requirements_conda"
_PIP_CONDA_SOURCE = f'''def {_PIP_CONDA}(file_path, pip_version=None):
    """Environment.from_pip_requirements(): the file's lines replace v1's pip list, pip is a conda package."""
    with open(file_path) as handle:
        requirements = handle.read().splitlines()
    pip = f"pip={{pip_version}}" if pip_version else "pip"
    return {{"name": "project_environment", "channels": ["anaconda", "conda-forge"],
            "dependencies": ["python={conda.PLAIN_PYTHON}", {{"pip": requirements}}, pip]}}
'''
# Attribute paths set after Environment(...) that the fix folds into the v2 call, and the variables
# that go to the jobs instead (a whole dict, or items: ``env.environment_variables["KEY"] = value``).
_VARIABLES_PATH = ("environment_variables",)
_ITEM = "[]"
_INTERPRETER = ("python", "interpreter_path")
# (``docker.gpu_support``: azureml-core 1.61's setter only logs that it is deprecated and unused)
_FOLDED = {("python", "conda_dependencies"), ("docker", "base_image"), ("docker", "enabled"), ("docker", "gpu_support"),
           ("python", "user_managed_dependencies"), ("docker", "base_dockerfile"), _VARIABLES_PATH,
           (*_VARIABLES_PATH, _ITEM), _INTERPRETER}
# An environment's variables: v2 sets them on each job that runs in it (mapping-extension 1.4).
_VARIABLES = ("v2 sets environment variables on the job (command(environment_variables=...)), not on the "
              "environment: this fix moves them to a ScriptRunConfig's job only")
# Attribute paths of a v1 environment read after it is built -> the v2 Environment attribute
# that holds the same value (the image v1 ran, written out when v1 left it to its default).
_READS = {("docker", "base_image"): "image"}
_IMPOSSIBLE = {
    ("docker", "base_image_registry"): "a private base-image registry is reached through the workspace's "
                                       "registry or a connection in v2, not in code",
    ("spark",): "v2 environments have no Spark section", ("databricks",): "v2 environments have no Databricks section",
    ("r",): "v2 environments have no R section (build a custom image)",
}


@dataclass
class EnvPlan:
    """A v2 environment: its keyword arguments, where the v1 one is complete, the statements that go."""

    fields: dict[str, str] = field(default_factory=dict)
    alive_conda: str | None = None  # conda_file= beside a v1 environment that stays, when it differs
    alive_todos: list[str] = field(default_factory=list)
    configs: list[tuple[ast.Name, ast.Assign]] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    helpers: dict[str, str] = field(default_factory=dict)
    name_node: ast.expr | None = None  # the v1 name, which a registration keeps
    conda_spec: ast.expr | None = None  # the file from_conda_specification() read
    preset: dict[tuple[str, ...], ast.expr] = field(default_factory=dict)  # what a docker factory set

    def source(self, alive: bool = False) -> str:
        order = ("name", "image", "build", "conda_file")
        fields = {**self.fields, "conda_file": self.alive_conda} if alive and self.alive_conda else self.fields
        arguments = [f"{k}={fields[k]}" for k in order if k in fields]
        return f"{symbol('azure.ai.ml.entities', 'Environment')}({', '.join(arguments)})"


# -- building from the v1 pieces ------------------------------------------------


def _factory(call: ast.Call, member: str, unit: Rewrite, ctx: FixContext) -> EnvPlan:
    """The fields a v1 constructor or factory gives before any attribute is set."""
    plan = EnvPlan()
    if member == "":
        bound = _bound(call, ["name"])
        plan.fields["name"] = ctx.locator.text(bound["name"])
    elif member == "from_conda_specification":
        bound = _bound(call, ["name", "file_path"])
        plan.fields["name"] = ctx.locator.text(bound["name"])
        plan.fields["conda_file"] = ctx.locator.text(bound["file_path"])
        plan.conda_spec = bound["file_path"]
    elif member == "from_pip_requirements":
        bound = _bound(call, ["name", "file_path", "pip_version"])
        plan.fields["name"] = ctx.locator.text(bound["name"])
        version = f", pip_version={ctx.locator.text(bound['pip_version'])}" if "pip_version" in bound else ""
        plan.fields["conda_file"] = f"{_PIP_CONDA}({ctx.locator.text(bound['file_path'])}{version})"
        plan.helpers[_PIP_CONDA] = _PIP_CONDA_SOURCE
    elif member in _DOCKER_FACTORIES:
        bound = _docker_factory(call, member, plan, ctx)
    else:
        raise Refused(f"Environment.{member}() is not migrated automatically")
    plan.name_node = bound["name"]
    if any(not is_pure(node) for node in bound.values()):
        raise Refused("an argument of the environment is computed by a call", RefusalKind.DATA_FLOW)
    return plan


# v1's docker factories: their own argument, and the setting it becomes (azureml-core's
# from_docker_image / from_dockerfile, which build on _from_dependencies).
_DOCKER_FACTORIES = {"from_docker_image": ("image", ("docker", "base_image")),
                     "from_dockerfile": ("dockerfile", ("docker", "base_dockerfile"))}


def _docker_factory(call: ast.Call, member: str, plan: EnvPlan, ctx: FixContext) -> dict[str, ast.expr]:
    """``from_docker_image(name, image, container_registry, conda_specification, pip_requirements)``:
    v1 built the environment from the dependency file named, or with user-managed dependencies
    when none is, and then set the image (or the Dockerfile) on it."""
    argument, setting = _DOCKER_FACTORIES[member]
    signature = ["name", argument, *(["container_registry"] if member == "from_docker_image" else []),
                 "conda_specification", "pip_requirements"]
    bound = {k: v for k, v in _bound(call, signature).items() if not is_none(v)}
    if argument not in bound:
        raise Refused(f"Environment.{member}() without a known {argument}", RefusalKind.DATA_FLOW)
    if "container_registry" in bound:
        raise Refused(_IMPOSSIBLE[("docker", "base_image_registry")], RefusalKind.IMPOSSIBLE)
    if "conda_specification" in bound and "pip_requirements" in bound:
        raise Refused("v1 raised an error when both conda_specification and pip_requirements were given",
                      RefusalKind.IMPOSSIBLE)
    plan.fields["name"] = ctx.locator.text(bound["name"])
    if "conda_specification" in bound:
        plan.fields["conda_file"] = ctx.locator.text(bound["conda_specification"])
        plan.conda_spec = bound["conda_specification"]
    elif "pip_requirements" in bound:
        plan.fields["conda_file"] = f"{_PIP_CONDA}({ctx.locator.text(bound['pip_requirements'])})"
        plan.helpers[_PIP_CONDA] = _PIP_CONDA_SOURCE
    else:
        plan.preset[("python", "user_managed_dependencies")] = ast.Constant(value=True)
    plan.preset[setting] = bound[argument]
    return bound


def _bound(call: ast.Call, signature: list[str]) -> dict[str, ast.expr]:
    bound = bind_arguments(call, signature)
    if isinstance(bound, str):
        raise Refused(bound, RefusalKind.DATA_FLOW)
    if set(bound.values) - set(signature) or signature[0] not in bound.values:
        raise Refused(f"the call passes other arguments than {', '.join(signature)}")
    return bound.values


def fold_settings(plan: EnvPlan, settings: dict[tuple[str, ...], ast.expr], unit: Rewrite, ctx: FixContext) -> None:
    """Apply ``env.<path> = value`` settings to the plan's fields; raises Refused."""
    docker = {("docker", "base_image"), ("docker", "base_dockerfile")}
    if docker & set(plan.preset) and docker & set(settings):
        raise Refused("the program sets the image or Dockerfile again after the factory set one, and v1 "
                      "then cleared the other: this fix keeps only the factory's", RefusalKind.DATA_FLOW)
    settings = {**plan.preset, **settings}
    managed = settings.get(("python", "user_managed_dependencies"))
    if managed is not None and not (isinstance(managed, ast.Constant) and isinstance(managed.value, bool)):
        raise Refused("user_managed_dependencies is not True or False", RefusalKind.DATA_FLOW)
    calls = settings.get(CONDA_CALLS)
    if isinstance(calls, ast.List):
        if ("python", "conda_dependencies") in settings or "conda_file" in plan.fields:
            raise Refused("the environment's conda dependencies are changed in place, and also set or read from a "
                          "file: this fix replays changes only on a new environment's own", RefusalKind.DATA_FLOW)
        changed = conda.changed_in_place(calls.elts, f"{plan.fields.get('name', 'env')}", ctx)  # type: ignore[arg-type]
        plan.fields["conda_file"] = changed.source()
        plan.todos.extend(changed.todos())
    for path, value in settings.items():
        if path == ("python", "conda_dependencies"):
            found = conda.conda_file(value, unit, ctx)
            plan.fields["conda_file"], plan.alive_conda = found.replaced, found.alive
            plan.todos.extend(found.todos)
            plan.alive_todos.extend(found.alive_todos)
        elif path == ("docker", "base_image"):
            plan.fields["image"] = _image(value, ctx)
        elif path == ("docker", "base_dockerfile"):
            plan.fields["build"] = _build_context(value, plan, ctx)
        elif path in (("docker", "enabled"), ("docker", "gpu_support")) and not is_pure(value):
            raise Refused(f"docker.{path[1]} is computed by a call; dropping it would skip that call")
    if plan.fields.get("image") == "None":  # docker.base_image = None
        del plan.fields["image"]
        if "build" not in plan.fields:
            raise Refused("docker.base_image = None without a Dockerfile: the environment has no image",
                          RefusalKind.IMPOSSIBLE)
    if isinstance(managed, ast.Constant) and managed.value is True:
        plan.fields.pop("conda_file", None)  # the image's own python, as v1 ran it
        plan.alive_conda = None
    elif "conda_file" not in plan.fields:
        plan.fields["conda_file"] = DEFAULT_CONDA
    if plan.conda_spec is not None and plan.fields.get("conda_file") == ctx.locator.text(plan.conda_spec):
        _pin_python(plan, plan.conda_spec, ctx)
    if "image" not in plan.fields and "build" not in plan.fields:
        plan.fields["image"] = py_str(V1_CPU_IMAGE)  # v1's DEFAULT_CPU_IMAGE; v2 needs one
    if "build" in plan.fields:
        plan.fields.pop("image", None)
        layered = " and layered its conda specification on top" if "conda_file" in plan.fields else ""
        plan.todos.append(f"{TODO} v1 built this Dockerfile as the base image{layered}; check the v2 build context")


def _pin_python(plan: EnvPlan, file_path: ast.expr, ctx: FixContext) -> None:
    """v1 pinned python when the conda file names no version (see _conda_spec): pass the file
    on as it is only where every copy found pins it."""
    text = known_str(ctx, file_path)
    context = ctx.analysis.context
    program = getattr(context, "path", None)
    root = project.root_for(program, context.settings) if program is not None else None  # type: ignore[union-attr]
    pinned = None if _names_it_elsewhere(ctx, text) else _conda_spec.pins_python(text, program, root)
    if pinned:
        return
    plan.fields["conda_file"] = f"{_conda_spec.HELPER}({ctx.locator.text(file_path)})"
    plan.helpers[_conda_spec.HELPER] = _conda_spec.HELPER_SOURCE
    if pinned is False:
        plan.todos.append(_conda_spec.TODO.format(file=text))


def _names_it_elsewhere(ctx: FixContext, file_path: str | None) -> bool:
    """Does the program name the conda file other than to read it with ``from_conda_specification``
    (it may write or download the file before v1 reads it: ``open("myenv.yml", "w")``,
    ``best_run.download_file(..., "myenv.yml")``, a notebook's ``%%writefile`` or ``!wget``)?  The
    copy on disk then tells nothing of what v1 read (audit: a stale file pinned another python)."""
    if file_path is None:
        return True
    name = posixpath.basename(file_path.replace("\\", "/"))
    key = f"environment:conda file named elsewhere:{name}"  # one walk per file name, not per environment
    if key not in ctx.cache:
        ctx.cache[key] = _named_elsewhere(ctx, name)
    return bool(ctx.cache[key])


def _named_elsewhere(ctx: FixContext, name: str) -> bool:
    read = elsewhere = 0
    for node in all_nodes(ctx.model.tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and name in node.value:
            holder = ctx.parent(node)
            call = ctx.parent(holder) if isinstance(holder, ast.keyword) else holder
            if isinstance(call, ast.Call) and ctx.callee(call) == f"{ENVIRONMENT}.from_conda_specification":
                read += 1
            else:
                elsewhere += 1
    if elsewhere:
        return True
    program = getattr(ctx.analysis.context, "path", None)
    if program is None or Path(program).suffix != ".ipynb":
        return ctx.text.count(name) > read
    try:  # (a notebook's magics and other cells are not in its code: its own bytes are)
        return Path(program).read_bytes().count(name.encode()) > read
    except OSError:
        return True


def _build_context(value: ast.expr, plan: EnvPlan, ctx: FixContext) -> str:
    """``base_dockerfile = "<path>"`` -> the folder as a build context, the file named in it."""
    path = known_str(ctx, value)
    if path is None:
        raise Refused("base_dockerfile is not a known string", RefusalKind.DATA_FLOW)
    if "\n" in path or path.lstrip().upper().startswith("FROM "):
        raise Refused("base_dockerfile holds Dockerfile text: write it to a folder and use BuildContext(path=...)")
    folder, name = posixpath.split(path.replace("\\", "/"))
    context = symbol("azure.ai.ml.entities", "BuildContext")
    tail = "" if name == "Dockerfile" else f", dockerfile_path={py_str(name)}"
    return f"{context}(path={py_str(folder or '.')}{tail})"


# -- the uses of a v1 environment ---------------------------------------------------


def settings_of(binding: Binding, ctx: FixContext, folded: set[tuple[str, ...]],
                prefix: tuple[str, ...] = ()) -> tuple[dict[tuple[str, ...], ast.expr], list[tuple[ast.Name, ast.Assign]]]:
    """``x.<prefix>.<path> = value`` statements right after ``x`` is built, in its block, before
    any other use, for the paths in ``folded``; raises Refused for settings v2 cannot take."""
    block = ctx.block_of(binding.node)  # type: ignore[arg-type]
    settings: dict[tuple[str, ...], ast.expr] = {}
    configs: list[tuple[ast.Name, ast.Assign]] = []
    other: ast.Name | None = None
    read: dict[tuple[str, ...], ast.Name] = {}  # paths read (``_READS``) before the last setting
    for use in sorted(binding.uses, key=lambda u: (u.lineno, u.col_offset)):
        path, outer = attribute_path(ctx, use)
        statement = ctx.parent(outer)
        assigned = isinstance(statement, ast.Assign) and statement.targets == [outer]
        item = _item_set(outer, ctx)
        if item is not None and path[len(prefix):] + (_ITEM,) in folded:
            outer, statement, assigned = ctx.parent(outer), item, True  # ``x.<path>["KEY"] = value``
            path = path + (_ITEM, item.targets[0].slice.value)  # type: ignore[attr-defined]
        if path[:len(prefix)] != prefix:
            other = other or use
            continue
        local = path[len(prefix):]
        if not assigned and not prefix and local in _READS:
            read.setdefault(local, use)  # what it reads stays as read unless this path is set later
            continue
        if assigned and local in read:
            raise Refused(f"`{binding.name}` is used at {line_ref(read[local].lineno)} before all its settings are made",
                          RefusalKind.DATA_FLOW)
        if local[-1:] == ("environment_variables",) and local not in folded:
            raise Refused(f"`{snippet(ctx.locator, outer)}`: {_VARIABLES}")
        if not assigned and _changes_conda(local, outer, statement, folded, ctx):
            if other is not None or block is None or ctx.parent(statement) not in block:
                raise Refused(f"`{snippet(ctx.locator, outer)}(...)` is not a statement right after "
                              f"`{binding.name}` is built, in its block", RefusalKind.DATA_FLOW)
            calls = settings.setdefault(CONDA_CALLS, ast.List(elts=[], ctx=ast.Load()))
            calls.elts.append(statement)  # type: ignore[attr-defined]
            configs.append((use, ctx.parent(statement)))  # type: ignore[arg-type]
            continue
        if not assigned:
            if len(local) > 1:
                raise Refused(f"`{snippet(ctx.locator, outer)}` reaches into the {'.'.join((binding.name, *prefix))} "
                              "in a way this fix does not follow", RefusalKind.DATA_FLOW)
            other = other or use
            continue
        for impossible, reason in _IMPOSSIBLE.items():
            if local[:len(impossible)] == impossible:
                raise Refused(f"`{snippet(ctx.locator, outer)}`: {reason}", RefusalKind.IMPOSSIBLE)
        if local not in folded and local[:-1] not in folded:
            raise Refused(f"`{snippet(ctx.locator, outer)}` has no mechanical v2 equivalent")
        if other is not None:
            raise Refused(f"`{binding.name}` is used at {line_ref(other.lineno)} before all its settings are made",
                          RefusalKind.DATA_FLOW)
        if block is None or statement not in block:
            raise Refused(f"`{snippet(ctx.locator, outer)}` is not in the block where `{binding.name}` is built",
                          RefusalKind.DATA_FLOW)
        settings[local] = statement.value  # type: ignore[union-attr]
        configs.append((use, statement))  # type: ignore[arg-type]
    return settings, configs


# The calls a new environment's own conda dependencies get (``env.python.conda_dependencies.add_pip_package(...)``),
# gathered in order under this key of the settings.
CONDA_CALLS = ("python", "conda_dependencies", "()")


def _changes_conda(local: tuple[str, ...], outer: ast.expr, statement: ast.AST | None, folded: set[tuple[str, ...]],
                   ctx: FixContext) -> bool:
    """``env.python.conda_dependencies.add_pip_package("x")`` as a statement of its own (audit x)."""
    return (local[:-1] == ("python", "conda_dependencies") and local[:-1] in folded and conda.is_change(local[-1])
            and isinstance(statement, ast.Call) and statement.func is outer and isinstance(ctx.parent(statement), ast.Expr))


def _item_set(outer: ast.expr, ctx: FixContext) -> ast.Assign | None:
    """The statement ``outer["KEY"] = value`` (one target, a literal string key), or None."""
    subscript = ctx.parent(outer)
    statement = ctx.parent(subscript) if isinstance(subscript, ast.Subscript) else None
    if (isinstance(statement, ast.Assign) and statement.targets == [subscript]
            and constant_str(subscript.slice) is not None):  # type: ignore[union-attr]
        return statement
    return None


def job_variables(binding: Binding, ctx: FixContext) -> str | None:
    """The environment variables ``env.environment_variables`` gives the environment ``binding``
    holds, as the source of the dict a v2 job takes instead (mapping-extension 1.4; v1's default
    ``EXAMPLE_ENV_VAR`` is dropped, as 1.1 says), or None when none is set; raises Refused when
    they cannot move to the jobs (a value that may be another by the time the job is made)."""
    settings, configs = settings_of(binding, ctx, _FOLDED)
    whole = settings.get(_VARIABLES_PATH)
    items = {path[-1]: value for path, value in settings.items() if path[:-1] == (*_VARIABLES_PATH, _ITEM)}
    if whole is None and not items:
        return None
    if whole is not None and (items or not isinstance(whole, ast.Dict) or None in whole.keys):
        raise Refused(f"`{binding.name}.environment_variables` is set to a value other than a dict written out: "
                      f"{_VARIABLES}", RefusalKind.DATA_FLOW)
    pairs = list(zip(whole.keys, whole.values)) if whole is not None else []  # type: ignore[arg-type]
    for key, value in pairs:
        if constant_str(key) is None:
            raise Refused(f"`{binding.name}.environment_variables` has a key that is not a literal string: {_VARIABLES}",
                          RefusalKind.DATA_FLOW)
    last = max((s.lineno for _, s in configs), default=binding.node.lineno)  # type: ignore[attr-defined]
    for value in [v for _, v in pairs] + list(items.values()):
        if not holds_from(value, last, ctx):
            raise Refused(f"`{binding.name}.environment_variables` takes `{snippet(ctx.locator, value)}`, which may be "
                          f"another value where the job is made: {_VARIABLES}", RefusalKind.DATA_FLOW)
    if whole is not None:
        return ctx.locator.text(whole)
    return "{" + ", ".join(f"{py_str(key)}: {ctx.locator.text(value)}" for key, value in items.items()) + "}"


def _image(value: ast.expr, ctx: FixContext) -> str:
    """The image source: v1's ``DEFAULT_CPU_IMAGE``/``DEFAULT_GPU_IMAGE`` as the strings they hold,
    so the migrated program needs no azureml-core for them (audit, stop 64, lot d L2)."""
    qualname = ctx.reference(value) or ""
    constant = qualname.rsplit(".", 1)[-1]
    if qualname.startswith("azureml.core.") and constant in V1_IMAGES:
        return py_str(V1_IMAGES[constant])
    return ctx.locator.text(value)


def job_interpreter(binding: Binding, ctx: FixContext) -> str | None:
    """The interpreter a user-managed environment names (``env.python.interpreter_path``), which
    a v2 job's command starts with instead of ``python`` (mapping-extension 1.4, BP); None when
    none is set, or when v1 ignored it (its own conda environment's python ran the script)."""
    settings, _ = settings_of(binding, ctx, _FOLDED)
    path = settings.get(_INTERPRETER)
    if path is None:
        return None
    managed = settings.get(("python", "user_managed_dependencies"))
    built = getattr(binding.node, "value", None)
    if managed is None and not (isinstance(built, ast.Call) and ctx.callee(built) == ENVIRONMENT):
        raise Refused(f"`{binding.name}.python.interpreter_path` is set on an environment a factory made, whose "
                      "dependencies this fix does not know to be user-managed", RefusalKind.DATA_FLOW)
    if not (isinstance(managed, ast.Constant) and managed.value is True):
        return None
    text = known_str(ctx, path)
    if text is None:
        raise Refused(f"`{binding.name}.python.interpreter_path` is not a literal path", RefusalKind.DATA_FLOW)
    return text


_INTERPRETER_MOVES = ("v2 starts the job's command with the interpreter, not the environment: this fix moves it "
                      "to a ScriptRunConfig's job only")


def _only_jobs_take(binding: Binding, plan: EnvPlan, ctx: FixContext, what: str = "the environment variables it sets",
                    why: str = _VARIABLES) -> None:
    """Every use of an environment whose variables move to the jobs is a ``ScriptRunConfig``'s
    ``environment=`` keyword, whose job takes them; raises Refused for any other (a registration, a
    deployment, a run configuration: what they would run without the variables)."""
    settings = {id(use) for use, _ in plan.configs}
    for use in binding.uses:
        if id(use) in settings:
            continue
        parent = ctx.parent(use)
        call = ctx.parent(parent) if isinstance(parent, ast.keyword) else parent
        taken = (isinstance(call, ast.Call) and ctx.callee(call) == SCRIPT_RUN_CONFIG
                 and isinstance(parent, ast.keyword) and parent.arg == "environment")
        if not taken:
            raise Refused(f"`{binding.name}` is also used at {line_ref(use.lineno)} "
                          f"(`{snippet(ctx.locator, parent if isinstance(parent, ast.expr) else use)}`), which would "
                          f"run without {what}: {why}", RefusalKind.DATA_FLOW)


def holds_from(value: ast.expr, set_at: int, ctx: FixContext) -> bool:
    """A value read later is the value it had at line ``set_at``: a literal, or names that nothing
    binds again after that line, and attributes of them that the module never sets."""
    for node in ast.walk(value):
        if isinstance(node, ast.Name):
            if any(getattr(b.node, "lineno", 0) >= set_at or b.conditional for b in ctx.bindings_named(node.id)):
                return False
        elif isinstance(node, ast.Attribute):
            if {node.attr, "*"} & _attributes_set(ctx):
                return False
        elif not isinstance(node, (ast.Constant, ast.JoinedStr, ast.FormattedValue, ast.Load, ast.BinOp, ast.operator)):
            return False
    return True


def _attributes_set(ctx: FixContext) -> set[str]:
    """The attribute names the module assigns anywhere (``x.a = ...``); ``*`` when it calls ``setattr``."""
    if "attributes_set" not in ctx.cache:
        found: set[str] = set()
        for node in all_nodes(ctx.model.tree):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, (ast.AugAssign, ast.AnnAssign)) else []
            found.update(t.attr for target in targets for t in ast.walk(target) if isinstance(t, ast.Attribute))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                found.add("*")
        ctx.cache["attributes_set"] = found
    return ctx.cache["attributes_set"]  # type: ignore[return-value]


def _read_where_set(binding: Binding, configs: list, ctx: FixContext) -> None:
    """A setting whose value reads what other code may change (an item, an environment variable)
    moves to where the environment is built only when nothing else runs
    between the two; raises Refused (adversarial review: os.environ["IMAGE"] was read above the
    line that set it)."""
    statement = binding.node
    assert isinstance(statement, ast.stmt)
    settings = {id(s) for _, s in configs}
    for _, setting in configs:
        if not _may_change(setting.value, ctx):
            continue
        current: ast.stmt | None = statement
        while current is not None and current is not setting:
            current = ctx.next_statement(current)
            if current is not None and current is not setting and id(current) not in settings:
                raise Refused(f"the setting at {line_ref(setting.lineno)} reads a value that "
                              f"{line_ref(current.lineno)} may change before it: the environment would be built "
                              "with the value from before", RefusalKind.DATA_FLOW)
        if current is None:
            raise Refused(f"the setting at {line_ref(setting.lineno)} is in another block than the environment and "
                          "reads a value that may change before it", RefusalKind.DATA_FLOW)
        between = ctx.text[ctx.locator.end(statement):ctx.locator.start(setting)]
        if any(marker in between for marker in ctx.anchored):  # a notebook's cell, or a magic such as %env
            raise Refused(f"the setting at {line_ref(setting.lineno)} reads a value that may change before it, "
                          "in code this fix does not see", RefusalKind.DATA_FLOW)


def _may_change(value: ast.expr, ctx: FixContext) -> bool:
    """Does ``value`` read an item or call something (but a v1 constructor, which the fix reads as
    written, other than one that reads a file)?  A variable is read where its value is known: one set after the environment is made
    builds it where the last setting is (:func:`_defined_before`)."""
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and ctx.callee(node) == conda.CONDA_DEPENDENCIES and (node.args or node.keywords):
            return True  # CondaDependencies(path) reads a file, which code or a cell between may write (review 58b)
        if isinstance(node, ast.Call) and (ctx.callee(node) or "").startswith("azureml."):
            continue
        if isinstance(node, (ast.Subscript, ast.Call)):
            return True
    return False


def _defined_before(value: ast.expr, statement: ast.stmt, ctx: FixContext) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.Name):
            binding = ctx.binding_of(node)
            if binding is not None and getattr(binding.node, "lineno", 0) >= statement.lineno:
                return False
    return True


def _called(use: ast.Name, ctx: FixContext) -> bool:
    read = ctx.parent(use)
    outer = ctx.parent(read) if read is not None else None
    return isinstance(outer, ast.Call) and outer.func is read


def _register(use: ast.Name, name: ast.expr | None, unit: Rewrite, ctx: FixContext) -> bool:
    """``env.register(ws)`` -> ``ml_client.environments.create_or_update(env)``; False (the
    registration stays v1) when v1 code reads the environment back by its ``name``."""
    parent = ctx.parent(use)
    call = ctx.parent(parent) if parent is not None else None
    if not (isinstance(parent, ast.Attribute) and parent.attr == "register" and isinstance(call, ast.Call)
            and call.func is parent):
        return False
    bound = bind_arguments(call, ["workspace"])
    workspace = bound.values.get("workspace") if not isinstance(bound, str) else None
    if workspace is None or set(bound.values) != {"workspace"} or workspace_binding(ctx, workspace) is None:  # type: ignore[union-attr]
        raise Refused("env.register() does not name a Workspace variable this fix migrates", RefusalKind.DATA_FLOW)
    if not isinstance(ctx.parent(call), (ast.Expr, ast.Assign)):
        raise Refused("the registered environment is used as a value this fix cannot follow", RefusalKind.DATA_FLOW)
    reader = v1_reader(ENVIRONMENT_ASSET, name, ctx)
    if reader is not None:  # it stays registered the v1 way, and a v2 one is built beside it
        ctx.why_not[id(use)] = f"{reader} reads the environment with v1, which cannot use one registered with v2"
        return False
    client = ctx.counterpart(ctx.binding_of(workspace))  # type: ignore[arg-type]
    unit.consumes.append(workspace)  # type: ignore[arg-type]
    unit.edits.append(statements.replace(ctx.locator, call, f"{client}.environments.create_or_update({use.id})"))
    unit.own_uses.add(id(use))
    return True


def _uses(binding: Binding, plan: EnvPlan, unit: Rewrite, ctx: FixContext) -> bool:
    """Translate the uses v2 writes alike; True when the environment is registered."""
    done = {id(use) for use, _ in plan.configs}
    last = plan.configs[-1][1].lineno if plan.configs else binding.node.lineno  # type: ignore[attr-defined]
    moved = not all(_defined_before(s.value, binding.node, ctx) for _, s in plan.configs)  # type: ignore[arg-type]
    registered = False
    for use in binding.uses:
        if id(use) in done:
            continue
        path, outer = attribute_path(ctx, use)
        if path in _READS and not _called(use, ctx):
            field = _READS[path]
            if field not in plan.fields:
                raise Refused(f"`{snippet(ctx.locator, outer)}` is read, and the v2 environment has no {field}")
            if moved and use.lineno < last:
                raise Refused(f"`{binding.name}` is used at {line_ref(use.lineno)} before all its settings are made",
                              RefusalKind.DATA_FLOW)
            unit.edits.append(statements.replace(ctx.locator, outer, f"{use.id}.{field}"))
            unit.own_uses.add(id(use))
        elif path[:1] == ("register",):
            registered = _register(use, plan.name_node, unit, ctx) or registered
        elif path == ("name",) and not _called(use, ctx):
            registered = True  # the name is read: keep it, and the v2 environment answers alike
            unit.own_uses.add(id(use))
    return registered


# -- the rewrites --------------------------------------------------------------------


def _built(site_call: ast.Call, member: str, binding: Binding, ctx: FixContext) -> Rewrite:
    unit = Rewrite("AML021", site_call, f"Environment{'.' + member if member else ''}() -> v2 Environment",
                   binding=binding)
    try:
        plan = _factory(site_call, member, unit, ctx)
        settings, plan.configs = settings_of(binding, ctx, _FOLDED)
        if job_variables(binding, ctx) is not None:
            _only_jobs_take(binding, plan, ctx)
        if job_interpreter(binding, ctx) is not None:
            _only_jobs_take(binding, plan, ctx, "the interpreter it names", _INTERPRETER_MOVES)
        _read_where_set(binding, plan.configs, ctx)
        fold_settings(plan, settings, unit, ctx)
        keep_name = _uses(binding, plan, unit, ctx)
    except Refused as reason:
        unit.findings.extend(_inline_condas(binding, ctx))
        return unit.refuse(str(reason), reason.kind)
    name = plan.fields.pop("name")
    if keep_name:
        plan.fields["name"] = name
    else:
        unit.notes.append(f"dropped name={name}: an inline v2 environment is anonymous")
    unit.helpers.update(plan.helpers)
    statement = binding.node
    assert isinstance(statement, ast.Assign)
    last = plan.configs[-1][1] if plan.configs else statement
    source = plan.source()
    if all(_defined_before(s.value, statement, ctx) for _, s in plan.configs):
        unit.edits.append(statements.replace(ctx.locator, site_call, source))
        anchor: ast.stmt = statement
        for _, setting in plan.configs:
            unit.edits.extend(ctx.delete_into(setting, statement))
    else:  # the settings name values defined after the constructor: build it where they are all known
        unit.edits.extend(ctx.delete_into(statement, last))
        unit.edits.extend(ctx.delete(s) for _, s in plan.configs[:-1])
        unit.edits.append(statements.replace(ctx.locator, last, f"{binding.name} = {source}"))
        anchor = last
    unit.own_uses.update(id(use) for use, _ in plan.configs)
    if plan.todos:
        unit.edits.extend(statements.insert_before(ctx.locator, anchor, plan.todos))
        unit.todos.extend(plan.todos)
    _alive(unit, binding, last, plan.source(alive=True), [*plan.alive_todos, *plan.todos], ctx)
    return unit


def _inline_condas(binding: Binding, ctx: FixContext) -> list[tuple[str, ast.AST]]:
    """``env.python.conda_dependencies = CondaDependencies.create(...)``: a conda call written in
    a setting goes only with its environment, so a refused environment says why it stays (audit:
    "this form is not migrated automatically" for a form that is)."""
    found: list[tuple[str, ast.AST]] = []
    for use in binding.uses:
        statement = ctx.statement_of(use)
        value = statement.value if isinstance(statement, ast.Assign) else None
        if (isinstance(value, ast.Call) and ctx.callee(value) in (conda.CREATE, conda.CONDA_DEPENDENCIES)
                and any(use in ast.walk(target) for target in statement.targets)):  # type: ignore[union-attr]
            found.append(("AML008", value))
    return found


def _alive(unit: Rewrite, binding: Binding, last: ast.stmt, source: str, todos: list[str], ctx: FixContext) -> None:
    """Kept for v1 code that still needs it: the v2 environment is built beside it."""
    name = ctx.fresh_name(f"{binding.name}_v2")
    unit.counterpart = binding.name
    unit.alive_counterpart = name
    unit.alive_edits = statements.insert_after(ctx.locator, last, [*todos, f"{name} = {source}"])
    unit.alive_description = "Environment kept for the v1 code that still uses it; the v2 one built beside it"
    unit.must_keep_alive = ctx.is_imported_elsewhere(binding)


def _reference(name: ast.expr, version: ast.expr | None, label: ast.expr | None, ctx: FixContext) -> tuple[str, list[str]]:
    """``"azureml:<name>@latest"`` / ``"azureml:<name>:<version>"``, and a TODO for a retired curated name."""
    text = known_str(ctx, name)
    if text is None:
        raise Refused("the environment name is not a known string", RefusalKind.DATA_FLOW)
    if version is not None and not (isinstance(version, ast.Constant) and version.value is None):
        if not (isinstance(version, ast.Constant) and isinstance(version.value, (str, int))):
            raise Refused("the environment version is not a literal", RefusalKind.DATA_FLOW)
        reference = f"azureml:{text}:{version.value}"
    elif label is not None:
        tag = constant_str(label)
        if tag is None:
            raise Refused("the environment label is not a literal string", RefusalKind.DATA_FLOW)
        reference = f"azureml:{text}@{tag}"
    else:
        reference = f"azureml:{text}@latest"
    todos = []
    if text.startswith("AzureML-"):
        todos.append(f"{TODO} v1's curated environments are retired: check that {text} still exists in the "
                     "workspace, or pick a current curated environment")
    return py_str(reference), todos


def _registered(node: ast.expr, reference: str, todos: list[str], workspace: ast.expr, unit: Rewrite,
                binding: Binding | None, ctx: FixContext) -> Rewrite:
    """A registered environment as its reference string, for the jobs that use it."""
    if workspace_binding(ctx, workspace) is None:
        return unit.refuse(not_a_workspace(ctx, workspace, "the environment's"),
                           RefusalKind.DATA_FLOW)
    guarded = handlers.lookup_no_longer_fails(node, ctx) if binding is not None else None
    if guarded is not None:  # (used inline, it is resolved where it is used, in the same ``try``)
        return unit.refuse(guarded, RefusalKind.DATA_FLOW)
    if binding is not None and not binding.uses and reference not in ctx.text and not ctx.is_imported_elsewhere(binding):
        # (audit 57) v1's lookup raised for a missing environment or version; a string checks nothing.
        # (Its uses may have moved already: the jobs an earlier pass migrated hold the reference.)
        return unit.refuse("nothing uses the fetched environment, so its lookup only checked that it exists, "
                           "which a reference string does not: use ml_client.environments.get() by hand",
                           RefusalKind.DATA_FLOW)
    unit.consumes.append(workspace)  # type: ignore[arg-type]
    unit.uses_counterpart = unit.use_has_effect = False  # a reference string needs no client: a lookup goes
    for use in binding.uses if binding is not None else []:
        path, outer = attribute_path(ctx, use)
        statement = ctx.parent(outer)
        if len(path) > 1 or (isinstance(statement, ast.Assign) and outer in statement.targets):
            return unit.refuse(f"`{snippet(ctx.locator, outer)}` changes the fetched environment: "
                               "the registered one would no longer be what the job runs", RefusalKind.DATA_FLOW)
    statement = ctx.statement_of(node)
    setting = _run_configuration_setting(node, ctx) if binding is None else None
    if setting is not None:  # the run configuration's jobs write the reference, and its setting goes
        unit.requires.append(setting)
        return unit
    unit.edits.append(statements.replace(ctx.locator, node, reference))
    if todos:
        unit.edits.extend(statements.insert_before(ctx.locator, statement, todos))
        unit.todos.extend(todos)
    if binding is None:
        _consumed_inline(node, unit, ctx)
        return unit
    unit.counterpart = binding.name
    unit.alive_counterpart = reference
    unit.alive_edits = statements.insert_before(ctx.locator, statement, todos) if todos else []
    unit.alive_description = "Environment kept for the v1 code that still uses it; the jobs name it by reference"
    unit.must_keep_alive = ctx.is_imported_elsewhere(binding)
    return unit


def registered_reference(call: ast.Call, ctx: FixContext) -> tuple[str, list[str], ast.expr]:
    """``Environment.get(ws, name, version=, label=)``: its reference string, the TODOs it asks
    for, and its workspace; raises Refused."""
    bound = bind_arguments(call, ["workspace", "name", "version", "label"])
    if isinstance(bound, str) or set(bound.values) - {"workspace", "name", "version", "label"} or not {
            "workspace", "name"} <= set(bound.values):
        raise Refused("Environment.get() without a workspace and a name, or with unknown arguments")
    values = bound.values
    reference, todos = _reference(values["name"], values.get("version"), values.get("label"), ctx)
    return reference, todos, values["workspace"]


def _get(call: ast.Call, unit: Rewrite, ctx: FixContext) -> Rewrite:
    try:
        reference, todos, workspace = registered_reference(call, ctx)
    except Refused as reason:
        return unit.refuse(str(reason), reason.kind)
    return _registered(call, reference, todos, workspace, unit, unit.binding, ctx)


def _run_configuration_setting(call: ast.expr, ctx: FixContext) -> ast.Call | None:
    """``rc.environment = Environment.get(...)`` on ``rc = RunConfiguration()``: the run
    configuration's call, whose jobs take the environment (audits a, f and g, stop 63)."""
    from .runconfig import run_configuration_binding

    statement = ctx.parent(call)
    target = statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
    if not (isinstance(target, ast.Attribute) and target.attr == "environment" and statement.value is call):
        return None
    binding = run_configuration_binding(ctx, target.value)
    return binding.node.value if binding is not None else None  # type: ignore[attr-defined]


def _consumed_inline(call: ast.expr, unit: Rewrite, ctx: FixContext) -> None:
    """An environment written inline is rewritten only together with the call it is
    passed to: a v2 environment handed to a v1 constructor would break it."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.keyword):
        parent = ctx.parent(parent)
    if isinstance(parent, ast.Call) and parent.func is not call:
        unit.requires.append(parent)
        return
    unit.refuse("the environment is not assigned to a variable or passed to a call this fix migrates",
                RefusalKind.DATA_FLOW)


def _workspace_items(ctx: FixContext) -> Iterator[Rewrite]:
    """``env = ws.environments["n"]``: the latest version of a registered environment."""
    for binding, value, workspace in workspace_items(ctx, "environments"):
        unit = Rewrite("AML021", value, "ws.environments[name] -> azureml:<name>@latest", binding=binding)
        unit.findings = []  # no finding of its own: the workspace's use is what it migrates
        try:
            reference, todos = _reference(value.slice, None, None, ctx)
        except Refused as reason:
            yield unit.refuse(str(reason), reason.kind)
            continue
        yield _registered(value, reference, todos, workspace, unit, binding, ctx)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Every v1 environment the program builds, fetches or registers (see the module's docstring)."""
    for site in ctx.model.calls:
        callee = site.callee
        if not isinstance(callee, Ref) or not (callee.qualname == ENVIRONMENT or callee.qualname.startswith(ENVIRONMENT + ".")):
            continue
        member = callee.qualname[len(ENVIRONMENT) + 1:]
        binding = ctx.assigned_binding(site.node)
        if member == "get":
            yield _get(site.node, Rewrite("AML021", site.node, "Environment.get() -> azureml:<name> reference",
                                          binding=binding), ctx)
        elif binding is not None and binding.conditional:
            yield Rewrite("AML021", site.node, "v1 Environment -> v2").refuse(
                binding.conditional_detail(), RefusalKind.DATA_FLOW)
        elif binding is not None:
            yield _built(site.node, member, binding, ctx)
        elif member in ("from_conda_specification", "from_pip_requirements", *_DOCKER_FACTORIES):
            unit = Rewrite("AML021", site.node, f"Environment.{member}() -> v2 Environment")
            try:
                plan = _factory(site.node, member, unit, ctx)
                fold_settings(plan, {}, unit, ctx)
            except Refused as reason:
                yield unit.refuse(str(reason), reason.kind)
                continue
            plan.fields.pop("name")
            unit.helpers.update(plan.helpers)
            unit.edits.append(statements.replace(ctx.locator, site.node, plan.source()))
            if plan.todos:
                unit.edits.extend(statements.insert_before(ctx.locator, ctx.statement_of(site.node), plan.todos))
                unit.todos.extend(plan.todos)
            _consumed_inline(site.node, unit, ctx)
            yield unit
    yield from _workspace_items(ctx)
