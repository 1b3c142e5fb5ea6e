"""The migration for AML031: ``run.complete()`` closes a v1 run."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...engine.findings import RefusalKind, line_ref
from ...engine.fixing import statements
from ...engine.fixing.rewrite import FixContext, Rewrite
from ...engine.fixing.symbols import symbol
from ._shared import (MLFLOW_USES, held_by_launcher, is_pure, new_unit, remove_statement, run_calls, start_logging_call,
                      unseen_v1_launcher)


COMPLETE = "_v1_complete"
_COMPLETE_SOURCE = f'''def {COMPLETE}():
    """run.complete() of experiment.start_logging(): v1 uploaded ./outputs, then ended the run."""
    if {symbol("os")}.path.isdir("outputs"):
        mlflow.log_artifacts("outputs", artifact_path="outputs")
    mlflow.end_run()
'''


def _started_here(ctx: FixContext, receiver: ast.expr) -> bool:
    binding = ctx.binding_of(receiver) if isinstance(receiver, ast.Name) else None
    return binding is not None and start_logging_call(ctx, binding) is not None


def _used_after(ctx: FixContext, call: ast.Call) -> ast.Name | None:
    """A use of the run that logs after ``call`` (its ``complete()``) in the text.  In v1 the
    variable still names that run; after ``mlflow.end_run()`` MLflow's next call starts a run of
    its own, so what follows would land in another run."""
    receiver = call.func.value  # type: ignore[attr-defined]
    binding = ctx.binding_of(receiver) if isinstance(receiver, ast.Name) else None
    end = (call.end_lineno or call.lineno, call.end_col_offset or 0)
    later = [use for use in (binding.uses if binding is not None else [])
             if (use.lineno, use.col_offset) > end and _logs(ctx, use)]
    return min(later, key=lambda use: (use.lineno, use.col_offset), default=None)


def _logs(ctx: FixContext, use: ast.Name) -> bool:
    """A use whose migration logs through MLflow's active run (or completes it again); the
    started run's ``.id`` reads the MLflow run object, ended or not."""
    read = ctx.parent(use)
    return isinstance(read, ast.Attribute) and read.attr != "id" and read.attr in (*MLFLOW_USES, "complete")


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.complete()`` on the job's own run is deleted: v1 did nothing with it in a submitted run
    (mapping.md 6), and a v2 job ends its run itself, whatever the script logs with.
    A run from ``experiment.start_logging()`` ends its MLflow run, after v1's upload of ./outputs."""
    for site in run_calls(ctx, "complete"):
        call = site.node
        started = _started_here(ctx, call.func.value)  # type: ignore[attr-defined]
        description = ("run.complete() -> ./outputs logged, mlflow.end_run()" if started
                       else "removed run.complete(): a job ends its own run (in a submitted v1 run it did nothing)")
        unit = new_unit(ctx, site, "AML031", description, mlflow=started)
        statement = ctx.parent(call)
        if not isinstance(statement, ast.Expr):
            unit.refuse("the result of run.complete() is used")
        elif not all(is_pure(a) for a in [*call.args, *(k.value for k in call.keywords)]):
            unit.refuse("its arguments are computed by calls")
        elif started and (later := _used_after(ctx, call)) is not None:
            unit.refuse(f"`{later.id}` is used again at {line_ref(later.lineno)}, after this complete(): in v1 that "
                        "is still the same run, but once mlflow.end_run() has ended it MLflow would log to a new "
                        "run; complete the run once, after its last use", RefusalKind.DATA_FLOW)
        elif started:
            unit.edits.append(statements.replace(ctx.locator, call, f"{COMPLETE}()"))
            unit.helpers[COMPLETE] = _COMPLETE_SOURCE
        elif (held := held_by_launcher(ctx) or unseen_v1_launcher(ctx)) is not None:
            unit.refuse(f"{held}, so no v2 job ends the run for it: migrate the launcher first", RefusalKind.DATA_FLOW)
        else:
            remove_statement(ctx, unit, statement)
            unit.uses_counterpart = False  # a deletion: alone, it writes no MLflow call (nor the TODO)
        yield unit

