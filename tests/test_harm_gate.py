"""benchmarks/harm_gate.py: the corpus gate finds each kind of harm, and passes a fixer that does none.

The fixer here is a stand-in script, so these tests say what the gate measures
whatever the real fixer does today; the gate on the real corpus runs from .ci/run.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
RUFF = Path(sys.executable).parent / "ruff"

_spec = importlib.util.spec_from_file_location("harm_gate", ROOT / "benchmarks" / "harm_gate.py")
assert _spec is not None and _spec.loader is not None
gate = importlib.util.module_from_spec(_spec)
sys.modules["harm_gate"] = gate
_spec.loader.exec_module(gate)


def _notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                  "source": cell.splitlines(keepends=True)} for cell in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


CORPUS = {
    "good.py": "x = 1\n",
    "pkg/parse.py": "x = 1\n",
    "comment.py": "# keep me\nx = 1\n",
    "undefined.py": "import os\nprint(os.sep)\n",
    "again.py": "y = 2\n",
    "nb.ipynb": _notebook("import os\n%time print(os.sep)\n", "%%writefile env.yml\nname: x\n"),
    "v2.py": "import mlflow\n\nmlflow.log_metric('loss')\n",  # wrong before the fix
}

# A stand-in for `azureml-v2 fix`: each line of HARMS does one kind of harm.
HARMFUL_FIXER = """\
    import pathlib, sys
    if "--unsafe-fixes" in sys.argv:
        pathlib.Path("pkg/parse.py").write_text("x = (\\n")
        pathlib.Path("comment.py").write_text("x = 1\\n")
        pathlib.Path("undefined.py").write_text("print(os.sep)\\n")
        with open("again.py", "a") as f:
            f.write("y = 3\\n")
        pathlib.Path("v2.py").write_text("import mlflow\\n\\nmlflow.log_metric('loss')\\nmlflow.set_tag('a', 'b', step=1)\\n")
        print("nb.ipynb:cell 2: error: skipped, not Python even with magics masked: syntax error")
        print("Traceback (most recent call last):", file=sys.stderr)
        print("  File 'x.py', line 1", file=sys.stderr)
        print("ValueError: boom", file=sys.stderr)
"""


def _bin(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    fixer = folder / "azureml-v2"
    fixer.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body))
    fixer.chmod(0o755)
    (folder / "ruff").symlink_to(RUFF)
    python = folder / "python"  # runs the v2 call check (a symlink would lose the venv)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for rel, text in CORPUS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
        (root / rel).chmod(0o444)  # like ../shared/corpus: the gate must copy it writable
    return root


def test_the_gate_passes_a_fixer_that_does_no_harm(tmp_path: Path, corpus: Path, capsys) -> None:
    fixer_bin = _bin(tmp_path, "pass\n")
    assert gate.main(["--corpus", str(corpus), "--bin", str(fixer_bin), "--mode", "both"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("harm_gate ok: 7 files; safe: changed 0 files")
    assert ("tracebacks 0, parse_fail 0, new_ruff 0, comments_lost 0, not_idempotent 0, nonpy_writefile 0, "
            "unbound_v2_call 0") in last


def test_the_gate_finds_every_kind_of_harm(tmp_path: Path, corpus: Path, capsys) -> None:
    fixer_bin = _bin(tmp_path, HARMFUL_FIXER)
    report = tmp_path / "gate.json"
    code = gate.main(["--corpus", str(corpus), "--bin", str(fixer_bin), "--mode", "both", "--json", str(report)])
    assert code == 1
    out = capsys.readouterr().out
    safe, unsafe = json.loads(report.read_text())
    assert not any(safe["harms"].values())
    harms = unsafe["harms"]
    assert harms["parse_fail"] == ["pkg/parse.py: no longer parses"]
    assert harms["comments_lost"] == ["comment.py: 1 comment lost, e.g. '# keep me'"]
    assert harms["new_ruff"] == ["undefined.py: F821 +1"]
    assert harms["not_idempotent"] == ["again.py"]
    assert harms["nonpy_writefile"] == [
        "nb.ipynb:cell 2: %%writefile env.yml: skipped, not Python even with magics masked: syntax error"]
    assert [text.split(" (after: ")[0] for text in harms["tracebacks"]] == ["ValueError: boom"] * 2  # both runs
    # the call that was wrong before is not the fix's doing; the one it added is
    assert harms["unbound_v2_call"] == ["v2.py: mlflow.set_tag: got an unexpected keyword argument 'step'"]
    assert sorted(unsafe["changed"]) == ["again.py", "comment.py", "pkg/parse.py", "undefined.py", "v2.py"]
    assert "unsafe parse_fail       pkg/parse.py: no longer parses" in out
    assert out.splitlines()[-1].endswith(
        "tracebacks 2, parse_fail 1, new_ruff 1 (+1 findings), comments_lost 1, not_idempotent 1, nonpy_writefile 1, "
        "unbound_v2_call 1")
    assert {rel: (corpus / rel).read_text() for rel in CORPUS} == CORPUS  # the gate worked on copies


def test_notebook_units_mask_magics_and_keep_python_writefile_cells() -> None:
    cells = _notebook("%matplotlib inline\nx = !ls\nos.path?\nif x:\n    !echo\n", "%%time\nx = (", "%%writefile a.py\ny = 1\n",
                      "%%writefile -a notes.txt\nhello there\n")
    units = gate.python_units("n.ipynb", cells.encode())
    assert units == ["pass\npass\npass\nif x:\n    pass\n", None, "y = 1\n", None]
    assert all(gate.parses(u) for u in units if u is not None)


def test_a_cell_that_did_not_parse_before_is_not_a_new_parse_failure() -> None:
    assert gate.parse_harm("n.ipynb", ["x = (", "y = 1"], ["x = ((", "y = 1"]) is None
    assert gate.parse_harm("n.ipynb", ["x = (", "y = 1"], ["x = (", "y = ("]) == "n.ipynb: cell 2 no longer parses"


def test_comments_are_a_multiset_over_the_whole_notebook() -> None:
    moved = gate.comment_harm("n.ipynb", ["# a\nx = 1\n", "y = 2\n"], ["x = 1\n", "# a\ny = 2\n"])
    assert moved is None  # a fix may move a statement (and its comment) to another cell
    lost = gate.comment_harm("f.py", [b"# a\n# a\nx = 1\n"], [b"# a\nx = 1\n"])
    assert lost == "f.py: 1 comment lost, e.g. '# a'"
