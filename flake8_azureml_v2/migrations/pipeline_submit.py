"""The migration for AML043: ``pipeline.submit(experiment_name)`` on a v1 Pipeline."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..engine.fixing import listedit, statements
from ..engine.fixing.arguments import bind_arguments
from ..engine.fixing.edits import Edit
from ..engine.fixing.rewrite import FixContext, Rewrite
from ._common import workspace_binding
from .pipelines import MOVED_FROM_SUBMIT
from .submission import translate_run_uses

PIPELINE = "azureml.pipeline.core.Pipeline"
SIGNATURE = ["experiment_name", "pipeline_parameters", "continue_on_step_failure", "regenerate_outputs"]


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run = pipeline.submit(name)`` -> ``ml_client.jobs.create_or_update(pipeline,
    experiment_name=name)``; the settings move to the decorator (AML004)."""
    for site in ctx.model.method_calls(PIPELINE, "submit"):
        call = site.node
        unit = Rewrite("AML043", call, "pipeline.submit() -> ml_client.jobs.create_or_update()")
        receiver = call.func.value  # type: ignore[attr-defined]
        bound = bind_arguments(call, SIGNATURE)
        pipeline = ctx.binding_of(receiver) if isinstance(receiver, ast.Name) else None
        statement = pipeline.node if pipeline is not None else None
        if isinstance(bound, str) or set(bound.values) - {"experiment_name", *MOVED_FROM_SUBMIT} or "experiment_name" not in bound.values:
            yield unit.refuse("pipeline.submit() with arguments other than the experiment name and settings")
            continue
        if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
            yield unit.refuse("the pipeline is not a variable assigned from Pipeline(...)")
            continue
        workspace_node = next((a for a in statement.value.args[:1]), None) or next(
            (k.value for k in statement.value.keywords if k.arg == "workspace"), None)
        workspace = workspace_binding(ctx, workspace_node)
        if workspace is None or not ctx.holds_at(call, workspace):
            yield unit.refuse("the pipeline's workspace is not a Workspace variable visible here")
            continue
        client = ctx.counterpart(workspace)
        unit.consumes.append(receiver)
        sg_call = ctx.locator.sg(call, "call")
        if sg_call is None:
            yield unit.refuse("ast-grep could not locate the call")
            continue
        container = sg_call.field("arguments")
        unit.edits.append(statements.replace(ctx.locator, call.func, f"{client}.jobs.create_or_update"))
        doomed = []
        for index, element in enumerate(listedit.elements(container)):
            parameter = element.keyword or SIGNATURE[index]
            if parameter == "experiment_name":
                keyword = "" if element.keyword else "experiment_name="
                unit.edits.append(Edit(element.start, element.start, f"{receiver.id}, {keyword}"))
            elif parameter in MOVED_FROM_SUBMIT:
                doomed.append(element)
        unit.edits.extend(listedit.delete_many(ctx.text, container, doomed))
        run = ctx.assigned_binding(call)
        if run is not None:
            unit.binding = run
            translate_run_uses(run, client, unit, ctx, workspace, call, None, pipeline=True)
        elif not isinstance(ctx.parent(call), ast.Expr):
            unit.refuse("the submitted run is used as a value this fix cannot follow")
        yield unit


