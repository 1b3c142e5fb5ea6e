"""What the in-job fixers (AML011-AML031) share.

Inside a job the v1 run is the variable assigned ``Run.get_context()`` (or that
call written inline).  AML011 owns that variable and deletes it; every logging
rule's unit rewrites one call on it and *consumes* its use of the variable, so
the planner applies all of them or none: ``run`` is never left undefined, and
one use nobody can translate (``run.input_datasets``) leaves the whole script.
"""

from __future__ import annotations

import ast
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from ...engine.findings import RefusalKind, line_ref
from ...engine.fixing import listedit, reaching, statements
from ...engine.fixing.arguments import BoundArguments, bind_arguments, known_str, py_str
from ...engine.fixing.edits import Edit
from ...engine.fixing.rewrite import FixContext, Rewrite, snippet
from ...engine.fixing.symbols import symbol
from ...engine.names import Binding, CallSite, Const, Instance, Ref
from ...rules._shared import RUN

RUN_GET_CONTEXT = "azureml.core.Run.get_context"
# Where the kind of a logged value is unknown, this helper decides at run time,
# the way v1 accepted both.
LOG_HELPER = "_log_v1_value"
_LOG_HELPER_SOURCE = f"""def {LOG_HELPER}(name, value, step=None):
    \"\"\"Log a value as run.log() did in SDK v1: numbers as MLflow metrics, anything else as a tag.\"\"\"
    if isinstance(value, {symbol("numbers")}.Real):
        mlflow.log_metric(name, value, step=step)
    else:
        mlflow.set_tag(name, value)
"""


ROW_HELPER = "_log_v1_row"
# v1's signature, description included (MLflow has no place for it): the call keeps its arguments
_ROW_HELPER_SOURCE = f"""def {ROW_HELPER}(name, description=None, **columns):
    \"\"\"Log a row as run.log_row() did in SDK v1: one value per column, named <row>.<column>.\"\"\"
    for column, value in columns.items():
        {LOG_HELPER}(f"{{name}}.{{column}}", value)
"""


def use_log_helper(ctx: FixContext, unit: Rewrite, row: bool = False) -> bool:
    """Make ``unit`` write the run-time logging helper (and the row helper); False
    (and refused) when a name is taken."""
    return use_helpers(ctx, unit, {LOG_HELPER: _LOG_HELPER_SOURCE, **({ROW_HELPER: _ROW_HELPER_SOURCE} if row else {})})


def use_helpers(ctx: FixContext, unit: Rewrite, wanted: dict[str, str]) -> bool:
    """Make ``unit`` write these module-level helpers (name -> source); False (and refused)
    when a name already means something else in the module."""
    for name in wanted:
        if name in ctx.names_in_module and name not in ctx.module_functions:
            unit.refuse(f"`{name}` already names something else in this module")
            return False
    unit.helpers.update(wanted)
    return True
MLFLOW = ("mlflow", "")  # the import manager turns this into ``import mlflow``


def is_get_context(ctx: FixContext, node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and any(s.node is node for s in ctx.model.calls_to(RUN_GET_CONTEXT))


def is_context_run_binding(ctx: FixContext, binding: Binding | None) -> bool:
    """``run = Run.get_context()``: the variable AML011 migrates; a parameter every call hands
    such a run (see :mod:`.passed_run`); or a run the program logs to itself,
    ``run = experiment.start_logging()`` (AML040 migrates it)."""
    if binding is None:
        return False
    if start_logging_call(ctx, binding) is not None:
        return True
    if isinstance(binding.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        from .passed_run import passed_runs  # (it builds on this module)

        return id(binding) in passed_runs(ctx)
    return is_fetched_run(ctx, binding)


def is_fetched_run(ctx: FixContext, binding: Binding) -> bool:
    """``run = Run.get_context()``, which no other function rebinds to something else."""
    if not isinstance(binding.node, ast.Assign):
        return False
    value = binding.node.value
    return is_get_context(ctx, value) and ctx.assigned_binding(value) is binding and not _rebound(ctx, binding)


def _rebound(ctx: FixContext, binding: Binding) -> bool:
    """A function assigns the run's variable through ``global``/``nonlocal`` something that is not
    this run (a stand-in for local runs): a use may see that value (review 70)."""
    other = reaching.rebound_elsewhere(ctx, binding)
    if other is None:
        return False
    value = other.node.value if isinstance(other.node, ast.Assign) else None
    return not (value is not None and is_get_context(ctx, value))


EXPERIMENT = "azureml.core.Experiment"


# The run's attributes whose migrations call MLflow's fluent API, which logs to the active run or
# starts one (run.complete() of the job's run just goes; input_datasets, parent and experiment
# have no MLflow form).
MLFLOW_USES = frozenset({"log", "log_list", "log_row", "log_table", "log_image", "log_accuracy_table",
                         "log_confusion_matrix", "log_predictions", "log_residuals", "tag", "set_tags",
                         "upload_file", "upload_files", "upload_folder", "fail", "id"})


def start_logging_call(ctx: FixContext, binding: Binding) -> ast.Call | None:
    """The ``experiment.start_logging(...)`` call that ``run = ...`` or ``with ... as run`` binds."""
    statement = binding.node
    if isinstance(statement, ast.Assign) and ctx.assigned_binding(statement.value) is binding:
        value: ast.expr | None = statement.value
    elif isinstance(statement, ast.With):
        value = next((item.context_expr for item in statement.items if isinstance(item.optional_vars, ast.Name)
                      and item.optional_vars.id == binding.name), None)
    else:
        return None
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "start_logging"):
        return None
    site = ctx.site(value)
    receiver = site.receiver if site is not None else None
    return value if isinstance(receiver, Instance) and receiver.type == EXPERIMENT else None


def is_context_run(ctx: FixContext, receiver: ast.expr) -> bool:
    if isinstance(receiver, ast.Name):
        return is_context_run_binding(ctx, ctx.binding_of(receiver))
    return is_get_context(ctx, receiver)


def run_calls(ctx: FixContext, method: str) -> Iterator[CallSite]:
    """``run.<method>(...)`` on the job's own run (not a submitted or parent run)."""
    for site in ctx.model.method_calls(RUN, method):
        func = site.node.func
        if isinstance(func, ast.Attribute) and is_context_run(ctx, func.value):
            yield site


_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def may_repeat(ctx: FixContext, call: ast.Call, name: ast.expr) -> str | None:
    """Why ``run.log(name, ...)`` may log ``name`` more than once in a run, or None.

    v1 kept every value logged under a name (a series); an MLflow tag keeps the last.
    The call repeats inside a loop, in a function called from more than one place
    (or from a loop), or where another ``run.log`` of the program names the same literal."""
    node: ast.AST | None = ctx.parent(call)
    while node is not None:
        if isinstance(node, _LOOPS):
            return f"it runs in a loop at {line_ref(node.lineno)}"  # type: ignore[attr-defined]
        if isinstance(node, _FUNCTIONS):
            references = _references(ctx, getattr(node, "name", None))
            if len(references) != 1 or not _called_there(ctx, references[0]) or getattr(node, "decorator_list", None) \
                    or any(isinstance(a, _LOOPS) for a in _ancestors(ctx, references[0])):
                return "the function it is in may be called more than once"
            node = references[0]
        node = ctx.parent(node)
    if isinstance(name, ast.Constant):
        for other in _logged_names(ctx).get(name.value, []):
            if other is not call:
                return f"{line_ref(other.lineno)} logs {name.value!r} too"
    return None


def _called_there(ctx: FixContext, reference: ast.AST) -> bool:
    """The reference to a function is a call of it, not the function handed on (a callback
    another library calls as often as it likes)."""
    call = ctx.parent(reference)
    return isinstance(call, ast.Call) and call.func is reference


def _logged_names(ctx: FixContext) -> dict[object, list[ast.Call]]:
    """The ``run.log`` calls of the program by the literal name they log (indexed once a pass)."""
    if "run.log:names" not in ctx.cache:
        found: dict[object, list[ast.Call]] = {}
        for site in run_calls(ctx, "log"):
            name = site.node.args[0] if site.node.args else next(
                (k.value for k in site.node.keywords if k.arg == "name"), None)
            if isinstance(name, ast.Constant):
                found.setdefault(name.value, []).append(site.node)
        ctx.cache["run.log:names"] = found
    return ctx.cache["run.log:names"]  # type: ignore[return-value]


def _references(ctx: FixContext, name: str | None) -> list[ast.AST]:
    """Every read of ``name`` as a variable or an attribute (``self.name``), indexed once a pass."""
    if "names:read" not in ctx.cache:
        reads: dict[str, list[ast.AST]] = {}
        for node in ast.walk(ctx.model.tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                reads.setdefault(node.id, []).append(node)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                reads.setdefault(node.attr, []).append(node)
        ctx.cache["names:read"] = reads
    return ctx.cache["names:read"].get(name, []) if name is not None else []  # type: ignore[union-attr]


def _ancestors(ctx: FixContext, node: ast.AST) -> Iterator[ast.AST]:
    parent = ctx.parent(node)
    while parent is not None and not isinstance(parent, _FUNCTIONS):
        yield parent
        parent = ctx.parent(parent)


_TAG_READS = ("tags", "get_tags")


def refuse_if_tags_read(ctx: FixContext, unit: Rewrite, call: ast.Call) -> bool:
    """Refuse moving a tag to MLflow while the same v1 run's tags are read (``run.tags`` is
    v1's cached copy, which ``run.tag`` refreshed and an MLflow tag does not)."""
    receiver = call.func.value  # type: ignore[attr-defined]
    binding = ctx.binding_of(receiver) if isinstance(receiver, ast.Name) else None
    for use in binding.uses if binding is not None else ():
        read = ctx.parent(use)
        if isinstance(read, ast.Attribute) and read.attr in _TAG_READS:
            unit.refuse(f"{line_ref(read.lineno)} (`{snippet(ctx.locator, read)}`) reads the v1 run's tags, "
                        "which an MLflow tag does not update")
            return True
    return False


def new_unit(ctx: FixContext, site: CallSite, code: str, description: str, mlflow: bool = True) -> Rewrite:
    """A unit for one call on the run: it needs ``import mlflow`` and takes over
    the use of ``run`` (or resolves the inline ``Run.get_context()``)."""
    unit = Rewrite(code, site.node, description, imports={MLFLOW} if mlflow else set())
    receiver = site.node.func.value  # type: ignore[attr-defined]
    if isinstance(receiver, ast.Name):
        unit.consumes.append(receiver)
    else:
        unit.findings.append(("AML011", receiver))
        from .run_get_context import outside_a_job  # (the inline Run.get_context(): its own unit is this one)

        outside = outside_a_job(ctx)
        if outside is not None:
            unit.refuse(outside)
    bound = site.scope.lookup("mlflow")
    if mlflow and bound is not None and bound.value != Ref("mlflow"):
        unit.refuse("`mlflow` already names something else here")
    elif mlflow and unit.refusal is None:
        hold = logging_hold(ctx)
        if hold is not None:
            unit.refuse(*hold)
    return unit


def unseen_v1_launcher(ctx: FixContext) -> str | None:
    """``its launcher is a v1 job this fix cannot see (...)``, when the script reads
    ``run.input_datasets``, which only a v1 job fills, and no launcher this fix can read runs it."""
    from .input_datasets import handed_over  # (it reads the launchers: only a unit that needs the answer asks)

    reads = [r.node for r in ctx.model.attribute_reads
             if r.node.attr == "input_datasets" and is_context_run(ctx, r.node.value)]
    if not reads or handed_over(ctx):
        return None
    return (f"its launcher is a v1 job this fix cannot see (it reads run.input_datasets, "
            f"{line_ref(reads[0].lineno)}, which only a v1 job fills)")


def refuse_if_metrics_read(ctx: FixContext, unit: Rewrite, becomes: str, name: ast.expr | None = None,
                           by_key_only: bool = False) -> bool:
    """Refuse moving a value out of the run's metrics (``becomes``: what MLflow keeps it as) while
    something reads them back: v1's ``run.get_metrics()`` returned it, MLflow's metrics do not.
    ``name``: what it is logged under (a literal one is looked for in readers elsewhere too);
    ``by_key_only``: only a reader of that key counts (the value stays a metric, of another type)."""
    from .._metric_tables import run_experiment
    from .metrics_readers import metrics_reader

    if name is None and isinstance(unit.node, ast.Call):  # (the v1 call's own name argument)
        call = unit.node
        name = next((k.value for k in call.keywords if k.arg == "name"), call.args[0] if call.args else None)
    literal = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else None
    if literal is None and name is not None:  # a name held in a variable: ``KEY = "patients"`` (review 58b)
        value = ctx.value_of_argument(name)
        literal = value.value if isinstance(value, Const) else None
    logged_to = None
    if isinstance(unit.node, ast.Call) and isinstance(unit.node.func, ast.Attribute):
        logged_to = run_experiment(unit.node.func.value, ctx)  # an interactive run's: ``exp.start_logging()``
    reader = metrics_reader(ctx, literal, by_key_only, known=literal is not None, experiment=logged_to)
    if reader is None:
        return False
    unit.refuse(f"{reader} reads the run's metrics (get_metrics()), which held this value in v1; MLflow keeps it as "
                f"{becomes}, so that reader would not get it back as v1 gave it: change the reader by hand, then fix",
                RefusalKind.DATA_FLOW)
    return True


def without_mlflow(ctx: FixContext) -> str | None:
    """``its launcher <file>:<line> gives it an environment ...``, when this run migrated that
    launcher with an environment it did not write, which may have no mlflow (its TODO says so)."""
    from .launchers import launcher_without_mlflow

    launcher = launcher_without_mlflow(ctx)
    if launcher is None:
        return None
    return (f"its launcher {_where(ctx, launcher)}:{launcher.label or launcher.line} runs {_it(ctx, launcher)} in an "
            "environment that may have no mlflow (the TODO there)")


def _where(ctx: FixContext, launcher: object) -> str:
    """The launcher's file, relative to the script's folder."""
    here = getattr(ctx.analysis.context, "path", None)
    orchestrator = launcher.orchestrator  # type: ignore[attr-defined]
    return seen_from(orchestrator, Path(here)) if here else orchestrator.name


def seen_from(other: Path, script: Path) -> str:
    """``other``'s path as a message about ``script`` names it: relative to the script's folder."""
    try:
        return os.path.relpath(other, script.parent)
    except ValueError:  # another drive
        return str(other)


def logging_hold(ctx: FixContext) -> tuple[str, RefusalKind] | None:
    """Why this script's logging stays v1 (:func:`new_unit` refuses each of its calls for it), or None:
    it is a Databricks notebook, a launcher still runs it with v1 or is one this fix cannot see, or a
    migrated launcher runs it in an environment that may lack mlflow."""
    if on_databricks(ctx):
        return ON_DATABRICKS, RefusalKind.IMPOSSIBLE
    held = held_by_launcher(ctx)
    if held is not None and _NOT_MIGRATED_NOTE in held:
        return (f"{held}, in an environment without mlflow: add mlflow and azureml-mlflow there (or run the script "
                "with v2), then fix", RefusalKind.DATA_FLOW)
    if held is not None:
        return (f"{held} (whose environment may have no mlflow, and whose metrics a v1 HyperDrive or reader reads "
                "from the v1 run): migrate the launcher first", RefusalKind.DATA_FLOW)
    unseen = unseen_v1_launcher(ctx)
    if unseen is not None:
        return (f"{unseen}: its environment may have no mlflow (and a v1 HyperDrive ranks the v1 run's metrics): "
                "migrate that launcher first", RefusalKind.DATA_FLOW)
    lacking = without_mlflow(ctx)
    if lacking is not None:
        return (f"{lacking}: add mlflow and azureml-mlflow to that environment, delete the TODO, and fix this "
                "script again", RefusalKind.DATA_FLOW)
    return None


# A notebook exported from Databricks as source starts with this line.  A DatabricksStep runs it on
# the cluster, where Run.get_context() is the step's run and MLflow logs to Databricks' own tracking.
_DATABRICKS_SOURCE = re.compile(r"\A(?:\ufeff)?\s*# Databricks notebook source\b")
ON_DATABRICKS = ("a Databricks notebook (a v1 DatabricksStep runs it on the cluster): MLflow there logs to "
                 "Databricks' tracking, not to the step's run that v1's readers read")


def on_databricks(ctx: FixContext) -> bool:
    """A Databricks notebook's source, unless the project runs it only as a plain job's script (a
    ScriptRunConfig naming the exported file: audit l), where its run is the job's as anywhere."""
    if _DATABRICKS_SOURCE.match(ctx.text) is None:
        return False
    from .input_datasets import about_this_script  # (it reads the project: only such a script asks)

    return about_this_script(ctx, "databricks_only", _not_a_plain_jobs_script) is not False


def _not_a_plain_jobs_script(path: Path, settings: object) -> bool:
    from ...engine import project
    from ...v1api import SURFACE

    launchers = [r.launcher for r in project.index_for(path, settings, SURFACE).references_to(path)]  # type: ignore[arg-type]
    return not launchers or any("Databricks" in launcher or not launcher for launcher in launchers)


def held_by_launcher(ctx: FixContext) -> str | None:
    """``its launcher <file>:<line> still runs it with v1``, when one does (as this run leaves it)."""
    # (imported here: it reads the launchers, and only a unit that needs the answer asks)
    from .launchers import v1_launcher

    launcher = v1_launcher(ctx)
    if launcher is None:
        return None
    where = _where(ctx, launcher)
    it = _it(ctx, launcher)
    if not launcher.named:
        return f"the v1 job at {where}:{launcher.label or launcher.line} may run {it} (its script is named only at run time)"
    kind = _NOT_MIGRATED.get(launcher.parameter)
    if kind is not None:
        return f"its launcher {where}:{launcher.label or launcher.line} ({kind}{_NOT_MIGRATED_NOTE}) still runs {it} with v1"
    return f"its launcher {where}:{launcher.label or launcher.line} still runs {it} with v1"


def _it(ctx: FixContext, launcher: object) -> str:
    """What the launcher runs: this script, or the script that imports this module."""
    via = getattr(launcher, "via", None)
    here = getattr(ctx.analysis.context, "path", None)
    return "it" if via is None else f"{seen_from(via, Path(here)) if here else via.name}, which imports it,"


# Launchers that are not Python calls (injob.launchers), named for what they are.
_NOT_MIGRATED = {"submit-script": "a v1 CLI command", "command": "a YAML spec"}
_NOT_MIGRATED_NOTE = ", which this tool does not migrate"


def bind(unit: Rewrite, call: ast.Call, signature: list[str]) -> BoundArguments | None:
    """The call's arguments by v1's parameter names, or None (refused) when they do not bind: a
    keyword v1 does not take failed there, and its MLflow call would fail too (or do otherwise)."""
    bound = bind_arguments(call, signature)
    if isinstance(bound, str):
        unit.refuse(bound)
        return None
    unknown = [name for name in bound.values if name not in signature]
    if unknown:
        unit.refuse(f"it passes {unknown[0]}=, which v1 does not take (the call fails there): fix the v1 call first")
        return None
    return bound


def is_pure(node: ast.expr | None) -> bool:
    """No call, await, yield or walrus inside: evaluating it does nothing else."""
    if node is None:
        return True
    return not any(isinstance(n, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)) for n in ast.walk(node))


def drop(unit: Rewrite, bound: BoundArguments, *parameters: str) -> None:
    """v1 parameters MLflow has no place for (description=): dropping a computed
    value would also skip the call that computes it."""
    for parameter in parameters:
        if not is_pure(bound.values.get(parameter)):
            unit.refuse(f"{parameter}= is computed by a call; dropping it would skip that call")


def keep_order(unit: Rewrite, emitted: list[ast.expr | None]) -> None:
    """Arguments move around in the MLflow call; two computed ones must not swap."""
    present = [n for n in emitted if n is not None]
    in_source = sorted(present, key=lambda n: (n.lineno, n.col_offset))
    if present != in_source and sum(not is_pure(n) for n in present) > 1:
        unit.refuse("two arguments computed by calls would be evaluated in a different order")


def text(ctx: FixContext, node: ast.expr) -> str:
    return ctx.locator.text(node)


def literal_str(ctx: FixContext, node: ast.expr | None) -> str | None:
    """A string known where it is read: a literal (an f-string with nothing to format is one), a
    concatenation of literals, or a variable assigned one literal once."""
    found = known_str(ctx, node)
    if found is not None or node is None:
        return found
    if isinstance(node, ast.JoinedStr) and all(isinstance(part, ast.Constant) for part in node.values):
        return "".join(str(part.value) for part in node.values)  # type: ignore[attr-defined]
    if isinstance(node, ast.BinOp):
        left, right = literal_str(ctx, node.left), literal_str(ctx, node.right)
        if isinstance(node.op, ast.Add) and left is not None and right is not None:
            return left + right
    return None


def is_string(ctx: FixContext, node: ast.expr | None) -> bool:
    return literal_str(ctx, node) is not None or isinstance(node, ast.JoinedStr)


def file_name(ctx: FixContext, node: ast.expr, suffix: str) -> str | None:
    """``name + suffix`` as Python source: a literal when the name is known,
    an f-string when it is a plain variable."""
    known = literal_str(ctx, node)
    if known is not None and isinstance(node, (ast.Constant, ast.BinOp, ast.JoinedStr)):
        return py_str(known + suffix)
    if isinstance(node, ast.Name):
        return f'f"{{{node.id}}}{suffix}"'
    return None


def comments_within(ctx: FixContext, node: ast.AST) -> list[str]:
    start, end = ctx.locator.start(node), ctx.locator.end(node)
    return [
        c.text() for c in ctx.locator.root.find_all(kind="comment")
        if start <= c.range().start.index < end
    ]


def replace(ctx: FixContext, unit: Rewrite, node: ast.AST, new: str) -> None:
    """Replace ``node`` with ``new``; refuse when a comment inside it would be lost."""
    lost = [c for c in comments_within(ctx, node) if c not in new]
    if lost:
        unit.refuse(f"the comment {lost[0]!r} inside the call would be lost")
        return
    unit.edits.append(statements.replace(ctx.locator, node, new))


def rename_call(ctx: FixContext, unit: Rewrite, call: ast.Call, function: str) -> list[listedit.Element] | None:
    """Point the call at ``function`` and hand back its arguments for edits in
    place, so that comments and line breaks between them survive."""
    found = ctx.locator.sg(call, "call")
    if found is None:
        unit.refuse("ast-grep could not locate the call")
        return None
    unit.edits.append(statements.replace(ctx.locator, call.func, function))
    return listedit.elements(found.field("arguments"))


def delete_argument(ctx: FixContext, unit: Rewrite, call: ast.Call, element: listedit.Element) -> None:
    found = ctx.locator.sg(call, "call")
    assert found is not None
    unit.edits.extend(listedit.delete(ctx.text, found.field("arguments"), element))


def append_argument(ctx: FixContext, unit: Rewrite, call: ast.Call, argument: str) -> None:
    found = ctx.locator.sg(call, "call")
    assert found is not None
    unit.edits.extend(listedit.append(ctx.text, found.field("arguments"), [argument], ctx.locator.newline))


def rename_keyword(unit: Rewrite, element: listedit.Element, keyword: str) -> None:
    name = element.node.field("name")
    assert name is not None
    unit.edits.append(Edit(name.range().start.index, name.range().end.index, keyword))


def make_keyword(unit: Rewrite, element: listedit.Element, keyword: str) -> None:
    unit.edits.append(Edit(element.start, element.start, f"{keyword}="))


def owns_its_lines(ctx: FixContext, statement: ast.stmt) -> bool:
    """Nothing but whitespace before it and whitespace or a comment after it."""
    source = ctx.locator.source.text
    start, end = ctx.locator.start(statement), ctx.locator.end(statement)
    before = source[ctx.locator.line_start(start):start]
    after = source[end:ctx.locator.line_end(end)]
    return not before.strip() and (not after.strip() or after.strip().startswith("#"))


def indent_unit(ctx: FixContext) -> str:
    """One level of indentation as this file writes it (a tab, or N spaces)."""
    return ctx.indent_unit


def fresh_name(ctx: FixContext, base: str) -> str:
    taken = ctx.names_in_module
    if base not in taken:
        return base
    number = 1
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def artifact_folder(name: str) -> str | None:
    """The folder part of a v1 artifact name, or None for the top level."""
    folder = posixpath.normpath(posixpath.dirname(name)) if posixpath.dirname(name) else ""
    return None if folder in ("", ".") else folder


def describe(ctx: FixContext, node: ast.AST) -> str:
    return f"`{snippet(ctx.locator, node)}`"


# -- removing statements ----------------------------------------------------


def _is_complete_call(ctx: FixContext, node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "complete"
        and any(site.node is node for site in run_calls(ctx, "complete"))
    )


def removable(ctx: FixContext, statement: ast.stmt) -> bool:
    """A statement some in-job fix deletes: ``Run.get_context()``, ``run = ...``, ``run.complete()``."""
    if isinstance(statement, ast.Expr):
        return is_get_context(ctx, statement.value) or _is_complete_call(ctx, statement.value)
    if isinstance(statement, ast.Assign):
        return is_get_context(ctx, statement.value) and ctx.assigned_binding(statement.value) is not None
    return False


def remove_statement(ctx: FixContext, unit: Rewrite, statement: ast.stmt) -> None:
    """Delete a statement; a block that would be left empty keeps a ``pass``."""
    parent = ctx.parent(statement)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is statement for s in block):
            if not isinstance(parent, ast.Module) and all(removable(ctx, s) for s in block):
                if block[0] is statement:
                    replace(ctx, unit, statement, "pass")
                    return
            break
    unit.edits.append(ctx.delete(statement))


# The characters MLflow accepts in metric, parameter and tag names everywhere
# (validate_param_and_metric_name). v1 took any text. A colon is left out: MLflow on Windows and
# MLflow before 2.16 reject it, and a migrated notebook runs wherever its user runs it.
_MLFLOW_NAME_CHAR = re.compile(r"[/\w.\- ]")
_FIELD = re.compile(r"\{[^{}]*\}|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")


def refuse_rejected_name(ctx: FixContext, unit: Rewrite, name: ast.expr, what: str = "metric or tag name") -> bool:
    """Refuse ``unit`` (and say so) when the text of ``name`` that this program shows holds a
    character MLflow rejects: ``run.log("Accuracy @1", ...)`` worked in v1 and raises in MLflow.
    A variable is read through the literals it is given or loops over (``name = "R^2"``, ``for k, v
    in {"R^2": 0.8}.items()``); a name known only at run time is not."""
    bad = rejected_character(ctx, name)
    if bad is not None:
        where = " on Windows and before 2.16" if bad == ":" else ""
        unit.refuse(f"MLflow rejects {bad!r} in a {what}{where}, which v1 accepted: rename it by hand")
        return True
    if not _literal_parts(name, ctx) and not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
        unit.notes.append(f"the {what} is known only at run time: MLflow rejects names with characters other than "
                          "letters, digits, '_', '-', '.', '/' and spaces, which v1 accepted")
    return False


def rejected_character(ctx: FixContext, name: ast.expr) -> str | None:
    """The first character MLflow rejects in the text of ``name`` this program shows, if any."""
    for text in _literal_parts(name, ctx):
        bad = next((c for c in _FIELD.sub("", text) if not _MLFLOW_NAME_CHAR.fullmatch(c)), None)
        if bad is not None:
            return bad
    return None


def _literal_parts(node: ast.expr, ctx: FixContext, depth: int = 0) -> list[str]:
    """The literal text a name expression is built from (format templates, f-string parts, and
    the literals a variable in it is given)."""
    if depth > 4:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):  # the binding that reaches it, where one is known; else every one of the name
        reaching = ctx.binding_of(node) if isinstance(node.ctx, ast.Load) else None
        bindings = [reaching] if reaching is not None else ctx.bindings_named(node.id)
        return [text for binding in bindings for value in _given(binding, node.id, ctx)
                for text in _literal_parts(value, ctx, depth + 1)]
    if isinstance(node, ast.JoinedStr):
        return [text for part in node.values
                for text in _literal_parts(part.value if isinstance(part, ast.FormattedValue) else part, ctx, depth + 1)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_parts(node.func.value, ctx, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        right = _literal_parts(node.right, ctx, depth + 1) if isinstance(node.op, ast.Add) else []
        return [*_literal_parts(node.left, ctx, depth + 1), *right]
    return []


def _given(binding: Binding, name: str, ctx: FixContext) -> list[ast.expr]:
    """The expressions a binding of ``name`` gives it: the value assigned, or the items a loop
    takes it from (a literal list or tuple, a literal dict's keys, a variable holding one)."""
    statement = binding.node
    if isinstance(statement, ast.Assign):
        return [statement.value] if any(isinstance(t, ast.Name) and t.id == name for t in statement.targets) else []
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return [statement.value] if isinstance(statement.target, ast.Name) else []
    if isinstance(statement, (ast.For, ast.comprehension)):
        target = statement.target
        if isinstance(target, ast.Name):
            return _items(statement.iter, ctx)
        position = next((i for i, t in enumerate(getattr(target, "elts", [])) if isinstance(t, ast.Name) and t.id == name),
                        None)
        return [] if position is None else [pair.elts[position] for pair in _items(statement.iter, ctx)
                                              if isinstance(pair, ast.Tuple) and position < len(pair.elts)]
    return []


def _items(node: ast.expr, ctx: FixContext) -> list[ast.expr]:
    """What iterating ``node`` yields, where the program shows it (``.items()``: key-value pairs)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("items", "keys"):
        keys = [k for value in _values(node.func.value, ctx) if isinstance(value, ast.Dict) for k in value.keys if k]
        if node.func.attr == "keys":
            return keys
        return [ast.Tuple(elts=[key, ast.Constant(None)], ctx=ast.Load()) for key in keys]
    found: list[ast.expr] = []
    for value in _values(node, ctx):
        if isinstance(value, ast.Dict):
            found.extend(k for k in value.keys if k is not None)
        elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            found.extend(value.elts)
    return found


def _values(node: ast.expr, ctx: FixContext) -> list[ast.expr]:
    """``node``, or the values a variable is assigned in this program."""
    if not isinstance(node, ast.Name):
        return [node]
    return [b.node.value for b in ctx.bindings_named(node.id)
            if isinstance(b.node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in b.node.targets)]
