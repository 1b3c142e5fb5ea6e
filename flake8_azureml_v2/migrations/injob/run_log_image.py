"""The migration for AML016: ``run.log_image(name, path=...|plot=...)`` logs a v1 image."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.fixing.arguments import is_none
from ...engine.fixing.rewrite import FixContext, Rewrite
from ...engine.fixing.symbols import symbol
from ...engine.names import Ref
from ._shared import (
    refuse_if_metrics_read,
    bind,
    describe,
    drop,
    file_name,
    keep_order,
    new_unit,
    replace,
    run_calls,
    text,
    use_helpers,
)

SIGNATURE = ["name", "path", "plot", "description"]
PYPLOT = Ref("matplotlib.pyplot")
_FIGURE_CALLS = frozenset({"figure", "gcf"})  # pyplot calls that return a Figure
_SUBPLOTS = frozenset({"subplots"})  # (Figure, axes)

# v1 drew any plot with plot.savefig(); mlflow.log_figure takes only a matplotlib or plotly
# Figure.  For anything else (the pyplot module returned by a function, a seaborn grid) this
# helper does what v1 did.
PLOT_HELPER = "_log_v1_plot"
_PLOT_HELPER_SOURCE = f"""def {PLOT_HELPER}(artifact_file, plot):
    \"\"\"Log a plot as run.log_image(plot=) did in SDK v1: what plot.savefig() draws, as a PNG artifact.\"\"\"
    with {symbol("tempfile")}.TemporaryDirectory() as folder:
        path = {symbol("os")}.path.join(folder, {symbol("os")}.path.basename(artifact_file))
        plot.savefig(path)
        mlflow.log_artifact(path, {symbol("os")}.path.dirname(artifact_file) or None)
"""


def _figure(ctx: FixContext, plot: ast.expr) -> str | None:
    """What ``mlflow.log_figure`` takes for ``plot``, when its source shows it is pyplot (whose
    current figure is ``plt.gcf()``) or a Figure pyplot made; None otherwise."""
    if not isinstance(plot, ast.Name):
        return None
    binding = ctx.binding_of(plot)
    if binding is None:
        return None
    if binding.value == PYPLOT:
        return f"{plot.id}.gcf()"
    statement = binding.node
    if binding.conditional or len(ctx.bindings_named(plot.id)) != 1 or not isinstance(statement, ast.Assign):
        return None
    if len(statement.targets) != 1:
        return None
    target = statement.targets[0]
    if isinstance(target, ast.Name) and _pyplot_call(ctx, statement.value, _FIGURE_CALLS):
        return plot.id
    if (isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(target.elts[0], ast.Name)
            and target.elts[0].id == plot.id and _pyplot_call(ctx, statement.value, _SUBPLOTS)):
        return plot.id
    return None


def _pyplot_call(ctx: FixContext, node: ast.expr, names: frozenset[str]) -> bool:
    """``plt.<name>(...)`` or ``<name>(...)`` imported from matplotlib.pyplot."""
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and function.attr in names:
        binding = ctx.binding_of(function.value)
        return binding is not None and binding.value == PYPLOT
    if isinstance(function, ast.Name):
        binding = ctx.binding_of(function)
        return binding is not None and binding.value in {Ref(f"matplotlib.pyplot.{name}") for name in names}
    return False


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    name, path, plot = (bound.values.get(p) for p in ("name", "path", "plot"))
    # ``path=None`` (or ``plot=None``) written out is v1's default: not given (audit 2a)
    if is_none(path) and plot is not None:
        drop(unit, bound, "path")
        path = None
    if is_none(plot) and path is not None:
        drop(unit, bound, "plot")
        plot = None
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
    figure = _figure(ctx, plot)
    if figure is not None:
        keep_order(unit, [plot, name])
        unit.description = "run.log_image(plot=) -> mlflow.log_figure() as '<name>.png'"
        replace(ctx, unit, call, f"mlflow.log_figure({figure}, {artifact})")
        return
    if not use_helpers(ctx, unit, {PLOT_HELPER: _PLOT_HELPER_SOURCE}):
        return
    unit.description = "run.log_image(plot=) -> a helper that saves the plot as '<name>.png' and logs it"
    unit.notes.append(f"{describe(ctx, plot)} is not a Figure pyplot made here, so the helper draws it with "
                      "savefig() as v1 did (mlflow.log_figure takes only a Figure)")
    replace(ctx, unit, call, f"{PLOT_HELPER}({artifact}, {text(ctx, plot)})")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.log_image(name, path=p)`` -> ``mlflow.log_artifact(p)``;
    ``run.log_image(name, plot=plt)`` -> ``mlflow.log_figure(plt.gcf(), f'{name}.png')``."""
    for site in run_calls(ctx, "log_image"):
        unit = new_unit(ctx, site, "AML016", "run.log_image() -> mlflow")
        if not refuse_if_metrics_read(ctx, unit, "an artifact"):
            _rewrite(ctx, unit, site.node)
        yield unit


