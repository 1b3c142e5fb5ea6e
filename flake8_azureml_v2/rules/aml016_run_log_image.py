"""AML016: ``run.log_image(name, path=...|plot=...)`` logs a v1 image."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.context import Context
from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import sg_method_calls
from ..engine.names import Ref
from ._rule import AmlRule as Rule, Family, FixSafety, Hit
from ._injob import (
    bind,
    describe,
    drop,
    file_name,
    keep_order,
    new_unit,
    replace,
    run_calls,
    text,
)
from ._shared import RUN

SIGNATURE = ["name", "path", "plot", "description"]
PYPLOT = Ref("matplotlib.pyplot")


def detect(ctx: Context) -> Iterator[Hit]:
    """Every ``run.log_image(...)``; the message follows ``plot=`` or ``path=``."""
    for call in ctx.model.method_calls(RUN, "log_image"):
        plot, _ = call.argument(2, "plot")
        path, _ = call.argument(1, "path")
        if plot is not None:
            yield call.node, (
                "run.log_image(plot=...) is Azure ML SDK v1; use mlflow.log_figure(figure, f'{name}.png')"
            )
        elif path is not None:
            yield call.node, "run.log_image(path=...) is Azure ML SDK v1; use mlflow.log_artifact(path)"
        else:
            yield call.node


def _figure(ctx: FixContext, unit: Rewrite, plot: ast.expr) -> str:
    """v1 calls ``plot.savefig``: pyplot saves its current figure, which
    ``mlflow.log_figure`` wants spelled ``plt.gcf()``."""
    if isinstance(plot, ast.Name):
        binding = ctx.binding_of(plot)
        if binding is not None and binding.value == PYPLOT:
            return f"{plot.id}.gcf()"
    unit.notes.append(f"assumes {describe(ctx, plot)} is a matplotlib Figure")
    return text(ctx, plot)


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name, path, plot = (bound.values.get(p) for p in ("name", "path", "plot"))
    if name is None or (path is None) == (plot is None):
        unit.refuse("run.log_image() needs a name and exactly one of path= and plot=")
        return
    drop(unit, bound, "description")
    if path is not None:
        drop(unit, bound, "name")
        unit.description = "run.log_image(path=) -> mlflow.log_artifact() (the file keeps its own name)"
        replace(ctx, unit, call, f"mlflow.log_artifact({text(ctx, path)})")
        return
    assert plot is not None
    artifact = file_name(ctx, name, ".png")
    if artifact is None:
        unit.refuse(f"the image name {describe(ctx, name)} is not a literal or a variable")
        return
    keep_order(unit, [plot, name])
    unit.description = "run.log_image(plot=) -> mlflow.log_figure() as '<name>.png'"
    replace(ctx, unit, call, f"mlflow.log_figure({_figure(ctx, unit, plot)}, {artifact})")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_image(name, path=p)`` -> ``mlflow.log_artifact(p)``;
    ``run.log_image(name, plot=plt)`` -> ``mlflow.log_figure(plt.gcf(), f'{name}.png')``."""
    for site in run_calls(ctx, "log_image"):
        unit = new_unit(ctx, site, "AML016", "run.log_image() -> mlflow")
        _rewrite(ctx, unit, site.node)
        yield unit


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
    fixer=fix,
)
