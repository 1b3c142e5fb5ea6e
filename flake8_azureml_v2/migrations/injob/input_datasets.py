"""The migration for AML033 (and AML038 with it): ``run.input_datasets[n]`` in a job script.

For an input the launcher mounts or downloads, v1 also set an environment
variable ``n`` holding the path, which ``input_datasets[n]`` read
(mapping-extension.md 4.4): ``os.environ[n]`` reads the same thing, under v1 and
under the migrated launcher (which exports ``n`` because the script reads it).
A tabular input read directly (``.to_pandas_dataframe()``) becomes
``mltable.load(os.environ[n])``, a documented default; that needs the launcher's
v2 form (in v1 the variable held the dataset id), so it is done once the launcher
in the same project exports ``n``.  An input whose launcher is unknown stays reported.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import os
import re
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ...engine import files, project
from ...engine.analysis import analyse
from ...engine.findings import RefusalKind, render_lines
from ...engine.fixing.arguments import known_str, py_str
from ...engine.fixing.rewrite import FixContext, Rewrite
from ...engine.fixing.symbols import symbol
from ...engine.source import SourceError
from ...engine.suppression import codes_on_line, file_is_exempt
from ...rules._shared import RUN
from ...v1api import SURFACE
from ..commandline import SCRIPT_READS, list_items
from ..data_inputs import consumed, input_kind
from ..data_refs import Refused, Taken
from ._shared import held_by_launcher, is_context_run, replace

LAUNCHERS = ("azureml.core.ScriptRunConfig", "azureml.pipeline.steps.PythonScriptStep")
# A file whose bytes hold this is fixed after the others of a run: its launcher,
# migrated in the same run, is then on disk (see _v2_commands), whatever the order.
FIX_AFTER_LAUNCHERS = b"input_datasets"
_DATA_PARAMETERS = {"arguments", "inputs"}
T = TypeVar("T")
TABULAR_TODO = ("AML038 v1 handed this tabular input over as a dataset; v2 hands over the MLTable folder: "
                "add 'mltable' to the job's environment")


@dataclass(frozen=True)
class Launched:
    mode: str  # ro_mount, download or direct
    kind: str  # uri_file, uri_folder or mltable


def fix(ctx: FixContext) -> Iterator[Rewrite]:
    """``run.input_datasets["n"]`` -> ``os.environ["n"]`` (mounted or downloaded) or
    ``mltable.load(os.environ["n"])`` (tabular, read directly)."""
    reads = [r for r in ctx.model.attribute_reads if r.node.attr == "input_datasets"
             and is_context_run(ctx, r.node.value)]
    if not reads:
        return
    launcher = _launcher(ctx)
    exports = _v2_exports(ctx)
    for read in reads:
        subscript = ctx.parent(read.node)
        unit = Rewrite("AML033", read.node, "run.input_datasets[n] -> the path v1 exported as $n")
        receiver = read.node.value
        if isinstance(receiver, ast.Name):
            unit.consumes.append(receiver)
        else:
            unit.findings.append(("AML011", receiver))
        name = known_str(ctx, subscript.slice) if isinstance(subscript, ast.Subscript) else None  # type: ignore[union-attr]
        if name is None:
            yield unit.refuse(_unread_why(ctx, read.node, subscript))
            continue
        found = launcher.get(name) if launcher is not None else None
        environ = f'{symbol("os")}.environ[{py_str(name)}]'
        as_path = (found is not None and found.mode in ("ro_mount", "download")) or exports.get(name, "mltable") != "mltable"
        dataset_use = _dataset_use(ctx, subscript)  # type: ignore[arg-type]
        if as_path and dataset_use is not None:
            unit.refuse(f"the script uses the input {name!r} as a v1 dataset (.{dataset_use}), and its job hands "
                        "over a path: read the path instead (mapping-extension 4.4, direct mode)")
        elif as_path:
            replace(ctx, unit, subscript, environ)  # type: ignore[arg-type]
        elif name in exports and held_by_launcher(ctx) is not None:
            # v1 handed the dataset's id over, and its environment may not have mltable
            unit.refuse(f"{held_by_launcher(ctx)}, which hands the tabular input over as a dataset, not as the "
                        "MLTable folder the migrated read expects: migrate the launcher first", RefusalKind.DATA_FLOW)
        elif name in exports:
            _tabular(ctx, unit, subscript, environ)  # type: ignore[arg-type]
        elif launcher is None:
            unit.refuse("no launcher of this project that this fix can read runs this script",
                        RefusalKind.DATA_FLOW)
        elif found is None and dataset_use is not None:
            unit.refuse(f"the script uses the input {name!r} as a v1 dataset (.{dataset_use}), which its launcher "
                        "hands over in a way this fix cannot follow")
        elif found is None:
            unit.refuse(f"the launcher hands no input named {name!r} over in a way this fix can follow")
        else:
            unit.refuse(f"the input {name!r} is read directly: how the script uses it decides its v2 form "
                        "(a tabular input is migrated once its launcher exports it)")
        yield unit


def _value_uses(ctx: FixContext, subscript: ast.Subscript) -> list[ast.AST] | None:
    """What holds each use of the input's value: the subscript's parent, or the parents of the
    uses of the one plain name it is assigned to; None when that name is assigned in a block."""
    holder = ctx.parent(subscript)
    if isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name):
        binding = ctx.assigned_binding(subscript)
        return [ctx.parent(use) for use in binding.uses] if binding is not None and not binding.conditional else None
    return [holder]


_STR_ATTRIBUTES = frozenset(dir(str))


def _dataset_use(ctx: FixContext, subscript: ast.Subscript) -> str | None:
    """The first attribute the script reads from the input's value that a path (a ``str``)
    does not have (``to_pandas_dataframe``, ``download``...): v1 handed it a dataset, not a
    path; None when every use could be a path's."""
    for holder in _value_uses(ctx, subscript) or []:
        if isinstance(holder, ast.Attribute) and holder.attr not in _STR_ATTRIBUTES:
            return holder.attr
    return None


def _table_reads(ctx: FixContext, subscript: ast.Subscript) -> list[ast.Attribute] | None:
    """The ``.to_pandas_dataframe`` of each use of the input, when that is all it is used for
    (an MLTable has the same method); None otherwise."""
    calls = _value_uses(ctx, subscript)
    if not calls or not all(isinstance(c, ast.Attribute) and c.attr == "to_pandas_dataframe"
                            and isinstance(ctx.parent(c), ast.Call) and not ctx.parent(c).args for c in calls):  # type: ignore[union-attr]
        return None
    return calls  # type: ignore[return-value]


def _unread_why(ctx: FixContext, node: ast.Attribute, outer: ast.AST | None) -> str:
    """Why a use of ``run.input_datasets`` is no ``[name]`` read this fix can turn into the variable
    the job exports (audit 2e: ``.get("labels")`` was said to be no literal name)."""
    if isinstance(outer, ast.Subscript):
        return "input_datasets is read with a name known only at run time"
    if isinstance(outer, ast.Attribute) and outer.attr in ("get", "keys", "items", "values"):
        return (f"input_datasets.{outer.attr}() asks the v1 mapping itself, which a v2 job does not have: "
                "read each input as input_datasets['name'] first")
    if isinstance(outer, ast.Compare):
        return "input_datasets is tested for a name, which a v2 job does not have a mapping to answer"
    return "input_datasets is used as a whole (iterated, passed on), which a v2 job does not have"


def _tabular(ctx: FixContext, unit: Rewrite, subscript: ast.Subscript, environ: str) -> None:
    """Only ``.to_pandas_dataframe()`` is read from it: an MLTable has the same method."""
    calls = _table_reads(ctx, subscript)
    if calls is None:
        unit.refuse("the tabular input is used for more than to_pandas_dataframe()")
        return
    replace(ctx, unit, subscript, f"{symbol('mltable')}.load({environ})")
    for attribute in calls:
        unit.findings.append(("AML038", ctx.parent(attribute)))  # type: ignore[arg-type]
    comment = f"# TODO(azureml-v2): {TABULAR_TODO}"
    from ...engine.fixing import statements

    unit.edits.extend(statements.insert_before(ctx.locator, ctx.statement_of(subscript), [comment]))
    unit.todos.append(comment)


def unfollowed_read(script: str, handed: dict[str, str], settings: object = None) -> tuple[str, int] | None:
    """Why a script's ``run.input_datasets[n]`` reads would not all become ``os.environ[n]``
    (or ``mltable.load``) once its launcher hands the inputs over the v2 way, with the line
    of the script it is about; None when they would.

    ``handed`` maps each variable the migrated command exports to the type of the input
    behind it.  This is the question :func:`fix` answers for the script, asked by the
    launcher before it moves to v2: a v2 job does not fill ``input_datasets``, so a read
    left behind would fail."""
    try:
        tree = ast.parse(script)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "does not parse", 1
    wanted = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "input_datasets"]
    if not wanted:
        return None
    try:
        analysis = analyse(script, rules=[], surface=SURFACE, settings=settings, tree=tree, remember=False)  # type: ignore[arg-type]
    except (SourceError, ValueError, SyntaxError):
        return "cannot be analysed", 1
    if analysis.model is None:
        return "reads run.input_datasets of a run this fix does not follow", wanted[0].lineno
    sctx = FixContext(analysis)
    kept = _kept_v1(sctx, wanted)
    if kept is not None:
        return kept
    for node in wanted:
        subscript = sctx.parent(node)
        name = known_str(sctx, subscript.slice) if isinstance(subscript, ast.Subscript) else None
        if not is_context_run(sctx, node.value) or name is None or not isinstance(subscript.ctx, ast.Load):  # type: ignore[union-attr]
            return "uses run.input_datasets in a way this fix does not follow", node.lineno
        from .run_get_context import held_run  # (it imports this module)

        held = held_run(sctx, node.value)
        if held is not None:  # (said of the script, in its launcher's message: audit 2e read it as the launcher's)
            # (its line references are the script's, not the launcher's that the message is mapped to)
            held = render_lines(held).replace("this program ", "the script ")
            return f"keeps its v1 run, which reads the input {name!r} ({held})", node.lineno
        kind = handed.get(name)
        if kind is None:
            return f"reads the input {name!r}, which this job does not hand over", node.lineno
        if kind == "mltable" and _table_reads(sctx, subscript) is None:  # type: ignore[arg-type]
            return f"uses the tabular input {name!r} for more than to_pandas_dataframe()", node.lineno
        dataset_use = _dataset_use(sctx, subscript) if kind != "mltable" else None  # type: ignore[arg-type]
        if dataset_use is not None:
            return f"uses the input {name!r} as a v1 dataset (.{dataset_use}), where the job hands over a path", node.lineno
    return None


def _kept_v1(sctx: FixContext, reads: list[ast.Attribute]) -> tuple[str, int] | None:
    """Why the script's own fix would keep a read (or the run it reads from) as it is although
    the launcher hands its inputs over: a ``# noqa`` that suppresses one of those fixes there (as
    flake8 reads it: the first line, codes by prefix, or ``# flake8: noqa`` for the file), or a
    comment inside the text the fix replaces, which it does not drop (audit 58b)."""
    source = sctx.analysis.source
    if file_is_exempt(source):
        return "is exempt from every fix (# flake8: noqa)", 1
    runs = [site.node for site in sctx.model.calls if isinstance(site.node.func, ast.Attribute)
            and site.node.func.attr == "get_context"]
    for node in [*runs, *reads]:
        codes = codes_on_line(source.line(node.lineno))
        if codes is not None and (not codes or any(code.startswith(tuple(codes)) for code in SCRIPT_READS)):
            return "keeps a read of its inputs (or its run) by a # noqa", node.lineno
    comments = [token.start for token in _comment_tokens(source.text)]
    for node in [*runs, *reads]:
        statement = sctx.statement_of(node)
        start = (statement.lineno, statement.col_offset)
        end = (statement.end_lineno or statement.lineno, statement.end_col_offset or 0)
        if any(start < place < end for place in comments):
            return "holds a comment inside a statement that reads its inputs, which its fix would drop", node.lineno
    return None


def _comment_tokens(script: str) -> list[tokenize.TokenInfo]:
    try:
        return [token for token in tokenize.generate_tokens(io.StringIO(script).readline)
                if token.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return []


def _v2_exports(ctx: FixContext) -> dict[str, str]:
    """The inputs a migrated launcher of this script (a script or notebook of the project
    that runs ``python <script>``) exports, with the type it declares them with."""
    found: dict[str, str] = {}
    settings = getattr(ctx.analysis.context, "settings", None)
    written_as, cells = getattr(settings, "written_as", None), getattr(settings, "launcher_text", None)
    if getattr(settings, "named_in", None) is not None and written_as and cells is not None:
        # a file a notebook writes (no file yet): the notebook's cells, as this run fixed them, run it
        _exports_in(cells, written_as, lambda at: True, found)
        return found
    path = getattr(ctx.analysis.context, "path", None)
    if path is None:
        return {}
    script = Path(os.path.abspath(path))
    for launcher, text in _v2_commands(project.root_for(Path(path), settings), settings.exclude):
        _exports_in(text, script.name, lambda at: _may_run(launcher, text, at, script), found)
    return found


def _exports_in(text: str, script_name: str, may_run: Callable[[int], bool], found: dict[str, str]) -> None:
    """Add to ``found`` what each v2 command in ``text`` that runs ``python <script_name>`` exports,
    with the type it declares the input with."""
    for match in re.finditer(r'command="export ([^"]*?) && python ' + re.escape(script_name) + r'\b', text):
        if not may_run(match.start()):
            continue
        for name, key in re.findall(r"(\w+)=\$\{\{inputs\.(\w+)\}\}", match.group(1)):
            declared = re.search(r'"%s": Input\(type="(\w+)"' % re.escape(key), text)
            if declared:
                found[name] = declared.group(1)


def _may_run(launcher: Path, text: str, at: int, script: Path) -> bool:
    """The command at ``at`` may run ``script`` itself, not a file of the same name elsewhere:
    its ``code=`` folder, when a literal, is the script's folder (from the launcher's)."""
    start = text.rfind("command(", 0, at)
    code = re.search(r"""\bcode\s*=\s*(["'])([^"'\n]*)\1""", _call_text(text, start) if start >= 0 else "")
    if code is None:
        return True  # a folder this text does not spell: it may be the script's
    folder = code.group(2).replace("\\\\", "/").replace("\\", "/")  # ('.\\src' as written in the source, on Windows)
    return Path(os.path.normpath(launcher.parent / folder)) == script.parent


def _call_text(text: str, start: int) -> str:
    """The call that starts at ``start`` (``command(``), to its closing bracket: its ``code=`` may
    come after its ``command=`` (held-out audit e: a folder written after the command was not
    seen, and a script of the same name in another folder took the launcher's inputs)."""
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text[start:]).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
                if depth == 0:
                    lines = text[start:].splitlines(keepends=True)
                    return "".join(lines[:token.end[0] - 1]) + lines[token.end[0] - 1][:token.end[1]]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return text[start:]


def _v2_commands(root: Path, exclude: tuple[str, ...]) -> list[tuple[Path, str]]:
    """The Python of the project's files (scripts, and notebooks' code) with a v2 command that
    exports variables, as each file is now: a launcher fixed earlier in this run counts,
    written or not."""
    return [(path, text) for path in project.project_files(root, exclude)[:5001] for text in _exporting(path)]


def _exporting(path: Path) -> list[str]:
    """``path``'s programs with a v2 command that exports variables.  Every pass of every
    script that reads its inputs asks of every file: a file is read again only once its
    bytes may have changed (it was written, so its inode or time or size differs, or this
    run holds new unwritten bytes for it)."""
    data = files.unwritten(path)
    if data is not None and len(data) > _LIMIT:
        return []
    try:
        if data is not None:
            state: object = ("unwritten", len(data), hash(data))
        else:
            stat = os.stat(path)
            state = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return []
    cached = _EXPORTING.get(path)
    if cached is not None and cached[0] == state:
        return cached[1]
    try:
        if data is None:
            data = files.read_regular(path, limit=_LIMIT)
    except (OSError, files.TooLarge):
        return []
    found = []
    if b"command=" in data and b"export " in data:
        found = [text for text in project.program_texts(path, data) if 'command="export ' in text]
    _EXPORTING[path] = (state, found)
    return found


_LIMIT = 2_000_000  # bytes: a larger file is no launcher worth reading
_EXPORTING: dict[Path, tuple[object, list[str]]] = {}
project.PROJECT_CACHES.append(_EXPORTING)


def handed_over(ctx: FixContext) -> bool:
    """Whether a launcher of the project, v1 or migrated, is known to run this script."""
    return _launcher(ctx) is not None or bool(_v2_exports(ctx))


def _launcher(ctx: FixContext) -> dict[str, Launched] | None:
    """How the v1 launcher of this script (a script or notebook of the same project) hands
    each named input over; None when it is unknown."""
    return about_this_script(ctx, "launcher", _read_launcher)


def about_this_script(ctx: FixContext, question: str, answer: Callable[[Path, Any], T | None]) -> T | None:
    """``answer(path, settings)`` for the file being fixed, worked out once a pass; None for
    a text that is no file (standard input)."""
    context = ctx.analysis.context
    path = getattr(context, "path", None)
    if path is None:
        return None
    key = f"{question}:{path}"
    if key not in ctx.cache:
        ctx.cache[key] = answer(Path(path), context.settings)  # type: ignore[union-attr]
    return ctx.cache[key]  # type: ignore[return-value]


def _read_launcher(path: Path, settings: object) -> dict[str, Launched] | None:
    """How every launcher of the project hands each named input over: a name only where they all
    hand it over alike (a v1 launcher that mounts it and one that hands the dataset itself over
    need different reads), None when one of them cannot be read."""
    merged: dict[str, Launched] | None = None
    references = list(project.index_for(path, settings, SURFACE).references_to(path))  # type: ignore[arg-type]
    for reference in references:
        launched = _one_launcher(reference, settings)
        if launched is None:
            return None
        if launched is _MIGRATED and len(references) > 1:
            continue  # (a launcher this run moved to v2 exports what the script reads)
        merged = dict(launched) if merged is None else {
            name: how for name, how in merged.items() if _alike(how, launched.get(name))}
    return {} if merged is None and references else merged


_MIGRATED: dict[str, Launched] = {}  # a launcher whose v1 call this run rewrote


def _alike(one: Launched, other: Launched | None) -> bool:
    """Two launchers hand an input over alike: the same way, or each as a path (mounted or
    downloaded, which the script reads the same)."""
    return other is not None and (one == other or (
        one.mode in _PATH_MODES and other.mode in _PATH_MODES and one.kind == other.kind))


def _one_launcher(reference: project.ScriptReference, settings: object) -> dict[str, Launched] | None:
    found = launching_line(reference)
    if found is None:
        return None
    text, line = found
    if line == 0:
        return _MIGRATED
    reference = dataclasses.replace(reference, line=line)
    # every pass of every fix of the script asks: the launcher is analysed once per text
    key = (reference.orchestrator, reference.line, text)
    if key not in _LAUNCHED:
        _LAUNCHED[key] = _launched(reference, text, settings)
    return _LAUNCHED[key]


def every_read_is_a_path(path: Path, text: str, settings: object) -> bool:
    """Does the fix of the script at ``path`` (``text``) turn each of its ``run.input_datasets[n]``
    reads into ``os.environ[n]``, whichever launcher runs it: each ``n`` a literal that every launcher
    mounts or downloads, read only as a path?  Such a script reads what v1 and v2 jobs both set, so a
    launcher need not wait for the others (audit, stop 63, g: two launchers waited for each other and
    a second fix moved them)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return False
    launched = _read_launcher(path, settings)
    if not launched:
        return False
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    held: set[str] = set()
    reads = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "input_datasets"]
    if len(reads) != text.count("input_datasets"):  # (``getattr(run, "input_datasets")``: review, stop 63)
        return False
    for node in reads:
        subscript = parents.get(id(node))
        key = subscript.slice if isinstance(subscript, ast.Subscript) and subscript.value is node else None
        how = launched.get(key.value) if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
        if how is None or how.mode not in _PATH_MODES:
            return False
        holder = parents.get(id(subscript))
        if isinstance(holder, ast.Attribute) and holder.attr not in _STR_ATTRIBUTES:
            return False
        if isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name):
            held.add(holder.targets[0].id)
    # a variable that holds a read is used as a path only (no dataset method on it anywhere)
    return not any(isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in held
                   and node.attr not in _STR_ATTRIBUTES for node in ast.walk(tree))


_PATH_MODES = ("ro_mount", "download")


_LAUNCHED: dict[tuple[Path, int, str], dict[str, Launched] | None] = {}
project.PROJECT_CACHES.append(_LAUNCHED)


def _launched(reference: project.ScriptReference, text: str, settings: object) -> dict[str, Launched] | None:
    """How the launching call in ``text`` hands each named input over."""
    try:
        analysis = analyse(text, rules=[], surface=SURFACE, path=reference.orchestrator, settings=settings,  # type: ignore[arg-type]
                           remember=False)
    except (ValueError, SyntaxError):
        return None
    if analysis.model is None:
        return None
    octx = FixContext(analysis)
    found: dict[str, Launched] = {}
    for site in octx.model.calls:
        if site.node.lineno != reference.line or octx.callee(site.node) not in LAUNCHERS:
            continue
        for keyword in site.node.keywords:
            if keyword.arg not in _DATA_PARAMETERS:
                continue
            try:
                items, _ = list_items(keyword.value, octx, "")
            except Refused:
                continue
            for item in items:
                _record(item, octx, found)
    return found


def launcher_text(reference: project.ScriptReference, same_line: bool = True) -> str | None:
    """The Python that holds the launching call, as this run leaves it: a script's text, or
    the notebook code (or ``%%writefile`` body) the reference was found in.  ``same_line``
    asks for a notebook program only while the call's line still has the reference's label
    (the cells before it unchanged); without it, the program is the one at the reference's
    place among the notebook's programs, however the cells before the call were fixed."""
    try:
        data = files.read_as_fixed(reference.orchestrator, limit=_LIMIT)
        programs = list(project.READERS[reference.orchestrator.suffix](reference.orchestrator, data))
    except (OSError, files.TooLarge, KeyError, ValueError, UnicodeDecodeError):
        return None
    if reference.label is None:
        return next((program for program in programs if isinstance(program, str)), None)
    if not same_line:
        program = programs[reference.program] if reference.program < len(programs) else None
        return program[0] if program is not None and not isinstance(program, str) else None
    for program in programs:
        if not isinstance(program, str) and program[1](reference.line) == reference.label:
            return program[0]
    return None


def launching_line(reference: project.ScriptReference) -> tuple[str, int] | None:
    """The launcher's program as this run leaves it, and the line of the launching call in it:
    the one place where the call's text, as the run found it, stands there.  Fixes above the call,
    in earlier cells or in its own, move it to another line (and a label names another statement
    then: review 58 H1); a call the fix rewrote, or written twice, is on no line (0)."""
    try:
        found = _program(files.read_as_found(reference.orchestrator, limit=_LIMIT), reference)
        fixed = _program(files.read_as_fixed(reference.orchestrator, limit=_LIMIT), reference)
    except (OSError, files.TooLarge):
        return None
    if found is None or fixed is None:
        return None
    call = _call_on_line(found, reference.line)
    lines = _lines_of_call(fixed, call) if call is not None else []
    if len(lines) != 1:
        return fixed, 0  # (the launcher is there, and no line of it is that call: a migrated one exports instead)
    return fixed, lines[0]


def _lines_of_call(program: str, call: str) -> list[int]:
    """The lines where a call whose source is ``call`` starts in ``program`` (not a copy of its
    text in a comment or a string: review 58b)."""
    places = []
    at = program.find(call)
    while at >= 0:
        line = program.count("\n", 0, at) + 1
        column = len(program[program.rfind("\n", 0, at) + 1:at].encode("utf-8"))
        places.append((line, column))
        at = program.find(call, at + 1)
    if len(places) < 2:
        return [line for line, _ in places]
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError):
        return []
    starts = {(n.lineno, n.col_offset) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return [line for line, column in places if (line, column) in starts]


def _program(data: bytes, reference: project.ScriptReference) -> str | None:
    """The program of the reference's file (a notebook's code or a ``%%writefile`` body) in ``data``."""
    programs = project.labelled_programs(reference.orchestrator, data)
    return programs[reference.program][0] if reference.program < len(programs) else None


def _call_on_line(program: str, line: int) -> str | None:
    """The source of the outermost call that starts on ``line``."""
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError):
        return None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno == line]
    outer = min(calls, key=lambda n: (n.col_offset, -(n.end_lineno or 0), -(n.end_col_offset or 0)), default=None)
    return ast.get_source_segment(program, outer) if outer is not None else None


def _record(item: ast.expr, octx: FixContext, found: dict[str, Launched]) -> None:
    try:
        used = consumed(item, octx, Taken())
        if used is not None and used.name is not None:
            found[used.name] = Launched(used.mode, input_kind(used, Taken()) if used.mode != "direct"
                                        or used.source.kind == "mltable" else "direct")
    except Refused:
        return


__all__ = ["RUN", "fix"]
