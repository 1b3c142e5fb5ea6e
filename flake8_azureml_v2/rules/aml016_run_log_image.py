"""AML016: ``run.log_image(name, path=...|plot=...)`` logs a v1 image."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.context import Context
from ..migrations import fixer
from ._matchers import sg_method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit
from ._shared import RUN


def detect(ctx: Context) -> Iterator[Hit]:
    """Every ``run.log_image(...)``; the message follows ``plot=`` or ``path=``."""
    for call in ctx.model.method_calls(RUN, "log_image"):
        plot, _ = call.argument(2, "plot")
        path, _ = call.argument(1, "path")
        plot, path = (None if _is_none(node) else node for node in (plot, path))  # (``plot=None``: the path form)
        if plot is not None:
            yield call.node, (
                "run.log_image(plot=...) is Azure ML SDK v1; use mlflow.log_figure(figure, f'{name}.png')"
            )
        elif path is not None:
            yield call.node, "run.log_image(path=...) is Azure ML SDK v1; use mlflow.log_artifact(path)"
        else:
            yield call.node


def _is_none(node: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


RULE = Rule(
    code="AML016",
    name="run-log-image",
    family=Family.IN_JOB,
    v1="run.log_image()",
    v2="mlflow.log_figure(figure, f'{name}.png') for plot=, mlflow.log_artifact(path) for path=",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=detect,
    why=(
        "Images become artifacts. An image file is uploaded with mlflow.log_artifact, which "
        "keeps the file name and drops the v1 name; a matplotlib plot is saved with "
        "mlflow.log_figure, which takes a figure object (plt.gcf()), not the pyplot module."
    ),
    example=(
        "run.log_image('roc', path='outputs/roc.png')\n"
        "run.log_image('loss_curve', plot=plt)"
    ),
    use_instead=(
        "mlflow.log_artifact('outputs/roc.png')\n"
        "mlflow.log_figure(plt.gcf(), 'loss_curve.png')"
    ),
    sg_rule=sg_method_calls("log_image"),
    fixer=fixer("injob.run_log_image"),
)
