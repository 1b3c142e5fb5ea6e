"""The rules/ + sgconfig.yml pair: current, and usable with the real ast-grep CLI."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from flake8_azureml_v2 import sgrules
from flake8_azureml_v2.api import analyse
from flake8_azureml_v2.rules import all_rules

from .conftest import RULE_FIXTURES, run

ROOT = Path(__file__).parent.parent
AST_GREP = shutil.which("ast-grep", path=str(Path(sys.executable).parent)) or shutil.which("ast-grep")


def test_rule_files_are_generated_from_the_rules() -> None:
    files = {p.name for p in (ROOT / "rules").glob("*.yml")}
    assert files == {sgrules.file_name(r) for r in all_rules()}
    for rule in all_rules():
        assert (ROOT / "rules" / sgrules.file_name(rule)).read_text(encoding="utf-8") == sgrules.render(rule)


@pytest.fixture(scope="module")
def scan() -> dict[str, set[tuple[str, int]]]:
    assert AST_GREP, "ast-grep (ast-grep-cli) is a test dependency"
    result = run([AST_GREP, "scan", "--json=compact", "tests/fixtures/rules"], cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    found: dict[str, set[tuple[str, int]]] = {}
    for match in json.loads(result.stdout):
        found.setdefault(Path(match["file"]).name, set()).add((match["ruleId"], match["range"]["start"]["line"] + 1))
    return found


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_ast_grep_finds_the_direct_uses(rule, scan) -> None:
    fixture = next(RULE_FIXTURES.glob(f"{rule.code.lower()}_*.py"))
    ours = {(f.code, f.line) for f in analyse(fixture.read_text(encoding="utf-8"), path=fixture).findings}
    theirs = scan.get(fixture.name, set())
    shared = {hit for hit in ours & theirs if hit[0] == rule.code}
    assert shared, f"ast-grep found no {rule.code} where azureml-v2 does"


def test_the_fix_template_applies_with_the_cli(tmp_path: Path) -> None:
    shutil.copy(ROOT / "sgconfig.yml", tmp_path)
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    job = tmp_path / "job.py"
    job.write_text("from azureml.core import Run\nrun = Run.get_context()\nprint(run.get_portal_url())\n")
    result = run([AST_GREP, "scan", "--filter", "AML042", "--update-all", "job.py"], cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert job.read_text().endswith("print(run.studio_url)\n")
