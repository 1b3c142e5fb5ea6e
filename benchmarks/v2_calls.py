#!/usr/bin/env python
"""Calls of the v2 APIs that do not bind to the installed packages' real signatures.

usage: python benchmarks/v2_calls.py ROOT REL [REL ...]

For each file (a ``.py`` file, or a notebook whose code cells are joined with their
magic lines masked), every call of something imported from azure-ai-ml, MLflow,
azure-identity or azure-core, and every ``<client>.<operations>.<method>(...)`` call
on a variable that only ever holds ``MLClient(...)`` or ``MLClient.from_config(...)``, is
bound with ``inspect.Signature.bind`` against the object the installed package really has,
and every public attribute read on such a variable must exist on ``MLClient``; every
name imported from those packages must exist (or the program stops with ImportError).
A keyword that does not exist, a positional argument too many or a missing required
argument is a TypeError waiting for the program to reach that line; a method that
does not exist is an AttributeError.  Calls that spread ``*args``/``**kwargs`` are
not counted.

Prints one JSON list of ``[rel, api, problem]``, one entry per call that fails (the
harm gate runs it on the original and on the fixed files and counts what is new).
Needs the test dependencies (azure-ai-ml, mlflow-skinny) in the interpreter that runs it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import sys
import typing
import warnings
from pathlib import Path

PACKAGES = ("azure.ai.ml", "mlflow", "azure.identity", "azure.core")
CLIENT_FACTORIES = ("MLClient", "MLClient.from_config")
MAGIC = re.compile(r"^[ \t]*(?:[%!]|[\w.]+[ \t]*=[ \t]*[%!])")
_MISSING = object()


def program(path: Path) -> str:
    """A file's Python: a notebook's code cells joined (a ``%%`` cell is not this program)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return text
    cells = [c for c in json.loads(text).get("cells", []) if c.get("cell_type") == "code"]
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
    lines = [
        ("pass" if MAGIC.match(line) else line)
        for source in sources if not source.lstrip().startswith("%%")
        for line in source.split("\n")
    ]
    return "\n".join(lines)


def resolve(dotted: str) -> object:
    """The object a dotted name (module path, then attributes) names, or _MISSING."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            value: object = importlib.import_module(".".join(parts[:split]))
        except Exception:  # noqa: BLE001 - not a module (or one that fails to import)
            continue
        for attribute in parts[split:]:
            value = getattr(value, attribute, _MISSING)
            if value is _MISSING:
                return _MISSING
        return value
    return _MISSING


def imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> the dotted v2 name it was imported as."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level and node.module.startswith(PACKAGES):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGES):
                    local = alias.asname or alias.name.split(".")[0]
                    names[local] = alias.name if alias.asname else alias.name.split(".")[0]
    return names


def clients(tree: ast.Module, names: dict[str, str]) -> set[str]:
    """Variables that only ever hold an MLClient (every binding of the name assigns one)."""
    assigned: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = ast.unparse(node.value.func)
            head = func.split(".")[0]
            if names.get(head, "").endswith(".MLClient") and func.replace(head, "MLClient", 1) in CLIENT_FACTORIES:
                assigned.update(id(t) for t in node.targets if isinstance(t, ast.Name))
    stores: dict[str, bool] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores[node.id] = stores.get(node.id, True) and id(node) in assigned
        elif isinstance(node, ast.arg):
            stores[node.arg] = False
    return {name for name, only_clients in stores.items() if only_clients}


def dotted(node: ast.expr) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def target(call: ast.Call, names: dict[str, str], client_names: set[str]) -> tuple[str, object, bool] | None:
    """(the API's name, the callable, whether it is bound to an instance) of a call, if it is v2."""
    parts = dotted(call.func)
    if parts is None:
        return None
    if parts[0] in client_names and len(parts) == 3:
        from azure.ai.ml import MLClient

        operations = getattr(MLClient, parts[1], None)
        if not isinstance(operations, property):
            return None
        kind = typing.get_type_hints(operations.fget).get("return")
        label = f"MLClient.{parts[1]}.{parts[2]}"
        return label, getattr(kind, parts[2], _MISSING), takes_self(kind, parts[2])
    if parts[0] in client_names and len(parts) == 2:
        from azure.ai.ml import MLClient

        method = getattr(MLClient, parts[1], None)  # (a missing one is counted as an attribute read)
        if method is None or isinstance(method, property):
            return None
        return f"MLClient.{parts[1]}", method, takes_self(MLClient, parts[1])
    if parts[0] not in names:
        return None
    base = resolve(names[parts[0]])
    if base is _MISSING or (len(parts) > 1 and inspect.isclass(base)):
        return None  # (an attribute of a class: which object it is bound to is not known here)
    label = ".".join([names[parts[0]], *parts[1:]])
    return label, resolve(label) if len(parts) > 1 else base, False


def takes_self(owner: object, name: str) -> bool:
    """Is ``owner.name`` a plain method, whose signature looked up on the class still has ``self``
    (a classmethod or staticmethod has none to fill)?"""
    try:
        raw = inspect.getattr_static(owner, name)
    except AttributeError:
        return False
    return not isinstance(raw, (classmethod, staticmethod))


def problem(call: ast.Call, function: object, bound: bool) -> str | None:
    if function is _MISSING:
        return "no such attribute"
    if not callable(function):
        return None
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    arguments = [None] * (len(call.args) + (1 if bound else 0))
    try:
        signature.bind(*arguments, **{k.arg: None for k in call.keywords if k.arg is not None})
    except TypeError as error:
        return str(error)
    return None


def unbound_calls(path: Path) -> list[tuple[str, str]]:
    try:
        tree = ast.parse(program(path))
    except (OSError, SyntaxError, ValueError, json.JSONDecodeError):
        return []
    names = imported_names(tree)
    client_names = clients(tree, names)
    found = [(name, "cannot be imported") for name in sorted(set(names.values())) if resolve(name) is _MISSING]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in client_names:
            from azure.ai.ml import MLClient

            if not node.attr.startswith("_") and not hasattr(MLClient, node.attr):  # (private: set per instance)
                found.append((f"MLClient.{node.attr}", "no such attribute"))
            continue
        if not isinstance(node, ast.Call):
            continue
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            continue
        called = target(node, names, client_names)
        if called is None:
            continue
        label, function, bound = called
        why = problem(node, function, bound)
        if why is not None:
            found.append((label, why))
    return found


def main(argv: list[str]) -> int:
    if len(argv) < 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore")
    try:
        importlib.import_module("azure.ai.ml")
        importlib.import_module("mlflow")
    except ImportError as error:
        print(f"v2_calls: needs the test dependencies (azure-ai-ml, mlflow-skinny): {error}", file=sys.stderr)
        return 3
    root = Path(argv[0])
    results = [[rel, label, why] for rel in argv[1:] for label, why in unbound_calls(root / rel)]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
