"""ruff users: the generated banned-api block agrees with the engine, and fixed code stays F-clean."""

from __future__ import annotations

import ast
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from flake8_azureml_v2.api import analyse
from flake8_azureml_v2.api import fix_text
from flake8_azureml_v2.v1api import V2_ERA_PACKAGES, is_v1
from flake8_azureml_v2.ruff_config import V1_PACKAGES, banned_api

from .conftest import RULE_FIXTURES, TESTS, run

ROOT = Path(__file__).parent.parent
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
IMPORT_CODES = ("AML099", "AML010")
FIX_CASES = sorted(p for p in (TESTS / "fixtures" / "fix").iterdir() if p.is_dir())
EXAMPLE = ROOT / "examples" / "v1_script_run" / "submit.py"


def _ruff(*args: str, input: str | None = None) -> list[dict]:
    assert RUFF, "ruff is a test dependency"
    result = run([RUFF, "check", "--no-cache", "--output-format", "json", *args], input=input)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ruff_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    printed = run([sys.executable, "-m", "flake8_azureml_v2", "ruff-config"])
    assert printed.returncode == 0, printed.stderr
    folder = tmp_path_factory.mktemp("ruff")
    config = folder / "pyproject.toml"
    config.write_text('[tool.ruff.lint]\nexternal = ["AML"]\n\n' + printed.stdout, encoding="utf-8")
    return config


def test_the_block_is_valid_toml_naming_v2_equivalents() -> None:
    for pyproject in (True, False):
        table = tomllib.loads(banned_api(pyproject))
        lint = table["tool"]["ruff"]["lint"] if pyproject else table["lint"]
        banned = lint["flake8-tidy-imports"]["banned-api"]
        assert set(banned) == set(V1_PACKAGES)
        assert all(" is Azure ML SDK v1; use " in entry["msg"] for entry in banned.values())


def test_only_v1_packages_are_banned() -> None:
    for module in V1_PACKAGES:
        assert is_v1(module) and is_v1(module + ".sub")
        assert not any(module == pkg or module.startswith(pkg + ".") or pkg.startswith(module + ".")
                       for pkg in V2_ERA_PACKAGES)


def _import_lines(text: str) -> set[int]:
    return {node.lineno for node in ast.walk(ast.parse(text)) if isinstance(node, (ast.Import, ast.ImportFrom))}


def test_ruff_flags_the_same_import_lines_as_the_engine(ruff_config: Path) -> None:
    fixtures = sorted(RULE_FIXTURES.glob("aml*.py"))
    hits = _ruff("--config", str(ruff_config), "--select", "TID251", "--ignore-noqa", *map(str, fixtures))
    by_file: dict[str, set[int]] = {}
    for hit in hits:
        by_file.setdefault(Path(hit["filename"]).name, set()).add(hit["location"]["row"])
    compared = 0
    for fixture in fixtures:
        text = fixture.read_text(encoding="utf-8")
        ours = {f.line for f in analyse(text, path=fixture).findings if f.code in IMPORT_CODES}
        theirs = by_file.get(fixture.name, set()) & _import_lines(text)
        assert theirs == ours, f"{fixture.name}: ruff {sorted(theirs)} vs azureml-v2 {sorted(ours)}"
        compared += len(ours)
    assert compared > 50  # the comparison covered real import lines


def _f_findings(text: str, name: str) -> Counter[tuple[str, str]]:
    hits = _ruff("--isolated", "--select", "F", "--stdin-filename", name, "-", input=text)
    return Counter((hit["code"], hit["message"]) for hit in hits)


SOURCES = [
    pytest.param(case / "before.py", id=case.name)
    for case in FIX_CASES
] + [pytest.param(EXAMPLE, id="example")]


@pytest.mark.parametrize("source", SOURCES)
def test_fixed_code_has_no_new_pyflakes_findings(source: Path) -> None:
    before = source.read_text(encoding="utf-8")
    after = fix_text(before, path=source, unsafe=True).text
    new = _f_findings(after, source.name) - _f_findings(before, source.name)
    assert not new, f"the fix introduced {sorted(new)}"
    expected = source.with_name("after.py")
    if expected.exists():
        assert not _f_findings(expected.read_text(encoding="utf-8"), "after.py") - _f_findings(before, "before.py")


def test_the_tools_own_code_is_pyflakes_clean() -> None:
    """The package, its benchmarks and its tests (their v1 fixtures aside) have no pyflakes
    finding: a closure over a name the function deletes is one (F821) even where it runs first."""
    found = _ruff("--isolated", "--select", "F,E9", "--exclude", "tests/fixtures",
                  str(ROOT / "flake8_azureml_v2"), str(ROOT / "benchmarks"), str(ROOT / "tests"))
    assert found == [], [(f["filename"], f["location"]["row"], f["code"], f["message"]) for f in found]
