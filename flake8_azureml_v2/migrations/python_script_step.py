"""The migration for AML003: ``PythonScriptStep`` is a v1 pipeline step."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.fixing import statements
from ..engine.fixing.rewrite import FixContext, Rewrite
from .pipelines import PYTHON_SCRIPT_STEP, plan_step


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """Each step becomes a ``command`` component; the pipeline fixer (AML004) calls it."""
    for site in ctx.model.calls_to(PYTHON_SCRIPT_STEP):
        unit = Rewrite("AML003", site.node, "PythonScriptStep() -> command component")
        unit.binding = ctx.assigned_binding(site.node)  # so that a refusal explains its users too
        try:
            plan = plan_step(site.node, ctx)
        except ValueError as reason:
            yield unit.refuse(str(reason))
            continue
        unit.binding = plan.binding
        unit.registers_with = list(plan.line.consumes)
        unit.registration = "v1 learns from this step which step produces or reads it"
        unit.edits.extend(plan.edits)
        unit.consumes.extend(plan.consumes)
        unit.imports |= plan.line.imports
        unit.findings.extend(plan.line.resolves)
        unit.notes.extend(plan.notes)
        unit.helpers.update(plan.helpers)
        comments = [*plan.todos, *plan.line.todo_comments()]
        if comments:
            unit.edits.append(statements.insert_before(ctx.locator, ctx.statement_of(site.node), comments))
            unit.todos.extend(comments)
        yield unit


