"""AML019: ``run.tag(key, value)`` tags the v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import method_calls
from ._rule import AmlRule as Rule, Family, FixSafety
from ._injob import append_argument, bind, new_unit, rename_call, replace, run_calls
from ._shared import RUN

SIGNATURE = ["key", "value"]


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, SIGNATURE)
    if bound is None:
        return
    key, value = bound.values.get("key"), bound.values.get("value")
    if key is None:
        unit.refuse("run.tag() without a key")
        return
    if isinstance(value, ast.Constant) and value.value is None:
        replace(ctx, unit, value, '""')
    if rename_call(ctx, unit, call, "mlflow.set_tag") is not None and value is None:
        append_argument(ctx, unit, call, '""')


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.tag(key[, value])`` -> ``mlflow.set_tag(key, value or "")``."""
    for site in run_calls(ctx, "tag"):
        unit = new_unit(ctx, site, "AML019", "run.tag() -> mlflow.set_tag()")
        _rewrite(ctx, unit, site.node)
        yield unit

RULE = Rule(
    code="AML019",
    name="run-tag",
    family=Family.IN_JOB,
    v1="run.tag()",
    v2="mlflow.set_tag(key, value) (mlflow.set_tag(key, '') for a tag without value)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "tag"),
    why=(
        "The call itself translates one to one, but it tags whatever MLflow run is active: "
        "the job's run inside a v2 job, while outside a job MLflow starts a local run of "
        "its own instead of v1's offline run. The rewrite is therefore marked unsafe. "
        "v1's value-less tag becomes an empty string."
    ),
    example="run.tag('stage', 'tuning')",
    use_instead="mlflow.set_tag('stage', 'tuning')",
    fixer=fix,
)
