"""Where a job script's run metrics are read back (``run.get_metrics()``).

v1 returned every value a script logged through the run among its metrics: strings,
rows, tables and images too.  MLflow keeps those as tags and artifacts, which its
metrics do not hold, so while something reads the metrics back such a value stays
logged through v1 (the reader would lose it, or raise KeyError for it).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from ...engine import project
from ...engine.findings import line_ref
from ...engine.memo import ByContent
from ...engine.source import tree_if_mentioned
from ...engine.fixing.rewrite import FixContext
from ._shared import seen_from
from .input_datasets import about_this_script

_READS_METRICS = "get_metrics("
_NEWLINE = "\n"


def metrics_reader(ctx: FixContext, name: str | None = None, by_key_only: bool = False,
                   known: bool = True) -> str | None:
    """Where this script's run metrics are read back: in the script itself, in a file of the
    project that names it (its launcher, as v1 or as an earlier run migrated it), or in a file near
    it that reads a run it looks up by id: one that reads the key ``name``, or reads any key
    (``metrics.items()``, a key in a variable), or, for a value logged under a name not ``known``
    here (``for key, value in vars(args).items()``), one that reads any run metrics at all."""
    read = ctx.text.find(_READS_METRICS)
    if read >= 0 and not by_key_only:
        return line_ref(ctx.text.count(_NEWLINE, 0, read) + 1)
    found = None if by_key_only else _in_the_writer(ctx) or about_this_script(ctx, "metrics_reader", _reading_metrics)
    if found is None and (name is not None or not known):
        key = name if known else None
        found = about_this_script(ctx, f"metrics_reader:{key!r}:{known}",
                                  lambda path, settings: _reading_key(path, settings, key))
    return found


def _in_the_writer(ctx: FixContext) -> str | None:
    """A cell of the notebook that writes this script (``%%writefile``) and runs it, which reads
    the metrics back (as this run leaves its cells: a migrated read calls ``_v1_get_metrics(``)."""
    settings = getattr(ctx.analysis.context, "settings", None)
    writer, cells = getattr(settings, "named_in", None), getattr(settings, "launcher_text", None)
    line = _first_read(cells) if writer is not None and cells else None
    if line is None:
        return None
    name = getattr(settings, "launcher_line_name", None)
    return f"{writer.name}:{name(line) if name is not None else line}"


def _first_read(text: str) -> int | None:
    """The line of the first ``<run>.get_metrics(...)`` call (or of the helper a migrated one
    calls), or None; a text that does not parse may read them anywhere: its first line."""
    tree = tree_if_mentioned(text, _READS_METRICS)
    if tree is None:
        return 1 if _READS_METRICS in text else None
    lines = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr == "get_metrics")
        or (isinstance(node.func, ast.Name) and node.func.id == "_v1_get_metrics"))]
    return min(lines, default=None)


def _reading_metrics(path: Path, settings: object) -> str | None:
    return _first_reader(path, settings, (path.name.encode(),))


def _reading_key(path: Path, settings: object, name: str | None) -> str | None:
    """A file near the script (its folder, one above it, or a sibling folder: ``notebooks/`` beside
    ``src/``) that reads run metrics and spells the key ``name`` quoted, or reads any key (audit 58w:
    a notebook read back, by id, a run of a script it never names; a reader in another sample of the
    project reads other scripts' runs; review 58b: ``.items()``); any such reader when ``name`` is
    not known."""
    needles = tuple(f"{quote}{name}{quote}".encode() for quote in ("'", '"', '\\"')) if name is not None else ()
    return _first_reader(path, settings, needles, near=True,
                         also=lambda candidate, data: name is None or _reads_any_key(candidate, data))


def _reads_any_key(path: Path, data: bytes) -> bool:
    """Does a program of the file read run metrics other than by literal key?"""
    return any(keys_read(text) is None for text in project.program_texts(path, data))


def keys_read(text: str) -> frozenset[str] | None:
    """The keys a program reads from the run metrics it gets (``m["k"]`` and ``m.get("k")`` of
    ``m = run.get_metrics()``, the call subscripted at once, ``get_metrics(name="k")``), or None
    when it may read any (``m.items()``, a loop over ``m``, a key held in a variable).  Worked out
    once per text: every script near the reader asks."""
    return _KEYS.get(text, lambda: _keys_read(text))


def _keys_read(text: str) -> frozenset[str] | None:
    tree = tree_if_mentioned(text, "get_metrics")
    if tree is None:
        return None if _READS_METRICS in text else frozenset()
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    keys: set[str] = set()
    holders: set[tuple[int, str]] = set()  # (scope, name) of ``m = run.get_metrics()``
    for node in ast.walk(tree):
        if not _gets_metrics(node):
            continue
        named = _named_metric(node)  # type: ignore[arg-type]
        parent = parents.get(id(node))
        key = _key_read(node, parents)
        if key is not None or named is not None:
            keys.update(k for k in (key, named) if k is not None)
        elif isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            holders.add((id(_scope(parent, parents)), parent.targets[0].id))
        else:
            return None
    bound = _bound_names(tree, parents)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and any(name == node.id for _, name in holders):
            scope: ast.AST | None = _scope(node, parents)
            while scope is not None and node.id not in bound.get(id(scope), ()):  # (a closure reads its outer scope's)
                scope = _scope(scope, parents) if not isinstance(scope, ast.Module) else None
            if scope is None or (id(scope), node.id) not in holders:
                continue
            key = _key_read(node, parents)
            if key is None:
                return None
            keys.add(key)
    return frozenset(keys)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)


def _scope(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST:
    """The function (or the module) whose names ``node`` reads."""
    current = parents.get(id(node))
    while current is not None and not isinstance(current, _SCOPES):
        current = parents.get(id(current))
    return current if current is not None else node


def _bound_names(tree: ast.AST, parents: dict[int, ast.AST]) -> dict[int, set[str]]:
    """The names each function (and the module) binds, by the scope's id."""
    bound: dict[int, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.setdefault(id(_scope(node, parents)), set()).add(node.id)
        elif isinstance(node, ast.arg):
            bound.setdefault(id(_scope(node, parents)), set()).add(node.arg)
    return bound


def _gets_metrics(node: ast.AST) -> bool:
    """``<run>.get_metrics(...)``, or the helper a migrated reader calls."""
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr == "get_metrics")
        or (isinstance(node.func, ast.Name) and node.func.id == "_v1_get_metrics"))


def _named_metric(call: ast.Call) -> str | None:
    """The one metric a call asks for by a literal name (``get_metrics(name="k")``)."""
    position = 0 if isinstance(call.func, ast.Attribute) else 2  # (the helper takes the client and the run first)
    given = call.args[position] if len(call.args) > position else next(
        (k.value for k in call.keywords if k.arg == "name"), None)
    return given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) else None


def _key_read(node: ast.AST, parents: dict[int, ast.AST]) -> str | None:
    """The literal key ``node`` (a metrics dict) is read by: ``node["k"]`` or ``node.get("k"[, default])``."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.ctx, ast.Load):
        key = parent.slice
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    call = parents.get(id(parent)) if isinstance(parent, ast.Attribute) and parent.attr == "get" else None
    if isinstance(call, ast.Call) and call.func is parent and call.args and not call.keywords and len(call.args) <= 2:
        key = call.args[0]
        return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
    return None


_KEYS: ByContent[frozenset[str] | None] = ByContent(256)


def _first_reader(path: Path, settings: object, needles: tuple[bytes, ...], near: bool = False,
                  also: Callable[[Path, bytes], bool] = lambda candidate, data: False) -> str | None:
    """The first file of the project (not ``path``) that reads run metrics and holds one of ``needles``
    or of which ``also`` holds (``near``: one on the same branch of the project, see
    :func:`.engine.project.same_branch`)."""
    key = (project.root_for(path, settings), getattr(settings, "exclude", ()))  # type: ignore[arg-type]
    if key not in _READERS:  # the project's files that read run metrics, read once
        _READERS[key] = list(project.texts_mentioning(path, settings, (".py", ".ipynb"),  # type: ignore[arg-type]
                                                      _READS_METRICS.encode()))
    for candidate, data in _READERS[key]:
        if candidate != path and (not near or project.same_branch(candidate, path)) and (
                any(needle in data for needle in needles) or also(candidate, data)):
            where = seen_from(candidate, path)
            if candidate.suffix != ".py":
                return where
            return f"{where}:{data.count(_NEWLINE.encode(), 0, data.index(_READS_METRICS.encode())) + 1}"
    return None


_READERS: dict[tuple[Path, tuple[str, ...]], list[tuple[Path, bytes]]] = {}
project.PROJECT_CACHES.append(_READERS)
