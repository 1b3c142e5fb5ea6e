"""Turn a v1 ``arguments=[...]`` list into a v2 command string plus inputs and outputs.

v1 passed argv without a shell; v2 runs the command through bash.  So string
literals are quoted for bash, numbers are written as v1 wrote them (``str()``),
named datasets become ``${{inputs.x}}`` with an ``Input`` of the right type and
mode, and ``OutputFileDatasetConfig('y')`` becomes ``${{outputs.y}}``.  In a
pipeline step, ``out.as_input('z')`` (or a ``PipelineData`` the step lists in
``inputs=``) becomes ``${{inputs.z}}`` bound to the producing step's output.
Anything whose value cannot be known statically is refused (mapping.md 4.2).
"""

from __future__ import annotations

import ast
import os
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..engine import files
from ..engine.fixing.arguments import is_none, known_str, py_str
from ..engine.fixing.edits import Edit
from ..engine.fixing import statements
from ..engine.fixing.rewrite import FixContext, Rewrite, snippet
from ..engine.fixing.symbols import symbol
from ..engine.names import Instance
from ..v1api import is_subtype
from .. import notebooks
from ..engine.findings import RefusalKind, line_ref
from . import data_inputs, data_outputs, script_environment
from .data_refs import Refused, Taken

INPUT = symbol("azure.ai.ml", "Input")
_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# names bash keeps for itself (read-only, or with a meaning an assignment changes): set with env
_BASH_OWN = frozenset(("_", "UID", "EUID", "PPID", "SHELLOPTS", "BASHOPTS", "GROUPS", "FUNCNAME", "LINENO", "RANDOM",
                       "SRANDOM", "SECONDS", "EPOCHSECONDS", "EPOCHREALTIME", "HISTCMD", "OPTIND", "OPTARG", "REPLY",
                       "DIRSTACK", "PIPESTATUS"))

__all__ = ["CommandLine", "Refused", "translate"]


def not_a_python_script(script: str, parameter: str) -> str | None:
    """Why ``python <script>`` would not run what v1 ran for this entry script, or None.

    v1 ran a notebook entry script (``*.ipynb``) through azureml-contrib-notebook's
    runner, not with python; a v2 command is a command line, and the reference gives
    no v2 form for the runner, so such a script is reported rather than guessed at."""
    if script.lower().endswith(".ipynb"):
        return (f"{parameter}= names the notebook {script!r}, which v1 ran with azureml-contrib-notebook's runner, "
                "not with python: make it a script (jupyter nbconvert --to script) and run that")
    return None


@dataclass(frozen=True)
class DatasetInput:
    kind: str  # uri_file, uri_folder or mltable
    used: data_inputs.Consumed

    @property
    def origin(self) -> int:  # one pipeline input per dataset
        return self.used.source.origin

    @property
    def origin_name(self) -> str:
        return self.used.source.name

    def declaration(self, with_path: bool) -> str:
        return data_inputs.declaration(self.used, self.kind, with_path)

    def pipeline_input(self) -> str:
        """The pipeline function's input: where the data is, whatever mode a step reads it in."""
        return f'{INPUT}(type="{self.kind}", path={self.used.source.path})'


@dataclass(frozen=True)
class UpstreamInput:
    origin: int  # id of the output object's binding: matched with the producing step
    mode: str | None = None


@dataclass(frozen=True)
class ParameterInput:
    """A ``PipelineParameter`` passed as an argument: a typed input of the component,
    bound to a parameter (with its default) of the pipeline function."""

    kind: str  # integer, number, string or boolean
    default: str  # Python source of the default value
    origin: int  # id of the PipelineParameter's binding


@dataclass
class CommandLine(Taken):
    tokens: list[str] = field(default_factory=list)
    datasets: dict[str, DatasetInput] = field(default_factory=dict)
    parameters: dict[str, ParameterInput] = field(default_factory=dict)
    upstream: dict[str, UpstreamInput] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # name -> Output(...) source
    produces: dict[int, str] = field(default_factory=dict)  # output object id -> output name
    imports: set[tuple[str, str]] = field(default_factory=set)
    v1_names: dict[str, str] = field(default_factory=dict)  # input/output key -> v1 name (its environment variable)
    runtime: dict[int, str] = field(default_factory=dict)  # token index -> source of a value known only at run time
    exports: dict[str, str] = field(default_factory=dict)  # environment variable -> ${{inputs.x}} / ${{outputs.y}}
    # keys of the data v1 set an environment variable for, under the data's own name (a named
    # input, an OutputFileDatasetConfig: mapping-extension 4.4-4.5), not a flag's
    named: list[str] = field(default_factory=list)
    script: str | None = field(default=None, compare=False, repr=False)  # the text of the script it runs, if read
    # the other calls of this program that run the same script: they migrate with this one or not at all
    together: list[ast.AST] = field(default_factory=list, compare=False, repr=False)
    # what runs the script: a user-managed environment's ``python.interpreter_path`` (mapping-extension 1.4)
    interpreter: str = "python"
    pipeline_outputs: dict[str, str] = field(default_factory=dict)  # the pipeline's output name -> this step's

    def _start(self, script: str) -> str:
        """``export`` for the variables a shell can name; ``env`` sets the others (``model-dir``)
        for ``python`` alone, as v1 set them for the script."""
        shell = [f"{k}={v}" for k, v in self.exports.items() if _exportable(k)]
        other = [shlex.quote(f"{k}={v}") for k, v in self.exports.items() if not _exportable(k)]
        exported = "export " + " ".join(shell) + " && " if shell else ""
        through_env = "env " + " ".join(other) + " " if other else ""
        return f"{exported}{through_env}{shlex.quote(self.interpreter)} {shlex.quote(script)}"

    def command(self, script: str) -> str:
        return " ".join([self._start(script), *self.tokens])

    def command_source(self, script: str) -> str:
        """The command as Python source: one literal, or literals joined with the values
        only known at run time, each quoted for bash as v1 passed it (``str()``, no shell)."""
        if not self.runtime:
            return py_str(self.command(script))
        parts: list[str] = []
        text = self._start(script)
        for index, token in enumerate(self.tokens):
            if index in self.runtime:
                parts += [py_str(text + " "), f"{symbol('shlex')}.quote(str({self.runtime[index]}))"]
                text = ""
            else:
                text += " " + token
        if text:
            parts.append(py_str(text))
        return " + ".join(parts)

    def check_visible(self, ctx: FixContext, at: ast.Call) -> None:
        """Every variable the new text names means the same where ``at`` is written."""
        for binding in self.references:
            if not ctx.visible(at, binding) or getattr(binding.node, "lineno", 0) > at.lineno:
                raise Refused(f"`{binding.name}` does not hold the same value where the job is built")

    def todo_comments(self) -> list[str]:
        return [f"# TODO(azureml-v2): {todo}" for todo in self.todos]

    def hand_to(self, rewrite: Rewrite, ctx: FixContext, data: bool = True) -> None:
        """What the line brings to the rewrite that writes it: its TODO comments (above the
        statement), notes and helpers, and, unless a step's rewrite takes them (``data``),
        the uses of the data it reads and the findings that resolves."""
        if data:
            rewrite.consumes.extend(self.consumes)
            rewrite.findings.extend(self.resolves)
        rewrite.requires.extend(self.together)
        rewrite.notes.extend(self.notes)
        rewrite.helpers.update(self.helpers)
        comments = self.todo_comments()
        if comments:
            rewrite.edits.extend(statements.insert_before(ctx.locator, ctx.statement_of(rewrite.node), comments))
            rewrite.todos.extend(comments)

    def input_declarations(self, with_paths: bool) -> dict[str, str]:
        found = {k: v.declaration(with_paths) for k, v in self.datasets.items()}
        for key, parameter in self.parameters.items():
            found[key] = f'{INPUT}(type="{parameter.kind}")'
        for key, up in self.upstream.items():
            mode = f', mode="{up.mode}"' if up.mode else ""
            found[key] = f'{INPUT}(type="uri_folder"{mode})'
        return found


def _exportable(name: str) -> bool:
    return bool(_SHELL_NAME.fullmatch(name)) and name not in _BASH_OWN and not name.startswith("BASH")


def identifier(name: str) -> str:
    """A valid v2 input/output name: [A-Za-z_][A-Za-z0-9_]*."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return "_" + cleaned if not cleaned or cleaned[0].isdigit() else cleaned


def translate(items: list[ast.expr], ctx: FixContext, pipeline: PipelineStep | None = None,
              script: str | None = None, script_name: str | None = None,
              listed: PipelineStep | None = None) -> CommandLine:
    """Raises :class:`Refused` with the reason when an item cannot be translated.
    ``script``: the text of the script the command runs (``script_name``), when it can be read.
    ``listed``: the datasets a job outside a pipeline lists beside its arguments (an estimator's
    ``inputs=``), handed over as a step's listed data is."""
    line = CommandLine(script=script)
    previous: str | None = None
    for item in items:
        line.tokens.append(_token(item, previous, ctx, line, pipeline))
        previous = known_str(ctx, item)
    if pipeline is not None or listed is not None:
        _listed_only(pipeline or listed, ctx, line)  # type: ignore[arg-type]
    _export(line, script, ctx)
    _script_follows(line, script, script_name, ctx)
    return line


def _script_follows(line: CommandLine, script: str | None, script_name: str | None, ctx: FixContext) -> None:
    """A script that reads ``run.input_datasets`` works under the v2 job only once each read
    becomes what the command exports; refuse when its own fix would leave one behind."""
    if script is None or "input_datasets" not in script:
        return
    from .injob.input_datasets import unfollowed_read  # (it reads launchers: imported where needed)

    handed = {}
    for name, placeholder in line.exports.items():
        key = placeholder[len("${{inputs."):-2] if placeholder.startswith("${{inputs.") else None
        entry = line.datasets.get(key) if key is not None else None
        handed[name] = entry.kind if entry is not None else "uri_folder"
    found = unfollowed_read(script, handed, getattr(ctx.analysis.context, "settings", None))
    if found is not None:
        why, at = found
        name = posixpath.basename(script_name.replace("\\", "/")) if script_name else "script"
        where = f"{name}:{at}"
        why = re.sub(r"\bline (\d+)\b", lambda m: f"{name}:{m.group(1)}", why)  # the script's lines, not this file's
        raise Refused(f"the script it runs ({where}) {why}, and a v2 job does not fill run.input_datasets: "
                      "migrate that read by hand first", RefusalKind.DATA_FLOW)


@dataclass
class PipelineStep:
    """What a pipeline step lists in ``inputs=``/``outputs=``: the data it reads and
    writes, also when the script reads it through v1's environment variables."""

    inputs: list[data_inputs.Consumed | data_outputs.Produced] = field(default_factory=list)
    outputs: list[data_outputs.Produced] = field(default_factory=list)
    taken: Taken = field(default_factory=Taken)
    listed_only: list[str] = field(default_factory=list)  # keys of data not passed in arguments

    @property
    def input_origins(self) -> set[int]:
        return {i.origin if isinstance(i, data_outputs.Produced) else i.source.origin for i in self.inputs}

    @property
    def output_origins(self) -> set[int]:
        return {o.origin for o in self.outputs}


def step_data(inputs: ast.expr | None, outputs: ast.expr | None, ctx: FixContext) -> tuple[PipelineStep, list[Edit]]:
    """Resolve a step's ``inputs=``/``outputs=`` (literal lists, or lists built just before)."""
    step = PipelineStep()
    edits: list[Edit] = []
    for node, wanted in ((inputs, "inputs"), (outputs, "outputs")):
        if node is None:
            continue
        items, deleted = list_items(node, ctx, f"{wanted}=")
        edits.extend(deleted)
        for item in items:
            used = data_inputs.consumed(item, ctx, step.taken) if wanted == "inputs" else None
            made = data_outputs.produced(item, ctx, step.taken) if used is None else None
            if used is None and made is None:
                raise Refused(f"`{snippet(ctx.locator, item)}` in {wanted}= is data this fix cannot follow")
            if wanted == "inputs":
                step.inputs.append(used or made)  # type: ignore[arg-type]
            elif made is not None and made.read_as is None:  # (one a later step reads as a table is still a folder here)
                data_outputs.as_produced_here(made, step.taken)
                step.outputs.append(made)
            else:
                raise Refused(f"`{snippet(ctx.locator, item)}` in outputs= is not an output")
    return step, edits


def job_inputs(inputs: ast.expr | None, ctx: FixContext) -> tuple[PipelineStep | None, list[Edit]]:
    """The datasets a job outside a pipeline lists in ``inputs=`` (v1 handed each to the script
    through an environment variable named after it); a step's output there has no producer to
    read it from."""
    if inputs is None:
        return None, []
    listed, edits = step_data(inputs, None, ctx)
    for item in listed.inputs:
        if isinstance(item, data_outputs.Produced):
            raise Refused("inputs= lists an output of a pipeline step, which only a pipeline can hand over")
    return listed, edits


def _listed_only(step: PipelineStep, ctx: FixContext, line: CommandLine) -> None:
    """Data a step lists but does not pass in its arguments: v1 handed it to the script
    through an environment variable named after it, which the command now exports."""
    line.absorb(step.taken)
    for item in step.inputs:
        if isinstance(item, data_outputs.Produced):
            if item.origin not in {u.origin for u in line.upstream.values()}:
                key = _upstream(item, line)
                step.listed_only.append(key)
        elif not any(_same_consumption(item, key, passed, line) for key, passed in line.datasets.items()):
            key = _add_input(item, None, line, Taken())
            step.listed_only.append(key)
    for made in step.outputs:
        if made.origin not in line.produces:
            step.listed_only.append(_add_output(made, None, line))
    for key in step.listed_only:
        placeholder = "outputs" if key in line.outputs else "inputs"
        _export_one(line, key, placeholder)


def _same_consumption(listed: data_inputs.Consumed, key: str, passed: DatasetInput, line: CommandLine) -> bool:
    """The data a step lists is what its arguments pass: the same dataset under the same name,
    or, unnamed, in the same mode (the argument's flag then names it)."""
    if passed.origin != listed.source.origin:
        return False
    if listed.name is None:
        return passed.used.mode == listed.mode
    return line.v1_names.get(key) == listed.name


_RUNTIME_VARIABLES = frozenset((
    "PATH", "HOME", "SHELL", "IFS", "PWD", "OLDPWD", "USER", "LOGNAME", "HOSTNAME", "SHLVL", "TERM", "TZ", "LANG",
    "LANGUAGE", "TMPDIR", "TMP", "TEMP", "RANK", "LOCAL_RANK", "NODE_RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"))
_RUNTIME_PREFIXES = ("LD_", "PYTHON", "AZUREML_", "AZ_", "MLFLOW_", "CONDA", "LC_", "OMP_", "MKL_", "CUDA", "NCCL_",
                     "OMPI_", "PMI_", "SSL_", "REQUESTS_", "GLIBC_", "MALLOC_")


def _export_one(line: CommandLine, key: str, placeholder: str) -> None:
    name = line.v1_names.get(key, key)
    if not name or "=" in name or "\0" in name or name.startswith("-"):
        raise Refused(f"v1 handed the input over in the environment variable {name!r}, which a command cannot set "
                      "(env would take it for an option)" if name.startswith("-") else
                      f"v1 handed the input over in the environment variable {name!r}, which no process can set")
    if name in _RUNTIME_VARIABLES or name.startswith(_RUNTIME_PREFIXES):  # (names are case-sensitive: az_data is free)
        # v1 set it inside the running Python; exported before ``python`` it changes what the command runs (review 86)
        raise Refused(f"v1 handed the input over in the environment variable {name!r}, which the job's command and "
                      "runtime rely on: exported before `python`, it would change what runs; rename the input first")
    line.exports[name] = "${{%s.%s}}" % (placeholder, key)


def _export(line: CommandLine, script: str | None, ctx: FixContext) -> None:
    """v1 set an environment variable per named input and ``OutputFileDatasetConfig``, which the
    command exports whatever the script reads (review 87: a key in a variable, a child process,
    ``os.path.expandvars`` ... no reading of its text tells them all); the variable of other
    data (a ``PipelineData``) when the script or a module of its folder reads it by name.  An
    unnamed input's variable had a name v1 made up, so none reads it."""
    reads = _reads_of(ctx, script)
    if reads is not None and any(script_environment.reads_input_datasets(text) for text in reads.texts[1:]):
        raise Refused("the script imports a module of its folder that reads run.input_datasets, which a v2 job does "
                      "not fill and whose fix follows only the script a job runs: migrate that read by hand first",
                      RefusalKind.DATA_FLOW)
    for key, name in line.v1_names.items():
        if name not in line.exports and (key in line.named or reads is not None and reads.reads(name)):
            _export_one(line, key, "outputs" if key in line.outputs else "inputs")


def _reads_of(ctx: FixContext, script: str | None) -> script_environment.ScriptReads | None:
    if script is None:
        return None
    recorded = ctx.cache.get("script_reads", {}).get(script)
    return recorded or script_environment.ScriptReads((script,))


def _read_as_table(script: str | None, name: str | None) -> bool:
    """The script reads the input ``name`` only as ``run.input_datasets[name].to_pandas_dataframe()``:
    a tabular dataset, which its own fix reads from the MLTable folder v2 hands over."""
    if script is None or name is None:
        return False
    quoted = r"""['"]%s['"]""" % re.escape(name)
    reads = re.findall(r"input_datasets\s*(?:\[\s*|\.get\(\s*)" + quoted, script)
    tables = re.findall(r"input_datasets\s*\[\s*" + quoted + r"\s*\]\s*\.to_pandas_dataframe\(\s*\)", script)
    return bool(reads) and len(reads) == len(tables)


def script_text(ctx: FixContext, folder: str | None, script: str, line: int | None = None,
                together: list[ast.AST] | None = None, folder_known: bool = True) -> str | None:
    """The text of the script a job runs, when it is a file next to this program, or one
    this program (a notebook) writes with ``%%writefile`` (``line``: the launching call's).
    A script its launcher's v2 job must find migrated (it reads ``run.input_datasets``) moves
    only with every call that runs it: those of this program go into ``together`` (their
    rewrites are then required with this one), or, without it, keep this call v1.
    ``folder_known`` false: the folder is computed when the program runs, so no file found
    from here is known to be the script (review 85: a ./train.py beside the launcher was read);
    one this notebook writes under the script's name still is."""
    location = getattr(ctx.analysis.context, "path", None)
    if location is None:
        return None
    beside = script_environment.read_beside(_folder_path(location, folder))
    path = _folder_path(location, folder) / script.replace("\\", "/")
    text = beside(script.replace("\\", "/")) if folder_known else None
    if text is not None:
        _record_reads(ctx, text, script, folder, beside)
        if script_environment.reads_input_datasets(text) and not files.in_this_run(path, _read_codes(text)):
            raise Refused(f"{script} reads run.input_datasets, which a v2 job does not fill, and this run does not "
                          f"fix it ({_not_fixed(path, text)}): fix the script together with its launcher",
                          RefusalKind.DATA_FLOW)
        if script_environment.reads_input_datasets(text):
            other = _another_launcher(ctx, Path(location), path, own_calls=together is None, line=line)
            if other is None and together is not None:
                other = _with_own_calls(ctx, Path(location), path, line, together)
            if other is not None and not _reads_paths_for_all(ctx, path, text):
                raise Refused(f"{script} reads run.input_datasets, which a v2 job does not fill, and {other}: the "
                              "script moves only once no launcher keeps it v1, so this launcher stays with it",
                              RefusalKind.DATA_FLOW)
        return text
    if notebooks.is_notebook(location):
        key = f"written_script:{folder}:{script}"
        if key not in ctx.cache:
            ctx.cache[key] = notebooks.written_script(Path(location), folder, script)
        text = ctx.cache[key]
        if text is not None:
            _record_reads(ctx, text, script, folder, _written_or_beside(ctx, Path(location), folder, folder_known))
        if text is not None and script_environment.reads_input_datasets(text):
            # the cell is fixed after the notebook's calls, in this run, and reads what the migrated call
            # exports (injob.input_datasets; _script_follows asks first); another call of it may keep it v1
            if not files.fixes_codes(_read_codes(text)):
                raise Refused(f"the {script} this notebook writes reads its data with run.input_datasets, which a v2 "
                              f"job does not set, and this run does not fix that read ({_not_fixed(None, text)}): fix "
                              "the cell together with this call", RefusalKind.DATA_FLOW)
            if not notebooks.written_script_named(Path(location), folder, script):
                raise Refused(f"the {script} this notebook writes reads its data with run.input_datasets, which a "
                              "v2 job does not set, and its %%writefile names it in a way its own fix cannot follow: "
                              "migrate that cell's reads by hand first", RefusalKind.DATA_FLOW)
            other = _another_call(ctx, Path(location), folder, script, line, together)
            if other is not None:
                raise Refused(f"the {script} this notebook writes reads its data with run.input_datasets, which a "
                              f"v2 job does not set, and {other}: the cell moves only once no call keeps it v1, so "
                              "this one stays with it", RefusalKind.DATA_FLOW)
        return text  # type: ignore[return-value]
    _refuse_a_reader_elsewhere(ctx, Path(location), script)
    return None


def script_and_modules(ctx: FixContext, folder: str | None, script: str) -> script_environment.ScriptReads | None:
    """The text of ``script`` (a file beside this program, or one its notebook writes) and of
    the modules of its folder it imports; None when it is not found here.  Unlike
    :func:`script_text`, nothing is asked of the other programs that run it."""
    location = getattr(ctx.analysis.context, "path", None)
    if location is None:
        return None
    text = notebooks.written_script(Path(location), folder, script) if notebooks.is_notebook(location) else None
    find = _written_or_beside(ctx, Path(location), folder, True) if text is not None else \
        script_environment.read_beside(_folder_path(location, folder))  # (a written file replaces the one on disk)
    text = text if text is not None else find(script.replace("\\", "/"))
    if text is None:
        return None
    return script_environment.script_reads(text, posixpath.dirname(script.replace("\\", "/")), find)


def _folder_path(program: str | os.PathLike[str], folder: str | None) -> Path:
    """The job's folder on disk: ``folder`` (None: the program's own), from the program's."""
    return Path(program).parent / (folder or ".").replace("\\", "/")


def _record_reads(ctx: FixContext, text: str, script: str, folder: str | None, find: Callable[[str], str | None],
                  ) -> None:
    """Note what the script ``text`` and the modules it imports read from the environment, for
    :func:`_export` (keyed by the text; two scripts with one text share what both may read)."""
    directory = posixpath.dirname(script.replace("\\", "/"))
    done = ctx.cache.setdefault("script_reads_of", set())
    if (text, directory, folder) in done:
        return
    done.add((text, directory, folder))
    found = script_environment.script_reads(text, directory, find)
    recorded = ctx.cache.setdefault("script_reads", {})
    recorded[text] = recorded[text].merged(found) if text in recorded else found


def _written_or_beside(ctx: FixContext, notebook: Path, folder: str | None,
                       folder_known: bool) -> Callable[[str], str | None]:
    """A module a notebook's script imports: one the notebook writes, or a file of the folder."""
    beside = script_environment.read_beside(_folder_path(notebook, folder))
    if "notebook_bytes" not in ctx.cache:
        try:
            ctx.cache["notebook_bytes"] = notebook.read_bytes()
        except OSError:
            ctx.cache["notebook_bytes"] = b""
    raw = ctx.cache["notebook_bytes"]
    expanded = re.search(rb"writefile[^\n\\]*[${]", raw) is not None  # a %%writefile target with a variable

    def find(relative: str) -> str | None:
        key = f"written_script:{folder}:{relative}"
        if key not in ctx.cache and (expanded or posixpath.basename(relative).encode("utf-8") in raw):
            ctx.cache[key] = notebooks.written_script(notebook, folder, relative)  # (else no cell names it)
        written = ctx.cache.get(key)
        return written if written is not None or not folder_known else beside(relative)
    return find


def _refuse_a_reader_elsewhere(ctx: FixContext, here: Path, script: str) -> None:
    reader = _may_run_a_reader(ctx, here, script)
    if reader is not None:
        raise Refused(f"the {script} it runs is not found where its folder points here (a folder computed when it "
                      f"runs), and {reader} reads run.input_datasets, which a v2 job does not fill: migrate that "
                      "script with its launcher by hand", RefusalKind.DATA_FLOW)


def job_folder(ctx: FixContext, node: ast.expr | None) -> tuple[str | None, bool]:
    """A job's ``source_directory``: the folder it names, relative to the program's (None: the
    program's own), and whether that folder is known here (none given, or one
    :func:`static_folder` reads)."""
    folder = static_folder(ctx, node)
    return folder, node is None or folder is not None


_SAME_FILE = ("os.path.abspath", "os.path.realpath", "os.path.normpath", "pathlib.Path")


def static_folder(ctx: FixContext, node: ast.expr | None, depth: int = 0) -> str | None:
    """The folder ``node`` names, relative to the program's own, when it is known here: a known
    string, the program's folder (``os.path.dirname(os.path.abspath(__file__))``,
    ``Path(__file__).parent``), or either joined with known strings (review 86: a folder made
    from ``__file__`` is the launcher's, not one computed when it runs)."""
    if node is None or depth > 4:
        return None
    literal = known_str(ctx, node)
    if literal is not None:
        return literal
    if isinstance(node, ast.Call) and node.args and not node.keywords:
        callee = ctx.callee(node)
        if callee == "os.path.dirname" and len(node.args) == 1 and _this_file(ctx, node.args[0]):
            return "."
        if callee == "os.path.join":
            parts = [static_folder(ctx, node.args[0], depth + 1), *(known_str(ctx, a) for a in node.args[1:])]
            return posixpath.join(*parts) if all(p is not None for p in parts) else None  # type: ignore[arg-type]
    if isinstance(node, ast.Attribute) and node.attr == "parent" and _this_file(ctx, node.value):
        return "."
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.left, (ast.Attribute, ast.BinOp)):
        left, right = static_folder(ctx, node.left, depth + 1), known_str(ctx, node.right)
        return posixpath.join(left, right) if left is not None and right is not None else None
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None else None
        if (binding is not None and not binding.conditional and len(ctx.bindings_named(node.id)) == 1
                and isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            return static_folder(ctx, statement.value, depth + 1)
    return None


def _this_file(ctx: FixContext, node: ast.expr) -> bool:
    """``__file__``, or a path of it (``os.path.abspath(__file__)``, ``Path(__file__).resolve()``)."""
    if isinstance(node, ast.Name):
        return node.id == "__file__" and ctx.binding_of(node) is None
    if isinstance(node, ast.Call) and not node.keywords:
        if ctx.callee(node) in _SAME_FILE and len(node.args) == 1:
            return _this_file(ctx, node.args[0])
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute") and not node.args:
            return _this_file(ctx, node.func.value)
    return False


def _may_run_a_reader(ctx: FixContext, here: Path, script: str) -> str | None:
    """A file of the project called like ``script`` that reads ``run.input_datasets``, when this
    call's script is not found from here: the call may run it (its own fix counts the call as a
    launcher that may), and its v2 job would not fill those reads (audit 58e)."""
    from ..engine import project
    from ..v1api import SURFACE

    settings = getattr(ctx.analysis.context, "settings", None)
    if settings is None or not getattr(settings, "project_index", False):
        return None
    try:
        index = project.index_for(here, settings, SURFACE)
        named = index.files_named(posixpath.basename(script.replace("\\", "/")))
    except (OSError, ValueError):
        return None
    for candidate in named:
        if not index.may_be_run_by(candidate, Path(os.path.abspath(here))):
            continue  # (as the script's own fix reads this file's calls: not one of its launchers)
        try:
            text = files.read_as_found(candidate, limit=2_000_000).decode("utf-8", "replace")
        except (OSError, files.TooLarge):
            continue
        if script_environment.reads_input_datasets(text):
            return os.path.relpath(candidate, here.parent)
    return None


# The codes whose fixes move a script's ``run.input_datasets[n]`` reads to the path its migrated
# launcher exports (the run, the read, a table read from it): a run without one leaves them v1.
SCRIPT_READS = ("AML011", "AML033", "AML038")


def _read_codes(text: str) -> tuple[str, ...]:
    """The codes whose fixes a script's reads need: a table read (AML038) only where it reads one."""
    return SCRIPT_READS if "to_pandas_dataframe" in text else tuple(c for c in SCRIPT_READS if c != "AML038")


def _not_fixed(path: Path | None, text: str) -> str:
    """Why this run leaves the script's reads v1."""
    if path is not None and not files.in_this_run(path):
        return "it is not among the files it fixes"
    return f"its --select/--ignore leaves out {', '.join(c for c in _read_codes(text) if not files.fixes_codes((c,)))}"


def _another_call(ctx: FixContext, notebook: Path, folder: str | None, script: str, line: int | None,
                  together: list[ast.AST] | None = None) -> str | None:
    """A second call of this notebook that may run a file the notebook writes and this call may
    run (as that file's own fix counts its launchers), or a launcher in another file of the project:
    either may keep it v1.  With ``together``, this notebook's other calls go there instead."""
    key = f"calls_of_written:{folder}:{script}:{line}:{together is None}"
    if key not in ctx.cache:
        lines = notebooks.calls_running_written(notebook, ctx.model, ctx.text, folder, script, line)
        others = [other for other in lines or () if other != line]
        calls = _calls_at(ctx, others) if together is not None and lines is not None and line in lines else None
        if lines is not None and (len(lines) <= 1 or calls is not None):
            reason = _another_launcher(ctx, notebook, notebook.parent / _joined(folder, script), own_calls=False)
        else:
            shown = others or lines or []
            reason = f"another call of this notebook ({', '.join(map(line_ref, shown))}) runs it too" if shown else \
                "another call of this notebook runs it too"
        ctx.cache[key] = (reason, calls or [])
    reason, calls = ctx.cache[key]  # type: ignore[misc]
    if together is not None and reason is None:
        together.extend(calls)
    return reason


def _with_own_calls(ctx: FixContext, here: Path, script: Path, line: int | None,
                    together: list[ast.AST]) -> str | None:
    """Put the other calls of this program that run ``script`` into ``together``; or say which
    one cannot go there (this program's text no longer shows it)."""
    from ..engine import project

    settings = getattr(ctx.analysis.context, "settings", None)
    root = project.root_for(here, settings) if settings is not None else here.parent  # type: ignore[arg-type]
    others = [reference.line for reference in project.calls_naming(ctx.model, here, script, root)
              if reference.line != line]
    calls = _calls_at(ctx, others)
    if calls is None:
        return f"another of this file's calls ({', '.join(map(str, others))}) runs it too"
    together.extend(calls)
    return None


def _calls_at(ctx: FixContext, lines: list[int]) -> list[ast.AST] | None:
    """The launching call on each of ``lines`` of this program (None when one is not found)."""
    from ..v1api import SCRIPT_PARAMETERS

    found = []
    for wanted in lines:
        call = next((site.node for site in ctx.model.calls if site.node.lineno == wanted
                     and getattr(site.callee, "qualname", None) in SCRIPT_PARAMETERS), None)
        if call is None:
            return None
        found.append(call)
    return found


def _joined(folder: str | None, script: str) -> str:
    return posixpath.normpath(posixpath.join((folder or ".").replace("\\", "/"), script.replace("\\", "/")))


def _reads_paths_for_all(ctx: FixContext, script: Path, text: str) -> bool:
    """The script's own fix makes it read only what v1 and v2 jobs both set, whoever launches it."""
    from .injob.input_datasets import every_read_is_a_path

    settings = getattr(ctx.analysis.context, "settings", None)
    return settings is not None and every_read_is_a_path(Path(os.path.normpath(script)), text, settings)


def _another_launcher(ctx: FixContext, here: Path, script: Path, own_calls: bool = True,
                      line: int | None = None) -> str | None:
    """What besides this launcher may start ``script`` (see :func:`.injob.launchers.other_launcher`)."""
    from .injob import launchers

    settings = getattr(ctx.analysis.context, "settings", None)
    if settings is None or not getattr(settings, "project_index", False):
        return None
    try:
        return launchers.other_launcher(script, settings, here, own_calls, line)
    except (OSError, ValueError):
        return None


def number_word(item: ast.expr) -> str | None:
    """A literal number as v1 put it on the command line (``str()``), else None."""
    if isinstance(item, ast.Constant) and isinstance(item.value, (int, float)) and not isinstance(item.value, complex):
        return str(item.value)
    if (
        isinstance(item, ast.UnaryOp)
        and isinstance(item.op, ast.USub)
        and isinstance(item.operand, ast.Constant)
        and isinstance(item.operand.value, (int, float))
        and not isinstance(item.operand.value, bool)
    ):
        return "-" + str(item.operand.value)
    return None


_BINDING = "${{"  # how a v2 command names its inputs and outputs


def _token(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine, pipeline: PipelineStep | None) -> str:
    literal = known_str(ctx, item)
    if literal is not None and _BINDING in literal:
        raise Refused(f"argument `{snippet(ctx.locator, item)}` holds `{_BINDING}`, which a v2 command reads as a "
                      "binding whatever its quotes, where v1 passed it as it is", RefusalKind.IMPOSSIBLE)
    if literal is not None:
        return shlex.quote(literal)
    number = number_word(item)
    if number is not None:
        return number
    token = _data_token(item, previous, ctx, line, pipeline) or _parameter_use(item, previous, ctx, line, pipeline)
    if token is not None:
        return token
    value = _runtime_value(item, ctx, line)
    if value is not None:
        line.runtime[len(line.tokens)] = value
        return ""
    if isinstance(item, ast.Constant) and item.value is None:
        raise Refused("argument `None`: how v1 wrote None on the command line is not known here")
    raise Refused(f"argument `{snippet(ctx.locator, item)}` has a type or value this fix cannot know")


PIPELINE_PARAMETER = "azureml.pipeline.core.PipelineParameter"
_KINDS = {bool: "boolean", int: "integer", float: "number", str: "string"}


def _parameter_use(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine, pipeline: PipelineStep | None) -> str | None:
    """``PipelineParameter(name='lr', default_value=0.1)`` in a step's arguments."""
    if pipeline is None or not isinstance(item, ast.Name):
        return None
    binding = ctx.binding_of(item)
    if binding is None or not isinstance(binding.value, Instance) or not is_subtype(binding.value.type, PIPELINE_PARAMETER):
        return None
    statement = binding.node
    call = statement.value if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call) else None
    if call is None or binding.conditional or ctx.callee(call) != PIPELINE_PARAMETER:
        raise Refused(f"`{item.id}` is not built by one plain assignment")
    values = dict(zip(("name", "default_value"), call.args))
    values.update({k.arg: k.value for k in call.keywords if k.arg})
    name, default = known_str(ctx, values.get("name")), values.get("default_value")
    if set(values) != {"name", "default_value"} or name is None:
        raise Refused("PipelineParameter() without a literal name and a default_value")
    value = _constant(default, ctx)
    if value is None:
        raise Refused(f"the default of PipelineParameter {name!r} is not a literal number, string or bool")
    key = identifier(name)
    if key != name and f"PipelineParameter {name!r}" not in " ".join(line.notes):
        line.notes.append(f"PipelineParameter {name!r} is the pipeline input {key!r}: v2 input names are identifiers")
    line.parameters[key] = ParameterInput(_KINDS[type(value.value)], ctx.locator.text(value), id(binding))
    line.consumes.append(item)
    return placeholder(key, _KINDS[type(value.value)])


def placeholder(key: str, kind: str) -> str:
    """``${{inputs.key}}`` as one bash word: v2 writes a value into the command as it is, and
    bash would split a string value with a space ("3, 3, 3") or drop an empty one, where v1
    handed each argument over whole; a quoted string value stays one argument."""
    return "'${{inputs.%s}}'" % key if kind == "string" else "${{inputs.%s}}" % key


def _constant(node: ast.expr | None, ctx: FixContext) -> ast.Constant | None:
    """A literal, or a variable assigned one literal once."""
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None and not binding.conditional else None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and len(ctx.bindings_named(node.id)) == 1:
            node = statement.value
    if isinstance(node, ast.Constant) and type(node.value) in _KINDS:
        return node
    return None


_STR_FUNCTIONS = {"str", "int", "float", "round", "len", "os.path.join", "os.path.abspath", "os.path.realpath",
                  "os.path.basename", "os.path.dirname", "os.getcwd"}
_STR_METHODS = {"format", "replace", "lower", "upper", "strip", "lstrip", "rstrip", "join"}


def _runtime_value(item: ast.expr, ctx: FixContext, line: CommandLine) -> str | None:
    """A value the program computes but that is certainly a plain string or number (v1
    passed ``str(value)``): its source, or None."""
    if isinstance(item, ast.Name):
        binding = ctx.binding_of(item)
        statement = binding.node if binding is not None and not binding.conditional else None
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1 and _plain(statement.value, ctx, 3)):
            return None
        line.references.append(binding)  # type: ignore[arg-type]
        return item.id
    if _plain(item, ctx, 3) and not any(isinstance(n, ast.Name) for n in ast.walk(item) if n is not item
                                        and not _module_name(n, ctx)):
        return ctx.locator.text(item)
    if isinstance(item, ast.Attribute) and _option_of_one_kind(item, ctx):
        return ctx.locator.text(item)
    return None


def _option_of_one_kind(item: ast.Attribute, ctx: FixContext) -> bool:
    """``args.model_name`` of ``parser.add_argument("--model_name", type=str, required=True)``: a
    string or a number, one value, whether or not the option is given (audit t: MLOps templates
    hand their build's model name to every step so)."""
    from .injob.values import NUMBER, STRING, argparse_option

    options = argparse_option(ctx)
    return options.kind_of(ctx, item) in (STRING, NUMBER) and options.holds_one_value(ctx, item)


def string_option(node: ast.expr, ctx: FixContext) -> bool:
    """``args.compute`` of ``parser.add_argument("--compute", required=True)``: one string, whether
    or not the option is given."""
    from .injob.values import STRING, argparse_option

    options = argparse_option(ctx)
    return (isinstance(node, ast.Attribute) and options.kind_of(ctx, node) == STRING
            and options.holds_one_value(ctx, node))


def _module_name(node: ast.AST, ctx: FixContext) -> bool:
    return isinstance(node, ast.Name) and node.id in ("os", "str", "int", "float", "round", "len")


def _plain(node: ast.expr, ctx: FixContext, depth: int) -> bool:
    """Evaluates to a str, int, float or bool whatever the variables it reads hold."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, int, float, bool))
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _plain(node.left, ctx, depth) and (isinstance(node.op, ast.Mod) or _plain(node.right, ctx, depth))
    if isinstance(node, ast.Name) and depth > 0:
        return _runtime_value(node, ctx, CommandLine()) is not None if depth > 1 else False
    if isinstance(node, ast.Call):
        func = ctx.locator.text(node.func)
        if func in _STR_FUNCTIONS:
            return True
        if isinstance(node.func, ast.Attribute) and node.func.attr in _STR_METHODS:
            return _plain(node.func.value, ctx, depth - 1)
    return False


def _flag_name(previous: str | None) -> str | None:
    if previous and previous.startswith("-") and previous.strip("-"):
        return identifier(previous.lstrip("-"))
    return None


def _data_token(item: ast.expr, previous: str | None, ctx: FixContext, line: CommandLine,
                pipeline: PipelineStep | None) -> str | None:
    """A dataset or an output in the arguments -> ``${{inputs.x}}`` / ``${{outputs.y}}``."""
    taken = Taken()
    used = data_inputs.consumed(item, ctx, taken)
    if used is not None:
        return "${{inputs.%s}}" % _add_input(used, previous, line, taken)
    made = data_outputs.produced(item, ctx, taken)
    if made is None:
        return None
    produced_here = pipeline is not None and made.origin in pipeline.output_origins
    if produced_here and made.read_as is None:
        data_outputs.as_produced_here(made, taken)
    line.absorb(taken)
    if made.read_as is not None or (made.read_with is not None and not produced_here):
        if pipeline is None:
            raise Refused("a step output read outside a pipeline: migrate it by hand")
        return "${{inputs.%s}}" % _upstream(made, line)
    if made.code == "AML005" and pipeline is not None and made.origin in pipeline.input_origins:
        return "${{inputs.%s}}" % _upstream(made, line)
    if made.code == "AML005" and (pipeline is None or made.origin not in pipeline.output_origins):
        raise Refused("a PipelineData in arguments that the step lists in neither inputs= nor outputs=")
    return "${{outputs.%s}}" % _add_output(made, previous, line)


def _add_input(used: data_inputs.Consumed, previous: str | None, line: CommandLine, taken: Taken) -> str:
    name = used.name or _flag_name(previous)
    if name is None:
        raise Refused("an unnamed dataset input with no preceding --flag to name it")
    entry = DatasetInput(data_inputs.input_kind(used, taken, _read_as_table(line.script, used.name)), used)
    key = identifier(name)
    if line.datasets.get(key, entry) != entry:
        raise Refused(f"two different inputs would both be named {key!r}")
    line.datasets[key] = entry
    line.v1_names[key] = name
    if used.name is not None and key not in line.named:
        line.named.append(key)
    line.absorb(taken)
    return key


def _upstream(made: data_outputs.Produced, line: CommandLine) -> str:
    name = made.read_as or made.name
    if name is None:
        raise Refused("a step reads an unnamed output")
    key = identifier(name)
    entry = UpstreamInput(made.origin, made.input_mode)
    if line.upstream.get(key, entry) != entry or key in line.datasets:
        raise Refused(f"two different inputs would both be named {key!r}")
    line.upstream[key] = entry
    line.v1_names[key] = name
    if made.code == "AML006" and key not in line.named:
        line.named.append(key)
    return key


def _add_output(made: data_outputs.Produced, previous: str | None, line: CommandLine) -> str:
    name = made.name or _flag_name(previous) or made.variable
    if name is None:
        raise Refused("an output without a literal name")
    key = identifier(name)
    text = made.declaration(key)
    if line.outputs.get(key, text) != text:
        raise Refused(f"two different outputs would both be named {key!r}")
    line.outputs[key] = text
    line.produces[made.origin] = key
    line.v1_names[key] = name
    if made.pipeline_name is not None:
        line.pipeline_outputs[made.pipeline_name] = key
    if made.name is not None and made.code == "AML006" and key not in line.named:
        line.named.append(key)
    return key


def list_items(node: ast.expr, ctx: FixContext, what: str) -> tuple[list[ast.expr], list[Edit]]:
    """The items of a literal list, or of ``x = [...]`` used only here (its statement goes).
    ``None``, v1's default, is no items."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts), []
    if is_none(node):
        return [], []
    if isinstance(node, ast.Name):
        binding = ctx.binding_of(node)
        statement = binding.node if binding is not None else None
        if (
            binding is not None and not binding.conditional and len(binding.uses) == 1
            and isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and (isinstance(statement.value, (ast.List, ast.Tuple)) or is_none(statement.value))
        ):
            items = [] if is_none(statement.value) else list(statement.value.elts)  # type: ignore[attr-defined]
            return items, ctx.delete_into(statement, node)
        raise Refused(f"{what}`{node.id}` is not a list literal used only here")
    raise Refused(f"{what} is not a literal list")


def argument_items(arguments: ast.expr, ctx: FixContext) -> tuple[list[ast.expr], list[Edit]]:
    """The items of ``arguments=[...]``, or of ``args = [...]`` used only there (then
    the variable's statement is deleted)."""
    return list_items(arguments, ctx, "arguments=")


def dict_source(entries: dict[str, str]) -> str:
    return "{" + ", ".join(f"{py_str(k)}: {v}" for k, v in entries.items()) + "}"
