"""v1 pipelines -> one node per step, called in a ``@dsl.pipeline`` function in
data-flow order (mapping.md section 5): a ``command`` component per PythonScriptStep,
and what ``step_kinds`` plans for the other step kinds (parallel, estimator, sweep
and AutoML nodes).

The user's scripts stay as they are: each step keeps running ``python <script>``
with its arguments, and the step's data becomes typed component inputs and
outputs, bound in the pipeline body to pipeline inputs and to upstream outputs.
Each step's fixer (AML003, AML052, AML054, AML055, AML057) and the pipeline fixer
(AML004) build their edits from the same :class:`StepPlan`, computed once per pass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from ..engine.fixing import listedit, statements
from ..engine.fixing.arguments import BoundArguments, bind_arguments, is_none, known_str, py_str
from ..engine.fixing.edits import Edit
from ..engine.findings import line_ref
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.symbols import symbol
from ..engine.names import Binding, Const
from . import commandline, step_kinds
from .compute_target import is_compute_object
from ._defaults import default_environment, default_environment_name
from ._job_logging import environment_has_mlflow, environment_todo, script_logs
from ._todo import PREFIX

PYTHON_SCRIPT_STEP = "azureml.pipeline.steps.PythonScriptStep"
RUN_CONFIGURATION = "azureml.core.RunConfiguration"
STEP_SIGNATURE = [
    "script_name", "name", "arguments", "compute_target", "runconfig", "runconfig_pipeline_params",
    "inputs", "outputs", "params", "source_directory", "allow_reuse", "version", "hash_paths",
]
T = TypeVar("T")
_RENAMED = {"name": "display_name", "source_directory": "code", "allow_reuse": "is_deterministic"}
# v1 exported each of a step's params= as an environment variable of this prefix, its name's
# non-word characters as underscores (azureml-pipeline-core graph.py, _param_name_to_env_variable)
# and its value as str(value) (mapping-extension 11.2)
_PARAMETER_PREFIX = "AML_PARAMETER_"
_DROPPED = ("version", "hash_paths")
# A step without source_directory= ran from the pipeline's default folder: v1's graph builder takes
# the working directory the pipeline is built in (Pipeline(default_source_directory=) is refused).
# A v2 command's code="." is that folder too, read when the job is submitted.
_WORKING_FOLDER = "."
_WORKING_FOLDER_TODO = ('code="." is the working folder, which v1 uploaded for a step without '
                        "source_directory=: run this from the folder v1 ran it from")


@dataclass
class StepPlan:
    call: ast.Call
    binding: Binding
    component: str  # the variable that now holds the component
    node: str  # the node's name in the pipeline body (the step's old variable name)
    line: commandline.CommandLine
    compute: str  # source of the compute name
    edits: list[Edit] = field(default_factory=list)
    consumes: list[ast.Name] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    helpers: dict[str, str] = field(default_factory=dict)  # module-level definitions the component names
    todos: list[str] = field(default_factory=list)  # TODO comments written before the component
    resolves: list[tuple[str, ast.AST]] = field(default_factory=list)  # findings the step's rewrite resolves
    imports: set[tuple[str, str]] = field(default_factory=set)  # names its text writes literally
    spread: list[str] = field(default_factory=list)  # more arguments of the node's call (``**space``)
    suffix: str = ""  # what follows the node's call (``.sweep(**settings)``)
    after: list[str] = field(default_factory=list)  # statements on the node (``{node}.display_name = ...``)
    # inputs of the pipeline function the node reads: parameter -> what the pipeline's call passes
    inputs: dict[str, str] = field(default_factory=dict)


def _fresh(ctx: FixContext, wanted: str) -> str:
    name, number = wanted, 2
    while name in ctx.names_in_module:
        name, number = f"{wanted}_{number}", number + 1
    return name




def compute_source(node: ast.expr, ctx: FixContext, consumes: list[ast.Name]) -> str:
    """The compute a step runs on, as v2 wants it: a name.  A string known only at run time is
    one too: v1's pipeline looks every string up among the workspace's computes (its
    ``"local"`` is refused there, unlike a ScriptRunConfig's)."""
    value = ctx.value_of_argument(node)
    if isinstance(value, Const) or commandline.string_option(node, ctx):
        return ctx.locator.text(node)
    if is_compute_object(value) and isinstance(node, ast.Name):
        consumes.append(node)
        return f"{node.id}.name"
    raise ValueError(f"compute_target `{snippet(ctx.locator, node)}` has a type this fix cannot know")


def run_configuration_settings(node: ast.expr, ctx: FixContext, before: int, consumes: list[ast.Name],
                               todos: list[str]) -> tuple[str, str | None, ast.expr | None, str | None]:
    """``runconfig=rc``: the environment of the RunConfiguration (migrations/runconfig.py),
    which may be shared with other steps, the compute its target names (None for v1's
    ``"local"``, which a pipeline step cannot run on), the environment variable it is given
    (``rc.environment = env``), if any, and the variables the job gets (``environment_variables=``),
    if any.  The step's compute_target wins over rc.target; other settings are refused, since the
    step carries only these.  The environment's TODO comments (a documented default to check) go to ``todos``."""
    from ..engine.fixing.rewrite import Rewrite
    from ..engine.fixing.specs import Refused
    from . import runconfig

    collector = Rewrite("AML003", node, "")
    try:
        found = runconfig.consume(node, collector, ctx)
    except Refused as reason:
        raise ValueError(str(reason)) from None
    extra = sorted(set(found.fields) - {"compute", "environment", "environment_variables"})
    if extra:
        raise ValueError(f"runconfig= also sets {', '.join(extra)}, which the step migration does not carry")
    todos.extend(t for t in found.todos if t != runconfig.LOCAL_TODO and t not in todos)
    consumes.extend(collector.consumes)
    local = runconfig.LOCAL_TODO in found.todos
    return (found.fields["environment"], None if local else found.fields.get("compute") or found.target_name,
            found.environment_node, found.fields.get("environment_variables"))


def plan_once(kind: str, build: Callable[[ast.Call, FixContext], T], call: ast.Call, ctx: FixContext) -> T:
    """Build a plan once per pass (both AML003 and AML004 ask for it); a refusal is
    remembered too and raised again as ValueError."""
    cache: dict[int, object] = ctx.cache.setdefault(kind, {})  # type: ignore[assignment]
    cached = cache.get(id(call))
    if isinstance(cached, str):
        raise ValueError(cached)
    if cached is not None:
        return cached  # type: ignore[return-value]
    try:
        plan = build(call, ctx)
    except (ValueError, commandline.Refused) as reason:
        cache[id(call)] = str(reason)
        raise ValueError(str(reason)) from None
    cache[id(call)] = plan
    return plan


def plan_step(call: ast.Call, ctx: FixContext) -> StepPlan:
    """Raises ValueError with the reason when the step cannot be translated."""
    return plan_once("steps", _plan_step, call, ctx)


def assigned_plainly(call: ast.Call, ctx: FixContext, what: str = "step") -> Binding:
    """The variable of ``x = Call(...)`` as one plain statement (a node is named after it);
    raises ValueError."""
    binding = ctx.assigned_binding(call)
    if binding is None or binding.conditional:
        raise ValueError(f"the {what} is not assigned to a variable by a plain statement")
    return binding


def _assigned(call: ast.Call, ctx: FixContext, signature: list[str], what: str) -> tuple[Binding, BoundArguments]:
    """``x = Call(...)`` as one plain statement, with its arguments bound to ``signature``."""
    binding = assigned_plainly(call, ctx, what)
    bound = bind_arguments(call, signature)
    if isinstance(bound, str):
        raise ValueError(bound)
    return binding, bound


def _plan_step(call: ast.Call, ctx: FixContext) -> StepPlan:
    binding, bound = _assigned(call, ctx, STEP_SIGNATURE, "step")
    values = bound.values
    if "runconfig_pipeline_params" in values:
        raise ValueError("runconfig_pipeline_params= has no v2 equivalent")
    script = known_str(ctx, values.get("script_name"))
    if script is None:
        raise ValueError("script_name= is not a known file name")
    notebook = commandline.not_a_python_script(script, "script_name")
    if notebook is not None:
        raise ValueError(notebook)
    consumes: list[ast.Name] = []
    step_io, extra_edits = commandline.step_data(values.get("inputs"), values.get("outputs"), ctx)
    items: list[ast.expr] = []
    arguments = values.get("arguments")
    if arguments is not None:
        items, argument_edits = commandline.argument_items(arguments, ctx)
        extra_edits.extend(argument_edits)
    folder, known = commandline.job_folder(ctx, values.get("source_directory"))
    text = commandline.script_text(ctx, folder, script, call.lineno, folder_known=known)
    line = commandline.translate(items, ctx, step_io, text, script)
    line.check_visible(ctx, call)
    compute = compute_source(values["compute_target"], ctx, consumes) if "compute_target" in values else None
    helpers: dict[str, str] = {}
    todos: list[str] = []
    logs = script_logs(ctx, folder, script)
    variables = None
    if "runconfig" in values:
        environment, target, given, variables = run_configuration_settings(
            values["runconfig"], ctx, binding.node.lineno, consumes, todos)  # type: ignore[attr-defined]
        compute = compute or target  # the step's own compute_target wins over rc.target
        if logs and not environment_has_mlflow(given, ctx):
            todos.append(environment_todo("AML003", script))
    else:  # v1 ran the step in its default environment: written out once for the module
        environment = default_environment_name(logs)
        helpers = default_environment("AML003", mlflow=logs)
    if "params" in values:
        variables = _with_parameters(variables, values["params"], ctx)
    if compute is None:
        raise ValueError("the step has no compute_target" + (" and its runconfig's target is 'local'"
                                                              if "runconfig" in values else ""))
    if "source_directory" not in values:
        todos.append(f"# {PREFIX} AML003 {_WORKING_FOLDER_TODO}")
    helpers.update(line.helpers)
    plan = StepPlan(call, binding, _fresh(ctx, f"{binding.name}_component"), binding.name, line, compute,
                    consumes=consumes + line.consumes, notes=list(line.notes), helpers=helpers,
                    todos=[*todos, *line.todo_comments()], resolves=list(line.resolves), imports=set(line.imports))
    plan.edits.extend(extra_edits)
    # a step no pipeline reads keeps its compute on the component: no pipeline function takes it
    unread = not ctx.uses_reaching(binding)
    plan.edits.extend(_step_edits(call, bound, plan, script, environment, ctx, unread, variables))
    target = binding.node.targets[0]  # type: ignore[attr-defined]
    plan.edits.append(statements.replace(ctx.locator, target, plan.component))
    return plan


def _with_parameters(variables: str | None, params: ast.expr, ctx: FixContext) -> str | None:
    """``environment_variables=`` with the step's ``params=`` as v1 exported them:
    ``{"AML_PARAMETER_<name>": str(value)}``; raises ValueError for what cannot be written out."""
    if is_none(params):  # (v1's default)
        return variables
    if not isinstance(params, ast.Dict):
        raise ValueError(f"params=`{snippet(ctx.locator, params)}` is not a dict written out")
    exported: dict[str, str] = {}  # (a name written twice, or two that export one variable: the last wins, as in v1)
    for key, value in zip(params.keys, params.values):
        name = known_str(ctx, key) if key is not None else None
        text = _parameter_text(value, ctx)
        if name is None or text is None:
            raise ValueError(f"params= entry `{snippet(ctx.locator, value)}` is not a literal name and value "
                             f"(v1 exported it as an {_PARAMETER_PREFIX}<name> variable, or bound a PipelineParameter)")
        exported[_PARAMETER_PREFIX + re.sub(r"[~\W]", "_", name)] = text
    items = [f"{py_str(variable)}: {py_str(text)}" for variable, text in exported.items()]
    if not items:
        return variables
    if variables is None or variables.strip() == "{}":
        return "{" + ", ".join(items) + "}"
    return "{**(" + variables + "), " + ", ".join(items) + "}"  # the run configuration's variables first


def _parameter_text(node: ast.expr, ctx: FixContext) -> str | None:
    """The text v1 gave a params= value (``str(value)``), when the program fixes it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float)):  # bool is an int
        return str(node.value)
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) in (int, float)):
        return str(-node.operand.value)
    return known_str(ctx, node)


def _step_edits(call: ast.Call, bound: object, plan: StepPlan, script: str, environment: str, ctx: FixContext,
                with_compute: bool = False, variables: str | None = None) -> list[Edit]:
    sg_call = ctx.locator.sg(call, "call")
    if sg_call is None:
        raise ValueError("ast-grep could not locate the step")
    container = sg_call.field("arguments")
    elements = listedit.elements(container)
    edits = [statements.replace(ctx.locator, call.func, symbol("azure.ai.ml", "command"))]
    removed = []
    for index, element in enumerate(elements):
        parameter = element.keyword or STEP_SIGNATURE[index]
        if parameter == "script_name":
            edits.append(Edit(element.start, element.end, f"command={plan.line.command_source(script)}"))
        elif parameter in _RENAMED:
            new = _RENAMED[parameter]
            if element.keyword is None:
                edits.append(Edit(element.start, element.start, f"{new}="))
            else:
                name = element.node.field("name")
                edits.append(Edit(name.range().start.index, name.range().end.index, new))
        else:  # arguments, compute_target, runconfig, inputs, outputs, params, version, hash_paths
            if parameter in _DROPPED:
                plan.notes.append(f"{parameter}= has no v2 equivalent and was dropped")
            removed.append(element)
    deletions = listedit.delete_many(ctx.text, container, removed)
    edits.extend(deletions)
    extra = []
    declarations = plan.line.input_declarations(with_paths=False)
    if declarations:
        extra.append(f"inputs={commandline.dict_source(declarations)}")
    if plan.line.outputs:
        extra.append(f"outputs={commandline.dict_source(plan.line.outputs)}")
    extra.append(f"environment={environment}")
    if variables is not None:
        extra.append(f"environment_variables={variables}")
    if "source_directory" not in bound.values:  # type: ignore[attr-defined]
        extra.insert(0, f"code={py_str(_WORKING_FOLDER)}")
    if "name" not in bound.values:  # type: ignore[attr-defined]
        # v1 named a step without name= after its script (_PythonScriptStepBase: audit, stop 64, lot a L5)
        extra.insert(0, f"display_name={py_str(script)}")
    if with_compute:
        extra.append(f"compute={plan.compute}")
    kept = [e for e in elements if e not in removed]
    edits.extend(listedit.append(ctx.text, container, extra, ctx.locator.newline, kept, deletions))
    return edits


_MIGRATED_STEPS = ", ".join(kind.rsplit(".", 1)[1] for kind in (PYTHON_SCRIPT_STEP, *step_kinds.OTHER_STEPS))


def step_rewrites(ctx: FixContext, callee: str, code: str, description: str,
                  planner: Callable[[ast.Call, FixContext], StepPlan]) -> Iterator[Rewrite]:
    """One rewrite per step of kind ``callee``: its plan's edits make the component (or the
    settings) that the pipeline function (AML004) calls as a node."""
    for site in ctx.model.calls_to(callee):
        unit = Rewrite(code, site.node, description)
        unit.binding = ctx.assigned_binding(site.node)  # so that a refusal explains its users too
        try:
            plan = planner(site.node, ctx)
        except ValueError as reason:
            yield unit.refuse(str(reason))
            continue
        unit.binding = plan.binding
        unit.registers_with = list(plan.line.consumes)
        unit.registration = "v1 learns from this step which step produces or reads it"
        unit.edits.extend(plan.edits)
        unit.consumes.extend(plan.consumes)
        unit.imports |= plan.imports
        unit.findings.extend(plan.resolves)
        unit.notes.extend(plan.notes)
        unit.helpers.update(plan.helpers)
        if plan.todos:
            unit.edits.extend(statements.insert_before(ctx.locator, ctx.statement_of(site.node), plan.todos))
            unit.todos.extend(plan.todos)
        yield unit


def is_step(ctx: FixContext, call: ast.AST) -> bool:
    return ctx.callee(call) in (PYTHON_SCRIPT_STEP, *step_kinds.OTHER_STEPS)


def _plan_any_step(call: ast.Call, ctx: FixContext) -> StepPlan:
    """A PythonScriptStep, or another step kind (step_kinds) that plans itself as a component."""
    callee = ctx.callee(call)
    return plan_step(call, ctx) if callee == PYTHON_SCRIPT_STEP else step_kinds.plan(callee, call, ctx)  # type: ignore[arg-type]


PIPELINE_SIGNATURE = ["workspace", "steps", "description", "default_datastore", "default_source_directory",
                      "resolve_closure"]
# experiment.submit(pipeline, ...) / pipeline.submit(...) settings -> @dsl.pipeline keyword arguments
SUBMIT_SETTINGS = {"regenerate_outputs": "force_rerun", "continue_on_step_failure": "continue_on_step_failure"}
# ... and pipeline_parameters={...} -> keyword arguments of the pipeline function's call
PIPELINE_PARAMETERS = "pipeline_parameters"
MOVED_FROM_SUBMIT = (*SUBMIT_SETTINGS, PIPELINE_PARAMETERS)


@dataclass
class PipelinePlan:
    call: ast.Call
    binding: Binding
    workspace: ast.Name
    steps: list[StepPlan]
    text: str  # the statements replacing ``p = Pipeline(...)``
    edits: list[Edit] = field(default_factory=list)
    consumes: list[ast.Name] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    helpers: dict[str, str] = field(default_factory=dict)  # module-level definitions the component names
    requires: list[ast.AST] = field(default_factory=list)  # steps v1 pulled in through their data


def _step_names(node: ast.expr | None, ctx: FixContext, plan_edits: list[Edit]) -> list[ast.Name]:
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None else None
        if (binding is None or binding.conditional or len(binding.uses) != 1 or not isinstance(statement, ast.Assign)
                or not isinstance(statement.value, (ast.List, ast.Tuple))):
            raise ValueError(_steps_not_a_list(node, statement))
        plan_edits.append(ctx.delete(statement))
        node = statement.value
    if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts or not all(isinstance(e, ast.Name) for e in node.elts):
        raise ValueError("steps= is not a list of step variables")
    return list(node.elts)  # type: ignore[arg-type]


def _steps_not_a_list(node: ast.Name, statement: ast.AST | None) -> str:
    """Why steps= cannot be read, naming the call that makes them when there is one (a step builder)."""
    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
        return f"steps=`{node.id}` is made inside `{ast.unparse(statement.value.func)}()`, which this fix cannot see into"
    return f"steps=`{node.id}` is not a list literal used only here"


def _settings(binding: Binding, ctx: FixContext) -> dict[str, str]:
    """Submit options of every submission of this pipeline, which must agree."""
    found: dict[str, str] | None = None
    for use in binding.uses:
        parent = ctx.parent(use)
        call = parent if isinstance(parent, ast.Call) else ctx.parent(parent) if parent is not None else None
        if not isinstance(call, ast.Call) or not (isinstance(call.func, ast.Attribute) and call.func.attr == "submit"):
            continue  # publish(), PipelineDraft.create(...): not a submission (their own fixes decide)
        settings = {}
        for keyword in call.keywords:
            if keyword.arg == PIPELINE_PARAMETERS:
                settings.update(_parameter_values(keyword.value, ctx))
            elif keyword.arg in SUBMIT_SETTINGS:
                if not isinstance(keyword.value, ast.Constant) or not isinstance(keyword.value.value, bool):
                    raise ValueError(f"{keyword.arg}= is not True or False")
                if keyword.value.value:
                    settings[SUBMIT_SETTINGS[keyword.arg]] = "True"
        if found is not None and settings != found:
            raise ValueError("the pipeline is submitted twice with different settings")
        found = settings
    return found or {}


def _parameter_values(node: ast.expr, ctx: FixContext) -> dict[str, str]:
    """``pipeline_parameters={"lr": 0.5}``: a literal dict with literal keys."""
    if not isinstance(node, ast.Dict) or not all(known_str(ctx, k) is not None for k in node.keys if k is not None) \
            or any(k is None for k in node.keys):
        raise ValueError("pipeline_parameters= is not a literal dict")
    return {f"parameter:{known_str(ctx, k)}": ctx.locator.text(v) for k, v in zip(node.keys, node.values)}  # type: ignore[arg-type]


def _with_producers(steps: list[StepPlan], ctx: FixContext) -> list[StepPlan]:
    """v1 builds a pipeline from the listed steps and every step that produces data
    they read (``Pipeline(ws, steps=[last_step])``): those become nodes too."""
    steps = list(steps)
    while True:
        produced = {origin for step in steps for origin in step.line.produces}
        wanted = {up.origin for step in steps for up in step.line.upstream.values()} - produced
        if not wanted:
            return steps
        added = False
        for site in (s for kind in (PYTHON_SCRIPT_STEP, *step_kinds.OTHER_STEPS) for s in ctx.model.calls_to(kind)):
            if any(step.call is site.node for step in steps):
                continue
            try:
                plan = _plan_any_step(site.node, ctx)
            except ValueError:
                continue
            if set(plan.line.produces) & wanted:
                steps.append(plan)
                added = True
        if not added:
            return steps


def _order(steps: list[StepPlan]) -> list[StepPlan]:
    """Data-flow order: every producer before its consumers (the listed order breaks ties)."""
    producer = {origin: step for step in steps for origin in step.line.produces}
    ordered: list[StepPlan] = []
    visiting: set[int] = set()

    def visit(step: StepPlan) -> None:
        if step in ordered:
            return
        if id(step) in visiting:
            raise ValueError("the steps' data form a cycle")
        visiting.add(id(step))
        for upstream in step.line.upstream.values():
            if upstream.origin not in producer:
                raise ValueError(f"step `{step.node}` reads an output that no step of this pipeline produces")
            visit(producer[upstream.origin])
        ordered.append(step)

    for step in steps:
        visit(step)
    return ordered


def _redundant_run_afters(steps: list[StepPlan], ctx: FixContext, edits: list[Edit]) -> list[ast.Name]:
    """``later.run_after(earlier)`` of two steps of the pipeline: v2 has no ordering without data
    (mapping.md 4), but where ``later`` already reads, through its inputs, data ``earlier``
    produces, the data orders them as the call did, and the call goes (audit t); the step names
    it uses, which the pipeline's rewrite now accounts for."""
    by_binding = {id(step.binding): step for step in steps}
    producer = {origin: step for step in steps for origin in step.line.produces}
    taken: list[ast.Name] = []
    for site in ctx.model.calls:
        call = site.node
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "run_after" and isinstance(func.value, ast.Name)):
            continue
        later = by_binding.get(id(ctx.binding_of(func.value)))
        earlier_name = call.args[0] if len(call.args) == 1 and not call.keywords else None
        earlier = by_binding.get(id(ctx.binding_of(earlier_name))) if isinstance(earlier_name, ast.Name) else None
        if later is None:
            continue
        statement = ctx.parent(call)
        if earlier is None or not isinstance(statement, ast.Expr) or not _reads_from(later, earlier, producer):
            raise ValueError(f"{line_ref(call.lineno)} (`{snippet(ctx.locator, call)}`) orders the steps without data, "
                             "which a v2 pipeline cannot express: make the later step read an output of the earlier one")
        edits.append(ctx.delete(statement))
        taken += [func.value, earlier_name]  # type: ignore[list-item]
    return taken


def _reads_from(later: StepPlan, earlier: StepPlan, producer: dict[int, StepPlan]) -> bool:
    """Does ``later`` read, directly or through other steps, data ``earlier`` produces?"""
    seen: set[int] = set()
    pending = [later]
    while pending:
        step = pending.pop()
        for upstream in step.line.upstream.values():
            source = producer.get(upstream.origin)
            if source is earlier:
                return True
            if source is not None and id(source) not in seen:
                seen.add(id(source))
                pending.append(source)
    return False


# What azure-ai-ml takes as a node's name: it names each node after its variable in the pipeline
# function, and rejects any other name when the function is called.
_NODE_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


def _valid_node_names(steps: list[StepPlan], ctx: FixContext) -> None:
    """Give a step whose v1 variable is no valid node name (``dataPrep``) a lower-case one, fresh in
    the module (the pipeline function's body also reads module-level names), in its statements too."""
    taken = {step.node for step in steps}
    for step in steps:
        if _NODE_NAME.match(step.node):
            continue
        wanted = re.sub(r"[^a-z0-9_]", "_", step.node.lower())
        wanted = wanted if re.match(r"[a-z_]", wanted) else f"_{wanted}"
        name, number = wanted, 2
        while name in taken or name in ctx.names_in_module:
            name, number = f"{wanted}_{number}", number + 1
        taken.add(name)
        step.after = [re.sub(rf"^{re.escape(step.node)}\.", f"{name}.", line) for line in step.after]
        step.node = name


def _read_nodes(steps: list[StepPlan]) -> set[str]:
    """Nodes whose outputs another node reads."""
    producer = {origin: step.node for step in steps for origin in step.line.produces}
    return {producer[up.origin] for step in steps for up in step.line.upstream.values() if up.origin in producer}


def plan_pipeline(call: ast.Call, ctx: FixContext) -> PipelinePlan:
    """Raises ValueError with the reason when the pipeline cannot be translated."""
    return plan_once("pipelines", _plan_pipeline, call, ctx)


def _plan_pipeline(call: ast.Call, ctx: FixContext) -> PipelinePlan:
    binding, bound = _assigned(call, ctx, PIPELINE_SIGNATURE, "pipeline")
    extra = sorted(set(bound.values) - {"workspace", "steps", "description"})
    if extra:
        raise ValueError(f"Pipeline({', '.join(extra)}=...) has no mechanical v2 equivalent")
    workspace = bound.values.get("workspace")
    if not isinstance(workspace, ast.Name):
        raise ValueError("the pipeline's workspace is not a variable")
    edits: list[Edit] = []
    names = _step_names(bound.values.get("steps"), ctx, edits)
    steps = []
    for name in names:
        step_binding = ctx.binding_of(name)
        statement = step_binding.node if step_binding is not None else None
        if (isinstance(statement, ast.Assign) and isinstance(statement.value, (ast.List, ast.Tuple))
                and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name)):
            # (audit, stop 63, a M3: ``steps=[prep_steps]`` was said not to be a step this fix migrates)
            raise ValueError(f"`{name.id}` in steps= is itself a list of steps, and this fix reads a flat "
                             f"list: write steps={name.id} (or list its steps) and fix again")
        if not isinstance(statement, ast.Assign) or not is_step(ctx, statement.value):
            raise ValueError(f"step `{name.id}` is not one this fix can migrate ({_MIGRATED_STEPS})")
        try:
            steps.append(_plan_any_step(statement.value, ctx))  # type: ignore[arg-type]
        except ValueError as reason:
            raise ValueError(f"step `{name.id}`: {reason}") from None
    listed = {id(step) for step in steps}
    steps = _with_producers(steps, ctx)
    ordered = _order(steps)
    _valid_node_names(ordered, ctx)
    names = [*names, *_redundant_run_afters(ordered, ctx, edits)]
    settings = _settings(binding, ctx)
    decorator = []
    computes = {step.compute for step in ordered}
    if len(computes) == 1:
        decorator.append(f"default_compute={computes.pop()}")
    if "description" in bound.values:
        decorator.append(f"description={ctx.locator.text(bound.values['description'])}")
    # (keyed as the pipeline function's parameters: ``model-name`` is its input ``model_name``)
    given = [k.split(":", 1)[1] for k in settings if k.startswith("parameter:")]
    overrides = {commandline.identifier(k.split(":", 1)[1]): v for k, v in settings.items() if k.startswith("parameter:")}
    if len(overrides) != len(given):
        raise ValueError(f"pipeline_parameters= names {', '.join(sorted(given))}, two of which are one v2 input name")
    decorator.extend(f"{key}={value}" for key, value in settings.items() if not key.startswith("parameter:"))
    function = _fresh(ctx, f"{binding.name}_pipeline")
    parameters: dict[int, tuple[str, str]] = {}  # dataset origin -> (parameter, pipeline Input source)
    pipeline_parameters: dict[str, commandline.ParameterInput] = {}
    body = []
    for step in ordered:
        arguments = []
        for key, dataset in step.line.datasets.items():
            declaration = dataset.pipeline_input()
            parameter, known = parameters.setdefault(dataset.origin, (dataset.origin_name, declaration))
            if known != declaration:
                raise ValueError(f"the dataset `{parameter}` is read as different types by different steps")
            arguments.append(f"{key}={parameter}")
        for key, parameter in step.line.parameters.items():
            known = pipeline_parameters.setdefault(key, parameter)
            if known.default != parameter.default or known.kind != parameter.kind:
                raise ValueError(f"two PipelineParameters would both be the pipeline input {key!r}")
            arguments.append(f"{key}={key}")
        producers = {origin: s for s in ordered for origin in s.line.produces}
        for key, upstream in step.line.upstream.items():
            producer = producers[upstream.origin]
            arguments.append(f"{key}={producer.node}.outputs.{producer.line.produces[upstream.origin]}")
        body.append(f"{step.node} = {step.component}({', '.join([*arguments, *step.spread])}){step.suffix}")
        body.extend(step.after)
        if len({s.compute for s in ordered}) > 1:
            body.append(f"{step.node}.compute = {step.compute}")
    # Outputs no step reads stay the nodes' own: returned, they would become the pipeline's, where
    # ``${{name}}`` and ``${{output_name}}`` in their paths name the pipeline job and its output
    # instead of the step's run and output, as v1's did (audit, stop 64, lot d M1)
    returned = {name: f"{step.node}.outputs.{key}" for step in ordered for name, key in step.line.pipeline_outputs.items()}
    if len(returned) != sum(len(step.line.pipeline_outputs) for step in ordered):
        raise ValueError("two outputs have one pipeline_output_name")
    read = _read_nodes(ordered) | {v.split(".", 1)[0] for v in returned.values()}
    if len({s.compute for s in ordered}) == 1:
        for step in ordered:
            if step.node not in read:  # a node nothing reads still takes its name from the v1 step
                body.append(f"{step.node}.name = {py_str(step.node)}")
    if returned:  # PipelineData(pipeline_output_name=): the pipeline's own outputs (mapping.md 5.2)
        body.append("return {" + ", ".join(f"{py_str(k)}: {v}" for k, v in returned.items()) + "}")
    names_used = [p for p, _ in parameters.values()]
    node_inputs = {name: source for step in ordered for name, source in step.inputs.items()}
    names_used.extend(node_inputs)
    if len(set(names_used) | set(pipeline_parameters)) != len(names_used) + len(pipeline_parameters):
        raise ValueError("two datasets or parameters would become pipeline inputs of the same name")
    unknown = sorted(set(overrides) - set(pipeline_parameters))
    if unknown:
        raise ValueError(f"pipeline_parameters= names {', '.join(unknown)}, which no step uses")
    indent = ctx.locator.indentation(binding.node)
    newline = ctx.locator.newline
    signature = [*names_used, *(f"{key}={p.default}" for key, p in pipeline_parameters.items())]
    lines = [f"@{symbol('azure.ai.ml', 'dsl')}.pipeline({', '.join(decorator)})", f"def {function}({', '.join(signature)}):"]
    lines.extend(f"    {line}" for line in body)
    call_args = ", ".join([*(f"{p}={source}" for p, source in parameters.values()),
                           *(f"{p}={source}" for p, source in node_inputs.items()),
                           *(f"{key}={value}" for key, value in overrides.items())])
    gap = 1 if indent else 2  # blank lines around a definition, as PEP 8 has them
    text = (newline.join(indent + line for line in lines) + newline * (gap + 1)
            + f"{indent}{binding.name} = {function}({call_args})")
    consumes = [workspace, *names]
    plan = PipelinePlan(call, binding, workspace, ordered, text, edits, consumes)
    plan.requires.extend(step.call for step in steps if id(step) not in listed)
    plan.edits.append(statements.replace(ctx.locator, binding.node, text.lstrip()))
    start = ctx.locator.line_start(ctx.locator.start(binding.node))
    above = statements.remaining_before(ctx.text, start, plan.edits)  # the plan deletes the list of steps
    missing = gap - statements.trailing_blank_lines(above)
    if start and missing > 0 and not str(getattr(ctx.analysis.context, "path", "")).endswith(".ipynb"):
        plan.edits.append(Edit(start, start, newline * missing))  # a notebook cell keeps its first line
    return plan
