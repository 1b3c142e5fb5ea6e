"""The migration for AML050: ``HyperDriveConfig`` becomes a sweep of the trial command.

mapping-extension.md 8.1 and mapping.md 8::

    ps = RandomParameterSampling({"--lr": uniform(0.01, 0.1)})
    hd = HyperDriveConfig(run_config=src, hyperparameter_sampling=ps, primary_metric_name="acc",
                          primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=20)
    ->
    ps = {"lr": Uniform(min_value=0.01, max_value=0.1)}
    hd = src(**ps).sweep(sampling_algorithm="random", primary_metric="acc", goal="Maximize",
                         max_total_trials=20, max_concurrent_trials=20, timeout=604800)

v1 appended ``--<key> <value>`` to the trial's argv by itself and dropped a
fixed argument of the same name; v2 needs the key as an input the command
binds, so the trial's command (AML002 or AML009) gets ``--lr ${{inputs.lr}}``
through :func:`extend_trial`.  The v1 defaults v2 leaves unset are written out:
concurrency equal to the total, the 7-day timeout, ``evaluation_interval=1``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from ..engine.findings import RefusalKind
from ..engine.fixing.arguments import constant_str, py_str
from ..engine.fixing.edits import Edit, apply_in_span
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.fixing.specs import (
    Argument,
    Build,
    CallSpec,
    Default,
    Drop,
    Keep,
    Map,
    Refuse,
    Refused,
    apply_call_spec,
)
from ..engine.names import Binding
from . import commandline, hyperdrive_step
from ._origin import single_use_call

CODE = "AML050"
HYPERDRIVE_CONFIG = "azureml.train.hyperdrive.HyperDriveConfig"
_PACKAGE = "azureml.train.hyperdrive"
V1_DEFAULT_MINUTES = 10080  # HyperDriveConfig(max_duration_minutes=10080): 7 days
SEARCHED = 0  # the origin of a trial input the search space binds (no PipelineParameter's)
_SWEEP = "azure.ai.ml.sweep"

# parameter expression -> (v1 parameters in order, v2 class, the v2 input type of its values)
_EXPRESSIONS = {
    "uniform": (("min_value", "max_value"), "Uniform", "number"),
    "loguniform": (("min_value", "max_value"), "LogUniform", "number"),
    "quniform": (("min_value", "max_value", "q"), "QUniform", "number"),
    "qloguniform": (("min_value", "max_value", "q"), "QLogUniform", "number"),
    "normal": (("mu", "sigma"), "Normal", "number"),
    "qnormal": (("mu", "sigma", "q"), "QNormal", "number"),
    "lognormal": (("mu", "sigma"), "LogNormal", "number"),
    "qlognormal": (("mu", "sigma", "q"), "QLogNormal", "number"),
    "randint": (("upper",), "Randint", "integer"),
}
EXPRESSION_SPECS = {
    name: CallSpec(old=f"{_PACKAGE}.{name}", signature=parameters, new=(_SWEEP, v2),
                   params={p: Keep(p) for p in parameters})
    for name, (parameters, v2, _) in _EXPRESSIONS.items()
}
_SAMPLINGS = {"RandomParameterSampling": "random", "GridParameterSampling": "grid",
              "BayesianParameterSampling": "bayesian"}
_KINDS = {bool: "boolean", int: "integer", float: "number", str: "string"}

# Early-termination policies: v2's are keyword-only and Bandit/Truncation default to
# evaluation_interval=0 where v1 used 1.
POLICY_SPECS = {
    "BanditPolicy": CallSpec(
        old=f"{_PACKAGE}.BanditPolicy", signature=("evaluation_interval", "slack_factor", "slack_amount",
                                                    "delay_evaluation"),
        new=(_SWEEP, "BanditPolicy"), params={p: Keep(p) for p in ("evaluation_interval", "slack_factor",
                                                                    "slack_amount", "delay_evaluation")},
        defaults=(Default("evaluation_interval", "1"),)),
    "MedianStoppingPolicy": CallSpec(
        old=f"{_PACKAGE}.MedianStoppingPolicy", signature=("evaluation_interval", "delay_evaluation"),
        new=(_SWEEP, "MedianStoppingPolicy"),
        params={p: Keep(p) for p in ("evaluation_interval", "delay_evaluation")}),
    "TruncationSelectionPolicy": CallSpec(
        old=f"{_PACKAGE}.TruncationSelectionPolicy",
        signature=("truncation_percentage", "evaluation_interval", "delay_evaluation", "exclude_finished_jobs"),
        new=(_SWEEP, "TruncationSelectionPolicy"),
        params={"truncation_percentage": Keep("truncation_percentage"), "evaluation_interval": Keep("evaluation_interval"),
                "delay_evaluation": Keep("delay_evaluation"), "exclude_finished_jobs": Drop(when=lambda a: _false(a.node))},
        defaults=(Default("evaluation_interval", "1"),)),
}


def _false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _short(ctx: FixContext, call: ast.AST) -> str | None:
    """``uniform`` for a call of ``azureml.train.hyperdrive[.<module>].uniform``."""
    callee = ctx.callee(call)
    if callee is None or not callee.startswith(_PACKAGE + "."):
        return None
    return callee.rsplit(".", 1)[1]


@dataclass
class Dimension:
    key: str  # as v1 wrote it: "--lr"
    flag: str  # what v1 put on argv: "--lr"
    name: str  # the v2 input: "lr"
    kind: str  # its v2 input type


@dataclass
class SearchSpace:
    call: ast.Call  # RandomParameterSampling(...)
    binding: Binding | None  # the variable holding it, if any
    algorithm: str  # sampling_algorithm= source
    dimensions: list[Dimension]
    text: str  # the v2 search space (a dict literal's source)
    rewrite: Rewrite  # scratch rewrite holding what the conversion needs (notes, helpers)


def search_space(node: ast.expr, ctx: FixContext) -> SearchSpace:
    """The sampling a HyperDriveConfig names, converted once per pass; raises :class:`Refused`."""
    cache: dict[int, SearchSpace | str] = ctx.cache.setdefault("hyperdrive:spaces", {})  # type: ignore[assignment]
    call, binding = _sampling_call(node, ctx)
    found = cache.get(id(call))
    if isinstance(found, str):
        raise Refused(found, RefusalKind.DATA_FLOW)
    if found is None:
        try:
            found = cache[id(call)] = _convert(call, binding, ctx)
        except Refused as reason:
            cache[id(call)] = str(reason)
            raise
    return found


def _sampling_call(node: ast.expr, ctx: FixContext) -> tuple[ast.Call, Binding | None]:
    return single_use_call(node, ctx, "hyperparameter_sampling=")


def _convert(call: ast.Call, binding: Binding | None, ctx: FixContext) -> SearchSpace:
    kind = _short(ctx, call)
    if kind not in _SAMPLINGS:
        raise Refused("hyperparameter_sampling= is not a Random/Grid/BayesianParameterSampling(...)")
    values = dict(zip(("parameter_space", "properties"), call.args))
    values.update({k.arg: k.value for k in call.keywords if k.arg is not None})
    space = values.get("parameter_space")
    if len(values) != len(call.args) + len(call.keywords) or not isinstance(space, ast.Dict) or not space.keys:
        raise Refused("the parameter space is not a literal dict", RefusalKind.DATA_FLOW)
    algorithm = py_str(_SAMPLINGS[kind])
    properties = values.get("properties")
    if properties is not None:
        algorithm = _seeded(properties, kind, ctx)
    scratch = Rewrite(CODE, call, "")
    edits: list[Edit] = []
    dimensions = []
    for key_node, value in zip(space.keys, space.values):
        key = constant_str(key_node)
        if key is None or not key.strip("-"):
            raise Refused("a parameter space key is not a literal string", RefusalKind.DATA_FLOW)
        name = commandline.identifier(key.lstrip("-").replace("-", "_"))
        flag = key if key.startswith("-") else f"--{key}"
        edits.append(Edit(ctx.locator.start(key_node), ctx.locator.end(key_node), py_str(name)))
        dimensions.append(Dimension(key, flag, name, _expression(value, scratch, edits, ctx)))
    if len({d.name for d in dimensions}) != len(dimensions):
        raise Refused("two parameter space keys would become the same input name", RefusalKind.DATA_FLOW)
    text = apply_in_span(ctx.text, ctx.locator.start(space), ctx.locator.end(space), edits)
    return SearchSpace(call, binding, algorithm, dimensions, text, scratch)


def _seeded(properties: ast.expr, kind: str, ctx: FixContext) -> str:
    """``properties={"rngSeed": s}`` (random sampling only) -> ``RandomSamplingAlgorithm(seed=s)``."""
    if (kind == "RandomParameterSampling" and isinstance(properties, ast.Dict) and len(properties.keys) == 1
            and constant_str(properties.keys[0]) == "rngSeed"):
        return f"{ctx.symbol(_SWEEP, 'RandomSamplingAlgorithm')}(seed={ctx.locator.text(properties.values[0])})"
    raise Refused("sampling properties= other than {'rngSeed': seed} on random sampling")


def _expression(value: ast.expr, scratch: Rewrite, edits: list[Edit], ctx: FixContext) -> str:
    """Convert one parameter expression in place (its edits go to ``edits``); its input type."""
    name = _short(ctx, value) if isinstance(value, ast.Call) else None
    if name == "choice":
        return _choice(value, edits, ctx)  # type: ignore[arg-type]
    if name not in _EXPRESSIONS:
        raise Refused("a parameter space value is not a parameter expression (choice, uniform, ...)",
                      RefusalKind.DATA_FLOW)
    before = len(scratch.edits)
    apply_call_spec(EXPRESSION_SPECS[name], value, scratch, ctx)  # type: ignore[arg-type]
    edits.extend(scratch.edits[before:])
    return _EXPRESSIONS[name][2]


def _choice(call: ast.Call, edits: list[Edit], ctx: FixContext) -> str:
    """``choice(1, 2)`` / ``choice([1, 2])`` / ``choice(range(1, 3))`` -> ``Choice(values=[...])``."""
    if call.keywords:
        raise Refused("choice() with keyword arguments", RefusalKind.DATA_FLOW)
    options: list[ast.expr] = list(call.args)
    if len(options) == 1 and isinstance(options[0], (ast.List, ast.Tuple)):
        options = list(options[0].elts)  # type: ignore[attr-defined]
    elif len(options) == 1 and isinstance(options[0], ast.Call):
        return _choice_range(call, options[0], edits, ctx)
    literals = [o.value for o in options if isinstance(o, ast.Constant)]
    if not options or len(literals) != len(options):
        raise Refused("choice() over values that are not literals", RefusalKind.DATA_FLOW)
    text = ", ".join(ctx.locator.text(o) for o in options)
    edits.append(Edit(ctx.locator.start(call), ctx.locator.end(call),
                      f"{ctx.symbol(_SWEEP, 'Choice')}(values=[{text}])"))
    return _kind_of(literals)


def _choice_range(call: ast.Call, inner: ast.Call, edits: list[Edit], ctx: FixContext) -> str:
    if not (isinstance(inner.func, ast.Name) and inner.func.id == "range" and not inner.keywords
            and all(isinstance(a, ast.Constant) and type(a.value) is int for a in inner.args)):
        raise Refused("choice() over an expression that is not a literal list or range", RefusalKind.DATA_FLOW)
    values = list(range(*[a.value for a in inner.args]))  # type: ignore[attr-defined]
    edits.append(Edit(ctx.locator.start(call), ctx.locator.end(call),
                      f"{ctx.symbol(_SWEEP, 'Choice')}(values={values!r})"))
    return "integer"


def _kind_of(literals: list[object]) -> str:
    kinds = {_KINDS.get(type(v)) for v in literals}
    if kinds == {"integer", "number"}:
        return "number"
    if len(kinds) != 1 or None in kinds:
        raise Refused("choice() mixes values of different types", RefusalKind.DATA_FLOW)
    return kinds.pop()  # type: ignore[return-value]


# -- the trial command --------------------------------------------------------


def trial_space(binding: Binding | None, ctx: FixContext) -> list[Dimension] | None:
    """The dimensions a trial's command must bind, when every use of the trial variable
    is ``run_config=``/``estimator=`` of a HyperDriveConfig with one search space."""
    if binding is None or not binding.uses:
        return None
    found: list[Dimension] | None = None
    for use in binding.uses:
        keyword = ctx.parent(use)
        call = ctx.parent(keyword) if isinstance(keyword, ast.keyword) else None
        if (not isinstance(keyword, ast.keyword) or keyword.arg not in ("run_config", "estimator")
                or ctx.callee(call) != HYPERDRIVE_CONFIG):
            return None
        sampling = _argument(call, "hyperparameter_sampling", 0)  # type: ignore[arg-type]
        try:
            dimensions = search_space(sampling, ctx).dimensions if sampling is not None else None
        except Refused:
            return None
        if dimensions is None or (found is not None and [d.name for d in found] != [d.name for d in dimensions]):
            return None
        found = dimensions
    return found


def extend_trial(line: commandline.CommandLine, binding: Binding | None, ctx: FixContext) -> bool:
    """Give a trial's command the search space as inputs: v1 appended ``--<key> <value>``
    to argv and removed a fixed argument of the same name (``_remove_duplicate_arguments``).
    False when ``binding`` is not a trial."""
    dimensions = trial_space(binding, ctx)
    if not dimensions:
        return False
    for dimension in dimensions:
        if (dimension.name in line.datasets or dimension.name in line.upstream or dimension.name in line.outputs
                or (dimension.name in line.parameters and line.parameters[dimension.name].origin != SEARCHED)):
            raise Refused(f"the search space's {dimension.flag!r} would take the name of the command's input or "
                          f"output {dimension.name!r}", RefusalKind.DATA_FLOW)
    flags = {d.flag for d in dimensions}
    tokens: list[str] = []
    skip = False
    for token in line.tokens:
        if skip and not _is_flag(token):  # the fixed value the searched one replaces
            skip = False
            continue
        skip = token in flags
        if not skip:
            tokens.append(token)
    if len(tokens) != len(line.tokens) and line.runtime:
        raise Refused("a searched flag is also passed among values known only at run time", RefusalKind.DATA_FLOW)
    for dimension in dimensions:
        tokens.extend([dimension.flag, commandline.placeholder(dimension.name, dimension.kind)])
        line.parameters[dimension.name] = commandline.ParameterInput(dimension.kind, "", SEARCHED)
    line.tokens[:] = tokens
    return True


def _is_flag(token: str) -> bool:
    """``--epochs`` or ``-e``, not a negative number such as ``-0.5``."""
    if not token.startswith("-"):
        return False
    try:
        float(token)
    except ValueError:
        return True
    return False


TRIAL_NOTE = "the command binds the HyperDrive search space as inputs"


def _argument(call: ast.Call, name: str, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[position] if len(call.args) > position else None


# -- the HyperDriveConfig -----------------------------------------------------


def _space_of(arguments: dict[str, Argument]) -> SearchSpace:
    argument = arguments.get("hyperparameter_sampling")
    if argument is None:
        raise Refused("no hyperparameter_sampling=")
    return search_space(argument.node, argument.ctx)


def _sampling(argument: Argument) -> list[str]:
    """``hyperparameter_sampling=ps`` -> ``sampling_algorithm=...``; ``ps`` becomes the v2 search space."""
    space = search_space(argument.node, argument.ctx)
    rewrite, ctx = argument.rewrite, argument.ctx
    rewrite.notes.extend(space.rewrite.notes)
    rewrite.helpers.update(space.rewrite.helpers)
    if space.binding is not None:
        rewrite.edits.append(Edit(ctx.locator.start(space.call), ctx.locator.end(space.call), space.text))
    return [f"sampling_algorithm={space.algorithm}"]


def _trial(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> str:
    """``<trial>(**<search space>).sweep``: the trial command called with the distributions."""
    trial = arguments.get("run_config") or arguments.get("estimator")
    if trial is None or not isinstance(trial.node, ast.Name):
        raise Refused("the trial (run_config= or estimator=) is not a variable", RefusalKind.DATA_FLOW)
    binding = ctx.binding_of(trial.node)
    if not trial_space(binding, ctx):
        raise Refused(f"`{trial.node.id}` is also used outside this HyperDriveConfig: its command cannot take "
                      "the search space as inputs", RefusalKind.DATA_FLOW)
    rewrite.consumes.append(trial.node)
    space = _space_of(arguments)
    if hyperdrive_step.run_by(rewrite.binding, ctx) is not None:
        return "dict"  # a HyperDriveStep's sweep node is built in the pipeline function from these settings
    searched = space.binding.name if space.binding is not None else space.text
    return f"{trial.node.id}(**{searched}).sweep"


def _goal(argument: Argument) -> str:
    reference = argument.ctx.reference(argument.node) or ""
    text = constant_str(argument.node) or reference.rsplit(".", 1)[-1]
    goal = {"MAXIMIZE": "Maximize", "MINIMIZE": "Minimize"}.get(text.upper())
    if goal is None:
        raise Refused("primary_metric_goal= is not PrimaryMetricGoal.MAXIMIZE or MINIMIZE", RefusalKind.DATA_FLOW)
    return py_str(goal)


def _policy(argument: Argument) -> str:
    """A v1 policy object is rebuilt in place as its v2 class (``evaluation_interval=1`` written out)."""
    ctx = argument.ctx
    call, _ = single_use_call(argument.node, ctx, "policy=")
    kind = _short(ctx, call)
    if kind == "NoTerminationPolicy" or kind not in POLICY_SPECS:
        raise Refused("policy= is not a Bandit, MedianStopping or TruncationSelection policy", RefusalKind.DATA_FLOW)
    apply_call_spec(POLICY_SPECS[kind], call, argument.rewrite, ctx)  # type: ignore[arg-type]
    return argument.text


def _is_none(argument: Argument) -> bool:
    return isinstance(argument.node, ast.Constant) and argument.node.value is None


def _unset(argument: Argument | None) -> bool:
    """Left to v1's default: not passed, or a literal None or 0 (v1 took ``max_concurrent_runs or
    max_total_runs``)."""
    return argument is None or isinstance(argument.node, ast.Constant) and not argument.node.value


def _timeout(argument: Argument) -> str:
    node = argument.node
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return str(node.value * 60)
    return f"{argument.text} * 60"


def _limits(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> list[str]:
    """v1's defaults: all runs at once when max_concurrent_runs is None, and 7 days."""
    written = []
    if _unset(arguments.get("max_concurrent_runs")) and "max_total_runs" in arguments:
        written.append(f"max_concurrent_trials={arguments['max_total_runs'].text}")
    if "max_duration_minutes" not in arguments:
        written.append(f"timeout={V1_DEFAULT_MINUTES * 60}")
    return written


SPEC = CallSpec(
    old=HYPERDRIVE_CONFIG,
    signature=("hyperparameter_sampling", "primary_metric_name", "primary_metric_goal", "max_total_runs",
               "max_concurrent_runs", "max_duration_minutes", "policy", "estimator", "run_config", "resume_from",
               "resume_child_runs", "pipeline", "debug_flag", "custom_run_id"),
    new=(_SWEEP, "sweep"),  # replaced by the trial (see callee)
    params={
        "hyperparameter_sampling": Build(_sampling),
        "primary_metric_name": Keep("primary_metric"),
        "primary_metric_goal": Map("goal", _goal),
        "max_total_runs": Keep("max_total_trials"),
        "max_concurrent_runs": Drop(when=_unset, otherwise=Keep("max_concurrent_trials")),
        "max_duration_minutes": Map("timeout", _timeout),
        "policy": Drop(when=_is_none, otherwise=Map("early_termination_policy", _policy)),
        "run_config": Build(lambda argument: []),  # the trial: see callee
        "estimator": Build(lambda argument: []),
        "resume_from": Refuse("resume_from= (warm start) has no v2 sweep equivalent", RefusalKind.IMPOSSIBLE),
        "resume_child_runs": Refuse("resume_child_runs= has no v2 sweep equivalent", RefusalKind.IMPOSSIBLE),
        "pipeline": Refuse("a HyperDrive over a pipeline: sweep a command node inside the pipeline by hand"),
        "debug_flag": Drop("debug_flag= has no v2 equivalent and was dropped"),
        "custom_run_id": Refuse("custom_run_id= has no v2 sweep equivalent", RefusalKind.IMPOSSIBLE),
    },
    produces="job",
    finish=_limits,
    callee=_trial,
)


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``hd = HyperDriveConfig(...)`` -> ``hd = trial(**space).sweep(...)``; the submit (AML001)
    sends ``hd`` to ``ml_client.jobs.create_or_update``."""
    for site in ctx.model.calls_to(HYPERDRIVE_CONFIG):
        call = site.node
        rewrite = Rewrite(CODE, call, "HyperDriveConfig() -> command(...).sweep()")
        rewrite.binding = ctx.assigned_binding(call)
        try:
            apply_call_spec(SPEC, call, rewrite, ctx, rewrite.binding)
        except Refused as reason:
            rewrite.refuse(str(reason), reason.kind)
        yield rewrite
