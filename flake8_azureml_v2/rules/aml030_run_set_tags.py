"""AML030: ``run.set_tags(tags)`` tags the v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing.rewrite import FixContext, Rewrite
from ._matchers import method_calls
from ._rule import AmlRule as Rule, Family, FixSafety
from ._injob import bind, new_unit, rename_call, run_calls
from ._shared import RUN


def _rewrite(ctx: FixContext, unit: Rewrite, call: ast.Call) -> None:
    bound = bind(unit, call, ["tags"])
    if bound is None:
        return
    tags = bound.values.get("tags")
    if tags is None:
        unit.refuse("run.set_tags() without tags")
        return
    rename_call(ctx, unit, call, "mlflow.set_tags")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.set_tags(d)`` on the job's own run -> ``mlflow.set_tags(d)`` (a submitted
    run's set_tags is folded into the submit by AML001 instead)."""
    for site in run_calls(ctx, "set_tags"):
        unit = new_unit(ctx, site, "AML030", "run.set_tags() -> mlflow.set_tags()")
        _rewrite(ctx, unit, site.node)
        yield unit

RULE = Rule(
    code="AML030",
    name="run-set-tags",
    family=Family.IN_JOB,
    v1="run.set_tags()",
    v2="mlflow.set_tags(tags)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=method_calls(RUN, "set_tags"),
    why=(
        "mlflow.set_tags takes the same dict. Like run.tag, it acts on the active MLflow "
        "run, which is the job's run only inside a v2 job; run elsewhere, MLflow starts a "
        "local run, so the rewrite is marked unsafe."
    ),
    example="run.set_tags({'team': 'vision', 'data': 'v3'})",
    use_instead="mlflow.set_tags({'team': 'vision', 'data': 'v3'})",
    fixer=fix,
)
