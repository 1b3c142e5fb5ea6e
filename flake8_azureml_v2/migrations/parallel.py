"""ParallelRunStep + ParallelRunConfig (AML052, AML053) -> a ``parallel_run_function`` component.

mapping-extension.md 8.3 and mapping.md 10.  The step becomes a parallel
component that the pipeline function calls like any other node: its one data
input is ``input_data``, its output takes the appended rows, the step's
arguments become the task's program arguments.  v2 leaves the v1 defaults
unset, so they are written out: the mini-batch size (10 files, or 1 MB of a
tabular dataset), one process per node, a 60 s timeout with 3 tries (as
``RetrySettings``, which v2 accepts where ``BatchRetrySettings`` is rejected),
and logging at INFO.  The entry script (``init()``/``run(mini_batch)``) is
unchanged.
"""

from __future__ import annotations

import ast
import shlex
from collections.abc import Iterator

from ..engine.fixing import statements
from ..engine.fixing.arguments import bind_arguments, constant_str, is_none, known_str, py_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import Refused
from ..engine.names import Binding, Instance
from . import commandline, data_inputs, data_outputs
from ._common import absorbed_bindings
from ._job_logging import environment_has_mlflow, environment_todo, script_logs
from ._todo import PREFIX
from ._tabular import delimited_files
from .data_refs import Taken
from .pipelines import StepPlan, assigned_plainly, compute_source, plan_once, step_rewrites

PARALLEL_RUN_STEP = "azureml.pipeline.steps.ParallelRunStep"
PARALLEL_RUN_CONFIG = "azureml.pipeline.steps.ParallelRunConfig"
STEP_SIGNATURE = ["name", "parallel_run_config", "inputs", "output", "side_inputs", "arguments", "allow_reuse"]
CONFIG_SIGNATURE = [
    "environment", "entry_script", "error_threshold", "output_action", "compute_target", "node_count",
    "process_count_per_node", "mini_batch_size", "source_directory", "description", "logging_level",
    "run_invocation_timeout", "run_max_try", "append_row_file_name", "allowed_failed_count",
    "allowed_failed_percent", "partition_keys", "environment_variables",
]
# v1's defaults, which v2 leaves unset (mapping-extension.md 8.3 and 11.8)
V1_DEFAULTS = {"process_count_per_node": "1", "logging_level": '"INFO"', "run_invocation_timeout": "60",
               "run_max_try": "3"}
FILE_MINI_BATCH, TABULAR_MINI_BATCH = '"10"', '"1MB"'
FROM_FILES = "azureml.core.Dataset.File.from_files"
TABULAR = "azureml.core.Dataset.Tabular.from_delimited_files"
_ENVIRONMENT = "azureml.core.Environment"
_TODO_ROWS = ("the tabular dataset became an MLTable file written next to the program (comma-separated, headers "
              "in every file); check the delimiter and header")


def _method_chain(item: ast.expr) -> tuple[ast.expr, list[ast.Call]]:
    """Split ``x.a(...).b(...)`` into ``x`` and the calls, innermost first."""
    calls: list[ast.Call] = []
    current = item
    while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
        calls.append(current)
        current = current.func.value
    return current, list(reversed(calls))


def _consumption(calls: list[ast.Call]) -> tuple[str | None, str]:
    """The name and mode of ``.as_named_input("x").as_mount()``-style calls on a dataset."""
    name = None
    mode = "ro_mount"
    for link in calls:
        method = link.func.attr  # type: ignore[union-attr]
        if method == "as_named_input" and len(link.args) == 1 and constant_str(link.args[0]) is not None and name is None:
            name = constant_str(link.args[0])
        elif method in ("as_mount", "as_download") and not link.args and not link.keywords:
            mode = "ro_mount" if method == "as_mount" else "download"
        else:
            raise ValueError(f"the input's .{method}() has no parallel-job equivalent")
    return name, mode


def _config(node: ast.expr | None, ctx: FixContext, consumes: list[ast.Name]) -> dict[str, ast.expr]:
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    statement = binding.node if binding is not None else None
    call = statement.value if isinstance(statement, ast.Assign) else None
    if binding is None or binding.conditional or not isinstance(call, ast.Call) or ctx.callee(call) != PARALLEL_RUN_CONFIG:
        raise ValueError("parallel_run_config= is not a ParallelRunConfig variable built by one plain assignment")
    bound = bind_arguments(call, CONFIG_SIGNATURE)
    if isinstance(bound, str):
        raise ValueError(f"ParallelRunConfig(): {bound}")
    consumes.append(node)  # type: ignore[arg-type]
    return bound.values


def _main_input(node: ast.expr | None, ctx: FixContext, line: commandline.CommandLine,
                helpers: dict[str, str], todos: list[str]) -> tuple[str, str]:
    """The one input of ``inputs=[...]``: (its key, the v1 mini-batch default for its kind)."""
    if not isinstance(node, (ast.List, ast.Tuple)) or len(node.elts) != 1:
        raise ValueError("inputs= is not a list of one input: a v2 parallel job reads one input_data")
    item = node.elts[0]
    base, calls = _method_chain(item)
    binding = ctx.binding_of(base) if isinstance(base, ast.Name) else None
    statement = binding.node if binding is not None else None
    call = statement.value if isinstance(statement, ast.Assign) else None
    if binding is None or binding.conditional or not isinstance(call, ast.Call):
        raise ValueError("the input is not a dataset built by one plain assignment")
    made, chained = _method_chain(call)
    if chained and ctx.callee(chained[0]) in (FROM_FILES, TABULAR):
        # ``ds = Dataset.File.from_files(...).as_named_input("x")``: consumed where it is built (audit y)
        call, calls = chained[0], [*chained[1:], *calls]
    name, mode = _consumption(calls)
    key = commandline.identifier(name or binding.name)
    callee = ctx.callee(call)
    if callee == FROM_FILES:
        taken = Taken()
        try:
            found = data_inputs.source_of(call, ctx, taken)
        except (Refused, commandline.Refused) as reason:
            raise ValueError(str(reason)) from None
        if found.widened:  # every file under the common parent would become a mini-batch item
            raise ValueError("the dataset lists several paths, and a v2 parallel job over their common parent "
                             "would also process every other file in it")
        path = found.path
        line.absorb(taken)
        source = data_inputs.Source("uri_folder", path, id(binding), binding.name)
        line.datasets[key] = commandline.DatasetInput("uri_folder", data_inputs.Consumed(source, name, mode))
        mini_batch = FILE_MINI_BATCH
    elif callee == TABULAR:
        bound = bind_arguments(call, ["path", "validate"])
        if isinstance(bound, str) or "path" not in bound.values:
            raise ValueError("a tabular dataset with options other than path and validate")
        try:
            table = delimited_files(py_str(binding.name + "_mltable"), bound.values["path"], None, ctx, helpers)
        except Refused as reason:
            raise ValueError(str(reason)) from None
        source = data_inputs.Source("mltable", table, id(binding), binding.name)
        line.datasets[key] = commandline.DatasetInput("mltable", data_inputs.Consumed(source, name, "direct"))
        todos.append(f"# {PREFIX} AML052 {_TODO_ROWS}")
        mini_batch = TABULAR_MINI_BATCH
    else:
        raise ValueError("the input is not a Dataset.File.from_files or Dataset.Tabular.from_delimited_files dataset")
    line.consumes.append(base)  # type: ignore[arg-type]
    if name is not None:
        line.v1_names[key] = name
        line.named.append(key)
    return key, mini_batch


def _output(node: ast.expr | None, binding: Binding, ctx: FixContext, line: commandline.CommandLine) -> str | None:
    if node is None:
        return None
    made = data_outputs.produced(node, ctx, Taken())
    if made is None:
        raise ValueError("output= is not an output this fix can declare")
    found = commandline.translate([node], ctx, commandline.PipelineStep(outputs=[made]))
    if not found.outputs:
        raise ValueError("output= is not an output this fix can declare")
    line.outputs.update(found.outputs)
    line.produces.update(found.produces)
    line.v1_names.update(found.v1_names)
    line.named.extend(found.named)
    line.consumes.extend(found.consumes)
    return next(iter(found.outputs))


def _arguments(node: ast.expr | None, side: ast.expr | None, ctx: FixContext,
               line: commandline.CommandLine, edits: list) -> list[str]:
    if node is None:
        return []
    items, extra = commandline.argument_items(node, ctx)
    edits.extend(extra)
    step = commandline.PipelineStep()
    if side is not None:
        if not isinstance(side, (ast.List, ast.Tuple)) or not all(isinstance(e, ast.Name) for e in side.elts):
            raise ValueError("side_inputs= is not a list of variables")
        step, deleted = commandline.step_data(side, None, ctx)
        edits.extend(deleted)
    found = commandline.translate(items, ctx, step)
    if found.runtime or found.exports:
        raise ValueError("an argument known only at run time, or data the script reads from the environment: "
                         "a parallel task's program_arguments are one literal")
    line.datasets.update(found.datasets)
    line.upstream.update(found.upstream)
    line.parameters.update(found.parameters)
    line.consumes.extend(found.consumes)
    return found.tokens


def _environment(node: ast.expr | None, ctx: FixContext, consumes: list[ast.Name]) -> str:
    if node is not None and constant_str(node) is not None:
        return ctx.locator.text(node)
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    if binding is None or binding.value != Instance(_ENVIRONMENT):
        raise ValueError("the ParallelRunConfig's environment is not an Environment variable this fix migrates")
    consumes.append(node)  # type: ignore[arg-type]
    return ctx.counterpart(binding)


def _number_text(node: ast.expr | None, default: str) -> str:
    if node is None:
        return default
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str)) and not isinstance(node.value, bool):
        return py_str(str(node.value))
    raise ValueError("mini_batch_size= is not a literal")


def _plan(call: ast.Call, ctx: FixContext) -> StepPlan:
    binding = assigned_plainly(call, ctx, "parallel step")
    bound = bind_arguments(call, STEP_SIGNATURE)
    if isinstance(bound, str):
        raise ValueError(bound)
    step = bound.values
    consumes: list[ast.Name] = []
    config = _config(step.get("parallel_run_config"), ctx, consumes)
    line = commandline.CommandLine()
    helpers: dict[str, str] = {}
    todos: list[str] = []
    edits: list = []
    main, mini_batch = _main_input(step.get("inputs"), ctx, line, helpers, todos)
    output = _output(step.get("output"), binding, ctx, line)
    tokens = _arguments(step.get("arguments"), step.get("side_inputs"), ctx, line, edits)
    if "allowed_failed_percent" in config:
        tokens += ["--allowed_failed_percent", ctx.locator.text(config["allowed_failed_percent"])]
    if "append_row_file_name" in config and not is_none(config["append_row_file_name"]):  # (mapping-extension 8.3: D+T)
        name = known_str(ctx, config["append_row_file_name"])
        if name is None:
            raise ValueError("append_row_file_name= is not a known string")
        tokens += ["--append_row_file_name", shlex.quote(name)]
        todos.append(f"# {PREFIX} AML052 v1 passed --append_row_file_name to the same driver; check that the "
                     "v2 driver writes the rows to that file (its default name, parallel_run_step.txt, is v1's)")
    for name in ("entry_script", "error_threshold", "output_action", "compute_target", "node_count"):
        if name not in config:
            raise ValueError(f"the ParallelRunConfig has no {name}=")
    action = constant_str(config["output_action"])
    if action not in ("append_row", "summary_only"):
        raise ValueError("output_action= is not 'append_row' or 'summary_only'")
    if action == "append_row" and output is None:
        raise ValueError("output_action='append_row' without an output= to append to")
    compute = compute_source(config["compute_target"], ctx, consumes)
    entry = known_str(ctx, config["entry_script"])
    if entry is None:
        raise ValueError("entry_script= is not a known file name")
    if "source_directory" not in config:  # (v1's step falls back to a folder of its own choosing)
        raise ValueError("the ParallelRunConfig has no source_directory=: the folder v1 took the entry script "
                         "from is not written out")
    folder = known_str(ctx, config["source_directory"])
    _variables_unset(ctx, folder, entry, line, todos)
    if script_logs(ctx, folder, entry) and not environment_has_mlflow(config.get("environment"), ctx):
        todos.append(environment_todo("AML052", entry))  # the environment is the user's: it may lack mlflow
    text = ctx.locator.text
    arguments = [f"display_name={text(step['name'])}" if "name" in step else None,
                 f"description={text(config['description'])}" if "description" in config else None,
                 f"instance_count={text(config['node_count'])}",
                 "max_concurrency_per_instance=" + (text(config["process_count_per_node"]) if "process_count_per_node"
                                                    in config else V1_DEFAULTS["process_count_per_node"]),
                 f"mini_batch_size={_number_text(config.get('mini_batch_size'), mini_batch)}",
                 f"error_threshold={text(config['error_threshold'])}",
                 f"mini_batch_error_threshold={text(config['allowed_failed_count'])}"
                 if "allowed_failed_count" in config else None,
                 "logging_level=" + (text(config["logging_level"]) if "logging_level" in config
                                     else V1_DEFAULTS["logging_level"]),
                 f"retry_settings={ctx.symbol('azure.ai.ml.entities', 'RetrySettings')}("
                 f"timeout={text(config['run_invocation_timeout']) if 'run_invocation_timeout' in config else V1_DEFAULTS['run_invocation_timeout']}, "
                 f"max_retries={text(config['run_max_try']) if 'run_max_try' in config else V1_DEFAULTS['run_max_try']})",
                 f"environment_variables={text(config['environment_variables'])}" if "environment_variables" in config else None,
                 f"partition_keys={text(config['partition_keys'])}" if "partition_keys" in config else None,
                 f"is_deterministic={text(step['allow_reuse'])}" if "allow_reuse" in step else None,
                 f"inputs={commandline.dict_source(line.input_declarations(with_paths=False))}",
                 f'input_data="${{{{inputs.{main}}}}}"',
                 f"outputs={commandline.dict_source(line.outputs)}" if line.outputs else None]
    task = [f"code={text(config['source_directory'])}",
            f"entry_script={py_str(entry)}",
            f"environment={_environment(config.get('environment'), ctx, consumes)}",
            f"program_arguments={py_str(' '.join(tokens))}" if tokens else None,
            f'append_row_to="${{{{outputs.{output}}}}}"' if action == "append_row" else None]
    component = ctx.fresh_name(f"{binding.name}_component")
    function = ctx.symbol("azure.ai.ml.parallel", "parallel_run_function")
    run_function = ctx.symbol("azure.ai.ml.parallel", "RunFunction")
    indent = ctx.locator.indentation(binding.node) + "    "
    separator = "," + ctx.locator.newline + indent
    source = (f"{component} = {function}({ctx.locator.newline}{indent}{separator.join(a for a in arguments if a)}"
              f"{separator}task={run_function}({', '.join(t for t in task if t)}),{ctx.locator.newline}"
              f"{indent[:-4]})")
    plan = StepPlan(call, binding, component, binding.name, line, compute, consumes=consumes + line.consumes,
                    helpers=helpers, todos=todos)
    plan.edits.extend(edits)
    plan.edits.append(statements.replace(ctx.locator, binding.node, source))
    return plan


def _variables_unset(ctx: FixContext, folder: str | None, entry: str, line: commandline.CommandLine,
                     todos: list[str]) -> None:
    """v1 set an environment variable per named input and output (and for a PipelineData, its
    name), and a parallel task has no command to export them in (review 87).  An entry script,
    or a module of its folder it imports, that reads one by name keeps the step v1; otherwise
    the named ones get a TODO, as no reading of a script tells every way it may reach them."""
    variables = list(line.v1_names.values())
    if not variables:
        return
    reads = commandline.script_and_modules(ctx, folder, entry) if folder is not None else None
    read = [name for name in variables if reads is not None and reads.reads(name)]
    if read:
        raise ValueError(f"the entry script (or a module it imports) reads {', '.join(map(repr, read))} from the "
                         "environment, where v1 set it, and a parallel task cannot set it: read the data from the "
                         "task's inputs or arguments first")
    named = [line.v1_names[key] for key in line.named]
    if named:
        todos.append(f"# {PREFIX} AML052 v1 also set the environment variable{'s' if len(named) > 1 else ''} "
                     f"{', '.join(map(repr, named))} for {entry}, which a parallel task does not: check that it "
                     f"reads {'none of them' if len(named) > 1 else 'no such variable'}")


def plan_parallel_step(call: ast.Call, ctx: FixContext) -> StepPlan:
    """The step's plan, built once per pass; raises ValueError with the reason."""
    return plan_once("parallel_steps", _plan, call, ctx)


def fix_step(ctx: FixContext) -> Iterator[Rewrite]:
    """Each ParallelRunStep becomes a parallel component; the pipeline (AML004) calls it."""
    return step_rewrites(ctx, PARALLEL_RUN_STEP, "AML052", "ParallelRunStep() -> parallel_run_function component",
                         plan_parallel_step)


def fix_config(ctx: FixContext) -> Iterator[Rewrite]:
    """The step reads a ParallelRunConfig's settings; the variable then goes."""
    yield from absorbed_bindings(ctx, PARALLEL_RUN_CONFIG, "AML053", "settings moved to parallel_run_function")

