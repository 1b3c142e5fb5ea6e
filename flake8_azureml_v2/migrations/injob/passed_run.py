"""The job's run handed to the script's own functions: ``def train(data, run)`` called as
``train(x, run)`` after ``run = Run.get_context()``.

Inside such a function the parameter is the job's run, so its logging moves to MLflow as the
caller's would; once nothing in the function needs it, AML011 has the calls pass ``None`` in its
place (the parameter stays, for callers the fix cannot see).  A parameter qualifies only when every
call of its function passes a run fetched with ``Run.get_context()`` or a parameter that qualifies
itself, and nothing else in the project may call the function.
"""

from __future__ import annotations

import ast
from pathlib import Path

from ...engine import importers, project
from ...engine.findings import Refusal, RefusalKind, line_ref
from ...engine.fixing import reaching
from ...engine.fixing.parameters import Parameter, passed_arguments
from ...engine.fixing.rewrite import FixContext
from ...engine.names import Binding, Instance
from ...rules._shared import RUN
from ._shared import MLFLOW_USES, is_fetched_run


def passed_runs(ctx: FixContext) -> dict[int, Parameter]:
    """The parameters every call hands the job's run, by id of their binding (found once a pass)."""
    if "passed runs" not in ctx.cache:
        candidates: dict[int, Parameter] = {}
        refused: dict[int, tuple[Binding, str]] = {}
        for binding in ctx.model.bindings:
            found = passed_arguments(ctx, binding) if _may_hold_the_run(ctx, binding) else None
            why = found if isinstance(found, str) else _not_plain(ctx, found) if found is not None else None
            if why is not None:
                refused[id(binding)] = (binding, why)
            elif isinstance(found, Parameter):
                candidates[id(binding)] = found
        if candidates and _loaded_by_name(ctx):
            refused.update({key: (p.binding, _ELSEWHERE) for key, p in candidates.items()})
            candidates = {}
        accepted: dict[int, Parameter] = {}
        grown = True
        while grown:  # a parameter passed on to another function counts once its own callers do
            grown = False
            for key, parameter in candidates.items():
                if key not in accepted and all(b is not None and (is_fetched_run(ctx, b) or id(b) in accepted)
                                               for b in _sources(ctx, parameter)):
                    accepted[key] = parameter
                    grown = True
        for key, parameter in candidates.items():
            if key not in accepted:
                refused[key] = (parameter.binding, "a call hands it something other than the job's run")
        for binding, why in refused.values():
            _say_why(ctx, binding, why)
        ctx.cache["passed runs"] = accepted
    return ctx.cache["passed runs"]  # type: ignore[return-value]


_ELSEWHERE = ("another file of the project imports this script, or loads modules or runs files by a name "
              "(runpy, exec, importlib), and may call the function itself")


def _say_why(ctx: FixContext, binding: Binding, why: str) -> None:
    """The calls on a parameter that may hold the job's run, left: why the fix cannot tell it does."""
    function = binding.node.name  # type: ignore[attr-defined]
    for use in binding.uses:
        method = ctx.parent(use)
        call = ctx.parent(method) if isinstance(method, ast.Attribute) else None
        if isinstance(call, ast.Call) and call.func is method and method.attr in (*MLFLOW_USES, "complete"):
            ctx.left_why.setdefault(id(call), Refusal(RefusalKind.DATA_FLOW, (
                f"`{binding.name}` is a parameter of {function}(), and {why}: the fix cannot tell that it always "
                "holds the job's run")))


def receivers(ctx: FixContext, binding: Binding) -> list[Parameter]:
    """The parameters the run ``binding`` holds is handed to, directly or through other functions."""
    runs = passed_runs(ctx)
    found: list[Parameter] = []
    pending = [binding]
    while pending:
        current = pending.pop()
        for parameter in runs.values():
            if parameter not in found and any(b is current for b in _sources(ctx, parameter)):
                found.append(parameter)
                pending.append(parameter.binding)
    return found


def origins(ctx: FixContext, binding: Binding) -> list[Binding]:
    """The ``run = Run.get_context()`` bindings a passed run comes from."""
    runs = passed_runs(ctx)
    found: list[Binding] = []
    pending, seen = [binding], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        parameter = runs.get(id(current))
        if parameter is None:
            found.append(current)
        else:
            pending.extend(b for b in _sources(ctx, parameter) if b is not None)
    return found


def _sources(ctx: FixContext, parameter: Parameter) -> list[Binding | None]:
    """The binding each call's argument names (None where the name model knows none)."""
    return [ctx.binding_of(argument) for _, argument in parameter.passed]  # type: ignore[arg-type]


def _not_plain(ctx: FixContext, parameter: Parameter) -> str | None:
    """Why the run the calls pass cannot be followed, or None: every call passes a variable (no
    expression to keep) that holds nothing else in a branch (``if local: run = Stub()``), that no
    other function rebinds, and that is bound wherever the call runs."""
    for call, argument in parameter.passed:
        if not isinstance(argument, ast.Name):
            return f"the call at {line_ref(call.lineno)} hands it an expression"
        if ctx.may_hold_another_value(argument) or _set_elsewhere(ctx, argument) or not _bound_there(ctx, argument):
            return f"`{argument.id}` may hold something else where {line_ref(call.lineno)} hands it over"
    return None


def _bound_there(ctx: FixContext, argument: ast.Name) -> bool:
    """A variable assigned inside a block (``if``, ``try``) is bound at the argument only when the
    call comes later in that same block (outside it, the variable may be unbound)."""
    binding = ctx.binding_of(argument)
    if binding is None:
        return False
    if not binding.conditional:
        return True
    placed = ctx.place_in_block(ctx.statement_of(binding.node))
    if placed is None:
        return False
    block, index = placed
    later = {id(statement) for statement in block[index + 1:]}
    node: ast.AST | None = argument
    while node is not None:
        if id(node) in later:
            return True
        node = ctx.parent(node)
    return False


def _set_elsewhere(ctx: FixContext, argument: ast.Name) -> bool:
    """A function declares the variable ``global`` (and may set it), or code the fix cannot see reads it."""
    binding = ctx.binding_of(argument)
    return binding is None or bool(reaching.unseen_uses(ctx, binding))


def _loaded_by_name(ctx: FixContext) -> bool:
    """Another file of the project may call this script's functions: it imports the script (in a
    statement, a string it runs, a doctest) or loads modules by a name the import scan cannot read
    (``runpy``, ``exec``, ``import_module(name)``).  Without the project's files to read (no path, or
    ``--no-project-index``), the callers are not all known either."""
    context = ctx.analysis.context
    path, settings = getattr(context, "path", None), getattr(context, "settings", None)
    if path is None or settings is None or not getattr(settings, "project_index", False):
        return True
    try:
        return importers.reached_from_elsewhere(Path(path).absolute(), project.root_for(Path(path), settings))
    except (OSError, ValueError):
        return True


def _may_hold_the_run(ctx: FixContext, binding: Binding) -> bool:
    value = binding.value
    return (isinstance(binding.node, (ast.FunctionDef, ast.AsyncFunctionDef)) and isinstance(value, Instance)
            and ctx.model.surface.is_subtype(value.type, RUN))
