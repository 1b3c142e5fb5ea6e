"""The migration for AML002: ``ScriptRunConfig(...)`` becomes ``command(...)``.

The parameter map is the spec below (mapping.md 4.1): the script and its
arguments become one shell command with typed inputs and outputs, the compute
and environment keep their meaning, and ``cfg.run_config.environment = env``
or ``.target = ...`` after the call fold into it.
"""

from __future__ import annotations

import ast
import shlex
from collections.abc import Iterator

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, constant_str, known_str, py_str
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.specs import (
    Argument,
    Build,
    CallSpec,
    Default,
    Drop,
    Fold,
    Keep,
    Map,
    Refuse,
    Refused,
    apply_call_spec,
)
from ..engine.names import Binding, Const, Instance
from . import commandline, compute_target, distribution, hyperdrive, hyperdrive_step, runconfig
from ._common import attribute_path, workspace_binding
from ._defaults import default_environment, default_environment_name
from .environment import job_interpreter, job_variables
from ._job_logging import environment_has_mlflow, environment_todo, script_logs
from ._once import read_once
from .injob._shared import is_pure
from .injob.values import STRING, argparse_option

SCRIPT_RUN_CONFIG = "azureml.core.ScriptRunConfig"
ENVIRONMENT = "azureml.core.Environment"
V1_DEFAULT_TIMEOUT = 2592000
LOCAL_TODO = ("# TODO(azureml-v2): AML002 v2 local jobs always run the environment's image in Docker "
              "(v1 did only with use_docker=True; without Docker it ran on this machine, with its packages)")
LOCAL_DEFAULT_TODO = ("v1 ran this config locally (it names no compute_target); v2 local jobs always run the "
                      "environment's image in Docker (v1 did only with use_docker=True; without Docker it ran on "
                      "this machine, with its packages)")


def compute_name(argument: Argument) -> str:
    """A compute target as v2 names it: a string stays (``"local"`` with its TODO), a v1 compute
    object gives its name (its use is taken over where the compute itself migrates), and
    ``ws.compute_targets[n]`` is ``n``."""
    node, ctx = argument.node, argument.ctx
    if isinstance(argument.value, Const):
        if argument.value.value == "local":
            _local_todo(argument)
        return argument.text
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "compute_targets":
        workspace = node.value.value
        if isinstance(workspace, ast.Name) and workspace_binding(ctx, workspace) is not None:
            argument.rewrite.consumes.append(workspace)
            return ctx.locator.text(node.slice)
    if compute_target.is_compute_object(argument.value):
        if isinstance(node, ast.Name) and ctx.may_hold_another_value(node, compute_target.is_compute_object):
            raise Refused(f"`{node.id}` may also hold something other than a compute target", RefusalKind.DATA_FLOW)
        if isinstance(node, ast.Name) and compute_target.migrates(ctx, ctx.binding_of(node)):
            argument.rewrite.consumes.append(node)
        return f"{argument.text}.name"
    if isinstance(node, ast.Attribute) and node.attr == "name" and compute_target.names_compute_object(node.value, ctx):
        return argument.text
    options = argparse_option(ctx)
    if (argument.rewrite.code in _CLI_COMPUTES and isinstance(node, ast.Attribute)
            and options.kind_of(ctx, node) == STRING):
        # a command-line option that always holds a string: the compute's name (audit, stop 63, e M1),
        # "local" too where the command line may give it (an estimator ran "local" in Docker, as v2 does)
        if options.may_be(ctx, node, "local") and argument.rewrite.code == "AML002":
            _local_todo(argument)
        elif options.may_be(ctx, node, "local") and "environment_definition" in argument.siblings:
            raise Refused(f"compute_target={argument.text} may be 'local', where v1 ran the environment_definition "
                          "on this machine unless it enabled Docker", RefusalKind.DATA_FLOW)
        return argument.text
    raise Refused(f"compute_target `{snippet(ctx.locator, node)}` has a type this fix cannot know",
                  RefusalKind.DATA_FLOW)


# The jobs whose compute a command-line option may name: ScriptRunConfig and the estimators (AutoML has
# no local runs in v2, so a name that may be "local" stays for it).
_CLI_COMPUTES = ("AML002", "AML009")


def _local_todo(argument: Argument) -> None:
    """``compute_target="local"`` (D+T): v2's local jobs need Docker."""
    argument.rewrite.edits.extend(statements.insert_before(argument.ctx.locator, argument.statement, [LOCAL_TODO]))
    argument.rewrite.todos.append(LOCAL_TODO)


def _mlflow_todo(argument: Argument) -> None:
    """An environment this fix did not write, of a job whose script logs with MLflow once
    migrated, and which is not seen to install mlflow: said where it is given (job_logging)."""
    ctx, siblings = argument.ctx, argument.siblings
    script = known_str(ctx, siblings["script"].node) if "script" in siblings else None
    folder = known_str(ctx, siblings["source_directory"].node) if "source_directory" in siblings else None
    if script is None or not script_logs(ctx, folder, script) or environment_has_mlflow(argument.node, ctx):
        return
    todo = environment_todo("AML002", script)
    argument.rewrite.edits.extend(statements.insert_before(ctx.locator, argument.statement, [todo]))
    argument.rewrite.todos.append(todo)


def _default_environment(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> str:
    """v1's default environment, written out; with mlflow when the script logs with it once migrated."""
    script = arguments.get("script")
    folder = arguments.get("source_directory")
    logs = script is not None and script_logs(ctx, known_str(ctx, folder.node) if folder is not None else None,
                                              known_str(ctx, script.node))
    rewrite.helpers.update(default_environment("AML002", mlflow=logs))
    return default_environment_name(logs)


def _is_none(node: ast.expr, ctx: FixContext) -> bool:
    """``None``, or a variable assigned only ``None`` (v1 then used its default environment)."""
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None and not binding.conditional else None
        if not isinstance(statement, ast.Assign) or len(ctx.bindings_named(node.id)) != 1:
            return False
        node = statement.value
    return isinstance(node, ast.Constant) and node.value is None


def environment(argument: Argument) -> str:
    """A v1 environment the program builds is migrated with it (its rewrite comes along);
    ``environment=None`` is v1's default environment."""
    if _is_none(argument.node, argument.ctx):
        return _default_environment(argument.siblings, argument.ctx, argument.rewrite)
    if isinstance(argument.value, Const):
        _mlflow_todo(argument)
        return argument.text
    if isinstance(argument.value, Instance) and argument.value.type == ENVIRONMENT:
        _mlflow_todo(argument)
        if isinstance(argument.node, ast.Name):
            if argument.ctx.may_hold_another_value(argument.node):
                raise Refused(f"`{argument.node.id}` may also hold something other than an environment",
                              RefusalKind.DATA_FLOW)
            argument.rewrite.consumes.append(argument.node)
            binding = argument.ctx.binding_of(argument.node)
            return argument.ctx.counterpart(binding) if binding is not None else argument.text
        if isinstance(argument.node, ast.Call):
            argument.rewrite.requires.append(argument.node)
            return argument.text
        raise Refused("the environment expression is too complex to follow", RefusalKind.DATA_FLOW)
    raise Refused(f"environment `{snippet(argument.ctx.locator, argument.node)}` has a type this fix cannot know",
                  RefusalKind.DATA_FLOW)


def environment_variables(argument: Argument | None) -> list[str]:
    """The ``environment_variables=`` of a v1 environment the program builds and sets them on,
    which a v2 job takes itself (mapping-extension 1.4); none for another environment."""
    if (argument is None or _run_config_wins(argument) or not isinstance(argument.node, ast.Name)
            or not (isinstance(argument.value, Instance) and argument.value.type == ENVIRONMENT)):
        return []
    binding = argument.ctx.binding_of(argument.node)
    try:
        variables = job_variables(binding, argument.ctx) if binding is not None else None
    except Refused:  # the environment's own rewrite says why, and this job waits for it
        return []
    return [f"environment_variables={variables}"] if variables is not None else []


def run_config_variables(argument: Argument) -> list[str]:
    """``cfg.run_config.environment_variables = {...}`` -> ``environment_variables=`` (mapping-extension
    2: BP).  v1 also applied the environment's own variables; which one won a shared key is not
    written down, so a job that would get both stays."""
    if environment_variables(argument.siblings.get("environment")):
        raise Refused("the run configuration and its environment both set environment variables: merge them "
                      "into the job's environment_variables= by hand", RefusalKind.DATA_FLOW)
    return [f"environment_variables={argument.text}"]


def command(argument: Argument) -> list[str]:
    """``script=`` (with ``arguments=``) or ``command=`` -> ``command="python ..."``, where it stood."""
    source, _ = _translated(argument.siblings, argument.ctx, argument.rewrite)
    return [f"command={source}"]


def inputs_and_outputs(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> list[str]:
    """The inputs and outputs the command line binds, after the other arguments.  The
    trial of a pipeline's sweep leaves its data to the pipeline, which binds it."""
    _, line = _translated(arguments, ctx, rewrite)
    built = []
    if line.datasets or line.parameters or line.upstream:
        with_paths = hyperdrive_step.trial_data(rewrite.binding, ctx) is None
        built.append(f"inputs={commandline.dict_source(line.input_declarations(with_paths=with_paths))}")
    if line.outputs:
        built.append(f"outputs={commandline.dict_source(line.outputs)}")
    built.extend(environment_variables(arguments.get("environment")))
    if not {"environment", "run_config"} & set(arguments):  # v1 ran it in its default environment
        built.append(f"environment={_default_environment(arguments, ctx, rewrite)}")
    elif "run_config" in arguments and "script" in arguments:
        _mlflow_todo(arguments["script"])  # the run configuration's environment
    return built


def _translated(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> tuple[str, commandline.CommandLine]:
    """The command line of one rewrite, with what it brings handed to the rewrite once."""
    key = f"command_line:{id(rewrite)}"
    if key not in ctx.cache:
        source, line, edits = command_line(rewrite.node, ctx)  # type: ignore[arg-type]
        rewrite.edits.extend(edits)
        if hyperdrive.trial_space(rewrite.binding, ctx):
            rewrite.notes.append(hyperdrive.TRIAL_NOTE)
        line.hand_to(rewrite, ctx)
        ctx.cache[key] = source, line
    return ctx.cache[key]  # type: ignore[return-value]


def command_line(call: ast.Call, ctx: FixContext) -> tuple[str, commandline.CommandLine, list[Edit]]:
    """The command of the ScriptRunConfig ``call``, read once per pass: its source, its line,
    and the edits that absorb an ``arguments`` list variable.  Raises :class:`Refused`."""
    return read_once(ctx, "script_run_lines", call, lambda: _command_line(call, ctx))


def _command_line(call: ast.Call, ctx: FixContext) -> tuple[str, commandline.CommandLine, list[Edit]]:
    bound = bind_arguments(call, list(SPEC.signature))
    if isinstance(bound, str):
        raise Refused(bound, RefusalKind.DATA_FLOW)
    script, items, v1_command = (bound.values.get(p) for p in ("script", "arguments", "command"))
    if v1_command is not None:
        if script is not None or items is not None:
            raise Refused("command= together with script=/arguments= is invalid in v1", RefusalKind.IMPOSSIBLE)
        if constant_str(v1_command) is not None:
            return py_str(constant_str(v1_command)), commandline.CommandLine(), []  # type: ignore[arg-type]
        if isinstance(v1_command, (ast.List, ast.Tuple)):
            words = [constant_str(e) for e in v1_command.elts]
            unknown = next((e for e, word in zip(v1_command.elts, words) if word is None), None)
            if unknown is None:
                return py_str(shlex.join(words)), commandline.CommandLine(), []  # type: ignore[arg-type]
            if commandline.number_word(unknown) is not None:  # (azureml-core _commands._run_config_modification)
                raise Refused(f"command= item `{snippet(ctx.locator, unknown)}` is not a string: v1 joined the list "
                              "with ' '.join() and raised TypeError, so this job never ran", RefusalKind.IMPOSSIBLE)
            raise Refused(f"command= item `{snippet(ctx.locator, unknown)}` is not a literal string",
                          RefusalKind.DATA_FLOW)
        raise Refused("command= is not a literal string or list", RefusalKind.DATA_FLOW)
    script_name = known_str(ctx, script) if script is not None else None
    if script_name is None:
        raise Refused("script= is not a known file name" if script is not None else "no script= to run",
                      RefusalKind.DATA_FLOW)
    notebook = commandline.not_a_python_script(script_name, "script")
    if notebook is not None:
        raise Refused(notebook, RefusalKind.NOT_YET)
    binding = ctx.assigned_binding(call)
    pipeline = hyperdrive_step.trial_data(binding, ctx)  # the trial of a pipeline's sweep
    line = commandline.CommandLine()
    edits: list[Edit] = []
    if items is not None or pipeline is not None:
        folder = bound.values.get("source_directory")
        try:
            found, edits = commandline.argument_items(items, ctx) if items is not None else ([], [])
            together: list[ast.AST] = []  # the other calls of this program that run the same script
            folder_name, known = commandline.job_folder(ctx, folder)
            text = commandline.script_text(ctx, folder_name, script_name, call.lineno, together, known)
            line = commandline.translate(found, ctx, pipeline, script=text, script_name=script_name)
            line.together.extend(together)
            line.check_visible(ctx, call)
        except commandline.Refused as reason:
            raise Refused(str(reason), reason.kind) from None
    hyperdrive.extend_trial(line, binding, ctx)  # a HyperDrive trial binds its search space
    line.interpreter = _interpreter(bound.values, ctx) or line.interpreter
    return line.command_source(script_name), line, edits


def _interpreter(values: dict[str, ast.expr], ctx: FixContext) -> str | None:
    """The interpreter the job's user-managed environment names, where v1 ran the script with it
    (the environment is the job's: no run configuration overrides it)."""
    given = values.get("environment")
    binding = ctx.binding_of(given) if isinstance(given, ast.Name) and "run_config" not in values else None
    if binding is None or not (isinstance(binding.value, Instance) and binding.value.type == ENVIRONMENT):
        return None
    try:
        return job_interpreter(binding, ctx)
    except Refused:  # the environment's own rewrite says why, and this job, which takes it, waits for it
        return None


def _is_default_timeout(argument: Argument) -> bool:
    return isinstance(argument.node, ast.Constant) and argument.node.value == V1_DEFAULT_TIMEOUT


# -- run_config= and the settings it overrides (mapping-extension.md 2) ------------------


def _run_config_wins(argument: Argument) -> bool:
    """v1 ignores compute_target=, environment=, distributed_job_config=, max_run_duration_seconds=
    and docker_runtime_config= given beside run_config= (it logs a warning): rc wins.  A value
    set after the call (``cfg.run_config.target = ...``) changes rc itself, so it stays."""
    if "run_config" not in argument.siblings or not isinstance(argument.ctx.parent(argument.node), (ast.keyword, ast.Call)):
        return False
    if not is_pure(argument.node):
        raise Refused(f"{argument.name}= is ignored beside run_config= but computed by a call", RefusalKind.DATA_FLOW)
    argument.rewrite.notes.append(f"{argument.name}= dropped: v1 ignores it when run_config= is given")
    return True


def run_config(argument: Argument) -> list[str]:
    """``run_config=rc`` -> the fields of ``rc``, except those set on the config after the call."""
    found = runconfig.consume(argument.node, argument.rewrite, argument.ctx)
    folded = {"compute" if name == "compute_target" else name for name, a in argument.siblings.items()
              if not isinstance(argument.ctx.parent(a.node), (ast.keyword, ast.Call))}
    if found.target_refusal and "compute" not in folded:
        raise Refused(found.target_refusal, RefusalKind.DATA_FLOW)
    todos = [t for t in found.todos if not (t == runconfig.LOCAL_TODO and "compute" in folded)]
    if todos:
        argument.rewrite.edits.extend(statements.insert_before(argument.ctx.locator, argument.statement, todos))
        argument.rewrite.todos.extend(todos)
    return found.arguments(skip=folded)


def distributed(argument: Argument) -> list[str]:
    """``distributed_job_config=`` -> ``distribution=`` and ``instance_count=``."""
    found = distribution.configuration(argument.node, argument.rewrite, argument.ctx)
    if found.todos:
        argument.rewrite.edits.extend(statements.insert_before(argument.ctx.locator, argument.statement, found.todos))
        argument.rewrite.todos.extend(found.todos)
    return [f"{k}={v}" for k, v in found.fields.items()]


def docker(argument: Argument) -> list[str]:
    """``docker_runtime_config=`` -> ``shm_size=``/``docker_args=`` (use_docker goes: v2 always uses Docker)."""
    return [f"{k}={v}" for k, v in runconfig.docker_configuration(argument.node, argument.rewrite, argument.ctx).items()]


def _unless_run_config(action: Keep | Map | Build) -> Drop:
    return Drop(when=_run_config_wins, otherwise=action)  # type: ignore[arg-type]


SPEC = CallSpec(
    old=SCRIPT_RUN_CONFIG,
    # ScriptRunConfig.__init__ in positional order (mapping.md 3): compute_target is 6th.
    signature=(
        "source_directory", "script", "arguments", "run_config", "_telemetry_values",
        "compute_target", "environment", "distributed_job_config", "resume_from",
        "max_run_duration_seconds", "command", "docker_runtime_config",
    ),
    new=("azure.ai.ml", "command"),
    params={
        "source_directory": Keep("code"),
        "script": Build(command),
        "command": Build(command),
        "arguments": Build(lambda argument: []),  # part of the command line
        "compute_target": _unless_run_config(Map("compute", compute_name)),
        "environment": _unless_run_config(Map("environment", environment)),
        "max_run_duration_seconds": Drop(when=lambda a: _is_default_timeout(a) or _run_config_wins(a),
                                         otherwise=Keep("timeout")),
        "run_config": Build(run_config),
        "_telemetry_values": Refuse("_telemetry_values= is private to v1", RefusalKind.IMPOSSIBLE),
        "distributed_job_config": _unless_run_config(Build(distributed)),
        "resume_from": Refuse("resume_from= has no v2 equivalent", RefusalKind.IMPOSSIBLE),
        "docker_runtime_config": _unless_run_config(Build(docker)),
        "environment_variables": Build(run_config_variables),  # (only set after the call: a fold)
    },
    folds=(Fold(("run_config", "environment"), "environment", attribute="environment"),
           Fold(("run_config", "target"), "compute_target", attribute="compute"),
           Fold(("run_config", "environment_variables"), "environment_variables",
                attribute="environment_variables")),
    # v1 ran a config without a target locally; v2 would send the job to serverless compute.  (v1's
    # default environment is written by ``finish``: it depends on the script.)
    defaults=(Default("compute", py_str("local"), LOCAL_DEFAULT_TODO, unless=("compute_target", "run_config")),),
    produces="job",
    todo_prefix="TODO(azureml-v2): AML002",
    finish=inputs_and_outputs,
    required=("source_directory",),
)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``ScriptRunConfig(...)`` -> ``command(...)``, argument by argument (mapping.md 4.1); the
    distributed configurations it takes go with it."""
    yield from distribution.fix(ctx)
    for site in ctx.model.calls_to(SCRIPT_RUN_CONFIG):
        call = site.node
        rewrite = Rewrite("AML002", call, "ScriptRunConfig() -> command()")
        binding = ctx.assigned_binding(call)
        if binding is None and not _submitted_inline(call, ctx):
            yield rewrite.refuse("the ScriptRunConfig is neither assigned to a variable nor submitted directly",
                                 RefusalKind.DATA_FLOW)
            continue
        rewrite.binding = binding
        try:
            _shared_run_config(call, binding, ctx)
            apply_call_spec(SPEC, call, rewrite, ctx, binding)
        except Refused as reason:
            rewrite.refuse(str(reason), reason.kind)
        yield rewrite


def _shared_run_config(call: ast.Call, binding: Binding | None, ctx: FixContext) -> None:
    """``cfg.run_config`` is the ``run_config=`` object itself: a setting made through it
    changes every other job built from that object too, which the fold cannot follow."""
    given = next((k.value for k in call.keywords if k.arg == "run_config"), call.args[3] if len(call.args) > 3 else None)
    shared = ctx.binding_of(given) if isinstance(given, ast.Name) else None
    if binding is None or shared is None:
        return
    through = [use for use in binding.uses if attribute_path(ctx, use)[0][:1] == ("run_config",)
               and isinstance(ctx.statement_of(use), ast.Assign)]
    readers = [use for use in shared.uses if not _sets_an_attribute(use, ctx)]
    if through and len(readers) > 1:
        raise Refused(f"`{binding.name}.run_config` is `{shared.name}`, which other code also reads: a setting "
                      f"made through it changes `{shared.name}` for all of them", RefusalKind.DATA_FLOW)


def _sets_an_attribute(use: ast.Name, ctx: FixContext) -> bool:
    """``x.a.b = value``: the use only sets a field of ``x``."""
    path, outer = attribute_path(ctx, use)
    statement = ctx.parent(outer)
    return bool(path) and isinstance(statement, ast.Assign) and outer in statement.targets


def _submitted_inline(call: ast.Call, ctx: FixContext) -> bool:
    parent = ctx.parent(call)
    return isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr == "submit"
