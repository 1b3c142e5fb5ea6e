"""AML012: ``run.log(name, value)`` logs a v1 metric."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ..engine.names import Const
from ..migrations import fixer
from ._matchers import SUBMITTED_RUN_V2, on_a_submitted_run, sg_method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit
from ._shared import RUN


def detect(ctx: Context) -> Iterator[Hit]:
    """Every ``run.log(...)``; a literal string value gets a message of its own,
    because ``mlflow.log_metric`` rejects strings."""
    for call in ctx.model.method_calls(RUN, "log"):
        _, value = call.argument(1, "value")
        if on_a_submitted_run(ctx, call.node):
            yield call.node, SUBMITTED_RUN_V2.format(method="run.log", call="log_metric")
        elif isinstance(value, Const):
            yield call.node, (
                "run.log() of a string is Azure ML SDK v1; use mlflow.set_tag(name, value) "
                "(mlflow.log_metric accepts numbers only)"
            )
        else:
            yield call.node


RULE = Rule(
    code="AML012",
    name="run-log",
    family=Family.IN_JOB,
    v1="run.log()",
    v2="mlflow.log_metric(name, value) (numbers only; v1's 3rd positional is a description, drop it)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "MLflow records metrics against the run the v2 job starts. mlflow.log_metric "
        "takes numbers only: a string raises and a bool is stored as 1.0 or 0.0, so the "
        "rewrite is safe only for numeric values. The third positional argument of v1 "
        "run.log is a description, not the step; pass step= by keyword. The fix logs a "
        "value known to be a string (a literal, or a variable assigned one) as a tag "
        "instead, refuses lists, dicts and None, and assumes any other value is a number."
    ),
    example=(
        "run.log('loss', loss, 'training loss')\n"
        "run.log('epoch_loss', loss, step=epoch)"
    ),
    use_instead=(
        "mlflow.log_metric('loss', loss)\n"
        "mlflow.log_metric('epoch_loss', loss, step=epoch)"
    ),
    sg_rule=sg_method_calls("log"),
    fixer=fixer("injob.run_log"),
)
