"""Where v1 code reads back an asset a registration (or a service a deployment) would now create with v2.

v1 cannot use v2 assets (mapping.md 7): a v1 dataset lookup does not find a v2 data
asset, and v1's ``Model.get_model_path`` downloads only models registered the v1
way (an ``aml://asset/`` URL).  The reference says it of every v2 asset, so v1's
``Environment.get`` is not known to read an environment registered with v2 either.
So a registration moves to v2 only when no v1 reader
of the name stays: in the program itself, in the files of its folder (the
scripts and notebooks that usually run next to it, such as a ParallelRunStep's
entry script), or, naming it, anywhere else in the project (a later CI stage's
deploy).  A reader of its folder whose name is not a literal (a variable,
``args.dataset_name``) or that lists them all (``Model.list(ws)``) may read any name.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..engine import files, project, source
from ..engine.findings import line_ref
from ..engine.fixing.arguments import bind_arguments, known_str
from ..engine.fixing.rewrite import FixContext, snippet
from ..engine.nodes import all_nodes

DATASET, MODEL, SERVICE, ENVIRONMENT = "dataset", "model", "service", "environment"
_SERVICE = ["workspace", "name"]
_LOOKUPS = {
    DATASET: ({"azureml.core.Dataset.get_by_name": ["workspace", "name", "version"]}, "datasets"),
    MODEL: ({"azureml.core.Model": ["workspace", "name", "id", "tags", "properties", "version"],
             "azureml.core.Model.get_model_path": ["model_name", "version", "_workspace"]}, "models"),
    SERVICE: ({"azureml.core.Webservice": _SERVICE, "azureml.core.webservice.AciWebservice": _SERVICE,
               "azureml.core.webservice.AksWebservice": _SERVICE}, "webservices"),
    ENVIRONMENT: ({"azureml.core.Environment.get": ["workspace", "name", "version", "label"]}, "environments"),
}
# The workspace's listings of an asset kind: each may read any name (``[m for m in Model.list(ws) if ...]``).
_LISTINGS = {
    MODEL: ("azureml.core.Model.list",),
    SERVICE: ("azureml.core.Webservice.list", "azureml.core.webservice.AciWebservice.list",
              "azureml.core.webservice.AksWebservice.list", "azureml.core.webservice.LocalWebservice.list"),
}
# In another file's text: a call naming the asset by a literal, or get_model_path with a computed name
# (``Model(...)`` with ``path=`` is v2's entity, which this fix writes, not a lookup: audit 57).
_QUOTE = r"""\\?["']"""
# Other files are read as this run leaves them (they are fixed first: runner.fixing_order),
# so only v1's forms count there; ``ml_client.models.get(`` is v2's.
_NOT_V2 = r"(?<!client)(?<!client_\d)"
_NAMING = {
    DATASET: r"(?:get_by_name\([^)]*|datasets(?:\[|\.get\()){q}{name}{q}",
    MODEL: r"(?:(?<!\w)Model\((?![^)]*\bpath\s*=)[^)]*|models\[|" + _NOT_V2 + r"\.models\.get\(|get_model_path\(\s*(?:model_name\s*=\s*)?)"
           r"{q}{name}{q}",
    ENVIRONMENT: r"(?:Environment\.get\([^)]*|environments\[|" + _NOT_V2 + r"\.environments\.get\(){q}{name}{q}",
    SERVICE: r"(?:Webservice\([^)]*|webservices(?:\[|\.get\()){q}{name}{q}",
}
_TEXT = {
    **_NAMING,
    MODEL: _NAMING[MODEL] + r"|get_model_path\(\s*(?!(?:model_name\s*=\s*)?\\?[\"'])(?=[\w(\[])",  # (a computed name)
}
# A listing of the workspace's services (``Webservice.list(ws)``, then a filter by name or a delete of
# each): it reads any name (audit 57).
_SERVICE_LISTING = r"(?<!\w)(?:Aci|Aks|Local)?Webservice\.list\("
# A lookup whose name is computed (``get_by_name(ws, args.dataset_name)``): it may read any name.
_NOT_QUOTED = r"(?!\\?[\"'])[A-Za-z_][\w.]*(?![\w.])(?!\s*=)\)?"  # (a keyword's name is no value)
# (and ``name=`` given by keyword anywhere in the call: ``Webservice(name=name, workspace=ws)``; a
# ``Model(...)`` only with ``workspace=`` too, v2's entity ``Model(name=, path=)`` being no lookup)
_NAMED = r"[^)]*\bname\s*=\s*" + _NOT_QUOTED
_COMPUTED = {
    DATASET: r"get_by_name\(\s*(?:workspace\s*=\s*)?[\w.]+\s*,\s*(?:name\s*=\s*)?" + _NOT_QUOTED
             + r"|get_by_name\(" + _NAMED + r"|datasets(?:\[|\.get\()\s*" + _NOT_QUOTED,
    MODEL: r"(?<!\w)Model\(\s*(?:workspace\s*=\s*)?[\w.]+\s*,\s*(?:name\s*=\s*)?" + _NOT_QUOTED
           + r"|(?<!\w)Model\((?=[^)]*\bworkspace\s*=)" + _NAMED + r"|models\[\s*" + _NOT_QUOTED
           + r"|(?<!\w)Model\.list\(",
    ENVIRONMENT: r"Environment\.get\(\s*(?:workspace\s*=\s*)?[\w.]+\s*,\s*(?:name\s*=\s*)?" + _NOT_QUOTED
                 + r"|Environment\.get\(" + _NAMED + r"|environments\[\s*" + _NOT_QUOTED,
    SERVICE: r"Webservice\(\s*(?:workspace\s*=\s*)?[\w.]+\s*,\s*(?:name\s*=\s*)?" + _NOT_QUOTED
             + r"|Webservice\(" + _NAMED + r"|webservices(?:\[|\.get\()\s*" + _NOT_QUOTED + "|" + _SERVICE_LISTING,
}
_MIGRATED_COMPUTED = {
    DATASET: r"|data\.get\(\s*(?:name\s*=\s*)?" + _NOT_QUOTED + r"|azureml:\{",
    MODEL: r"|models\.get\(\s*(?:name\s*=\s*)?" + _NOT_QUOTED,
    ENVIRONMENT: r"|environments\.get\(\s*(?:name\s*=\s*)?" + _NOT_QUOTED,
    SERVICE: r"|online_endpoints\.get\(\s*(?:name\s*=\s*)?" + _NOT_QUOTED,
}
# Any lookup at all, for a name this fix cannot know.
_ANY = {
    DATASET: r"get_by_name\(|\.datasets\b",
    MODEL: r"Model\(\s*(?:workspace\s*=\s*)?[A-Za-z_]\w*\s*[,)]|models\[|" + _NOT_V2 + r"\.models\.get\(|get_model_path\("
           r"|(?<!\w)Model\.list\(",
    ENVIRONMENT: r"Environment\.get\(|environments\[|" + _NOT_V2 + r"\.environments\.get\(",
    SERVICE: r"Webservice\(\s*(?:workspace\s*=\s*)?[A-Za-z_]\w*\s*,|Webservice\([^)]*\bname\s*=|\.webservices\b|"
             + _SERVICE_LISTING,
}
# The scripts a notebook writes are fixed after its cells, so they are read as on disk, and the
# forms this tool migrates their readers to count too (``ml_client.data.get(name``, an
# ``azureml:<name>@latest`` input, ``ml_client.models.get(name``, ``_v1_model_path()``): the
# answer must not change on a second run, after the readers moved.
_MIGRATED_TEXT = {
    DATASET: r"|data\.get\(\s*(?:name\s*=\s*)?{q}{name}{q}|azureml:{name}[@:]",
    MODEL: r"|models\.get\(\s*{q}{name}{q}|_v1_model_path\(",
    ENVIRONMENT: r"|environments\.get\(\s*{q}{name}{q}|azureml:{name}[@:]",
    SERVICE: r"|online_endpoints\.get\(\s*(?:name\s*=\s*)?{q}{name}{q}",
}
_MIGRATED_ANY = {DATASET: r"|data\.get\(|{q}azureml:(?!//)", MODEL: r"|models\.get\(|_v1_model_path\(",
                 ENVIRONMENT: r"|environments\.get\(|{q}azureml:(?!//)", SERVICE: r"|online_endpoints\.get\("}
MAX_FILES = 2000
_REGISTER_CALL = re.compile(rb"\bregister(?:_model)?\(")


def fix_after_readers(data: bytes) -> bool:
    """Does ``data`` call ``register(`` or ``register_model(`` in code, not in a comment (no ``#``
    before it on its line)?  Such a file is fixed after the files that may read an asset back
    (runner.fixing_order), those matching READS_BACK: the reader a registration waits for is
    judged as this run leaves it.  One scan for the calls, not a search from every line's start."""
    for call in _REGISTER_CALL.finditer(data):
        line_start = data.rfind(b"\n", 0, call.start()) + 1
        if b"#" not in data[line_start:call.start()]:
            return True
    return False


READS_BACK = re.compile(rb"get_by_name\(|\.datasets(?:\[|\.get\()|Model\(|\.models(?:\[|\.get\()|get_model_path\("
                        rb"|Environment\.get\(|\.environments(?:\[|\.get\()")


def v1_reader(kind: str, name: ast.expr | None, ctx: FixContext) -> str | None:
    """Where a v1 lookup may read the ``kind`` asset registered (or service deployed) as ``name``,
    or None.  A service is looked for in the program only: its v1 lookups are calls on a workspace.
    A name that is not a literal (or a variable holding one) may be any name: every lookup counts."""
    wanted = known_str(ctx, name)
    here = next(lookups_in_program(kind, wanted, ctx, any_case=True), None)
    if here is not None:
        return located(here, ctx)
    return None if kind == SERVICE else _in_folder(kind, wanted, ctx)


def service_reader_elsewhere(name: ast.expr | None, ctx: FixContext) -> str | None:
    """Where another file of the program's folder looks a service deployed as ``name`` up with v1
    (the program's own look-ups move with its deploy; another file's stay v1, and v1 lists only
    v1 services), or None."""
    return _in_folder(SERVICE, known_str(ctx, name), ctx)


def located(lookup: ast.expr, ctx: FixContext) -> str:
    """A lookup as a reason names it: its line and its text."""
    return f"{line_ref(lookup.lineno)} (`{snippet(ctx.locator, lookup)}`)"


def lookups_in_program(kind: str, name: str | None, ctx: FixContext, any_case: bool = False) -> Iterator[ast.expr]:
    """Every v1 lookup of ``name`` (None: of any name) in the program: the calls first, then
    the reads of the workspace's collection.  ``any_case``: a name spelt in other letter case
    counts too (a reader that may read the asset, should the service match names so)."""
    def same(key: object) -> bool:
        return key == name or (any_case and isinstance(key, str) and key.casefold() == name.casefold())  # type: ignore[union-attr]

    calls, collection = _LOOKUPS[kind]
    for site in ctx.model.calls_to(*_LISTINGS.get(kind, ())):
        yield site.node  # (a listing: it may read any name)
    for qualname, signature in calls.items():
        for site in ctx.model.calls_to(qualname):
            bound = bind_arguments(site.node, signature)
            looked_up = None if isinstance(bound, str) else (bound.values.get("name") or bound.values.get("model_name"))
            if kind == SERVICE and looked_up is None:
                continue  # ``Webservice(ws)`` without a name is no lookup of one
            if name is None or looked_up is None or not isinstance(looked_up, ast.Constant) or same(looked_up.value):
                yield site.node
    on_v1 = {id(read.node) for read in ctx.model.attribute_reads}  # reads off a v1 object (a Workspace)
    for node in all_nodes(ctx.model.tree):  # ``ws.<collection>`` read in any way: an item, .get(), a listing
        if (isinstance(node, ast.Attribute) and node.attr == collection and isinstance(node.ctx, ast.Load)
                and id(node) in on_v1):
            item, lookup = _item(node, ctx)
            if name is None or item is None or not isinstance(item, ast.Constant) or same(item.value):
                yield lookup


def _item(collection: ast.Attribute, ctx: FixContext) -> tuple[ast.expr | None, ast.expr]:
    """The key of ``ws.<collection>[key]`` / ``ws.<collection>.get(key)`` with that look-up;
    (None, the attribute) for any other read, a listing."""
    parent = ctx.parent(collection)
    if isinstance(parent, ast.Subscript) and parent.value is collection:
        return parent.slice, parent
    if isinstance(parent, ast.Attribute) and parent.attr == "get":
        call = ctx.parent(parent)
        if isinstance(call, ast.Call) and call.args:
            return call.args[0], call
    return None, collection


def _in_folder(kind: str, name: str | None, ctx: FixContext) -> str | None:
    context = ctx.analysis.context
    path = getattr(context, "path", None)
    settings = getattr(context, "settings", None)
    if path is None or settings is None or not settings.project_index:
        return None
    here = Path(os.path.abspath(path))
    key = (here, kind, name, files.unwritten_layer())
    if key not in _FOUND:  # once per process and layer: every fixer pass asks again
        neighbours = _neighbours(here, settings)
        if name is None:
            v1, migrated = _ANY[kind].format(q=_QUOTE), _MIGRATED_ANY[kind].format(q=_QUOTE)
            _FOUND[key] = _first_match(_compiled(v1, migrated), neighbours, here)
        else:  # a lookup of this very name first; else one whose name is computed, which may be it
            spelt = f"(?i:{re.escape(name)})"  # in any letter case, as a reader that may read it
            v1 = _TEXT[kind].format(q=_QUOTE, name=spelt)
            migrated = _MIGRATED_TEXT[kind].format(q=_QUOTE, name=spelt)
            naming = re.compile(_NAMING[kind].format(q=_QUOTE, name=re.escape(name)).encode())  # (as spelt)
            _FOUND[key] = (_first_match(_compiled(v1, migrated), neighbours, here)
                           or _first_match(_compiled(_COMPUTED[kind], _MIGRATED_COMPUTED[kind]), neighbours, here)
                           # a lookup of this very name (as spelt) anywhere else in the project: the next
                           # CI stage's deploy in a sibling folder reads it too (audit 57)
                           or _first_match((naming, naming), _elsewhere(here, settings, neighbours), here,
                                           name.encode("utf-8", "surrogateescape")))
    return _FOUND[key]


def _elsewhere(here: Path, settings: object, neighbours: list[Path]) -> list[Path]:
    """The project's files outside the program's folder."""
    root = project.root_for(here, settings)  # type: ignore[arg-type]
    near = set(neighbours)
    return [candidate for candidate in project.project_files(root, getattr(settings, "exclude", ()))[:MAX_FILES]
            if candidate not in near and candidate != here]


def _compiled(v1: str, migrated: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """v1's forms alone (another file, as this run leaves it) and with the migrated ones (the
    scripts the program's own notebook writes)."""
    return re.compile(v1.encode()), re.compile((v1 + migrated).encode())


_FOUND: dict[tuple[Path, str, str | None, tuple[int, int]], str | None] = {}
project.PROJECT_CACHES.append(_FOUND)


def _neighbours(here: Path, settings: object) -> list[Path]:
    """The files under the program's folder; a notebook's own file too (its %%writefile scripts).
    Listed once per program and project files: every reader looked for asks again."""
    root = project.root_for(here, settings)  # type: ignore[arg-type]
    exclude = getattr(settings, "exclude", ())
    key = (here, root, exclude)
    if key not in _NEIGHBOURS:
        folder = here.parent.parts
        depth = len(folder)
        # ``here.parent in candidate.parents``, without making a path of each parent
        _NEIGHBOURS[key] = [candidate for candidate in project.project_files(root, exclude)[:MAX_FILES]
                            if (candidate != here or here.suffix == ".ipynb") and len(candidate.parts) > depth
                            and candidate.parts[:depth] == folder]
    return _NEIGHBOURS[key]


_NEIGHBOURS: dict[tuple[Path, Path, tuple[str, ...]], list[Path]] = {}
project.PROJECT_CACHES.append(_NEIGHBOURS)


def _first_match(patterns: tuple[re.Pattern[bytes], re.Pattern[bytes]], paths: Iterable[Path],
                 here: Path, needle: bytes | None = None) -> str | None:
    """The first reader in ``paths``: v1's forms in another file as this run leaves it, and
    v1's or the migrated forms in the scripts the program's own notebook writes.  ``needle``
    (as spelt): text a match must hold, which a file without it is not searched for."""
    v1, with_migrated = patterns
    for path in paths:
        try:
            data = files.read_regular(path, limit=2_000_000) if path == here else files.read_as_fixed(path, limit=2_000_000)
        except (OSError, files.TooLarge):
            continue
        if needle is not None and needle not in data:
            continue
        if path == here:
            found = _in_written_files(with_migrated, path, data)
            where = ""
        else:  # the raw bytes first (cheap); then the place in code, which a comment or prose is not
            found, where = (None, "") if v1.search(data) is None else in_code(v1, path, data)
        if found is not None:
            try:
                shown = os.path.relpath(path, here.parent)
            except ValueError:  # (another drive)
                shown = str(path)
            return f"{shown}{where} (`{found.group(0).decode('utf-8', 'replace').strip()}`)"
    return None


def in_code(pattern: re.Pattern[bytes], path: Path, data: bytes) -> tuple[re.Match[bytes] | None, str]:
    """The first match in the code of a file's programs (comments, a notebook's markdown and
    outputs left out), and where it is: ``:line``, or ``:cell N:line`` in a notebook.  A file this
    run fixes without writing it (``--diff``, ``check``) is placed as it stays on disk, where its
    own findings are placed (audit r)."""
    found, where = _first_in_code(pattern, path, data)
    if found is not None and files.unwritten(path) is not None:
        try:
            _, on_disk = _first_in_code(pattern, path, files.read_regular(path, limit=2_000_000))
        except (OSError, files.TooLarge):
            on_disk = ""
        where = on_disk or where
    return found, where


def _first_in_code(pattern: re.Pattern[bytes], path: Path, data: bytes) -> tuple[re.Match[bytes] | None, str]:
    for text, label in project.labelled_programs(path, data):
        encoded = source.without_comments(text).encode("utf-8", "surrogateescape")
        found = pattern.search(encoded)
        if found is not None:
            line = encoded.count(b"\n", 0, found.start()) + 1
            return found, f":{label(line) if label is not None else line}"
    return None, ""


def _in_written_files(pattern: re.Pattern[bytes], path: Path, data: bytes) -> re.Match[bytes] | None:
    """A match in the scripts a notebook writes (its programs after the first, which is its
    own code: the program under fix, whose lookups :func:`lookups_in_program` sees as they are now)."""
    for text in project.program_texts(path, data)[1:]:
        found = pattern.search(source.without_comments(text).encode("utf-8", "surrogateescape"))
        if found is not None:
            return found
    return None
