"""Where a job script's run metrics are read back (``run.get_metrics()``).

v1 returned every value a script logged through the run among its metrics: strings,
rows, tables and images too.  MLflow keeps those as tags and artifacts, which its
metrics do not hold, so while something reads the metrics back such a value stays
logged through v1 (the reader would lose it, or raise KeyError for it).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

from ...engine import files, importers, project
from ...engine.findings import line_ref
from ...engine.fixing.rewrite import FixContext
from ...engine.source import tree_if_mentioned
from .._metric_tables import gets_metrics, reads_by_id, spelled_names
from .._v1_readers import in_code
from ._shared import seen_from
from .input_datasets import about_this_script

_READS_METRICS = "get_metrics("
# (where a comment or a notebook's prose names the call, nothing reads: audit v)
_READ_IN_CODE = re.compile(re.escape(_READS_METRICS.encode()))
_NEWLINE = "\n"


def metrics_reader(ctx: FixContext, name: str | None = None, by_key_only: bool = False,
                   known: bool = True, experiment: str | None = None) -> str | None:
    """Where this script's run metrics are read back: in the script itself, in a file of the
    project that names it (its launcher, as v1 or as an earlier run migrated it), or in a file near
    it that reads a run it looks up by id: one that reads the key ``name``, or reads any key
    (``metrics.items()``, a key in a variable), or, for a value logged under a name not ``known``
    here (``for key, value in vars(args).items()``), one that reads any run metrics at all.  (Any
    looked-up run may be an interactive one: a chain of parents may end at it, and it may have
    children: review 64.)  ``experiment``: the literal name of the experiment the value is logged
    to, where known; a reader of another experiment's runs, named by a literal, does not count."""
    read = ctx.text.find(_READS_METRICS)
    if read >= 0 and not by_key_only:
        return line_ref(ctx.text.count(_NEWLINE, 0, read) + 1)
    found = None if by_key_only else _in_the_writer(ctx) or _about_it(ctx, "metrics_reader", _reading_metrics)
    if found is None and (name is not None or not known):
        key = name if known else None
        spelled: frozenset[str] | None = frozenset() if known else spelled_names(ctx.text)
        found = _about_it(ctx, f"metrics_reader:{key!r}:{known}:{experiment!r}",
                          lambda path, settings: _reading_key(path, settings, key, spelled, experiment))
    return found


def _about_it(ctx: FixContext, question: str, answer: Callable[[Path, object], str | None]) -> str | None:
    """``answer`` about the script, or, for a ``%%writefile`` script not on disk yet (it has no
    path of its own), about the notebook that writes and runs it, whose readers are near it too
    (review 62: the written cell's string moved while a reader beside the notebook read it)."""
    found = about_this_script(ctx, question, answer)
    context = ctx.analysis.context
    settings = getattr(context, "settings", None)
    for place in (getattr(settings, "written_at", None), getattr(settings, "named_in", None)):
        if found is not None or getattr(context, "path", None) is not None or place is None:
            continue  # (where it is written to, then the notebook: review 64, a target in another folder)
        key = f"{question}:written:{place}"
        if key not in ctx.cache:
            ctx.cache[key] = answer(Path(place), settings)
        found = ctx.cache[key]  # type: ignore[assignment]
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
    return min((node.lineno for node in ast.walk(tree) if gets_metrics(node)), default=None)


def _reading_metrics(path: Path, settings: object) -> str | None:
    """A file that reads run metrics and names this script, or a script that imports it (its
    code runs in that script's job, and logs to its run: review 62)."""
    root = project.root_for(path, settings)  # type: ignore[arg-type]
    seen, level = {path}, {path}
    for _ in range(3):  # (a module of a module of the job's script, as the reader side follows them down)
        level = {importer for module in level for importer in _importing(module, root)
                 if importer.suffix == ".py"} - seen
        seen |= level
    return _first_reader(path, settings, tuple(sorted(module.name.encode() for module in seen)),
                         runs_others=lambda candidate, data: _runs_only_others(candidate, data, seen, settings))


def _runs_only_others(candidate: Path, data: bytes, modules: set[Path], settings: object) -> bool:
    """Does ``candidate`` name these modules only as scripts its jobs run from other folders?  (Audit
    u: a notebook reading the metrics of its own ``train.py``'s sweep is no reader of another
    project's ``train.py``.)  A name it spells that no call of its places, it may mean anyway."""
    from ...v1api import SURFACE

    index = project.index_for(candidate, settings, SURFACE)  # type: ignore[arg-type]
    calls = index.parsed_references(candidate)
    for module in modules:
        if module.name.encode() not in data:
            continue
        placed = [script for _, script, _ in calls if Path(script).name == module.name]
        if not placed or index.may_be_run_by(module, candidate):
            return False
    return True


def _importing(module: Path, root: Path) -> frozenset[Path]:
    try:
        return importers.importing_files(module, root)
    except (OSError, ValueError):
        return frozenset()


def _reading_key(path: Path, settings: object, name: str | None, spelled: frozenset[str] | None,
                 experiment: str | None = None) -> str | None:
    """A file near the script (its folder, one above or below it, or a sibling folder: ``notebooks/``
    beside ``src/``) that reads the metrics of a run it looks up by id (audit 58w: a notebook read
    back a run of a script it never names; a reader in another sample of the project reads other
    scripts' runs) and may read the key ``name``: by that literal key, or by any key (review 58b:
    ``.items()``).  For a name not known here (None), one that reads a key the script ``spelled``."""
    return _first_reader(path, settings, (), near=True,
                         also=lambda candidate, data: _may_read(candidate, data, settings, name, spelled, experiment))


def _may_read(reader: Path, data: bytes, settings: object, name: str | None, spelled: frozenset[str] | None,
             experiment: str | None = None) -> bool:
    """Does ``reader`` read, from a run it looks up by id, the key ``name`` (one of ``spelled``
    when None), or any key, of a run that may be of ``experiment`` (None: any)?  Asked of the
    reader side's own analysis; a reader that cannot be analysed may read any key it spells quoted."""
    wanted = {name} if name is not None else spelled
    try:  # the reader as this run found it, as the project index reads launchers: a reader this run
        data = files.read_as_found(reader, limit=project.MAX_FILE_BYTES)  # migrated names no v1 launcher
    except (OSError, files.TooLarge):
        pass
    for text in project.program_texts(reader, data):
        reads = reads_by_id(reader, text, settings)
        if reads is None:
            if wanted is None or any(f"{quote}{key}{quote}" in text for key in wanted for quote in ("'", '"')):
                return True
        elif any((keys is None or wanted is None or keys & wanted) and _same_experiment(read_from, experiment)
                 for keys, read_from in reads):
            return True
    return False


def _same_experiment(read_from: str | None, logged_to: str | None) -> bool:
    """May a read of ``read_from``'s runs see a run of ``logged_to``?  (Either unknown: it may.
    Letter case aside, as a service that matched names so would.)"""
    return read_from is None or logged_to is None or read_from.casefold() == logged_to.casefold()


def _first_reader(path: Path, settings: object, needles: tuple[bytes, ...], near: bool = False,
                  also: Callable[[Path, bytes], bool] = lambda candidate, data: False,
                  runs_others: Callable[[Path, bytes], bool] = lambda candidate, data: False) -> str | None:
    """The first file of the project (not ``path``) that reads run metrics and holds one of ``needles``
    (unless ``runs_others`` says those name other files) or of which ``also`` holds (``near``: one on
    the same branch of the project, see :func:`.engine.project.same_branch`)."""
    key = (project.root_for(path, settings), getattr(settings, "exclude", ()))  # type: ignore[arg-type]
    if key not in _READERS:  # the project's files that read run metrics in their code, read once
        _READERS[key] = [(candidate, data, where) for candidate, data in project.texts_mentioning(
                             path, settings, (".py", ".ipynb"), _READS_METRICS.encode())  # type: ignore[arg-type]
                         for found, where in [in_code(_READ_IN_CODE, candidate, data)] if found is not None]
    for candidate, data, where in _READERS[key]:
        if candidate != path and (not near or project.same_branch(candidate, path)) and (
                any(needle in data for needle in needles) and not runs_others(candidate, data)
                or also(candidate, data)):
            return f"{seen_from(candidate, path)}{where}"
    return None


_READERS: dict[tuple[Path, tuple[str, ...]], list[tuple[Path, bytes, str]]] = {}
project.PROJECT_CACHES.append(_READERS)
