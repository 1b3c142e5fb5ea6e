"""AML034: ``run.parent`` reaches the v1 parent run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.context import Context
from ..engine.nodes import parent_of
from ._matchers import attribute_reads
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit, RefusalKind
from ._shared import RUN

# What a read of the parent is in MLflow's parent run: the message for a read says where to read it.
READS = {"get_tags": "data.tags", "tags": "data.tags", "get_metrics": "data.metrics", "id": "info.run_id",
         "get_status": "info.status", "status": "info.status"}
_PARENT_READS = attribute_reads(RUN, "parent")


def detect(ctx: Context) -> Iterator[Hit]:
    """Every ``run.parent``; a read of its tags, metrics, id or status gets the MLflow field to read."""
    for node in _PARENT_READS(ctx):
        above = parent_of(ctx.model.tree, node)
        if isinstance(above, ast.Attribute) and above.attr in READS:
            yield node, ("run.parent is Azure ML SDK v1; read it as "
                         f"mlflow.get_parent_run(mlflow.active_run().info.run_id).{READS[above.attr]}")
        else:
            yield node


detect.sg_rule = _PARENT_READS.sg_rule  # type: ignore[attr-defined]

RULE = Rule(
    code="AML034",
    name="run-parent",
    family=Family.IN_JOB,
    v1="run.parent",
    v2="mlflow.get_parent_run(mlflow.active_run().info.run_id), then run_id= on the mlflow call",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.MANUAL,
    manual_kind=RefusalKind.NOT_YET,  # the reference classes it "needs human" and gives the v2 form, not impossible
    message=(
        "run.parent is Azure ML SDK v1; get the parent with "
        "mlflow.get_parent_run(mlflow.active_run().info.run_id) and pass its run_id to the mlflow call"
    ),
    detect=detect,
    why=(
        "MLflow has no parent object to call methods on. Look the parent up by the active "
        "run's id and pass its run_id explicitly to each logging call. What the parent is "
        "(a pipeline job, a sweep) also changes in v2, so check that the parent is still "
        "where the value belongs."
    ),
    example="run.parent.log('best_auc', auc)",
    use_instead=(
        "parent = mlflow.get_parent_run(mlflow.active_run().info.run_id)\n"
        "mlflow.log_metric('best_auc', auc, run_id=parent.info.run_id)"
    ),
)
