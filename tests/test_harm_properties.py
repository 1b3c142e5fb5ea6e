"""Property tests (issue 10): whatever shape a v1 program takes, `fix` never harms it.

A handful of small v1 programs (a script run submitted to an experiment, a
pipeline of PythonScriptSteps, a training script that logs with Run, a file of
imports, a data script) are varied the ways real code varies: the same names
imported again later, ``try/except ImportError`` fallbacks, statements wrapped in
``if`` branches or in a function, aliases (``import azureml.core as aml``,
``from ... import X as Y``), independent statements reordered, comments between
arguments and between statements, CR / CRLF / LF line endings, with or without a
final newline.

For the safe and the unsafe fixes (``fix_text``), on every variant:

- ``fix_text`` returns, or raises its documented ``FixError``/``SourceError``;
- the output parses;
- pyflakes finds no undefined name, unbound local or redefinition the input did not have;
- every comment is kept;
- a second fix changes nothing;
- line endings (and the final newline or its absence) are those of the input;
- lines no fix has a reason to touch (comment lines between statements, statements unrelated
  to v1) come out byte for byte.

The runs are deterministic (``derandomize``, no example database) and bounded.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from flake8_azureml_v2.engine import SourceError
from flake8_azureml_v2.api import fix_text
from flake8_azureml_v2.engine.fixing import FixError, FixOutcome

from .support.harm import line_endings, lost_comments, new_problems, parses

# --- the programs -----------------------------------------------------------------------------
# Each is a list of top-level statements (a statement may span lines); strings hold no names,
# newlines, commas or brackets, so the variations below can work on the text.

PROGRAMS: dict[str, tuple[str, ...]] = {
    "script_run": (
        "from azureml.core import Workspace, Experiment, Environment, ScriptRunConfig",
        "ws = Workspace.from_config()",
        "env = Environment.from_conda_specification('train-env', 'env.yml')",
        "config = ScriptRunConfig(source_directory='src', script='train.py', arguments=['--epochs', 10],"
        " compute_target='cpu-cluster', environment=env)",
        "experiment = Experiment(ws, 'day1')",
        "run = experiment.submit(config)",
        "print(run.get_portal_url())",
        "print('submitted')",
    ),
    "pipeline": (
        "from azureml.core import Workspace, Experiment, Environment",
        "from azureml.core.runconfig import RunConfiguration",
        "from azureml.data import OutputFileDatasetConfig",
        "from azureml.pipeline.core import Pipeline",
        "from azureml.pipeline.steps import PythonScriptStep",
        "ws = Workspace.from_config()",
        "env = Environment.from_conda_specification(name='pipeline-env', file_path='env.yml')",
        "run_config = RunConfiguration()",
        "run_config.environment = env",
        "prepared = OutputFileDatasetConfig('prepared')",
        "prep = PythonScriptStep(name='prep', script_name='prep.py', source_directory='src',"
        " arguments=['--out', prepared], compute_target='cpu-cluster', runconfig=run_config)",
        "train = PythonScriptStep(name='train', script_name='train.py', source_directory='src',"
        " arguments=['--data', prepared.as_input('data')], compute_target='cpu-cluster', runconfig=run_config)",
        "pipeline = Pipeline(workspace=ws, steps=[prep, train])",
        "run = Experiment(ws, 'pipelines').submit(pipeline)",
        "print('pipeline submitted')",
    ),
    "training": (
        "import argparse",
        "from azureml.core import Run",
        "parser = argparse.ArgumentParser()",
        "parser.add_argument('--rate', type=float, default=0.01)",
        "args = parser.parse_args()",
        "run = Run.get_context()",
        "accuracy = 0.9",
        "run.log('accuracy', accuracy)",
        "run.log('rate', args.rate)",
        "run.log_list('losses', [0.5, 0.3])",
        "run.complete()",
    ),
    "imports": (
        "import os",
        "from azureml.core import Workspace, Dataset, Datastore",
        "from azureml.core.model import Model",
        "import azureml.core",
        "folder = os.getcwd()",
        "print(folder)",
    ),
    "data": (
        "from azureml.core import Workspace, Dataset",
        "ws = Workspace.from_config()",
        "table = Dataset.get_by_name(ws, 'sales')",
        "frame = table.to_pandas_dataframe()",
        "print(frame.shape)",
    ),
}

# Statements no fix has a reason to touch: they must come out byte for byte, line ending included.
NEUTRAL = {"print('submitted')", "print('pipeline submitted')", "parser = argparse.ArgumentParser()",
           "accuracy = 0.9", "folder = os.getcwd()", "print(folder)", "print(frame.shape)", "SUBMIT = True",
           "main()"}

Statements = list[str]
V1_IMPORT = re.compile(r"^(from azureml[\w.]* import .+|import azureml[\w.]*)$")


def _indent(statement: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in statement.split("\n"))


def _block(statements: Statements) -> str:
    """The statements as an indented block (``pass`` after a block of comments only)."""
    body = [_indent(s) for s in statements]
    if all(s.startswith("#") for s in statements):
        body.append("    pass")
    return "\n".join(body)


def _names(statement: str) -> tuple[set[str], set[str]]:
    """(bound, used) names of a statement."""
    bound: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(ast.parse(statement)):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else used).add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
    return bound, used


def _independent(first: str, second: str) -> bool:
    bound1, used1 = _names(first)
    bound2, used2 = _names(second)
    return not (bound1 & (bound2 | used2)) and not (bound2 & (bound1 | used1))


# --- the variations ---------------------------------------------------------------------------


def alias_imports(statements: Statements, style: str) -> Statements:
    """``from azureml.core import A, B`` as ``import azureml.core as aml`` or ``A as A_v1``; uses follow."""
    found = [(i, m) for i, s in enumerate(statements) if (m := re.fullmatch(r"from (azureml\.core) import (.+)", s))]
    if not found:
        return statements
    index, match = found[0]
    names = [name.strip() for name in match[2].split(",")]
    if style == "module":
        new_import, rename = f"import {match[1]} as aml", {name: f"aml.{name}" for name in names}
    else:
        new_import = f"from {match[1]} import " + ", ".join(f"{name} as {name}_v1" for name in names)
        rename = {name: f"{name}_v1" for name in names}
    pattern = re.compile(r"(?<![\w.'])(" + "|".join(map(re.escape, names)) + r")\b")
    result = [pattern.sub(lambda m: rename[m[1]], s) if i != index else new_import for i, s in enumerate(statements)]
    return result


def comment_between_arguments(statements: Statements, index: int) -> Statements:
    """Break statement ``index`` after its first argument comma, with a comment there."""
    statement = statements[index]
    depth = 0
    for position, char in enumerate(statement):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth > 0 and "\n" not in statement[:position]:
            broken = statement[:position + 1] + f"  # argument note {index}\n    " + statement[position + 1:].lstrip()
            return statements[:index] + [broken] + statements[index + 1:]
    return statements


def comment_line(statements: Statements, index: int) -> Statements:
    return statements[:index] + [f"# step {index}: keep me"] + statements[index:]


def swap_independent(statements: Statements, index: int) -> Statements:
    if index + 1 >= len(statements):
        return statements
    first, second = statements[index], statements[index + 1]
    if first.startswith("#") or second.startswith("#") or not _independent(first, second):
        return statements
    return statements[:index] + [second, first] + statements[index + 2:]


def reimport_later(statements: Statements, index: int, position: int) -> Statements:
    """Import the names of the ``index``-th v1 import again, later in the file."""
    imports = [i for i, s in enumerate(statements) if V1_IMPORT.match(s)]
    if not imports:
        return statements
    source = imports[index % len(imports)]
    at = source + 1 + position % (len(statements) - source)
    return statements[:at] + [statements[source]] + statements[at:]


def import_fallback(statements: Statements, index: int) -> Statements:
    """``try: <import> except ImportError: <the same import>``, as code written for two SDK layouts does."""
    imports = [i for i, s in enumerate(statements) if V1_IMPORT.match(s)]
    if not imports:
        return statements
    at = imports[index % len(imports)]
    wrapped = f"try:\n{_indent(statements[at])}\nexcept ImportError:\n{_indent(statements[at])}"
    return statements[:at] + [wrapped] + statements[at + 1:]


def wrap_in_if(statements: Statements, start: int, length: int) -> Statements:
    """Statements ``start .. start+length`` under ``if SUBMIT:`` (the flag set at the top)."""
    start %= len(statements)
    end = min(len(statements), start + max(1, length))
    return ["SUBMIT = True"] + statements[:start] + [f"if SUBMIT:\n{_block(statements[start:end])}"] + statements[end:]


def wrap_in_function(statements: Statements, start: int) -> Statements:
    """The statements from ``start`` on, as the body of ``main()``, which is then called."""
    start %= len(statements)
    return statements[:start] + [f"def main():\n{_block(statements[start:])}", "main()"]


Variation = Callable[[Statements], Statements]


@st.composite
def variations(draw: st.DrawFn) -> list[tuple[str, Variation]]:
    """A short, ordered list of variations (named, for the failure report)."""
    small = st.integers(min_value=0, max_value=12)
    chosen: list[tuple[str, Variation]] = []
    if draw(st.booleans()):
        style = draw(st.sampled_from(["module", "as"]))
        chosen.append((f"alias:{style}", lambda s: alias_imports(s, style)))
    for _ in range(draw(st.integers(0, 2))):
        kind, at = draw(st.sampled_from(["argument", "line"])), draw(small)
        chosen.append((f"comment:{kind}@{at}", (lambda s, a=at: comment_between_arguments(s, a % len(s)))
                       if kind == "argument" else (lambda s, a=at: comment_line(s, a % (len(s) + 1)))))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(small)
        chosen.append((f"swap@{at}", lambda s, a=at: swap_independent(s, a % len(s))))
    if draw(st.booleans()):
        which, where = draw(small), draw(small)
        chosen.append((f"reimport:{which}@{where}", lambda s: reimport_later(s, which, where)))
    if draw(st.booleans()):
        which = draw(small)
        chosen.append((f"try-except:{which}", lambda s: import_fallback(s, which)))
    wrap = draw(st.sampled_from(["none", "if", "function"]))
    if wrap == "if":
        start, length = draw(small), draw(st.integers(1, 4))
        chosen.append((f"if:{start}+{length}", lambda s: wrap_in_if(s, start, length)))
    elif wrap == "function":
        start = draw(small)
        chosen.append((f"function:{start}", lambda s: wrap_in_function(s, start)))
    return chosen


@st.composite
def programs(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(PROGRAMS)))
    statements = list(PROGRAMS[name])
    steps = draw(variations())
    for _, step in steps:
        statements = step(statements)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    final = draw(st.booleans())
    note(f"program {name}, variations {[label for label, _ in steps]}, ending {ending!r}, final newline {final}")
    text = "\n".join(statements) + ("\n" if final else "")
    assert parses(text), text  # the variations keep the program valid
    return text.replace("\n", ending)


# --- the properties ---------------------------------------------------------------------------

MODES = pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
BOUNDED = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow])


def fix_property(test: Callable[[str, bool], None]) -> Callable[..., None]:
    """``test(text, unsafe)`` as a property of every generated program, for safe and unsafe fixes."""
    return MODES(BOUNDED(given(text=programs())(test)))


def _fix(text: str, unsafe: bool) -> FixOutcome | None:
    """The outcome, or None when the fixer gave none.  A crash is not this property's
    business (test_fix_returns_or_raises_a_documented_error has it); the other
    properties look at every output there is."""
    try:
        outcome = fix_text(text, unsafe=unsafe)
    except Exception as exc:  # noqa: BLE001 - see above
        note(f"no output: {type(exc).__name__}: {exc}")
        return None
    note(f"fixed:\n{outcome.text}")
    return outcome


@fix_property
def test_fix_returns_or_raises_a_documented_error(text: str, unsafe: bool) -> None:
    try:
        fix_text(text, unsafe=unsafe)
    except (FixError, SourceError):
        pass


@fix_property
def test_the_output_parses(text: str, unsafe: bool) -> None:
    outcome = _fix(text, unsafe)
    assert outcome is None or parses(outcome.text)


@fix_property
def test_no_new_undefined_name_unbound_local_or_redefinition(text: str, unsafe: bool) -> None:
    outcome = _fix(text, unsafe)
    if outcome is not None and parses(outcome.text):
        assert not new_problems(text, outcome.text)


@fix_property
def test_every_comment_is_kept(text: str, unsafe: bool) -> None:
    outcome = _fix(text, unsafe)
    if outcome is not None:
        assert not lost_comments(text, outcome.text)


@fix_property
def test_a_second_fix_changes_nothing(text: str, unsafe: bool) -> None:
    outcome = _fix(text, unsafe)
    if outcome is not None:
        again = _fix(outcome.text, unsafe)
        assert again is not None and again.text == outcome.text


@fix_property
def test_line_endings_and_the_final_newline_are_kept(text: str, unsafe: bool) -> None:
    outcome = _fix(text, unsafe)
    if outcome is None or not outcome.text:
        return
    styles_in = {style for style, count in line_endings(text).items() if count}
    styles_out = {style for style, count in line_endings(outcome.text).items() if count}
    assert styles_out <= styles_in
    if outcome.text.splitlines()[-1] == text.splitlines()[-1]:  # the last line is not rewritten
        assert outcome.text.endswith(("\n", "\r")) == text.endswith(("\n", "\r"))


def _untouchable(text: str) -> Counter[str]:
    """The lines (with their line ending) of ``text`` that no fix has a reason to change: the
    neutral statements and the comment lines between statements.  (A comment inside a call
    that a fix rewrites must be kept, not kept in place: test_every_comment_is_kept.)"""
    lines = text.splitlines(keepends=True)
    return Counter(line for line in lines if line.strip() in NEUTRAL or line.lstrip().startswith("# step "))


@fix_property
def test_lines_outside_the_rewrites_are_kept_byte_for_byte(text: str, unsafe: bool) -> None:
    outcome = _fix(text, unsafe)
    if outcome is not None:
        assert not _untouchable(text) - _untouchable(outcome.text)
