"""Reports survive anything (issue 10, "Reports"): odd file names, bad baselines, a closed stdout.

File names are made with bytes (``os.fsencode``-style) so that a name that is not
UTF-8 reaches the tool as a surrogate-escaped ``str``, as it does on Linux.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from flake8_azureml_v2 import formats

from .conftest import TESTS, run

SCHEMA = json.loads((TESTS / "data" / "sarif-2.1.0-focused.schema.json").read_text(encoding="utf-8"))
V1 = b"from azureml.core import Workspace\nws = Workspace.from_config()\n"
ODD_NAMES = (b"ctl\x1b[31m.py", b"caf\xe9.py", b"new\nline.py", b"tab\tand\x7fdel.py", b"c1\xc2\x9b.py")
AZ = [sys.executable, "-m", "flake8_azureml_v2"]


def _unprintable(text: str, allowed: str = "\n") -> list[str]:
    """Characters a terminal or an XML parser would trip on."""
    return [c for c in text if (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF)
            and c not in allowed]


@pytest.fixture
def odd_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / ".git").mkdir()  # the project root is here
    for name in ODD_NAMES:
        with open(os.path.join(os.fsencode(root), name), "wb") as stream:
            stream.write(V1)
    return root


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run([*AZ, "check", *args, "."], cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    return result


# --- every format, every name -------------------------------------------------------------


@pytest.mark.parametrize("name", ["text", "github", "azure"])
def test_line_formats_print_one_line_per_finding_and_no_control_characters(odd_tree: Path, name: str) -> None:
    result = _check(odd_tree, "--output-format", name)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 * len(ODD_NAMES)
    assert not _unprintable(result.stdout)
    newline = "new\\nline.py" if name == "text" else "new%0Aline.py"  # workflow commands escape their own way
    for escaped in ("caf\\xe9.py", "ctl\\x1b[31m.py", newline, "tab\\tand\\x7fdel.py", "c1\\u009b.py"):
        assert sum(escaped in line for line in lines) == 2


def test_json_names_every_file_and_parses(odd_tree: Path) -> None:
    result = _check(odd_tree, "--output-format", "json")
    rows = json.loads(result.stdout)
    assert {row["filename"] for row in rows} == {
        "caf\\xe9.py", "ctl\x1b[31m.py", "new\nline.py", "tab\tand\x7fdel.py", "c1\x9b.py"}
    assert not _unprintable(result.stdout)  # JSON escapes the control characters it keeps


def test_sarif_is_valid_and_its_uris_name_the_exact_bytes(odd_tree: Path) -> None:
    result = _check(odd_tree, "--output-format", "sarif")
    document = json.loads(result.stdout)
    jsonschema.Draft7Validator(SCHEMA).validate(document)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert uris == {"ctl%1B%5B31m.py", "caf%E9.py", "new%0Aline.py", "tab%09and%7Fdel.py", "c1%C2%9B.py"}


def test_junit_is_well_formed_xml(odd_tree: Path) -> None:
    result = _check(odd_tree, "--output-format", "junit")
    root = ElementTree.fromstring(result.stdout.encode("utf-8"))
    assert root.get("failures") == str(2 * len(ODD_NAMES))
    assert {suite.get("name") for suite in root} == {
        "caf\\xe9.py", "ctl\\x1b[31m.py", "new\\nline.py", "tab\\tand\\x7fdel.py", "c1\\u009b.py"}


@pytest.mark.parametrize("name", formats.FORMATS)
def test_output_file_holds_the_whole_report(odd_tree: Path, tmp_path: Path, name: str) -> None:
    report = tmp_path / "out" / f"report.{name}"
    result = _check(odd_tree, "--output-format", name, "--output-file", str(report))
    assert result.returncode == 1 and result.stdout == ""
    assert report.read_text(encoding="utf-8") == _check(odd_tree, "--output-format", name).stdout
    assert [p.name for p in report.parent.iterdir()] == [report.name]  # no temporary file left


def test_a_baseline_written_for_odd_names_accepts_them_all(odd_tree: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert _check(odd_tree, "--write-baseline", str(baseline)).returncode == 0
    json.loads(baseline.read_text(encoding="utf-8"))
    result = _check(odd_tree, "--baseline", str(baseline))
    assert result.returncode == 0 and result.stdout == ""
    assert f"({2 * len(ODD_NAMES)} more in the baseline)" in result.stderr


@pytest.mark.parametrize("name", ["aml-json", "aml-sarif", "aml-github", "aml-azure", "aml-junit"])
def test_flake8_formatters_survive_odd_names(odd_tree: Path, name: str) -> None:
    result = run([sys.executable, "-m", "flake8", "--select", "AML", "--format", name, "."], cwd=odd_tree)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    if name == "aml-junit":
        ElementTree.fromstring(result.stdout.encode("utf-8"))
    elif name in ("aml-json", "aml-sarif"):
        json.loads(result.stdout)
    else:
        assert len(result.stdout.splitlines()) == 2 * len(ODD_NAMES)
    assert not _unprintable(result.stdout)


def test_flake8_formatter_output_file_is_replaced_not_appended(odd_tree: Path, tmp_path: Path) -> None:
    report = tmp_path / "flake8.json"
    for _ in range(2):
        result = run([sys.executable, "-m", "flake8", "--select", "AML", "--format", "aml-json",
                      "--output-file", str(report), "."], cwd=odd_tree)
        assert result.returncode == 1 and result.stdout == "", result.stderr
    assert len(json.loads(report.read_text(encoding="utf-8"))) == 2 * len(ODD_NAMES)


# --- escaping, directly -------------------------------------------------------------------


def test_visible_escapes_controls_and_undecodable_bytes_only() -> None:
    name = os.fsdecode(b"caf\xe9 \x1b[0m\t\n\r\x00\x7f\xc2\x85 \xc3\xa9 \\ ok")
    assert formats.visible(name) == "caf\\xe9 \\x1b[0m\\t\\n\\r\\x00\\x7f\\u0085 é \\ ok"
    assert formats.visible("a\nb", keep="\n") == "a\nb"


@pytest.mark.parametrize("name", formats.FORMATS)
def test_every_format_renders_any_name_and_message(name: str) -> None:
    entry = formats.Item(os.fsdecode(b"d\xff/\x1b]0;x\x07\xe2\x80\xa8.py"), 1, 1, "AML002", "bell \x07 and \ud800")
    text = formats.render(name, [entry])
    text.encode("utf-8")  # no lone surrogate survives
    assert not _unprintable(text)
    if name == "junit":
        ElementTree.fromstring(text.split("\n", 1)[1])
    elif name in ("json", "sarif"):
        json.loads(text)


def test_write_report_leaves_the_old_file_when_the_report_cannot_be_produced(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("old report\n")
    with pytest.raises(UnicodeEncodeError):
        formats.write_report(report, "new \udce9 report")
    assert report.read_text() == "old report\n"
    formats.write_report(report, "new report\n")
    assert report.read_text() == "new report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_write_report_creates_folders_and_files_with_the_usual_mode(tmp_path: Path) -> None:
    report = tmp_path / "a" / "b" / "report.json"
    formats.write_report(report, "[]\n")
    umask = os.umask(0o022)
    os.umask(umask)
    assert report.read_text() == "[]\n" and (report.stat().st_mode & 0o777) == 0o666 & ~umask


# --- bad baselines ------------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    b'{"azureml-v2-baseline": 1, "findings": [{"path": "a.py"}]}',
    b'{"azureml-v2-baseline": 1, "findings": {"path": "a.py"}}',
    b'{"azureml-v2-baseline": 1, "findings": [null]}',
    b'{"azureml-v2-baseline": 1, "findings": [{"path": 1, "code": "AML020", "fingerprint": "f"}]}',
    b'{"azureml-v2-baseline": 1, "findings": [{"path": "a.py", "code": "AML020", "fingerprint": "f", "count": "2"}]}',
    b'{"azureml-v2-baseline": 1, "findings": [{"path": "a.py", "code": "AML020", "fingerprint": "f", "count": 0}]}',
    b'{"azureml-v2-baseline": 2, "findings": []}',
    b'["azureml-v2-baseline"]',
    b'{"azureml-v2-baseline": 1, "findings": [',
    b"\xff\xfe not text",
    b"[" * 100_000,
    b"",
], ids=["missing-key", "findings-object", "null-row", "path-number", "count-string", "count-zero", "version",
        "list", "truncated", "binary", "deep", "empty"])
def test_a_bad_baseline_is_one_error_line_and_exit_2(tmp_path: Path, content: bytes) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.py").write_bytes(V1)
    (tmp_path / "baseline.json").write_bytes(content)
    result = run([*AZ, "check", "--baseline", "baseline.json", "a.py"], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("azureml-v2: error: "), result.stderr


def test_the_repro_baseline_with_a_missing_key(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.py").write_bytes(V1)
    (tmp_path / "b.json").write_text('{"azureml-v2-baseline": 1, "findings": [{"path": "a.py"}]}')
    result = run([*AZ, "check", "--baseline", "b.json", "a.py"], cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, 'azureml-v2: error: b.json: finding 1 has no "code"; write the file again with --write-baseline\n')


# --- a closed standard output -------------------------------------------------------------

# Output well beyond a pipe's buffer (64 KiB), so that the writer meets the closed pipe.
MANY = b"from azureml.core import Workspace, Experiment\n" + b"".join(
    b"x%d = Workspace.from_config()\n" % i for i in range(3000))
FEW = b"from azureml.core import Workspace, Experiment\n" + b"".join(
    b"x%d = Workspace.from_config()\n" % i for i in range(200))


def _closed_stdout_run(args: list[str], cwd: Path, read_first_line: bool = False,
                       stdin: Path | None = None) -> tuple[int, str]:
    """Run the CLI with a reader that goes away, as `| head -1` does: (exit code, stderr).

    Standard output is buffered as it is for a user (with PYTHONUNBUFFERED, Python drops
    the part of a large write that a closed pipe refuses, and no error is raised at all)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open(stdin or os.devnull, "rb") as source:
        process = subprocess.Popen([*AZ, *args], cwd=cwd, stdin=source, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env)
        assert process.stdout is not None and process.stderr is not None
        if read_first_line:
            process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read().decode("utf-8", "replace")
        return process.wait(timeout=600), stderr


def _assert_quiet(stderr: str) -> None:
    for noise in ("Traceback", "Exception ignored", "BrokenPipe"):
        assert noise not in stderr, stderr[-2000:]


def _tree(root: Path, content: bytes, names: tuple[str, ...] = ("a.py", "b.py")) -> Path:
    (root / ".git").mkdir()
    for name in names:
        (root / name).write_bytes(content)
    return root


@pytest.mark.parametrize("read_first_line", [False, True], ids=["closed-at-once", "head-1"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_into_a_closed_pipe_ends_quietly_with_exit_0(tmp_path: Path, fmt: str, read_first_line: bool) -> None:
    tree = _tree(tmp_path, MANY)
    code, stderr = _closed_stdout_run(["check", "--output-format", fmt, "."], tree, read_first_line)
    _assert_quiet(stderr)
    assert code == 0  # as ruff: the reader chose to stop reading


def test_fix_into_a_closed_pipe_still_fixes_every_file(tmp_path: Path) -> None:
    tree = _tree(tmp_path, FEW, ("a.py", "b.py", "c.py"))
    code, stderr = _closed_stdout_run(["fix", "--unsafe-fixes", "."], tree)
    _assert_quiet(stderr)
    assert code == 0
    for name in ("a.py", "b.py", "c.py"):
        assert b"Workspace.from_config()" not in (tree / name).read_bytes()


@pytest.mark.parametrize("args", [["fix", "--diff", "--unsafe-fixes", "a.py"], ["fix", "-", "--stdin-filename", "a.py"]],
                         ids=["diff", "stdin"])
def test_fix_output_into_a_closed_pipe_ends_quietly(tmp_path: Path, args: list[str]) -> None:
    tree = _tree(tmp_path, FEW, ("a.py",))
    code, stderr = _closed_stdout_run(args, tree, stdin=tree / "a.py")
    _assert_quiet(stderr)
    assert code == 0
    assert (tree / "a.py").read_bytes() == FEW  # --diff and stdin write no file


def test_check_with_stdout_closed_from_the_start(tmp_path: Path) -> None:
    tree = _tree(tmp_path, FEW)
    result = subprocess.run([*AZ, "check", "."], cwd=tree, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1))
    _assert_quiet(result.stderr)
    assert result.returncode == 1  # nothing broke mid-run: the findings decide, as in ruff


def test_fix_reports_a_name_that_is_not_utf8(odd_tree: Path) -> None:
    result = run([*AZ, "fix", "--unsafe-fixes", "."], cwd=odd_tree)
    assert "Traceback" not in result.stderr, result.stderr
    assert "caf\\xe9.py:2:6: AML020 fixed" in result.stdout
    assert b"MLClient" in (odd_tree / os.fsdecode(b"caf\xe9.py")).read_bytes()
