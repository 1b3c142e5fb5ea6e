"""Does a migrated ``run.get_metrics()`` still give what its reader reads?

v1's ``get_metrics()`` returned a script's strings and tables (``run.log_row``, ``log_table``,
images and evaluation logs) beside its numbers, and its ints as ints.  MLflow's metrics hold
floats only, so ``_v1_get_metrics`` returns no such entry (a reader of one would fail with
KeyError) and an int as a float (``range(metrics["max_iter"])`` would fail).  A job script of
this program that logs one keeps the reader v1, unless the reader only reads, by literal key, values that
are floats.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ..engine import project
from ..engine.analysis import analyse
from ..engine.fixing.arguments import known_str
from ..engine.fixing.rewrite import FixContext
from ..engine.memo import ByContent
from ..engine.nodes import all_nodes
from ..engine.source import SourceError, tree_if_mentioned
from ..rules.aml039_run_log_evaluation import METHODS as EVALUATION_METHODS
from ..v1api import SURFACE
from . import commandline
from .injob.values import option_dest

_TABLE_CALL = re.compile(
    r"\.(?:" + "|".join(("log_row", "log_table", "log_image", *EVALUATION_METHODS)) + r")"
    r"\(\s*(?:name\s*=\s*)?(?:(['\"])(.*?)\1)?")
_UNKNOWN = None  # a table whose name is not a literal: any key may be it
_UNREAD = ""  # a script this program runs whose text is not found here: it may log anything
_ANY_NAME = "*"  # a value of a kind not known here under a name not known here (a loop over settings)
_DEPLOYMENTS = ("azureml.core.model.", "azureml.core.image.")


def non_float_read(call: ast.Call, ctx: FixContext) -> str | None:
    """Why ``call`` (a ``get_metrics()``) would not give its reader what v1 gave, as far as this
    program's job scripts show, or None: they log floats only, or every read of the result is a
    literal key none of them logs anything else under.  A run looked up by id may be any run near
    this program (this program's own interactive ones too); one that nothing near it logs to was
    logged elsewhere, with values of kinds not known here."""
    keys = _literal_keys(call, ctx)
    if not _looked_up(call, ctx):
        return _non_float_reason(_non_floats(ctx, _launching_lines(call, ctx)), keys)
    logged = {**_logged_in_project(ctx, keys), **_non_floats(ctx, _launching_lines(call, ctx))}
    return _non_float_reason(logged, keys) or _logged_elsewhere(ctx, keys)


def _logged_elsewhere(ctx: FixContext, keys: set[str] | None) -> str | None:
    """Why a run looked up by id may hold values MLflow's metrics do not, when no file near this
    program logs what is read of it (a run of a registered component, of another repository), or None."""
    names, computed = _names_logged_near(ctx)
    if computed:
        return None  # (a name known only at run time may be any key read)
    if keys is None:
        return None if names else (f"the run is looked up by id and nothing near this program logs to a run, so what "
                                   f"its metrics hold is not known{_FLOATS_ONLY}")
    unseen = sorted(keys - names)
    if not unseen:
        return None
    return (f"it reads {unseen[0]!r}, which nothing near this program logs, so what the run holds under it is "
            f"not known{_FLOATS_ONLY}")


def _non_float_reason(logged: dict[str | None, _Logged], keys: set[str] | None) -> str | None:
    """Why a reader of ``keys`` (None: of any key) would miss what v1 gave it, given what the scripts
    that may have logged the run log as ``logged``, or None."""
    if not logged:
        return None
    if _UNREAD in logged:
        script, what = logged[_UNREAD].script, logged[_UNREAD].what
        return f"{script}, the job's script, is not found {what}, so what it logs is not known{_FLOATS_ONLY}"
    if _UNKNOWN in logged:
        script, what, line = logged[_UNKNOWN][:3]
        return f"{script} logs {what} under a name not known here (its {_at(line)}){_FLOATS_ONLY}"
    if keys is None and _ANY_NAME in logged:
        script, what, line = logged[_ANY_NAME][:3]
        return (f"{script} logs {what} under names not known here (its {_at(line)}), and the result is read "
                f"other than by literal key, where v1 listed any strings among them too{_FLOATS_ONLY}")
    for entry in logged[_ANY_NAME].each() if keys and _ANY_NAME in logged else ():
        names = spelled_names(entry.text)
        spelled = sorted(keys if names is None else keys & names)
        if spelled:  # (review 58b: ``for key, value in vars(args).items(): run.log(key, value)`` logs its options)
            return (f"it reads {spelled[0]!r}, which {entry.script} spells, and {entry.script} logs {entry.what} "
                    f"under names known only when it runs (its {_at(entry.line)}){_FLOATS_ONLY}")
    logged = {name: where for name, where in logged.items() if name != _ANY_NAME}
    if not logged:
        return None
    read = sorted(key for key in keys if key in logged) if keys is not None else []
    if keys is not None and not read:
        return None
    key = read[0] if read else next(iter(logged))
    script, what, line = logged[key][:3]
    if read:
        return f"it reads {key!r}, which {script} logs as {what} (its {_at(line)}){_FLOATS_ONLY}"
    return (f"{script} logs {key!r} as {what} (its {_at(line)}), and the result is read other than by "
            f"literal key{_FLOATS_ONLY}")


_FLOATS_ONLY = "; MLflow's metrics hold floats only"


def _at(line: int | str) -> str:
    """A line as a reason names it: of a script, or a notebook's cell (``cell 2:2``)."""
    return f"line {line}" if isinstance(line, int) else line


class _Logged(NamedTuple):
    """Where a job script logs a value MLflow's metrics cannot hold, and what it is."""

    script: str
    what: str  # "a table with `log_row`", "a string", ...
    line: int | str  # (a notebook's: ``cell 2:2``)
    text: str = ""  # the script's text (does it spell a key read?)
    others: tuple[_Logged, ...] = ()  # more scripts that log under names known only at run time

    def each(self) -> tuple[_Logged, ...]:
        return (self, *self.others)


def _note_logged(found: dict[str | None, _Logged], name: str | None, logged: _Logged) -> None:
    """The first place each name is logged; every script that logs under names known only at run
    time (review 61: the second such script may be the one that spells the key read)."""
    first = found.setdefault(name, logged)
    if name == _ANY_NAME and first is not logged:
        found[name] = first._replace(others=(*first.others, logged))


class ReadById(NamedTuple):
    """One run-metrics read of a run looked up by id: its literal keys (None: any key), and the
    experiment whose runs it reads, when the program names it by a literal (None: any)."""

    keys: set[str] | None
    experiment: str | None


def reads_by_id(path: Path, text: str, settings: object) -> list[ReadById] | None:
    """What each run-metrics read of ``text`` (a program of ``path``) that reads a run it looks up
    by id (it names no job script for it) reads: its literal keys, or None for any key, and of
    which experiment; None when the program cannot be analysed.  This
    is the reader side's own judgement, which the script side asks of the readers near it
    (review 61: a notebook that prints the metrics of the run it submitted reads that run's
    script only)."""
    return _BY_ID.get(f"{path}\0{text}", lambda: _reads_by_id(path, text, settings))


def _reads_by_id(path: Path, text: str, settings: object) -> list[ReadById] | None:
    try:
        analysis = analyse(text, rules=[], surface=SURFACE, path=path, settings=settings, remember=False)  # type: ignore[arg-type]
    except (SourceError, ValueError, SyntaxError, RecursionError, MemoryError):
        return None
    if analysis.model is None:
        return None
    ctx = FixContext(analysis)
    found: list[ReadById] = []
    for node in all_nodes(ctx.model.tree):
        if gets_metrics(node) and _looked_up(node, ctx):  # type: ignore[arg-type]
            found.append(ReadById(_literal_keys(node, ctx), experiment_of_run(_run_origin(node, ctx), ctx)))  # type: ignore[arg-type]
    return found


_EXPERIMENT = ("azureml.core.Experiment", "azureml.core.experiment.Experiment")
_RUN = ("azureml.core.Run", "azureml.core.run.Run", "azureml.pipeline.core.PipelineRun",
        "azureml.pipeline.core.run.PipelineRun")


def experiment_of_run(origin: ast.AST | None, ctx: FixContext) -> str | None:
    """The literal name of the experiment a run comes from (``origin``: the call that gave it,
    ``exp.start_logging()``, ``exp.get_runs()``, ``exp.submit(...)`` or ``Run(exp, id)``), with
    ``exp`` an ``Experiment(ws, "name")`` or ``ws.experiments["name"]``; None when not known."""
    if not isinstance(origin, ast.Call):
        return None
    if isinstance(origin.func, ast.Attribute) and origin.func.attr in ("start_logging", "get_runs", "submit"):
        experiment: ast.AST | None = origin.func.value
    elif ctx.callee(origin) in _RUN:
        experiment = next((k.value for k in origin.keywords if k.arg == "experiment"),
                          origin.args[0] if origin.args else None)
    else:
        return None
    experiment = _held(experiment, ctx)
    if isinstance(experiment, ast.Subscript) and isinstance(experiment.value, ast.Attribute) \
            and experiment.value.attr == "experiments":
        return known_str(ctx, experiment.slice)  # type: ignore[arg-type]
    if isinstance(experiment, ast.Call) and ctx.callee(experiment) in _EXPERIMENT:
        name = next((k.value for k in experiment.keywords if k.arg == "name"),
                    experiment.args[1] if len(experiment.args) > 1 else None)
        return known_str(ctx, name)
    return None


def run_experiment(run: ast.expr, ctx: FixContext) -> str | None:
    """The literal experiment name of the run ``run`` holds, where it is followed to the call that
    gave it (see :func:`experiment_of_run`); None otherwise."""
    return experiment_of_run(_held(run, ctx), ctx)


def _run_trail(call: ast.Call, ctx: FixContext, through: tuple[str, ...] = ()) -> Iterator[ast.AST]:
    """The expressions a read run comes from, nearest first, followed back through the names that
    hold it (assignments, loop variables), ``.name``, a subscript or ``list(...)`` of a listing, and
    the methods ``through`` (whose result is of the same origin as their receiver)."""
    node: ast.AST | None = call.func.value if isinstance(call.func, ast.Attribute) else (
        call.args[1] if len(call.args) > 1 else None)  # (a migrated reader hands the helper ``run.name``)
    for _ in range(50):
        if node is None:
            return
        yield node
        if isinstance(node, ast.Attribute) and node.attr == "name" or isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _TAKERS and node.args:
            node = node.args[0]
        elif isinstance(node, ast.Name):
            binding = ctx.binding_of(node)
            held = binding.node if binding is not None else None
            node = (held.value if isinstance(held, (ast.Assign, ast.AnnAssign))
                    else held.iter if isinstance(held, (ast.For, ast.AsyncFor, ast.comprehension)) else None)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in through:
            node = node.func.value
        else:
            return


_TAKERS = ("list", "tuple", "sorted", "reversed", "iter", "next")  # a run taken from a listing


def gets_metrics(call: ast.AST) -> bool:
    """``<run>.get_metrics(...)``, or the helper a migrated reader calls."""
    return isinstance(call, ast.Call) and (
        (isinstance(call.func, ast.Attribute) and call.func.attr == "get_metrics")
        or (isinstance(call.func, ast.Name) and call.func.id == "_v1_get_metrics"))


def _named_metric(call: ast.Call) -> str | None:
    """The one metric a call asks for by a literal name: ``get_metrics("k")``, ``get_metrics(name="k")``,
    or the helper a migrated reader calls, ``_v1_get_metrics(client, run_id, name="k")``."""
    position = 0 if isinstance(call.func, ast.Attribute) else 2
    given = call.args[position] if len(call.args) > position else next(
        (k.value for k in call.keywords if k.arg == "name"), None)
    return given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) else None


_BY_ID: ByContent[list[ReadById] | None] = ByContent(128)


def _literal_keys(call: ast.Call, ctx: FixContext) -> set[str] | None:
    """The keys read from the result (``m["loss"]`` of ``m = run.get_metrics()``, or the call
    subscripted at once), or None when any use of it is something else."""
    named = _named_metric(call)
    if named is not None:  # (``get_metrics("loss")`` holds that metric only, whatever reads it)
        return {named}
    direct = _key_of(call, ctx)
    if direct is not None:
        return {direct}
    if isinstance(ctx.parent(call), (ast.Subscript, ast.Attribute)):
        return None
    binding = ctx.assigned_binding(call)
    if binding is None or len(ctx.bindings_named(binding.name)) != 1:
        return None
    keys: set[str] = set()
    for use in binding.uses:
        key = _key_of(use, ctx)
        if key is None:
            return None
        keys.add(key)
    return keys


def _key_of(use: ast.AST, ctx: FixContext) -> str | None:
    """The literal key ``use`` is read by: ``use["k"]``, or ``use.get("k"[, default])`` (review 58b:
    v1 gave the string back where MLflow gives the default)."""
    read = ctx.parent(use)
    if isinstance(read, ast.Subscript) and read.value is use and isinstance(read.slice, ast.Constant):
        return read.slice.value if isinstance(read.slice.value, str) else None
    call = ctx.parent(read) if isinstance(read, ast.Attribute) and read.attr == "get" else None
    if isinstance(call, ast.Call) and call.func is read and call.args and not call.keywords and len(call.args) <= 2:
        key = call.args[0]
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    return None


def _launching_lines(call: ast.Call, ctx: FixContext) -> frozenset[int]:
    """The lines of the calls the read run comes from (see :func:`_launching_calls`): the
    script-naming call among them says which job script logged the metrics."""
    return frozenset(node.lineno for node in _launching_calls(call, ctx))


def _launching_calls(call: ast.Call, ctx: FixContext) -> list[ast.Call]:
    """The calls the read run comes from, followed back through the names that hold them
    (``run = exp.submit(config)``, ``config = ScriptRunConfig(...)``, ``best = run.get_best...``,
    ``for child in run.get_children()``)."""
    found: list[ast.Call] = []
    # (the run: the call's receiver, or what a migrated reader hands the helper: ``_v1_get_metrics(client, run.name)``)
    pending: list[ast.AST] = ([call.func.value] if isinstance(call.func, ast.Attribute)
                              else call.args[1:2] if isinstance(call.func, ast.Name) else [])
    seen: set[int] = set()
    while pending and len(seen) < 200:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call):
                found.append(inner)
            elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load):
                binding = ctx.binding_of(inner)
                held = binding.node if binding is not None else None
                if isinstance(held, (ast.Assign, ast.AnnAssign)) and held.value is not None:
                    pending.append(held.value)
                elif isinstance(held, (ast.For, ast.AsyncFor)):
                    pending.append(held.iter)
    return found


def _looked_up(call: ast.Call, ctx: FixContext) -> bool:
    """Is the read run one whose script this program does not name, so that any script near it
    may have logged it (a run looked up by id, or one of a listing)?  Not a submission that names
    its script, nor its own interactive run, nor an AutoML run or its children (they log AutoML's
    metrics, not a script's near it); a submission whose script is not known here is."""
    if _names_its_script(ctx, _launching_lines(call, ctx)):
        return False
    origin = _run_origin(call, ctx)
    if not isinstance(origin, ast.Call) or not isinstance(origin.func, ast.Attribute):
        return True
    if origin.func.attr == "start_logging" or (origin.func.attr == "create_or_update" and _runs_a_script(origin, ctx)):
        return False  # (a job an earlier run migrated: ``ml_client.jobs.create_or_update(command(command="python ..."))``)
    submitted = origin.args[0] if origin.args else next((k.value for k in origin.keywords if k.arg == "config"), None)
    return not (origin.func.attr == "submit" and ctx.callee(_held(submitted, ctx)) in _AUTOML)


_AUTOML = ("azureml.train.automl.AutoMLConfig", "azureml.train.automl.AutoMLImageConfig", "azureml.pipeline.steps.AutoMLStep")
# a run's methods that give runs of the same origin (its children, its best child)
_SAME_ORIGIN = ("get_children", "get_best_child", "get_best_run_by_primary_metric", "get_output")


def _runs_a_script(submission: ast.Call, ctx: FixContext) -> bool:
    """Does a v2 submission run a command that names its Python script?"""
    job = _held(submission.args[0] if submission.args else None, ctx)
    command = next((k.value for k in job.keywords if k.arg == "command"), None) if isinstance(job, ast.Call) else None
    return isinstance(command, ast.Constant) and isinstance(command.value, str) and ".py" in command.value


def _run_origin(call: ast.Call, ctx: FixContext) -> ast.AST | None:
    """The call that produced the read run (``exp.submit(config)``, ``Run(exp, id)``,
    ``exp.start_logging()``), followed back through the names that hold it, loops over children
    and a best child; None where it cannot be followed."""
    last = None
    for last in _run_trail(call, ctx, _SAME_ORIGIN):
        pass
    return last if not isinstance(last, ast.Name) else None


def _held(node: ast.AST | None, ctx: FixContext) -> ast.AST | None:
    """What a name holds, followed through plain assignments."""
    for _ in range(20):
        binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
        held = binding.node if binding is not None else None
        if not isinstance(held, (ast.Assign, ast.AnnAssign)) or held.value is None:
            return node
        node = held.value
    return node


def _references(ctx: FixContext) -> list[tuple[str | None, str, project.ScriptReference]]:
    """The scripts the program names, once a pass."""
    if "script_references" not in ctx.cache:
        here = Path(getattr(ctx.analysis.context, "path", None) or "-")
        ctx.cache["script_references"] = list(project.script_references(ctx.model, here))
    return ctx.cache["script_references"]  # type: ignore[return-value]


def _names_its_script(ctx: FixContext, lines: frozenset[int]) -> bool:
    """Does the program name the script of the read run (the run comes from one of its calls)?"""
    return any(reference.line in lines for _, _, reference in _references(ctx))


def _non_floats(ctx: FixContext, lines: frozenset[int]) -> dict[str | None, _Logged]:
    """The names the program's job scripts log a non-float under (None: one not known here), each
    with where and how the first such value is logged, once a pass: the scripts of the calls at
    ``lines`` where one of them names a script, else every script the program names."""
    references = _references(ctx)
    chosen = [entry for entry in references if entry[2].line in lines]
    key = f"non_float_metrics:{sorted(entry[2].line for entry in chosen)}"
    if key not in ctx.cache:
        found: dict[str | None, _Logged] = {}
        for folder, script, reference in chosen or references:
            if reference.launcher is None or reference.launcher.startswith(_DEPLOYMENTS):
                continue
            place = None if folder is None or folder.startswith(project.UNKNOWN_FOLDER) else folder
            text = _text(ctx, place, script)
            if text is None:
                text = _copied_here(ctx, script)
            if text is None:
                where = (f"at {place}/{script}" if place else "beside this program") + _found_above(ctx, place, script)
                found.setdefault(_UNREAD, _Logged(script, where, 0))
                continue
            for name, (kind, line) in _all_logged(text).items():
                _note_logged(found, name, _Logged(script, kind, line, text))
            for module, module_text in _modules_beside(ctx, place, script, text):  # (review 62: utils.py logs)
                for name, (kind, line) in _all_logged(module_text).items():
                    _note_logged(found, name, _Logged(module, kind, line, module_text))
        ctx.cache[key] = found
    return ctx.cache[key]  # type: ignore[return-value]


def _names_logged_near(ctx: FixContext) -> tuple[frozenset[str], bool]:
    """The names the files near this program (itself included) log under, and whether any logs under
    a name known only at run time, once a pass."""
    location = getattr(ctx.analysis.context, "path", None)
    settings = getattr(ctx.analysis.context, "settings", None)
    if location is None or settings is None or not getattr(settings, "project_index", False):
        return frozenset(), True  # (nothing near it can be read: any name may be logged)
    if "names_logged_near" not in ctx.cache:
        names: set[str] = set()
        computed = False
        for _, text, _ in _texts_near(Path(location), settings):
            spelt, unknown = _log_names(text)
            names |= spelt
            computed = computed or unknown
        ctx.cache["names_logged_near"] = (frozenset(names), computed)
    return ctx.cache["names_logged_near"]  # type: ignore[return-value]


# What a run's metrics are logged with: v1's run methods, and MLflow's (a v2 job's script).
_LOGGING = frozenset({"log", "log_list", "log_row", "log_table", "log_image", "log_metric", *EVALUATION_METHODS})
# Receivers whose ``log`` is no run's (a logarithm; a logger's is told by its level), and MLflow's
# loggers of artifacts, whose first argument is data.
_NOT_RUNS = frozenset({"np", "numpy", "math", "cmath", "torch", "tf", "jnp", "jax", "scipy", "sympy", "pd"})
_MLFLOW_ARTIFACTS = frozenset({"log_image", "log_table", "log_figure", "log_text", "log_dict"})


def _log_names(text: str) -> tuple[frozenset[str], bool]:
    """The literal names ``text`` logs metrics under, and whether it logs under others too (worked out
    once per text)."""
    return _LOG_NAMES.get(text, lambda: _log_names_in(text))


def _log_names_in(text: str) -> tuple[frozenset[str], bool]:
    tree = tree_if_mentioned(text, "log")
    if tree is None:
        return frozenset(), "log" in text  # (a text that does not parse may log anything)
    names: set[str] = set()
    computed = False
    for node in all_nodes(tree):
        method, receivers = _logging_call(node)
        if method is None or receivers & _NOT_RUNS or ("mlflow" in receivers and method in _MLFLOW_ARTIFACTS):
            continue
        if method == "autolog":  # (floats, under names MLflow chooses)
            computed = True
        elif method == "log_metrics":  # (a dict of them)
            given = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "metrics"), None)
            literal = isinstance(given, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                                          for k in given.keys)
            if literal:
                names.update(k.value for k in given.keys)  # type: ignore[union-attr]
            computed = computed or not literal
        else:
            name = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg in ("name", "key")), None)
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                names.add(name.value)
            elif name is not None and not _a_level(name):
                computed = True
    return frozenset(names), computed


def _logging_call(node: ast.AST) -> tuple[str | None, frozenset[str]]:
    """(method, the names its receiver is reached through) of a call that may log a metric; a bare
    ``log_metric(...)``/``log_metrics(...)``/``autolog()`` is MLflow's (``from mlflow import log_metric``)."""
    if not isinstance(node, ast.Call):
        return None, frozenset()
    func = node.func
    if isinstance(func, ast.Name):
        return (func.id, frozenset({"mlflow"})) if func.id in ("log_metric", "log_metrics", "autolog") else (None, frozenset())
    if not isinstance(func, ast.Attribute) or func.attr not in _LOGGING | {"log_metrics", "autolog"}:
        return None, frozenset()
    receivers: set[str] = set()
    value = func.value
    while isinstance(value, ast.Attribute):
        receivers.add(value.attr)
        value = value.value
    if isinstance(value, ast.Name):
        receivers.add(value.id)
    return func.attr, frozenset(receivers)


def _a_level(name: ast.expr) -> bool:
    """``logger.log(logging.INFO, ...)``: a logging level, not a metric's name."""
    return (isinstance(name, ast.Constant) and isinstance(name.value, int)) or (
        isinstance(name, ast.Attribute) and isinstance(name.value, ast.Name) and name.value.id == "logging")


_LOG_NAMES: ByContent[tuple[frozenset[str], bool]] = ByContent(256)


def _texts_near(here: Path, settings: object) -> Iterator[tuple[Path, str, Callable[[int], str] | None]]:
    """The programs of the files near ``here`` (:func:`.engine.project.same_branch`, as the script side
    asks; ``here`` itself too, whose interactive runs it may look up) that mention logging, each with
    how a reason names one of its lines."""
    near = partial(project.same_branch, here)
    for candidate, data in project.texts_mentioning(here, settings, (".py", ".ipynb"), b"log", near):  # type: ignore[arg-type]
        for text, label in project.labelled_programs(candidate, data):
            yield candidate, text, label


def _logged_in_project(ctx: FixContext, keys: set[str] | None) -> dict[str | None, _Logged]:
    """Where a file near this program (see :func:`.engine.project.same_branch`; this program's own file
    too, whose interactive runs it may look up) logs something
    MLflow's metrics do not hold, for a run this program looks up by id (audit 58w: a notebook read
    a string a script of its project logged with ``log_list``, and the migrated read failed with
    KeyError): under one of ``keys``, under a name not known here (an f-string), or under names
    known only at run time (review 58b: a loop over ``vars(args)``); under any name when the
    result is read other than by literal key (``keys`` None: ``metrics.items()``)."""
    location = getattr(ctx.analysis.context, "path", None)
    settings = getattr(ctx.analysis.context, "settings", None)
    if location is None or settings is None or not getattr(settings, "project_index", False):
        return {}
    key = f"non_floats_in_project:{sorted(keys) if keys is not None else None}"
    if key not in ctx.cache:
        found: dict[str | None, _Logged] = {}
        for candidate, text, label in _texts_near(Path(location), settings):
            for name, (kind, line) in _all_logged(text).items():
                if keys is None or name in keys or name in (_UNKNOWN, _ANY_NAME):
                    place = label(line) if label is not None else line
                    _note_logged(found, name, _Logged(candidate.name, kind, place, text))
        ctx.cache[key] = found
    return ctx.cache[key]  # type: ignore[return-value]


def spelled_names(text: str) -> frozenset[str] | None:
    """The names a script's loop over names known only when it runs may log under: its string
    literals other than the names of its own log calls, and its command-line options' destinations
    (``vars(args)``); None (any name) when it lists the attributes of options it does not declare
    itself (review 62: a parser built in an imported module).  Worked out once per text."""
    return _SPELLED.get(text, lambda: _spelled_in(text))


def _spelled_in(text: str) -> frozenset[str] | None:
    tree = tree_if_mentioned(text, ".log")
    if tree is None:
        return frozenset()
    if "add_argument" not in text and any(_logs_attributes(node) for node in all_nodes(tree)):
        return None  # (a loop over options' attributes, declared elsewhere: review 64)
    log_names = {node.args[0].value for node in all_nodes(tree) if isinstance(node, ast.Call) and node.args
                 and isinstance(node.func, ast.Attribute) and node.func.attr.startswith("log")
                 and isinstance(node.args[0], ast.Constant)}  # (the names it logs itself, wherever else spelled)
    found = {node.value for node in all_nodes(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in log_names}
    found.update(dest for node in all_nodes(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                 and node.func.attr == "add_argument" and (dest := option_dest(node)) is not None)
    return frozenset(found)


def _logs_attributes(node: ast.AST) -> bool:
    """``for key, value in vars(args).items(): run.log(key, value)`` (or ``args.__dict__``)."""
    if not isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        return False
    listed = any((isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "vars")
                 or (isinstance(inner, ast.Attribute) and inner.attr == "__dict__") for inner in ast.walk(node.iter))
    body = node.body if isinstance(node, (ast.For, ast.AsyncFor)) else []
    return listed and (not body or any(isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                                       and inner.func.attr.startswith("log")
                                       for statement in body for inner in ast.walk(statement)))


_SPELLED: ByContent[frozenset[str] | None] = ByContent(256)


def _all_logged(text: str) -> Mapping[str | None, tuple[str, int]]:
    """What a script logs that MLflow's metrics do not hold, by name: its tables first (worked
    out once per text: every metrics reader of a project asks about the same scripts)."""
    return _LOGGED.get(text, lambda: MappingProxyType(_logged_in(text)))


def _logged_in(text: str) -> dict[str | None, tuple[str, int]]:
    found = _tables_logged(text)
    for name, where in _non_floats_logged(text).items():
        found.setdefault(name, where)
    return found


_LOGGED: ByContent[Mapping[str | None, tuple[str, int]]] = ByContent(256)


def _tables_logged(text: str) -> dict[str | None, tuple[str, int]]:
    """The names a script logs a table, an image or an evaluation under, with what and where."""
    found: dict[str | None, tuple[str, int]] = {}
    for match in _TABLE_CALL.finditer(text):
        if "#" in text[text.rfind("\n", 0, match.start()) + 1:match.start()]:
            continue  # (a comment that shows the call: logging-api.ipynb)
        method = match.group(0)[1:].split("(")[0]
        what = "an image" if method == "log_image" else "a table"
        found.setdefault(match.group(2) if match.group(1) else _UNKNOWN,
                         (f"{what} with `{method}`", text.count("\n", 0, match.start()) + 1))
    return found


def _non_floats_logged(text: str) -> dict[str | None, tuple[str, int]]:
    """The names ``run.log(name, value)`` logs a string, an int or a bool under, as far as the script
    shows (a literal, an f-string, ``str(...)``, ``int(...)``, ``len(...)``, a command-line option
    parsed as one), each with the kind and line of the first: v1 returned a string among the metrics
    and an int as an int; MLflow's metrics hold neither (the script's own fix keeps a string v1
    while its metrics are read back)."""
    tree = tree_if_mentioned(text, ".log")
    if tree is None:
        return {}
    options = _option_kinds(tree)
    found: dict[str | None, tuple[str, int]] = {}
    for node in sorted((n for n in all_nodes(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
        if not (isinstance(node.func, ast.Attribute) and node.func.attr in ("log", "log_list")):
            continue
        if _logging_call(node)[1] & _NOT_RUNS or (node.args and _a_level(node.args[0])):
            continue  # (``np.log(x)``, ``logger.log(logging.INFO, text)``: no run's)
        values = dict(zip(("name", "value"), node.args))
        values.update({k.arg: k.value for k in node.keywords if k.arg in ("name", "value")})
        value, name = values.get("value"), values.get("name")
        if node.func.attr == "log_list":  # v1 kept the list; what MLflow cannot hold is its items'
            kinds = [_non_float_kind(item, options) for item in value.elts] \
                if isinstance(value, (ast.List, ast.Tuple)) else []
            item_kind = next((found_kind for found_kind in kinds if found_kind is not None), None)
            kind = f"a list holding {item_kind}" if item_kind is not None else None
        else:
            kind = _non_float_kind(value, options) if value is not None else None
        named = isinstance(name, ast.Constant) and isinstance(name.value, str)
        if kind is not None:
            found.setdefault(name.value if named else _UNKNOWN, (kind, node.lineno))  # type: ignore[union-attr]
        elif value is not None and name is not None and not named and not _a_number(value):
            found.setdefault(_ANY_NAME, ("values of a kind not known here", node.lineno))
    return found


def _a_number(value: ast.expr) -> bool:
    """A float by its looks: a float literal or ``float(...)``."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, float)
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "float"


_CONVERTERS = {"str": "a string", "int": "an int", "len": "an int", "round": "an int"}  # (round(x) gives an int)


def non_float_kind(value: ast.expr, tree: ast.AST) -> str | None:
    """What ``value`` (in the script ``tree``) is when it is not a float (a string, an int, a bool,
    a command-line option parsed as one), or None."""
    return _non_float_kind(value, _option_kinds(tree))


def _non_float_kind(value: ast.expr, options: dict[str, str]) -> str | None:
    """What ``value`` is when it is not a float (a string, an int, a bool), or None."""
    if isinstance(value, ast.JoinedStr):
        return "a string"
    if isinstance(value, ast.Constant):
        if isinstance(value.value, bool):
            return "a bool"  # (v1 returned True, MLflow 1.0)
        return "a string" if isinstance(value.value, str) else "an int" if isinstance(value.value, int) else None
    if isinstance(value, ast.Call):
        func = value.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if called in _CONVERTERS and (called != "round" or len(value.args) == 1):
            return _CONVERTERS[called]
        return None
    if isinstance(value, ast.Attribute) and value.attr in options:
        return f"{options[value.attr]} from the command-line option `{value.attr}`"
    return None


_ACTION_KINDS = {"store_true": "a bool", "store_false": "a bool", "count": "an int"}
_TYPE_KINDS = {"int": "an int", "str": "a string"}


def _option_kinds(tree: ast.AST) -> dict[str, str]:
    """What ``parser.add_argument(...)`` options that are not floats hold, by destination: ``type=int``
    (or ``action="count"``) an int, ``store_true`` a bool, and ``type=str`` or no type at all (argparse
    keeps the command line's text) a string."""
    found: dict[str, str] = {}
    for node in all_nodes(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument"):
            continue
        given = {k.arg: k.value for k in node.keywords}
        kind, dest = _option_kind(given.get("type"), given.get("action")), option_dest(node)
        if kind is not None and dest is not None:
            found[dest] = kind
    return found


def _option_kind(kind: ast.expr | None, action: ast.expr | None) -> str | None:
    named = action.value if isinstance(action, ast.Constant) else None
    if action is not None and named != "store":  # (``store`` is argparse's own default)
        return _ACTION_KINDS.get(named) if isinstance(named, str) and kind is None else None
    if kind is None:
        return "a string"
    return _TYPE_KINDS.get(kind.id) if isinstance(kind, ast.Name) else None


_COPIES = frozenset({"copy", "copy2", "copyfile"})


def _copied_here(ctx: FixContext, script: str) -> str | None:
    """The text of a file of ``script``'s name that this program copies (``shutil.copy("train.py",
    "proj")``, a literal source beside the program) into the folder its job runs from, or None."""
    location = getattr(ctx.analysis.context, "path", None)
    if location is None:
        return None
    for node in all_nodes(ctx.model.tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            continue
        called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if called in _COPIES and Path(node.args[0].value).name == script:
            copied = Path(location).parent / node.args[0].value
            try:
                return copied.read_text(encoding="utf-8", errors="replace") if copied.is_file() else None
            except OSError:
                return None
    return None


def _modules_beside(ctx: FixContext, folder: str | None, script: str, text: str) -> list[tuple[str, str]]:
    """(name, text) of the modules a job script imports from its own folder, and the modules those
    import, three levels down (``import utils``, ``from helpers import describe`` of a package
    ``helpers/``, ``from . import x``): their code runs in the job, and logs to its run too."""
    location = getattr(ctx.analysis.context, "path", None)
    if location is None:
        return []
    root = (Path(location).parent / (folder or ".").replace("\\", "/") / script.replace("\\", "/")).parent
    found: dict[Path, str] = {}
    pending = [(root, text, 0)]
    while pending:
        here, source, depth = pending.pop()
        for module in _imported_files(source, root, here):
            if module in found or len(found) >= 50:
                continue
            try:
                if module.stat().st_size >= 2_000_000:
                    continue
                found[module] = module.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if depth < 2:
                pending.append((module.parent, found[module], depth + 1))
    return [(module.name, module_text) for module, module_text in sorted(found.items())]


def _imported_files(text: str, root: Path, here: Path) -> list[Path]:
    """The files of the job's folder ``root`` that ``text`` (a module in ``here``) imports: absolute
    imports from ``root`` (the job's working folder), relative ones from ``here``."""
    tree = tree_if_mentioned(text, "import")
    if tree is None:
        return []
    wanted: list[tuple[Path, list[str]]] = []
    for node in all_nodes(tree):
        if isinstance(node, ast.Import):
            wanted += [(root, alias.name.split(".")) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = root if node.level == 0 else here
            for _ in range(max(node.level - 1, 0)):
                base = base.parent
            parts = node.module.split(".") if node.module else []
            wanted += [(base, parts)] if parts else []
            wanted += [(base, [*parts, alias.name]) for alias in node.names if alias.name != "*"]
    files: list[Path] = []
    for base, parts in wanted:
        for depth in range(1, len(parts) + 1):  # (a package's __init__ runs too, on the way down)
            folder = base.joinpath(*parts[:depth])
            for candidate in (folder.with_suffix(".py"), folder / "__init__.py"):
                if candidate.is_file() and candidate not in files:
                    files.append(candidate)
    return files


def _found_above(ctx: FixContext, folder: str | None, script: str) -> str:
    """Where the script is, from a folder above this program's, which is where the program runs
    from if it runs it (audit u: the script's own fix named this launcher as one that runs it)."""
    context = ctx.analysis.context
    location, settings = getattr(context, "path", None), getattr(context, "settings", None)
    if location is None or settings is None:
        return ""
    here = Path(location).parent
    relative = Path(folder or ".") / script
    for base in project.launch_folders(here, project.root_for(Path(location), settings))[1:]:  # type: ignore[arg-type]
        if (base / relative).is_file():
            shown = Path(os.path.relpath(base / relative, here)).as_posix()
            return (f" (run from a folder above, it is {shown}, but which folder the program runs from is not "
                    "known here)")
    return ""


def _text(ctx: FixContext, folder: str | None, script: str) -> str | None:
    try:
        return commandline.script_text(ctx, folder, script)
    except commandline.Refused:
        return ""  # (the job's own fix refuses then: nothing to hold here)
