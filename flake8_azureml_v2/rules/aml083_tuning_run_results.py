"""AML083: the results of a HyperDrive or AutoML run (best run, best model), which v2 reads with MLflow."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit, RefusalKind

RUN = "azureml.core.Run"
_SEARCH = ("mlflow.search_runs(filter_string=f\"tags.mlflow.parentRunId = '{job.name}'\", "
           "order_by=['metrics.<primary metric> DESC'])")
# method -> what replaces it (mapping-extension.md 8.1; AutoML: the parent job's MLflow tags)
REPLACEMENTS = {
    "get_best_run_by_primary_metric": _SEARCH,
    "get_children_sorted_by_primary_metric": _SEARCH,
    "get_hyperparameters": "each trial's params from mlflow.search_runs on the sweep job's children",
    "get_output": "the parent job's MLflow tag automl_best_child_run_id, then mlflow.<flavor>.load_model",
    "get_best_child": "the parent job's MLflow tag automl_best_child_run_id",
    "continue_experiment": "a new AutoML job",
    "get_guardrails": "the AutoML job's page in the studio",
}
_CALLS = method_calls(RUN, *REPLACEMENTS)


def detect(ctx: Context) -> Iterator[Hit]:
    """Calls on a run (as submitting a HyperDriveConfig or AutoMLConfig returns it) that v2 has no object for."""
    for node in _CALLS(ctx):
        method = node.func.attr  # type: ignore[union-attr]
        yield node, f"run.{method}() is Azure ML SDK v1 (HyperDrive/AutoML); use {REPLACEMENTS[method]}"


RULE = Rule(
    code="AML083",
    name="tuning-run-results",
    family=Family.ADVANCED,
    v1="hd_run.get_best_run_by_primary_metric() / automl_run.get_output() / get_best_child()",
    v2="mlflow.search_runs over the sweep job's children; the AutoML parent's automl_best_child_run_id tag",
    article="migrate-to-v2-execution-hyperdrive",
    fix_safety=FixSafety.MANUAL,
    manual_kind=RefusalKind.NOT_YET,  # the reference neither rules a rewrite out nor gives one this tool can check
    detect=detect,
    why=(
        "v2 returns a job entity, not a run object with results. A sweep's best trial is found by searching "
        "its child runs with MLflow ordered by the primary metric; an AutoML job names its best child in the "
        "automl_best_child_run_id tag, whose model MLflow loads. The code that used the v1 best run (its "
        "metrics, files, register_model) changes with it. `fix --unsafe-fixes` migrates a HyperDrive run's "
        "`best = run.get_best_run_by_primary_metric()` with its submit when every use of `best` has an MLflow "
        "form (mapping-extension.md 8.1, with a TODO); the rest is migrated by hand."
    ),
    example="best_run = hyperdrive_run.get_best_run_by_primary_metric()",
    sg_rule=_CALLS.sg_rule,  # type: ignore[attr-defined]
    use_instead=(
        "best = mlflow.search_runs(filter_string=f\"tags.mlflow.parentRunId = '{returned_job.name}'\",\n"
        "                          order_by=['metrics.accuracy DESC']).iloc[0]"
    ),
)
