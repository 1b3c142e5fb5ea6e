"""Every rule's fixture file, through the engine, flake8 (in-process and as a
subprocess) and ``azureml-v2 check``, which must all agree."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from flake8.main.application import Application

from flake8_azureml_v2.api import analyse
from flake8_azureml_v2.engine.source import SourceText
from flake8_azureml_v2.engine.suppression import unsuppressed
from flake8_azureml_v2.rules import all_rules

from .conftest import RULE_FIXTURES, expectations, lookalike_start, run

FIXTURES = sorted(RULE_FIXTURES.glob("aml*.py"))
_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>AML\d+) (?P<message>.*)$")


def _fixture_for(code: str) -> Path:
    matches = [p for p in FIXTURES if p.name.startswith(code.lower() + "_")]
    assert len(matches) == 1, f"{code} needs exactly one fixture file, found {matches}"
    return matches[0]


def _parse(output: str) -> dict[str, set[tuple[int, int, str, str]]]:
    found: dict[str, set[tuple[int, int, str, str]]] = {}
    for line in output.splitlines():
        match = _LINE.match(line)
        assert match, f"unexpected output line: {line!r}"
        name = Path(match["path"]).name
        found.setdefault(name, set()).add((int(match["line"]), int(match["col"]), match["code"], match["message"]))
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_engine_finds_exactly_the_marked_lines(path: Path) -> None:
    expected, suppressed = expectations(path)
    text = path.read_text(encoding="utf-8")
    findings = analyse(text, path=path).findings
    raw = {(f.line, f.code) for f in findings}
    assert raw == expected | suppressed
    kept = {(f.line, f.code) for f in unsuppressed(findings, SourceText(text))}
    assert kept == expected


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_has_hits_noqa_and_lookalikes(rule) -> None:
    path = _fixture_for(rule.code)
    expected, suppressed = expectations(path)
    own_hits = [line for line, code in expected if code == rule.code]
    assert len(own_hits) >= 3, f"{path.name}: at least three hits of {rule.code} (direct, alias, multi-line)"
    assert any(code == rule.code for _, code in suppressed), f"{path.name}: a '# noqa: {rule.code}' case"
    start = lookalike_start(path)
    assert start is not None, f"{path.name}: a look-alike section"
    below = [line for line, code in expected | suppressed if line > start]
    assert below == [], f"{path.name}: findings inside the look-alike section"
    lookalike_lines = len(path.read_text(encoding="utf-8").splitlines()) - start
    assert lookalike_lines >= 3, f"{path.name}: the look-alike section is empty"


def _expected_by_file() -> dict[str, set[tuple[int, str]]]:
    return {p.name: expectations(p)[0] for p in FIXTURES}


def test_flake8_subprocess_reports_the_marked_lines() -> None:
    result = run([sys.executable, "-m", "flake8", "--isolated", "--select", "AML", *map(str, FIXTURES)])
    assert result.returncode == 1, result.stderr
    found = _parse(result.stdout)
    actual = {name: {(line, code) for line, _, code, _ in rows} for name, rows in found.items()}
    wanted = {name: rows for name, rows in _expected_by_file().items() if rows}
    assert actual == wanted


def test_flake8_in_process_reports_the_marked_lines(tmp_path: Path) -> None:
    report = tmp_path / "flake8.txt"
    app = Application()
    app.run(["--isolated", "--select", "AML", f"--output-file={report}", *map(str, FIXTURES)])
    assert app.result_count > 0
    found = _parse(report.read_text(encoding="utf-8"))
    actual = {name: {(line, code) for line, _, code, _ in rows} for name, rows in found.items()}
    wanted = {name: rows for name, rows in _expected_by_file().items() if rows}
    assert actual == wanted


def test_check_and_flake8_give_identical_findings() -> None:
    paths = list(map(str, FIXTURES))
    flake8 = run([sys.executable, "-m", "flake8", "--isolated", "--select", "AML", *paths])
    check = run([sys.executable, "-m", "flake8_azureml_v2", "check", *paths])
    assert check.returncode == 1, check.stderr
    assert _parse(check.stdout) == _parse(flake8.stdout)
    assert sorted(check.stdout.splitlines()) == sorted(flake8.stdout.splitlines())


def test_a_dataset_factory_is_named_as_the_code_spells_it() -> None:
    """TabularDatasetFactory is the class ``Dataset.Tabular`` is: a finding on its call names what the line
    says, not the canonical path (a reader would look for a ``Dataset.Tabular`` that is not there); an
    alias of ``Dataset`` itself still reads as ``Dataset``."""
    path = _fixture_for("AML022")
    messages = {f.line: f.message for f in analyse(path.read_text(encoding="utf-8"), path=path).findings
                if f.code == "AML022"}
    assert messages[7].startswith("Dataset.Tabular.from_delimited_files() is Azure ML SDK v1; use Input(type=\"mltable\"")
    assert messages[16].startswith("TabularDatasetFactory.from_delimited_files() is Azure ML SDK v1; use Input(")
    assert messages[19].startswith("Files.from_files() is Azure ML SDK v1; use Input(type=\"uri_file\"")
    assert messages[22].startswith("TabularDatasetFactory.from_parquet_files() is Azure ML SDK v1")
    assert messages[8].startswith("Dataset.get_by_name() is Azure ML SDK v1")
