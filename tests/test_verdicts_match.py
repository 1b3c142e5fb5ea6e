"""benchmarks/verdicts_match.py: check's per-finding fix applicability is what fix then does.

Run on a small project with the three shapes where they once disagreed: an import that fix
only partly removes, a registration fix migrates after its v1 reader, and a ComputeInstance
that the compute fix rewrites under its sibling code."""

from __future__ import annotations

import sys
from pathlib import Path

from .conftest import run
from .test_check_fixability import READER, REGISTERS
from .test_fix_compute import GET_OR_CREATE_INSTANCE, HEADER

ROOT = Path(__file__).parent.parent


def test_every_verdict_matches_what_fix_does(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "src").mkdir(parents=True)
    (corpus / "reader.py").write_text(READER)
    (corpus / "register.py").write_text(REGISTERS)
    (corpus / "env.yml").write_text("dependencies:\n  - python=3.10\n")
    (corpus / "src" / "train.py").write_text("print('training')\n")
    (corpus / "partly.py").write_text("from azureml.core import Datastore, Workspace\n\nws = Workspace.get('w')\n")
    (corpus / "instance.py").write_text(HEADER + GET_OR_CREATE_INSTANCE.format(noqa=""))
    result = run([sys.executable, str(ROOT / "benchmarks" / "verdicts_match.py"), "--corpus", str(corpus),
                  "--bin", str(Path(sys.executable).parent)])
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:] == ["promised: 0 {}", "missed: 0 {}"], result.stdout
    total = int(lines[0].split()[0])
    assert total >= 20 and " 0 unsafe" not in lines[0]


def test_a_disagreement_is_listed_and_fails(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import verdicts_match
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    findings = [{"filename": "a.py", "location": {"row": 1, "column": 1}, "code": "AML099", "fix": {"applicability": "safe"}},
                {"filename": "b.ipynb", "cell": 2, "location": {"row": 3, "column": 5}, "code": "AML020",
                 "fix": {"applicability": "none"}}]
    found = verdicts_match.outcomes("a.py:1:1: AML099 fixed: removed\na.py:1:1: AML099 left: still used\n"
                                    "b.ipynb:cell 2:3:5: AML020 fixed: Workspace -> MLClient\n")
    promised, missed = verdicts_match.compare(findings, found["fixed"], found["left"])
    assert promised == [("a.py", 0, 1, 1, "AML099")] and missed == [("b.ipynb", 2, 3, 5, "AML020")]
