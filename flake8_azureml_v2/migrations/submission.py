"""What submitting a v1 job shares between the fixers: the Experiment behind a
submit, and the uses of the returned run that v2 can express on the returned job."""

from __future__ import annotations

import ast

from ..engine.fixing.arguments import bind_arguments, constant_str
from ..engine.fixing.rewrite import FixContext, Rewrite
from ..engine.names import Binding
from ._common import not_a_workspace, workspace_binding
from .run_handle import NEEDS_CLIENT, RunNames, translate_use

EXPERIMENT_SIGNATURE = ["workspace", "name"]


def experiment_parts(call: ast.Call, ctx: FixContext) -> tuple[ast.Name, ast.expr]:
    """The workspace variable and the name expression of ``Experiment(ws, name)``;
    raises ValueError with the reason when they are not plain enough to move."""
    bound = bind_arguments(call, EXPERIMENT_SIGNATURE)
    if isinstance(bound, str):
        raise ValueError(f"Experiment(): {bound}")
    extra = sorted(set(bound.values) - set(EXPERIMENT_SIGNATURE))
    if extra:
        # (named as written: a project function that makes the Experiment takes its own parameters)
        raise ValueError(f"{ctx.locator.text(call.func)}() with {', '.join(extra)}=: migrate it by hand")
    workspace, name = bound.values.get("workspace"), bound.values.get("name")
    if workspace is None or workspace_binding(ctx, workspace) is None:
        raise ValueError(not_a_workspace(ctx, workspace, "the experiment's"))
    if name is None or not (constant_str(name) is not None or is_string_of_variables(name)):
        raise ValueError("the experiment name is not a string built from literals and variables")
    return workspace, name  # type: ignore[return-value]


def is_string_of_variables(node: ast.expr) -> bool:
    """A string written from literals and variable reads, with nothing called: ``name``,
    ``args.experiment_name``, ``cfg["experiment_name"]``, ``prefix + "_test"``,
    ``f"{user}_training"``.  Moved from the Experiment() call to the submit, it gives the same
    text while its variables hold (and a table it is read from is only read: :func:`holds_at`)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, (ast.Name, ast.Attribute, ast.Subscript)) and is_string_of_variables(node.value)
    if isinstance(node, ast.Subscript):
        key = node.slice
        return (isinstance(key, ast.Constant) and isinstance(key.value, (str, int)) and not isinstance(key.value, bool)
                and isinstance(node.value, (ast.Name, ast.Attribute, ast.Subscript)) and is_string_of_variables(node.value))
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Add) and is_string_of_variables(node.left) and is_string_of_variables(node.right)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(part, ast.Constant) or (
            isinstance(part, ast.FormattedValue) and is_string_of_variables(part.value)
            and (part.format_spec is None or all(isinstance(p, ast.Constant) for p in part.format_spec.values)))
            for part in node.values)  # type: ignore[attr-defined]
    return False


def holds_at(name: ast.expr, at: ast.Call, ctx: FixContext) -> ast.Name | None:
    """The first variable of the name expression that may hold another value at the call ``at``.
    An item read (``cfg["n"]``) may change without its variable changing (``cfg.update(...)``,
    another name for the table, a called function): it moves only where nothing runs between
    the Experiment() and the submit (the one is in the other, or right before it)."""
    for node in ast.walk(name):
        if isinstance(node, ast.Name):
            binding = ctx.binding_of(node)
            if binding is None or not ctx.holds_at(at, binding):
                return node
    item = next((n for n in ast.walk(name) if isinstance(n, ast.Subscript)), None)
    if item is not None and not _read_right_before(name, at, ctx):
        return next(n for n in ast.walk(item) if isinstance(n, ast.Name))  # type: ignore[return-value]
    return None


def _read_right_before(name: ast.expr, at: ast.Call, ctx: FixContext) -> bool:
    """``name`` is read in the submit ``at`` itself, or in the statement right before the submit's,
    and the submit evaluates nothing but names and literals before its experiment_name= would be."""
    if not all(isinstance(n, (ast.Name, ast.Constant, ast.Attribute, ast.keyword, ast.Load, ast.Starred))
               for argument in [*at.args, *at.keywords] for n in ast.walk(argument)):
        return False
    if ctx.locator.start(at) <= ctx.locator.start(name) < ctx.locator.end(at):
        return True
    return ctx.next_statement(ctx.statement_of(name)) is ctx.statement_of(at)


def tags_at_submit(call: ast.Call, submit: ast.Call, ctx: FixContext) -> bool:
    """``run.set_tags(d)`` right after a submit can become ``tags=d`` on the submit,
    when ``d`` is already defined there and the submit sets no tags itself."""
    if len(call.args) != 1 or call.keywords or len(submit.args) > 1 or any(k.arg == "tags" for k in submit.keywords):
        return False
    statement = ctx.parent(call)
    submitted = ctx.statement_of(submit)
    if not isinstance(statement, ast.Expr) or submitted is None or ctx.next_statement(submitted) is not statement:
        return False  # anything in between (a condition, a change to the dict) would be skipped
    for node in ast.walk(call.args[0]):
        if isinstance(node, ast.Name):
            binding = ctx.binding_of(node)
            if binding is not None and (binding.conditional or getattr(binding.node, "lineno", 0) >= submit.lineno):
                return False
        elif isinstance(node, (ast.Call, ast.NamedExpr, ast.Await, ast.Yield)):
            return False
    return True


def translate_run_uses(run: Binding, client: str, unit: Rewrite, ctx: FixContext, workspace: Binding,
                       submit: ast.Call, extra: list[str] | None, pipeline: bool = False, automl: bool = False) -> None:
    """Translate what v2 can express on the returned job (``pipeline``: of a submitted pipeline,
    whose v1 run waited with other defaults; ``automl``: of an AutoML configuration, whose v1 run
    never raised for a failure); the rest blocks the fix."""
    for use in run.uses:
        parent = ctx.parent(use)
        outer = ctx.parent(parent) if parent is not None else None
        if (isinstance(parent, ast.Attribute) and parent.attr == "set_tags" and isinstance(outer, ast.Call)
                and outer.func is parent):
            if extra is not None and not any(e.startswith("tags=") for e in extra) and tags_at_submit(outer, submit, ctx):
                extra.append(f"tags={ctx.locator.text(outer.args[0])}")
                unit.edits.append(ctx.delete(ctx.parent(outer)))  # type: ignore[arg-type]
                unit.findings.append(("AML030", outer))
                unit.own_uses.add(id(use))
            continue
        if isinstance(parent, ast.Attribute) and parent.attr in NEEDS_CLIENT and not ctx.holds_at(outer or use, workspace):
            continue
        if translate_use(use, RunNames(client, f"{use.id}.name", pipeline, automl), unit, ctx):
            continue
        if isinstance(parent, ast.Expr) or (
            isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "print"
        ):
            unit.own_uses.add(id(use))  # displaying the job works the same way
