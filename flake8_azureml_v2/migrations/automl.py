"""The migration for AML051: ``AutoMLConfig(task=...)`` becomes ``automl.<task>(...)``.

mapping-extension.md 8.2 and mapping.md 9: the task picks the v2 factory; the
data, label and metric arguments keep their place under v2 names; limits,
training and featurization settings move to ``set_limits``/``set_training``/
``set_featurization`` after the call, with v1's defaults written out because v2
leaves them to the service.  ``ForecastingParameters`` becomes
``ForecastingSettings`` with the three renames.  Tabular data becomes an
MLTable input (``_tabular``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..engine.findings import RefusalKind
from ..engine.fixing import statements
from ..engine.fixing.arguments import constant_str, known_str
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
from ._origin import single_use_call
from ._setters import Setter, setter_lines, to_setter
from ._tabular import mltable_input
from .automl_step import run_by
from .script_run_config import compute_name

AUTOML_CONFIG = "azureml.train.automl.AutoMLConfig"
AUTOML_IMAGE_CONFIG = "azureml.train.automl.AutoMLImageConfig"
FORECASTING_PARAMETERS = (
    "azureml.automl.core.forecasting_parameters.ForecastingParameters",
    "azureml.train.automl.ForecastingParameters",
)
CODE = "AML051"
# v1 task -> the azure.ai.ml.automl factory (the tabular tasks; NLP and image tasks differ in shape).
TASKS = {"classification": "classification", "regression": "regression", "forecasting": "forecasting"}

# The models each v2 task knows (azure.ai.ml.automl's ClassificationModels, RegressionModels and
# ForecastingModels in azure-ai-ml 1.35): set_training() raises KeyError on any other name, such as
# v1's FastLinearRegressor or TensorFlowDNN.
_COMMON = {"DECISION_TREE", "KNN", "SGD", "RANDOM_FOREST", "EXTREME_RANDOM_TREES", "LIGHT_GBM", "GRADIENT_BOOSTING"}
_REGRESSORS = _COMMON | {"ELASTIC_NET", "LASSO_LARS", "XG_BOOST_REGRESSOR"}
V2_MODELS = {
    "classification": frozenset(_COMMON | {"LOGISTIC_REGRESSION", "MULTINOMIAL_NAIVE_BAYES", "BERNOULLI_NAIVE_BAYES",
                                           "SVM", "LINEAR_SVM", "XG_BOOST_CLASSIFIER"}),
    "regression": frozenset(_REGRESSORS),
    "forecasting": frozenset(_REGRESSORS | {"AUTO_ARIMA", "PROPHET", "NAIVE", "SEASONAL_NAIVE", "AVERAGE",
                                            "SEASONAL_AVERAGE", "EXPONENTIAL_SMOOTHING", "ARIMAX", "TCN_FORECASTER"}),
}


def v2_model_key(name: str) -> str:
    """The enum member v2 looks a model name up as (its camel_to_snake, upper-cased)."""
    text = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z0-9])([A-Z])", r"\1_\2", text).upper()


def _models(argument: Argument, blocked: bool) -> str:
    """A list of v1 model names for set_training(): a blocked model v2 does not have is dropped
    (v2 never tries it), an allowed one is refused (v2 cannot train it)."""
    ctx, node = argument.ctx, argument.node
    task = known_str(ctx, argument.siblings["task"].node) if "task" in argument.siblings else None
    names = [known_str(ctx, e) for e in node.elts] if isinstance(node, (ast.List, ast.Tuple)) else [None]
    if task not in V2_MODELS or None in names:
        raise Refused(f"{argument.name}= is not a list of model names this fix can check against v2's",
                      RefusalKind.DATA_FLOW)
    unknown = [n for n in names if v2_model_key(n) not in V2_MODELS[task]]  # type: ignore[arg-type]
    if not unknown:
        return argument.text
    if not blocked:
        raise Refused(f"{argument.name}= names {', '.join(unknown)}, which v2's {task} cannot train",  # type: ignore[arg-type]
                      RefusalKind.IMPOSSIBLE)
    argument.rewrite.notes.append(f"{', '.join(unknown)} dropped from the blocked models: v2's {task} "  # type: ignore[arg-type]
                                  "has no such model, so it never tries it")
    kept = [e for e, n in zip(node.elts, names) if n not in unknown]  # type: ignore[attr-defined]
    return "[" + ", ".join(ctx.locator.text(e) for e in kept) + "]"


# AutoMLConfig.__init__ in positional order (azureml-train-automl-client 1.62), then the
# keyword arguments its **kwargs accepts that the corpus uses.
SIGNATURE = (
    "task", "path", "iterations", "primary_metric", "positive_label", "compute_target", "spark_context", "X", "y",
    "sample_weight", "X_valid", "y_valid", "sample_weight_valid", "cv_splits_indices", "validation_size",
    "n_cross_validations", "y_min", "y_max", "num_classes", "featurization", "max_cores_per_iteration",
    "max_concurrent_iterations", "iteration_timeout_minutes", "mem_in_mb", "enforce_time_on_windows",
    "experiment_timeout_hours", "experiment_exit_score", "enable_early_stopping", "blocked_models",
    "blacklist_models", "exclude_nan_labels", "verbosity", "enable_tf", "model_explainability", "allowed_models",
    "whitelist_models", "enable_onnx_compatible_models", "enable_voting_ensemble", "enable_stack_ensemble",
    "debug_log", "training_data", "validation_data", "test_data", "test_size", "label_column_name",
    "weight_column_name", "cv_split_column_names", "enable_local_managed", "enable_dnn", "forecasting_parameters",
    "experiment_timeout_minutes", "track_child_runs", "enable_code_generation",
)
SIX_DAYS_IN_MINUTES = 6 * 24 * 60  # v1 DEFAULT_EXPERIMENT_TIMEOUT_SECONDS = 86400 * 6

# v1's defaults that v2 leaves unset (mapping-extension.md 8.2 "Explicit defaults").
SETTERS = (
    Setter("set_limits", (("timeout_minutes", str(SIX_DAYS_IN_MINUTES)), ("max_trials", "1000"),
                          ("max_concurrent_trials", "1"), ("max_cores_per_trial", "1"),
                          ("enable_early_termination", "True"))),
    Setter("set_training", (("enable_onnx_compatible_models", "False"), ("enable_vote_ensemble", "True"))),
    Setter("set_featurization", (("mode", '"auto"'),)),
)


def _minutes(argument: Argument) -> str:
    """``experiment_timeout_hours=0.5`` -> ``30`` (v2 counts whole minutes)."""
    node = argument.node
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return str(int(node.value * 60))
    return f"int({argument.text} * 60)"


def _featurization(argument: Argument) -> str:
    if constant_str(argument.node) in ("auto", "off"):
        return argument.text
    raise Refused("featurization= is a FeaturizationConfig: map its column settings to set_featurization() by hand")


def _compute(argument: Argument) -> str:
    if isinstance(argument.node, ast.Constant) and argument.node.value is None:
        raise Refused("compute_target=None is a local AutoML run, which v2 does not have", RefusalKind.IMPOSSIBLE)
    if known_str(argument.ctx, argument.node) == "local":
        raise Refused('compute_target="local" is a local AutoML run, which v2 does not have', RefusalKind.IMPOSSIBLE)
    return compute_name(argument)


def _data(argument: Argument) -> str:
    return mltable_input(argument, CODE)


def _forecasting(argument: Argument) -> str:
    """``forecasting_parameters=fp`` -> ``forecasting_settings=fp``, ``fp`` rebuilt as ForecastingSettings."""
    ctx = argument.ctx
    call, _ = single_use_call(argument.node, ctx, "forecasting_parameters=")
    if ctx.callee(call) not in FORECASTING_PARAMETERS:
        raise Refused("forecasting_parameters= is not a ForecastingParameters(...) call", RefusalKind.DATA_FLOW)
    apply_call_spec(FORECASTING_SPEC, call, argument.rewrite, ctx)
    return argument.text


_LEVELS = {10: "debug", 20: "info", 30: "warning", 40: "error", 50: "critical"}


def _verbosity(argument: Argument) -> str:
    """v1's logging level (an int, ``logging.INFO``) -> v2's ``log_verbosity`` name."""
    node = argument.node
    if isinstance(node, ast.Constant) and node.value in _LEVELS and not isinstance(node.value, bool):
        return f'"{_LEVELS[node.value]}"'
    return f"{argument.ctx.symbol('logging')}.getLevelName({argument.text}).lower()"


def _drop(what: str) -> Drop:
    return Drop(f"{what}= has no effect on a remote v2 AutoML job and was dropped")


_NOT_YET = "{}= (in-memory data) is not migrated: register the data as an MLTable and pass training_data="

PARAMS = {
    "task": Build(lambda argument: []),  # chooses the factory
    "compute_target": Map("compute", _compute),
    "training_data": Map("training_data", _data),
    "validation_data": Map("validation_data", _data),
    "test_data": Map("test_data", _data),
    "label_column_name": Keep("target_column_name"),
    "weight_column_name": Keep(),
    "primary_metric": Keep(),
    "positive_label": Keep(),
    "n_cross_validations": Keep(),
    "cv_split_column_names": Keep(),
    "validation_size": Keep("validation_data_size"),
    "test_size": Keep("test_data_size"),
    "model_explainability": Keep("enable_model_explainability"),
    "forecasting_parameters": Map("forecasting_settings", _forecasting),
    "experiment_timeout_hours": to_setter("set_limits", "timeout_minutes", _minutes),
    "experiment_timeout_minutes": to_setter("set_limits", "timeout_minutes"),
    "iterations": to_setter("set_limits", "max_trials"),
    "max_concurrent_iterations": to_setter("set_limits", "max_concurrent_trials"),
    "max_cores_per_iteration": to_setter("set_limits", "max_cores_per_trial"),
    "iteration_timeout_minutes": to_setter("set_limits", "trial_timeout_minutes"),
    "experiment_exit_score": to_setter("set_limits", "exit_score"),
    "enable_early_stopping": to_setter("set_limits", "enable_early_termination"),
    "blocked_models": to_setter("set_training", "blocked_training_algorithms", lambda a: _models(a, blocked=True)),
    "blacklist_models": to_setter("set_training", "blocked_training_algorithms", lambda a: _models(a, blocked=True)),
    "allowed_models": to_setter("set_training", "allowed_training_algorithms", lambda a: _models(a, blocked=False)),
    "whitelist_models": to_setter("set_training", "allowed_training_algorithms", lambda a: _models(a, blocked=False)),
    "enable_onnx_compatible_models": to_setter("set_training", "enable_onnx_compatible_models"),
    "enable_voting_ensemble": to_setter("set_training", "enable_vote_ensemble"),
    "enable_stack_ensemble": to_setter("set_training", "enable_stack_ensemble"),
    "enable_dnn": to_setter("set_training", "enable_dnn_training"),
    "featurization": to_setter("set_featurization", "mode", _featurization),
    "path": _drop("path"),
    "debug_log": _drop("debug_log"),
    "verbosity": Map("log_verbosity", _verbosity),
    "enable_tf": _drop("enable_tf"),
    "mem_in_mb": _drop("mem_in_mb"),
    "enforce_time_on_windows": _drop("enforce_time_on_windows"),
    "track_child_runs": Drop("track_child_runs= (v1 run history of many-models children) was dropped: v2 tracks "
                             "every trial"),
    "enable_code_generation": Refuse("enable_code_generation= has no v2 AutoML training setting"),
    "spark_context": Refuse("spark_context= (AutoML on Databricks) has no v2 equivalent", RefusalKind.IMPOSSIBLE),
    "enable_local_managed": Refuse("enable_local_managed= (a local AutoML run) has no v2 equivalent",
                                   RefusalKind.IMPOSSIBLE),
    **{p: Refuse(_NOT_YET.format(p)) for p in ("X", "y", "sample_weight", "X_valid", "y_valid",
                                               "sample_weight_valid", "cv_splits_indices")},
    **{p: Refuse(f"{p}= has no v2 AutoML setting") for p in ("y_min", "y_max", "num_classes", "exclude_nan_labels")},
}


def _required(arguments: dict[str, Argument]) -> None:
    if "training_data" not in arguments or "label_column_name" not in arguments:
        raise Refused("v2 AutoML needs training_data= and label_column_name= (target_column_name)")
    if "compute_target" not in arguments:
        raise Refused("no compute_target: a local AutoML run, which v2 does not have", RefusalKind.IMPOSSIBLE)


def _setters(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> list[str]:
    """The setter calls after the job's statement (the job is the config's variable)."""
    _required(arguments)
    binding = rewrite.binding
    assert binding is not None
    rewrite.edits.extend(statements.insert_after(ctx.locator, binding.node, setter_lines(binding.name, SETTERS, ctx, rewrite)))  # type: ignore[arg-type]
    return []


BASE_SPEC = CallSpec(
    old=AUTOML_CONFIG,
    signature=SIGNATURE,
    new=("azure.ai.ml", "automl.classification"),
    params=PARAMS,
    defaults=(Default("enable_model_explainability", "True", unless=("model_explainability",)),),
    produces="job",
    todo_prefix=f"TODO(azureml-v2): {CODE}",
    finish=_setters,
)

FORECASTING_SPEC = CallSpec(
    old=FORECASTING_PARAMETERS[0],
    signature=("time_column_name", "forecast_horizon", "time_series_id_column_names", "group_column_names",
               "target_lags", "feature_lags", "target_rolling_window_size", "freq", "target_aggregation_function",
               "country_or_region_for_holidays", "seasonality", "use_stl", "short_series_handling_configuration",
               "cv_step_size", "features_unknown_at_forecast_time", "validate_parameters"),
    new=("azure.ai.ml.automl", "ForecastingSettings"),
    params={
        "freq": Keep("frequency"),
        "target_aggregation_function": Keep("target_aggregate_function"),
        "short_series_handling_configuration": Keep("short_series_handling_config"),
        "validate_parameters": Drop("validate_parameters= is a v1 client-side check and was dropped"),
        # v1's "auto" let AutoML choose; v2's field is an int whose absence lets the service choose
        "cv_step_size": Drop("cv_step_size='auto' dropped: v2 takes a number, and leaving it out lets AutoML choose",
                             when=lambda argument: constant_str(argument.node) == "auto", otherwise=Keep()),
        "group_column_names": Refuse("group_column_names= (many-models grouping) has no ForecastingSettings field"),
    },
    defaults=(Default("forecast_horizon", "1"),),  # v1's default; v2 leaves it to the service
)


def spec_for(task: str) -> CallSpec:
    return replace(BASE_SPEC, new=("azure.ai.ml", f"automl.{TASKS[task]}"))


def _task(call: ast.Call, ctx: FixContext) -> str:
    node = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "task"), None)
    task = known_str(ctx, node)
    if task is None:
        raise Refused("task= is not a literal string", RefusalKind.DATA_FLOW)
    if task not in TASKS:
        raise Refused(f"task={task!r}: only the tabular tasks (classification, regression, forecasting) are migrated")
    return task


@dataclass
class StepSettings:
    """A config an AutoMLStep runs: a pipeline's automl node is built inside the pipeline
    function, so the config keeps the factory's arguments (``cfg = dict(...)``) and the
    node takes them, then the setter calls."""

    rewrite: Rewrite  # AML051's rewrite of the config
    factory: str  # ``classification``: the azure.ai.ml.automl factory of the node
    setters: list[str] = field(default_factory=list)  # ``node.set_limits(...)`` and the like


def step_settings(call: ast.Call, ctx: FixContext) -> StepSettings:
    """Built once per pass, for both the config's rewrite and the step's plan."""
    cache: dict[int, StepSettings] = ctx.cache.setdefault("automl_step_settings", {})  # type: ignore[assignment]
    if id(call) in cache:
        return cache[id(call)]
    rewrite = Rewrite(CODE, call, "AutoMLConfig() -> the settings of a pipeline's automl node")
    rewrite.binding = ctx.assigned_binding(call)
    step = run_by(rewrite.binding, ctx)
    node = ctx.assigned_binding(step) if step is not None else None
    found = cache[id(call)] = StepSettings(rewrite, "")

    def node_setters(arguments: dict[str, Argument], ctx: FixContext, rewrite: Rewrite) -> list[str]:
        _required(arguments)
        if node is None:
            raise Refused("the AutoMLStep is not assigned to a variable", RefusalKind.DATA_FLOW)
        found.setters.extend(setter_lines(node.name, SETTERS, ctx, rewrite))
        return []

    try:
        found.factory = TASKS[_task(call, ctx)]
        spec = replace(BASE_SPEC, callee=lambda arguments, ctx, rewrite: "dict", finish=node_setters)
        apply_call_spec(spec, call, rewrite, ctx, rewrite.binding)
    except Refused as reason:
        rewrite.refuse(str(reason), reason.kind)
    return found


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``cfg = AutoMLConfig(task=t, ...)`` -> ``cfg = automl.t(...)`` + setter calls; the
    submit (AML001) then sends ``cfg`` to ``ml_client.jobs.create_or_update``."""
    for site in ctx.model.calls_to(AUTOML_IMAGE_CONFIG):
        yield Rewrite(CODE, site.node, "AutoMLImageConfig() -> automl.image_<task>()", binding=ctx.assigned_binding(
            site.node)).refuse("AutoMLImageConfig (image tasks: automl.image_classification() and the like, with "
                               "their MLTable of JSON-lines labels) is not migrated yet")
    for site in ctx.model.calls_to(AUTOML_CONFIG):
        call = site.node
        rewrite = Rewrite(CODE, call, "AutoMLConfig() -> automl.<task>()")
        binding = ctx.assigned_binding(call)
        if binding is None:
            yield rewrite.refuse("the AutoMLConfig is not assigned to a variable: its v2 limits are set on one",
                                 RefusalKind.DATA_FLOW)
            continue
        if run_by(binding, ctx) is not None:
            yield step_settings(call, ctx).rewrite
            continue
        rewrite.binding = binding
        try:
            task = _task(call, ctx)
            apply_call_spec(spec_for(task), call, rewrite, ctx, binding)
        except Refused as reason:
            rewrite.refuse(str(reason), reason.kind)
        yield rewrite
