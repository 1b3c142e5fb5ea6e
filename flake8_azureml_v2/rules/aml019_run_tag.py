"""AML019: ``run.tag(key, value)`` tags the v1 run."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.context import Context
from ..migrations import fixer
from ._matchers import SUBMITTED_RUN_V2, method_calls, on_a_submitted_run
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety, Hit
from ._shared import RUN


def _detect(ctx: Context) -> Iterator[Hit]:
    """Every ``run.tag(...)``; one on the run this program submitted names the submitting side's form."""
    for call in ctx.model.method_calls(RUN, "tag"):
        if on_a_submitted_run(ctx, call.node):
            yield call.node, (SUBMITTED_RUN_V2.format(method="run.tag", call="set_tag")
                              + ", or tags= on ml_client.jobs.create_or_update()")
        else:
            yield call.node


_detect.sg_rule = method_calls(RUN, "tag").sg_rule  # type: ignore[attr-defined]


RULE = Rule(
    code="AML019",
    name="run-tag",
    family=Family.IN_JOB,
    v1="run.tag()",
    v2="mlflow.set_tag(key, value) (mlflow.set_tag(key, '') for a tag without value)",
    article="reference-migrate-sdk-v1-mlflow-tracking",
    fix_safety=FixSafety.UNSAFE,
    detect=_detect,
    why=(
        "The call itself translates one to one, but it tags whatever MLflow run is active: "
        "the job's run inside a v2 job, while outside a job MLflow starts a local run of "
        "its own instead of v1's offline run. The rewrite is therefore marked unsafe. "
        "v1's value-less tag becomes an empty string."
    ),
    example="run.tag('stage', 'tuning')",
    use_instead="mlflow.set_tag('stage', 'tuning')",
    fixer=fixer("injob.run_tag"),
)
