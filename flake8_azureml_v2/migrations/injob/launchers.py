"""Whether a job script's launcher still runs it with v1 once this run has fixed it.

A script whose logging moves to MLflow imports mlflow; a v1 launcher's environment
(an Estimator's pip_packages, a conda file written for v1) was made without it, and a
v1 HyperDrive reads its primary metric from the v1 run.  So while a launcher in the
project still starts the script through v1 (as this run leaves it: launchers are fixed
first, see runner.fixing_order), the script's logging stays v1 with it.  So it does while a
launcher this fix migrated runs it in an environment it did not write: the TODO written there
(job_logging) asks for mlflow until someone adds it.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ... import notebooks
from ...engine import files, importers, project
from ...engine.analysis import analyse
from ...engine.fixing.arguments import known_str
from ...engine.fixing.rewrite import FixContext
from ...engine.source import SourceError, SourceText, decode, parse
from ...v1api import SCRIPT_PARAMETERS, SURFACE
from .._conda_spec import found_copies
from .._job_logging import ANY_TODO, TODO_BYTES, todo_naming
from .input_datasets import about_this_script, launcher_text

# A file holding one of these is fixed after the others of a run (runner.fixing_order).
FIX_AFTER_LAUNCHERS = b"get_context"


def v1_launcher(ctx: FixContext) -> project.ScriptReference | None:
    """A call of this project that starts this script through v1, as this run leaves it.

    A file a notebook writes is fixed after the notebook's cells, which tell (in its
    settings) whether one of their calls still runs it; that file is not on disk yet."""
    settings = getattr(ctx.analysis.context, "settings", None)
    writer = getattr(settings, "named_in", None)
    if writer is not None and settings.unmigrated_launcher is not None:  # type: ignore[union-attr]
        return project.ScriptReference(writer, 0, "script", label=settings.unmigrated_launcher)  # type: ignore[union-attr]
    found = about_this_script(ctx, "v1_launcher", _find)
    return None if found is not None and found.orchestrator == writer else found


NEWLINE = "\n"


def launcher_without_mlflow(ctx: FixContext) -> project.ScriptReference | None:
    """A launcher of this script that this fix migrated with an environment it did not write:
    the TODO there (job_logging) asks for mlflow, which the job needs once the script logs with it."""
    settings = getattr(ctx.analysis.context, "settings", None)
    writer, text = getattr(settings, "named_in", None), getattr(settings, "launcher_text", None)
    written_as = getattr(settings, "written_as", None)
    if writer is not None and text is not None and written_as:  # a file a notebook writes: its cells as fixed
        found = todo_naming(written_as).search(text)
        if found is not None:
            line = text.count(NEWLINE, 0, found.start()) + 1
            name = settings.launcher_line_name  # type: ignore[union-attr]
            return project.ScriptReference(writer, line, "script", label=name(line) if name is not None else None)
    return about_this_script(ctx, "launcher_without_mlflow", _asking_for_mlflow)


def _asking_for_mlflow(path: Path, settings: object) -> project.ScriptReference | None:
    """Its v1 launcher as this run fixed it, or a file of the project that holds the TODO (a
    launcher an earlier run migrated, which the project index, made of v1 calls, no longer sees);
    for a module, those of the scripts that import it."""
    return _asked_for(path, settings) or _through_importers(path, settings, _asked_for)


def _asked_for(path: Path, settings: object) -> project.ScriptReference | None:
    todo = todo_naming(path.name)
    for reference in _references(path, settings):
        text = launcher_text(reference, same_line=False)
        found = todo.search(text) if text is not None else None
        if found is not None:
            line = text.count(NEWLINE, 0, found.start()) + 1  # type: ignore[union-attr]
            return reference if reference.label is not None else replace(reference, line=_line_as_read(reference, text, line))  # type: ignore[arg-type]
    key = (project.root_for(path, settings), getattr(settings, "exclude", ()))  # type: ignore[arg-type]
    if key not in _ASKING:  # every TODO of the project, read once
        _ASKING[key] = _todos_of(path, settings)
    return next((reference for reference in _ASKING[key].get(path.name, ()) if reference.orchestrator != path), None)


def _todos_of(path: Path, settings: object) -> dict[str, list[project.ScriptReference]]:
    found: dict[str, list[project.ScriptReference]] = {}
    for candidate, data in project.texts_mentioning(path, settings, (".py", ".ipynb"), TODO_BYTES):  # type: ignore[arg-type]
        for number, text, name in _programs(candidate, data):
            for todo in ANY_TODO.finditer(text):
                line = text.count(NEWLINE, 0, todo.start()) + 1
                script = os.path.basename(todo.group(1).replace("\\", "/"))
                found.setdefault(script, []).append(project.ScriptReference(
                    candidate, line, "script", label=name(line) if name is not None else None, program=number))
    return found


def _programs(path: Path, data: bytes) -> list[tuple[int, str, Callable[[int], str] | None]]:
    """The Python programs a file holds (a notebook's cells, its ``%%writefile`` bodies), numbered,
    each with how a message names one of its lines (None: as a line of the file)."""
    return [(number, text, label) for number, (text, label) in enumerate(project.labelled_programs(path, data))]


_ASKING: dict[tuple[Path, tuple[str, ...]], dict[str, list[project.ScriptReference]]] = {}
project.PROJECT_CACHES.append(_ASKING)


def _references(path: Path, settings: object) -> list[project.ScriptReference]:
    """The calls of the project that run ``path``, or that may."""
    try:
        index = project.index_for(path, settings, SURFACE)  # type: ignore[arg-type]
        # with no launcher known to run this script, the nearest that may run it hold it as surely, and
        # so does one in its folder or above naming a script of its name that is no file (a folder
        # renamed since), when this is the file of that name nearest to it; failing all those, a call
        # whose folder is computed at run time and spells no name may run it from any folder
        return (list(index.references_to(path)) or _nearest(path, list(index.references_to(path, loose=True)))
                or _copying(path, index) or [reference for reference in index.unplaced_references_to(path)
                                             if reference.orchestrator.parent in (path.parent, *path.parents)]
                or list(index.references_from_any_folder(path)))
    except (OSError, ValueError):
        return []


def _every_reference(path: Path, settings: object) -> tuple[list[project.ScriptReference], set[tuple[Path, int]]]:
    """Every call of the project that runs ``path`` or may: where :func:`_references` takes the
    first kind it finds, this takes them all (a launcher that copies the script elsewhere, or
    names a folder made at run time, beside one that names it: audit 58b); and which of them
    name it for certain (orchestrator and line)."""
    try:
        index = project.index_for(path, settings, SURFACE)  # type: ignore[arg-type]
        strict = [*index.references_to(path), *_copying(path, index)]  # (a launcher that copies this very file runs it)
        found = [*strict,
                 *(reference for reference in [*index.references_to(path, loose=True), *index.unplaced_references_to(path),
                                               *index.references_from_any_folder(path)]
                   if not _runs_its_own_written_file(reference, index))]
    except (OSError, ValueError):
        return [], set()
    unique: dict[tuple[Path, int], project.ScriptReference] = {}
    for reference in found:
        unique.setdefault((reference.orchestrator, reference.line), reference)
    return list(unique.values()), {(reference.orchestrator, reference.line) for reference in strict}


def _runs_its_own_written_file(reference: project.ScriptReference, index: project.ProjectIndex) -> bool:
    """A notebook's call that runs a file of that notebook's own ``%%writefile`` cells, named as
    they write it: a loose match elsewhere is not what it runs (audit 58c)."""
    if not notebooks.is_notebook(reference.orchestrator):
        return False
    return any(named.line == reference.line and notebooks.writes_named_file(reference.orchestrator, folder, script)
               for folder, script, named in index.parsed_references(reference.orchestrator))


def _find(path: Path, settings: object) -> project.ScriptReference | None:
    return _launching(path, settings) or _through_importers(path, settings, _launching)


def other_launcher(path: Path, settings: object, here: Path, own_calls: bool = True, line: int | None = None) -> str | None:
    """What besides the call being migrated in ``here`` may start the script ``path``, named for a
    message, or None.  A launcher that needs its script migrated with it (one that hands its data
    over as v2 does) asks this: the script's own fix holds it v1 while any launcher it finds does
    (:func:`v1_launcher`), so this looks where that one looks, and counts what it finds whether or
    not this run migrates it.  ``own_calls``: a second call of ``here`` counts too (a notebook's
    own calls are its cells' business: they know which written file each one runs); ``line``, the
    call being migrated, is not named as the other."""
    mine = Path(os.path.abspath(here))
    references, certain = _every_reference(path, settings)
    own = [reference for reference in references if Path(os.path.abspath(reference.orchestrator)) == mine]
    other = next((reference for reference in references if reference not in own), None)
    if other is not None:
        return _runs_it(other, mine, (other.orchestrator, other.line) in certain)
    if own_calls and len(own) > 1:
        others = [reference for reference in own if reference.line != line] or own
        return (f"another of this file's calls ({', '.join(str(reference.label or reference.line) for reference in others)}) "
                "runs it too")
    found = (_cli_launcher(path, settings) or _spec_launcher(path, settings) or _unnamed_launcher(path, settings)
             or _through_importers(path, settings, _launching))
    return _runs_it(found, mine) if found is not None and Path(os.path.abspath(found.orchestrator)) != mine else None


def _runs_it(reference: project.ScriptReference, here: Path, certain: bool = True) -> str:
    """``<launcher> runs it too``, the launcher named by its path from ``here``'s folder (it may be in
    another folder of the project); one whose script is named only at run time, or that names a
    script of that name in a folder not known to be this one's (audit n: two notebooks each writing
    its own ``diabetes_training.py``), *may* run it."""
    where = f"{os.path.relpath(os.path.abspath(reference.orchestrator), here.parent)}:{reference.label or reference.line}"
    if reference.via is not None:
        where = f"{where} (it runs {reference.via.name}, which imports it)"
    if not reference.named:
        return f"the v1 job at {where} may run it too (its script is named only at run time)"
    if not certain:
        return (f"{where} may run it too (it runs a file of that name in a folder this fix cannot tell apart "
                "from this one)")
    return f"{where} runs it too"


def _through_importers(path: Path, settings: object, ask: Callable[[Path, object], project.ScriptReference | None],
                       depth: int = 2) -> project.ScriptReference | None:
    """A module's code runs in the jobs of the scripts that import it: ``ask`` of each of them (and
    of the files importing those, ``depth`` levels up); the answer names the script it is about."""
    if depth == 0:
        return None
    try:
        importing = importers.importing_files(path, project.root_for(path, settings))  # type: ignore[arg-type]
    except (OSError, ValueError):
        return None
    for importer in sorted(importing):
        if importer.suffix != ".py":
            continue  # a notebook's cells run in a kernel, not in a job
        found = ask(importer, settings)
        if found is not None:
            return found if found.via is not None else replace(found, via=importer)
        found = _through_importers(importer, settings, ask, depth - 1)
        if found is not None:
            return found
    return None


def _launching(path: Path, settings: object) -> project.ScriptReference | None:
    for reference in _references(path, settings):
        text = launcher_text(reference, same_line=False)  # any call of that program may still run it
        line = _runs_with_v1(text, reference, path, settings) if text is not None else None
        if line is not None:  # named by the call that still runs it (not one of the file's migrated ones)
            return reference if reference.label is not None else replace(reference, line=_line_as_read(reference, text, line))
    return _cli_launcher(path, settings) or _spec_launcher(path, settings) or _unnamed_launcher(path, settings)


def _line_as_read(reference: project.ScriptReference, text: str, line: int) -> int:
    """``line`` of the launcher's fixed ``text`` as a line of the file the user reads: the
    same while the fixed text is on disk (or nothing changed); when this run holds it unwritten
    (``fix --diff``), the line of the file as it is, found as the same copy of that line (the
    call that still runs the script with v1 is not rewritten)."""
    if files.unwritten(reference.orchestrator) is None:
        return line
    try:
        found = SourceText(decode(files.read_regular(reference.orchestrator, limit=project.MAX_FILE_BYTES))).lines
    except (OSError, files.TooLarge, ValueError):
        return reference.line
    fixed = SourceText(text).lines
    wanted = fixed[line - 1].rstrip("\r\n")
    copy = sum(1 for earlier in fixed[:line - 1] if earlier.rstrip("\r\n") == wanted)
    alike = [number for number, seen in enumerate(found, 1) if seen.rstrip("\r\n") == wanted]
    return alike[copy] if copy < len(alike) else reference.line


def _copying(path: Path, index: project.ProjectIndex) -> list[project.ScriptReference]:
    """Launchers that copy ``path`` (``shutil.copy("../code/train.py", folder)``, a path from their
    own folder) into the folder they run a script of its name from, wherever that folder is."""
    found = []
    for reference in index.references_naming(path):
        text = launcher_text(reference, same_line=False)
        if text is not None and _copies(text, reference.orchestrator.parent, path):
            found.append(reference)
    return found


_COPIES = frozenset({"copy", "copy2", "copyfile", "copytree", "copy_tree"})


def _copies(text: str, here: Path, path: Path) -> bool:
    """Does ``text`` (a file in ``here``) copy ``path``, or the folder it is in, with a literal source?"""
    for name, source in _copy_calls(text):
        copied = Path(os.path.normpath(here / source))
        if copied == path or (name in ("copytree", "copy_tree") and copied == path.parent):
            return True
    return False


def _copy_calls(text: str) -> tuple[tuple[str, str], ...]:
    """(function, literal source) of each copying call in ``text``: read once per text, as every
    script a launcher may run asks of the same launcher."""
    found = _COPY_CALLS.get(text)
    if found is None:
        try:
            tree = parse(text)
        except SourceError:
            tree = None
        calls = []
        for node in ast.walk(tree) if tree is not None else ():
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            source = node.args[0]
            if name in _COPIES and isinstance(source, ast.Constant) and isinstance(source.value, str):
                calls.append((name, source.value))
        found = _COPY_CALLS[text] = tuple(calls)
    return found


_COPY_CALLS: dict[str, tuple[tuple[str, str], ...]] = {}
project.PROJECT_CACHES.append(_COPY_CALLS)


# The v1 CLI's ``az ml run submit-script [options] <script>`` in a workflow, pipeline or shell file:
# a launcher this tool never migrates.
CLI_SUFFIXES = (".yml", ".yaml", ".sh", ".bash", ".ps1", ".cmd", ".bat", ".mk", "Makefile")
_CLI_CALL = re.compile(rb"az\s+ml\s+run\s+submit-script\b(?:\\\r?\n|`\r?\n|[^\n#])*")  # to a comment


def _cli_launcher(path: Path, settings: object) -> project.ScriptReference | None:
    """A v1 CLI command in the project that runs a script named like ``path``."""
    key = (project.root_for(path, settings), getattr(settings, "exclude", ()))  # type: ignore[arg-type]
    if key not in _CLI_FILES:  # every script the project's v1 CLI commands run, read once
        found: dict[str, project.ScriptReference] = {}
        for candidate, data in project.texts_mentioning(path, settings, CLI_SUFFIXES, b"submit-script"):  # type: ignore[arg-type]
            for call in _CLI_CALL.finditer(data):
                line = data.count(b"\n", 0, call.start()) + 1
                for script in _SCRIPT.findall(call.group(0)):
                    name = os.path.basename(script.decode("utf-8", "replace").replace("\\", "/"))
                    found.setdefault(name, project.ScriptReference(candidate, line, "submit-script"))
        _CLI_FILES[key] = found
    return _CLI_FILES[key].get(path.name)


_SCRIPT = re.compile(rb"[\w./\\-]+\.py\b")


_CLI_FILES: dict[tuple[Path, tuple[str, ...]], dict[str, project.ScriptReference]] = {}
project.PROJECT_CACHES.append(_CLI_FILES)


# A YAML file that runs a script in an environment it pins to SDK v1: a designer module's spec
# (``command: [python, -m, pkg.score]``), a run configuration (``script: train.py``, its packages
# in it or in the conda file it names).  This tool never migrates one, and with no mlflow listed
# there the script's ``import mlflow`` would fail.
SPEC_SUFFIXES = (".yml", ".yaml", ".runconfig")
_V1_PACKAGE = re.compile(rb"\bazureml-(?:core|defaults|sdk)\b")
_MODULE_RUN = re.compile(rb"""(?<![\w-])-m(?![\w-])['"]?[ \t]*(?:,|\r?\n[ \t]*-)?[ \t]*['"]?([A-Za-z_][\w.]*)""")


def _spec_launcher(path: Path, settings: object) -> project.ScriptReference | None:
    """A YAML file of the project that runs ``path`` (by its file name, or ``-m`` and its dotted
    module) in an environment listing the v1 SDK and no mlflow."""
    key = (project.root_for(path, settings), getattr(settings, "exclude", ()))  # type: ignore[arg-type]
    if key not in _SPEC_FILES:  # every script the project's v1 specs run, read once
        found: list[tuple[tuple[str, ...], project.ScriptReference]] = []
        root = project.root_for(path, settings)  # type: ignore[arg-type]
        for candidate, data in project.texts_mentioning(path, settings, SPEC_SUFFIXES, b""):  # type: ignore[arg-type]
            if not _without_mlflow(candidate, data, root):
                continue
            folder, named = _spec_folder(candidate, data)
            for pattern, parts_of, base in ((_SCRIPT, _file_parts, folder),
                                            (_MODULE_RUN, _module_parts, folder if named else None)):
                for match in pattern.finditer(data):
                    line = data.count(b"\n", 0, match.start()) + 1
                    found.append((parts_of(match), base, project.ScriptReference(candidate, line, "command")))
        _SPEC_FILES[key] = found
    return next((reference for parts, base, reference in _SPEC_FILES[key]
                 if parts and path.parts[-len(parts):] == parts and reference.orchestrator != path
                 and (base is None or _under(path, base))), None)


# Where a spec's scripts are: its ``sourceDirectory``/``source_directory``/``code`` when it names one,
# else, for a script it names by file, its own folder (the project's folder for a run configuration
# kept in ``.azureml``/``aml_config``).  A module it runs with ``-m`` and no folder named may be any
# package of the project (a designer module's spec in ``module_specs/`` runs ``csmodel.score``: audit 34).
_SOURCE_KEY = re.compile(rb"""^[ \t-]*["']?(?:sourceDirectory|source_directory|code)["']?[ \t]*:[ \t]*["']?([^"'\s#,}]*)""",
                         re.MULTILINE)
_CONFIG_FOLDERS = (".azureml", "aml_config")


def _spec_folder(spec: Path, data: bytes) -> tuple[Path | None, bool]:
    """The folder a spec's scripts are found under, or None when it cannot be known here (a folder
    written with a variable or as an absolute path, or several): then a script of that name anywhere
    may be its (audit r: a run configuration of another sample named its own ``train.py``); and
    whether the spec names that folder."""
    named = {found.group(1) for found in _SOURCE_KEY.finditer(data)}
    if not named:
        return (spec.parent.parent if spec.parent.name in _CONFIG_FOLDERS else spec.parent), False
    folder = named.pop().decode("utf-8", "replace").replace("\\", "/")
    if named or not folder or any(mark in folder for mark in ("$", "{", "%", "~")) or os.path.isabs(folder):
        return None, True
    return Path(os.path.normpath(spec.parent / folder)), True


def _under(path: Path, folder: Path) -> bool:
    """Is ``path`` in ``folder`` or one of its folders?"""
    parts = Path(os.path.normpath(path)).parent.parts
    return parts[:len(folder.parts)] == folder.parts


# A v1 run configuration names the conda file of its environment (``condaDependenciesFile: env.yml``).
_CONDA_FILE = re.compile(rb"""\bcondaDependenciesFile["']?[ \t]*:[ \t]*["']?([^"'\s#,}]+)""")


def _without_mlflow(spec: Path, data: bytes, root: Path) -> bool:
    """Does the spec run its scripts in a v1 environment without mlflow: one that lists the v1 SDK
    and not mlflow, or a run configuration's conda file without mlflow (one not found here, or the
    base image's own Python, counts: the script's ``import mlflow`` may fail there)."""
    if b"mlflow" in data:
        return False
    if _V1_PACKAGE.search(data) is not None:
        return True
    named = _CONDA_FILE.findall(data)
    for name in named:
        for copy in found_copies(name.decode("utf-8", "replace"), spec, root):
            try:
                if b"mlflow" in files.read_regular(copy, limit=project.MAX_FILE_BYTES):
                    return False
            except (OSError, files.TooLarge):
                continue
    return bool(named)


def _file_parts(match: re.Match[bytes]) -> tuple[str, ...]:
    """A script the spec names by file: matched by its name, in whatever folder it is."""
    return (os.path.basename(match.group(0).decode("utf-8", "replace").replace("\\", "/")),)


def _module_parts(match: re.Match[bytes]) -> tuple[str, ...]:
    """A module run with ``-m``: ``pkg.score`` is ``pkg/score.py``."""
    *packages, module = match.group(1).decode("utf-8", "replace").split(".")
    return (*packages, f"{module}.py") if module else ()


_SPEC_FILES: dict[tuple[Path, tuple[str, ...]], list[tuple[tuple[str, ...], Path | None, project.ScriptReference]]] = {}
project.PROJECT_CACHES.append(_SPEC_FILES)


# The v1 classes that start a job running a script (a scoring script's InferenceConfig does not).
JOB_LAUNCHERS = tuple(name for name in SCRIPT_PARAMETERS if not name.startswith(("azureml.core.model.",
                                                                                  "azureml.core.image.")))
# The v1 images built around a script: nothing in Azure ML deploys them, so nothing sets AZUREML_MODEL_DIR.
IMAGE_LAUNCHERS = tuple(name for name in SCRIPT_PARAMETERS if name.startswith("azureml.core.image."))


def _unnamed_launcher(path: Path, settings: object) -> project.ScriptReference | None:
    """A v1 job of the project whose script is named only when it runs (``script_name=
    os.environ[...]``) and whose folder holds ``path``: it may run this script (MLOpsPython-style
    pipelines name every step's script that way), and it stays v1.  One whose folder is not
    known here either may run any script of the project."""
    if path.suffix != ".py":
        return None  # a notebook's cells run in a kernel, not in a job
    return unnamed_holding(path, settings, JOB_LAUNCHERS)


def scan_unnamed(path: Path, settings: object, launchers: tuple[str, ...] = JOB_LAUNCHERS) -> tuple[object, ...]:
    """Find, once per project and process, the calls of ``launchers`` in ``path``'s project whose
    script is not a known value (before worker processes fork, they inherit it); returns the cache key."""
    key = (project.root_for(path, settings), getattr(settings, "exclude", ()), launchers)  # type: ignore[arg-type]
    if key not in _UNNAMED:
        found: list[tuple[project.ScriptReference, tuple[Path, ...] | None, str | None]] = []
        names = tuple(name.rsplit(".", 1)[1].encode() for name in launchers)
        computed = _computed_script({SCRIPT_PARAMETERS[name][0] for name in launchers})
        for candidate, data in project.texts_mentioning(path, settings, (".py", ".ipynb"), b"azureml"):  # type: ignore[arg-type]
            if any(name in data for name in names) and computed.search(data):
                for number, text, label in _programs(candidate, data):
                    found += [(replace(reference, program=number, label=label(reference.line) if label else None), folder,
                               name) for reference, folder, name in _unnamed_in(text, candidate, settings, launchers)]
        _UNNAMED[key] = found
    return key


def unnamed_holding(path: Path, settings: object, launchers: tuple[str, ...]) -> project.ScriptReference | None:
    """A call of ``launchers`` elsewhere in the project that names its script only when it runs,
    in a folder that holds ``path`` (or one not known here): it may run ``path``."""
    for reference, folders, name in _UNNAMED[scan_unnamed(path, settings, launchers)]:
        if reference.orchestrator != path and (name is None or name == path.name) and (folders is None or any(
                folder == path.parent or folder in path.parents for folder in folders)):
            return reference
    return None


def _unnamed_in(text: str, where: Path, settings: object, launchers: tuple[str, ...]
                ) -> list[tuple[project.ScriptReference, tuple[Path, ...] | None, str | None]]:
    """The calls of ``launchers`` in ``text`` whose script is not a value known here, with the folders
    they may run it in when that is known (a folder named relative to the launcher's folder or to a
    folder above it in the project, where it may be run from)."""
    try:
        analysis = analyse(text, rules=[], surface=SURFACE, path=where, settings=settings, remember=False)  # type: ignore[arg-type]
    except (SourceError, ValueError, SyntaxError, RecursionError, MemoryError):
        return []
    if analysis.model is None:
        return []
    octx = FixContext(analysis)
    bases = project.launch_folders(where.parent, project.root_for(where, settings))  # type: ignore[arg-type]
    found = []
    for site in octx.model.calls:
        qualname = octx.callee(site.node)
        if qualname not in launchers:
            continue
        script_name, script_at, folder_name, folder_at = SCRIPT_PARAMETERS[qualname]
        script, _ = site.argument(-1 if script_at is None else script_at, script_name)
        if script is None or known_str(octx, script) is not None or (
                isinstance(script, ast.Attribute) and script.attr in _SCRIPT_ATTRIBUTES):
            continue  # no script, one the index names, or another launcher's (``script_name=config.script``)
        folder_node, _ = site.argument(-1 if folder_at is None else folder_at, folder_name)
        # a folder it names may be read from any folder it is run from; with none (or "."), its own
        # folder holds the script (the folder it is run from could be any: the likeliest is as far as
        # this goes, as a launcher beside its scripts is read everywhere)
        named = known_str(octx, folder_node) if folder_node is not None else None
        folders = (None if folder_node is not None and named is None  # (any)
                   else (where.parent,) if named is None or os.path.normpath(named) == "."
                   else tuple(Path(os.path.normpath(base / named)) for base in bases))
        found.append((project.ScriptReference(where, site.node.lineno, script_name, launcher=qualname, named=False),
                      folders, _file_name(script, octx)))
    return found


def _file_name(script: ast.expr, ctx: FixContext) -> str | None:
    """The file name a script computed at run time still spells out whole, as its last part:
    ``os.path.join(os.getcwd(), "train_tf.py")``, ``Path(root) / "train.py"``, ``root + "/train.py"``,
    ``f"{root}/train.py"`` (audit s: a launcher that builds only its folder runs no other script)."""
    last: ast.expr | None = None
    whole = True  # the last part is a path part of its own, not the end of a computed name
    if isinstance(script, ast.Call) and script.args and not script.keywords and ctx.callee(script) in _JOINS:
        last = script.args[-1]
    elif isinstance(script, ast.BinOp) and isinstance(script.op, ast.Div):
        last = script.right
    elif isinstance(script, ast.BinOp) and isinstance(script.op, ast.Add):
        last, whole = script.right, False
    elif isinstance(script, ast.JoinedStr) and script.values:
        last, whole = script.values[-1], False
    text = known_str(ctx, last) if last is not None else None
    if text is None or (not whole and not re.search(r"[/\\]", text)):
        return None
    name = re.split(r"[/\\]", text)[-1]
    return name if name and not re.search(r"[{}$*?]", name) else None


# The functions whose last argument is a path's last part.
_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join", *(f"pathlib.{name}" for name in (
    "Path", "PurePath", "PosixPath", "PurePosixPath", "WindowsPath", "PureWindowsPath"))})


def _computed_script(parameters: set[str]) -> re.Pattern[bytes]:
    """A script argument that is not a string literal (a notebook's JSON escapes the quote: ``\\"``);
    a file without one names all its scripts, so it need not be analysed."""
    names = "|".join(sorted(map(re.escape, parameters)))
    return re.compile(rb"\b(?:" + names.encode() + rb""")\s*=\s*(?=[^\s'"])""")


_SCRIPT_ATTRIBUTES = frozenset(parameters[0] for parameters in SCRIPT_PARAMETERS.values())


# (the call, the folders it may run its script in (None: any), the file name it spells (None: any))
_UNNAMED: dict[tuple[object, ...], list[tuple[project.ScriptReference, tuple[Path, ...] | None, str | None]]] = {}
project.PROJECT_CACHES.append(_UNNAMED)


def _nearest(path: Path, references: list[project.ScriptReference]) -> list[project.ScriptReference]:
    """The references whose files share the most folders with ``path``: a launcher beside the
    script (which copies it to where it runs) rather than one of a far folder with a script
    of the same name."""
    def shared(reference: project.ScriptReference) -> int:
        return len(os.path.commonpath([path.parent, reference.orchestrator.parent]))
    best = max(map(shared, references), default=0)
    return [reference for reference in references if shared(reference) == best]


_SEEN: dict[tuple[Path, str, str], int | None] = {}
project.PROJECT_CACHES.append(_SEEN)


def _runs_with_v1(text: str, reference: project.ScriptReference, path: Path, settings: object) -> int | None:
    """The line of ``text`` where it still calls a v1 class that runs a script named like ``path`` (from
    a folder that may be ``path``'s), or None."""
    key = (reference.orchestrator, str(path), text)
    if key not in _SEEN:
        _SEEN[key] = _calls_v1_with(text, reference, path, settings)
    return _SEEN[key]


def _elsewhere_by_folder(site_node: ast.Call, callee: str, octx: FixContext, orchestrator: Path, path: Path,
                         settings: object) -> bool:
    """Does the call run another file of the script's name, one in a literal folder where ``path`` is not
    (audit 2f: a notebook's v1 call of ``diabetes-training-from-datastore/diabetes_training.py`` held
    another folder's script)?  Only where that file exists and the launcher copies nothing."""
    _, _, folder_keyword, folder_position = SCRIPT_PARAMETERS[callee]
    node = next((k.value for k in site_node.keywords if k.arg == folder_keyword), None)
    if node is None and folder_position is not None and folder_position < len(site_node.args):
        node = site_node.args[folder_position]
    folder = known_str(octx, node) if node is not None else None
    if folder is None:
        return False
    try:
        bases = project.launch_folders(orchestrator.parent, project.root_for(orchestrator, settings))  # type: ignore[arg-type]
    except (OSError, ValueError):
        return False
    wanted = Path(os.path.normpath(os.path.abspath(path)))
    named = [Path(os.path.normpath(os.path.abspath(base / folder / path.name))) for base in bases]
    # only a file that is there, and no copying on the way (the launcher may copy this one over it)
    return wanted not in named and any(candidate.is_file() for candidate in named) and not _copies_anything(octx)


def _copies_anything(octx: FixContext) -> bool:
    """Does the launcher call a copying function (``shutil.copy``, ``copytree``...), whatever it copies?"""
    return any((node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)) in _COPIES
               for node in ast.walk(octx.model.tree) if isinstance(node, ast.Call))


def _calls_v1_with(text: str, reference: project.ScriptReference, path: Path, settings: object) -> int | None:
    script = path.name
    try:
        analysis = analyse(text, rules=[], surface=SURFACE, path=reference.orchestrator, settings=settings,  # type: ignore[arg-type]
                           remember=False)
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        return None
    if analysis.model is None:
        return None
    octx = FixContext(analysis)
    for site in octx.model.calls:
        if octx.callee(site.node) not in SCRIPT_PARAMETERS:
            continue
        values = [*site.node.args, *(k.value for k in site.node.keywords)]
        names = [known_str(octx, value) for value in values] + [
            node.value for node in ast.walk(site.node) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
        if any(name is not None and os.path.basename(name.replace("\\", "/")) == script for name in names) and \
                not _elsewhere_by_folder(site.node, octx.callee(site.node), octx, reference.orchestrator, path, settings):
            return site.node.lineno
    return None

