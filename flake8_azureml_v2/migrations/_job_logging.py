"""Whether a job's script logs through MLflow once migrated, and what its job's environment needs then.

A script that logs through the v1 run moves to MLflow when it is migrated (or has, and says
so in its own TODO).  Its job's environment then needs mlflow and azureml-mlflow
(mapping.md 6), which v1's environments did not install.  An environment this fix writes
itself gets them; any other carries the TODO below, and the script's logging stays v1
while that TODO stands in its launcher (injob.launchers), since the job would stop at
``import mlflow``.  One that used MLflow in v1 already ran where mlflow was installed.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from ..engine import modules, project
from ..engine.fixing.rewrite import FixContext
from ..engine.fixing.specs import Refused
from ..rules.aml039_run_log_evaluation import METHODS as EVALUATION_METHODS
from . import commandline
from ._todo import PREFIX
from .conda import package_name
from .injob.run_get_context import ENVIRONMENT_TODO

# The run's methods whose migration imports mlflow (injob.run_*).  The script gets its run
# anywhere in the file: a function may log through a module global assigned below it.
_RUN_METHODS = ("log", "log_list", "log_row", "log_table", "log_image", *EVALUATION_METHODS,
                "tag", "set_tags", "upload_file", "upload_folder", "fail")
_GETS_RUN = re.compile(r"\bget_context\(\)")
_MLFLOW_CALL = re.compile(r"\.(?:" + "|".join(_RUN_METHODS) + r")\(")
_SAYS_IT_LOGS = re.compile(re.escape(ENVIRONMENT_TODO))
MLFLOW_PACKAGES = ("mlflow", "azureml-mlflow")
_NEEDS = "logs with MLflow once migrated: add mlflow and azureml-mlflow to this job's environment"


def script_logs(ctx: FixContext, folder: str | None, script: str | None) -> bool:
    """The job script ``script`` (in ``folder``) is one this fix can read and it logs through the
    v1 run (or tags, uploads to or fails it): in its folder, or else beside the launcher (which may
    copy it to a folder made at run time)."""
    if script is None:
        return False
    try:
        text = commandline.script_text(ctx, folder, script)
        if text is None and folder is not None:
            text = commandline.script_text(ctx, None, script)
    except (Refused, commandline.Refused):
        return False
    context = ctx.analysis.context
    location, settings = getattr(context, "path", None), getattr(context, "settings", None)
    root = project.root_for(Path(location), settings) if location is not None and settings is not None else None
    if text is not None:
        here = Path(location).parent / (folder or ".") / script if location is not None else None
        return _logs(text) or (here is not None and here.is_file() and _module_logs(here, text, root))
    return any(_logs(found) or _module_logs(path, found, root) for path in _may_run(ctx, script)
               for found in [_read(path)])


def _logs(text: str) -> bool:
    moves = _GETS_RUN.search(text) is not None and _MLFLOW_CALL.search(text) is not None
    return moves or _SAYS_IT_LOGS.search(text) is not None


def _module_logs(script: Path, text: str, root: Path | None, depth: int = 2) -> bool:
    """A module of the project that the script imports (or one that module imports) logs through
    the v1 run: its code runs in the script's job, so the job needs mlflow once it moves."""
    if depth == 0 or "import" not in text:
        return False
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += ["." * node.level + (node.module or "") for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    for name in dict.fromkeys(imported):
        module = next((found for found in modules.module_files(name, script.parent, root)
                       if found != script and found.is_file()), None)
        if module is not None:
            found_text = _read(module)
            if _logs(found_text) or _module_logs(module, found_text, root, depth - 1):
                return True
    return False


def _may_run(ctx: FixContext, script: str) -> list[Path]:
    """The project's files named like ``script`` that this launcher may run though none is where it
    names it: its folder is computed at run time (``os.environ[...]``), or is one this program is
    run from (above its own), as the project index reads it for the script's side too."""
    from ..v1api import SURFACE  # (v1api imports the migrations: read when a launcher asks)

    location = getattr(ctx.analysis.context, "path", None)
    settings = getattr(ctx.analysis.context, "settings", None)
    if location is None or settings is None or not getattr(settings, "project_index", False):
        return []
    here = Path(os.path.normpath(location))
    key = (here, script, tuple(getattr(settings, "exclude", ())))
    if key not in _MAY_RUN:
        try:
            index = project.index_for(here, settings, SURFACE)
            _MAY_RUN[key] = [candidate for candidate in index.files_named(Path(script).name)
                             if index.may_be_run_by(candidate, here)]
        except (OSError, ValueError):
            _MAY_RUN[key] = []
    return _MAY_RUN[key]


# (launcher, script, excluded) -> the files it may run: every pass of every job of the launcher asks
_MAY_RUN: dict[tuple[Path, str, tuple[str, ...]], list[Path]] = {}
project.PROJECT_CACHES.append(_MAY_RUN)


def needs_mlflow(script: str) -> str:
    """What the TODO above a job says, whose environment this fix did not write and whose script logs."""
    return f"{script} {_NEEDS}"


def environment_todo(code: str, script: str) -> str:
    """That TODO comment, for the rule ``code``."""
    return f"# {PREFIX} {code} {needs_mlflow(script)}"


# Any such TODO, with the script it names (a path as the launcher gave it).
ANY_TODO = re.compile(re.escape(f"# {PREFIX} ") + r"AML\d{3} ([^\r\n]+?) " + re.escape(_NEEDS))
TODO_BYTES = _NEEDS.encode()


def todo_naming(script_name: str) -> re.Pattern[str]:
    """The TODO of :func:`environment_todo`, for a script of this file name (in any folder)."""
    return re.compile(re.escape(f"# {PREFIX} ") + r"AML\d{3} (?:\S*[/\\])?" + re.escape(f"{script_name} {_NEEDS}"))


_FILES = (".yml", ".yaml", ".txt")
# The package that says a job can log with MLflow: it brings mlflow, and mlflow alone cannot reach a
# job's tracking store, whose URI scheme the plugin registers.
_PLUGIN = "azureml-mlflow"


def environment_has_mlflow(node: ast.expr | None, ctx: FixContext) -> bool:
    """The environment variable ``node`` is built, in this program, with azureml-mlflow among its
    packages: listed where it is made or set (``env.python.conda_dependencies = cd``), in the
    variables those statements read and the calls made on them (``cd.add_pip_package(...)``),
    or in a conda or requirements file they name."""
    binding = ctx.binding_of(node) if isinstance(node, ast.Name) else None
    if binding is None:
        return False
    statements = [binding.node, *(_setting(use, ctx) for use in binding.uses)]
    for statement in list(statements):
        for name in ast.walk(statement.value) if isinstance(statement, ast.Assign) else ():
            read = ctx.binding_of(name) if isinstance(name, ast.Name) else None
            if read is not None and read is not binding:
                statements.extend([read.node, *(_setting(use, ctx) for use in read.uses)])
    here = getattr(ctx.analysis.context, "path", None)
    strings = [c.value for s in statements if isinstance(s, ast.stmt) for c in ast.walk(s)
               if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    if any(package_name(text) == _PLUGIN for text in strings):
        return True
    files = [Path(here).parent / text for text in strings if here is not None and text.endswith(_FILES)]
    # a line of a conda file (``    - azureml-mlflow==1.5``) or of a requirements file
    return any(package_name(line.strip().lstrip("-")) == _PLUGIN for path in files for line in _read(path).splitlines())


def _setting(use: ast.AST, ctx: FixContext) -> ast.stmt | None:
    """The statement that sets an attribute of ``use`` (``env.docker.x = ...``) or calls a method
    on it (``cd.add_pip_package(...)``); None for any other use."""
    statement = ctx.statement_of(use)
    parent = ctx.parent(use)
    if isinstance(statement, ast.Assign) and isinstance(parent, ast.Attribute) and any(
            target is parent or parent in ast.walk(target) for target in statement.targets):
        return statement
    if isinstance(statement, ast.Expr) and isinstance(parent, ast.Attribute) and statement.value is ctx.parent(parent):
        return statement
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.stat().st_size < 1_000_000 else ""
    except OSError:
        return ""
