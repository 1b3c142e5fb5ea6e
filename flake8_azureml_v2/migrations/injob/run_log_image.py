"""The migration for AML016: ``run.log_image(name, path=...|plot=...)`` logs a v1 image."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.rewrite import FixContext, Rewrite
from ...engine.names import Ref
from ._shared import (
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

SIGNATURE = ["name", "path", "plot", "description"]
PYPLOT = Ref("matplotlib.pyplot")


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


