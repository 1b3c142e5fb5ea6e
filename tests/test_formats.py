"""Output formats: ``azureml-v2 check --output-format`` and the flake8 ``aml-*`` formatters."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from flake8_azureml_v2 import formats
from flake8_azureml_v2.rules import rule_by_code

from .conftest import TESTS, run

SCHEMA = json.loads((TESTS / "data" / "sarif-2.1.0-focused.schema.json").read_text(encoding="utf-8"))
JOB = (
    "from azureml.core import ScriptRunConfig\n"
    "\n"
    "label = 'é'; config = ScriptRunConfig(source_directory='src', script='train.py')\n"
)
# (code, line, flake8 column, character column)
EXPECTED = [("AML099", 1, 1, 1), ("AML002", 3, 24, 23)]


def _validate(document: dict) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "job.py").write_text(JOB, encoding="utf-8")
    (tmp_path / "clean.py").write_text("import os\n")
    return tmp_path


def _check(project: Path, fmt: str, *extra: str) -> str:
    result = run([sys.executable, "-m", "flake8_azureml_v2", "check", "--output-format", fmt, *extra, "src/job.py"],
                 cwd=project)
    assert result.returncode == 1, result.stderr
    return result.stdout


def _flake8(project: Path, fmt: str, *extra: str) -> str:
    result = run([sys.executable, "-m", "flake8", "--select", "AML", "--format", fmt, *extra, "src/job.py", "clean.py"],
                 cwd=project)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_text_matches_flake8(project: Path) -> None:
    ours = _check(project, "text")
    theirs = run([sys.executable, "-m", "flake8", "--select", "AML", "src/job.py"], cwd=project).stdout
    assert ours == theirs
    assert ours.splitlines()[1].startswith("src/job.py:3:24: AML002 ")


def _json_rows(text: str) -> list[tuple[str, int, int]]:
    return [(row["code"], row["location"]["row"], row["location"]["column"]) for row in json.loads(text)]


def test_json(project: Path) -> None:
    rows = json.loads(_check(project, "json"))
    assert [(r["code"], r["location"]["row"], r["location"]["column"]) for r in rows] == [
        (code, line, char) for code, line, _, char in EXPECTED]
    aml002 = rows[1]
    assert aml002["filename"] == "src/job.py"
    assert aml002["cell"] is None
    assert aml002["message"].startswith("ScriptRunConfig() is Azure ML SDK v1")
    assert aml002["url"] == rule_by_code("AML002").url
    # exclusive end, 1-based, in characters: one past the closing parenthesis
    assert aml002["end_location"] == {"row": 3, "column": len(JOB.splitlines()[2]) + 1}


def test_json_from_flake8_has_the_same_findings(project: Path) -> None:
    ours = _json_rows(_check(project, "json"))
    theirs = _json_rows(_flake8(project, "aml-json"))
    assert ours == theirs


def _sarif_results(document: dict) -> list[tuple[str, str, int, int]]:
    results = []
    for result in document["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        results.append((result["ruleId"], location["artifactLocation"]["uri"],
                        location["region"]["startLine"], location["region"]["startColumn"]))
    return results


def test_sarif_is_valid_and_carries_rule_metadata(project: Path) -> None:
    document = json.loads(_check(project, "sarif"))
    _validate(document)
    run_ = document["runs"][0]
    assert document["version"] == "2.1.0"
    assert run_["columnKind"] == "unicodeCodePoints"
    assert _sarif_results(document) == [(code, "src/job.py", line, char) for code, line, _, char in EXPECTED]
    rules = run_["tool"]["driver"]["rules"]
    for result in run_["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["helpUri"] == rule_by_code(rule["id"]).url
        assert rule["help"]["markdown"] and rule["shortDescription"]["text"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"


def test_sarif_from_flake8_is_valid_and_the_same(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "flake8.sarif"
    _flake8(project, "aml-sarif", "-j2", "--output-file", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    _validate(document)
    assert _sarif_results(document) == _sarif_results(json.loads(_check(project, "sarif")))


def test_the_schema_rejects_broken_sarif(project: Path) -> None:
    document = json.loads(_check(project, "sarif"))
    for breakage in (
        lambda d: d.pop("version"),
        lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
        lambda d: d["runs"][0]["results"][0].update(level="fatal"),
        lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].update(helpURI="x"),
    ):
        broken = copy.deepcopy(document)
        breakage(broken)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMA)


def test_github_annotations(project: Path) -> None:
    for output in (_check(project, "github"), _flake8(project, "aml-github")):
        lines = output.splitlines()
        assert len(lines) == 2
        assert lines[1].startswith("::warning file=src/job.py,line=3,col=23,")
        assert "title=AML002::AML002 ScriptRunConfig() is Azure ML SDK v1" in lines[1]


def test_github_escapes_data() -> None:
    line = formats.github_line(formats.Item("a,b:c.py", 1, 1, "AML001", "50% done\nnext"))
    assert line == "::warning file=a%2Cb%3Ac.py,line=1,col=1,title=AML001::AML001 50%25 done%0Anext"


def test_azure_logging_commands(project: Path) -> None:
    for output in (_check(project, "azure"), _flake8(project, "aml-azure")):
        lines = output.splitlines()
        assert len(lines) == 2
        assert lines[1].startswith(
            "##vso[task.logissue type=warning;sourcepath=src/job.py;linenumber=3;columnnumber=23;code=AML002]"
            "AML002 ScriptRunConfig()")


def test_junit(project: Path) -> None:
    for output in (_check(project, "junit"), _flake8(project, "aml-junit")):
        root = ElementTree.fromstring(output.split("\n", 1)[1])
        assert root.tag == "testsuites" and root.get("failures") == "2"
        suite = root.find("testsuite")
        assert suite is not None and suite.get("name") == "src/job.py"
        failures = [case.find("failure") for case in suite.iter("testcase")]
        assert [f.get("type") for f in failures] == ["AML099", "AML002"]
        assert failures[1].text.startswith("src/job.py:3:24: AML002")


def test_junit_without_findings(project: Path) -> None:
    root = ElementTree.fromstring(formats.render("junit", []).split("\n", 1)[1])
    assert root.get("failures") == "0" and len(list(root.iter("testcase"))) == 1


def test_output_file(project: Path) -> None:
    assert _check(project, "json", "--output-file", "out/report.json") == ""
    assert _json_rows((project / "out" / "report.json").read_text(encoding="utf-8"))[1][0] == "AML002"


def test_notebook_cells_are_carried() -> None:
    entry = formats.Item("nb.ipynb", 2, 5, "AML002", "ScriptRunConfig() ...", cell=3)
    assert json.loads(formats.render("json", [entry]))[0]["cell"] == 3
    document = json.loads(formats.render("sarif", [entry]))
    _validate(document)
    assert document["runs"][0]["results"][0]["properties"] == {"cell": 3}
    assert formats.render("text", [entry]) == "nb.ipynb:cell 3:2:5: AML002 ScriptRunConfig() ...\n"
    assert "::AML002 " not in formats.github_line(entry) and "cell 3: AML002" in formats.github_line(entry)
